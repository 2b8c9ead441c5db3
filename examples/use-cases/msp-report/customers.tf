# Terraform cannot make provider configurations with for_each, so this file holds ten slots, each an aliased
# provider block and a data source, and the customers of var.customers fill them in name order. A slot
# without a customer reads nothing (count = 0); Terraform configures its provider block all the same, so it
# gets placeholders, never sent. A customer may move to another slot when customers come and go, which is
# harmless: data sources are read afresh on every plan. For more than ten customers, copy the last slot
# with the next number, add it to local.slot_incidents and count it in local.slot_customers. OpenTofu reads
# customers.tofu instead of this file.

locals {
  # The customer of each slot, null for none; as many as there are slots below.
  slot_customers = [for i in range(10) : try(sort(keys(var.customers))[i], null)]
  # The settings of each slot's provider block.
  slots = [for name in local.slot_customers : name == null ? local.unused_slot : var.customers[name]]
  unused_slot = {
    region                       = "eu"
    username                     = "unused-slot"
    iam_endpoint                 = null
    incident_management_endpoint = null
  }
}

provider "eset" {
  alias                        = "slot0"
  region                       = local.slots[0].region
  username                     = local.slots[0].username
  password                     = local.slot_customers[0] == null ? "unused-slot" : var.customer_passwords[local.slot_customers[0]]
  iam_endpoint                 = local.slots[0].iam_endpoint
  incident_management_endpoint = local.slots[0].incident_management_endpoint
}

data "eset_incidents" "slot0" {
  count    = local.slot_customers[0] == null ? 0 : 1
  provider = eset.slot0
  statuses = local.open_statuses
}

provider "eset" {
  alias                        = "slot1"
  region                       = local.slots[1].region
  username                     = local.slots[1].username
  password                     = local.slot_customers[1] == null ? "unused-slot" : var.customer_passwords[local.slot_customers[1]]
  iam_endpoint                 = local.slots[1].iam_endpoint
  incident_management_endpoint = local.slots[1].incident_management_endpoint
}

data "eset_incidents" "slot1" {
  count    = local.slot_customers[1] == null ? 0 : 1
  provider = eset.slot1
  statuses = local.open_statuses
}

provider "eset" {
  alias                        = "slot2"
  region                       = local.slots[2].region
  username                     = local.slots[2].username
  password                     = local.slot_customers[2] == null ? "unused-slot" : var.customer_passwords[local.slot_customers[2]]
  iam_endpoint                 = local.slots[2].iam_endpoint
  incident_management_endpoint = local.slots[2].incident_management_endpoint
}

data "eset_incidents" "slot2" {
  count    = local.slot_customers[2] == null ? 0 : 1
  provider = eset.slot2
  statuses = local.open_statuses
}

provider "eset" {
  alias                        = "slot3"
  region                       = local.slots[3].region
  username                     = local.slots[3].username
  password                     = local.slot_customers[3] == null ? "unused-slot" : var.customer_passwords[local.slot_customers[3]]
  iam_endpoint                 = local.slots[3].iam_endpoint
  incident_management_endpoint = local.slots[3].incident_management_endpoint
}

data "eset_incidents" "slot3" {
  count    = local.slot_customers[3] == null ? 0 : 1
  provider = eset.slot3
  statuses = local.open_statuses
}

provider "eset" {
  alias                        = "slot4"
  region                       = local.slots[4].region
  username                     = local.slots[4].username
  password                     = local.slot_customers[4] == null ? "unused-slot" : var.customer_passwords[local.slot_customers[4]]
  iam_endpoint                 = local.slots[4].iam_endpoint
  incident_management_endpoint = local.slots[4].incident_management_endpoint
}

data "eset_incidents" "slot4" {
  count    = local.slot_customers[4] == null ? 0 : 1
  provider = eset.slot4
  statuses = local.open_statuses
}

provider "eset" {
  alias                        = "slot5"
  region                       = local.slots[5].region
  username                     = local.slots[5].username
  password                     = local.slot_customers[5] == null ? "unused-slot" : var.customer_passwords[local.slot_customers[5]]
  iam_endpoint                 = local.slots[5].iam_endpoint
  incident_management_endpoint = local.slots[5].incident_management_endpoint
}

data "eset_incidents" "slot5" {
  count    = local.slot_customers[5] == null ? 0 : 1
  provider = eset.slot5
  statuses = local.open_statuses
}

provider "eset" {
  alias                        = "slot6"
  region                       = local.slots[6].region
  username                     = local.slots[6].username
  password                     = local.slot_customers[6] == null ? "unused-slot" : var.customer_passwords[local.slot_customers[6]]
  iam_endpoint                 = local.slots[6].iam_endpoint
  incident_management_endpoint = local.slots[6].incident_management_endpoint
}

data "eset_incidents" "slot6" {
  count    = local.slot_customers[6] == null ? 0 : 1
  provider = eset.slot6
  statuses = local.open_statuses
}

provider "eset" {
  alias                        = "slot7"
  region                       = local.slots[7].region
  username                     = local.slots[7].username
  password                     = local.slot_customers[7] == null ? "unused-slot" : var.customer_passwords[local.slot_customers[7]]
  iam_endpoint                 = local.slots[7].iam_endpoint
  incident_management_endpoint = local.slots[7].incident_management_endpoint
}

data "eset_incidents" "slot7" {
  count    = local.slot_customers[7] == null ? 0 : 1
  provider = eset.slot7
  statuses = local.open_statuses
}

provider "eset" {
  alias                        = "slot8"
  region                       = local.slots[8].region
  username                     = local.slots[8].username
  password                     = local.slot_customers[8] == null ? "unused-slot" : var.customer_passwords[local.slot_customers[8]]
  iam_endpoint                 = local.slots[8].iam_endpoint
  incident_management_endpoint = local.slots[8].incident_management_endpoint
}

data "eset_incidents" "slot8" {
  count    = local.slot_customers[8] == null ? 0 : 1
  provider = eset.slot8
  statuses = local.open_statuses
}

provider "eset" {
  alias                        = "slot9"
  region                       = local.slots[9].region
  username                     = local.slots[9].username
  password                     = local.slot_customers[9] == null ? "unused-slot" : var.customer_passwords[local.slot_customers[9]]
  iam_endpoint                 = local.slots[9].iam_endpoint
  incident_management_endpoint = local.slots[9].incident_management_endpoint
}

data "eset_incidents" "slot9" {
  count    = local.slot_customers[9] == null ? 0 : 1
  provider = eset.slot9
  statuses = local.open_statuses
}

locals {
  slot_incidents = [
    data.eset_incidents.slot0, data.eset_incidents.slot1, data.eset_incidents.slot2, data.eset_incidents.slot3,
    data.eset_incidents.slot4, data.eset_incidents.slot5, data.eset_incidents.slot6, data.eset_incidents.slot7,
    data.eset_incidents.slot8, data.eset_incidents.slot9,
  ]
  open_incidents = { for i, name in local.slot_customers : name => local.slot_incidents[i][0].incidents if name != null }
}
