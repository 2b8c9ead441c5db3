package esetapi_test

import (
	"errors"
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

// assertDevices fails unless got is exactly want, in order.
func assertDevices(t testing.TB, got, want []esetapi.Device) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d devices, want %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("device %d differs:\n got  %+v\n want %+v", i, got[i], want[i])
		}
	}
}

// TestListDevicesPaging lists worlds around the page size: every device once, in order and whole, in
// exactly ceil(N/1000) calls, each asking for a full page.
func TestListDevicesPaging(t *testing.T) {
	t.Parallel()
	for _, n := range []int{11, 1000, 1001, 2500} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			t.Parallel()
			var rec *recorder
			e, w := newWorldEnv(t, simulator.WorldSpec{Seed: uint64(n), Devices: n, Detections: 1}, simulator.Faults{}, fastConfig(),
				func(h http.Handler) http.Handler { rec = record(h); return rec })
			res, err := listDevices(testContext(t, 20*time.Second), e.client, esetapi.DeviceListOptions{})
			if err != nil {
				t.Fatal(err)
			}
			assertDevices(t, res.Devices, w.Devices)
			want := (n + 999) / 1000
			if res.Calls != want || res.Truncated || res.Duplicates != 0 || e.sim.Stats().Calls["GET /v1/devices"] != int64(want) {
				t.Errorf("result calls=%d truncated=%v duplicates=%d, stats %v; want %d calls", res.Calls, res.Truncated, res.Duplicates, e.sim.Stats().Calls, want)
			}
			for i, h := range rec.calls("/v1/devices") {
				if h.query.Get("pageSize") != "1000" || (h.query.Get("pageToken") != "") != (i > 0) {
					t.Errorf("call %d: %s", i, h.rawQuery)
				}
			}
		})
	}
}

// TestListDevicesFilters selects devices by each filter, server-side and client-side, against what the
// world holds.
func TestListDevicesFilters(t *testing.T) {
	t.Parallel()
	e, w := newWorldEnv(t, simulator.WorldSpec{Seed: 3, Incidents: 50, Devices: 300}, simulator.Faults{}, fastConfig(), nil)
	paths := esetapi.GroupPaths(w.DeviceGroups)
	where := func(keep func(d *esetapi.Device) bool) []esetapi.Device {
		var out []esetapi.Device
		for i := range w.Devices {
			if keep(&w.Devices[i]) {
				out = append(out, w.Devices[i])
			}
		}
		return out
	}
	servers := groupByPath(t, w, "All/Servers")
	web01 := devicesNamed(w, "web-01")[0]
	for _, tc := range []struct {
		name  string
		opts  esetapi.DeviceListOptions
		want  []esetapi.Device
		calls int
	}{
		{"display names, one shared by two devices, one unknown", esetapi.DeviceListOptions{DisplayNames: []string{"web-01", "FIN-LAPTOP-12", "no-such-host", "web-01"}},
			where(func(d *esetapi.Device) bool { return d.DisplayName == "web-01" || d.DisplayName == "FIN-LAPTOP-12" }), 1},
		{"functionality status", esetapi.DeviceListOptions{FunctionalityStatus: "DEVICE_FUNCTIONALITY_STATUS_ATTENTION_REQUIRED"},
			where(func(d *esetapi.Device) bool {
				return d.FunctionalityStatus == "DEVICE_FUNCTIONALITY_STATUS_ATTENTION_REQUIRED"
			}), 1},
		{"group without subgroups", esetapi.DeviceListOptions{GroupUUID: servers}, nil, 1},
		{"group with subgroups", esetapi.DeviceListOptions{GroupUUID: servers, RecurseSubgroups: true},
			where(func(d *esetapi.Device) bool { return strings.HasPrefix(paths[d.ParentGroupUUID], "All/Servers/") }), 2},
		{"root with subgroups and dynamic groups: each device once", esetapi.DeviceListOptions{GroupUUID: w.DeviceGroups[0].UUID, RecurseSubgroups: true},
			w.Devices, 2},
		{"shared public address", esetapi.DeviceListOptions{IPAddresses: []string{"203.0.113.7"}},
			where(func(d *esetapi.Device) bool { return d.PublicIPAddress == "203.0.113.7" }), 1},
		{"local address, written another way", esetapi.DeviceListOptions{IPAddresses: []string{"::ffff:" + web01.PrimaryLocalIPAddress}}, []esetapi.Device{web01}, 1},
		{"tags", esetapi.DeviceListOptions{TagsAny: []string{"dmz", "vip"}},
			where(func(d *esetapi.Device) bool { return slices.Contains(d.Tags, "dmz") || slices.Contains(d.Tags, "vip") }), 1},
		{"all together", esetapi.DeviceListOptions{DisplayNames: []string{"web-01", "db-prod-3", "dc-01"}, GroupUUID: servers, RecurseSubgroups: true, IPAddresses: []string{"198.51.100.10"}},
			where(func(d *esetapi.Device) bool {
				return d.DisplayName == "web-01" || d.DisplayName == "db-prod-3" || d.DisplayName == "dc-01"
			}), 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.want) == 0 && tc.name != "group without subgroups" {
				t.Fatal("the world has no such devices: the test proves nothing")
			}
			before := e.sim.Stats().Calls
			res, err := listDevices(testContext(t, 10*time.Second), e.client, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			assertDevices(t, res.Devices, tc.want)
			after := e.sim.Stats().Calls
			calls := after["GET /v1/devices"] - before["GET /v1/devices"] + after["GET /v1/device_groups/{uuid}/devices"] - before["GET /v1/device_groups/{uuid}/devices"]
			if res.Calls != tc.calls || calls != int64(tc.calls) || res.Truncated || res.Duplicates != 0 {
				t.Errorf("result calls=%d (server saw %d) truncated=%v duplicates=%d; want %d calls", res.Calls, calls, res.Truncated, res.Duplicates, tc.calls)
			}
		})
	}
}

