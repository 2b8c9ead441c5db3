# Infrastructure report: incidents of a period summarised by severity, status, assignee and age, the
# period's detections per device group and per device, and a Markdown report for a wiki page, a pull
# request comment or a chat message:
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

# The period's detections, counted per device (and by severity and category) as the pages arrive. Incidents
# cannot be counted per device this cheaply: the incident list does not name devices, and reading them
# costs one call per incident.
data "eset_detections" "period" {
  occurred_within = var.period
  summary_only    = true
}

# The devices and groups, to name the devices the detections counted and to add them up per group.
data "eset_devices" "all" {}

data "eset_device_groups" "all" {}

locals {
  summary = data.eset_incidents.period.summary

  # The summary's maps leave out values no incident has: the report shows them as 0.
  by_severity = { for s in local.severities : s => lookup(local.summary.by_severity, s, 0) }
  by_status   = { for s in local.statuses : s => lookup(local.summary.by_status, s, 0) }
  by_assignee = local.summary.by_assignee
  by_age      = { for name in local.age_bucket_names : name => data.eset_incidents.age[name].summary.total }

  # Each device's group path, and each counted device's (a device that is no longer listed has none).
  group_path  = { for g in data.eset_device_groups.all.groups : g.uuid => g.path }
  group_of    = { for d in data.eset_devices.all.devices : d.uuid => lookup(local.group_path, d.parent_group_uuid, "(no group)") }
  device_name = { for d in data.eset_devices.all.devices : d.uuid => d.display_name }

  detections_by_device = data.eset_detections.period.summary.by_device
  counted_group        = { for uuid, n in local.detections_by_device : uuid => lookup(local.group_of, uuid, "(device not listed)") }
  groups               = sort(distinct(concat(values(local.group_of), values(local.counted_group))))
  devices_by_group     = { for g in local.groups : g => length([for uuid, path in local.group_of : uuid if path == g]) }
  detections_by_group = {
    for g in local.groups : g => sum(concat([0], [for uuid, n in local.detections_by_device : n if local.counted_group[uuid] == g]))
  }
  # The 10 devices with the most detections: counts padded so that sorting text sorts them.
  top_devices = [
    for key in slice(reverse(sort([for uuid, n in local.detections_by_device : format("%012d %s", n, uuid)])), 0, min(10, length(local.detections_by_device))) : {
      uuid       = split(" ", key)[1]
      name       = lookup(local.device_name, split(" ", key)[1], "(device not listed)")
      group      = local.counted_group[split(" ", key)[1]]
      detections = tonumber(split(" ", key)[0])
    }
  ]

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

output "detections_by_group" {
  value = local.detections_by_group
}

output "detections_by_device" {
  value = local.detections_by_device
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

    detections          = data.eset_detections.period.summary.total
    groups              = local.groups
    devices_by_group    = local.devices_by_group
    detections_by_group = local.detections_by_group
    top_devices         = local.top_devices
  })
}
