package simulator

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

var testEnd = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// GenerateWorld is deterministic for a spec, so the tests' expectations hold on every machine.
func TestGenerateWorldDeterministic(t *testing.T) {
	spec := WorldSpec{Seed: 9, Incidents: 300, End: testEnd}
	a, b := GenerateWorld(spec), GenerateWorld(spec)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two worlds of one spec differ")
	}
	spec.Seed = 10
	if GenerateWorld(spec).Incidents[0].UUID == a.Incidents[0].UUID {
		t.Error("another seed gives the same data")
	}
}

// By default the data ends when it is generated: the newest incident is minutes old.
func TestGenerateWorldEndsNow(t *testing.T) {
	before := time.Now().Add(-time.Second)
	w := GenerateWorld(WorldSpec{Seed: 1, Incidents: 100})
	if w.End.Before(before) || w.End.After(time.Now()) {
		t.Errorf("End %v is not now", w.End)
	}
	newest, _ := time.Parse(time.RFC3339, w.Incidents[len(w.Incidents)-1].CreateTime)
	if age := w.End.Sub(newest); age <= 0 || age > incidentStep {
		t.Errorf("the newest incident is %v old", age)
	}
}

// The world is consistent: incidents point at its devices and at detections on those devices from before
// them; every time lies within Start and End; and it holds what the device filters need.
func TestWorldConsistent(t *testing.T) {
	w := GenerateWorld(WorldSpec{Seed: 2, Incidents: 400, End: testEnd})
	devices := map[string]*esetapi.Device{}
	for i := range w.Devices {
		devices[w.Devices[i].UUID] = &w.Devices[i]
	}
	detections := map[string]*esetapi.DetectionDetails{}
	for i := range w.Detections {
		d := &w.Detections[i]
		detections[d.UUID] = d
		dev := devices[d.Device.UUID]
		if dev == nil || dev.DisplayName != d.Device.DisplayName || dev.DisplayName == quietDevice {
			t.Fatalf("detection %s on device %+v", d.UUID, d.Device)
		}
		at, err := time.Parse(time.RFC3339Nano, d.OccurTime)
		start, end := w.Start, w.End
		if isStale(dev, w.End) {
			end, _ = time.Parse(time.RFC3339, dev.LastSyncTime)
			start = end.Add(-w.End.Sub(w.Start))
		}
		if err != nil || at.After(end) || at.Before(start) {
			t.Errorf("detection %s at %s (%v) outside %s..%s", d.UUID, d.OccurTime, err, start, end)
		}
	}
	if len(detections) != len(w.Detections) || len(devices) != len(w.Devices) {
		t.Error("uuids repeat")
	}
	for _, inc := range w.Incidents {
		created, _ := time.Parse(time.RFC3339, inc.CreateTime)
		if created.After(w.End) || created.Before(w.Start) {
			t.Errorf("incident %s created at %s, outside %s..%s", inc.UUID, inc.CreateTime, w.Start, w.End)
		}
		if !strings.HasSuffix(inc.DisplayName, " on "+devices[inc.DeviceUUIDs[0]].DisplayName) {
			t.Errorf("incident %q is not named after its first device", inc.DisplayName)
		}
		for _, u := range inc.DetectionUUIDs {
			d := detections[u]
			at, _ := time.Parse(time.RFC3339Nano, d.OccurTime)
			if d == nil || !slices.Contains(inc.DeviceUUIDs, d.Device.UUID) || !at.Before(created) {
				t.Errorf("incident %s: detection %s is not one of its devices' from before it", inc.UUID, u)
			}
		}
	}

	groups := map[string]*esetapi.DeviceGroup{}
	names := map[string]int{}
	for i := range w.DeviceGroups {
		groups[w.DeviceGroups[i].UUID] = &w.DeviceGroups[i]
		names[w.DeviceGroups[i].DisplayName]++
	}
	publicIPs := map[string]int{}
	inGroups := map[string]int{}
	var muted, troubled int
	for _, d := range w.Devices {
		if g := groups[d.ParentGroupUUID]; g == nil || !g.IsSecurityGroup {
			t.Errorf("device %s has parent %q, not a static group", d.DisplayName, d.ParentGroupUUID)
		}
		publicIPs[d.PublicIPAddress]++
		inGroups[d.UUID]++
		if d.IsMuted {
			muted++
		}
		if d.FunctionalityStatus != "DEVICE_FUNCTIONALITY_STATUS_OK" {
			troubled++
		}
	}
	for g, members := range w.DynamicGroupMembers {
		if groups[g] == nil || groups[g].IsSecurityGroup {
			t.Errorf("dynamic members of %q", g)
		}
		for _, m := range members {
			inGroups[m]++
		}
	}
	several := 0
	for _, n := range inGroups {
		if n > 1 {
			several++
		}
	}
	if names["Linux"] != 2 || publicIPs["203.0.113.7"] < 2 || muted == 0 || troubled == 0 || several == 0 {
		t.Errorf("names %v, public IPs %v, %d muted, %d in trouble, %d in several groups", names, publicIPs, muted, troubled, several)
	}
	if n := len(devicesNamed(w, "FIN-LAPTOP-12")); n != 2 {
		t.Errorf("%d devices named FIN-LAPTOP-12, want 2", n)
	}
}

// The pinned facts the provider's tests and examples rely on.
func TestWorldPinnedFacts(t *testing.T) {
	w := GenerateWorld(WorldSpec{Seed: 3, Incidents: 400, End: testEnd})
	web := devicesNamed(w, alertedDevice)[0]
	found := false
	for _, d := range w.Detections {
		if d.Device.UUID == web.UUID && d.SeverityLevel == "SEVERITY_LEVEL_HIGH" && d.OccurTime == testEnd.Add(-3*time.Hour).Format(time.RFC3339) {
			found = true
		}
	}
	if !found {
		t.Error("web-01 has no high-severity detection 3 hours before the end")
	}
	quiet := devicesNamed(w, quietDevice)[0]
	for _, inc := range w.Incidents {
		if slices.Contains(inc.DeviceUUIDs, quiet.UUID) {
			t.Errorf("incident %s involves the quiet device", inc.UUID)
		}
	}
	for i, pd := range pinnedDevices {
		if w.Devices[i].DisplayName != pd.name {
			t.Errorf("device %d is %q, want %q", i, w.Devices[i].DisplayName, pd.name)
		}
	}
	if w.Devices[9].PrimaryLocalIPAddress != "" || !w.Devices[7].IsMuted || w.Devices[2].FunctionalityStatus != "DEVICE_FUNCTIONALITY_STATUS_ATTENTION_REQUIRED" {
		t.Error("CEO-iPhone has a local address, build-agent-2 is not muted or dc-01 needs no attention")
	}
}

func devicesNamed(w World, name string) []esetapi.Device {
	var out []esetapi.Device
	for _, d := range w.Devices {
		if d.DisplayName == name {
			out = append(out, d)
		}
	}
	return out
}
