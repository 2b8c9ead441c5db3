package esetapi_test

import (
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// TestListDeviceGroups reads the tree whole over small pages, and its paths name repeated names apart.
func TestListDeviceGroups(t *testing.T) {
	t.Parallel()
	e, w := newWorldEnv(t, simulator.WorldSpec{Seed: 8}, simulator.Faults{Int64AsStrings: true}, fastConfig(), func(sim http.Handler) http.Handler {
		// Pages of 4 groups, so that the tree takes several calls.
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			q := r.URL.Query()
			if q.Has("pageSize") {
				q.Set("pageSize", "4")
				r.URL.RawQuery = q.Encode()
			}
			sim.ServeHTTP(w, r)
		})
	})
	got, err := e.client.ListDeviceGroups(testContext(t, 10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, w.DeviceGroups) {
		t.Fatalf("groups differ:\n got  %+v\n want %+v", got, w.DeviceGroups)
	}
	if n := e.sim.Stats().Calls["GET /v1/device_groups"]; n != int64((len(got)+3)/4) {
		t.Errorf("%d calls for %d groups in pages of 4", n, len(got))
	}
	paths := esetapi.GroupPaths(got)
	var linux []string
	for _, p := range paths {
		if p == "All/Servers/Linux" || p == "All/Workstations/Engineering/Linux" {
			linux = append(linux, p)
		}
	}
	if len(linux) != 2 || paths[got[0].UUID] != "All" {
		t.Errorf("paths %v", paths)
	}
}

// TestGroupPaths: a group whose parent is not listed starts its own path, and a "/" (or "\\") in a name is
// escaped with a backslash, so that "A/B" under All is not B under A.
func TestGroupPaths(t *testing.T) {
	t.Parallel()
	got := esetapi.GroupPaths([]esetapi.DeviceGroup{
		{UUID: "root", DisplayName: "All"},
		{UUID: "a", DisplayName: "Servers", ParentGroupUUID: "root"},
		{UUID: "b", DisplayName: "Linux", ParentGroupUUID: "a"},
		{UUID: "orphan", DisplayName: "Site 2", ParentGroupUUID: "unseen"},
		{UUID: "slash", DisplayName: "Servers/Linux", ParentGroupUUID: "root"},
		{UUID: "back", DisplayName: `C:\`, ParentGroupUUID: "slash"},
	})
	want := map[string]string{"root": "All", "a": "All/Servers", "b": "All/Servers/Linux", "orphan": "Site 2",
		"slash": `All/Servers\/Linux`, "back": `All/Servers\/Linux/C:\\`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// TestGroupMemberUUIDs lists a group's members, recursively or not, each once although the API repeats a
// device for each group it is in; an unknown group is a 404.
func TestGroupMemberUUIDs(t *testing.T) {
	t.Parallel()
	e, w := newWorldEnv(t, simulator.WorldSpec{Seed: 9, Devices: 1200, Detections: 1}, simulator.Faults{}, fastConfig(), nil)
	ctx := testContext(t, 10*time.Second)
	linux := groupByPath(t, w, "All/Servers/Linux")
	got, err := e.client.GroupMemberUUIDs(ctx, strings.ToUpper(linux), false) // the case of a uuid does not matter
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, d := range w.Devices {
		if d.ParentGroupUUID == linux {
			want = append(want, d.UUID)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("members of All/Servers/Linux: got %d, want %d", len(got), len(want))
	}
	all, err := e.client.GroupMemberUUIDs(ctx, w.DeviceGroups[0].UUID, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(w.Devices) {
		t.Errorf("members of All with subgroups: %d, want every one of the %d devices once", len(all), len(w.Devices))
	}
	// The API listed more than that: devices in dynamic groups come twice, over more than one page.
	if n := e.sim.Stats().Calls["GET /v1/device_groups/{uuid}/devices"]; n < 3 {
		t.Errorf("%d calls: the repeats should take a second page", n)
	}
	_, err = e.client.GroupMemberUUIDs(ctx, "4d4e8d3c-0000-4000-8000-000000000000", true)
	_ = assertAPIError(t, err, http.StatusNotFound, "Requested resource not found.", 1)
	if !errors.Is(err, esetapi.ErrNotFound) {
		t.Errorf("want ErrNotFound: %v", err)
	}
}

// TestListDeviceGroupsCycle: groups that are their own ancestors can only come from a broken answer; the
// tree cannot be built, and cutting it would give made-up paths: a *DecodeError, not a quiet success.
func TestListDeviceGroupsCycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t, simulator.Options{}, fastConfig(), apiOverride(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"deviceGroups": [{"uuid": "00000000-0000-4000-8000-000000000001", "displayName": "All"},
			{"uuid": "00000000-0000-4000-8000-000000000002", "displayName": "X", "parentGroupUuid": "00000000-0000-4000-8000-000000000003"},
			{"uuid": "00000000-0000-4000-8000-000000000003", "displayName": "Y", "parentGroupUuid": "00000000-0000-4000-8000-000000000002"}]}`)
	}))
	_, err := e.client.ListDeviceGroups(testContext(t, 10*time.Second))
	var decErr *esetapi.DecodeError
	if !errors.As(err, &decErr) || !strings.Contains(err.Error(), "cycle") {
		t.Errorf("got %v, want a *DecodeError about the cycle", err)
	}
}
