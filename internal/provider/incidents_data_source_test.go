package provider

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/query"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

const incidentsAddress = "data.eset_incidents.test"

// expectIncidents checks the whole list, every attribute of every incident, in order.
func expectIncidents(incidents []esetapi.Incident, withDetails bool) statecheck.StateCheck {
	checks := make([]knownvalue.Check, len(incidents))
	for i := range incidents {
		checks[i] = incidentCheck(&incidents[i], withDetails)
	}
	return statecheck.ExpectKnownValue(incidentsAddress, tfjsonpath.New("incidents"), knownvalue.ListExact(checks))
}

func expectIDs(incidents []esetapi.Incident) statecheck.StateCheck {
	checks := make([]knownvalue.Check, len(incidents))
	for i := range incidents {
		checks[i] = knownvalue.StringExact(incidents[i].UUID)
	}
	return statecheck.ExpectKnownValue(incidentsAddress, tfjsonpath.New("ids"), knownvalue.ListExact(checks))
}

// matching is what a read of filter in orderBy should give over incidents: oldest first by default.
func matching(t *testing.T, incidents []esetapi.Incident, filter, orderBy string) []esetapi.Incident {
	t.Helper()
	program, err := query.Compile(filter)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := query.ParseOrderBy(cmp.Or(orderBy, "create_time"))
	if err != nil {
		t.Fatal(err)
	}
	var out []esetapi.Incident
	for i := range incidents {
		if ok, err := program.Match(&incidents[i]); err != nil {
			t.Fatal(err)
		} else if ok {
			out = append(out, incidents[i])
		}
	}
	slices.SortStableFunc(out, func(a, b esetapi.Incident) int { return query.Compare(&a, &b, keys) })
	return out
}

func TestAccIncidentsDataSource_all(t *testing.T) {
	sim := startSimulator(t, simulator.Options{Incidents: simulator.Generate(7, 1234)})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: sim.providerConfig("") + `data "eset_incidents" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				expectIncidents(sim.Incidents, false),
				expectIDs(sim.Incidents),
				statecheck.ExpectKnownValue(incidentsAddress, tfjsonpath.New("truncated"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue(incidentsAddress, tfjsonpath.New("effective_filter"), knownvalue.StringExact("")),
				statecheck.ExpectKnownValue(incidentsAddress, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{32}$`))),
			},
		}},
	})
	// 1,234 incidents at 1,000 a page: two list calls per read, and a plan and an apply read once each... at most.
	if calls := sim.Stats().ListCalls; calls%2 != 0 {
		t.Errorf("list calls = %d, want a multiple of ceil(1234/1000) = 2", calls)
	}
}

func TestAccIncidentsDataSource_filterOrderAndLimit(t *testing.T) {
	sim := startSimulator(t, simulator.Options{Incidents: simulator.Generate(8, 700)})
	filter := `incident.severity in [INCIDENT_SEVERITY_LEVEL_MEDIUM, INCIDENT_SEVERITY_LEVEL_HIGH] && incident.display_name.contains("on db-prod-3")`
	orderBy := "severity desc, create_time"
	want := matching(t, sim.Incidents, filter, orderBy)
	if len(want) < 20 {
		t.Fatalf("the data set has %d matching incidents; the test needs more", len(want))
	}
	config := func(maxResults int) string {
		limit := ""
		if maxResults > 0 {
			limit = fmt.Sprintf("max_results = %d", maxResults)
		}
		return sim.providerConfig("") + fmt.Sprintf(`
data "eset_incidents" "test" {
  filter   = %q
  order_by = %q
  %s
}`, filter, orderBy, limit)
	}
	var firstID string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(0),
				ConfigStateChecks: []statecheck.StateCheck{
					expectIncidents(want, false),
					statecheck.ExpectKnownValue(incidentsAddress, tfjsonpath.New("truncated"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(incidentsAddress, tfjsonpath.New("effective_filter"), knownvalue.StringExact(filter)),
				},
				Check: resource.TestCheckResourceAttrWith(incidentsAddress, "id", func(id string) error { firstID = id; return nil }),
			},
			{
				// The same query keeps its id.
				Config: config(0),
				Check: resource.TestCheckResourceAttrWith(incidentsAddress, "id", func(id string) error {
					if id != firstID {
						return fmt.Errorf("id changed from %s to %s for the same query", firstID, id)
					}
					return nil
				}),
			},
			{
				Config: config(7),
				ConfigStateChecks: []statecheck.StateCheck{
					expectIncidents(want[:7], false),
					statecheck.ExpectKnownValue(incidentsAddress, tfjsonpath.New("truncated"), knownvalue.Bool(true)),
				},
			},
			{
				Config: config(len(want)),
				ConfigStateChecks: []statecheck.StateCheck{
					expectIncidents(want, false),
					statecheck.ExpectKnownValue(incidentsAddress, tfjsonpath.New("truncated"), knownvalue.Bool(false)),
				},
			},
		},
	})
}

