package simulator

import (
	"math/rand/v2"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// World is one consistent data set: a tree of device groups, devices in them, detections on those devices
// over time, and incidents whose device and detection uuids point at them.
type World struct {
	DeviceGroups []esetapi.DeviceGroup
	Devices      []esetapi.Device
	// DynamicGroupMembers lists the device uuids of each dynamic group, by group uuid; a device is also a
	// member of its parent (static) group.
	DynamicGroupMembers map[string][]string
	// Detections are v2 records, the richer ones; the v1 list is served from them.
	Detections []esetapi.DetectionDetails
	Incidents  []esetapi.Incident
	// Start and End bound the times of the incidents and of the detections of devices that sync; a device
	// that stopped syncing (in Lost & Found) has its detections from the days before its last sync.
	Start, End time.Time
}

// WorldSpec says what GenerateWorld makes.
type WorldSpec struct {
	Seed uint64
	// Incidents is the number of incidents; each comes with 1 to 5 detections of its own.
	Incidents int
	// Devices is the number of devices, at least the 11 named ones; zero means max(40, Incidents/10).
	Devices int
	// Detections is the number of detections besides those of the incidents; zero means three per device.
	Detections int
	// End is when the data ends: the newest incident and detection are just before it. Zero means now.
	End time.Time
}

// GenerateWorld makes a world, the same for the same spec (and so, with a fixed End, on every run).
// Incidents are created 7 minutes apart before End; detections spread over the incidents' span or the
// last 7 days, whichever is longer.
func GenerateWorld(spec WorldSpec) World {
	if spec.End.IsZero() {
		spec.End = time.Now()
	}
	end := spec.End.UTC().Truncate(time.Second)
	if spec.Devices <= 0 {
		spec.Devices = max(40, spec.Incidents/10)
	}
	if spec.Detections <= 0 {
		spec.Detections = 3 * max(spec.Devices, len(pinnedDevices))
	}
	start := end.Add(-max(time.Duration(spec.Incidents)*incidentStep, 7*24*time.Hour))
	rng := rand.New(rand.NewPCG(spec.Seed, spec.Seed^0x9e3779b97f4a7c15))
	w := World{Start: start, End: end}
	w.DeviceGroups = generateGroups(rng)
	w.Devices = generateDevices(rng, w.DeviceGroups, spec.Devices, end)
	w.DynamicGroupMembers = dynamicMembers(w.DeviceGroups, w.Devices)
	g := &detectionGenerator{rng: rng, devices: w.Devices, end: end}
	w.Incidents = generateIncidents(rng, g, spec.Incidents, end)
	w.Detections = append(g.generated, g.background(spec.Detections, start)...)
	return w
}

// Generate makes n incidents of a world that ends now, with seed; see GenerateWorld.
func Generate(seed uint64, n int) []esetapi.Incident {
	return GenerateWorld(WorldSpec{Seed: seed, Incidents: n}).Incidents
}

// SetWorld makes w the server's data set.
func (o *Options) SetWorld(w World) {
	o.DeviceGroups, o.Devices, o.DynamicGroupMembers = w.DeviceGroups, w.Devices, w.DynamicGroupMembers
	o.Detections, o.Incidents = w.Detections, w.Incidents
}
