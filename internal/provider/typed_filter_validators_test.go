package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// planError is a configuration that must fail at plan time with an error matching want.
type planError struct{ config, want string }

// expectPlanErrors plans each configuration (after the simulator's provider block) through the CLI and
// checks that it fails with its error, before any call reaches the simulator.
func expectPlanErrors(t *testing.T, cases map[string]planError) {
	t.Helper()
	sim := startSimulator(t, simulator.Options{Incidents: simulator.Generate(61, 5)})
	t.Cleanup(func() {
		if st := sim.Stats(); st.TokenCalls+st.ListCalls+st.GetCalls != 0 {
			t.Errorf("plan-time errors made %d token, %d list and %d get calls, want none", st.TokenCalls, st.ListCalls, st.GetCalls)
		}
	})
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      sim.providerConfig("") + tc.config,
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
}

// Typed filters and the incident's uuid are checked at plan time, with the typed filter's own helpful
// message, and null elements are refused rather than fail the read.
func TestAccTypedFilters_planTimeErrors(t *testing.T) {
	list := func(args string) string { return "data \"eset_incidents\" \"test\" {\n  " + args + "\n}" }
	expectPlanErrors(t, map[string]planError{
		"null status":         {list(`statuses = [null]`), `(?s)statuses.*element 0 is null`},
		"null severity":       {list(`severities = ["INCIDENT_SEVERITY_LEVEL_HIGH", null]`), `(?s)severities.*element 1 is null`},
		"null tag":            {list(`tags_any = [null]`), `(?s)tags_any.*element 0 is null`},
		"empty tag":           {list(`tags_any = ["vip", ""]`), `(?s)tags_any: a tag is empty`},
		"status alias":        {list(`statuses = ["INCIDENT_STATUS_NEW"]`), "(?s)statuses.*did\\s+you\\s+mean\\s+`INCIDENT_STATUS_OPEN`"},
		"severity typo":       {list(`severities = ["INCIDENT_SEVERITY_LEVEL_HIHG"]`), "(?s)severities.*did\\s+you\\s+mean\\s+`INCIDENT_SEVERITY_LEVEL_HIGH`"},
		"date only":           {list(`created_after = "2026-10-30"`), `(?s)created_after.*did\s+you\s+mean\s+"2026-10-30T00:00:00Z"`},
		"before, no zone":     {list(`created_before = "2026-10-30T10:00:00"`), `(?s)created_before.*did\s+you\s+mean\s+"2026-10-30T10:00:00Z"`},
		"device not a uuid":   {list(`device_uuid = "web-01"`), `(?s)device_uuid.*"web-01" is not a uuid`},
		"assignee not a uuid": {list(`assignee_uuid = "alice"`), `(?s)assignee_uuid.*"alice" is not a uuid`},
		"max_results wraps":   {list(`max_results = 4294967297`), `(?s)max_results.*between 1 and 10000000`},
		"incident path":       {`data "eset_incident" "test" { uuid = "../../v2/incidents" }`, `(?s)uuid.*is not a uuid`},
		"incident slash":      {`data "eset_incident" "test" { uuid = "00000000-0000-4000-8000-000000000001/x" }`, `(?s)uuid.*is not a uuid`},
	})
}
