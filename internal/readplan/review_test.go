package readplan_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/query"
	"github.com/eset-community/terraform-provider-eset/internal/readplan"
)

// Each typed filter alone, read through the planner against the strict simulator, selects what its
// compiled condition selects (unassigned's has() among them, which needs the incident. prefix).
func TestReadEachTypedFilter(t *testing.T) {
	e := newEnv(t, world(1500))
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	var assignee, device string
	for _, inc := range e.data {
		if inc.AssigneeUUID != nil {
			assignee = *inc.AssigneeUUID
		}
		device = inc.DeviceUUIDs[0]
	}
	for name, c := range map[string]query.Criteria{
		"statuses":              {Statuses: []string{"INCIDENT_STATUS_OPEN", "INCIDENT_STATUS_CLOSED"}},
		"severities":            {Severities: []string{"INCIDENT_SEVERITY_LEVEL_HIGH"}},
		"created_after":         {CreatedAfter: "2026-11-28T00:00:00Z"},
		"created_before":        {CreatedBefore: "2026-11-28T00:00:00Z"},
		"created_within":        {CreatedWithin: "3d"},
		"assignee_uuid":         {AssigneeUUID: assignee},
		"unassigned":            {Unassigned: true},
		"tags_any":              {TagsAny: []string{"vip", "mdr"}},
		"device_uuid":           {DeviceUUID: device},
		"device_uuids":          {DeviceUUIDs: []string{device, "00000000-0000-4000-8000-000000000001"}},
		"display_name_contains": {DisplayNameContains: "on"},
	} {
		t.Run(name, func(t *testing.T) {
			for _, order := range []string{"", "create_time desc"} {
				got, _ := e.read(t, c, now, readplan.Request{OrderBy: order})
				want := e.want(t, c, "", now)
				if len(want) == 0 {
					t.Fatal("nothing matches: the test proves nothing")
				}
				sameSet(t, got, want)
			}
		})
	}
}

// A filter only the API can evaluate, too long for a device or a key beside it: the rest is read by
// position and the candidates' devices checked on their details, with the read saying so. Incidents at
// times with nine digits of nanoseconds make the longest keys.
func TestReadNoRoomForDevicesOrKey(t *testing.T) {
	data := world(300)
	for i := range data {
		data[i].CreateTime = strings.Replace(data[i].CreateTime, "Z", ".123456789Z", 1)
	}
	e := newEnv(t, data)
	now := time.Now()
	// pad makes a filter only the API evaluates, of n characters.
	pad := func(n int) string {
		f := `size(incident.detection_uuids) >= 1 && incident.display_name != "`
		return f + strings.Repeat("z", n-len(f)-1) + `"`
	}
	filter := pad(138) // beside the longest key: 138 + len(" && ") + 58 = 200
	got, res := e.read(t, query.Criteria{}, now, readplan.Request{Filter: filter})
	sameSet(t, got, e.want(t, query.Criteria{}, filter, now))
	if res.ByPosition != "" {
		t.Errorf("a filter of %d characters read by position: %s", len(filter), res.ByPosition)
	}
	c := query.Criteria{DeviceUUIDs: []string{e.data[0].DeviceUUIDs[0], e.data[1].DeviceUUIDs[0]}}
	long := pad(200)
	got, res = e.read(t, c, now, readplan.Request{Filter: long})
	sameSet(t, got, e.want(t, c, long, now))
	if res.ByPosition != readplan.NoRoom || res.DetailCalls == 0 {
		t.Errorf("a filter of %d characters beside devices: %+v", len(long), res)
	}
}

// A server that answers empty pages with new tokens forever ends the read at its first empty page.
func TestReadEmptyPagesWithTokens(t *testing.T) {
	e := newEnv(t, world(10))
	e.hostile = func(call int) string { return fmt.Sprintf(`{"incidents":[],"nextPageToken":"t%d"}`, call) }
	_, err := readplan.Read(context.Background(), e.client, readplan.Request{}, func([]esetapi.Incident) error { return nil })
	var paging *esetapi.PagingError
	if !errors.As(err, &paging) || len(e.filters) > 1 {
		t.Errorf("after %d calls: %v", len(e.filters), err)
	}
}

// A device beside a filter only the API evaluates fits, but not with the key too: the lookup may cost no
// more calls than the one device group read by position would, and the result is what the filter selects.
func TestReadOneDeviceBesideALongFilter(t *testing.T) {
	e := newEnv(t, world(1500))
	now := time.Now()
	filter := `size(incident.detection_uuids) >= 1 && incident.display_name != "` + strings.Repeat("z", 33) + `"`
	c := query.Criteria{DeviceUUID: e.data[0].DeviceUUIDs[0]}
	got, res := e.read(t, c, now, readplan.Request{Filter: filter})
	sameSet(t, got, e.want(t, c, filter, now))
	if res.DetailCalls > 0 || res.ListCalls > 4 {
		t.Errorf("%d list and %d detail calls: %s", res.ListCalls, res.DetailCalls, res.Plan)
	}
}
