# The detections of a configuration's hosts over the last 7 days, oldest first, with their details.
data "eset_devices" "hosts" {
  display_names = ["web-01", "db-prod-3"]
}

data "eset_detections" "recent" {
  device_uuids    = data.eset_devices.hosts.ids
  occurred_within = "7d"
  include_details = true
}

# High-severity detections on any device in a fixed window (occurred_before is exclusive).
data "eset_detections" "high" {
  occurred_after  = "2026-01-01T00:00:00Z"
  occurred_before = "2027-01-01T00:00:00Z"
  severities      = ["SEVERITY_LEVEL_HIGH"]
  max_results     = 500
}

output "recent" {
  value = [for d in data.eset_detections.recent.detections : "${d.occur_time} ${d.device_display_name}: ${d.display_name} (${d.severity_level})"]
}

output "high_count" {
  value = length(data.eset_detections.high.ids)
}
