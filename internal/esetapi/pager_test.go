package esetapi_test

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// TestListIncidentsPaging lists data sets around the page size: every incident once, in order, in exactly
// ceil(N/1000) calls (one for an empty tenant), each asking for a full page.
func TestListIncidentsPaging(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 999, 1000, 1001, 2500} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			t.Parallel()
			var rec *recorder
			e := newEnv(t, simulator.Options{Incidents: simulator.Generate(uint64(n)+1, n)}, fastConfig(),
				func(h http.Handler) http.Handler { rec = record(h); return rec })
			got, res, err := listAll(testContext(t, 20*time.Second), e.client, esetapi.IncidentListOptions{})
			if err != nil {
				t.Fatal(err)
			}
			assertIncidents(t, got, listView(e.data))
			wantCalls := max((n+esetapi.MaxPageSize-1)/esetapi.MaxPageSize, 1)
			if st := e.sim.Stats(); st.ListCalls != int64(wantCalls) || st.TokenCalls != 1 {
				t.Errorf("%d list calls and %d token calls, want %d and 1", st.ListCalls, st.TokenCalls, wantCalls)
			}
			if res != (esetapi.IncidentList{ListCounts: esetapi.ListCounts{Items: n, Calls: wantCalls}}) {
				t.Errorf("result %+v", res)
			}
			for i, h := range rec.calls("/v2/incidents") {
				if ps := h.query["pageSize"]; !slices.Equal(ps, []string{"1000"}) {
					t.Errorf("call %d asked for pageSize %v, want 1000", i, ps)
				}
				if _, sent := h.query["pageToken"]; sent != (i > 0) {
					t.Errorf("call %d: pageToken sent=%v", i, sent)
				}
			}
		})
	}
}

// TestListIncidentsMaxResults checks that a bounded listing asks for no more than it still needs, stops
// as soon as it has enough, and says whether more incidents existed.
func TestListIncidentsMaxResults(t *testing.T) {
	t.Parallel()
	data := simulator.Generate(7, 2500)
	for _, tc := range []struct {
		max       int
		pageSizes []string
		truncated bool
	}{
		{1, []string{"1"}, true},
		{25, []string{"25"}, true},
		{1000, []string{"1000"}, true},
		{1001, []string{"1000", "1"}, true},
		{2500, []string{"1000", "1000", "500"}, false},
		{2501, []string{"1000", "1000", "501"}, false},
	} {
		t.Run(strconv.Itoa(tc.max), func(t *testing.T) {
			t.Parallel()
			var rec *recorder
			e := newEnv(t, simulator.Options{Incidents: data}, fastConfig(),
				func(h http.Handler) http.Handler { rec = record(h); return rec })
			got, res, err := listAll(testContext(t, 20*time.Second), e.client, esetapi.IncidentListOptions{MaxResults: tc.max})
			if err != nil {
				t.Fatal(err)
			}
			want := listView(data)[:min(tc.max, len(data))]
			assertIncidents(t, got, want)
			var sizes []string
			for _, h := range rec.calls("/v2/incidents") {
				sizes = append(sizes, h.query.Get("pageSize"))
			}
			if !slices.Equal(sizes, tc.pageSizes) {
				t.Errorf("page sizes asked %v, want %v", sizes, tc.pageSizes)
			}
			if res.Truncated != tc.truncated || res.Items != len(want) || res.Calls != len(tc.pageSizes) {
				t.Errorf("result %+v, want truncated=%v incidents=%d pages=%d", res, tc.truncated, len(want), len(tc.pageSizes))
			}
		})
	}
}

// TestListIncidentsServerSendsMore: a server that ignores pageSize sends more than asked for, which fails
// the listing (hostile_test.go has the same for full pages) rather than be cut quietly to MaxResults.
func TestListIncidentsServerSendsMore(t *testing.T) {
	t.Parallel()
	data := simulator.Generate(8, 30)
	e := newEnv(t, simulator.Options{Incidents: data}, fastConfig(), func(sim http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			q := r.URL.Query()
			q.Set("pageSize", "1000")
			r.URL.RawQuery = q.Encode()
			sim.ServeHTTP(w, r)
		})
	})
	_, _, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.IncidentListOptions{MaxResults: 10})
	var pagingErr *esetapi.PagingError
	if !errors.As(err, &pagingErr) || pagingErr.Page != 1 || !strings.Contains(err.Error(), "30 incidents for a page of 10") {
		t.Fatalf("got %v, want a *PagingError at page 1", err)
	}
}

