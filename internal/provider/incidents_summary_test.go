package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// expectSummary checks the summary against a count made here, by hand, from the incidents the API should
// answer: not from the summary's table, which it checks.
func expectSummary(t *testing.T, incidents []esetapi.Incident) statecheck.StateCheck {
	t.Helper()
	bySeverity, openBySeverity, byStatus, byAssignee, byTag := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	open := 0
	var oldest, newest, oldestUpdate, newestUpdate, oldestOpen *esetapi.Incident
	before := func(a, b string) bool {
		ta, errA := time.Parse(time.RFC3339Nano, a)
		tb, errB := time.Parse(time.RFC3339Nano, b)
		if errA != nil || errB != nil {
			t.Fatalf("the test data has a time that does not parse: %q, %q", a, b)
		}
		return ta.Before(tb)
	}
	for i := range incidents {
		inc := &incidents[i]
		bySeverity[inc.Severity]++
		byStatus[inc.Status]++
		if inc.AssigneeUUID == nil {
			byAssignee["unassigned"]++
		} else {
			byAssignee[*inc.AssigneeUUID]++
		}
		seen := map[string]bool{}
		for _, tag := range inc.Tags {
			if !seen[tag] {
				byTag[tag]++
			}
			seen[tag] = true
		}
		if oldest == nil || before(inc.CreateTime, oldest.CreateTime) {
			oldest = inc
		}
		if newest == nil || before(newest.CreateTime, inc.CreateTime) {
			newest = inc
		}
		if oldestUpdate == nil || before(inc.UpdateTime, oldestUpdate.UpdateTime) {
			oldestUpdate = inc
		}
		if newestUpdate == nil || before(newestUpdate.UpdateTime, inc.UpdateTime) {
			newestUpdate = inc
		}
		if inc.Status != "INCIDENT_STATUS_CLOSED" {
			open++
			openBySeverity[inc.Severity]++
			if oldestOpen == nil || before(inc.CreateTime, oldestOpen.CreateTime) {
				oldestOpen = inc
			}
		}
	}
	counts := func(m map[string]int) knownvalue.Check {
		checks := map[string]knownvalue.Check{}
		for k, n := range m {
			checks[k] = knownvalue.Int64Exact(int64(n))
		}
		return knownvalue.MapExact(checks)
	}
	timeOf := func(inc *esetapi.Incident, update bool) knownvalue.Check {
		switch {
		case inc == nil:
			return knownvalue.Null()
		case update:
			return knownvalue.StringExact(inc.UpdateTime)
		}
		return knownvalue.StringExact(inc.CreateTime)
	}
	return statecheck.ExpectKnownValue(incidentsAddress, tfjsonpath.New("summary"), knownvalue.ObjectExact(map[string]knownvalue.Check{
		"total":                   knownvalue.Int64Exact(int64(len(incidents))),
		"open":                    knownvalue.Int64Exact(int64(open)),
		"by_severity":             counts(bySeverity),
		"open_by_severity":        counts(openBySeverity),
		"by_status":               counts(byStatus),
		"by_assignee":             counts(byAssignee),
		"by_tag":                  counts(byTag),
		"oldest_create_time":      timeOf(oldest, false),
		"newest_create_time":      timeOf(newest, false),
		"oldest_update_time":      timeOf(oldestUpdate, true),
		"newest_update_time":      timeOf(newestUpdate, true),
		"oldest_open_create_time": timeOf(oldestOpen, false),
	}))
}

