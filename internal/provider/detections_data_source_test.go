package provider

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

const detectionsAddress = "data.eset_detections.test"

// detectionChecks has a check for each attribute of d as the v1 list gives it (v1 says CORRELATION_RULE
// where v2 says EDR_RULE); the details are null unless withDetails.
func detectionChecks(d *esetapi.DetectionDetails, withDetails bool) map[string]knownvalue.Check {
	category := d.Category
	if category == "DETECTION_CATEGORY_EDR_RULE" {
		category = "DETECTION_CATEGORY_CORRELATION_RULE"
	}
	checks := map[string]knownvalue.Check{
		"uuid":                knownvalue.StringExact(d.UUID),
		"display_name":        knownvalue.StringExact(d.DisplayName),
		"category":            knownvalue.StringExact(category),
		"severity_level":      knownvalue.StringExact(d.SeverityLevel),
		"occur_time":          knownvalue.StringExact(d.OccurTime),
		"device_uuid":         knownvalue.StringExact(d.Device.UUID),
		"object_name":         knownvalue.StringExact(d.ObjectName),
		"object_type_name":    knownvalue.StringExact(d.ObjectTypeName),
		"object_url":          knownvalue.StringExact(d.ObjectURL),
		"object_hash_sha1":    knownvalue.StringExact(d.ObjectHashSHA1),
		"user_name":           knownvalue.StringExact(d.UserName),
		"process_path":        knownvalue.StringExact(d.Process.Path),
		"resolved":            knownvalue.Null(),
		"severity_score":      knownvalue.Null(),
		"device_display_name": knownvalue.Null(),
	}
	if withDetails {
		checks["resolved"] = knownvalue.Bool(d.Resolved)
		checks["severity_score"] = knownvalue.Int64Exact(int64(d.SeverityScore))
		checks["device_display_name"] = knownvalue.StringExact(d.Device.DisplayName)
	}
	return checks
}

// detectionsWhere are the world's detections that keep says, in the order the provider promises:
// occur_time as instants, then uuid.
func detectionsWhere(t *testing.T, world simulator.World, keep func(*esetapi.DetectionDetails, time.Time) bool) []esetapi.DetectionDetails {
	t.Helper()
	var out []esetapi.DetectionDetails
	at := map[string]time.Time{}
	for i := range world.Detections {
		d := &world.Detections[i]
		occurred, err := time.Parse(time.RFC3339Nano, d.OccurTime)
		if err != nil {
			t.Fatal(err)
		}
		if keep(d, occurred) {
			out = append(out, *d)
			at[d.UUID] = occurred
		}
	}
	slices.SortFunc(out, func(a, b esetapi.DetectionDetails) int {
		if c := at[a.UUID].Compare(at[b.UUID]); c != 0 {
			return c
		}
		return strings.Compare(a.UUID, b.UUID)
	})
	return out
}

func expectDetections(address string, detections []esetapi.DetectionDetails, withDetails bool) []statecheck.StateCheck {
	checks := make([]knownvalue.Check, len(detections))
	ids := make([]string, len(detections))
	for i := range detections {
		checks[i] = knownvalue.ObjectExact(detectionChecks(&detections[i], withDetails))
		ids[i] = detections[i].UUID
	}
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(address, tfjsonpath.New("detections"), knownvalue.ListExact(checks)),
		statecheck.ExpectKnownValue(address, tfjsonpath.New("ids"), stringsCheck(ids)),
	}
}