// TestListIncidentsQueryEncoding sends a filter and an orderBy full of characters that URL encoding must
// protect (quotes, &, +, #, %, unicode, spaces) and checks that they reach the server byte for byte and
// that the server's answer to them (every incident, newest first) comes back in order.
func TestListIncidentsQueryEncoding(t *testing.T) {
	t.Parallel()
	data := simulator.Generate(9, 40)
	filter := `incident.display_name != "a&b=c+d #frag ?q=1 %41 \"quoted\" 'single' ünïcödé ✓ 🔥" && !incident.display_name.contains("+&#")`
	orderBy := "create_time desc, display_name"
	var rec *recorder
	e := newEnv(t, simulator.Options{Incidents: data}, fastConfig(),
		func(h http.Handler) http.Handler { rec = record(h); return rec })
	got, _, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.IncidentListOptions{Filter: filter, OrderBy: orderBy})
	if err != nil {
		t.Fatal(err)
	}
	calls := rec.calls("/v2/incidents")
	if len(calls) != 1 {
		t.Fatalf("%d calls", len(calls))
	}
	q := calls[0].query
	if !slices.Equal(q["filter"], []string{filter}) {
		t.Errorf("filter arrived as %q, want %q", q["filter"], filter)
	}
	if !slices.Equal(q["orderBy"], []string{orderBy}) {
		t.Errorf("orderBy arrived as %q, want %q", q["orderBy"], orderBy)
	}
	want := listView(data)
	slices.Reverse(want) // the generator creates incidents oldest first
	assertIncidents(t, got, want)
}

// TestOffsetPagingSkipsUnderChurn shows issue 20's defect, which it asserts: 12,000 incidents (about
// 3,500 open, four pages) read with filter incident.status == INCIDENT_STATUS_OPEN and offset page tokens while
// analysts close, after each page, open incidents the reader was already sent. Each closed one moves every
// later one up past the next page's offset, so incidents open for the whole read go missing, without an
// error or a warning. The fix (a read by key) flips the assertion: nothing missing, nothing extra, nothing
// repeated, and then this test becomes the guarantee's.
func TestOffsetPagingSkipsUnderChurn(t *testing.T) {
	t.Parallel()
	const filter = "incident.status == INCIDENT_STATUS_OPEN"
	e, _ := newChurnEnv(t, simulator.WorldSpec{Seed: 20, Incidents: 12_000}, 100)
	mark := e.sim.Mark()
	got, res, err := listAll(testContext(t, 60*time.Second), e.client, esetapi.IncidentListOptions{Filter: filter})
	if err != nil {
		t.Fatal(err)
	}
	throughout, atSomePoint, err := e.sim.IncidentsMatched(mark, filter)
	if err != nil {
		t.Fatal(err)
	}
	var uuids []string
	for _, inc := range got {
		uuids = append(uuids, inc.UUID)
	}
	missing, extra, repeated := readUnderChurn(uuids, throughout, atSomePoint)
	t.Logf("%d pages, %d listed; %d open throughout, %d missing (%.1f%%), %d extra, %d repeated",
		res.Calls, len(got), len(throughout), len(missing), 100*float64(len(missing))/float64(len(throughout)), len(extra), len(repeated))
	if len(extra) > 0 || len(repeated) > 0 {
		t.Errorf("listed %d incidents that were never open during the read, %d twice", len(extra), len(repeated))
	}
	// The known defect (issue 20): the fix asserts len(missing) == 0 here.
	if len(missing) == 0 {
		t.Fatal("no incident open for the whole read is missing: offset paging no longer skips (issue 20 fixed?): make this the guarantee's test")
	}
}

// TestRepeatedPageToken: a page token that comes back ends the listing with a *PagingError.
func TestRepeatedPageToken(t *testing.T) {
	t.Parallel()
	data := simulator.Generate(25, 3500)
	e := newEnv(t, simulator.Options{Incidents: data, Faults: simulator.Faults{RepeatPageToken: true}}, fastConfig(), nil)
	got, res, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.IncidentListOptions{})
	var pagingErr *esetapi.PagingError
	if !errors.As(err, &pagingErr) || pagingErr.RequestID == "" || !strings.Contains(err.Error(), pagingErr.RequestID) {
		t.Fatalf("want *PagingError with a request-id, got %T: %v", err, err)
	}
	if pagingErr.Page != 2 || res.Calls != 2 || e.sim.Stats().ListCalls != 2 {
		t.Errorf("error %+v, result %+v", pagingErr, res)
	}
	assertIncidents(t, got, listView(data)[:2000])
}

// TestMaxPages: a listing longer than MaxPages stops with a *PagingError.
func TestMaxPages(t *testing.T) {
	t.Parallel()
	cfg := fastConfig()
	cfg.MaxPages = 2
	e := newEnv(t, simulator.Options{Incidents: simulator.Generate(26, 2001)}, cfg, nil)
	_, _, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.IncidentListOptions{})
	var pagingErr *esetapi.PagingError
	if !errors.As(err, &pagingErr) || pagingErr.Page != 3 {
		t.Fatalf("want *PagingError at page 3, got %v", err)
	}
}
