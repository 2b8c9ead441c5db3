package simulator

import (
	"net/http"
)

// serveList is GET /v2/incidents. Each page is sliced at its token's offset from the query's result as the
// data is now, as ESET's tokens are positions in a live result; then the churn, if on, changes the data.
func (s *Server) serveList(w http.ResponseWriter, r *http.Request) {
	s.listN.Add(1)
	if s.fetchPending(w, r, nil) {
		return
	}
	q := r.URL.Query()
	filter, orderBy := q.Get("filter"), q.Get("orderBy")
	key := queryKey(filter, orderBy)
	s.live.mu.RLock()
	indexes, ok := s.queryByKey(filter, orderBy)
	if !ok {
		var err error
		if indexes, err = s.query(filter, orderBy, key); err != nil {
			s.live.mu.RUnlock()
			writeError(w, http.StatusBadRequest, 3, err.Error())
			return
		}
	}
	from, to, next, ok := s.pageOf(w, q, key, len(indexes))
	if !ok {
		s.live.mu.RUnlock()
		return
	}
	last := -1
	if to > from {
		last = indexes[to-1]
	}
	body := s.encodePage(indexes[from:to], next)
	s.live.mu.RUnlock()
	s.answer(w, r, nil, body)
	s.churnAfter(listedIncidents, last)
}
