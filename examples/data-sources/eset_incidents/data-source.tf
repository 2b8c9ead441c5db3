# A raw filter in the API's filter language (CEL), checked at plan time, with an order and a cap.
data "eset_incidents" "open_high" {
  filter      = "incident.status in [INCIDENT_STATUS_OPEN, INCIDENT_STATUS_IN_PROGRESS] && incident.severity == INCIDENT_SEVERITY_LEVEL_HIGH"
  order_by    = "create_time desc"
  max_results = 50
}

# The same kind of question with the typed helpers, which are compiled into effective_filter.
data "eset_incidents" "unassigned_servers" {
  statuses   = ["INCIDENT_STATUS_OPEN"]
  severities = ["INCIDENT_SEVERITY_LEVEL_MEDIUM", "INCIDENT_SEVERITY_LEVEL_HIGH"]
  unassigned = true
  tags_any   = ["server", "vip"]
  order_by   = "severity desc, create_time"

  timeouts {
    read = "10m"
  }
}

# Counts only: every page is read and counted, and no incident is kept in state.
data "eset_incidents" "active_counts" {
  statuses     = ["INCIDENT_STATUS_OPEN", "INCIDENT_STATUS_IN_PROGRESS"]
  summary_only = true
}

output "open_high" {
  value = [for i in data.eset_incidents.open_high.incidents : "${i.create_time} ${i.display_name}"]
}

output "open_high_truncated" {
  value = data.eset_incidents.open_high.truncated
}

output "unassigned_servers" {
  value = data.eset_incidents.unassigned_servers.ids
}

output "unassigned_servers_filter" {
  value = data.eset_incidents.unassigned_servers.effective_filter
}

output "active_by_severity" {
  value = data.eset_incidents.active_counts.summary.by_severity
}
