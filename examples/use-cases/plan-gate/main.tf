# Plan gate: block a change while ESET reports trouble on the hosts it touches.
#
# The configuration knows host names, not ESET device uuids: eset_devices turns the names into devices,
# then one eset_incidents and one eset_detections read cover every device. The plan fails before anything
# is changed when a host is unknown to ESET, is involved in an open high-severity incident, or had a
# high-severity detection in the last 24 hours. terraform_data stands for the real change (a patch
# rollout, a firewall rule, a reboot window): any resource can carry the same precondition.
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

variable "hosts" {
  description = "Host names of the machines this change touches, as the ESET console names them."
  type        = list(string)
  default     = ["print-srv-01"]

  # A gate fails closed: an empty list (an inventory lookup that found no machine, a variable left out of a
  # pipeline) would check nothing and let the change through, so it is an error, not a pass.
  validation {
    condition     = length(var.hosts) > 0
    error_message = "hosts is empty: list the host names of the machines the change touches; with none, the gate would check nothing."
  }
}

variable "detection_window" {
  description = "How far back a high-severity detection blocks the change, as a duration such as \"24h\" or \"7d\"."
  type        = string
  default     = "24h"
}

# Host names to devices. A name ESET does not know (a machine it does not protect, a misspelt name) fails
# the read and the plan, naming it: such a machine cannot be shown to be clean, and a gate must not pass on
# it. A name two devices share checks both.
data "eset_devices" "hosts" {
  display_names = var.hosts
  on_missing    = "error"
}

locals {
  device_uuids = data.eset_devices.hosts.ids
  # device uuid => host name
  host_of = { for d in data.eset_devices.hosts.devices : d.uuid => d.display_name }
  # Open, in progress or waiting for input: anything but closed.
  open_statuses = ["INCIDENT_STATUS_OPEN", "INCIDENT_STATUS_IN_PROGRESS", "INCIDENT_STATUS_WAITING_FOR_INPUT"]
}

# One read for every device, any number of them. The API's filter holds three devices, so the provider
# either sends them in groups or lists the open high-severity incidents and checks each one's devices,
# whichever takes fewer calls (list_plan says which); include_details reads each incident's
# device_uuids, to name the hosts it involves.
data "eset_incidents" "blocking" {
  device_uuids    = local.device_uuids
  statuses        = local.open_statuses
  severities      = ["INCIDENT_SEVERITY_LEVEL_HIGH"]
  order_by        = "create_time"
  include_details = true
  # A gate fails closed: anything the filter language does not document is an error, not a warning.
  strict = true
}

# Detections are what ESET saw on a machine, most of them never part of an incident. Any number of hosts:
# the read lists the window once for the whole account when that takes fewer calls than one per host
# (list_plan says which), so 500 hosts of an account with 10,000 detections a day take about a second.
data "eset_detections" "recent_high" {
  device_uuids    = local.device_uuids
  occurred_within = var.detection_window
  severities      = ["SEVERITY_LEVEL_HIGH"]
}

locals {
  incidents  = data.eset_incidents.blocking.incidents
  detections = data.eset_detections.recent_high.detections

  # What blocks the change, one line each, host by host in the order of var.hosts.
  findings = flatten([for host in distinct(var.hosts) : concat(
    [for i in local.incidents :
      "${host}: open high-severity incident \"${i.display_name}\" (${i.uuid}, ${i.status}) since ${i.create_time}"
    if contains([for u in i.device_uuids : lookup(local.host_of, u, "")], host)],
    [for d in local.detections :
      "${host}: high-severity detection \"${d.display_name}\" (${d.uuid}) at ${d.occur_time}"
    if lookup(local.host_of, d.device_uuid, "") == host],
  )])
}

resource "terraform_data" "change" {
  input = {
    change = var.change_id
    hosts  = var.hosts
  }

  lifecycle {
    precondition {
      condition     = length(local.findings) == 0
      error_message = "Change ${var.change_id} is blocked by what ESET reports on its hosts:\n${join("\n", [for f in local.findings : "  - ${f}"])}"
    }
  }
}

# A check block reports the same condition on every plan and apply, as a warning, even when the change
# itself is already applied (terraform plan in a scheduled job shows a host drifting into danger).
check "hosts_clean_in_eset" {
  assert {
    condition     = length(local.findings) == 0
    error_message = "ESET reports ${length(local.findings)} findings on the hosts of change ${var.change_id}."
  }
}

output "devices" {
  description = "Host name => the uuids of its ESET devices."
  value       = { for host in distinct(var.hosts) : host => [for d in data.eset_devices.hosts.devices : d.uuid if d.display_name == host] }
}

output "findings" {
  value = local.findings
}
