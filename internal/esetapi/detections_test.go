package esetapi_test

import (
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// assertDetections fails unless got holds exactly want, in any order (the API promises none).
func assertDetections(t testing.TB, got []esetapi.Detection, want []esetapi.DetectionDetails) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d detections, want %d", len(got), len(want))
	}
	byUUID := map[string]esetapi.Detection{}
	for _, d := range got {
		byUUID[d.UUID] = d
	}
	for _, w := range want {
		if g, ok := byUUID[w.UUID]; !ok || !reflect.DeepEqual(g, v1View(w)) {
			t.Fatalf("detection %s differs:\n got  %+v\n want %+v", w.UUID, g, v1View(w))
		}
	}
}

func occurred(t testing.TB, d esetapi.DetectionDetails) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339Nano, d.OccurTime)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

// TestListDetectionsPaging lists every detection of worlds around the page size in ceil(N/1000) calls, and
// the answers are not in time order.
func TestListDetectionsPaging(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 1000, 1001, 2500} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			t.Parallel()
			var rec *recorder
			e, w := newWorldEnv(t, simulator.WorldSpec{Seed: uint64(n), Detections: n}, simulator.Faults{}, fastConfig(),
				func(h http.Handler) http.Handler { rec = record(h); return rec })
			res, err := listDetections(testContext(t, 20*time.Second), e.client, esetapi.DetectionListOptions{})
			if err != nil {
				t.Fatal(err)
			}
			assertDetections(t, res.Detections, w.Detections)
			want := (n + 999) / 1000
			if res.Calls != want || res.Truncated || len(rec.calls("/v1/detections")) != want {
				t.Errorf("result %+v after %d calls, want %d calls", res, len(rec.calls("/v1/detections")), want)
			}
			sorted := slices.IsSortedFunc(res.Detections, func(a, b esetapi.Detection) int { return compareTimes(t, a, b) })
			if n > 10 && sorted {
				t.Error("the detections came in time order: the test does not show the client copes without")
			}
			esetapi.SortDetections(res.Detections)
			if !slices.IsSortedFunc(res.Detections, func(a, b esetapi.Detection) int { return compareTimes(t, a, b) }) {
				t.Error("SortDetections did not sort by time")
			}
		})
	}
}

func compareTimes(t testing.TB, a, b esetapi.Detection) int {
	ta, err1 := time.Parse(time.RFC3339Nano, a.OccurTime)
	tb, err2 := time.Parse(time.RFC3339Nano, b.OccurTime)
	if err1 != nil || err2 != nil {
		t.Fatalf("unreadable times %q %q", a.OccurTime, b.OccurTime)
	}
	return ta.Compare(tb)
}