// Host names to devices to their detections in a window, sorted, with and without details; severities
// and categories narrow them.
func TestAccDetectionsDataSource_devicesAndWindow(t *testing.T) {
	sim, world := startWorld(t, simulator.WorldSpec{Seed: 5, Incidents: 300})
	names := []string{"web-01", "FIN-LAPTOP-12", "print-srv-01"}
	devices := devicesWhere(world, func(d *esetapi.Device) bool { return slices.Contains(names, d.DisplayName) })
	uuids := make([]string, len(devices))
	for i := range devices {
		uuids[i] = devices[i].UUID
	}
	after, before := world.End.Add(-72*time.Hour), world.End.Add(-time.Hour)
	inWindow := detectionsWhere(t, world, func(d *esetapi.DetectionDetails, at time.Time) bool {
		return slices.Contains(uuids, d.Device.UUID) && !at.Before(after) && at.Before(before)
	})
	high := detectionsWhere(t, world, func(d *esetapi.DetectionDetails, at time.Time) bool {
		return slices.Contains(uuids, d.Device.UUID) && !at.Before(after) && at.Before(before) &&
			d.SeverityLevel == "SEVERITY_LEVEL_HIGH" && d.Category != "DETECTION_CATEGORY_FIREWALL_RULE"
	})
	if len(inWindow) < 5 || len(high) == 0 || len(high) == len(inWindow) {
		t.Fatalf("%d detections in the window, %d high: the test proves little", len(inWindow), len(high))
	}
	categories := `["` + strings.Join(slices.DeleteFunc(slices.Clone(esetapi.DetectionCategories[1:]), func(c string) bool {
		return c == "DETECTION_CATEGORY_FIREWALL_RULE"
	}), `", "`) + `"]`
	config := sim.providerConfig("") + `
data "eset_devices" "hosts" {
  display_names = ["web-01", "FIN-LAPTOP-12", "print-srv-01"]
}
data "eset_detections" "test" {
  device_uuids    = data.eset_devices.hosts.ids
  occurred_after  = "` + after.Format(time.RFC3339) + `"
  occurred_before = "` + before.Format(time.RFC3339) + `"
}
data "eset_detections" "details" {
  device_uuids    = data.eset_devices.hosts.ids
  occurred_after  = "` + after.Format(time.RFC3339) + `"
  occurred_before = "` + before.Format(time.RFC3339) + `"
  include_details = true
}
data "eset_detections" "high" {
  device_uuids    = data.eset_devices.hosts.ids
  occurred_after  = "` + after.Format(time.RFC3339) + `"
  occurred_before = "` + before.Format(time.RFC3339) + `"
  severities      = ["SEVERITY_LEVEL_HIGH"]
  categories      = ` + categories + `
}`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: slices.Concat(
				expectDetections(detectionsAddress, inWindow, false),
				expectDetections("data.eset_detections.details", inWindow, true),
				expectDetections("data.eset_detections.high", high, false),
				[]statecheck.StateCheck{statecheck.ExpectKnownValue(detectionsAddress, tfjsonpath.New("truncated"), knownvalue.Bool(false))},
			),
		}},
	})
}

// occurred_within reads the last hours before now: web-01's high-severity detection, 3 hours before the
// world's end, is in the last 4 hours of a world that ends now; max_results cuts the list and says so.
func TestAccDetectionsDataSource_withinAndMaxResults(t *testing.T) {
	end := time.Now().UTC().Truncate(time.Second)
	sim, world := startWorld(t, simulator.WorldSpec{Seed: 5, Incidents: 100, End: end})
	web01 := devicesWhere(world, func(d *esetapi.Device) bool { return d.DisplayName == "web-01" })[0]
	recent := detectionsWhere(t, world, func(d *esetapi.DetectionDetails, at time.Time) bool {
		return d.Device.UUID == web01.UUID && at.After(end.Add(-4*time.Hour)) && d.SeverityLevel == "SEVERITY_LEVEL_HIGH"
	})
	if len(recent) == 0 {
		t.Fatal("web-01 has no high-severity detection in the last 4 hours")
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: sim.providerConfig("") + `
data "eset_detections" "test" {
  device_uuids    = ["` + web01.UUID + `"]
  occurred_within = "4h"
  severities      = ["SEVERITY_LEVEL_HIGH"]
}
data "eset_detections" "cut" {
  max_results = 3
}`,
			ConfigStateChecks: append(expectDetections(detectionsAddress, recent, false),
				statecheck.ExpectKnownValue("data.eset_detections.cut", tfjsonpath.New("truncated"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("data.eset_detections.cut", tfjsonpath.New("ids"), knownvalue.ListSizeExact(3)),
			),
		}},
	})
}

