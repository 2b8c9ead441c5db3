# The host names a configuration knows, turned into ESET device uuids. A name ESET does not know is
# itself a finding: fail the plan on it.
data "eset_devices" "hosts" {
  display_names = ["web-01", "db-prod-3", "mail-gw"]

  lifecycle {
    postcondition {
      condition     = length(self.missing_display_names) == 0
      error_message = "Not known to ESET: ${join(", ", self.missing_display_names)}."
    }
  }
}

# Every device behind one public address, or in a subtree of groups, that needs attention.
data "eset_devices" "behind_nat" {
  ip_addresses = ["198.51.100.10"]
}

data "eset_device_groups" "servers" {
  path_prefix = "All/Servers"
}

data "eset_devices" "servers_in_trouble" {
  group_uuid           = data.eset_device_groups.servers.ids[0]
  recurse_subgroups    = true
  functionality_status = "DEVICE_FUNCTIONALITY_STATUS_ATTENTION_REQUIRED"
}

output "host_uuids" {
  value = data.eset_devices.hosts.ids
}

output "behind_nat" {
  value = [for d in data.eset_devices.behind_nat.devices : "${d.display_name} (${d.operating_system.family})"]
}

output "servers_in_trouble" {
  value = [for d in data.eset_devices.servers_in_trouble.devices : d.display_name]
}
