package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

func TestAccIncidentDataSource(t *testing.T) {
	sim := startSimulator(t, simulator.Options{Incidents: simulator.Generate(11, 40)})
	inc := sim.Incidents[17]
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: sim.providerConfig("") + fmt.Sprintf(`
data "eset_incident" "test" {
  uuid = %q
}`, inc.UUID),
				// Every attribute of the incident, device and detection uuids included, at the top level.
				ConfigStateChecks: append(expectAttributes("data.eset_incident.test", incidentChecks(&inc, true)),
					statecheck.ExpectKnownValue("data.eset_incident.test", tfjsonpath.New("id"), knownvalue.StringExact(inc.UUID))),
			},
			{
				Config: sim.providerConfig("") + `
data "eset_incident" "test" {
  uuid = "00000000-0000-4000-8000-00000000dead"
}`,
				ExpectError: regexp.MustCompile(`(?s)ESET incident not found.*00000000-0000-4000-8000-00000000dead.*HTTP\s+404.*request-id:\s+[0-9a-f-]{36}`),
			},
		},
	})
}

func TestAccIncidentDataSource_emptyUUID(t *testing.T) {
	sim := startSimulator(t, simulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      sim.providerConfig("") + `data "eset_incident" "test" { uuid = "" }`,
			ExpectError: regexp.MustCompile(`(?s)uuid.*is not a uuid`),
		}},
	})
}

// expectAttributes checks top-level attributes of a data source.
func expectAttributes(address string, checks map[string]knownvalue.Check) []statecheck.StateCheck {
	var out []statecheck.StateCheck
	for name, check := range checks {
		out = append(out, statecheck.ExpectKnownValue(address, tfjsonpath.New(name), check))
	}
	return out
}
