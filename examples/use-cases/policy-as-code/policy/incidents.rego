# Conftest-style policy over `terraform show -json` output (state or saved plan): deny while high-severity
# incidents that are not closed are older than max_age_hours.
#
#   opa eval --fail-defined --format raw -d policy/ -i show.json 'data.main.deny[msg]'
#   conftest test --policy policy/ show.json
#
# The threshold is 72 hours unless data.params.max_age_hours says otherwise, e.g. with
# `-d params.json` holding {"params": {"max_age_hours": 24}}.
package main

import rego.v1

default max_age_hours := 72

max_age_hours := data.params.max_age_hours

# The time to measure ages against: the plan's own timestamp for a saved plan, else now.
now_ns := time.parse_rfc3339_ns(input.timestamp) if input.timestamp

now_ns := time.now_ns() if not input.timestamp

# Root module resources of a state (`terraform show -json`) or of a plan's prior state
# (`terraform show -json tfplan`), where the data sources read during the plan are.
resources contains r if {
	some r in input.values.root_module.resources
}

resources contains r if {
	some r in input.prior_state.values.root_module.resources
}

# Every incident read by an eset_incidents data source, and every incident read by eset_incident.
incidents contains i if {
	some r in resources
	r.mode == "data"
	r.type == "eset_incidents"
	some i in r.values.incidents
}

incidents contains r.values if {
	some r in resources
	r.mode == "data"
	r.type == "eset_incident"
}

age_hours(i) := (now_ns - time.parse_rfc3339_ns(i.create_time)) / (3600 * 1000000000)

deny contains msg if {
	some i in incidents
	i.severity == "INCIDENT_SEVERITY_LEVEL_HIGH"
	i.status != "INCIDENT_STATUS_CLOSED"
	age := age_hours(i)
	age > max_age_hours
	msg := sprintf("incident %s (%q, %s) has been open for %d hours, more than the %v hours allowed for high severity", [i.uuid, i.display_name, i.status, floor(age), max_age_hours])
}
