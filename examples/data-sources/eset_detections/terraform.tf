terraform {
  required_providers {
    eset = {
      source = "eset-community/eset"
    }
  }
}

# Region and credentials come from ESET_REGION, ESET_USERNAME and ESET_PASSWORD.
provider "eset" {}
