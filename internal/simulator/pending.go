package simulator

import (
	"net/http"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// pendingQuery is an answer held back behind a 202 until readyAt.
type pendingQuery struct {
	query   string // the call's method, path, parameters and body: a fetch must send the identical query
	body    []byte
	created time.Time
	readyAt time.Time
}

// The documented lifetimes of a cached query: a result not fetched within 10 minutes is dropped (404), and
// a query not ready within 120 s ends in 504.
const (
	pendingRetention = 10 * time.Minute
	pendingTimeout   = 120 * time.Second
)

// answer sends body as the answer to r (whose request body was reqBody), or, for SlowRate of the calls,
// holds it back behind a 202 with a response-id.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, reqBody []byte, body []byte) {
	if s.opts.SlowRate > 0 && s.rand() < s.opts.SlowRate {
		id := newID()
		now := time.Now()
		s.mu.Lock()
		s.pending[id] = &pendingQuery{query: queryOf(r, reqBody), body: body, created: now, readyAt: now.Add(s.opts.SlowReady)}
		s.mu.Unlock()
		w.Header().Set(esetapi.HeaderResponseID, id)
		w.WriteHeader(http.StatusAccepted)
		return
	}
	s.writeBody(w, body)
}

// fetchPending answers a call that carries a response-id and reports true; a call without one is left to
// its handler.
func (s *Server) fetchPending(w http.ResponseWriter, r *http.Request, reqBody []byte) bool {
	id := r.Header.Get(esetapi.HeaderResponseID)
	if id == "" {
		return false
	}
	s.servePending(w, queryOf(r, reqBody), id)
	return true
}

func queryOf(r *http.Request, body []byte) string {
	return r.Method + " " + r.URL.RequestURI() + "\n" + string(body)
}

// servePending answers a query resent with a response-id: 202 while not ready, the cached answer once,
// then 404, as the API does; 504 for a query not ready within SlowTimeout, 404 after 10 minutes unfetched.
func (s *Server) servePending(w http.ResponseWriter, query, id string) {
	now := time.Now()
	s.mu.Lock()
	p := s.pending[id]
	ready := p != nil && p.query == query && !now.Before(p.readyAt)
	timedOut := p != nil && !ready && now.Sub(p.created) >= s.opts.SlowTimeout
	if p != nil && now.Sub(p.created) >= pendingRetention {
		p = nil
	}
	if ready || timedOut || p == nil {
		delete(s.pending, id)
	}
	s.mu.Unlock()
	switch {
	case p == nil || p.query != query:
		writeError(w, http.StatusNotFound, 5, "no cached response for this response-id")
	case timedOut:
		writeError(w, http.StatusGatewayTimeout, 4, "Action took too long; timeout reached")
	case !ready:
		w.Header().Set(esetapi.HeaderResponseID, id)
		w.WriteHeader(http.StatusAccepted)
	default:
		s.writeBody(w, p.body)
	}
}
