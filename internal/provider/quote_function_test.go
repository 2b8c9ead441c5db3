package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// TestAccQuoteFunction puts a hostile display name into a filter with provider::eset::quote: the filter
// matches exactly the incident with that name, and the name cannot break out of its literal.
func TestAccQuoteFunction(t *testing.T) {
	hostile := `evil") || true || ("` + "\\\n\t☃"
	sim := startSimulator(t, simulator.Options{Incidents: []esetapi.Incident{
		{UUID: "5c0e2c2a-0000-4000-8000-0000000000a1", CreateTime: "2026-01-01T00:00:00Z", DisplayName: "benign"},
		{UUID: "5c0e2c2a-0000-4000-8000-0000000000a2", CreateTime: "2026-01-01T00:00:01Z", DisplayName: "prefix " + hostile + " suffix"},
	}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		// No version check: every CLI the project supports has provider-defined functions (Terraform 1.8,
		// OpenTofu 1.7), and a SkipBelow(1.8.0) would quietly skip OpenTofu 1.7.
		Steps: []resource.TestStep{{
			Config: sim.providerConfig("") + `
variable "name" {
  type    = string
  default = "evil\") || true || (\"\\\n\t☃"
}
data "eset_incidents" "test" {
  filter = "incident.display_name.contains(${provider::eset::quote(var.name)})"
}
output "quoted" {
  value = provider::eset::quote("say \"hi\"")
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				expectIDs(sim.Incidents[1:]),
				statecheck.ExpectKnownOutputValue("quoted", knownvalue.StringExact(`"say \"hi\""`)),
			},
		}},
	})
}
