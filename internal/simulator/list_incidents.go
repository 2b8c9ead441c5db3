package simulator

import (
	"net/http"
)

// serveList is GET /v2/incidents.
func (s *Server) serveList(w http.ResponseWriter, r *http.Request) {
	s.listN.Add(1)
	if s.fetchPending(w, r, nil) {
		return
	}
	q := r.URL.Query()
	filter, orderBy := q.Get("filter"), q.Get("orderBy")
	key := queryKey(filter, orderBy)
	indexes, err := s.query(filter, orderBy, key)
	if err != nil {
		writeError(w, http.StatusBadRequest, 3, err.Error())
		return
	}
	from, to, next, ok := s.pageOf(w, q, key, len(indexes))
	if !ok {
		return
	}
	s.answer(w, r, nil, s.encodePage(indexes[from:to], next))
}
