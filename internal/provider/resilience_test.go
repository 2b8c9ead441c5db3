package provider

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// A read through 30% random transient failures (429 and 5xx) and slow queries answered 202 still returns
// every incident exactly once, in order.
func TestAccResilience_faultsAndSlowQueries(t *testing.T) {
	sim := startSimulator(t, simulator.Options{
		Incidents: simulator.Generate(21, 5000),
		Faults:    simulator.Faults{TransientRate: 0.3, RetryAfter: "0", SlowRate: 0.3, SlowReady: 300 * time.Millisecond},
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: sim.providerConfig("max_retries = 20") + `data "eset_incidents" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				expectIDs(sim.Incidents),
				statecheck.ExpectKnownValue(incidentsAddress, tfjsonpath.New("incidents").AtSliceIndex(4999), incidentCheck(&sim.Incidents[4999], false)),
			},
		}},
	})
	stats := sim.Stats()
	if stats.Status[202] == 0 || stats.Status[500]+stats.Status[502]+stats.Status[503]+stats.Status[504]+stats.Status[429] == 0 {
		t.Errorf("the simulator injected no faults (%v): the test proves nothing", stats.Status)
	}
	t.Logf("answers by status: %v", stats.Status)
}

// At the default pace of 10 calls per second, a read never meets the API's rate limit.
func TestAccResilience_rateLimit(t *testing.T) {
	sim := startSimulator(t, simulator.Options{
		Incidents: simulator.Generate(22, 300),
		Faults:    simulator.Faults{RateLimit: 10},
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			// 40 incidents with include_details: 41 calls per read, paced at 10 per second, 8 in flight at most.
			Config: sim.providerConfig("max_concurrency = 8") + `
data "eset_incidents" "test" {
  include_details = true
  max_results     = 40
}`,
			ConfigStateChecks: []statecheck.StateCheck{expectIDs(sim.Incidents[:40])},
		}},
	})
	if stats := sim.Stats(); stats.Status[429] != 0 {
		t.Errorf("the simulator answered %d calls with 429 (of %v)", stats.Status[429], stats.Status)
	}
}

// An access token that the API stops accepting after every two calls is renewed each time, and the read
// completes.
func TestAccResilience_expiringTokens(t *testing.T) {
	sim := startSimulator(t, simulator.Options{
		Incidents: simulator.Generate(23, 5500),
		Faults:    simulator.Faults{TokenCalls: 2},
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:            sim.providerConfig("") + `data "eset_incidents" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{expectIDs(sim.Incidents)},
		}},
	})
	if stats := sim.Stats(); stats.Status[401] == 0 {
		t.Errorf("no token expired (%v): the test proves nothing", stats.Status)
	}
}

func TestAccResilience_wrongPassword(t *testing.T) {
	sim := startSimulator(t, simulator.Options{Incidents: simulator.Generate(24, 3)})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      strings.Replace(sim.providerConfig(""), testPassword, "wrong-password", 1) + `data "eset_incidents" "test" {}`,
			ExpectError: regexp.MustCompile(`(?s)authentication failed: HTTP 400 Bad Request.*Invalid\s+user\s+credentials.*request-id:\s+[0-9a-f-]{36}.*Check\s+username\s+and\s+password`),
		}},
	})
}

// A read that outlives its timeouts block stops with an error that names the timeout and how to raise it.
func TestAccResilience_readTimeout(t *testing.T) {
	sim := startSimulator(t, simulator.Options{Incidents: simulator.Generate(25, 3), Faults: simulator.Faults{Latency: 5 * time.Second}})
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
	if elapsed := time.Since(start); elapsed > 4*time.Second {
		t.Errorf("the read took %s to stop after its 1s timeout", elapsed)
	}
}

// With TF_LOG=TRACE, neither the password nor any token the API issued appears in the CLI's and the
// provider's logs, or in state. The password comes from ESET_PASSWORD, as the docs advise: given in the
// configuration, it would appear in these logs only because terraform-plugin-testing logs the
// configuration files it writes.
func TestAccSecrets_notInLogsOrState(t *testing.T) {
	t.Setenv("ESET_PASSWORD", testPassword)
	logs := t.TempDir()
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH_MASK", filepath.Join(logs, "%s.log"))
	sim := startSimulator(t, simulator.Options{Incidents: simulator.Generate(26, 1500), Faults: simulator.Faults{TokenCalls: 1}})

	var state string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: withoutLinesContaining(sim.providerConfig(""), testPassword) + `data "eset_incidents" "test" {}`,
			Check: func(s *terraform.State) error {
				b, err := json.Marshal(s)
				state = string(b)
				return err
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(incidentsAddress, tfjsonpath.New("incidents"), knownvalue.ListSizeExact(1500)),
			},
		}},
	})

	entries, err := os.ReadDir(logs)
	if err != nil || len(entries) == 0 {
		t.Fatalf("no logs were written to %s (%v): the test proves nothing", logs, err)
	}
	var logText strings.Builder
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(logs, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		logText.Write(b)
	}
	text := logText.String()
	if !strings.Contains(text, "read a page of incidents") {
		t.Fatalf("the logs (%d bytes) lack the provider's page progress: the test proves nothing", len(text))
	}
	secrets := append([]string{testPassword}, sim.IssuedTokens()...)
	if len(secrets) < 3 {
		t.Fatalf("the simulator issued %d tokens: the test proves nothing", len(secrets)-1)
	}
	for _, secret := range secrets {
		if i := strings.Index(text, secret); i >= 0 {
			context := text[max(i-300, 0):min(i+len(secret)+100, len(text))]
			t.Errorf("a secret (%.12s…) appears in the TRACE logs: …%s…", secret, strings.ReplaceAll(context, secret, "<SECRET>"))
		}
		if strings.Contains(state, secret) {
			t.Errorf("a secret (%.12s…) appears in state", secret)
		}
	}
	t.Logf("scanned %d bytes of TRACE logs and %d bytes of state for %d secrets", len(text), len(state), len(secrets))
}

func withoutLinesContaining(text, substr string) string {
	var kept []string
	for _, line := range strings.Split(text, "\n") {
		if !strings.Contains(line, substr) {
			kept = append(kept, line)
		}
	}
	return strings.Join(kept, "\n")
}
