# Plan gate: block a change while open high-severity incidents involve the devices it touches.
#
# terraform_data stands for the real change (a patch rollout, a firewall rule, a reboot window): any
# resource can carry the same precondition. The plan fails before anything is changed when one of the
# devices has an open, in-progress or waiting high-severity incident.
terraform {
  required_providers {
    eset = {
      source = "eset-community/eset"
    }
  }
}

# Region and credentials come from ESET_REGION, ESET_USERNAME and ESET_PASSWORD.
provider "eset" {}

variable "change_id" {
  description = "Identifier of the change; a new one replaces terraform_data.change."
  type        = string
  default     = "CHG-1042"
}

variable "device_uuids" {
  description = "ESET device uuids of the machines this change touches."
  type        = list(string)
  default     = ["00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"]

  # A gate fails closed: an empty list (a lookup that found no machine, a variable left out of a pipeline)
  # would check nothing and let the change through, so it is an error, not a pass.
  validation {
    condition     = length(var.device_uuids) > 0
    error_message = "device_uuids is empty: list the ESET device uuids of the machines the change touches; with none, the gate would check nothing."
  }
}

# One query per device, filtered on the server (incident.device_uuids.contains(...)): no per-incident
# detail calls are needed to learn which devices an incident involves.
data "eset_incidents" "blocking" {
  for_each = toset(var.device_uuids)

  device_uuid = each.key
  statuses    = ["INCIDENT_STATUS_OPEN", "INCIDENT_STATUS_IN_PROGRESS", "INCIDENT_STATUS_WAITING_FOR_INPUT"]
  severities  = ["INCIDENT_SEVERITY_LEVEL_HIGH"]
  order_by    = "create_time"
}

locals {
  # device uuid => the incidents that block it
  blocking = {
    for device, result in data.eset_incidents.blocking :
    device => [for i in result.incidents : "${i.display_name} (${i.uuid}, ${i.status}, since ${i.create_time})"]
    if length(result.incidents) > 0
  }
}

resource "terraform_data" "change" {
  input = {
    change  = var.change_id
    devices = var.device_uuids
  }

  lifecycle {
    precondition {
      condition     = length(local.blocking) == 0
      error_message = "Change ${var.change_id} is blocked: open high-severity ESET incidents involve its devices:\n${join("\n", flatten([for device, incidents in local.blocking : [for i in incidents : "  - device ${device}: ${i}"]]))}"
    }
  }
}

# A check block reports the same condition on every plan and apply, as a warning, even when the
# change itself is already applied (terraform plan in a scheduled job shows drift into danger).
check "devices_without_high_severity_incidents" {
  assert {
    condition     = length(local.blocking) == 0
    error_message = "Open high-severity ESET incidents involve ${length(local.blocking)} of the ${length(var.device_uuids)} devices of change ${var.change_id}."
  }
}

output "devices_checked" {
  value = length(var.device_uuids)
}

output "blocking_incidents" {
  value = local.blocking
}
