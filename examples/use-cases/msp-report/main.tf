# Managed-service provider report: the open incidents of every customer's ESET account, read in one run
# with one provider configuration per account, each with its own credentials and its own pace.
#
# customers.tf (Terraform) and customers.tofu (OpenTofu) hold the provider configurations and the data
# sources: Terraform needs a provider block per customer (aliases, in slots that the customers fill);
# OpenTofu, which reads customers.tofu instead of customers.tf, makes them with for_each from var.customers.
# Both set local.open_incidents, the open incidents by customer name, which this file summarises.
terraform {
  required_providers {
    eset = {
      source = "eset-community/eset"
    }
  }
}

locals {
  open_statuses = ["INCIDENT_STATUS_OPEN", "INCIDENT_STATUS_IN_PROGRESS", "INCIDENT_STATUS_WAITING_FOR_INPUT"]
  severities    = ["INCIDENT_SEVERITY_LEVEL_HIGH", "INCIDENT_SEVERITY_LEVEL_MEDIUM", "INCIDENT_SEVERITY_LEVEL_LOW"]

  by_customer = {
    for name, incidents in local.open_incidents : name => {
      open        = length(incidents)
      by_severity = { for s in local.severities : s => length([for i in incidents : i if i.severity == s]) }
      unassigned  = length([for i in incidents : i if i.assignee_uuid == null])
      oldest_open = length(incidents) > 0 ? sort([for i in incidents : i.create_time])[0] : null
    }
  }
}

output "customers" {
  description = "Per customer: incidents not closed, by severity, unassigned, and the oldest one's creation time."
  value       = local.by_customer

  precondition {
    condition     = length(local.by_customer) > 0
    error_message = "No customer to report on: list them in var.customers, e.g. with -var-file=customers.tfvars (see README.md)."
  }

  # With Terraform, customers.tf has a fixed number of slots: a customer beyond them would be left out of
  # the report without a word.
  precondition {
    condition     = sort(keys(var.customers)) == sort(keys(local.open_incidents))
    error_message = "var.customers lists ${length(var.customers)} customers but the report reads ${length(local.open_incidents)}, leaving out [${join(", ", setsubtract(keys(var.customers), keys(local.open_incidents)))}]: with Terraform, customers.tf has a slot (a provider block and a data source) for each customer; add a slot for each customer more (see the header of customers.tf)."
  }
}

output "open_high" {
  description = "Open high-severity incidents of all customers together."
  value       = sum([for c in local.by_customer : c.by_severity["INCIDENT_SEVERITY_LEVEL_HIGH"]])
}

output "needs_attention" {
  description = "The customers with open high-severity incidents, and how many."
  value = {
    for name, c in local.by_customer : name => c.by_severity["INCIDENT_SEVERITY_LEVEL_HIGH"]
    if c.by_severity["INCIDENT_SEVERITY_LEVEL_HIGH"] > 0
  }
}
