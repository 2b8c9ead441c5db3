package provider

import (
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// A read that outlives its timeouts block stops with an error that names the timeout and how to raise it.
// Every answer comes a minute late: a read that waited for one would fail the expected error. The whole
// run, the CLI's plan included, is bounded at half that minute: seconds on a loaded machine for a read that
// stopped at its 1 s deadline, while one that stopped only well after it shows.
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
	if elapsed := time.Since(start); elapsed > latency/2 {
		t.Errorf("the run took %s: the read did not stop at its 1s timeout", elapsed)
	}
}
