package simulator

import (
	"encoding/json"
	"net/url"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

const openFilter = "incident.status == INCIDENT_STATUS_OPEN"

// readAll follows a listing's page tokens from the first page and returns the uuids of its items, in order.
func readAll(t *testing.T, srv *Server, path string, q url.Values, field string) []string {
	t.Helper()
	var uuids []string
	for {
		status, body, _ := call(t, srv, path+"?"+q.Encode())
		if status != 200 {
			t.Fatalf("%s: status %d: %.200s", path, status, body)
		}
		var page map[string]json.RawMessage
		var items []struct{ UUID string }
		var next string
		if err := json.Unmarshal([]byte(body), &page); err != nil {
			t.Fatal(err)
		}
		_ = json.Unmarshal(page[field], &items)
		_ = json.Unmarshal(page["nextPageToken"], &next)
		for _, it := range items {
			uuids = append(uuids, it.UUID)
		}
		if next == "" {
			return uuids
		}
		q.Set("pageToken", next)
	}
}

// fixedClock is a tenant clock that ticks a second per reading, so that runs are identical.
func fixedClock() func() time.Time {
	now := testEnd
	return func() time.Time { now = now.Add(time.Second); return now }
}

func churnServer(w World, perCall int) *Server {
	opts := Options{Username: "u", Password: "p", Churn: ChurnOptions{Seed: 7, PerCall: perCall, Now: fixedClock()}}
	opts.SetWorld(w)
	return New(opts)
}

// TestPagesAreOffsetsIntoTheLiveResult closes an incident of the first page between two calls: the second
// page starts at its offset in the result as it is now, one incident further than before.
func TestPagesAreOffsetsIntoTheLiveResult(t *testing.T) {
	srv := churnServer(GenerateWorld(WorldSpec{Seed: 1, Incidents: 300, End: testEnd}), 0)
	first := readAll(t, srv, "/v2/incidents", url.Values{"filter": {openFilter}}, "incidents")
	q := url.Values{"filter": {openFilter}, "pageSize": {"20"}}
	status, body, _ := call(t, srv, "/v2/incidents?"+q.Encode())
	var page struct{ NextPageToken string }
	if err := json.Unmarshal([]byte(body), &page); status != 200 || err != nil {
		t.Fatalf("status %d, %v", status, err)
	}
	srv.live.mu.Lock()
	inc := srv.opts.Incidents[srv.byID[first[0]]]
	inc.Status = "INCIDENT_STATUS_CLOSED"
	srv.updateIncident(srv.byID[first[0]], inc)
	srv.live.mu.Unlock()
	q.Set("pageToken", page.NextPageToken)
	second := readAll(t, srv, "/v2/incidents", q, "incidents")
	if second[0] != first[21] {
		t.Fatalf("the second page starts with %s, want %s (the 22nd open incident: the 21st moved up past the offset)", second[0], first[21])
	}
}

// TestChurnIsReproducible reads the same way from two servers with the same seed: the same pages and the
// same data after.
func TestChurnIsReproducible(t *testing.T) {
	w := GenerateWorld(WorldSpec{Seed: 2, Incidents: 2000, End: testEnd})
	var runs [2][]string
	var data [2][]esetapi.Incident
	for n := range runs {
		srv := churnServer(w, 30)
		runs[n] = readAll(t, srv, "/v2/incidents", url.Values{"filter": {openFilter}, "pageSize": {"100"}}, "incidents")
		data[n] = srv.opts.Incidents
	}
	if !slices.Equal(runs[0], runs[1]) || !reflect.DeepEqual(data[0], data[1]) {
		t.Fatal("two runs with the same seed differ")
	}
	if reflect.DeepEqual(data[0], w.Incidents) {
		t.Fatal("the churn changed nothing")
	}
}

// TestChurnClosesIncidentsAlreadySent checks that the incidents closed after a page are ones that page or
// an earlier one served: what makes offset paging skip.
func TestChurnClosesIncidentsAlreadySent(t *testing.T) {
	srv := churnServer(GenerateWorld(WorldSpec{Seed: 3, Incidents: 3000, End: testEnd}), 20)
	q := url.Values{"filter": {openFilter}, "pageSize": {"200"}}
	status, body, _ := call(t, srv, "/v2/incidents?"+q.Encode())
	var page struct{ Incidents []esetapi.Incident }
	if err := json.Unmarshal([]byte(body), &page); status != 200 || err != nil {
		t.Fatalf("status %d, %v", status, err)
	}
	last := page.Incidents[len(page.Incidents)-1].CreateTime
	closed := 0
	for _, c := range srv.live.incidents {
		now := srv.opts.Incidents[c.index]
		if c.before != nil && c.before.Status == "INCIDENT_STATUS_OPEN" && now.Status == "INCIDENT_STATUS_CLOSED" {
			closed++
			if c.before.CreateTime > last {
				t.Errorf("closed incident %s, created %s, after the last one served (%s)", now.UUID, now.CreateTime, last)
			}
		}
	}
	if closed == 0 {
		t.Fatal("no incident was closed")
	}
}

// TestCachedQueriesFollowChurn holds the cached results, updated change by change, equal to results
// evaluated afresh, for filters and orders whose keys the churn changes.
func TestCachedQueriesFollowChurn(t *testing.T) {
	srv := churnServer(GenerateWorld(WorldSpec{Seed: 4, Incidents: 1500, End: testEnd}), 25)
	queries := [][2]string{
		{openFilter, ""},
		{openFilter, "create_time desc"},
		{"", "severity desc, update_time"},
		{`incident.severity == INCIDENT_SEVERITY_LEVEL_HIGH || incident.status == INCIDENT_STATUS_CLOSED`, "status, create_time"},
	}
	for round := range 20 {
		for _, fo := range queries {
			q := url.Values{"filter": {fo[0]}, "orderBy": {fo[1]}, "pageSize": {"100"}}
			if status, body, _ := call(t, srv, "/v2/incidents?"+q.Encode()); status != 200 {
				t.Fatalf("status %d: %.200s", status, body)
			}
		}
		srv.live.mu.RLock()
		for _, fo := range queries {
			key := queryKey(fo[0], fo[1])
			cached := slices.Clone(srv.queries[key].indexes)
			delete(srv.queries, key)
			fresh, err := srv.query(fo[0], fo[1], key)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(cached, fresh) {
				t.Fatalf("round %d, %q order %q: the cached result (%d) differs from a fresh one (%d)", round, fo[0], fo[1], len(cached), len(fresh))
			}
		}
		srv.live.mu.RUnlock()
	}
}

// TestIncidentsGroundTruth makes one change of each kind and checks what the history says of each.
func TestIncidentsGroundTruth(t *testing.T) {
	srv := churnServer(GenerateWorld(WorldSpec{Seed: 5, Incidents: 200, End: testEnd}), 0)
	byStatus := func(status string) []int {
		var out []int
		for i, inc := range srv.opts.Incidents {
			if inc.Status == status {
				out = append(out, i)
			}
		}
		return out
	}
	open, closed := byStatus("INCIDENT_STATUS_OPEN"), byStatus("INCIDENT_STATUS_CLOSED")
	uuid := func(i int) string { return srv.opts.Incidents[i].UUID }
	mark := srv.Mark()
	srv.live.mu.Lock()
	set := func(i int, f func(*esetapi.Incident)) {
		inc := srv.opts.Incidents[i]
		f(&inc)
		srv.updateIncident(i, inc)
	}
	set(open[0], func(inc *esetapi.Incident) { inc.Status = "INCIDENT_STATUS_CLOSED" })
	set(open[1], func(inc *esetapi.Incident) { inc.Status = "INCIDENT_STATUS_CLOSED" })
	set(open[1], func(inc *esetapi.Incident) { inc.Status = "INCIDENT_STATUS_OPEN" })
	set(open[2], func(inc *esetapi.Incident) { inc.AssigneeUUID = ptr("someone") })
	set(closed[0], func(inc *esetapi.Incident) { inc.Status = "INCIDENT_STATUS_OPEN" })
	srv.deleteIncident(open[3])
	srv.addIncident(esetapi.Incident{UUID: "new", Status: "INCIDENT_STATUS_OPEN", CreateTime: testEnd.Format(time.RFC3339)})
	srv.live.mu.Unlock()

	throughout, atSome, err := srv.IncidentsMatched(mark, openFilter)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		what              string
		uuid              string
		throughout, atAny bool
	}{
		{"closed", uuid(open[0]), false, true},
		{"closed and reopened", uuid(open[1]), false, true},
		{"reassigned", uuid(open[2]), true, true},
		{"reopened", uuid(closed[0]), false, true},
		{"deleted", uuid(open[3]), false, true},
		{"created", "new", false, true},
		{"left alone", uuid(open[4]), true, true},
		{"closed throughout", uuid(closed[1]), false, false},
	} {
		if slices.Contains(throughout, tc.uuid) != tc.throughout || slices.Contains(atSome, tc.uuid) != tc.atAny {
			t.Errorf("%s: throughout %v, at some point %v; want %v, %v", tc.what, slices.Contains(throughout, tc.uuid), slices.Contains(atSome, tc.uuid), tc.throughout, tc.atAny)
		}
	}
	if len(throughout) != len(open)-3 || len(atSome) != len(open)+2 {
		t.Errorf("%d throughout and %d at some point of %d open; want %d and %d", len(throughout), len(atSome), len(open), len(open)-3, len(open)+2)
	}
	if status, _, _ := call(t, srv, "/v2/incidents/"+uuid(open[3])); status != 404 {
		t.Errorf("a deleted incident's detail call answers %d, want 404", status)
	}
}

// TestChurnUnderConcurrentReads reads every list and detail call at once while the churn changes the data
// (run with -race): reads and changes take the data lock.
func TestChurnUnderConcurrentReads(t *testing.T) {
	w := GenerateWorld(WorldSpec{Seed: 6, Incidents: 500, End: testEnd})
	srv := churnServer(w, 5)
	paths := []string{
		"/v2/incidents?pageSize=40&filter=" + url.QueryEscape(openFilter),
		"/v1/devices?pageSize=7",
		"/v1/device_groups/" + w.DeviceGroups[0].UUID + "/devices?recurseSubgroups=true&pageSize=9",
		"/v1/detections?pageSize=100",
		"/v2/incidents/" + w.Incidents[3].UUID,
		"/v1/devices/" + w.Devices[3].UUID,
	}
	done := make(chan struct{})
	for _, p := range paths {
		go func() {
			defer func() { done <- struct{}{} }()
			for range 3 {
				if status, body, _ := call(t, srv, p); status != 200 && status != 404 {
					t.Errorf("%s: %d %.200s", p, status, body)
				}
			}
		}()
	}
	for range paths {
		<-done
	}
}
