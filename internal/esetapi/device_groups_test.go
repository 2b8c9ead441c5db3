package esetapi_test

import (
	"context"
	"encoding/json"
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
	got, err := listGroups(testContext(t, 10*time.Second), e.client)
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

// groupTreeAPI serves groups at GET /v1/device_groups in pages of 1,000, as the API would.
func groupTreeAPI(groups []esetapi.DeviceGroup) func(http.Handler) http.Handler {
	return apiOverride(func(w http.ResponseWriter, r *http.Request) {
		from, _ := strconv.Atoi(r.URL.Query().Get("pageToken"))
		to := min(from+esetapi.MaxPageSize, len(groups))
		next := ""
		if to < len(groups) {
			next = strconv.Itoa(to)
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"deviceGroups": groups[from:to], "nextPageToken": next})
	})
}

// groupForest is n groups in chains of depth groups under one root, the root included; a depth of n or
// more is one chain. With cycle, the root's parent is the last group, which makes the first chain a cycle.
func groupForest(n, depth int, cycle bool) []esetapi.DeviceGroup {
	groups := make([]esetapi.DeviceGroup, n)
	for i := range groups {
		groups[i] = esetapi.DeviceGroup{UUID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), DisplayName: fmt.Sprintf("group %d", i)}
		if level := i % (depth - 1); i > 0 && level != 1 {
			groups[i].ParentGroupUUID = groups[i-1].UUID
		} else if i > 0 {
			groups[i].ParentGroupUUID = groups[0].UUID
		}
	}
	if depth >= n {
		for i := 1; i < n; i++ {
			groups[i].ParentGroupUUID = groups[i-1].UUID
		}
	}
	if cycle {
		groups[0].ParentGroupUUID = groups[min(depth, n)-1].UUID
	}
	return groups
}

// TestGroupMembersNotAsked: without subgroups, a member of another group comes from a server that
// ignored the group asked for, and a member whose uuid is not a uuid from a broken one: DecodeErrors.
// With subgroups, members of other groups are the answer.
func TestGroupMembersNotAsked(t *testing.T) {
	t.Parallel()
	const group, other = "00000000-0000-4000-8000-0000000000aa", "00000000-0000-4000-8000-0000000000bb"
	var memberUUID atomic.Value // the second member's
	memberUUID.Store("00000000-0000-4000-8000-000000000001")
	e := newEnv(t, simulator.Options{}, fastConfig(), apiOverride(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, `{"devices":[{"uuid":"00000000-0000-4000-8000-000000000002","groupUuid":%q},{"uuid":%q,"groupUuid":%q}]}`, strings.ToUpper(group), memberUUID.Load(), other)
	}))
	ctx := testContext(t, 5*time.Second)
	_, err := e.client.GroupMemberUUIDs(ctx, group, false)
	assertDecodeError(t, err, `device "00000000-0000-4000-8000-000000000001" of group "`+other+`", not of the group asked for`)
	_, err = listDevices(ctx, e.client, esetapi.DeviceListOptions{GroupUUID: group})
	assertDecodeError(t, err, "not of the group asked for")
	if got, err := e.client.GroupMemberUUIDs(ctx, group, true); err != nil || len(got) != 2 {
		t.Errorf("with subgroups: %v, %v; want both members", got, err)
	}
	memberUUID.Store("not-a-uuid")
	_, err = e.client.GroupMemberUUIDs(ctx, group, true)
	assertDecodeError(t, err, `a member whose uuid "not-a-uuid" is not a uuid`)
}

