package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/query"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// The typed filters compile into effective_filter, joined with filter by &&, and select what that
// filter selects.
func TestAccIncidentsDataSource_typedFilters(t *testing.T) {
	// The data must end on a fixed day for the fixed window below to select some of it.
	end := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	sim := startSimulator(t, simulator.Options{Incidents: simulator.GenerateWorld(simulator.WorldSpec{Seed: 41, Incidents: 800, End: end}).Incidents})
	criteria := query.Criteria{
		Statuses:      []string{"INCIDENT_STATUS_OPEN", "INCIDENT_STATUS_IN_PROGRESS"},
		Severities:    []string{"INCIDENT_SEVERITY_LEVEL_HIGH"},
		CreatedAfter:  "2026-10-01T00:00:00Z",
		CreatedBefore: "2026-11-01T00:00:00Z",
		TagsAny:       []string{"vip", "mdr"},
	}
	typed, err := criteria.Expression(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	raw := `incident.display_name.contains("on")`
	want := matching(t, sim.Incidents, query.And(typed, raw), "")
	if len(want) == 0 {
		t.Fatal("the filter matches nothing in the data set: the test proves nothing")
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: sim.providerConfig("") + fmt.Sprintf(`
data "eset_incidents" "test" {
  statuses       = ["INCIDENT_STATUS_OPEN", "INCIDENT_STATUS_IN_PROGRESS"]
  severities     = ["INCIDENT_SEVERITY_LEVEL_HIGH"]
  created_after  = "2026-10-01T00:00:00Z"
  created_before = "2026-11-01T00:00:00Z"
  tags_any       = ["vip", "mdr"]
  filter         = %q
}`, raw),
			ConfigStateChecks: []statecheck.StateCheck{
				expectIDs(want),
				statecheck.ExpectKnownValue(incidentsAddress, tfjsonpath.New("effective_filter"), knownvalue.StringExact(query.And(typed, raw))),
			},
		}},
	})
}

