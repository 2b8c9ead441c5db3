package simulator

import (
	"sort"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/query"
)

// queryByKey answers a read by key (a filter ending in `&& create_time OP timestamp("T")`, ordered by
// create_time alone) from the cached result of the filter without the bound, by binary search: every call
// of such a read has a new T, and evaluating each afresh over 100,000 incidents made the simulator, not the
// provider, most of a read's time (PERFORMANCE.md, "Reading 100,000 incidents by key"). The answer is
// the full evaluation's: the incidents the rest of the filter matches are sorted by create_time (ties in the
// data set's order, as the full result's stable sort leaves them), so those the bound admits are a run of
// that result. ok is false for any other query, and where the full evaluation fails (the rest of the filter
// fails on an incident, or an incident it matches has no readable create_time, which the bound cannot
// compare): the caller then evaluates the whole filter, and answers as it always did. It is called with
// s.live.mu held for reading, as query is.
func (s *Server) queryByKey(filter, orderBy string) ([]int, bool) {
	keys, err := query.ParseOrderBy(orderBy)
	if err != nil || len(keys) != 1 || keys[0].Field != "create_time" {
		return nil, false
	}
	base, bound, ok := query.SplitTimeBound(filter)
	if !ok {
		return nil, false
	}
	indexes, err := s.query(base, orderBy, queryKey(base, orderBy))
	if err != nil {
		return nil, false
	}
	n := len(indexes)
	if n == 0 {
		return indexes, true
	}
	// Unreadable times sort after readable ones (query.Compare), so last when ascending, first when not.
	edge := indexes[n-1]
	if keys[0].Desc {
		edge = indexes[0]
	}
	if _, err := time.Parse(time.RFC3339, s.opts.Incidents[edge].CreateTime); err != nil {
		return nil, false
	}
	// sign compares the create_time at position i with T, negated when descending: it never decreases
	// along the result.
	dir := 1
	if keys[0].Desc {
		dir = -1
	}
	sign := func(i int) int {
		t, _ := time.Parse(time.RFC3339, s.opts.Incidents[indexes[i]].CreateTime)
		return dir * t.Compare(bound.Time)
	}
	atT := sort.Search(n, func(i int) bool { return sign(i) >= 0 })
	pastT := sort.Search(n, func(i int) bool { return sign(i) > 0 })
	// The bound admits a contiguous set of signs: the runs of times before, at and after T.
	from, to := -1, -1
	for k, run := range [3][2]int{{0, atT}, {atT, pastT}, {pastT, n}} {
		if bound.Admits(dir * (k - 1)) {
			if from < 0 {
				from = run[0]
			}
			to = run[1]
		}
	}
	if from < 0 {
		return nil, true
	}
	return indexes[from:to], true
}