// TestListDevicesMaxResults stops at the bound and says more existed; without a client-side filter it asks
// for no more than it still needs.
func TestListDevicesMaxResults(t *testing.T) {
	t.Parallel()
	var rec *recorder
	e, w := newWorldEnv(t, simulator.WorldSpec{Seed: 4, Devices: 1500, Detections: 1}, simulator.Faults{}, fastConfig(),
		func(h http.Handler) http.Handler { rec = record(h); return rec })
	ctx := testContext(t, 10*time.Second)
	res, err := listDevices(ctx, e.client, esetapi.DeviceListOptions{MaxResults: 1200})
	if err != nil {
		t.Fatal(err)
	}
	assertDevices(t, res.Devices, w.Devices[:1200])
	var sizes []string
	for _, h := range rec.calls("/v1/devices") {
		sizes = append(sizes, h.query.Get("pageSize"))
	}
	if !res.Truncated || !slices.Equal(sizes, []string{"1000", "200"}) {
		t.Errorf("truncated=%v, page sizes %v", res.Truncated, sizes)
	}
	res, err = listDevices(ctx, e.client, esetapi.DeviceListOptions{MaxResults: 1500})
	if err != nil || res.Truncated || len(res.Devices) != 1500 {
		t.Errorf("a bound equal to the count: %d devices, truncated=%v, %v", len(res.Devices), res.Truncated, err)
	}
	res, err = listDevices(ctx, e.client, esetapi.DeviceListOptions{IPAddresses: []string{"203.0.113.7"}, MaxResults: 3})
	if err != nil || !res.Truncated || len(res.Devices) != 3 {
		t.Errorf("a bound with a client-side filter: %d devices, truncated=%v, %v", len(res.Devices), res.Truncated, err)
	}
}

// TestDisplayNameBatches sends many long names: every URL stays within MaxURLBytes with room for a page
// token, every name is sent exactly once, special characters arrive intact, and the calls are as few as
// the bound allows.
func TestDisplayNameBatches(t *testing.T) {
	t.Parallel()
	var rec *recorder
	// More devices than a page: the page of every device is tried first, then dropped (devicesFromOnePage).
	e, w := newWorldEnv(t, simulator.WorldSpec{Seed: 5, Devices: 1001}, simulator.Faults{}, fastConfig(),
		func(h http.Handler) http.Handler { rec = record(h); return rec })
	names := []string{"web-01", "dc-01"}
	for i := range 700 {
		names = append(names, fmt.Sprintf("host-%04d.corp.example.com&x=ü %d#", i, i))
	}
	res, err := listDevices(testContext(t, 10*time.Second), e.client, esetapi.DeviceListOptions{DisplayNames: names})
	if err != nil {
		t.Fatal(err)
	}
	assertDevices(t, res.Devices, append(devicesNamed(w, "web-01"), devicesNamed(w, "dc-01")...))
	calls := rec.calls("/v1/devices")
	if len(calls) == 0 || calls[0].query.Has("displayNames") {
		t.Fatal("the first call is not the page of every device")
	}
	calls = calls[1:]
	var sent []string
	total := 0
	for _, h := range calls {
		full := e.url + h.path + "?" + h.rawQuery
		if len(full)+len("&pageToken=")+3*128 > esetapi.MaxURLBytes {
			t.Errorf("a URL of %d bytes leaves no room for a page token under %d", len(full), esetapi.MaxURLBytes)
		}
		total += len(full)
		sent = append(sent, h.query["displayNames"]...)
	}
	if !slices.Equal(sent, names) {
		t.Errorf("%d names sent, want each of the %d once and intact", len(sent), len(names))
	}
	if fewest := total/(esetapi.MaxURLBytes-len("&pageToken=")-3*128) + 1; len(calls) > fewest {
		t.Errorf("%d calls for %d bytes of URL, want %d", len(calls), total, fewest)
	}
	t.Logf("%d names in %d calls", len(names), len(calls))
}