// The summary counts every matching incident over several pages, with the incidents kept or not; with
// summary_only, incidents and ids are null.
func TestAccIncidentsDataSource_summary(t *testing.T) {
	sim := startSimulator(t, simulator.Options{Incidents: simulator.Generate(12, 2600)})
	want := matching(t, sim.Incidents, `incident.severity in [INCIDENT_SEVERITY_LEVEL_MEDIUM, INCIDENT_SEVERITY_LEVEL_HIGH]`, "")
	if len(want) <= 1000 {
		t.Fatalf("%d incidents match: the test needs more than a page", len(want))
	}
	config := func(summaryOnly bool) string {
		return sim.providerConfig("requests_per_second = 200") + fmt.Sprintf(`
data "eset_incidents" "test" {
  severities   = ["INCIDENT_SEVERITY_LEVEL_MEDIUM", "INCIDENT_SEVERITY_LEVEL_HIGH"]
  summary_only = %v
}`, summaryOnly)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            config(false),
				ConfigStateChecks: []statecheck.StateCheck{expectSummary(t, want), expectIDs(want)},
			},
			{
				Config: config(true),
				ConfigStateChecks: []statecheck.StateCheck{
					expectSummary(t, want),
					statecheck.ExpectKnownValue(incidentsAddress, tfjsonpath.New("incidents"), knownvalue.Null()),
					statecheck.ExpectKnownValue(incidentsAddress, tfjsonpath.New("ids"), knownvalue.Null()),
					statecheck.ExpectKnownValue(incidentsAddress, tfjsonpath.New("truncated"), knownvalue.Bool(false)),
				},
			},
		},
	})
}

// With no incident matching, counts are zero, maps empty and times null; with max_results, the summary
// covers the incidents read.
func TestAccIncidentsDataSource_summaryEmptyAndLimited(t *testing.T) {
	sim := startSimulator(t, simulator.Options{Incidents: simulator.Generate(13, 300)})
	first := matching(t, sim.Incidents, "", "create_time")[:40]
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: sim.providerConfig("") + `
data "eset_incidents" "test" {
  display_name_contains = "no incident has this name"
  summary_only          = true
}`,
				ConfigStateChecks: []statecheck.StateCheck{expectSummary(t, nil)},
			},
			{
				Config: sim.providerConfig("") + `
data "eset_incidents" "test" {
  order_by     = "create_time"
  max_results  = 40
  summary_only = true
}`,
				ConfigStateChecks: []statecheck.StateCheck{
					expectSummary(t, first),
					statecheck.ExpectKnownValue(incidentsAddress, tfjsonpath.New("truncated"), knownvalue.Bool(true)),
				},
			},
		},
	})
}

// summary_only keeps state the same size whatever the number of incidents: the same number of values in
// state at 500 and at 5,000 incidents, and within a few bytes.
func TestAccIncidentsDataSource_summaryOnlyStateSize(t *testing.T) {
	type size struct{ values, bytes int }
	sizes := map[int]size{}
	for _, n := range []int{500, 5000} {
		sim := startSimulator(t, simulator.Options{Incidents: simulator.Generate(14, n)})
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config: sim.providerConfig("requests_per_second = 200") + `
data "eset_incidents" "test" {
  summary_only = true
}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(incidentsAddress, tfjsonpath.New("summary").AtMapKey("total"), knownvalue.Int64Exact(int64(n))),
				},
				Check: func(s *terraform.State) error {
					attrs := s.RootModule().Resources[incidentsAddress].Primary.Attributes
					bytes := 0
					for k, v := range attrs {
						bytes += len(k) + len(v)
					}
					sizes[n] = size{len(attrs), bytes}
					return nil
				},
			}},
		})
	}
	small, large := sizes[500], sizes[5000]
	t.Logf("state of the data source: %+v at 500 incidents, %+v at 5,000", small, large)
	if small.values == 0 || small.values != large.values || large.bytes-small.bytes > 64 {
		t.Errorf("state grows with the incidents: %+v at 500, %+v at 5,000", small, large)
	}
}

// summary_only with include_details is refused at plan time, before any call; either one false is fine.
func TestAccIncidentsDataSource_summaryOnlyConflict(t *testing.T) {
	sim := startSimulator(t, simulator.Options{Incidents: simulator.Generate(15, 10)})
	config := func(includeDetails bool) string {
		return sim.providerConfig("") + fmt.Sprintf(`
data "eset_incidents" "test" {
  summary_only    = true
  include_details = %v
}`, includeDetails)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      config(true),
			ExpectError: regexp.MustCompile(`(?s)Conflicting arguments.*summary_only = true and include_details = true`),
		}},
	})
	if stats := sim.Stats(); stats.ListCalls+stats.GetCalls > 0 {
		t.Errorf("the refused configuration reached the API: %+v", stats)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{{Config: config(false), ConfigStateChecks: []statecheck.StateCheck{expectSummary(t, sim.Incidents)}}},
	})
}