// Invalid arguments, filter mistakes among them, fail at plan time, before any call to the API.
func TestAccIncidentsDataSource_invalidArguments(t *testing.T) {
	sim := startSimulator(t, simulator.Options{Incidents: simulator.Generate(42, 10)})
	t.Cleanup(func() {
		if stats := sim.Stats(); stats.ListCalls+stats.TokenCalls != 0 {
			t.Errorf("plan-time errors made %d list and %d token calls, want none", stats.ListCalls, stats.TokenCalls)
		}
	})
	for name, tc := range map[string]struct{ args, want string }{
		"max_results below 1":                     {`max_results = 0`, `(?s)max_results.*between 1 and 10000000`},
		"unknown status":                          {`statuses = ["OPEN"]`, `(?s)statuses.*INCIDENT_STATUS_OPEN`},
		"created_after":                           {`created_after = "yesterday"`, `(?s)created_after.*RFC 3339`},
		"order_by field":                          {`order_by = "priority desc"`, `(?s)order_by.*display_name`},
		"filter syntax":                           {`filter = "incident.status == "`, `(?s)filter.*line 1`},
		"operator on status":                      {`filter = "incident.status != INCIDENT_STATUS_CLOSED"`, `(?s)filter.*status.*==.*in`},
		"bad timestamp":                           {`filter = "incident.create_time >= timestamp(\"2025-04-18T23:59:+00:00\")"`, `(?s)filter.*2025-04-18T23:59:\+00:00`},
		"bad duration":                            {`filter = "incident.create_time <= timestamp(\"2025-10-01T12:30:00Z\") - duration('10 minutes')"`, `(?s)filter.*10 minutes`},
		"syntax, second line":                     {"filter = <<-EOT\n    incident.severity == INCIDENT_SEVERITY_LEVEL_HIGH &&\n    incident.display_name.contains(\"x\"\n  EOT", `(?s)filter.*line 2`},
		"order_by direction":                      {`order_by = "create_time descending"`, `(?s)order_by.*desc`},
		"helpers conflict":                        {"unassigned = true\n  assignee_uuid = \"u\"", `(?s)unassigned.*assignee_uuid`},
		"created_within":                          {`created_within = "soon"`, `(?s)created_within.*soon`},
		"list_plan value":                         {`list_plan = "lookup"`, `(?s)Invalid list_plan.*device_groups, details, listing`},
		"list_plan details without devices":       {`list_plan = "details"`, `(?s)list_plan needs devices.*Set device_uuids or device_uuid`},
		"list_plan device_groups without devices": {`list_plan = "device_groups"`, `(?s)list_plan needs devices`},
		"list_plan listing with devices":          {"list_plan = \"listing\"\n  device_uuid = \"4d4e8d3c-0000-4000-8000-000000000001\"", `(?s)list_plan without devices.*device_groups or details`},
	} {
		t.Run(name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      sim.providerConfig("") + fmt.Sprintf("data \"eset_incidents\" \"test\" {\n  %s\n}", tc.args),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
}

// A filter unknown at plan time (built from a resource) is not checked then, and is used once known.
func TestAccIncidentsDataSource_filterUnknownAtPlan(t *testing.T) {
	sim := startSimulator(t, simulator.Options{Incidents: simulator.Generate(43, 50)})
	want := matching(t, sim.Incidents, "incident.severity == INCIDENT_SEVERITY_LEVEL_HIGH", "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: sim.providerConfig("") + `
resource "terraform_data" "severity" {
  input = "INCIDENT_SEVERITY_LEVEL_HIGH"
}
data "eset_incidents" "test" {
  filter = "incident.severity == ${terraform_data.severity.output}"
}`,
			ConfigStateChecks: []statecheck.StateCheck{expectIDs(want)},
		}},
	})
}

// Every typed filter at once, and filter: their filter, some 700 characters, does not fit in the 200 the
// API takes (which the simulator enforces, as ESET's gateway does). The read fits what it can, evaluates
// the rest itself, and selects exactly what effective_filter selects.
func TestAccIncidentsDataSource_everyTypedFilter(t *testing.T) {
	sim, world := startWorld(t, simulator.WorldSpec{Seed: 43, Incidents: 1500})
	var target esetapi.Incident
	for _, inc := range world.Incidents {
		if inc.AssigneeUUID != nil && len(inc.Tags) > 0 && len(inc.DeviceUUIDs) > 0 {
			target = inc
		}
	}
	created, err := time.Parse(time.RFC3339, target.CreateTime)
	if err != nil {
		t.Fatal(err)
	}
	devices := []string{target.DeviceUUIDs[0]}
	for _, d := range world.Devices[:12] {
		devices = append(devices, d.UUID)
	}
	criteria := query.Criteria{
		Statuses:            []string{target.Status, "INCIDENT_STATUS_WAITING_FOR_INPUT"},
		Severities:          []string{target.Severity},
		CreatedAfter:        created.Add(-30 * 24 * time.Hour).Format(time.RFC3339),
		CreatedBefore:       created.Add(time.Hour).Format(time.RFC3339),
		CreatedWithin:       "3650d",
		AssigneeUUID:        *target.AssigneeUUID,
		TagsAny:             []string{target.Tags[0], "no-such-tag"},
		DeviceUUID:          target.DeviceUUIDs[0],
		DeviceUUIDs:         devices,
		DisplayNameContains: target.DisplayName[:3],
	}
	raw := `incident.update_time >= timestamp("2000-01-01T00:00:00Z") && !(incident.severity in [INCIDENT_SEVERITY_LEVEL_LOW])`
	typed, err := criteria.Expression(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	want := matching(t, world.Incidents, query.And(typed, raw), "")
	if len(want) == 0 || len(query.And(typed, raw)) < 500 {
		t.Fatalf("%d incidents match a filter of %d characters: the test proves little", len(want), len(query.And(typed, raw)))
	}
	list := func(values []string) string {
		quoted := make([]string, len(values))
		for i, v := range values {
			quoted[i] = fmt.Sprintf("%q", v)
		}
		return "[" + strings.Join(quoted, ", ") + "]"
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: sim.providerConfig("") + fmt.Sprintf(`
data "eset_incidents" "test" {
  statuses              = %s
  severities            = %s
  created_after         = %q
  created_before        = %q
  created_within        = "3650d"
  assignee_uuid         = %q
  tags_any              = %s
  device_uuid           = %q
  device_uuids          = %s
  display_name_contains = %q
  filter                = %q
  strict                = true
}`, list(criteria.Statuses), list(criteria.Severities), criteria.CreatedAfter, criteria.CreatedBefore, criteria.AssigneeUUID,
				list(criteria.TagsAny), criteria.DeviceUUID, list(devices), criteria.DisplayNameContains, raw),
			ConfigStateChecks: []statecheck.StateCheck{expectIDs(want)},
		}},
	})
}

// Thousands of device uuids make an effective_filter past the CEL parser's 100,000 code points: the
// check of the joined filter leaves the provider's own device terms out, and the filter stays whole.
func TestEffectiveFilterOfManyDevices(t *testing.T) {
	devices := make([]attr.Value, 5000)
	for i := range devices {
		devices[i] = types.StringValue(fmt.Sprintf("00000000-0000-4000-8000-%012d", i))
	}
	m := IncidentsDataSourceModel{
		Filter:      types.StringValue(`incident.display_name.contains("x")`),
		DeviceUUIDs: types.ListValueMust(types.StringType, devices),
		Statuses:    types.ListNull(types.StringType), Severities: types.ListNull(types.StringType), TagsAny: types.ListNull(types.StringType),
	}
	_, filter, diags := m.effectiveFilter(context.Background(), time.Now())
	if diags.HasError() || !strings.Contains(filter, "00000000-0000-4000-8000-000000004999") {
		t.Fatalf("%v; a filter of %d characters", diags, len(filter))
	}
}
