package simulator

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// ChurnOptions make the simulated tenant as busy as a real one while a read runs: after each answered list
// call, PerCall changes of the kind of record that call listed. After an incidents page, analysts close
// open incidents the reader was already sent (created no later than the page's last one, which is what
// makes offset paging skip), reopen closed ones, reassign, re-rate, and create (create_time now) and
// delete incidents; after a devices or group members page, devices move between static groups, are
// enrolled (last in the list and their group) and removed from management; after a detections page,
// detections arrive late, with occurrence times in the past, among those already listed. The same seed
// and the same calls in the same order make the same changes; history.go tells the tests what a read had
// to list whatever the order was.
type ChurnOptions struct {
	// Seed seeds the changes.
	Seed uint64
	// PerCall is the number of changes after each list call; zero turns churn off.
	PerCall int
	// Now is the tenant's clock, for the times of changes and new records; nil means time.Now.
	Now func() time.Time
}

// Kinds of incident change, weighted as a busy security team makes them.
const (
	closeSent = iota
	reopen
	reassign
	rerate
	createIncident
	deleteIncident
)

var incidentChangeWeights = []int{closeSent: 45, reopen: 10, reassign: 15, rerate: 10, createIncident: 15, deleteIncident: 5}

// Kinds of device change.
const (
	moveDevice = iota
	enrollDevice
	removeDevice
)

var deviceChangeWeights = []int{moveDevice: 50, enrollDevice: 25, removeDevice: 25}

// churner makes the changes; it is used with the data lock held for writing.
type churner struct {
	opts      ChurnOptions
	rng       *rand.Rand
	analysts  []string
	served    int // index of the last incident served by the latest incidents page; -1 before any
	incidents int // number of incidents created, for their names
}

func newChurner(o ChurnOptions) *churner {
	if o.Now == nil {
		o.Now = time.Now
	}
	c := &churner{opts: o, rng: rand.New(rand.NewPCG(o.Seed, o.Seed^0x5851f42d4c957f2d)), served: -1}
	for range 6 {
		c.analysts = append(c.analysts, newUUID(c.rng))
	}
	return c
}

// listed is what a list call served, for the churn that follows it.
type listed int

const (
	listedIncidents listed = iota
	listedDevices
	listedDetections
)

// churnAfter makes the changes that follow a list call of kind; lastIncident is the index of the last
// incident an incidents page served (-1 for none).
func (s *Server) churnAfter(kind listed, lastIncident int) {
	c := s.live.churn
	if c == nil {
		return
	}
	s.live.mu.Lock()
	defer s.live.mu.Unlock()
	if lastIncident >= 0 {
		c.served = lastIncident
	}
	now := c.opts.Now().UTC()
	for range c.opts.PerCall {
		switch kind {
		case listedIncidents:
			s.changeIncident(c, now)
		case listedDevices:
			s.changeDevice(c, now)
		case listedDetections:
			s.lateDetection(c, now)
		}
	}
}

// pickIncident returns a live incident with an index below limit that ok accepts, starting from a random
// one and going forward; -1 when there is none.
func (s *Server) pickIncident(c *churner, limit int, ok func(*esetapi.Incident) bool) int {
	if limit <= 0 {
		return -1
	}
	start := c.rng.IntN(limit)
	for n := range limit {
		i := (start + n) % limit
		if !s.live.goneIncidents[i] && ok(&s.opts.Incidents[i]) {
			return i
		}
	}
	return -1
}

