# The configuration `make demo` runs against the bundled API simulator: the open and in-progress incidents
# of the last 7 days counted by severity and by status with the provider's summary, the three most severe,
# then a device-based query, from host names to their devices, the incidents that involve them and what
# ESET detected on them in the last 24 hours.
terraform {
  required_providers {
    eset = {
      source = "eset-community/eset"
    }
  }
}

# Region, credentials and endpoints come from ESET_* environment variables (make demo sets them).
provider "eset" {}

# Counted by the provider as the pages arrive (summary_only keeps no incident in state)...
data "eset_incidents" "active" {
  statuses       = local.active_statuses
  created_within = "7d"
  summary_only   = true
}

# ...and the three most severe, listed.
data "eset_incidents" "most_severe" {
  statuses       = local.active_statuses
  created_within = "7d"
  order_by       = "severity desc, create_time"
  max_results    = 3
}

locals {
  active_statuses = ["INCIDENT_STATUS_OPEN", "INCIDENT_STATUS_IN_PROGRESS"]
  summary         = data.eset_incidents.active.summary
}

output "incident_count" {
  value = local.summary.total
}

output "by_severity" {
  value = local.summary.by_severity
}

output "by_status" {
  value = local.summary.by_status
}

output "most_severe" {
  value = [for i in data.eset_incidents.most_severe.incidents : "${i.severity}: ${i.display_name} (${i.create_time})"]
}

# What a configuration knows of its machines: their host names. web-02 is not in the simulator's data;
# FIN-LAPTOP-12 names two devices (an old one that stopped syncing, and its replacement).
variable "hosts" {
  description = "Host names to look up in ESET."
  type        = list(string)
  default     = ["web-01", "db-prod-3", "print-srv-01", "FIN-LAPTOP-12", "web-02"]

  validation {
    condition     = length(var.hosts) > 0
    error_message = "hosts is empty: list at least one host name to look up."
  }
}

data "eset_devices" "named" {
  display_names = var.hosts
}

# The open incidents of each device: one list call a device (the API filters on device_uuids), where one
# read of all of them would need a detail call per incident to tell the devices apart.
data "eset_incidents" "on_host" {
  for_each = toset(data.eset_devices.named.ids)

  device_uuids = [each.key]
  statuses     = ["INCIDENT_STATUS_OPEN", "INCIDENT_STATUS_IN_PROGRESS", "INCIDENT_STATUS_WAITING_FOR_INPUT"]
}

# The last day's detections of all the devices in one read; each names its device.
data "eset_detections" "on_hosts" {
  device_uuids    = data.eset_devices.named.ids
  occurred_within = "24h"
}

output "hosts" {
  description = "Per device (host name and the start of its uuid): its state, open incidents and last day's detections."
  value = { for d in data.eset_devices.named.devices : "${d.display_name} ${substr(d.uuid, 0, 8)}" => {
    status         = d.functionality_status
    last_sync      = d.last_sync_time
    open_incidents = length(data.eset_incidents.on_host[d.uuid].incidents)
    detections_24h = length([for x in data.eset_detections.on_hosts.detections : x if x.device_uuid == d.uuid])
    high_24h       = length([for x in data.eset_detections.on_hosts.detections : x if x.device_uuid == d.uuid && x.severity_level == "SEVERITY_LEVEL_HIGH"])
  } }
}

output "unknown_hosts" {
  description = "Host names no ESET device has."
  value       = data.eset_devices.named.missing_display_names
}