// Bad arguments stop the plan with a message that names the fix, before any call to the API.
func TestAccDetectionsDataSource_planTimeErrors(t *testing.T) {
	sim, _ := startWorld(t, simulator.WorldSpec{Seed: 5, Incidents: 10})
	var steps []resource.TestStep
	for _, tc := range []struct{ config, want string }{
		{`occurred_after = "2026-01-01"`, `(?s)Invalid timestamp.*did you mean\s+"2026-01-01T00:00:00Z"`},
		{`occurred_before = "yesterday"`, `(?s)Invalid timestamp.*"yesterday" is not an RFC 3339 timestamp`},
		{"occurred_after = \"2026-02-01T00:00:00Z\"\noccurred_before = \"2026-01-01T00:00:00Z\"", `(?s)Empty detection window.*must be earlier`},
		{"occurred_within = \"24h\"\noccurred_after = \"2026-01-01T00:00:00Z\"", `(?s)Invalid Attribute Combination.*occurred_within`},
		{`occurred_within = "1 day"`, `(?s)Invalid duration.*"1 day" is not a duration`},
		{`severities = ["HIGH"]`, `(?s)"HIGH" is not a documented value: did you mean\s+"SEVERITY_LEVEL_HIGH"`},
		{`categories = ["DETECTION_CATEGORY_ANTIVIRSU"]`, `(?s)did you mean\s+"DETECTION_CATEGORY_ANTIVIRUS"`},
		{`device_uuids = ["web-01"]`, `(?s)"web-01" is not a uuid`},
		{`max_results = -1`, `(?s)max_results.*between 1 and \d+`},
		{`list_plan = "per_host"`, `(?s)Invalid list_plan.*window, per_device`},
		{`list_plan = "per_device"`, `(?s)list_plan needs devices.*Set device_uuids`},
	} {
		steps = append(steps, resource.TestStep{
			Config:      sim.providerConfig("") + "data \"eset_detections\" \"test\" {\n" + tc.config + "\n}",
			ExpectError: regexp.MustCompile(tc.want),
		})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, Steps: steps})
	if calls := sim.Stats().Calls; len(calls) > 0 {
		t.Errorf("plan-time errors reached the API: %v", calls)
	}
}

// The same hosts' detections, listed by each plan, are the same findings: two hosts of a tenant whose
// window holds 4,500 detections (5 pages) are listed per device (1 + 2 calls, against 5); with four more
// devices that have no detection (uuids of no device, as hosts enrolled since), the window listed once for
// every device is cheaper (5 calls, against 1 + 6). Bounded, both say truncated alike.
func TestAccDetectionsDataSource_plans(t *testing.T) {
	sim, world := startWorld(t, simulator.WorldSpec{Seed: 24, Detections: 4500})
	hosts := devicesWhere(world, func(d *esetapi.Device) bool { return d.DisplayName == "web-01" || d.DisplayName == "db-prod-3" })
	uuids := []string{hosts[0].UUID, hosts[1].UUID}
	want := detectionsWhere(t, world, func(d *esetapi.DetectionDetails, _ time.Time) bool { return slices.Contains(uuids, d.Device.UUID) })
	if len(hosts) != 2 || len(want) < 20 || len(world.Detections) != 4500 {
		t.Fatalf("%d hosts, %d of %d detections: the test proves little", len(hosts), len(want), len(world.Detections))
	}
	enrolled := `"4d4e8d3c-0000-4000-8000-000000000001", "4d4e8d3c-0000-4000-8000-000000000002", "4d4e8d3c-0000-4000-8000-000000000003", "4d4e8d3c-0000-4000-8000-000000000004"`
	config := sim.providerConfig("") + `
locals {
  hosts = ["` + strings.Join(uuids, `", "`) + `"]
  fleet = concat(local.hosts, [` + enrolled + `])
  after = "` + world.Start.Format(time.RFC3339) + `"
}
data "eset_detections" "per_device" {
  device_uuids   = local.hosts
  occurred_after = local.after
}
data "eset_detections" "window" {
  device_uuids   = local.fleet
  occurred_after = local.after
}
data "eset_detections" "per_device_all" {
  device_uuids   = local.hosts
  occurred_after = local.after
  max_results    = ` + fmt.Sprint(len(want)) + `
}
data "eset_detections" "window_all" {
  device_uuids   = local.fleet
  occurred_after = local.after
  max_results    = ` + fmt.Sprint(len(want)) + `
}
data "eset_detections" "per_device_cut" {
  device_uuids   = local.hosts
  occurred_after = local.after
  max_results    = ` + fmt.Sprint(len(want)-1) + `
}
data "eset_detections" "window_cut" {
  device_uuids   = local.fleet
  occurred_after = local.after
  max_results    = ` + fmt.Sprint(len(want)-1) + `
}`
	var checks []statecheck.StateCheck
	for _, plan := range []string{"per_device", "window"} {
		address := "data.eset_detections." + plan
		checks = append(checks, expectDetections(address, want, false)...)
		checks = append(checks,
			statecheck.ExpectKnownValue(address, tfjsonpath.New("list_plan"), knownvalue.StringExact(plan)),
			statecheck.ExpectKnownValue(address, tfjsonpath.New("truncated"), knownvalue.Bool(false)),
			statecheck.ExpectKnownValue(address, tfjsonpath.New("summary").AtMapKey("total"), knownvalue.Int64Exact(int64(len(want)))),
			statecheck.ExpectKnownValue(address+"_all", tfjsonpath.New("list_plan"), knownvalue.StringExact(plan)),
			statecheck.ExpectKnownValue(address+"_all", tfjsonpath.New("truncated"), knownvalue.Bool(false)),
			statecheck.ExpectKnownValue(address+"_all", tfjsonpath.New("ids"), knownvalue.ListSizeExact(len(want))),
			statecheck.ExpectKnownValue(address+"_cut", tfjsonpath.New("truncated"), knownvalue.Bool(true)),
			statecheck.ExpectKnownValue(address+"_cut", tfjsonpath.New("ids"), knownvalue.ListSizeExact(len(want)-1)),
		)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{{Config: config, ConfigStateChecks: checks}},
	})
}

