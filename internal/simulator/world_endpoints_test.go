package simulator

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// worldServer serves a world ending at testEnd: 400 incidents with 1 to 5 detections each, 40 devices (the
// default, max(40, 400/10)) with 3 more detections each (1,319 detections in all), in 15 groups: the
// endpoint tests use its devices and detections.
func worldServer(t *testing.T) (*Server, World) {
	t.Helper()
	w := GenerateWorld(WorldSpec{Seed: 5, Incidents: 400, End: testEnd})
	opts := Options{Username: "u", Password: "p"}
	opts.SetWorld(w)
	return New(opts), w
}

// unknownUUID is a well-formed uuid of nothing in any world.
const unknownUUID = "00000000-0000-4000-8000-000000000000"

// TestWorldEndpointAnswers checks each device and detection endpoint's answers and refusals.
func TestWorldEndpointAnswers(t *testing.T) {
	srv, w := worldServer(t)
	web := devicesNamed(w, "web-01")[0]
	root := w.DeviceGroups[0].UUID
	many := make([]string, 101)
	for i := range many {
		many[i] = w.Detections[i].UUID
	}
	batch := func(uuids []string) string {
		b, _ := json.Marshal(map[string][]string{"detectionUuids": uuids})
		return string(b)
	}
	for _, tc := range []struct {
		name, method, target, body string
		status                     int
		want                       string
		items                      int // -1: not counted
	}{
		{"devices, small page", "GET", "/v1/devices?pageSize=10", "", 200, `"nextPageToken"`, 10},
		{"devices, default page", "GET", "/v1/devices", "", 200, `"devices"`, 40},
		{"devices by names", "GET", "/v1/devices?displayNames=FIN-LAPTOP-12&displayNames=web-01&displayNames=nope", "", 200, `"FIN-LAPTOP-12"`, 3},
		{"devices by status", "GET", "/v1/devices?pageSize=1000&functionalityStatus=DEVICE_FUNCTIONALITY_STATUS_UNSPECIFIED", "", 200, "", 40},
		{"muted devices", "GET", "/v1/devices?isMuted=true&displayNames=build-agent-2", "", 200, "build-agent-2", 1},
		{"unknown status", "GET", "/v1/devices?functionalityStatus=BROKEN", "", 400, "functionalityStatus", -1},
		{"bad isMuted", "GET", "/v1/devices?isMuted=maybe", "", 400, "isMuted", -1},
		{"foreign page token", "GET", "/v1/devices?pageToken=bm9wZQ", "", 400, "invalid page token", -1},
		{"one device", "GET", "/v1/devices/" + web.UUID, "", 200, `"device":{"uuid":"` + web.UUID, -1},
		{"unknown device", "GET", "/v1/devices/" + unknownUUID, "", 404, "not found", -1},
		{"malformed device uuid", "GET", "/v1/devices/nope", "", 400, "deviceUuid", -1},
		{"groups", "GET", "/v1/device_groups?pageSize=1000", "", 200, `"Lost \u0026 Found"`, len(w.DeviceGroups)},
		{"members of the root, recursively, with repeats", "GET", "/v1/device_groups/" + root + "/devices?pageSize=1000&recurseSubgroups=true", "", 200, `"totalSize":"`, -1},
		{"members of an unknown group", "GET", "/v1/device_groups/" + unknownUUID + "/devices", "", 404, "not found", -1},
		{"bad recurse", "GET", "/v1/device_groups/" + root + "/devices?recurseSubgroups=yes", "", 400, "recurseSubgroups", -1},
		{"detections of a device", "GET", "/v1/detections?pageSize=1000&deviceUuid=" + web.UUID, "", 200, `"context":{"deviceUuid":"` + web.UUID, -1},
		{"detections without seconds", "GET", "/v1/detections?startTime=2026-10-31T12:00Z", "", 400, "startTime", -1},
		{"detections, bad time", "GET", "/v1/detections?endTime=" + url.QueryEscape("2026-10-31 12:00"), "", 400, "endTime", -1},
		{"batch get", "POST", "/v2/detections:batchGet", batch(many[:3]), 200, `"device":{"uuid":`, 3},
		{"batch get, none", "POST", "/v2/detections:batchGet", batch([]string{}), 400, "at least one", -1},
		{"batch get, over 100", "POST", "/v2/detections:batchGet", batch(many), 500, "Internal error", -1},
		{"batch get, unknown", "POST", "/v2/detections:batchGet", batch([]string{many[0], "nope"}), 404, "nope", -1},
		{"batch get, not JSON", "POST", "/v2/detections:batchGet", "{", 400, "request body", -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body, header := send(t, srv, tc.method, tc.target, tc.body)
			if status != tc.status || !strings.Contains(body, tc.want) || header.Get("request-id") == "" {
				t.Fatalf("status %d, body %.300s; want %d with %q", status, body, tc.status, tc.want)
			}
			if tc.items >= 0 {
				var page map[string]json.RawMessage
				var items []json.RawMessage
				_ = json.Unmarshal([]byte(body), &page)
				for _, k := range []string{"devices", "deviceGroups", "detections"} {
					if page[k] != nil {
						_ = json.Unmarshal(page[k], &items)
					}
				}
				if len(items) != tc.items {
					t.Errorf("%d items, want %d", len(items), tc.items)
				}
			}
		})
	}
	// Of the 8 device list calls, the contract refuses 2 (an unknown status, a bad isMuted) before they are counted.
	if n := srv.Stats().Calls["GET /v1/devices"]; n != 6 {
		t.Errorf("%d device list calls counted, want 6", n)
	}
}

// The detections list is in no time order, and its window is start-inclusive and end-exclusive.
func TestDetectionsWindow(t *testing.T) {
	srv, w := worldServer(t)
	at := w.Detections[10].OccurTime
	var got []string
	for _, q := range []string{"startTime=" + url.QueryEscape(at), "endTime=" + url.QueryEscape(at)} {
		_, body, _ := call(t, srv, "/v1/detections?pageSize=1000&"+q)
		var page struct {
			Detections []struct{ UUID, OccurTime string }
			TotalSize  string
		}
		if err := json.Unmarshal([]byte(body), &page); err != nil {
			t.Fatal(err)
		}
		var uuids, times []string
		for _, d := range page.Detections {
			uuids = append(uuids, d.UUID)
			times = append(times, d.OccurTime)
		}
		if slices.IsSorted(times) {
			t.Error("the answer is in time order")
		}
		got = append(got, fmt.Sprint(slices.Contains(uuids, w.Detections[10].UUID)))
	}
	if strings.Join(got, ",") != "true,false" {
		t.Errorf("the detection at the bound is in the start window: %s, in the end window: %s", got[0], got[1])
	}
}
