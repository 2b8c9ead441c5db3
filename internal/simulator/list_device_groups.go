package simulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// serveDeviceGroups is GET /v1/device_groups: every group, flat, in the world's order.
func (s *Server) serveDeviceGroups(w http.ResponseWriter, r *http.Request) {
	if s.fetchPending(w, r, nil) {
		return
	}
	groups := s.opts.DeviceGroups
	from, to, next, ok := s.pageOf(w, r.URL.Query(), listKey(r), len(groups))
	if !ok {
		return
	}
	s.answer(w, r, nil, s.listBody("deviceGroups", to-from, func(buf *bytes.Buffer, i int) {
		s.encodeGroup(buf, &groups[from+i])
	}, next, 0))
}

// serveGroupMembers is GET /v1/device_groups/{uuid}/devices: slim records, a device once per group it is
// in (recurseSubgroups adds every subgroup's members), with the total count.
func (s *Server) serveGroupMembers(w http.ResponseWriter, r *http.Request) {
	if s.fetchPending(w, r, nil) {
		return
	}
	group := r.PathValue("uuid")
	if status := s.opts.FailUUIDs[group]; status != 0 {
		writeError(w, status, 13, "injected failure for group "+group)
		return
	}
	if _, ok := s.world.group[group]; !ok {
		writeError(w, http.StatusNotFound, 5, "Requested resource not found.")
		return
	}
	q := r.URL.Query()
	recurse := false
	if v := q.Get("recurseSubgroups"); v != "" {
		var err error
		if recurse, err = strconv.ParseBool(v); err != nil {
			writeError(w, http.StatusBadRequest, 3, fmt.Sprintf("invalid value for bool field recurseSubgroups: %q", v))
			return
		}
	}
	s.live.mu.RLock()
	members := s.world.groupMembers(group, recurse)
	from, to, next, ok := s.pageOf(w, q, listKey(r), len(members))
	if !ok {
		s.live.mu.RUnlock()
		return
	}
	page := members[from:to]
	body := s.listBody("devices", len(page), func(buf *bytes.Buffer, i int) {
		m := page[i]
		name := ""
		if d, ok := s.world.device[m.device]; ok {
			name = s.opts.Devices[d].DisplayName
		}
		b, _ := json.Marshal(wireMember{UUID: m.device, DisplayName: name, GroupUUID: m.group})
		buf.Write(b)
	}, next, len(members))
	s.live.mu.RUnlock()
	s.answer(w, r, nil, body)
	s.churnAfter(listedDevices, -1)
}

// wireMember is the slim device record of a group's member list.
type wireMember struct {
	UUID        string `json:"uuid,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
	GroupUUID   string `json:"groupUuid,omitempty"`
}
