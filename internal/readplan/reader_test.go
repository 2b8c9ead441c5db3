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

// TestReadCallBoundShared: a server whose pages never end gets the read's bound of list calls in all, not
// that many for each device group read at once.
func TestReadCallBoundShared(t *testing.T) {
	readplan.SetMaxListCalls(t, 40)
	e := newEnv(t, world(30))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	// Full pages of incidents ever newer: a read by key goes on after each.
	e.hostile = func(call int) string {
		var page strings.Builder
		page.WriteString(`{"incidents":[`)
		for i := range esetapi.MaxPageSize {
			if i > 0 {
				page.WriteString(",")
			}
			n := call*esetapi.MaxPageSize + i
			fmt.Fprintf(&page, `{"uuid":"00000000-0000-4000-8000-%012d","createTime":%q}`, n, base.Add(time.Duration(n)*time.Second).Format(time.RFC3339))
		}
		fmt.Fprintf(&page, `],"nextPageToken":"t%d"}`, call)
		return page.String()
	}
	var devices []string
	for i := range 12 {
		devices = append(devices, fmt.Sprintf("10000000-0000-4000-8000-%012d", i))
	}
	typed, err := query.Criteria{DeviceUUIDs: devices}.Terms(time.Now(), "")
	if err != nil {
		t.Fatal(err)
	}
	// By key, and by position: a filter only the API evaluates leaves room for a device group but not
	// for the key beside it.
	noKey := `size(incident.detection_uuids) >= 1 && incident.display_name != "` + strings.Repeat("z", 40) + `"`
	for _, filter := range []string{"", noKey} {
		e.filters = nil
		res, err := readplan.Read(context.Background(), e.client, readplan.Request{Typed: typed, Filter: filter, DevicePlan: readplan.DeviceGroups, Concurrency: 4},
			func([]esetapi.Incident) error { return nil })
		var paging *esetapi.PagingError
		if !errors.As(err, &paging) || len(e.filters) > 40+4 {
			t.Errorf("filter %q: after %d calls (%s): %v, want the read stopped at 40 calls in all (and the calls in flight)", filter, len(e.filters), res.ByPosition, err)
		}
	}
}
