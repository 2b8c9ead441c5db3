package main

import (
	"regexp"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// The banner's ranges hold every record the simulator serves: the detections of devices that stopped
// syncing, weeks older than the incidents, too (the banner once gave the incidents' span for them all).
func TestDataSummary(t *testing.T) {
	end := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	w := simulator.GenerateWorld(simulator.WorldSpec{Seed: 1, Incidents: 500, End: end})
	summary := dataSummary(w)
	ranges := regexp.MustCompile(`(?s)(\d+) incidents created from (\S+) to (\S+)\n.*?(\d+) detections occurred from (\S+) to (\S+) \(the oldest are of devices that stopped syncing`).FindStringSubmatch(summary)
	if ranges == nil {
		t.Fatalf("the banner gives no range of incidents and detections, or does not say why detections are older:\n%s", summary)
	}
	parse := func(s string) time.Time {
		at, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return at
	}
	within := func(what, at string, from, to time.Time) {
		if tm := parse(at); tm.Before(from) || tm.After(to) {
			t.Errorf("%s at %s, outside the banner's %s to %s:\n%s", what, at, from.Format(time.RFC3339), to.Format(time.RFC3339), summary)
		}
	}
	incFrom, incTo, detFrom, detTo := parse(ranges[2]), parse(ranges[3]), parse(ranges[5]), parse(ranges[6])
	for _, inc := range w.Incidents {
		within("incident "+inc.UUID, inc.CreateTime, incFrom, incTo)
	}
	for _, d := range w.Detections {
		within("detection "+d.UUID, d.OccurTime, detFrom, detTo)
	}
	if !detFrom.Before(end.Add(-30 * 24 * time.Hour)) {
		t.Errorf("the oldest detection is of %s: the world has no device that stopped syncing, and the test proves little", detFrom)
	}
}
