package simulator

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

const (
	defaultPageSize = 50
	maxPageSize     = 1000
)

// serveList is GET /v2/incidents.
func (s *Server) serveList(w http.ResponseWriter, r *http.Request) {
	s.listN.Add(1)
	if id := r.Header.Get(esetapi.HeaderResponseID); id != "" {
		s.servePending(w, r, id)
		return
	}
	q := r.URL.Query()
	pageSize := defaultPageSize
	if v := q.Get("pageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, 3, fmt.Sprintf("invalid pageSize %q: must be a non-negative integer", v))
			return
		}
		if n > 0 {
			pageSize = min(n, maxPageSize)
		}
	}
	filter, orderBy := q.Get("filter"), q.Get("orderBy")
	key := queryKey(filter, orderBy)
	offset := 0
	if tok := q.Get("pageToken"); tok != "" {
		var ok bool
		if offset, ok = parsePageToken(tok, key); !ok {
			writeError(w, http.StatusBadRequest, 3, "invalid page token: it does not belong to this filter and orderBy")
			return
		}
	}
	indexes, err := s.query(filter, orderBy, key)
	if err != nil {
		writeError(w, http.StatusBadRequest, 3, err.Error())
		return
	}
	end := min(offset+pageSize, len(indexes))
	next := ""
	if end < len(indexes) {
		next = pageToken(key, end)
		if s.opts.RepeatPageToken && offset > 0 {
			next = pageToken(key, pageSize)
		}
	}
	body := s.encodePage(indexes[min(offset, end):end], next)
	if s.opts.SlowRate > 0 && s.rand() < s.opts.SlowRate {
		id := newID()
		s.mu.Lock()
		s.pending[id] = &pendingQuery{url: r.URL.RawQuery, body: body, created: time.Now(), readyAt: time.Now().Add(s.opts.SlowReady)}
		s.mu.Unlock()
		w.Header().Set(esetapi.HeaderResponseID, id)
		w.WriteHeader(http.StatusAccepted)
		return
	}
	s.writeBody(w, body)
}
