package simulator

import (
	"bytes"
	"net/http"
)

// serveDevice is GET /v1/devices/{uuid}.
func (s *Server) serveDevice(w http.ResponseWriter, r *http.Request) {
	if s.fetchPending(w, r, nil) {
		return
	}
	uuid := r.PathValue("uuid")
	if status := s.opts.FailUUIDs[uuid]; status != 0 {
		writeError(w, status, 13, "injected failure for device "+uuid)
		return
	}
	s.live.mu.RLock()
	i, ok := s.world.device[uuid]
	if !ok {
		s.live.mu.RUnlock()
		writeError(w, http.StatusNotFound, 5, "Requested resource not found.")
		return
	}
	var buf bytes.Buffer
	buf.WriteString(`{"device":`)
	s.encodeDevice(&buf, &s.opts.Devices[i])
	buf.WriteString("}")
	s.live.mu.RUnlock()
	s.answer(w, r, nil, buf.Bytes())
}
