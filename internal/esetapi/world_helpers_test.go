package esetapi_test

import (
	"bytes"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// testEnd is when the worlds of the tests end, so that their data is the same on every run.
var testEnd = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// newWorldEnv serves the world spec describes (ending at testEnd unless it says otherwise) with faults.
func newWorldEnv(t testing.TB, spec simulator.WorldSpec, faults simulator.Faults, cfg esetapi.Config, wrap func(http.Handler) http.Handler) (*env, simulator.World) {
	t.Helper()
	opts, w := worldOptions(spec, faults)
	return newEnv(t, opts, cfg, wrap), w
}

// worldOptions are the simulator's options for the world spec describes (ending at testEnd unless it says
// otherwise) with faults, and the world.
func worldOptions(spec simulator.WorldSpec, faults simulator.Faults) (simulator.Options, simulator.World) {
	if spec.End.IsZero() {
		spec.End = testEnd
	}
	w := simulator.GenerateWorld(spec)
	opts := simulator.Options{Faults: faults}
	opts.SetWorld(w)
	return opts, w
}

// deviceNamed returns the devices of w with display name name.
func devicesNamed(w simulator.World, name string) []esetapi.Device {
	var out []esetapi.Device
	for _, d := range w.Devices {
		if d.DisplayName == name {
			out = append(out, d)
		}
	}
	return out
}

// groupByPath returns the uuid of the group of w at path.
func groupByPath(t testing.TB, w simulator.World, path string) string {
	t.Helper()
	for uuid, p := range esetapi.GroupPaths(w.DeviceGroups) {
		if p == path {
			return uuid
		}
	}
	t.Fatalf("no group at %q", path)
	return ""
}

// v1View is what GET /v1/detections returns of a world's detection.
func v1View(d esetapi.DetectionDetails) esetapi.Detection {
	category := d.Category
	if category == "DETECTION_CATEGORY_EDR_RULE" {
		category = "DETECTION_CATEGORY_CORRELATION_RULE"
	}
	common := d.DetectionCommon
	common.Category = category
	out := esetapi.Detection{
		DetectionCommon: common,
		Context: esetapi.DetectionContext{DeviceUUID: d.Device.UUID, UserName: d.UserName, Circumstances: d.Circumstances,
			Process: esetapi.DetectionProcess{Path: d.Process.Path}},
	}
	for _, r := range d.Responses {
		r.ActionType = ""
		out.Responses = append(out.Responses, r)
	}
	return out
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

// newChurnEnv serves the world spec describes (ending at testEnd) with churn: perCall seeded changes after
// each list call (simulator.ChurnOptions).
func newChurnEnv(t testing.TB, spec simulator.WorldSpec, perCall int) (*env, simulator.World) {
	t.Helper()
	spec.End = testEnd
	w := simulator.GenerateWorld(spec)
	opts := simulator.Options{Churn: simulator.ChurnOptions{Seed: spec.Seed, PerCall: perCall}}
	opts.SetWorld(w)
	return newEnv(t, opts, fastConfig(), nil), w
}

// readUnderChurn compares the uuids a read listed with the simulator's ground truth: missing are those
// that matched for the whole read and were not listed, extra those listed that never matched during it,
// repeated those listed more than once.
func readUnderChurn(listed, throughout, atSomePoint []string) (missing, extra, repeated []string) {
	seen := map[string]int{}
	for _, u := range listed {
		seen[u]++
		if seen[u] == 2 {
			repeated = append(repeated, u)
		}
	}
	for _, u := range throughout {
		if seen[u] == 0 {
			missing = append(missing, u)
		}
	}
	allowed := map[string]bool{}
	for _, u := range atSomePoint {
		allowed[u] = true
	}
	for u := range seen {
		if !allowed[u] {
			extra = append(extra, u)
		}
	}
	return missing, extra, repeated
}