func (s *Server) changeIncident(c *churner, now time.Time) {
	all := len(s.opts.Incidents)
	anyIncident := func(*esetapi.Incident) bool { return true }
	kind := weightedIndex(c.rng, incidentChangeWeights)
	if kind == createIncident || all == 0 {
		s.createIncident(c, now)
		return
	}
	var i int
	switch kind {
	case closeSent:
		// Incidents are in creation order, so those before the last one served were sent already.
		i = s.pickIncident(c, min(c.served+1, all), func(inc *esetapi.Incident) bool { return inc.Status == "INCIDENT_STATUS_OPEN" })
	case reopen:
		i = s.pickIncident(c, all, func(inc *esetapi.Incident) bool { return inc.Status == "INCIDENT_STATUS_CLOSED" })
	default:
		i = s.pickIncident(c, all, anyIncident)
	}
	if i < 0 {
		return
	}
	if kind == deleteIncident {
		s.deleteIncident(i)
		return
	}
	inc := s.opts.Incidents[i]
	inc.UpdateTime = now.Format(time.RFC3339Nano)
	switch kind {
	case closeSent:
		inc.Status, inc.ResolveReason = "INCIDENT_STATUS_CLOSED", weighted(c.rng, esetapi.ResolveReasons[1:], []int{50, 35, 15})
		inc.ResponseDuration = ptr(fmt.Sprintf("%ds", 600+c.rng.IntN(48*3600)))
		if inc.TriageDuration == nil {
			inc.TriageDuration = ptr(fmt.Sprintf("%ds", 60+c.rng.IntN(3600)))
		}
	case reopen:
		inc.Status, inc.ResolveReason, inc.ResponseDuration = "INCIDENT_STATUS_OPEN", esetapi.ResolveUnspecified, nil
	case reassign:
		inc.AssigneeUUID = &c.analysts[c.rng.IntN(len(c.analysts))]
	case rerate:
		inc.Severity = esetapi.Severities[1+(indexOf(esetapi.Severities[1:], inc.Severity)+1+c.rng.IntN(2))%3]
	}
	s.updateIncident(i, inc)
}

func indexOf(values []string, v string) int {
	for i, have := range values {
		if have == v {
			return i
		}
	}
	return 0
}

// createIncident raises an open incident now, on the devices and detections of an existing one.
func (s *Server) createIncident(c *churner, now time.Time) {
	c.incidents++
	inc := esetapi.Incident{
		UUID:          newUUID(c.rng),
		DisplayName:   fmt.Sprintf("%s (new %d)", pick(c.rng, threats), c.incidents),
		Description:   pick(c.rng, descriptions),
		CreateTime:    now.Format(time.RFC3339),
		UpdateTime:    now.Format(time.RFC3339Nano),
		Severity:      weighted(c.rng, esetapi.Severities[1:], []int{50, 35, 15}),
		Status:        "INCIDENT_STATUS_OPEN",
		ResolveReason: esetapi.ResolveUnspecified,
	}
	if n := len(s.opts.Incidents); n > 0 {
		like := &s.opts.Incidents[c.rng.IntN(n)]
		inc.DeviceUUIDs, inc.DetectionUUIDs, inc.Metrics = like.DeviceUUIDs, like.DetectionUUIDs, like.Metrics
	}
	s.addIncident(inc)
}

// pickDevice returns a random managed device, -1 when there is none.
func (s *Server) pickDevice(c *churner) int {
	n := len(s.opts.Devices)
	if n == 0 {
		return -1
	}
	start := c.rng.IntN(n)
	for k := range n {
		if i := (start + k) % n; !s.live.goneDevices[i] {
			return i
		}
	}
	return -1
}

func (s *Server) changeDevice(c *churner, now time.Time) {
	kind := weightedIndex(c.rng, deviceChangeWeights)
	if kind == enrollDevice {
		p := c.rng.IntN(len(placements) - 1) // not into Lost & Found, the last placement
		pl := placements[p]
		name := fmt.Sprintf(pl.name, 900+len(s.live.devices))
		s.addDevice(newDevice(c.rng, s.opts.DeviceGroups, p, 900+len(s.live.devices), name, pl.oses[c.rng.IntN(len(pl.oses))], "", false, false, now))
		return
	}
	i := s.pickDevice(c)
	if i < 0 {
		return
	}
	if kind == removeDevice {
		s.deleteDevice(i)
		return
	}
	to := s.opts.DeviceGroups[placements[c.rng.IntN(len(placements))].group].UUID
	if to != s.opts.Devices[i].ParentGroupUUID {
		s.moveDevice(i, to, now)
	}
}

// lateDetection adds a detection that occurred up to an hour before one already listed: an endpoint that
// reports late puts it in a window the reader may have read.
func (s *Server) lateDetection(c *churner, now time.Time) {
	i := s.pickDevice(c)
	if i < 0 || len(s.world.occurred) == 0 {
		return
	}
	at := s.world.occurred[c.rng.IntN(len(s.world.occurred))].Add(-time.Duration(c.rng.IntN(3600)) * time.Second)
	g := &detectionGenerator{rng: c.rng, devices: s.opts.Devices, end: now}
	s.addDetection(g.detection(&s.opts.Devices[i], at, ""))
}
