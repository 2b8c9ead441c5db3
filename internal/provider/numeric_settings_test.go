package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// Numbers out of range, NaN and the infinities are refused for every numeric setting, from the
// configuration and from ESET_* variables, with the range written as people write it, before any call.
// The environment cases change the process environment, so they do not run in parallel.
func TestAccProvider_numericSettings(t *testing.T) {
	sim := startSimulator(t, simulator.Options{Incidents: simulator.Generate(62, 3)})
	t.Cleanup(func() {
		if st := sim.Stats(); st.TokenCalls+st.ListCalls != 0 {
			t.Errorf("plan-time errors made %d token and %d list calls, want none", st.TokenCalls, st.ListCalls)
		}
	})
	for _, tc := range []struct{ env, value, want string }{
		{"ESET_REQUESTS_PER_SECOND", "NaN", `(?s)ESET_REQUESTS_PER_SECOND is "NaN".*between\s+0.1\s+and\s+1000\.`},
		{"ESET_REQUESTS_PER_SECOND", "+Inf", `(?s)ESET_REQUESTS_PER_SECOND is "\+Inf"`},
		{"ESET_REQUESTS_PER_SECOND", "-Inf", `(?s)ESET_REQUESTS_PER_SECOND is "-Inf"`},
		{"ESET_MAX_RETRIES", "NaN", `(?s)ESET_MAX_RETRIES is "NaN".*whole\s+number\s+between\s+0\s+and\s+50`},
		{"ESET_MAX_CONCURRENCY", "Inf", `(?s)ESET_MAX_CONCURRENCY is "Inf".*whole\s+number\s+between\s+1\s+and\s+64`},
		{"ESET_MAX_CONCURRENCY", "2.5", `(?s)ESET_MAX_CONCURRENCY is "2.5"`},
	} {
		t.Run(tc.env+"="+tc.value, func(t *testing.T) {
			t.Setenv(tc.env, tc.value)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      sim.providerConfig("") + `data "eset_incidents" "test" {}`,
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
	for name, tc := range map[string]struct{ setting, want string }{
		"rate too low":         {`requests_per_second = 0.01`, `(?s)requests_per_second is 0.01: set it to a number\s+between 0.1 and 1000\.`},
		"retries too many":     {`max_retries = 51`, `(?s)max_retries is 51: set it to a whole\s+number between 0 and 50`},
		"concurrency 0":        {`max_concurrency = 0`, `(?s)max_concurrency is 0: set it to a whole\s+number between 1 and 64`},
		"endpoint credentials": {`iam_endpoint = "https://user:hunter2@eu.business-account.iam.eset.systems"`, `(?s)iam_endpoint.*user\s+name\s+or\s+password`},
		"endpoint query":       {`incident_management_endpoint = "https://eu.incident-management.eset.systems?tenant=1"`, `(?s)incident_management_endpoint.*query or a\s+fragment`},
		"endpoint fragment":    {`incident_management_endpoint = "https://eu.incident-management.eset.systems#x"`, `(?s)incident_management_endpoint.*query or a\s+fragment`},
	} {
		t.Run(name, func(t *testing.T) {
			config := `
provider "eset" {
  region   = "eu"
  username = "u"
  password = "p"
  ` + tc.setting + `
}
data "eset_incidents" "test" {}`
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      config,
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.want),
					// The refused endpoint's password must not be shown back.
				}},
			})
		})
	}
}
