package readplan_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/query"
	"github.com/eset-community/terraform-provider-eset/internal/readplan"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// TestReadUnderChurn reads while analysts close incidents already read, reopen, reassign, re-rate,
// create and delete them after every list call (the simulator's churn, on a seed): every incident that
// matched the filter for the whole read is listed, exactly once, and nothing that never matched during
// it, in each order and shape of read the guarantee covers. Reading by position (the API's page tokens)
// misses about 3% of them (esetapi's TestOffsetPagingSkipsUnderChurn).
func TestReadUnderChurn(t *testing.T) {
	const filter = "incident.status == INCIDENT_STATUS_OPEN"
	for _, n := range []int{3000, 12000} {
		for _, tc := range []struct {
			name string
			req  readplan.Request
		}{
			{"oldest first", readplan.Request{}},
			{"newest first", readplan.Request{OrderBy: "create_time desc"}},
			{"summary only", readplan.Request{Unordered: true}},
			{"another order", readplan.Request{OrderBy: "severity desc, display_name"}},
			{"typed filters", readplan.Request{}},
		} {
			t.Run(fmt.Sprintf("%d/%s", n, tc.name), func(t *testing.T) {
				t.Parallel()
				opts := simulator.Options{Churn: simulator.ChurnOptions{Seed: uint64(n), PerCall: n / 30}}
				opts.SetWorld(simulator.GenerateWorld(simulator.WorldSpec{Seed: uint64(n), Incidents: n, End: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}))
				e := newEnvWith(t, opts)
				c, raw := query.Criteria{}, filter
				if tc.name == "typed filters" {
					c, raw = query.Criteria{Statuses: []string{"INCIDENT_STATUS_OPEN"}}, ""
				}
				mark := e.sim.Mark()
				req := tc.req
				req.Filter = raw
				got, res := e.read(t, c, time.Now(), req)
				throughout, atSomePoint, err := e.sim.IncidentsMatched(mark, filter)
				if err != nil {
					t.Fatal(err)
				}
				missing, extra, repeated := compare(got, throughout, atSomePoint)
				t.Logf("%d listed in %d calls; %d open throughout, %d at some point", len(got), res.ListCalls, len(throughout), len(atSomePoint))
				if len(missing)+len(extra)+len(repeated) > 0 {
					t.Errorf("%d missing, %d extra, %d repeated", len(missing), len(extra), len(repeated))
				}
				if len(atSomePoint) == len(throughout) {
					t.Error("nothing changed during the read: the test shows nothing")
				}
			})
		}
	}
}

// TestReadFirstResultsUnderChurn: with max_results, the first N oldest (or newest) are read: every
// incident that matched throughout and was created before the last one listed is listed.
func TestReadFirstResultsUnderChurn(t *testing.T) {
	const filter = "incident.status == INCIDENT_STATUS_OPEN"
	for _, desc := range []bool{false, true} {
		opts := simulator.Options{Churn: simulator.ChurnOptions{Seed: 5, PerCall: 100}}
		opts.SetWorld(simulator.GenerateWorld(simulator.WorldSpec{Seed: 5, Incidents: 6000, End: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}))
		e := newEnvWith(t, opts)
		mark := e.sim.Mark()
		req := readplan.Request{Filter: filter, MaxResults: 1500}
		if desc {
			req.OrderBy = "create_time desc"
		}
		var got []esetapi.Incident
		typed, _ := query.Criteria{}.Terms(time.Now(), "")
		req.Typed = typed
		res, err := readplan.Read(t.Context(), e.client, req, func(page []esetapi.Incident) error { got = append(got, page...); return nil })
		if err != nil {
			t.Fatal(err)
		}
		throughout, _, err := e.sim.IncidentsMatched(mark, filter)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1500 || !res.Truncated {
			t.Fatalf("desc=%v: %d listed, truncated %v", desc, len(got), res.Truncated)
		}
		last := got[len(got)-1].CreateTime
		listed := map[string]bool{}
		for _, inc := range got {
			listed[inc.UUID] = true
		}
		byUUID := map[string]esetapi.Incident{}
		for _, inc := range e.data {
			byUUID[inc.UUID] = inc
		}
		for _, u := range throughout {
			inc, ok := byUUID[u]
			if !ok {
				continue // created during the read
			}
			before := inc.CreateTime < last
			if desc {
				before = inc.CreateTime > last
			}
			if before && !listed[u] {
				t.Errorf("desc=%v: %s, open throughout and created %s, before the last listed (%s), is missing", desc, u, inc.CreateTime, last)
			}
		}
	}
}

// compare sets a read's uuids against the simulator's ground truth.
func compare(listed, throughout, atSomePoint []string) (missing, extra, repeated []string) {
	count := map[string]int{}
	for _, u := range listed {
		if count[u]++; count[u] == 2 {
			repeated = append(repeated, u)
		}
	}
	for _, u := range throughout {
		if count[u] == 0 {
			missing = append(missing, u)
		}
	}
	for u := range count {
		if !slices.Contains(atSomePoint, u) {
			extra = append(extra, u)
		}
	}
	return missing, extra, repeated
}