// TestListDeviceGroupsCycle: groups that are their own ancestors can only come from a broken answer; the
// tree cannot be built, and cutting it would give made-up paths: a *DecodeError, not a quiet success.
// A tree deeper than MaxGroupDepth is refused the same way; one of that depth is read, with its paths.
// device_group_test.go refuses chains and cycles of 20,000 without the HTTP that makes them slow here.
func TestListDeviceGroupsCycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t, simulator.Options{}, fastConfig(), apiOverride(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"deviceGroups": [{"uuid": "00000000-0000-4000-8000-000000000001", "displayName": "All"},
			{"uuid": "00000000-0000-4000-8000-000000000002", "displayName": "X", "parentGroupUuid": "00000000-0000-4000-8000-000000000003"},
			{"uuid": "00000000-0000-4000-8000-000000000003", "displayName": "Y", "parentGroupUuid": "00000000-0000-4000-8000-000000000002"}]}`)
	}))
	_, err := listGroups(testContext(t, 10*time.Second), e.client)
	var decErr *esetapi.DecodeError
	if !errors.As(err, &decErr) || !strings.Contains(err.Error(), "its own ancestor (a cycle of parentGroupUuid)") {
		t.Errorf("got %v, want a *DecodeError about the cycle", err)
	}

	for _, tc := range []struct {
		name   string
		groups []esetapi.DeviceGroup
		want   string // in the error; "" for none
	}{
		{"a cycle through every group", groupForest(2000, 2000, true), "its own ancestor"},
		{"a chain one level too deep", groupForest(esetapi.MaxGroupDepth+1, esetapi.MaxGroupDepth+1, false), fmt.Sprintf("is more than %d levels deep", esetapi.MaxGroupDepth)},
		{"chains of the deepest level", groupForest(1000, esetapi.MaxGroupDepth, false), ""},
	} {
		e := newEnv(t, simulator.Options{}, fastConfig(), groupTreeAPI(tc.groups))
		got, err := listGroups(testContext(t, 10*time.Second), e.client)
		if tc.want != "" {
			if !errors.As(err, &decErr) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: got %v, want a *DecodeError that says %q", tc.name, err, tc.want)
			}
			continue
		}
		if err != nil || len(got) != len(tc.groups) {
			t.Fatalf("%s: %d groups, %v", tc.name, len(got), err)
		}
		deepest := esetapi.GroupPaths(got)[got[esetapi.MaxGroupDepth-1].UUID]
		if n := strings.Count(deepest, esetapi.GroupPathSeparator) + 1; n != esetapi.MaxGroupDepth || !strings.HasPrefix(deepest, "group 0/group 1/group 2/") {
			t.Errorf("%s: the deepest path has %d names, want %d: %.80s…", tc.name, n, esetapi.MaxGroupDepth, deepest)
		}
	}
}

// TestGroupPathsCycles: GroupPaths on groups ListDeviceGroups would refuse still ends, each cycle cut
// where it is met.
func TestGroupPathsCycles(t *testing.T) {
	t.Parallel()
	got := esetapi.GroupPaths([]esetapi.DeviceGroup{
		{UUID: "self", DisplayName: "S", ParentGroupUUID: "self"},
		{UUID: "x", DisplayName: "X", ParentGroupUUID: "y"},
		{UUID: "y", DisplayName: "Y", ParentGroupUUID: "x"},
		{UUID: "z", DisplayName: "Z", ParentGroupUUID: "x"},
	})
	want := map[string]string{"self": "S", "x": "Y/X", "y": "Y", "z": "Y/X/Z"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// BenchmarkGroupTrees reads n groups and builds their paths: a chain (refused past MaxGroupDepth), a
// cycle through every group (refused), and chains of MaxGroupDepth under one root (read). Each takes time
// linear in n: compare the figures of 5,000, 10,000 and 20,000.
func BenchmarkGroupTrees(b *testing.B) {
	for _, shape := range []struct {
		name   string
		groups func(n int) []esetapi.DeviceGroup
	}{
		{"chain", func(n int) []esetapi.DeviceGroup { return groupForest(n, n, false) }},
		{"cycle", func(n int) []esetapi.DeviceGroup { return groupForest(n, n, true) }},
		{"deepest", func(n int) []esetapi.DeviceGroup { return groupForest(n, esetapi.MaxGroupDepth, false) }},
	} {
		for _, n := range []int{5000, 10000, 20000} {
			b.Run(fmt.Sprintf("%s/%d", shape.name, n), func(b *testing.B) {
				e := newEnv(b, simulator.Options{}, fastConfig(), groupTreeAPI(shape.groups(n)))
				b.ReportAllocs()
				for b.Loop() {
					groups, err := listGroups(context.Background(), e.client)
					if err == nil {
						_ = esetapi.GroupPaths(groups)
					}
				}
			})
		}
	}
}
