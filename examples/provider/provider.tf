terraform {
  required_providers {
    eset = {
      source  = "eset-community/eset"
      version = "~> 0.1"
    }
  }
}

# The region of the customer's ESET PROTECT server. The credentials of an ESET Connect API user come from
# the ESET_USERNAME and ESET_PASSWORD environment variables, so that they stay out of configuration files.
provider "eset" {
  region = "eu"

  # Optional tuning; these are the defaults.
  requests_per_second = 10
  max_retries         = 8
  max_concurrency     = 8
}

# Every open high-severity incident of the account.
data "eset_incidents" "open_high" {
  statuses   = ["INCIDENT_STATUS_OPEN", "INCIDENT_STATUS_IN_PROGRESS"]
  severities = ["INCIDENT_SEVERITY_LEVEL_HIGH"]
}

output "open_high_incidents" {
  value = length(data.eset_incidents.open_high.incidents)
}
