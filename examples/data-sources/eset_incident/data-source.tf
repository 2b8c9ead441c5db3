# The most recent high-severity incident...
data "eset_incidents" "latest_high" {
  severities  = ["INCIDENT_SEVERITY_LEVEL_HIGH"]
  order_by    = "create_time desc"
  max_results = 1
}

# ...read on its own, with the devices and detections the list call leaves out.
data "eset_incident" "latest_high" {
  uuid = data.eset_incidents.latest_high.ids[0]
}

output "latest_high" {
  value = {
    name       = data.eset_incident.latest_high.display_name
    status     = data.eset_incident.latest_high.status
    devices    = data.eset_incident.latest_high.device_uuids
    detections = length(data.eset_incident.latest_high.detection_uuids)
  }
}
