# Infrastructure report: incidents of a period summarised by severity, status, assignee and age, and a
# Markdown report for a wiki page, a pull request comment or a chat message:
#
#   terraform apply && terraform output -raw report > incident-report.md
#
# The counts come from the provider's summaries (summary_only = true): state holds counts, not incidents,
# so the report costs the same in Terraform at 100 incidents or 100,000.
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

locals {
  now = plantimestamp()

  severities = ["INCIDENT_SEVERITY_LEVEL_HIGH", "INCIDENT_SEVERITY_LEVEL_MEDIUM", "INCIDENT_SEVERITY_LEVEL_LOW"]
  statuses   = ["INCIDENT_STATUS_OPEN", "INCIDENT_STATUS_IN_PROGRESS", "INCIDENT_STATUS_WAITING_FOR_INPUT", "INCIDENT_STATUS_CLOSED"]

  # Age buckets, youngest first, each the creation times it holds: from `after` (inclusive) to `before`
  # (exclusive); null leaves that side open.
  age_bucket_names = ["under 1 day", "1 to 7 days", "7 to 30 days", "over 30 days"]
  age_buckets = {
    "under 1 day"  = { after = timeadd(local.now, "-24h"), before = null }
    "1 to 7 days"  = { after = timeadd(local.now, "-168h"), before = timeadd(local.now, "-24h") }
    "7 to 30 days" = { after = timeadd(local.now, "-720h"), before = timeadd(local.now, "-168h") }
    "over 30 days" = { after = null, before = timeadd(local.now, "-720h") }
  }
}

# Every incident of the period, counted page by page; none is kept in state.
data "eset_incidents" "period" {
  created_within = var.period
  summary_only   = true
}

# The period's incidents in each age bucket: the buckets do not overlap, so together they read the period
# once more, in about as many calls.
data "eset_incidents" "age" {
  for_each = local.age_buckets

  created_within = var.period
  created_after  = each.value.after
  created_before = each.value.before
  summary_only   = true
}

# The oldest open high-severity incidents, listed by name; their number is in the period's summary.
data "eset_incidents" "open_high" {
  created_within = var.period
  filter         = "incident.severity == INCIDENT_SEVERITY_LEVEL_HIGH && !(incident.status in [INCIDENT_STATUS_CLOSED])"
  order_by       = "create_time"
  max_results    = 10
}

locals {
  summary = data.eset_incidents.period.summary

  # The summary's maps leave out values no incident has: the report shows them as 0.
  by_severity = { for s in local.severities : s => lookup(local.summary.by_severity, s, 0) }
  by_status   = { for s in local.statuses : s => lookup(local.summary.by_status, s, 0) }
  by_assignee = local.summary.by_assignee
  by_age      = { for name in local.age_bucket_names : name => data.eset_incidents.age[name].summary.total }

  open_high_n = lookup(local.summary.open_by_severity, "INCIDENT_SEVERITY_LEVEL_HIGH", 0)
  # The bucket of each listed incident: the first whose start is not after its creation.
  age_of = {
    for i in data.eset_incidents.open_high.incidents : i.uuid => [
      for name in local.age_bucket_names : name
      if local.age_buckets[name].after == null || timecmp(i.create_time, coalesce(local.age_buckets[name].after, local.now)) >= 0
    ][0]
  }
}

output "total" {
  value = local.summary.total
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
    total       = local.summary.total
    severities  = local.severities
    by_severity = local.by_severity
    statuses    = local.statuses
    by_status   = local.by_status
    by_assignee = local.by_assignee
    by_age      = local.by_age
    age_buckets = local.age_bucket_names
    open_high   = data.eset_incidents.open_high.incidents
    open_high_n = local.open_high_n
    age_of      = local.age_of
  })
}