// TestAccIncidentsDataSource_wireValues reads incidents that show each proto3 value rule: absent fields,
// int64 written as strings, fields and enum values newer than the docs.
func TestAccIncidentsDataSource_wireValues(t *testing.T) {
	assignee, triage := "0b6a3c8e-5f43-4b1e-9a51-7d1c2e3f4a5b", "3600s"
	incidents := []esetapi.Incident{
		{UUID: "5c0e2c2a-0000-4000-8000-000000000001"}, // nothing but a uuid: every default
		{
			UUID: "5c0e2c2a-0000-4000-8000-000000000002", DisplayName: "Ransomware on \"FIN-01\" — ünïcode", Description: "line 1\nline 2",
			AssigneeUUID: &assignee, CreateTime: "2026-03-01T10:00:00.123456Z", UpdateTime: "2026-03-01T11:00:00+02:00",
			Severity: "INCIDENT_SEVERITY_LEVEL_HIGH", Status: "INCIDENT_STATUS_WAITING_FOR_INPUT",
			ResolveReason: "INCIDENT_RESOLVE_REASON_SUSPICIOUS", Tags: []string{"vip", "mdr"}, TriageDuration: &triage,
			Metrics: esetapi.IncidentMetrics{DeviceCount: 3, ExecutableCount: 9007199254740993, ProcessCount: 1},
		},
	}
	sim := startSimulator(t, simulator.Options{Incidents: incidents, Faults: simulator.Faults{Int64AsStrings: true}})
	defaults := incidents[0]
	defaults.ApplyDefaults()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: sim.providerConfig("") + `data "eset_incidents" "test" {}`,
			// Oldest first: the API sorts an incident without a create_time after those with one, as the simulator does.
			ConfigStateChecks: []statecheck.StateCheck{expectIncidents([]esetapi.Incident{incidents[1], defaults}, false)},
		}},
	})

	newer := startSimulator(t, simulator.Options{Incidents: incidents[1:], Faults: simulator.Faults{UnknownFields: true}})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: newer.providerConfig("") + `data "eset_incidents" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				// An enum value the docs do not list passes through unchanged.
				statecheck.ExpectKnownValue(incidentsAddress, tfjsonpath.New("incidents").AtSliceIndex(0).AtMapKey("severity"),
					knownvalue.StringExact("INCIDENT_SEVERITY_LEVEL_CRITICAL")),
			},
		}},
	})
}

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

// From host names to their incidents: device_uuids takes eset_devices' ids and keeps the incidents that
// involve any of those devices; a name that is not a uuid stops the plan before any call.
func TestAccIncidentsDataSource_deviceUUIDs(t *testing.T) {
	sim, world := startWorld(t, simulator.WorldSpec{Seed: 11, Incidents: 300})
	var uuids []string
	for _, d := range world.Devices {
		if d.DisplayName == "web-01" || d.DisplayName == "db-prod-3" {
			uuids = append(uuids, d.UUID)
		}
	}
	filter := `(incident.device_uuids.contains("` + uuids[0] + `") || incident.device_uuids.contains("` + uuids[1] + `"))`
	want := matching(t, world.Incidents, filter, "")
	if len(want) < 2 {
		t.Fatalf("web-01 and db-prod-3 have %d incidents: the test proves little", len(want))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      sim.providerConfig("") + `data "eset_incidents" "test" { device_uuids = ["db-prod-3"] }`,
			ExpectError: regexp.MustCompile(`(?s)"db-prod-3" is not a uuid`),
		}, {
			Config: sim.providerConfig("") + `
