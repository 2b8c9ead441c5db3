variable "customers" {
  description = "The customers' ESET Connect API users by customer name. The endpoints are for a proxy or the simulator; null uses the region's."
  type = map(object({
    region                       = string
    username                     = string
    iam_endpoint                 = optional(string)
    incident_management_endpoint = optional(string)
  }))
  # Empty by default so that `tofu validate`, which needs the for_each of customers.tofu statically, runs
  # without a variables file; the outputs refuse an empty list at plan time.
  default = {}
}

variable "customer_passwords" {
  description = "The API users' passwords by customer name, best set with the TF_VAR_customer_passwords environment variable."
  type        = map(string)
  sensitive   = true
}
