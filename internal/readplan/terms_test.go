package readplan_test

import (
	"testing"
	"time"

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
