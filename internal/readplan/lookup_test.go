package readplan_test

import (
	"strings"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/query"
	"github.com/eset-community/terraform-provider-eset/internal/readplan"
)

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
