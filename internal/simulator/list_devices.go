package simulator

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// serveDevices is GET /v1/devices: displayNames (exact and case-sensitive here; the API's case sensitivity
// is not documented), functionalityStatus and isMuted, in the world's order.
func (s *Server) serveDevices(w http.ResponseWriter, r *http.Request) {
	if s.fetchPending(w, r, nil) {
		return
	}
	q := r.URL.Query()
	names := q["displayNames"]
	status := q.Get("functionalityStatus")
	if status != "" && !slices.Contains(esetapi.FunctionalityStatuses, status) {
		writeError(w, http.StatusBadRequest, 3, fmt.Sprintf("invalid value for enum field functionalityStatus: %q", status))
		return
	}
	var muted *bool
	if v := q.Get("isMuted"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			writeError(w, http.StatusBadRequest, 3, fmt.Sprintf("invalid value for bool field isMuted: %q", v))
			return
		}
		muted = &b
	}
	s.live.mu.RLock()
	var indexes []int
	for i := range s.opts.Devices {
		d := &s.opts.Devices[i]
		if !s.live.goneDevices[i] && (len(names) == 0 || slices.Contains(names, d.DisplayName)) &&
			(status == "" || status == esetapi.FunctionalityStatusUnspecified || d.FunctionalityStatus == status) &&
			(muted == nil || d.IsMuted == *muted) {
			indexes = append(indexes, i)
		}
	}
	from, to, next, ok := s.pageOf(w, q, listKey(r), len(indexes))
	if !ok {
		s.live.mu.RUnlock()
		return
	}
	page := indexes[from:to]
	body := s.listBody("devices", len(page), func(buf *bytes.Buffer, i int) {
		s.encodeDevice(buf, &s.opts.Devices[page[i]])
	}, next, 0)
	s.live.mu.RUnlock()
	s.answer(w, r, nil, body)
	s.churnAfter(listedDevices, -1)
}
