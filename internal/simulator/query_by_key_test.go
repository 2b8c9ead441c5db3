package simulator

import (
	"slices"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/query"
)

// fullQuery evaluates filter afresh over the live data, as a query never cached would be.
func (s *Server) fullQuery(filter, orderBy string) ([]int, error) {
	key := queryKey(filter, orderBy)
	forget := func() {
		s.mu.Lock()
		delete(s.queries, key)
		s.mu.Unlock()
	}
	forget()
	defer forget()
	indexes, err := s.query(filter, orderBy, key)
	return slices.Clone(indexes), err
}

// keyedFilters are reads by key over each of bases at each of times: every operator, spelling and order.
func keyedFilters(bases []string, times []time.Time) (filters, orders []string) {
	spellings := []string{"create_time", "incident.create_time", "createTime"}
	for i, base := range bases {
		for j, t := range times {
			for _, op := range []string{">=", ">", "<=", "<", "=="} {
				bound := spellings[(i+j)%len(spellings)] + " " + op + " timestamp(" + query.Quote(t.Format(time.RFC3339Nano)) + ")"
				if base != "" {
					bound = base + " && " + bound
				}
				filters = append(filters, bound)
			}
		}
	}
	return filters, []string{"create_time", "create_time desc"}
}

// TestQueryByKeyIsFullEvaluation checks the binary search of reads by key against the full evaluation of
// the same filters, over a world with runs of equal create_times, under churn that deletes, changes and
// creates incidents (at one time, which ties them with others), for bounds before, at, between and after
// the data's times.
func TestQueryByKeyIsFullEvaluation(t *testing.T) {
	incidents := Generate(5, 800)
	for i := 300; i < 340; i++ { // a run of ties
		incidents[i].CreateTime = incidents[299].CreateTime
	}
	parse := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	first, tie, mid, last := parse(incidents[0].CreateTime), parse(incidents[299].CreateTime), parse(incidents[500].CreateTime), parse(incidents[799].CreateTime)
	s := New(Options{Incidents: incidents, Churn: ChurnOptions{Seed: 9, PerCall: 40, Now: func() time.Time { return mid }}})
	times := []time.Time{
		first.Add(-time.Hour), first, tie, tie.Add(time.Nanosecond), tie.Add(-time.Nanosecond),
		mid.In(time.FixedZone("", 2*3600)), last, last.Add(time.Hour),
	}
	bases := []string{"", "incident.status == INCIDENT_STATUS_OPEN", "(severity == INCIDENT_SEVERITY_LEVEL_HIGH || has(incident.assignee_uuid)) && display_name != \"x\""}
	filters, orders := keyedFilters(bases, times)
	for round := range 5 {
		s.live.mu.RLock()
		for _, filter := range filters {
			for _, orderBy := range orders {
				fast, ok := s.queryByKey(filter, orderBy)
				full, err := s.fullQuery(filter, orderBy)
				if !ok || err != nil {
					t.Fatalf("round %d, %q by %q: fast path taken %v, full evaluation's error %v", round, filter, orderBy, ok, err)
				}
				if !slices.Equal(fast, full) {
					t.Errorf("round %d, %q by %q: fast path %d incidents, full evaluation %d (or another order)", round, filter, orderBy, len(fast), len(full))
				}
			}
		}
		s.live.mu.RUnlock()
		s.churnAfter(listedIncidents, 400)
	}
	if len(s.opts.Incidents) == 800 {
		t.Fatalf("the churn created nothing (%d incidents)", len(s.opts.Incidents))
	}
}

// TestQueryByKeyLeavesFailuresToFullEvaluation: where an incident the rest of the filter matches has no
// readable create_time, the full evaluation fails (the bound cannot be evaluated on it), and so the fast
// path must not answer; where the rest of the filter leaves it out, it answers as the full evaluation does.
func TestQueryByKeyLeavesFailuresToFullEvaluation(t *testing.T) {
	incidents := Generate(6, 200)
	for i := range incidents {
		incidents[i].Status = "INCIDENT_STATUS_OPEN"
	}
	incidents[50].CreateTime, incidents[50].Status = "", "INCIDENT_STATUS_CLOSED"
	incidents[60].CreateTime, incidents[60].Status = "yesterday", "INCIDENT_STATUS_CLOSED"
	s := New(Options{Incidents: incidents})
	at := []time.Time{time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)}
	filters, orders := keyedFilters([]string{"", "status == INCIDENT_STATUS_CLOSED", "status == INCIDENT_STATUS_OPEN"}, at)
	taken := 0
	s.live.mu.RLock()
	defer s.live.mu.RUnlock()
	for _, filter := range filters {
		for _, orderBy := range orders {
			fast, ok := s.queryByKey(filter, orderBy)
			full, err := s.fullQuery(filter, orderBy)
			switch {
			case ok && err != nil:
				t.Errorf("%q by %q: the fast path answered %d incidents where the full evaluation fails: %v", filter, orderBy, len(fast), err)
			case ok && !slices.Equal(fast, full):
				t.Errorf("%q by %q: fast path %d incidents, full evaluation %d", filter, orderBy, len(fast), len(full))
			case ok:
				taken++
			}
		}
	}
	if taken == 0 {
		t.Error("the fast path never answered, not even where no incident lacks a create_time")
	}
}
