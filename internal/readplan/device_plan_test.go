package readplan_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/query"
	"github.com/eset-community/terraform-provider-eset/internal/readplan"
)

// TestForcedDevicePlan reads the same device conditions by each plan, chosen and forced: the same
// incidents every time, the plan that ran reported, and the forced one taken even where it costs more.
func TestForcedDevicePlan(t *testing.T) {
	e := newEnv(t, world(3000))
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	devices := e.devices()
	few := query.Criteria{Statuses: []string{"INCIDENT_STATUS_OPEN"}, Severities: []string{"INCIDENT_SEVERITY_LEVEL_HIGH"}, CreatedWithin: "3d", DeviceUUIDs: devices}
	// The detail calls of the forced lookup are bounded by the severity: a few hundred, not 3,000.
	many := query.Criteria{Severities: []string{"INCIDENT_SEVERITY_LEVEL_HIGH"}, DeviceUUIDs: devices[:9]}
	for _, tc := range []struct {
		name     string
		criteria query.Criteria
		details  bool
		chosen   readplan.DevicePlan
	}{
		{"few candidates", few, false, readplan.DeviceDetails},
		{"few candidates, with details", few, true, readplan.DeviceDetails},
		{"many candidates", many, false, readplan.DeviceGroups},
		{"one device", query.Criteria{Severities: many.Severities, DeviceUUID: devices[0]}, false, readplan.DeviceGroups},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := e.want(t, tc.criteria, "", now)
			if len(want) == 0 {
				t.Fatal("nothing selected: the test proves nothing")
			}
			for _, forced := range []readplan.DevicePlan{"", readplan.DeviceGroups, readplan.DeviceDetails} {
				got, res := e.read(t, tc.criteria, now, readplan.Request{DevicePlan: forced, Details: tc.details})
				sameSet(t, got, want)
				ran := forced
				if forced == "" {
					ran = tc.chosen
				}
				if res.DevicePlan != ran {
					t.Errorf("asked %q: ran %q (%s), want %q", forced, res.DevicePlan, res.Plan, ran)
				}
				if lookedUp := res.DetailCalls > 0 && !tc.details; lookedUp != (ran == readplan.DeviceDetails && !tc.details) {
					t.Errorf("asked %q: %d list and %d detail calls (%s)", forced, res.ListCalls, res.DetailCalls, res.Plan)
				}
				t.Logf("asked %q: %d list and %d detail calls: %s", forced, res.ListCalls, res.DetailCalls, res.Plan)
			}
		})
	}
}

// TestForcedDevicePlanRefused: a plan that does not fit the read fails it before any call.
func TestForcedDevicePlanRefused(t *testing.T) {
	e := newEnv(t, world(10))
	device := e.data[0].DeviceUUIDs[0]
	for _, tc := range []struct {
		devices bool
		forced  readplan.DevicePlan
		want    string
	}{
		{false, readplan.DeviceGroups, "has no device condition"},
		{false, readplan.DeviceDetails, "has no device condition"},
		{true, readplan.Listing, "has a device condition"},
		{true, "per_device", "is no plan"},
	} {
		c := query.Criteria{}
		if tc.devices {
			c.DeviceUUIDs = []string{device}
		}
		typed, err := c.Terms(time.Now(), "")
		if err != nil {
			t.Fatal(err)
		}
		_, err = readplan.Read(context.Background(), e.client, readplan.Request{Typed: typed, DevicePlan: tc.forced}, func([]esetapi.Incident) error { return nil })
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("devices %v, plan %q: %v, want an error saying %q", tc.devices, tc.forced, err, tc.want)
		}
	}
	if len(e.filters) != 0 {
		t.Errorf("%d list calls made", len(e.filters))
	}
	_, res := e.read(t, query.Criteria{}, time.Now(), readplan.Request{DevicePlan: readplan.Listing})
	if res.DevicePlan != readplan.Listing {
		t.Errorf("without devices: ran %q", res.DevicePlan)
	}
}

// TestForcedDevicePlanCannotRead: a forced plan that the read's filter leaves no room for fails with a
// *ForcedPlanError, which the provider reports on list_plan, rather than fall back to the other plan: the
// device groups beside a filter of 200 characters only the API evaluates, and the details beside one that
// does not fit one call at all.
func TestForcedDevicePlanCannotRead(t *testing.T) {
	e := newEnv(t, world(10))
	pad := func(n int) string {
		f := `size(incident.detection_uuids) >= 1 && incident.display_name != "`
		return f + strings.Repeat("z", n-len(f)-1) + `"`
	}
	c := query.Criteria{DeviceUUIDs: []string{e.data[0].DeviceUUIDs[0]}}
	typed, err := c.Terms(time.Now(), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		forced readplan.DevicePlan
		filter string
	}{
		{readplan.DeviceGroups, pad(200)},
		{readplan.DeviceDetails, pad(250) + " && " + pad(100)},
	} {
		_, err := readplan.Read(context.Background(), e.client, readplan.Request{Typed: typed, Filter: tc.filter, DevicePlan: tc.forced}, func([]esetapi.Incident) error { return nil })
		var forced *readplan.ForcedPlanError
		if !errors.As(err, &forced) || forced.Plan != tc.forced {
			t.Errorf("plan %q beside a filter of %d characters: %v, want a *ForcedPlanError", tc.forced, len(tc.filter), err)
		}
	}
}
