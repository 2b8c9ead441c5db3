package provider

import (
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// expectDetectionsSummary checks the summary at address against a count made here, by hand, from the
// detections the API should answer (categories as the v1 list names them).
func expectDetectionsSummary(t *testing.T, address string, detections []esetapi.DetectionDetails) statecheck.StateCheck {
	t.Helper()
	bySeverity, byCategory, byDevice, byName := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	var oldest, newest *esetapi.DetectionDetails
	var oldestAt, newestAt time.Time
	for i := range detections {
		d := &detections[i]
		category := d.Category
		if category == "DETECTION_CATEGORY_EDR_RULE" {
			category = "DETECTION_CATEGORY_CORRELATION_RULE"
		}
		bySeverity[d.SeverityLevel]++
		byCategory[category]++
		byDevice[d.Device.UUID]++
		byName[d.DisplayName]++
		at, err := time.Parse(time.RFC3339Nano, d.OccurTime)
		if err != nil {
			t.Fatal(err)
		}
		if oldest == nil || at.Before(oldestAt) {
			oldest, oldestAt = d, at
		}
		if newest == nil || at.After(newestAt) {
			newest, newestAt = d, at
		}
	}
	counts := func(m map[string]int) knownvalue.Check {
		checks := map[string]knownvalue.Check{}
		for k, n := range m {
			checks[k] = knownvalue.Int64Exact(int64(n))
		}
		return knownvalue.MapExact(checks)
	}
	occurTime := func(d *esetapi.DetectionDetails) knownvalue.Check {
		if d == nil {
			return knownvalue.Null()
		}
		return knownvalue.StringExact(d.OccurTime)
	}
	return statecheck.ExpectKnownValue(address, tfjsonpath.New("summary"), knownvalue.ObjectExact(map[string]knownvalue.Check{
		"total":             knownvalue.Int64Exact(int64(len(detections))),
		"by_severity":       counts(bySeverity),
		"by_category":       counts(byCategory),
		"by_device":         counts(byDevice),
		"by_display_name":   counts(byName),
		"oldest_occur_time": occurTime(oldest),
		"newest_occur_time": occurTime(newest),
	}))
}

// The summary counts every detection of a window over several pages, with the detections kept or not;
// with summary_only, detections and ids are null.
func TestAccDetectionsDataSource_summary(t *testing.T) {
	sim, world := startWorld(t, simulator.WorldSpec{Seed: 16, Incidents: 400})
	after := world.End.Add(-5 * 24 * time.Hour)
	want := detectionsWhere(t, world, func(_ *esetapi.DetectionDetails, at time.Time) bool { return !at.Before(after) })
	if len(want) <= 1000 || len(want) == len(world.Detections) {
		t.Fatalf("%d of %d detections in the window: the test needs more than a page, and some outside", len(want), len(world.Detections))
	}
	config := sim.providerConfig("requests_per_second = 200") + `
data "eset_detections" "test" {
  occurred_after = "` + after.Format(time.RFC3339) + `"
}
data "eset_detections" "counts" {
  occurred_after = "` + after.Format(time.RFC3339) + `"
  summary_only   = true
}`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					expectDetectionsSummary(t, detectionsAddress, want),
					expectDetectionsSummary(t, "data.eset_detections.counts", want),
					statecheck.ExpectKnownValue(detectionsAddress, tfjsonpath.New("ids"), knownvalue.ListSizeExact(len(want))),
					statecheck.ExpectKnownValue("data.eset_detections.counts", tfjsonpath.New("detections"), knownvalue.Null()),
					statecheck.ExpectKnownValue("data.eset_detections.counts", tfjsonpath.New("ids"), knownvalue.Null()),
					statecheck.ExpectKnownValue("data.eset_detections.counts", tfjsonpath.New("truncated"), knownvalue.Bool(false)),
				},
			},
			{
				// Nothing in the window: zero, empty maps, null times.
				Config: sim.providerConfig("") + `
data "eset_detections" "test" {
  occurred_after = "` + world.End.Add(time.Hour).Format(time.RFC3339) + `"
  summary_only   = true
}`,
				ConfigStateChecks: []statecheck.StateCheck{expectDetectionsSummary(t, detectionsAddress, nil)},
			},
		},
	})
}

// summary_only with include_details is refused at plan time, before any call.
func TestAccDetectionsDataSource_summaryOnlyConflict(t *testing.T) {
	refused, _ := startWorld(t, simulator.WorldSpec{Seed: 16, Incidents: 10})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: refused.providerConfig("") + `
data "eset_detections" "test" {
  summary_only    = true
  include_details = true
}`,
			ExpectError: regexp.MustCompile(`(?s)Conflicting arguments.*summary_only = true and include_details = true`),
		}},
	})
	if calls := refused.Stats().Calls; len(calls) > 0 {
		t.Errorf("the refused configuration reached the API: %v", calls)
	}
}