data "eset_devices" "hosts" {
  display_names = ["web-01", "db-prod-3"]
}
data "eset_incidents" "test" {
  device_uuids = data.eset_devices.hosts.ids
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				expectIDs(want),
				statecheck.ExpectKnownValue(incidentsAddress, tfjsonpath.New("effective_filter"), knownvalue.StringExact(filter)),
			},
		}, {
			// Upper case, as some tools print uuids: the same incidents, the filter in the API's lower case.
			Config: sim.providerConfig("") + `
data "eset_incidents" "test" {
  device_uuids = ["` + strings.ToUpper(uuids[0]) + `", "` + strings.ToUpper(uuids[1]) + `"]
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				expectIDs(want),
				statecheck.ExpectKnownValue(incidentsAddress, tfjsonpath.New("effective_filter"), knownvalue.StringExact(filter)),
			},
		}},
	})
}

// Any number of devices: 150 uuids, three of them the devices of a world's incidents, are read by listing
// the incidents and checking the few candidates' devices (a detail call each), fewer calls than the 50 device
// groups a filter of 200 characters allows; the result is what the whole filter selects.
func TestAccIncidentsDataSource_deviceUUIDsMany(t *testing.T) {
	sim, world := startWorld(t, simulator.WorldSpec{Seed: 61, Incidents: 8})
	uuids := make([]string, 150)
	for i := range uuids {
		uuids[i] = fmt.Sprintf(`"00000000-0000-4000-8000-%012d"`, i)
	}
	var terms []string
	for i, inc := range world.Incidents[:3] {
		uuids[40*i] = `"` + inc.DeviceUUIDs[0] + `"`
		terms = append(terms, `incident.device_uuids.contains("`+inc.DeviceUUIDs[0]+`")`)
	}
	want := matching(t, world.Incidents, strings.Join(terms, " || "), "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:            sim.providerConfig("") + `data "eset_incidents" "test" { device_uuids = [` + strings.Join(uuids, ", ") + `] }`,
			ConfigStateChecks: []statecheck.StateCheck{expectIDs(want)},
		}},
	})
	// Each read (plan, apply, refresh) makes one list call and a detail call per incident of the world.
	if st := sim.Stats(); st.ListCalls > 3 || st.GetCalls != st.ListCalls*int64(len(world.Incidents)) {
		t.Errorf("%d list and %d detail calls, want one list and %d detail calls a read", st.ListCalls, st.GetCalls, len(world.Incidents))
	}
}

// Both device plans through the CLI on one data set: the open, in-progress or waiting incidents of 12
// devices (4 device groups), one data source forcing the device groups, one the details lookup and one
// choosing, hold the same incidents, the ones the data says; without devices, the listing.
func TestAccIncidentsDataSource_listPlan(t *testing.T) {
	sim, world := startWorld(t, simulator.WorldSpec{Seed: 11, Incidents: 300})
	var devices, quoted, terms []string
	for _, inc := range world.Incidents {
		for _, d := range inc.DeviceUUIDs {
			if len(devices) < 12 && !slices.Contains(devices, d) {
				devices = append(devices, d)
				quoted = append(quoted, strconv.Quote(d))
				terms = append(terms, `incident.device_uuids.contains("`+d+`")`)
			}
		}
	}
	statuses := `["INCIDENT_STATUS_OPEN", "INCIDENT_STATUS_IN_PROGRESS", "INCIDENT_STATUS_WAITING_FOR_INPUT"]`
	want := matching(t, world.Incidents, "incident.status in "+statuses+" && ("+strings.Join(terms, " || ")+")", "")
	if len(want) < 2 {
		t.Fatalf("%d incidents of 12 devices: the test proves little", len(want))
	}
	args := `
  device_uuids = [` + strings.Join(quoted, ", ") + `]
  statuses     = ` + statuses
	config := sim.providerConfig("") + `
data "eset_incidents" "chosen" {` + args + `
}
data "eset_incidents" "device_groups" {` + args + `
  list_plan = "device_groups"
}
data "eset_incidents" "details" {` + args + `
  list_plan = "details"
}
data "eset_incidents" "test" {
  statuses = ` + statuses + `
}
output "same" { value = data.eset_incidents.device_groups.ids == data.eset_incidents.details.ids }`
	wantIDs := make([]knownvalue.Check, len(want))
	for i := range want {
		wantIDs[i] = knownvalue.StringExact(want[i].UUID)
	}
	same := statecheck.CompareValue(compare.ValuesSame())
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownOutputValue("same", knownvalue.Bool(true)),
		statecheck.ExpectKnownValue(incidentsAddress, tfjsonpath.New("list_plan"), knownvalue.StringExact("listing")),
		statecheck.ExpectKnownValue("data.eset_incidents.chosen", tfjsonpath.New("list_plan"), knownvalue.StringRegexp(regexp.MustCompile(`^(device_groups|details)$`))),
		same.AddStateValue("data.eset_incidents.chosen", tfjsonpath.New("ids")),
	}
	for _, plan := range []string{"device_groups", "details"} {
		address := "data.eset_incidents." + plan
		checks = append(checks,
			statecheck.ExpectKnownValue(address, tfjsonpath.New("list_plan"), knownvalue.StringExact(plan)),
			statecheck.ExpectKnownValue(address, tfjsonpath.New("ids"), knownvalue.ListExact(wantIDs)),
			same.AddStateValue(address, tfjsonpath.New("ids")),
		)
	}
	// A forced plan the arguments leave no room for fails on list_plan, naming the fix: the device groups
	// beside a filter of 200 characters only the API evaluates.
	long := `size(incident.detection_uuids) >= 1 && incident.display_name != "`
	long += strings.Repeat("z", 199-len(long)) + `"`
	refused := sim.providerConfig("") + `
data "eset_incidents" "test" {
  device_uuids = [` + quoted[0] + `]
  filter       = ` + strconv.Quote(long) + `
  list_plan    = "device_groups"
}`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: checks},
			{Config: refused, ExpectError: regexp.MustCompile(`(?s)list_plan cannot read these arguments.*device_groups.*Leave\s+list_plan\s+out`)},
		},
	})
}

