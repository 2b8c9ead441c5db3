package simulator

import (
	"slices"
	"sync"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// liveWorld is what lets the world change while the server answers: the data lock, the records deleted,
// and the history of every change (history.go reads it for the tests' ground truth). Records are never
// removed from the Options slices: a deleted one is marked gone, so that indexes held by cached queries,
// page bodies and the history stay valid.
type liveWorld struct {
	// mu guards the data set: handlers read under RLock, changes are made under Lock.
	mu sync.RWMutex
	// goneIncidents and goneDevices mark deleted records by index.
	goneIncidents, goneDevices map[int]bool
	incidents                  []change[esetapi.Incident]
	devices                    []change[esetapi.Device]
	detections                 []change[esetapi.DetectionDetails]
	churn                      *churner // nil when churn is off
}

// change is one change of a record: before is its state before the change, nil when the change created it;
// deleted says the change deleted it.
type change[T any] struct {
	index   int
	before  *T
	deleted bool
}

// newLiveWorld readies o's data set for change. With churn on it copies the records first: the caller's
// world stays as generated.
func newLiveWorld(o *Options) *liveWorld {
	l := &liveWorld{goneIncidents: map[int]bool{}, goneDevices: map[int]bool{}}
	if o.Churn.PerCall > 0 {
		o.Incidents, o.Devices, o.Detections = slices.Clone(o.Incidents), slices.Clone(o.Devices), slices.Clone(o.Detections)
		l.churn = newChurner(o.Churn)
	}
	return l
}

// The changes below are made with s.live.mu held for writing. A change replaces a record's fields by
// assignment (new pointers, new slices), never through them, so that the copy the history keeps stays as
// it was.

// updateIncident replaces incident i by inc and keeps the cached queries in step.
func (s *Server) updateIncident(i int, inc esetapi.Incident) {
	before := s.opts.Incidents[i]
	s.live.incidents = append(s.live.incidents, change[esetapi.Incident]{index: i, before: &before})
	s.opts.Incidents[i] = inc
	s.requery(i)
}

// addIncident appends inc to the data set.
func (s *Server) addIncident(inc esetapi.Incident) {
	i := len(s.opts.Incidents)
	s.opts.Incidents = append(s.opts.Incidents, inc)
	s.byID[inc.UUID] = i
	s.live.incidents = append(s.live.incidents, change[esetapi.Incident]{index: i})
	s.requery(i)
}

// deleteIncident marks incident i gone: lists skip it and its detail call answers 404.
func (s *Server) deleteIncident(i int) {
	before := s.opts.Incidents[i]
	s.live.incidents = append(s.live.incidents, change[esetapi.Incident]{index: i, before: &before, deleted: true})
	s.live.goneIncidents[i] = true
	delete(s.byID, before.UUID)
	s.requery(i)
}

// moveDevice puts device i in group: it leaves its old group's member list and joins the end of the new one's.
func (s *Server) moveDevice(i int, group string, now time.Time) {
	d := s.opts.Devices[i]
	s.live.devices = append(s.live.devices, change[esetapi.Device]{index: i, before: &d})
	s.world.members[d.ParentGroupUUID] = slices.DeleteFunc(s.world.members[d.ParentGroupUUID], func(u string) bool { return u == d.UUID })
	s.world.members[group] = append(s.world.members[group], d.UUID)
	d.ParentGroupUUID = group
	d.LastSyncTime = now.UTC().Format(time.RFC3339)
	s.opts.Devices[i] = d
}

// addDevice appends d to the data set, as the last member of its group.
func (s *Server) addDevice(d esetapi.Device) {
	i := len(s.opts.Devices)
	s.opts.Devices = append(s.opts.Devices, d)
	s.world.device[d.UUID] = i
	s.world.members[d.ParentGroupUUID] = append(s.world.members[d.ParentGroupUUID], d.UUID)
	s.live.devices = append(s.live.devices, change[esetapi.Device]{index: i})
}

// deleteDevice removes device i from management: from the device list, every group and its detail call.
// Its detections stay, as a real tenant's do.
func (s *Server) deleteDevice(i int) {
	d := s.opts.Devices[i]
	s.live.devices = append(s.live.devices, change[esetapi.Device]{index: i, before: &d, deleted: true})
	s.live.goneDevices[i] = true
	delete(s.world.device, d.UUID)
	for g, uuids := range s.world.members {
		if slices.Contains(uuids, d.UUID) {
			s.world.members[g] = slices.DeleteFunc(uuids, func(u string) bool { return u == d.UUID })
		}
	}
}

// addDetection adds det, sorted in by uuid as the list serves detections.
func (s *Server) addDetection(det esetapi.DetectionDetails) {
	i := len(s.opts.Detections)
	s.opts.Detections = append(s.opts.Detections, det)
	x := &s.world
	x.detection[det.UUID] = i
	occurred, _ := time.Parse(time.RFC3339Nano, det.OccurTime)
	x.occurred = append(x.occurred, occurred)
	byUUID := func(a, b int) int { return compareUUID(s.opts.Detections, a, b) }
	at, _ := slices.BinarySearchFunc(x.detections, i, byUUID)
	x.detections = slices.Insert(x.detections, at, i)
	dev := det.Device.UUID
	at, _ = slices.BinarySearchFunc(x.byDevice[dev], i, byUUID)
	x.byDevice[dev] = slices.Insert(x.byDevice[dev], at, i)
	s.live.detections = append(s.live.detections, change[esetapi.DetectionDetails]{index: i})
}
