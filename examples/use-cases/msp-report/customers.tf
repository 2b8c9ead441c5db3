# Terraform: one aliased provider configuration and one data source per customer (Terraform cannot make
# provider configurations with for_each). To add a customer, add it to var.customers and
# var.customer_passwords, copy a provider block and a data source, and list the data source in
# local.open_incidents. OpenTofu reads customers.tofu instead of this file.

provider "eset" {
  alias                        = "acme"
  region                       = var.customers["acme"].region
  username                     = var.customers["acme"].username
  password                     = var.customer_passwords["acme"]
  iam_endpoint                 = var.customers["acme"].iam_endpoint
  incident_management_endpoint = var.customers["acme"].incident_management_endpoint
}

data "eset_incidents" "acme" {
  provider = eset.acme
  statuses = local.open_statuses
}

provider "eset" {
  alias                        = "globex"
  region                       = var.customers["globex"].region
  username                     = var.customers["globex"].username
  password                     = var.customer_passwords["globex"]
  iam_endpoint                 = var.customers["globex"].iam_endpoint
  incident_management_endpoint = var.customers["globex"].incident_management_endpoint
}

data "eset_incidents" "globex" {
  provider = eset.globex
  statuses = local.open_statuses
}

provider "eset" {
  alias                        = "initech"
  region                       = var.customers["initech"].region
  username                     = var.customers["initech"].username
  password                     = var.customer_passwords["initech"]
  iam_endpoint                 = var.customers["initech"].iam_endpoint
  incident_management_endpoint = var.customers["initech"].incident_management_endpoint
}

data "eset_incidents" "initech" {
  provider = eset.initech
  statuses = local.open_statuses
}

locals {
  open_incidents = {
    acme    = data.eset_incidents.acme.incidents
    globex  = data.eset_incidents.globex.incidents
    initech = data.eset_incidents.initech.incidents
  }
}
