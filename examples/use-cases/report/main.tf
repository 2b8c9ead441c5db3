# Infrastructure report: incidents of a period summarised by severity, status, assignee and age, and a
# Markdown report for a wiki page, a pull request comment or a chat message:
#
#   terraform apply && terraform output -raw report > incident-report.md
terraform {
  required_providers {
    eset = {
      source = "eset-community/eset"
    }
  }
}

# Region and credentials come from ESET_REGION, ESET_USERNAME and ESET_PASSWORD.
provider "eset" {}

variable "period" {
  description = "Report on incidents created within this duration before the run, such as \"30d\" or \"24h\"."
  type        = string
  default     = "30d"
}

data "eset_incidents" "period" {
  created_within = var.period
  order_by       = "severity desc, create_time"
}

locals {
  incidents = data.eset_incidents.period.incidents
  now       = plantimestamp()

  severities = ["INCIDENT_SEVERITY_LEVEL_HIGH", "INCIDENT_SEVERITY_LEVEL_MEDIUM", "INCIDENT_SEVERITY_LEVEL_LOW"]
  statuses   = ["INCIDENT_STATUS_OPEN", "INCIDENT_STATUS_IN_PROGRESS", "INCIDENT_STATUS_WAITING_FOR_INPUT", "INCIDENT_STATUS_CLOSED"]

  # Age buckets, each with the creation time that starts it (the newest incident in it).
  age_buckets = [
    { name = "under 1 day", since = timeadd(local.now, "-24h") },
    { name = "1 to 7 days", since = timeadd(local.now, "-168h") },
    { name = "7 to 30 days", since = timeadd(local.now, "-720h") },
    { name = "over 30 days", since = "0001-01-01T00:00:00Z" },
  ]
  # The first bucket whose start is not after the incident's creation.
  age_of = {
    for i in local.incidents : i.uuid => [for b in local.age_buckets : b.name if timecmp(i.create_time, b.since) >= 0][0]
  }

  by_severity = { for s in local.severities : s => length([for i in local.incidents : i if i.severity == s]) }
  by_status   = { for s in local.statuses : s => length([for i in local.incidents : i if i.status == s]) }
  by_assignee = {
    for a in distinct([for i in local.incidents : coalesce(i.assignee_uuid, "unassigned")]) :
    a => length([for i in local.incidents : i if coalesce(i.assignee_uuid, "unassigned") == a])
  }
  by_age = { for b in local.age_buckets : b.name => length([for i in local.incidents : i if local.age_of[i.uuid] == b.name]) }

  open_high = [
    for i in local.incidents : i
    if i.severity == "INCIDENT_SEVERITY_LEVEL_HIGH" && i.status != "INCIDENT_STATUS_CLOSED"
  ]
}

output "total" {
  value = length(local.incidents)
}

output "by_severity" {
  value = local.by_severity
}

output "by_status" {
  value = local.by_status
}

output "by_assignee" {
  value = local.by_assignee
}

output "by_age" {
  value = local.by_age
}

output "report" {
  value = templatefile("${path.module}/report.md.tftpl", {
    generated   = local.now
    period      = var.period
    total       = length(local.incidents)
    severities  = local.severities
    by_severity = local.by_severity
    statuses    = local.statuses
    by_status   = local.by_status
    by_assignee = local.by_assignee
    by_age      = local.by_age
    age_buckets = [for b in local.age_buckets : b.name]
    open_high   = slice(local.open_high, 0, min(10, length(local.open_high)))
    open_high_n = length(local.open_high)
    age_of      = local.age_of
  })
}
