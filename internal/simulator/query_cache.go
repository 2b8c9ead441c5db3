package simulator

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"slices"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/query"
)

// maxCachedQueries bounds the memory kept for the sorted results of recent queries.
const maxCachedQueries = 32

// cachedQuery is the filtered, sorted result of one (filter, orderBy) pair over the live data, kept so that
// paging through 100,000 incidents filters them once, not once per page. A change of an incident updates
// every cached result in place (requery): each page is then sliced from the result as it is at that call,
// as ESET's offset tokens are, at the cost of one evaluation per cached query and changed incident.
type cachedQuery struct {
	program *query.Program // nil: no filter
	keys    []query.OrderKey
	indexes []int
	used    time.Time
}

// query returns the indexes of the incidents matching filter in orderBy's order (ties in the data set's
// order), from the cache when the same query was answered before. It is called with s.live.mu held for
// reading, which the caller keeps while it reads the result: a change cannot come in between.
func (s *Server) query(filter, orderBy, key string) ([]int, error) {
	s.mu.Lock()
	if c := s.queries[key]; c != nil {
		c.used = time.Now()
		s.mu.Unlock()
		return c.indexes, nil
	}
	s.mu.Unlock()

	c := &cachedQuery{}
	var err error
	if c.keys, err = query.ParseOrderBy(orderBy); err != nil {
		return nil, fmt.Errorf("invalid orderBy: %v", err)
	}
	if filter != "" {
		if c.program, err = query.Compile(filter); err != nil {
			return nil, fmt.Errorf("invalid filter: %v", err)
		}
	}
	c.indexes = make([]int, 0, len(s.opts.Incidents))
	for i := range s.opts.Incidents {
		ok, err := c.matches(s.opts.Incidents, s.live.goneIncidents, i)
		if err != nil {
			return nil, fmt.Errorf("invalid filter: %v", err)
		}
		if ok {
			c.indexes = append(c.indexes, i)
		}
	}
	if len(c.keys) > 0 {
		slices.SortStableFunc(c.indexes, func(a, b int) int { return c.compare(s.opts.Incidents, a, b) })
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.queries) >= maxCachedQueries {
		oldest := ""
		for k, c := range s.queries {
			if oldest == "" || c.used.Before(s.queries[oldest].used) {
				oldest = k
			}
		}
		delete(s.queries, oldest)
	}
	c.used = time.Now()
	s.queries[key] = c
	return c.indexes, nil
}

func (c *cachedQuery) matches(incidents []esetapi.Incident, gone map[int]bool, i int) (bool, error) {
	if gone[i] {
		return false, nil
	}
	if c.program == nil {
		return true, nil
	}
	return c.program.Match(&incidents[i])
}

// compare orders incidents a and b by the query's keys, then by their place in the data set, as the stable
// sort of a fresh result does.
func (c *cachedQuery) compare(incidents []esetapi.Incident, a, b int) int {
	if n := query.Compare(&incidents[a], &incidents[b], c.keys); n != 0 {
		return n
	}
	return a - b
}

// requery moves incident i, just changed, created or deleted, to where it now belongs in every cached
// result: out, or in at its sorted place. It is called with s.live.mu held for writing.
func (s *Server) requery(i int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for key, c := range s.queries {
		if at := slices.Index(c.indexes, i); at >= 0 {
			c.indexes = slices.Delete(c.indexes, at, at+1)
		}
		ok, err := c.matches(s.opts.Incidents, s.live.goneIncidents, i)
		if err != nil {
			// The filter fails on the changed incident: the next call evaluates it afresh and answers 400.
			delete(s.queries, key)
			continue
		}
		if ok {
			at, _ := slices.BinarySearchFunc(c.indexes, i, func(e, t int) int { return c.compare(s.opts.Incidents, e, t) })
			c.indexes = slices.Insert(c.indexes, at, i)
		}
	}
}

func queryKey(filter, orderBy string) string {
	sum := sha256.Sum256([]byte(filter + "\x00" + orderBy))
	return base64.RawURLEncoding.EncodeToString(sum[:9])
}
