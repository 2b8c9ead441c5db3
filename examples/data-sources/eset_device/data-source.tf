# One device by its console name; a name two devices share is an error that lists both, so that the
# uuid can be given instead.
data "eset_device" "web" {
  display_name = "web-01"
}

# The same device by uuid.
data "eset_device" "by_uuid" {
  uuid = data.eset_device.web.uuid
}

output "web" {
  value = {
    os        = "${data.eset_device.web.operating_system.display_name} (${data.eset_device.web.operating_system.family})"
    address   = data.eset_device.web.primary_local_ip_address
    status    = data.eset_device.web.functionality_status
    last_sync = data.eset_device.by_uuid.last_sync_time
  }
}
