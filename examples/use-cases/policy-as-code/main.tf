# Policy as code: high-severity incidents must not stay open, nor high-severity detections unresolved, longer
# than an agreed time.
#
# The check block warns on every plan and apply; the OPA/Rego policy in policy/ turns the same rule into
# a gate a CI pipeline enforces over `terraform show -json` (see README.md).
terraform {
  required_providers {
    eset = {
      source = "eset-community/eset"
    }
  }
}

# Region and credentials come from ESET_REGION, ESET_USERNAME and ESET_PASSWORD.
provider "eset" {}

variable "max_open_age" {
  description = "How long a high-severity incident may stay open, or a high-severity detection unresolved, as a duration such as \"72h\"."
  type        = string
  default     = "72h"
}

# Every high-severity incident that is not closed yet. Its values land in the state, where the policy
# reads them.
data "eset_incidents" "open_high" {
  statuses   = ["INCIDENT_STATUS_OPEN", "INCIDENT_STATUS_IN_PROGRESS", "INCIDENT_STATUS_WAITING_FOR_INPUT"]
  severities = ["INCIDENT_SEVERITY_LEVEL_HIGH"]
  order_by   = "create_time"
  # A policy gate fails closed: anything the filter language does not document is an error, not a warning.
  strict = true
}

# Every high-severity detection of the last 30 days. include_details reads whether each is resolved (100
# detections a call); without it, `resolved` is null and the policy cannot tell, so it denies.
data "eset_detections" "high" {
  occurred_within = "30d"
  severities      = ["SEVERITY_LEVEL_HIGH"]
  include_details = true
}

locals {
  # plantimestamp() is the time of the plan, known while planning (timestamp() is not).
  deadline           = timeadd(plantimestamp(), "-${var.max_open_age}")
  overdue            = [for i in data.eset_incidents.open_high.incidents : i if timecmp(i.create_time, local.deadline) < 0]
  unresolved_overdue = [for d in data.eset_detections.high.detections : d if !d.resolved && timecmp(d.occur_time, local.deadline) < 0]
}

check "no_overdue_high_severity_incidents" {
  assert {
    condition     = length(local.overdue) == 0
    error_message = "${length(local.overdue)} high-severity incidents have been open longer than ${var.max_open_age}, the oldest since ${try(local.overdue[0].create_time, "-")}."
  }
}

check "no_overdue_high_severity_detections" {
  assert {
    condition     = length(local.unresolved_overdue) == 0
    error_message = "${length(local.unresolved_overdue)} high-severity detections have been unresolved longer than ${var.max_open_age}, the oldest since ${try(local.unresolved_overdue[0].occur_time, "-")}."
  }
}

output "open_high_incidents" {
  value = length(data.eset_incidents.open_high.incidents)
}

output "overdue_incidents" {
  value = [for i in local.overdue : "${i.create_time} ${i.display_name} (${i.uuid})"]
}

output "overdue_detections" {
  value = [for d in local.unresolved_overdue : "${d.occur_time} ${d.display_name} on ${d.device_display_name} (${d.uuid})"]
}
