# Every group, with its path from the root: names repeat across the tree, paths do not.
data "eset_device_groups" "all" {}

# One subtree: All/Workstations and every group below it.
data "eset_device_groups" "workstations" {
  path_prefix = "All/Workstations"
}

output "paths" {
  value = sort([for g in data.eset_device_groups.all.groups : g.path])
}

output "workstation_group_uuids" {
  value = { for g in data.eset_device_groups.workstations.groups : g.path => g.uuid }
}