// TestListDetectionsSelection selects by device (one listing each), time window (start inclusive, end
// exclusive, sent in UTC), severity and category, and bounds the count.
func TestListDetectionsSelection(t *testing.T) {
	t.Parallel()
	var rec *recorder
	e, w := newWorldEnv(t, simulator.WorldSpec{Seed: 12, Incidents: 200, Devices: 60}, simulator.Faults{}, fastConfig(),
		func(h http.Handler) http.Handler { rec = record(h); return rec })
	ctx := testContext(t, 10*time.Second)
	where := func(keep func(d *esetapi.DetectionDetails) bool) []esetapi.DetectionDetails {
		var out []esetapi.DetectionDetails
		for i := range w.Detections {
			if keep(&w.Detections[i]) {
				out = append(out, w.Detections[i])
			}
		}
		return out
	}
	devices := []string{w.Devices[0].UUID, w.Devices[1].UUID, w.Devices[2].UUID, w.Devices[0].UUID}
	pivot := occurred(t, w.Detections[len(w.Detections)/2])
	before := pivot.Add(6 * time.Hour)
	cet := time.FixedZone("CET", 3600)
	for _, tc := range []struct {
		name  string
		opts  esetapi.DetectionListOptions
		want  []esetapi.DetectionDetails
		calls int
	}{
		{"devices", esetapi.DetectionListOptions{DeviceUUIDs: devices},
			where(func(d *esetapi.DetectionDetails) bool { return slices.Contains(devices, d.Device.UUID) }), 1},
		{"devices per device", esetapi.DetectionListOptions{DeviceUUIDs: devices, Plan: esetapi.DetectionsPerDevice},
			where(func(d *esetapi.DetectionDetails) bool { return slices.Contains(devices, d.Device.UUID) }), 3},
		{"upper-case devices", esetapi.DetectionListOptions{DeviceUUIDs: []string{strings.ToUpper(devices[0]), devices[0], strings.ToUpper(devices[1])}},
			where(func(d *esetapi.DetectionDetails) bool { return slices.Contains(devices[:2], d.Device.UUID) }), 1},
		{"upper-case devices per device", esetapi.DetectionListOptions{DeviceUUIDs: []string{strings.ToUpper(devices[0]), devices[0], strings.ToUpper(devices[1])}, Plan: esetapi.DetectionsPerDevice},
			where(func(d *esetapi.DetectionDetails) bool { return slices.Contains(devices[:2], d.Device.UUID) }), 2},
		{"window", esetapi.DetectionListOptions{OccurredAfter: pivot.In(cet), OccurredBefore: before.In(cet)},
			where(func(d *esetapi.DetectionDetails) bool {
				at := occurred(t, *d)
				return !at.Before(pivot) && at.Before(before)
			}), 1},
		{"severities and categories", esetapi.DetectionListOptions{SeverityLevels: []string{"SEVERITY_LEVEL_HIGH"}, Categories: []string{"DETECTION_CATEGORY_ANTIVIRUS", "DETECTION_CATEGORY_CORRELATION_RULE"}},
			where(func(d *esetapi.DetectionDetails) bool {
				c := v1View(*d).Category
				return d.SeverityLevel == "SEVERITY_LEVEL_HIGH" && (c == "DETECTION_CATEGORY_ANTIVIRUS" || c == "DETECTION_CATEGORY_CORRELATION_RULE")
			}), 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.want) == 0 {
				t.Fatal("nothing selected: the test proves nothing")
			}
			n := len(rec.calls("/v1/detections"))
			res, err := listDetections(ctx, e.client, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			assertDetections(t, res.Detections, tc.want)
			calls := rec.calls("/v1/detections")[n:]
			if res.Calls != tc.calls || len(calls) != tc.calls {
				t.Errorf("%d calls (result says %d), want %d", len(calls), res.Calls, tc.calls)
			}
			for _, h := range calls {
				if st := h.query.Get("startTime"); tc.opts.OccurredAfter.IsZero() == (st != "") || st != "" && st != pivot.UTC().Format(time.RFC3339Nano) {
					t.Errorf("startTime %q", st)
				}
			}
		})
	}

	// The pivot itself is in a window that starts at it and not in one that ends at it.
	res, err := listDetections(ctx, e.client, esetapi.DetectionListOptions{OccurredAfter: pivot, OccurredBefore: pivot.Add(time.Nanosecond)})
	if err != nil || !slices.ContainsFunc(res.Detections, func(d esetapi.Detection) bool { return d.UUID == w.Detections[len(w.Detections)/2].UUID }) {
		t.Errorf("the start of a window is not inclusive: %v", err)
	}
	res, err = listDetections(ctx, e.client, esetapi.DetectionListOptions{OccurredBefore: pivot})
	if err != nil || slices.ContainsFunc(res.Detections, func(d esetapi.Detection) bool { return d.UUID == w.Detections[len(w.Detections)/2].UUID }) {
		t.Errorf("the end of a window is not exclusive: %v", err)
	}

	// A bound across devices: truncated, and the devices left (or the page's other detections) are not
	// read.
	for _, plan := range []esetapi.DetectionPlan{esetapi.DetectionsPerDevice, ""} {
		n := len(rec.calls("/v1/detections"))
		res, err = listDetections(ctx, e.client, esetapi.DetectionListOptions{DeviceUUIDs: devices, MaxResults: 1, Plan: plan})
		if err != nil || len(res.Detections) != 1 || !res.Truncated || len(rec.calls("/v1/detections"))-n != 1 {
			t.Errorf("MaxResults 1, plan %q: %d detections, truncated=%v, %d calls, %v", plan, len(res.Detections), res.Truncated, len(rec.calls("/v1/detections"))-n, err)
		}
	}
}

