package simulator

import (
	"fmt"
	"slices"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/query"
)

// The ground truth of a read under churn. A test takes a Mark before it reads and asks afterwards which
// records it had to list and which it was allowed to list:
//
//   - "throughout" records existed and matched at the mark, after every change since, and now: a read that
//     skips nothing lists each of them exactly once;
//   - "at some point" records matched in at least one of the states they had since the mark (created,
//     deleted or changed during the read included): a read lists nothing outside them.
//
// The history holds every change the churn made (world_changes.go), so that the answer is exact whatever
// order calls came in. Each function returns uuids in the data set's order, and takes the data lock.

// Mark is a point in the server's history.
type Mark struct{ incidents, devices, detections int }

// Mark returns the point in the history now.
func (s *Server) Mark() Mark {
	s.live.mu.RLock()
	defer s.live.mu.RUnlock()
	return Mark{len(s.live.incidents), len(s.live.devices), len(s.live.detections)}
}

// IncidentsMatched returns the incidents that matched filter (CEL, as the list call takes it; "" matches
// every incident) throughout the time since mark, and those that matched at some point in it.
func (s *Server) IncidentsMatched(mark Mark, filter string) (throughout, atSomePoint []string, err error) {
	program, err := query.Compile(filter)
	if err != nil {
		return nil, nil, err
	}
	var failed error
	match := func(inc *esetapi.Incident) bool {
		ok, err := program.Match(inc)
		if err != nil && failed == nil {
			failed = fmt.Errorf("incident %s: %w", inc.UUID, err)
		}
		return ok
	}
	s.live.mu.RLock()
	defer s.live.mu.RUnlock()
	throughout, atSomePoint = groundTruth(s.live.incidents[mark.incidents:], s.opts.Incidents, s.live.goneIncidents, match,
		func(inc *esetapi.Incident) string { return inc.UUID })
	return throughout, atSomePoint, failed
}

// DevicesPresent returns the devices that were managed and kept by keep (nil keeps every device) throughout
// the time since mark, and those that were at some point in it. InGroup makes a keep for a group's members.
func (s *Server) DevicesPresent(mark Mark, keep func(*esetapi.Device) bool) (throughout, atSomePoint []string) {
	if keep == nil {
		keep = func(*esetapi.Device) bool { return true }
	}
	s.live.mu.RLock()
	defer s.live.mu.RUnlock()
	return groundTruth(s.live.devices[mark.devices:], s.opts.Devices, s.live.goneDevices, keep,
		func(d *esetapi.Device) string { return d.UUID })
}

// InGroup keeps the devices whose static parent group is group (or, with recurse, one of its subgroups),
// and the members of the dynamic groups among them. The churn moves devices between static groups only,
// so a dynamic group loses only deleted devices, which DevicesPresent tells apart itself.
func (s *Server) InGroup(group string, recurse bool) func(*esetapi.Device) bool {
	s.live.mu.RLock()
	defer s.live.mu.RUnlock()
	groups := map[string]bool{}
	dynamic := map[string]bool{}
	var walk func(g string)
	walk = func(g string) {
		groups[g] = true
		for _, u := range s.opts.DynamicGroupMembers[g] {
			dynamic[u] = true
		}
		if recurse {
			for _, c := range s.world.children[g] {
				walk(c)
			}
		}
	}
	walk(group)
	return func(d *esetapi.Device) bool { return groups[d.ParentGroupUUID] || dynamic[d.UUID] }
}

// DetectionsPresent returns the detections of device ("" for every device) that occurred in [start, end)
// (a zero time leaves that side open) and were listed throughout the time since mark, and those listed at
// some point in it: the churn only adds detections, late, with times in the past.
func (s *Server) DetectionsPresent(mark Mark, device string, start, end time.Time) (throughout, atSomePoint []string) {
	s.live.mu.RLock()
	defer s.live.mu.RUnlock()
	in := func(d *esetapi.DetectionDetails) bool {
		at := s.world.occurred[s.world.detection[d.UUID]]
		return (device == "" || d.Device.UUID == device) && (start.IsZero() || !at.Before(start)) && (end.IsZero() || at.Before(end))
	}
	return groundTruth(s.live.detections[mark.detections:], s.opts.Detections, nil, in,
		func(d *esetapi.DetectionDetails) string { return d.UUID })
}

// groundTruth walks the changes since a mark over the current records (gone marks the deleted ones): a
// record's states since the mark are the state before each of its changes and, unless deleted, its current
// one. It returns the uuids of the records that existed at the mark and now and matched in every state,
// and of those that matched in at least one.
func groundTruth[T any](since []change[T], current []T, gone map[int]bool, match func(*T) bool, uuid func(*T) string) (throughout, atSomePoint []string) {
	type past struct {
		states  []*T
		existed bool
	}
	touched := map[int]*past{}
	for _, c := range since {
		p := touched[c.index]
		if p == nil {
			p = &past{existed: c.before != nil}
			touched[c.index] = p
		}
		if c.before != nil {
			p.states = append(p.states, c.before)
		}
	}
	for i := range current {
		exists := !gone[i]
		existed, states := exists, []*T(nil)
		if p := touched[i]; p != nil {
			existed, states = p.existed, slices.Clone(p.states)
		}
		if exists {
			states = append(states, &current[i])
		}
		all, some := existed && exists, false
		for _, st := range states {
			m := match(st)
			all, some = all && m, some || m
		}
		if all {
			throughout = append(throughout, uuid(&current[i]))
		}
		if some {
			atSomePoint = append(atSomePoint, uuid(&current[i]))
		}
	}
	return throughout, atSomePoint
}
