# The configuration `make demo` runs against the bundled API simulator: it reads the open and in-progress
# incidents created since 1 August 2026, counts them by severity and by status with the provider's summary,
# and lists the three most severe.
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
  filter       = local.active
  summary_only = true
}

# ...and the three most severe, listed.
data "eset_incidents" "most_severe" {
  filter      = local.active
  order_by    = "severity desc, create_time"
  max_results = 3
}

locals {
  active  = "incident.status in [INCIDENT_STATUS_OPEN, INCIDENT_STATUS_IN_PROGRESS] && incident.create_time >= timestamp(\"2026-08-01T00:00:00Z\")"
  summary = data.eset_incidents.active.summary
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