// TestDetectionValues: proto3 omissions read as defaults, explicit zero values as unset, int64 as strings,
// and unknown fields and enum values pass through.
func TestDetectionValues(t *testing.T) {
	t.Parallel()
	body := `{"detections":[
		{"uuid":"00000000-0000-4000-8000-000000000001"},
		{"uuid":"00000000-0000-4000-8000-000000000002","typeName":"nil","networkCommunication":{"localPort":0,"remotePort":"443","protocolName":""},"context":{"deviceUuid":"d1"}},
		{"uuid":"00000000-0000-4000-8000-000000000003","severityLevel":"SEVERITY_LEVEL_CRITICAL","category":"DETECTION_CATEGORY_AI_RULE","mitre":[{"id":"T1"}]}
	],"totalSize":"3"}`
	e := newEnv(t, simulator.Options{}, fastConfig(), staticAPI(body))
	res, err := listDetections(testContext(t, 5*time.Second), e.client, esetapi.DetectionListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defaults := esetapi.Detection{DetectionCommon: esetapi.DetectionCommon{Category: esetapi.DetectionCategoryUnspecified, SeverityLevel: esetapi.DetectionSeverityUnspecified}}
	onlyUUID, zeros, newer := defaults, defaults, defaults
	onlyUUID.UUID, zeros.UUID, newer.UUID = "00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002", "00000000-0000-4000-8000-000000000003"
	zeros.TypeName, zeros.NetworkCommunication.RemotePort, zeros.Context.DeviceUUID = "nil", 443, "d1"
	newer.SeverityLevel, newer.Category = "SEVERITY_LEVEL_CRITICAL", "DETECTION_CATEGORY_AI_RULE"
	if want := []esetapi.Detection{onlyUUID, zeros, newer}; !reflect.DeepEqual(res.Detections, want) {
		t.Errorf("got  %+v\nwant %+v", res.Detections, want)
	}

	e, w := newWorldEnv(t, simulator.WorldSpec{Seed: 13, Incidents: 30}, simulator.Faults{Int64AsStrings: true, UnknownFields: true}, fastConfig(), nil)
	res, err = listDetections(testContext(t, 5*time.Second), e.client, esetapi.DetectionListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(w.Detections)
	for i := range want {
		if want[i].SeverityLevel == "SEVERITY_LEVEL_HIGH" {
			want[i].SeverityLevel = "SEVERITY_LEVEL_CRITICAL"
		}
	}
	assertDetections(t, res.Detections, want)
}

// TestSortDetections orders by instant, whatever the offset and fraction, then by uuid.
func TestSortDetections(t *testing.T) {
	t.Parallel()
	ds := []esetapi.Detection{
		{DetectionCommon: esetapi.DetectionCommon{UUID: "c", OccurTime: "2026-11-01T10:00:00.5Z"}},
		{DetectionCommon: esetapi.DetectionCommon{UUID: "b", OccurTime: "2026-11-01T11:00:00+01:00"}},
		{DetectionCommon: esetapi.DetectionCommon{UUID: "a", OccurTime: "2026-11-01T10:00:00Z"}},
		{DetectionCommon: esetapi.DetectionCommon{UUID: "d", OccurTime: "2026-11-01T09:59:59.999999Z"}},
		{DetectionCommon: esetapi.DetectionCommon{UUID: "e", OccurTime: "garbage"}},
	}
	esetapi.SortDetections(ds)
	var got []string
	for _, d := range ds {
		got = append(got, d.UUID)
	}
	if !slices.Equal(got, []string{"e", "d", "a", "b", "c"}) {
		t.Errorf("order %v", got)
	}
}

// ListDetections hands over each page as it arrives, at most a full page each: the pages together are
// the listing, and the result counts what they held.
func TestListDetectionsByPage(t *testing.T) {
	t.Parallel()
	e, w := newWorldEnv(t, simulator.WorldSpec{Seed: 3, Detections: 2500}, simulator.Faults{}, fastConfig(), nil)
	var got []esetapi.Detection
	var sizes []int
	res, err := e.client.ListDetections(testContext(t, 20*time.Second), esetapi.DetectionListOptions{}, func(page []esetapi.Detection) error {
		got = append(got, page...)
		sizes = append(sizes, len(page))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	assertDetections(t, got, w.Detections)
	if res.Items != len(got) || len(sizes) != res.Calls || slices.Max(sizes) > esetapi.MaxPageSize {
		t.Errorf("pages of %v for a result %+v", sizes, res)
	}
}

// TestListDetectionsRefusesBadDevices: an empty device would list every device's detections (failing
// open) and a name would match none; both are refused before any call, with GetDevice's words.
func TestListDetectionsRefusesBadDevices(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	e := newEnv(t, simulator.Options{}, fastConfig(), apiOverride(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		fmt.Fprint(w, `{"detections":[]}`)
	}))
	for _, devices := range [][]string{{""}, {"web-01"}, {"4d4e8d3c-0000-4000-8000-000000000000", " "}} {
		_, err := listDetections(testContext(t, 5*time.Second), e.client, esetapi.DetectionListOptions{DeviceUUIDs: devices})
		if err == nil || !strings.Contains(err.Error(), "not a uuid (8-4-4-4-12 hexadecimal digits)") || calls.Load() != 0 {
			t.Errorf("%q: got %v after %d calls, want a refusal before any call", devices, err, calls.Load())
		}
	}
}

// TestListDetectionsRefusesBadPlans: a plan that is none, or per_device without devices, is refused before
// any call rather than listed as the window.
func TestListDetectionsRefusesBadPlans(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	e := newEnv(t, simulator.Options{}, fastConfig(), apiOverride(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		fmt.Fprint(w, `{"detections":[]}`)
	}))
	for _, opts := range []esetapi.DetectionListOptions{
		{Plan: "per_host", DeviceUUIDs: []string{"4d4e8d3c-0000-4000-8000-000000000000"}},
		{Plan: esetapi.DetectionsPerDevice},
	} {
		_, err := listDetections(testContext(t, 5*time.Second), e.client, opts)
		if err == nil || !strings.Contains(err.Error(), "plan") || calls.Load() != 0 {
			t.Errorf("plan %q with %d devices: got %v after %d calls, want a refusal before any call", opts.Plan, len(opts.DeviceUUIDs), err, calls.Load())
		}
	}
}

// TestDetectionsOutsideTheQuery: a detection of another device than the one asked for, or outside the
// window, comes from a server that ignored the filter: an error, since the list is not the one asked for.
func TestDetectionsOutsideTheQuery(t *testing.T) {
	t.Parallel()
	const asked, other = "4d4e8d3c-0000-4000-8000-000000000001", "4d4e8d3c-0000-4000-8000-0000000000ff"
	e := newEnv(t, simulator.Options{}, fastConfig(), apiOverride(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"detections":[{"uuid":"00000000-0000-4000-8000-0000000000d1","occurTime":"2026-10-01T12:00:00Z","context":{"deviceUuid":%q}}]}`, other)
	}))
	ctx := testContext(t, 5*time.Second)
	day := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	_, err := listDetections(ctx, e.client, esetapi.DetectionListOptions{DeviceUUIDs: []string{asked}, Plan: esetapi.DetectionsPerDevice})
	assertDecodeError(t, err, other)
	_, err = listDetections(ctx, e.client, esetapi.DetectionListOptions{OccurredAfter: day.Add(13 * time.Hour)})
	assertDecodeError(t, err, "2026-10-01T12:00:00Z")
	_, err = listDetections(ctx, e.client, esetapi.DetectionListOptions{OccurredBefore: day.Add(12 * time.Hour)})
	assertDecodeError(t, err, "2026-10-01T12:00:00Z")
	// The window listed for every device refuses a detection outside the window, whichever device it is of.
	_, err = listDetections(ctx, e.client, esetapi.DetectionListOptions{DeviceUUIDs: []string{asked}, OccurredAfter: day.Add(13 * time.Hour)})
	assertDecodeError(t, err, "2026-10-01T12:00:00Z")
	for _, plan := range []esetapi.DetectionPlan{esetapi.DetectionsPerDevice, esetapi.DetectionsWindow, ""} {
		if res, err := listDetections(ctx, e.client, esetapi.DetectionListOptions{DeviceUUIDs: []string{other}, OccurredAfter: day, OccurredBefore: day.Add(12*time.Hour + 1), Plan: plan}); err != nil || len(res.Detections) != 1 {
			t.Errorf("a detection inside the query, plan %q: %d detections, %v", plan, len(res.Detections), err)
		}
		// Listed for every device, another device's detection is not asked for, and is left out.
		if res, err := listDetections(ctx, e.client, esetapi.DetectionListOptions{DeviceUUIDs: []string{asked}, Plan: plan}); plan != esetapi.DetectionsPerDevice && (err != nil || len(res.Detections) != 0) {
			t.Errorf("another device's detection in the window listing, plan %q: %d detections, %v", plan, len(res.Detections), err)
		}
	}
}

// TestListDetectionsTruncatedOnlyWhenCut: a bound reached exactly by the first device's detections is not
// a truncation when the devices left have none; it is when one of them has some. Each device left costs
// one call of one item.
func TestListDetectionsTruncatedOnlyWhenCut(t *testing.T) {
	t.Parallel()
	const devA, devB, devC = "4d4e8d3c-0000-4000-8000-00000000000a", "4d4e8d3c-0000-4000-8000-00000000000b", "4d4e8d3c-0000-4000-8000-00000000000c"
	count := map[string]int{devA: 7, devB: 0, devC: 2}
	var rec *recorder
	e := newEnv(t, simulator.Options{}, fastConfig(), func(sim http.Handler) http.Handler {
		rec = record(apiOverride(func(w http.ResponseWriter, r *http.Request) {
			device := r.URL.Query().Get("deviceUuid")
			size, _ := strconv.Atoi(r.URL.Query().Get("pageSize"))
			from, _ := strconv.Atoi(r.URL.Query().Get("pageToken"))
			var items []string
			for i := from; i < count[device] && len(items) < size; i++ {
				items = append(items, fmt.Sprintf(`{"uuid":"%s%c%011d","context":{"deviceUuid":%q}}`, device[:24], device[35], i, device))
			}
			next := ""
			if from+len(items) < count[device] {
				next = strconv.Itoa(from + len(items))
			}
			fmt.Fprintf(w, `{"detections":[%s],"nextPageToken":%q}`, strings.Join(items, ","), next)
		})(sim))
		return rec
	})
	ctx := testContext(t, 5*time.Second)
	for _, tc := range []struct {
		devices   []string
		truncated bool
		calls     int
	}{
		{[]string{devA, devB}, false, 2},
		{[]string{devA, devB, devC}, true, 3},
		{[]string{devA}, false, 1},
	} {
		n := len(rec.calls("/v1/detections"))
		res, err := listDetections(ctx, e.client, esetapi.DetectionListOptions{DeviceUUIDs: tc.devices, MaxResults: 7, Plan: esetapi.DetectionsPerDevice})
		calls := rec.calls("/v1/detections")[n:]
		if err != nil || len(res.Detections) != 7 || res.Truncated != tc.truncated || len(calls) != tc.calls {
			t.Errorf("%d devices: %d detections, truncated=%v, %d calls, %v; want 7, %v, %d", len(tc.devices), len(res.Detections), res.Truncated, len(calls), err, tc.truncated, tc.calls)
		}
		for _, h := range calls[1:] {
			if h.query.Get("pageSize") != "1" {
				t.Errorf("a device past the bound was asked for a page of %s, want 1", h.query.Get("pageSize"))
			}
		}
	}
}

// TestListDetectionsUnderChurn reads every detection of a window (about 10,000, several pages) while
// detections arrive late after each page, with occurrence times in the past, inside the window. The list
// is in no order and pages by offset, so a late one sorted in before the offset makes the next page
// repeat an item, which the client drops by uuid; nothing that was in the window for the whole read is
// missing, as long as detections are only added (the guarantee eset_detections documents).
func TestListDetectionsUnderChurn(t *testing.T) {
	t.Parallel()
	e, w := newChurnEnv(t, simulator.WorldSpec{Seed: 23, Incidents: 2000, Devices: 1000}, 40)
	from, to := w.Start, w.End
	mark := e.sim.Mark()
	res, err := listDetections(testContext(t, 30*time.Second), e.client, esetapi.DetectionListOptions{OccurredAfter: from, OccurredBefore: to})
	if err != nil {
		t.Fatal(err)
	}
	var uuids []string
	for _, d := range res.Detections {
		uuids = append(uuids, d.UUID)
	}
	throughout, atSomePoint := e.sim.DetectionsPresent(mark, "", from, to)
	missing, extra, repeated := readUnderChurn(uuids, throughout, atSomePoint)
	t.Logf("%d calls, %d listed, %d dropped as repeats; %d in the window throughout, %d arrived during the read", res.Calls, len(uuids), res.Duplicates, len(throughout), len(atSomePoint)-len(throughout))
	if len(missing) > 0 || len(extra) > 0 || len(repeated) > 0 {
		t.Errorf("%d missing, %d extra, %d repeated", len(missing), len(extra), len(repeated))
	}
	if res.Duplicates == 0 {
		t.Error("no page repeated an item: the late detections did not shift the offsets, the test shows nothing")
	}
}

// TestDetectionPlans: with devices, the first page of the window listing chooses the plan that needs fewer
// calls: the window (ceil(N/1000) calls for the tenant's N) unless it needs more than one call per device
// besides the one made; then each device is listed, and the first page is dropped rather than counted
// twice. The choice and both forced plans give the same detections, and at any bound the same count and
// truncated.
func TestDetectionPlans(t *testing.T) {
	t.Parallel()
	var rec *recorder
	e, w := newWorldEnv(t, simulator.WorldSpec{Seed: 24, Detections: 4500}, simulator.Faults{}, fastConfig(),
		func(h http.Handler) http.Handler { rec = record(h); return rec })
	if len(w.Detections) != 4500 {
		t.Fatalf("the world has %d detections, want 4500: 5 pages of the window", len(w.Detections))
	}
	ctx := testContext(t, 60*time.Second)
	for _, tc := range []struct {
		devices int
		plan    esetapi.DetectionPlan
		calls   int
	}{
		{3, esetapi.DetectionsPerDevice, 1 + 3}, // the window's 5 pages would be 4 more calls than the one made
		{4, esetapi.DetectionsWindow, 5},        // 4 more calls either way: the window
	} {
		t.Run(fmt.Sprint(tc.devices), func(t *testing.T) {
			var devices []string
			for i := 0; len(devices) < tc.devices; i++ {
				if d := w.Devices[i]; slices.ContainsFunc(w.Detections, func(x esetapi.DetectionDetails) bool { return x.Device.UUID == d.UUID }) {
					devices = append(devices, d.UUID)
				}
			}
			var want []esetapi.DetectionDetails
			for _, d := range w.Detections {
				if slices.Contains(devices, d.Device.UUID) {
					want = append(want, d)
				}
			}
			n := len(rec.calls("/v1/detections"))
			res, err := listDetections(ctx, e.client, esetapi.DetectionListOptions{DeviceUUIDs: devices})
			if err != nil {
				t.Fatal(err)
			}
			assertDetections(t, res.Detections, want)
			calls := rec.calls("/v1/detections")[n:]
			if res.Plan != tc.plan || res.Calls != tc.calls || len(calls) != tc.calls || res.Duplicates != 0 {
				t.Errorf("plan %q in %d calls (%d made), %d duplicates; want %q in %d, none", res.Plan, res.Calls, len(calls), res.Duplicates, tc.plan, tc.calls)
			}
			if q := calls[0].query; q.Has("deviceUuid") || q.Get("pageSize") != "1000" {
				t.Errorf("the first call asked %v, want the window's first page of 1000 for every device", q)
			}
			esetapi.SortDetections(res.Detections)
			for _, plan := range []esetapi.DetectionPlan{esetapi.DetectionsPerDevice, esetapi.DetectionsWindow} {
				forced, err := listDetections(ctx, e.client, esetapi.DetectionListOptions{DeviceUUIDs: devices, Plan: plan})
				if err != nil {
					t.Fatal(err)
				}
				esetapi.SortDetections(forced.Detections)
				if !reflect.DeepEqual(forced.Detections, res.Detections) || forced.Plan != plan {
					t.Errorf("plan %q listed other detections, or in another order, than the chosen plan", plan)
				}
			}
			for _, bound := range []int{len(want), len(want) - 1, 1} {
				for _, plan := range []esetapi.DetectionPlan{"", esetapi.DetectionsPerDevice, esetapi.DetectionsWindow} {
					res, err := listDetections(ctx, e.client, esetapi.DetectionListOptions{DeviceUUIDs: devices, MaxResults: bound, Plan: plan})
					if err != nil || len(res.Detections) != bound || res.Truncated != (bound < len(want)) {
						t.Errorf("bound %d of %d, plan %q: %d detections, truncated=%v, %v", bound, len(want), plan, len(res.Detections), res.Truncated, err)
					}
				}
			}
		})
	}
}
