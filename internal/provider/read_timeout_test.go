package provider

import (
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// A read that outlives its timeouts block stops with an error that names the timeout and how to raise it.
// Every answer comes a minute late, so a run that ends sooner proves the read stopped at its deadline
// rather than after an answer, with room for the CLI on a loaded machine (no tight wall-clock bound).
func TestAccResilience_readTimeout(t *testing.T) {
	const latency = time.Minute
	sim := startSimulator(t, simulator.Options{Incidents: simulator.Generate(25, 3), Faults: simulator.Faults{Latency: latency}})
	start := time.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: sim.providerConfig("") + `
data "eset_incidents" "test" {
  timeouts {
    read = "1s"
  }
}`,
			ExpectError: regexp.MustCompile(`(?s)context deadline exceeded.*read\s+timeout\s+of\s+1s.*timeouts\s+\{\s+read`),
		}},
	})
	if elapsed := time.Since(start); elapsed >= latency {
		t.Errorf("the read took %s: it waited for an answer (%s late) rather than stop at its 1s timeout", elapsed, latency)
	}
}