// While analysts close incidents already read (and reopen, reassign, re-rate, create and delete others)
// after every list call, the simulator's churn: ids holds every incident open for the whole test step
// (every read of it), and none that was never open during it; summary counts the same, with summary_only.
func TestAccIncidentsDataSource_underChurn(t *testing.T) {
	for _, n := range []int{3000, 12000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			world := simulator.GenerateWorld(simulator.WorldSpec{Seed: uint64(n), Incidents: n, End: worldEnd})
			opts := simulator.Options{Churn: simulator.ChurnOptions{Seed: uint64(n), PerCall: n / 30}}
			opts.SetWorld(world)
			sim := startSimulator(t, opts)
			const filter = "incident.status == INCIDENT_STATUS_OPEN"
			var mark simulator.Mark
			step := func(summaryOnly bool) resource.TestStep {
				return resource.TestStep{
					PreConfig: func() { mark = sim.Mark() },
					Config: sim.providerConfig("") + fmt.Sprintf(`
data "eset_incidents" "test" {
  filter       = %q
  summary_only = %v
}`, filter, summaryOnly),
					ConfigStateChecks: []statecheck.StateCheck{churnCheck{sim: sim, mark: &mark, filter: filter, summaryOnly: summaryOnly}},
				}
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{step(false), step(true)},
			})
		})
	}
}

// churnCheck holds a read under churn to the simulator's ground truth since mark.
type churnCheck struct {
	sim         *testSimulator
	mark        *simulator.Mark
	filter      string
	summaryOnly bool
}

func (c churnCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	throughout, atSomePoint, err := c.sim.IncidentsMatched(*c.mark, c.filter)
	if err != nil {
		resp.Error = err
		return
	}
	if len(atSomePoint) == len(throughout) {
		resp.Error = fmt.Errorf("nothing changed during the step: the check shows nothing")
		return
	}
	var values map[string]any
	for _, r := range req.State.Values.RootModule.Resources {
		if r.Address == incidentsAddress {
			values = r.AttributeValues
		}
	}
	if c.summaryOnly {
		total, err := strconv.Atoi(fmt.Sprint(values["summary"].(map[string]any)["total"]))
		if err != nil {
			resp.Error = err
			return
		}
		if total < len(throughout) || total > len(atSomePoint) {
			resp.Error = fmt.Errorf("summary.total is %d: %d incidents were open throughout, %d at some point", total, len(throughout), len(atSomePoint))
		}
		return
	}
	listed := map[string]int{}
	for _, id := range values["ids"].([]any) {
		listed[id.(string)]++
	}
	allowed := map[string]bool{}
	for _, u := range atSomePoint {
		allowed[u] = true
	}
	var missing, extra, twice int
	for _, u := range throughout {
		if listed[u] == 0 {
			missing++
		}
	}
	for u, n := range listed {
		if !allowed[u] {
			extra++
		}
		if n > 1 {
			twice++
		}
	}
	if missing+extra+twice > 0 {
		resp.Error = fmt.Errorf("%d of %d incidents open throughout are missing, %d never open are listed, %d listed twice", missing, len(throughout), extra, twice)
	}
}
