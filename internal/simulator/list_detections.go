package simulator

import (
	"bytes"
	"fmt"
	"net/http"
	"time"
)

// serveDetections is GET /v1/detections: deviceUuid, startTime (inclusive) and endTime (exclusive), in no
// time order, as the API promises none.
func (s *Server) serveDetections(w http.ResponseWriter, r *http.Request) {
	if s.fetchPending(w, r, nil) {
		return
	}
	q := r.URL.Query()
	device := q.Get("deviceUuid")
	if status := s.opts.FailUUIDs[device]; device != "" && status != 0 {
		writeError(w, status, 13, "injected failure for the detections of device "+device)
		return
	}
	var bounds [2]time.Time
	for i, name := range []string{"startTime", "endTime"} {
		if v := q.Get(name); v != "" {
			t, err := parseTime(v)
			if err != nil {
				writeError(w, http.StatusBadRequest, 3, fmt.Sprintf("invalid value for field %s: %q is not an RFC 3339 time", name, v))
				return
			}
			bounds[i] = t
		}
	}
	s.live.mu.RLock()
	candidates := s.world.detections
	if device != "" {
		candidates = s.world.byDevice[device]
	}
	var indexes []int
	for _, i := range candidates {
		at := s.world.occurred[i]
		if (bounds[0].IsZero() || !at.Before(bounds[0])) && (bounds[1].IsZero() || at.Before(bounds[1])) {
			indexes = append(indexes, i)
		}
	}
	from, to, next, ok := s.pageOf(w, q, listKey(r), len(indexes))
	if !ok {
		s.live.mu.RUnlock()
		return
	}
	page := indexes[from:to]
	body := s.listBody("detections", len(page), func(buf *bytes.Buffer, i int) {
		s.encodeDetectionV1(buf, &s.opts.Detections[page[i]])
	}, next, len(indexes))
	s.live.mu.RUnlock()
	s.answer(w, r, nil, body)
	s.churnAfter(listedDetections, -1)
}

// parseTime reads an RFC 3339 time, also without seconds as ESET's examples write it (2024-10-30T12:00Z).
func parseTime(v string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		if t2, err2 := time.Parse("2006-01-02T15:04Z07:00", v); err2 == nil {
			return t2, nil
		}
	}
	return t, err
}
