package simulator

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"slices"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/query"
)

// maxCachedQueries bounds the memory kept for the sorted results of recent queries.
const maxCachedQueries = 32

// cachedQuery is the filtered, sorted result of one (filter, orderBy) pair, kept so that paging through
// 100,000 incidents filters them once, not once per page.
type cachedQuery struct {
	indexes []int
	used    time.Time
}

// query returns the indexes of the incidents matching filter in orderBy's order, from the cache when the
// same query was answered before.
func (s *Server) query(filter, orderBy, key string) ([]int, error) {
	s.mu.Lock()
	if c := s.queries[key]; c != nil {
		c.used = time.Now()
		s.mu.Unlock()
		return c.indexes, nil
	}
	s.mu.Unlock()

	keys, err := query.ParseOrderBy(orderBy)
	if err != nil {
		return nil, fmt.Errorf("invalid orderBy: %v", err)
	}
	var program *query.Program
	if filter != "" {
		if program, err = query.Compile(filter); err != nil {
			return nil, fmt.Errorf("invalid filter: %v", err)
		}
	}
	indexes := make([]int, 0, len(s.opts.Incidents))
	for i := range s.opts.Incidents {
		if program != nil {
			ok, err := program.Match(&s.opts.Incidents[i])
			if err != nil {
				return nil, fmt.Errorf("invalid filter: %v", err)
			}
			if !ok {
				continue
			}
		}
		indexes = append(indexes, i)
	}
	if len(keys) > 0 {
		slices.SortStableFunc(indexes, func(a, b int) int {
			return query.Compare(&s.opts.Incidents[a], &s.opts.Incidents[b], keys)
		})
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
	s.queries[key] = &cachedQuery{indexes: indexes, used: time.Now()}
	return indexes, nil
}

func queryKey(filter, orderBy string) string {
	sum := sha256.Sum256([]byte(filter + "\x00" + orderBy))
	return base64.RawURLEncoding.EncodeToString(sum[:9])
}
