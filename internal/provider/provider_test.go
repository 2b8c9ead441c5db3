package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// The provider reads its settings from the environment when the configuration leaves them out, and the
// configuration wins when both are set. These tests change the process environment, so they do not run
// in parallel.
func TestAccProvider_environment(t *testing.T) {
	sim := startSimulator(t, simulator.Options{Incidents: simulator.Generate(3, 5)})
	t.Setenv("ESET_REGION", "eu")
	t.Setenv("ESET_USERNAME", testUsername)
	t.Setenv("ESET_PASSWORD", testPassword)
	t.Setenv("ESET_IAM_ENDPOINT", sim.URL)
	t.Setenv("ESET_INCIDENT_MANAGEMENT_ENDPOINT", sim.URL)
	t.Setenv("ESET_DEVICE_MANAGEMENT_ENDPOINT", sim.URL)
	t.Setenv("ESET_REQUESTS_PER_SECOND", "20")
	t.Setenv("ESET_MAX_RETRIES", "2")
	t.Setenv("ESET_MAX_CONCURRENCY", "2")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: `
provider "eset" {}
data "eset_incidents" "test" {}
data "eset_devices" "test" {}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(incidentsAddress, tfjsonpath.New("incidents"), knownvalue.ListSizeExact(5)),
					// Only the simulator answers the device API without a network: the variable was used.
					statecheck.ExpectKnownValue(devicesAddress, tfjsonpath.New("devices"), knownvalue.ListSizeExact(0)),
				},
			},
			{
				// Configuration wins over the environment: a wrong password in config fails although
				// ESET_PASSWORD is right.
				Config: `
provider "eset" {
  password = "not-the-password"
}
data "eset_incidents" "test" {}`,
				ExpectError: regexp.MustCompile(`(?s)authentication failed: HTTP 400.*Invalid\s+user\s+credentials.*request-id`),
			},
		},
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
provider "eset" {
  region = "mars"
}
data "eset_incidents" "test" {}`,
			ExpectError: regexp.MustCompile(`(?s)region.*value must be one of:.*"eu".*"de".*"us".*"ca".*"jpn"`),
		}},
	})

	t.Setenv("ESET_REGION", "moon")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      `data "eset_incidents" "test" {}`,
			ExpectError: regexp.MustCompile(`(?s)Invalid ESET region.*"moon".*ESET_REGION.*eu, de, us, ca, jpn`),
		}},
	})

	t.Setenv("ESET_REGION", "")
	t.Setenv("ESET_PASSWORD", "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      `data "eset_incidents" "test" {}`,
			ExpectError: regexp.MustCompile(`(?s)Missing ESET provider configuration.*region \(or the ESET_REGION.*password \(or the\s+ESET_PASSWORD`),
		}},
	})
}

