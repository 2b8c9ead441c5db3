package esetapi_test

import (
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// namesEnv serves a world of n devices in which two devices share a name of the first 500 (by uuid), and
// returns those 500 names (2 URL batches). While *short is set, a listing without displayNames is
// served as a page of 999 with a next page: the tenant looks bigger than a page, forcing the batches.
func namesEnv(t *testing.T, n int, short *atomic.Bool) (*env, *recorder, []string, simulator.World) {
	t.Helper()
	opts, w := worldOptions(simulator.WorldSpec{Seed: 24, Devices: n, Detections: 1}, simulator.Faults{})
	byUUID := slices.Clone(w.Devices)
	slices.SortFunc(byUUID, func(a, b esetapi.Device) int { return strings.Compare(a.UUID, b.UUID) })
	var names []string
	for _, d := range byUUID {
		if d.DisplayName != "" && !slices.Contains(names, d.DisplayName) && len(names) < 500 {
			names = append(names, d.DisplayName)
		}
	}
	// A name held by two devices: both are listed, by either plan.
	twin := slices.IndexFunc(w.Devices, func(d esetapi.Device) bool { return !slices.Contains(names, d.DisplayName) })
	w.Devices[twin].DisplayName = names[1]
	opts.Devices = w.Devices
	var rec *recorder
	e := newEnv(t, opts, fastConfig(), func(h http.Handler) http.Handler {
		rec = record(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if q := r.URL.Query(); short != nil && short.Load() && r.URL.Path == "/v1/devices" && !q.Has("displayNames") {
				q.Set("pageSize", "999")
				r.URL.RawQuery = q.Encode()
			}
			h.ServeHTTP(w, r)
		}))
		return rec
	})
	return e, rec, names, w
}

// named returns the devices of w whose name is one of names, as a sorted list of uuids.
func named(w simulator.World, names []string) []string {
	var out []string
	for _, d := range w.Devices {
		if slices.Contains(names, d.DisplayName) {
			out = append(out, d.UUID)
		}
	}
	slices.Sort(out)
	return out
}

func uuidsOf(devices []esetapi.Device) []string {
	out := make([]string, len(devices))
	for i := range devices {
		out[i] = devices[i].UUID
	}
	return out
}

// TestDisplayNamesFromOnePage: 500 names (2 URL batches) in a tenant of 1,000 devices take one call, a
// page of every device, and give exactly what the batches give, in the same order, a name's two devices
// included. With MaxResults, the same first devices and truncated.
func TestDisplayNamesFromOnePage(t *testing.T) {
	t.Parallel()
	var short atomic.Bool
	e, rec, names, w := namesEnv(t, 1000, &short)
	ctx := testContext(t, 20*time.Second)
	opts := esetapi.DeviceListOptions{DisplayNames: names}
	got, err := listDevices(ctx, e.client, opts)
	if err != nil {
		t.Fatal(err)
	}
	calls := rec.calls("/v1/devices")
	if got.Calls != 1 || len(calls) != 1 || calls[0].query.Has("displayNames") || calls[0].query.Get("pageSize") != "1000" {
		t.Fatalf("%d calls (result says %d), the first with names: %v; want one page of every device", len(calls), got.Calls, calls[0].query.Has("displayNames"))
	}
	if want := named(w, names); !slices.Equal(slices.Sorted(slices.Values(uuidsOf(got.Devices))), want) || len(want) <= len(names) {
		t.Fatalf("%d devices listed, want the %d named (more than the %d names: one is held twice)", len(got.Devices), len(want), len(names))
	}

	short.Store(true)
	batched, err := listDevices(ctx, e.client, opts)
	if err != nil {
		t.Fatal(err)
	}
	batches := len(rec.calls("/v1/devices")) - 2
	if batches < 2 || batched.Calls != batches+1 {
		t.Fatalf("with a tenant bigger than a page: %d calls (result %d), want the page and at least 2 batches", batches+1, batched.Calls)
	}
	assertDevices(t, got.Devices, batched.Devices)

	short.Store(false)
	opts.MaxResults = 100
	cut, err := listDevices(ctx, e.client, opts)
	if err != nil || !cut.Truncated || cut.Calls != 1 {
		t.Fatalf("max_results 100: %d devices, truncated %v, %d calls, %v", len(cut.Devices), cut.Truncated, cut.Calls, err)
	}
	assertDevices(t, cut.Devices, batched.Devices[:100])
}

// TestDisplayNamesBeyondOnePage: in a tenant of 3,000 devices, the page of every device has a next page:
// it is dropped and the batches sent, one call more than they take, with the same devices.
func TestDisplayNamesBeyondOnePage(t *testing.T) {
	t.Parallel()
	e, rec, names, w := namesEnv(t, 3000, nil)
	got, err := listDevices(testContext(t, 20*time.Second), e.client, esetapi.DeviceListOptions{DisplayNames: names})
	if err != nil {
		t.Fatal(err)
	}
	calls := rec.calls("/v1/devices")
	if calls[0].query.Has("displayNames") || len(calls) < 3 || got.Calls != len(calls) {
		t.Fatalf("%d calls (result %d), the first with names: %v; want the page of every device, then the batches", len(calls), got.Calls, calls[0].query.Has("displayNames"))
	}
	for _, h := range calls[1:] {
		if !h.query.Has("displayNames") || h.query.Has("pageToken") {
			t.Errorf("after the first page: a call without names, or with a page token; want a batch of names")
		}
	}
	if want := named(w, names); !slices.Equal(slices.Sorted(slices.Values(uuidsOf(got.Devices))), want) {
		t.Fatalf("%d devices listed, want the %d named", len(got.Devices), len(want))
	}
}

// TestDisplayNamesOtherCaseGoToTheAPI: a name asked for that the page holds only in another case leaves the
// matching to the API, whose case sensitivity is not documented: the page is dropped and the batches sent,
// as for a tenant of more than a page, rather than call the name missing on the provider's own reading.
func TestDisplayNamesOtherCaseGoToTheAPI(t *testing.T) {
	t.Parallel()
	e, rec, names, _ := namesEnv(t, 1000, nil)
	other := strings.ToLower(names[0])
	if other == names[0] {
		other = strings.ToUpper(names[0])
	}
	if other == names[0] {
		t.Fatalf("name %q has no case", names[0])
	}
	names[0] = other
	got, err := listDevices(testContext(t, 20*time.Second), e.client, esetapi.DeviceListOptions{DisplayNames: names})
	if err != nil {
		t.Fatal(err)
	}
	calls := rec.calls("/v1/devices")
	if len(calls) < 3 || calls[0].query.Has("displayNames") || !calls[1].query.Has("displayNames") || got.Calls != len(calls) {
		t.Fatalf("%d calls (result %d); want the page of every device, then the batches", len(calls), got.Calls)
	}
}