// TestGetDevice reads single devices: whole, a 404 that matches ErrNotFound, an answer without a device,
// and a uuid that needs escaping.
func TestGetDevice(t *testing.T) {
	t.Parallel()
	e, w := newWorldEnv(t, simulator.WorldSpec{Seed: 6}, simulator.Faults{Int64AsStrings: true}, fastConfig(), nil)
	ctx := testContext(t, 10*time.Second)
	for _, want := range w.Devices[:12] {
		got, err := e.client.GetDevice(ctx, want.UUID)
		if err != nil {
			t.Fatal(err)
		}
		assertDevices(t, []esetapi.Device{*got}, []esetapi.Device{want})
		if got, err = e.client.GetDevice(ctx, strings.ToUpper(want.UUID)); err != nil {
			t.Fatalf("in upper case: %v", err)
		}
		assertDevices(t, []esetapi.Device{*got}, []esetapi.Device{want})
	}
	_, err := e.client.GetDevice(ctx, "4d4e8d3c-0000-4000-8000-000000000000")
	_ = assertAPIError(t, err, http.StatusNotFound, "Requested resource not found.", 1)
	if !errors.Is(err, esetapi.ErrNotFound) {
		t.Errorf("a 404 should match ErrNotFound: %v", err)
	}

	var path string
	e = newEnv(t, simulator.Options{}, fastConfig(), apiOverride(func(w http.ResponseWriter, r *http.Request) {
		path = r.URL.EscapedPath()
		fmt.Fprint(w, `{"other":{}}`)
	}))
	for _, uuid := range []string{"a/b c?d", "..", "4d4e8d3c-0000-4000-8000-000000000000/.."} {
		if _, err = e.client.GetDevice(ctx, uuid); err == nil || !strings.Contains(err.Error(), "not a uuid") || path != "" {
			t.Errorf("GetDevice(%q): got %v after a call to %q, want a refusal before any call", uuid, err, path)
		}
	}
	_, err = e.client.GetDevice(ctx, "4d4e8d3c-0000-4000-8000-000000000001")
	var decErr *esetapi.DecodeError
	if !errors.As(err, &decErr) || decErr.RequestID == "" || path != "/v1/devices/4d4e8d3c-0000-4000-8000-000000000001" {
		t.Errorf("want a *DecodeError with a request-id for an answer without a device; got %v at %q", err, path)
	}
}