func TestAccProvider_refusesClearTextEndpoints(t *testing.T) {
	for name, tc := range map[string]struct{ attribute, endpoint, want string }{
		"remote http":        {"incident_management_endpoint", "http://eu.incident-management.eset.systems", `(?s)incident_management_endpoint.*clear text.*use https`},
		"not a URL":          {"incident_management_endpoint", "eu.incident-management.eset.systems", `(?s)incident_management_endpoint.*absolute URL`},
		"other scheme":       {"incident_management_endpoint", "ftp://127.0.0.1", `(?s)incident_management_endpoint.*scheme "ftp": use https`},
		"loopback is fine":   {"incident_management_endpoint", "http://[::1]:1", `(?s)get a token: cannot reach 127.0.0.1:1: the connection was\s+refused.*region`},
		"device remote http": {"device_management_endpoint", "http://eu.device-management.eset.systems", `(?s)device_management_endpoint.*clear text.*use https`},
		"device not a URL":   {"device_management_endpoint", "eu.device-management.eset.systems", `(?s)device_management_endpoint.*absolute URL`},
	} {
		t.Run(name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: fmt.Sprintf(`
provider "eset" {
  region       = "eu"
  username     = "u"
  password     = "p"
  iam_endpoint = "http://127.0.0.1:1"
  %s = %q
  max_retries  = 0
}
data "eset_incidents" "test" {}`, tc.attribute, tc.endpoint),
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
}

// A read through 30% random transient failures (429 and 5xx) and half its queries answered 202 still
// returns every incident exactly once, in order. (At 30% slow queries, one run in a few hundred drew none,
// and the test, rightly, refused to prove nothing.)
func TestAccResilience_faultsAndSlowQueries(t *testing.T) {
	sim := startSimulator(t, simulator.Options{
		Incidents: simulator.Generate(21, 5000),
		Faults:    simulator.Faults{TransientRate: 0.3, RetryAfter: "0", SlowRate: 0.5, SlowReady: 300 * time.Millisecond},
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

// At the default pace of 10 calls per second, a read never meets the API's rate limit: it never sends 11
// calls within a second.
func TestAccResilience_rateLimit(t *testing.T) {
	sim := startSimulator(t, simulator.Options{
		Incidents: simulator.Generate(22, 300),
		Faults:    simulator.Faults{RateLimit: 10},
	})
	sim.recordSends()
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
	sim.checkAPILimit(t, 41)
}

// Two provider configurations of one account, which Terraform serves from two processes, read at once at
// the default pace without meeting the API's limit (11 calls sent within a second): they count each
// other's calls through the pace ledger, as the commands of a test step (plan, apply, plan again) count
// the calls of the one before. The harness serves the second configuration from a second provider, eset2
// (testAccTwoProvidersFactories). Both read the same incidents with details, the first's checked and
// counted here by hand.
func TestAccResilience_rateLimitShared(t *testing.T) {
	sim := startSimulator(t, simulator.Options{
		Incidents: simulator.Generate(25, 300),
		Faults:    simulator.Faults{RateLimit: 10},
	})
	sim.recordSends()
	// 20 incidents with include_details: 21 calls per read, two reads at once in each command.
	read := `
data "eset_incidents" %q {
  provider        = %s
  include_details = true
  max_results     = 20
}`
	const other = "data.eset_incidents.other"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccTwoProvidersFactories,
		Steps: []resource.TestStep{{
			Config: sim.providerConfig("") + sim.namedProviderConfig("eset2", "") +
				fmt.Sprintf(read, "test", "eset") + fmt.Sprintf(read, "other", "eset2"),
			ConfigStateChecks: []statecheck.StateCheck{
				expectIncidents(sim.Incidents[:20], true),
				expectSummary(t, sim.Incidents[:20]),
				statecheck.CompareValuePairs(incidentsAddress, tfjsonpath.New("incidents"), other, tfjsonpath.New("incidents"), compare.ValuesSame()),
				statecheck.CompareValuePairs(incidentsAddress, tfjsonpath.New("summary"), other, tfjsonpath.New("summary"), compare.ValuesSame()),
			},
		}},
	})
	sim.checkAPILimit(t, 42)
	stats := sim.Stats()
	// Each provider signs in once and lists once per command: one token per list call, unless the two
	// configurations were served by one provider.
	if stats.TokenCalls != stats.ListCalls {
		t.Errorf("%d token calls for %d list calls: the two configurations shared a provider", stats.TokenCalls, stats.ListCalls)
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

// TestResolvePaceLedger: the pace ledger is on unless the configuration or ESET_PACE_LEDGER turns it off;
// the configuration wins; a word that is no truth value is an error naming the variable. Off, the client
// gets no pace directory. It changes the process environment, so it does not run in parallel.
func TestResolvePaceLedger(t *testing.T) {
	for _, tc := range []struct {
		configured types.Bool
		env        string
		on, err    bool
	}{
		{types.BoolNull(), "", true, false},
		{types.BoolNull(), "0", false, false},
		{types.BoolNull(), "false", false, false},
		{types.BoolNull(), "1", true, false},
		{types.BoolNull(), "off", true, true},
		{types.BoolValue(false), "1", false, false},
		{types.BoolValue(true), "0", true, false},
	} {
		t.Setenv("ESET_PACE_LEDGER", tc.env)
		var diags diag.Diagnostics
		on := resolvePaceLedger(tc.configured, &diags)
		if on != tc.on || diags.HasError() != tc.err {
			t.Errorf("%v with ESET_PACE_LEDGER=%q: on %v, %v; want on %v, an error %v", tc.configured, tc.env, on, diags, tc.on, tc.err)
		}
		if tc.err && !strings.Contains(fmt.Sprint(diags), "ESET_PACE_LEDGER") {
			t.Errorf("%v: the error does not name the variable", diags)
		}
	}
	if dir := paceDir(context.Background(), false); dir != "" {
		t.Errorf("the ledger off: pace directory %q, want none", dir)
	}
}
