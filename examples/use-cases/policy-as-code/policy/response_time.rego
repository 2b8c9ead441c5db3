# Conftest-style policy over `terraform show -json` output (state or saved plan): deny while high-severity
# incidents that are not closed, or high-severity detections that are not resolved, are older than
# max_age_hours. It fails closed: an input without ESET data, a truncated or summary_only read, a null list,
# detections read without their resolved flag, or a time that cannot be parsed are denials too, never a
# quiet pass.
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

# The data sources the policy reads, by type.
sources(type) := {r | some r in resources; r.mode == "data"; r.type == type}

# Every incident read by an eset_incidents data source, and every incident read by eset_incident.
incidents contains i if {
	some r in sources("eset_incidents")
	some i in r.values.incidents
}

incidents contains r.values if {
	some r in sources("eset_incident")
}

# Every detection read by an eset_detections data source.
detections contains d if {
	some r in sources("eset_detections")
	some d in r.values.detections
}

hours_since(t) := (now_ns - time.parse_rfc3339_ns(t)) / (3600 * 1000000000)

# The incidents and detections whose age the rules below measure.
checked_incidents contains i if {
	some i in incidents
	i.severity == "INCIDENT_SEVERITY_LEVEL_HIGH"
	i.status != "INCIDENT_STATUS_CLOSED"
}

checked_detections contains d if {
	some d in detections
	d.severity_level == "SEVERITY_LEVEL_HIGH"
	d.resolved == false
}

deny contains msg if {
	some i in checked_incidents
	age := hours_since(i.create_time)
	age > max_age_hours
	msg := sprintf("incident %s (%q, %s) has been open for %d hours, more than the %v hours allowed for high severity", [i.uuid, i.display_name, i.status, floor(age), max_age_hours])
}

deny contains msg if {
	some d in checked_detections
	age := hours_since(d.occur_time)
	age > max_age_hours
	msg := sprintf("detection %s (%q on %s) has been unresolved for %d hours, more than the %v hours allowed for high severity", [d.uuid, d.display_name, d.device_display_name, floor(age), max_age_hours])
}

# Fail closed: what the policy cannot see, it cannot pass.
deny contains msg if {
	count(sources("eset_incidents") | sources("eset_incident")) == 0
	msg := "the input holds no eset_incidents or eset_incident data source: run the policy on the state or saved plan of a configuration that reads them"
}

deny contains msg if {
	count(sources("eset_detections")) == 0
	msg := "the input holds no eset_detections data source: run the policy on the state or saved plan of a configuration that reads them"
}

deny contains msg if {
	some r in (sources("eset_incidents") | sources("eset_detections"))
	r.values.truncated
	msg := sprintf("%s is truncated (max_results): the policy cannot check what was not read; raise or remove max_results", [r.address])
}

deny contains msg if {
	some r in sources("eset_detections")
	not r.values.include_details
	msg := sprintf("%s was read without include_details = true: whether its detections are resolved is unknown", [r.address])
}

# A summary_only read keeps counts, not the incidents or detections the rules check; a list that is null
# (an unknown or hand-made input) is nothing checked, not nothing found.
deny contains msg if {
	some r in (sources("eset_incidents") | sources("eset_detections"))
	r.values.summary_only == true
	msg := sprintf("%s was read with summary_only = true: it holds counts, not the records the policy checks; read it without summary_only", [r.address])
}

deny contains msg if {
	some type, list in {"eset_incidents": "incidents", "eset_detections": "detections"}
	some r in sources(type)
	object.get(r.values, list, null) == null
	msg := sprintf("%s holds no list of %s (it is null): the policy cannot check what was not read", [r.address, list])
}

# An age that cannot be measured is not a young age.
deny contains msg if {
	some i in checked_incidents
	not time.parse_rfc3339_ns(i.create_time)
	msg := sprintf("incident %s has a create_time that cannot be parsed (%s): its age is unknown", [i.uuid, json.marshal(object.get(i, "create_time", null))])
}

deny contains msg if {
	some d in checked_detections
	not time.parse_rfc3339_ns(d.occur_time)
	msg := sprintf("detection %s has an occur_time that cannot be parsed (%s): its age is unknown", [d.uuid, json.marshal(object.get(d, "occur_time", null))])
}
