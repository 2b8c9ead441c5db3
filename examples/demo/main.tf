# The configuration `make demo` runs against the bundled API simulator: it reads the open and in-progress
# incidents created since 1 August 2026 (the simulator's data ends on 1 November 2026) and counts them by
# severity and by status.
terraform {
  required_providers {
    eset = {
      source = "eset-community/eset"
    }
  }
}

# Region, credentials and endpoints come from ESET_* environment variables (make demo sets them).
provider "eset" {}

data "eset_incidents" "active" {
  filter   = "incident.status in [INCIDENT_STATUS_OPEN, INCIDENT_STATUS_IN_PROGRESS] && incident.create_time >= timestamp(\"2026-08-01T00:00:00Z\")"
  order_by = "severity desc, create_time"
}

locals {
  incidents = data.eset_incidents.active.incidents
}

output "incident_count" {
  value = length(local.incidents)
}

output "by_severity" {
  value = { for s in distinct(local.incidents[*].severity) : s => length([for i in local.incidents : i if i.severity == s]) }
}

output "by_status" {
  value = { for s in distinct(local.incidents[*].status) : s => length([for i in local.incidents : i if i.status == s]) }
}

output "most_severe" {
  value = [for i in slice(local.incidents, 0, min(3, length(local.incidents))) : "${i.severity}: ${i.display_name} (${i.create_time})"]
}
