package provider

import (
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// include_details fills device and detection uuids from one detail call per incident, keeps the list's
// order, and never has more calls in flight than max_concurrency.
func TestAccIncidentsDataSource_includeDetails(t *testing.T) {
	sim := startSimulator(t, simulator.Options{
		Incidents: simulator.Generate(31, 60),
		Faults:    simulator.Faults{Latency: 30 * time.Millisecond},
	})
	want := matching(t, sim.Incidents, "", "create_time desc")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: sim.providerConfig("max_concurrency = 3\n  requests_per_second = 200") + `
data "eset_incidents" "test" {
  order_by        = "create_time desc"
  include_details = true
}`,
			ConfigStateChecks: []statecheck.StateCheck{expectIncidents(want, true), expectIDs(want)},
		}},
	})
	stats := sim.Stats()
	if stats.MaxInFlight > 3 {
		t.Errorf("%d calls were in flight at once, more than max_concurrency = 3", stats.MaxInFlight)
	}
	if stats.MaxInFlight < 2 {
		t.Errorf("at most %d call was in flight: details were not read concurrently", stats.MaxInFlight)
	}
	if stats.GetCalls%60 != 0 || stats.GetCalls == 0 {
		t.Errorf("%d detail calls, want a multiple of 60 (one per incident per read)", stats.GetCalls)
	}
}

// One detail that cannot be read fails the whole read rather than leave a gap.
func TestAccIncidentsDataSource_includeDetailsFailure(t *testing.T) {
	incidents := simulator.Generate(32, 25)
	broken := incidents[13].UUID
	sim := startSimulator(t, simulator.Options{Incidents: incidents, Faults: simulator.Faults{FailUUIDs: map[string]int{broken: 403}}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: sim.providerConfig("") + `
data "eset_incidents" "test" {
  include_details = true
}`,
			ExpectError: regexp.MustCompile(`(?s)get incident\s+"` + broken + `":\s+HTTP\s+403.*request-id.*Access\s+denied`),
		}},
	})
}