// Both plans through the CLI on one data set: the same hosts' detections, one data source forcing each
// plan (and one choosing), hold the same detections, the ones the data says.
func TestAccDetectionsDataSource_listPlan(t *testing.T) {
	sim, world := startWorld(t, simulator.WorldSpec{Seed: 24, Detections: 4500})
	hosts := devicesWhere(world, func(d *esetapi.Device) bool { return d.DisplayName == "web-01" || d.DisplayName == "db-prod-3" })
	uuids := []string{hosts[0].UUID, hosts[1].UUID}
	want := detectionsWhere(t, world, func(d *esetapi.DetectionDetails, _ time.Time) bool { return slices.Contains(uuids, d.Device.UUID) })
	if len(hosts) != 2 || len(want) < 20 {
		t.Fatalf("%d hosts, %d detections: the test proves little", len(hosts), len(want))
	}
	args := `
  device_uuids   = ["` + strings.Join(uuids, `", "`) + `"]
  occurred_after = "` + world.Start.Format(time.RFC3339) + `"`
	config := sim.providerConfig("") + `
data "eset_detections" "chosen" {` + args + `
}
data "eset_detections" "window" {` + args + `
  list_plan = "window"
}
data "eset_detections" "per_device" {` + args + `
  list_plan = "per_device"
}
output "same" { value = data.eset_detections.window.ids == data.eset_detections.per_device.ids }`
	same := statecheck.CompareValue(compare.ValuesSame())
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownOutputValue("same", knownvalue.Bool(true)),
		statecheck.ExpectKnownValue("data.eset_detections.chosen", tfjsonpath.New("list_plan"), knownvalue.StringExact("per_device")),
		same.AddStateValue("data.eset_detections.chosen", tfjsonpath.New("ids")),
	}
	for _, plan := range []string{"window", "per_device"} {
		address := "data.eset_detections." + plan
		checks = append(checks, expectDetections(address, want, false)...)
		checks = append(checks,
			statecheck.ExpectKnownValue(address, tfjsonpath.New("list_plan"), knownvalue.StringExact(plan)),
			same.AddStateValue(address, tfjsonpath.New("ids")),
		)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{{Config: config, ConfigStateChecks: checks}},
	})
}
