package simulator

import (
	"net/http"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// pendingQuery is a list answer held back behind a 202 until readyAt.
type pendingQuery struct {
	url     string
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

// servePending answers a query resent with a response-id: 202 while not ready, the cached answer once,
// then 404, as the API does; 504 for a query not ready within SlowTimeout, 404 after 10 minutes unfetched.
func (s *Server) servePending(w http.ResponseWriter, r *http.Request, id string) {
	now := time.Now()
	s.mu.Lock()
	p := s.pending[id]
	ready := p != nil && p.url == r.URL.RawQuery && !now.Before(p.readyAt)
	timedOut := p != nil && !ready && now.Sub(p.created) >= s.opts.SlowTimeout
	if p != nil && now.Sub(p.created) >= pendingRetention {
		p = nil
	}
	if ready || timedOut || p == nil {
		delete(s.pending, id)
	}
	s.mu.Unlock()
	switch {
	case p == nil || p.url != r.URL.RawQuery:
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
