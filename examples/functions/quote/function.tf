# Any text, quotes and backslashes included, becomes one safe string literal of the filter language.
variable "name_contains" {
  type    = string
  default = "PowerShell \"-enc\""
}

data "eset_incidents" "by_name" {
  filter = "incident.display_name.contains(${provider::eset::quote(var.name_contains)})"
}

output "quoted" {
  value = provider::eset::quote(var.name_contains) # the text "PowerShell \"-enc\"", quotes included
}

output "filter" {
  value = data.eset_incidents.by_name.effective_filter
}
