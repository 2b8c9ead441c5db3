package simulator

import (
	"bytes"
	"fmt"
	"net/http"
)

// serveGet is GET /v2/incidents/{uuid}.
func (s *Server) serveGet(w http.ResponseWriter, r *http.Request) {
	s.getN.Add(1)
	uuid := r.PathValue("uuid")
	if status := s.opts.FailUUIDs[uuid]; status != 0 {
		writeError(w, status, 13, fmt.Sprintf("injected failure for incident %s", uuid))
		return
	}
	s.live.mu.RLock()
	i, ok := s.byID[uuid]
	if !ok {
		s.live.mu.RUnlock()
		writeError(w, http.StatusNotFound, 5, "Requested resource not found.")
		return
	}
	var buf bytes.Buffer
	buf.WriteString(`{"incident":`)
	s.encodeIncident(&buf, &s.opts.Incidents[i], true)
	buf.WriteString("}")
	s.live.mu.RUnlock()
	s.writeBody(w, buf.Bytes())
}
