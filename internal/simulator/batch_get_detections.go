package simulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
)

// Batch sizes of POST /v2/detections:batchGet: ESET recommends at most 100 uuids and may fail above with
// 500, which the simulator always does; above 1000 is refused as out of range.
const (
	batchRecommended = 100
	batchMax         = 1000
)

// serveBatchGetDetections is POST /v2/detections:batchGet: the v2 records of the uuids asked for, all or
// nothing, in no particular order.
func (s *Server) serveBatchGetDetections(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeError(w, http.StatusBadRequest, 3, "unreadable body")
		return
	}
	if s.fetchPending(w, r, body) {
		return
	}
	var req struct {
		DetectionUUIDs []string `json:"detectionUuids"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		writeError(w, http.StatusBadRequest, 3, "invalid JSON body: "+err.Error())
		return
	}
	switch n := len(req.DetectionUUIDs); {
	case n == 0:
		writeError(w, http.StatusBadRequest, 3, "detectionUuids: at least one uuid is required")
		return
	case n > batchMax:
		writeError(w, http.StatusBadRequest, 11, fmt.Sprintf("detectionUuids: %d uuids, at most %d are allowed", n, batchMax))
		return
	case n > batchRecommended:
		writeError(w, http.StatusInternalServerError, 13, "Internal error.")
		return
	}
	var indexes []int
	s.live.mu.RLock()
	for _, u := range req.DetectionUUIDs {
		if status := s.opts.FailUUIDs[u]; status != 0 {
			s.live.mu.RUnlock()
			writeError(w, status, 13, "injected failure for detection "+u)
			return
		}
		i, ok := s.world.detection[u]
		if !ok {
			s.live.mu.RUnlock()
			writeError(w, http.StatusNotFound, 5, fmt.Sprintf("detection %s not found", u))
			return
		}
		if !slices.Contains(indexes, i) {
			indexes = append(indexes, i)
		}
	}
	slices.SortFunc(indexes, func(a, b int) int { return compareUUID(s.opts.Detections, a, b) })
	answer := s.listBody("detections", len(indexes), func(buf *bytes.Buffer, i int) {
		s.encodeDetectionV2(buf, &s.opts.Detections[indexes[i]])
	}, "", 0)
	s.live.mu.RUnlock()
	s.answer(w, r, body, answer)
}