// TestDeviceAPINotConfigured: without a device management endpoint the device calls fail at once, and the
// rest of the client works.
func TestDeviceAPINotConfigured(t *testing.T) {
	t.Parallel()
	c, err := esetapi.New(esetapi.Config{IAMEndpoint: "https://iam.example", IncidentManagementEndpoint: "https://im.example", Username: "u", Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := testContext(t, 5*time.Second)
	_, err1 := listDevices(ctx, c, esetapi.DeviceListOptions{})
	_, err2 := c.GetDevice(ctx, "4d4e8d3c-0000-4000-8000-000000000000")
	_, err3 := listGroups(ctx, c)
	_, err4 := c.GroupMemberUUIDs(ctx, "4d4e8d3c-0000-4000-8000-000000000000", true)
	for _, err := range []error{err1, err2, err3, err4} {
		if !errors.Is(err, esetapi.ErrDeviceAPINotConfigured) {
			t.Errorf("got %v, want ErrDeviceAPINotConfigured", err)
		}
	}
}

// TestDeviceValues decodes devices as proto3 JSON and newer API versions write them: defaults left out,
// int64 and uint64 as strings or numbers, unknown fields ignored and unknown enum values and OS families
// passed through.
func TestDeviceValues(t *testing.T) {
	t.Parallel()
	body := `{"devices":[
		{"uuid":"00000000-0000-4000-8000-000000000001"},
		{"uuid":"00000000-0000-4000-8000-000000000002","functionalityProblemCount":"3","operatingSystem":{"familyId":"2","version":{"id":"18446744073709551615","major":"1"}},
		 "deployedComponents":[{"id":4237381130,"version":{"id":12}}],"tags":[],"isMuted":true,"newField":{"x":[1]}},
		{"uuid":"00000000-0000-4000-8000-000000000003","functionalityStatus":"DEVICE_FUNCTIONALITY_STATUS_CRITICAL","deviceType":"DEVICE_TYPE_DRONE","operatingSystem":{"familyId":9}}
	],"nextPageToken":""}`
	e := newEnv(t, simulator.Options{}, fastConfig(), staticAPI(body))
	res, err := listDevices(testContext(t, 5*time.Second), e.client, esetapi.DeviceListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defaults := esetapi.Device{FunctionalityStatus: esetapi.FunctionalityStatusUnspecified, DeviceType: esetapi.DeviceTypeUnspecified, EnrollmentStatus: esetapi.EnrollmentStatusUnspecified}
	onlyUUID, numbers, newer := defaults, defaults, defaults
	onlyUUID.UUID, numbers.UUID, newer.UUID = "00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002", "00000000-0000-4000-8000-000000000003"
	numbers.FunctionalityProblemCount, numbers.Tags, numbers.IsMuted = 3, []string{}, true
	numbers.OperatingSystem = esetapi.OperatingSystem{FamilyID: 2, Version: esetapi.Version{ID: 18446744073709551615, Major: 1}}
	numbers.DeployedComponents = []esetapi.DeployedComponent{{ID: 4237381130, Version: esetapi.Version{ID: 12}}}
	newer.FunctionalityStatus, newer.DeviceType = "DEVICE_FUNCTIONALITY_STATUS_CRITICAL", "DEVICE_TYPE_DRONE"
	newer.OperatingSystem.FamilyID = 9
	assertDevices(t, res.Devices, []esetapi.Device{onlyUUID, numbers, newer})
	if got := esetapi.OSFamily(res.Devices[2].OperatingSystem.FamilyID); got != "family_9" {
		t.Errorf("family 9 named %q", got)
	}

	// The simulator's world, written with strings and newer values, reads back whole but for those values.
	e, w := newWorldEnv(t, simulator.WorldSpec{Seed: 7, Devices: 120}, simulator.Faults{Int64AsStrings: true, UnknownFields: true}, fastConfig(), nil)
	res, err = listDevices(testContext(t, 5*time.Second), e.client, esetapi.DeviceListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(w.Devices)
	changed := 0
	for i := range want {
		if want[i].FunctionalityStatus == "DEVICE_FUNCTIONALITY_STATUS_ATTENTION_REQUIRED" {
			want[i].FunctionalityStatus = "DEVICE_FUNCTIONALITY_STATUS_CRITICAL"
			changed++
		}
		if want[i].OperatingSystem.FamilyID == 7 {
			want[i].OperatingSystem.FamilyID = 8
		}
	}
	if changed == 0 {
		t.Fatal("no device needs attention: the test proves nothing")
	}
	assertDevices(t, res.Devices, want)
}

// TestMacAddresses lists each adapter's address once, in order, across hardware profiles.
func TestMacAddresses(t *testing.T) {
	t.Parallel()
	d := esetapi.Device{HardwareProfiles: []esetapi.HardwareProfile{
		{NetworkAdapters: []esetapi.NetworkAdapter{{MacAddress: "00:50:56:A1:3C:7E"}, {MacAddress: ""}, {MacAddress: "00:50:56:A1:3C:7F"}}},
		{NetworkAdapters: []esetapi.NetworkAdapter{{MacAddress: "00:50:56:A1:3C:7E"}}},
	}}
	if got := d.MacAddresses(); !slices.Equal(got, []string{"00:50:56:A1:3C:7E", "00:50:56:A1:3C:7F"}) {
		t.Errorf("got %v", got)
	}
	if got := (&esetapi.Device{}).MacAddresses(); got != nil {
		t.Errorf("no adapters: got %v", got)
	}
}

// TestListDevicesRefusesEmptyName: an empty display name matches nothing the user meant; it is refused
// before any call.
func TestListDevicesRefusesEmptyName(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	e := newEnv(t, simulator.Options{}, fastConfig(), apiOverride(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		fmt.Fprint(w, `{"devices":[]}`)
	}))
	_, err := listDevices(testContext(t, 5*time.Second), e.client, esetapi.DeviceListOptions{DisplayNames: []string{"web-01", ""}})
	if err == nil || !strings.Contains(err.Error(), "empty") || calls.Load() != 0 {
		t.Errorf("got %v after %d calls, want a refusal before any call", err, calls.Load())
	}
}

// TestDeviceAnswersAboutOthers: a device other than the one asked for, or (when names were given) one
// whose display name is none of them, is an error rather than a quiet success: a server that ignores the
// filter must not pass.
func TestDeviceAnswersAboutOthers(t *testing.T) {
	t.Parallel()
	e := newEnv(t, simulator.Options{}, fastConfig(), apiOverride(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/v1/devices/") {
			fmt.Fprint(w, `{"device":{"uuid":"4d4e8d3c-0000-4000-8000-0000000000ff","displayName":"other"}}`)
			return
		}
		fmt.Fprint(w, `{"devices":[{"uuid":"4d4e8d3c-0000-4000-8000-0000000000fe","displayName":"Web-01"}]}`)
	}))
	ctx := testContext(t, 5*time.Second)
	_, err := e.client.GetDevice(ctx, "4d4e8d3c-0000-4000-8000-000000000001")
	assertDecodeError(t, err, "not the one asked for")
	_, err = listDevices(ctx, e.client, esetapi.DeviceListOptions{DisplayNames: []string{"web-01"}})
	assertDecodeError(t, err, `"Web-01"`)
	if res, err := listDevices(ctx, e.client, esetapi.DeviceListOptions{}); err != nil || len(res.Devices) != 1 {
		t.Errorf("without names any device is an answer: %d devices, %v", len(res.Devices), err)
	}
}

// TestDeviceStatusNotAsked: a device in another functionality status than the one asked for (an absent
// status reads as UNSPECIFIED) comes from a server that ignored the filter: a DecodeError.
func TestDeviceStatusNotAsked(t *testing.T) {
	t.Parallel()
	const required = "DEVICE_FUNCTIONALITY_STATUS_ATTENTION_REQUIRED"
	e := newEnv(t, simulator.Options{}, fastConfig(), apiOverride(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"devices":[{"uuid":"4d4e8d3c-0000-4000-8000-0000000000fd","functionalityStatus":"DEVICE_FUNCTIONALITY_STATUS_ATTENTION_REQUIRED"},
			{"uuid":"4d4e8d3c-0000-4000-8000-0000000000fe","functionalityStatus":"DEVICE_FUNCTIONALITY_STATUS_OK"}]}`)
	}))
	ctx := testContext(t, 5*time.Second)
	_, err := listDevices(ctx, e.client, esetapi.DeviceListOptions{FunctionalityStatus: required})
	assertDecodeError(t, err, `"4d4e8d3c-0000-4000-8000-0000000000fe", whose functionality status is "DEVICE_FUNCTIONALITY_STATUS_OK", not the `+required)
	_, err = listDevices(ctx, e.client, esetapi.DeviceListOptions{FunctionalityStatus: esetapi.FunctionalityStatusUnspecified})
	assertDecodeError(t, err, "whose functionality status is")
	if res, err := listDevices(ctx, e.client, esetapi.DeviceListOptions{}); err != nil || len(res.Devices) != 2 {
		t.Errorf("without a status any device is an answer: %d devices, %v", len(res.Devices), err)
	}

	// The simulator's world, filtered by the simulator, passes.
	e, w := newWorldEnv(t, simulator.WorldSpec{Seed: 7, Devices: 120}, simulator.Faults{}, fastConfig(), nil)
	res, err := listDevices(testContext(t, 5*time.Second), e.client, esetapi.DeviceListOptions{FunctionalityStatus: required})
	want := 0
	for _, d := range w.Devices {
		if d.FunctionalityStatus == required {
			want++
		}
	}
	if err != nil || len(res.Devices) != want || want == 0 {
		t.Errorf("%d devices need attention, want %d: %v", len(res.Devices), want, err)
	}
}

// TestListDevicesTruncatedOnlyWhenCut: a bound reached exactly in the first batch of names is a truncation
// only when a batch left names a device.
func TestListDevicesTruncatedOnlyWhenCut(t *testing.T) {
	t.Parallel()
	e, w := newWorldEnv(t, simulator.WorldSpec{Seed: 5, Devices: 40}, simulator.Faults{}, fastConfig(), nil)
	web := devicesNamed(w, "web-01")
	if len(web) == 0 || len(devicesNamed(w, "dc-01")) == 0 {
		t.Fatal("no web-01 or dc-01: the test proves nothing")
	}
	names := []string{"web-01"}
	for i := range 700 {
		names = append(names, fmt.Sprintf("host-%04d.corp.example.com", i))
	}
	ctx := testContext(t, 10*time.Second)
	for _, tc := range []struct {
		last      string
		truncated bool
	}{{"nobody-01", false}, {"dc-01", true}} {
		res, err := listDevices(ctx, e.client, esetapi.DeviceListOptions{DisplayNames: append(slices.Clone(names), tc.last), MaxResults: len(web)})
		if err != nil || len(res.Devices) != len(web) || res.Truncated != tc.truncated {
			t.Errorf("last name %s: %d devices, truncated=%v, %v; want %d, %v", tc.last, len(res.Devices), res.Truncated, err, len(web), tc.truncated)
		}
	}
}

// TestListDevicesUnderChurn reads 3,000 devices (three pages of GET /v1/devices, which pages by offset
// and has no totalSize) while devices are moved, enrolled and removed after each page: the weaker
// guarantee eset_devices documents. No device is listed twice or listed that was never managed during the
// read; a device managed throughout can be missing when one before it in the list was removed, and
// nothing in the answers shows it. The test asserts that such a skip happens, so that a fix has to flip it.
func TestListDevicesUnderChurn(t *testing.T) {
	t.Parallel()
	e, _ := newChurnEnv(t, simulator.WorldSpec{Seed: 21, Incidents: 100, Devices: 3000}, 40)
	mark := e.sim.Mark()
	res, err := listDevices(testContext(t, 30*time.Second), e.client, esetapi.DeviceListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var uuids []string
	for _, d := range res.Devices {
		uuids = append(uuids, d.UUID)
	}
	throughout, atSomePoint := e.sim.DevicesPresent(mark, nil)
	missing, extra, repeated := readUnderChurn(uuids, throughout, atSomePoint)
	t.Logf("%d calls, %d listed; %d managed throughout, %d missing, %d extra, %d repeated", res.Calls, len(uuids), len(throughout), len(missing), len(extra), len(repeated))
	if len(extra) > 0 || len(repeated) > 0 || res.Duplicates > 0 {
		t.Errorf("%d devices listed that were never managed during the read, %d twice", len(extra), len(repeated)+res.Duplicates)
	}
	if len(missing) == 0 {
		t.Fatal("no device managed throughout is missing: if the listing no longer skips, document the stronger guarantee and flip this test")
	}
}

// TestGroupMembersUnderChurn reads the members of the root group and its subgroups (2,500 devices,
// each once per group it is in) while devices move between groups, are enrolled and removed after each
// page. The member list pages by offset too: a device in the group for the whole read can be missing.
func TestGroupMembersUnderChurn(t *testing.T) {
	t.Parallel()
	e, w := newChurnEnv(t, simulator.WorldSpec{Seed: 22, Incidents: 100, Devices: 2500}, 40)
	root := w.DeviceGroups[0].UUID
	mark := e.sim.Mark()
	uuids, err := e.client.GroupMemberUUIDs(testContext(t, 30*time.Second), root, true)
	if err != nil {
		t.Fatal(err)
	}
	throughout, atSomePoint := e.sim.DevicesPresent(mark, e.sim.InGroup(root, true))
	missing, extra, repeated := readUnderChurn(uuids, throughout, atSomePoint)
	t.Logf("%d listed; %d members throughout, %d missing, %d extra, %d repeated", len(uuids), len(throughout), len(missing), len(extra), len(repeated))
	if len(extra) > 0 || len(repeated) > 0 {
		t.Errorf("%d devices listed that were never members during the read, %d twice", len(extra), len(repeated))
	}
	if len(missing) == 0 {
		t.Fatal("no member throughout is missing: if the listing no longer skips, document the stronger guarantee and flip this test")
	}
}
