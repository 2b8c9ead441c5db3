// Package simulator is ESET Connect's Incident Management and Device Management APIs on loopback. It
// speaks the documented API (the OAuth2 token endpoint; list and get incidents with real CEL filters,
// ordering, page sizes and opaque page tokens; devices, device groups and their members; v1 detections and
// the v2 batch get; a request-id on every answer, the documented error codes) over one synthetic, consistent
// world, and can inject the faults a real service shows. The tests and `make demo` run against it; one
// server answers for every service host.
package simulator

import (
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// Options configures a Server. The zero value of each fault switch turns that fault off.
type Options struct {
	// Incidents, DeviceGroups, Devices, DynamicGroupMembers and Detections are the data set. SetWorld puts
	// a generated world in; Generate makes incidents alone.
	Incidents    []esetapi.Incident
	DeviceGroups []esetapi.DeviceGroup
	Devices      []esetapi.Device
	// DynamicGroupMembers lists members of groups beyond each device's parent group, by group uuid.
	DynamicGroupMembers map[string][]string
	Detections          []esetapi.DetectionDetails
	// Username and Password are the API user's credentials the token endpoint accepts.
	Username, Password string
	// TokenLifetime is the access token's announced lifetime; zero means the documented 60 minutes.
	TokenLifetime time.Duration
	// Churn changes the data set while reads run (churn.go); its zero value keeps it still.
	Churn ChurnOptions
	// NoContract serves calls ESET's published documents refuse (a filter over 200 characters, a malformed
	// uuid), as the simulator did before it checked them; by default they get the gateway's 400 (contract.go).
	NoContract bool
	// ValidateResponses checks every answer against the documents' response schemas and keeps the answers
	// they refuse, with the calls they refuse, in Violations: for tests (FailOnViolations).
	ValidateResponses bool

	Faults
}

// Faults are what a real service does to its callers now and then.
type Faults struct {
	// TransientRate is the fraction (0 to 1) of API calls answered with a random 429, 500, 502, 503 or 504.
	TransientRate float64
	// RetryAfter is the Retry-After header sent with transient faults and rate-limit answers ("" for none).
	RetryAfter string
	// RateLimit answers 429 to calls past this many within any one-second window (0: no limit).
	RateLimit int
	// SlowRate is the fraction of list queries, device reads and detection batch gets answered 202 with a
	// response-id, their result ready after SlowReady; fetching it again before then gets another 202,
	// after a successful fetch a 404.
	SlowRate  float64
	SlowReady time.Duration
	// SlowTimeout ends a cached query not ready within it in 504, as the API does after 120 s (the default).
	SlowTimeout time.Duration
	// TokenCalls makes each access token expire after this many API calls (0: only by time).
	TokenCalls int
	// Int64AsStrings writes int64 fields as JSON strings, as proto3 JSON may.
	Int64AsStrings bool
	// UnknownFields adds fields and enum values newer than the docs.
	UnknownFields bool
	// RepeatPageToken sends the first page's next-page token again on every later page.
	RepeatPageToken bool
	// Latency delays every API answer.
	Latency time.Duration
	// MalformedRate is the fraction of list and detail answers whose body is cut short.
	MalformedRate float64
	// FailUUIDs answers with this status the calls that name these uuids: the detail call of an incident or
	// a device, a batch get that holds a detection, the member list of a group, and the detections list of
	// a device.
	FailUUIDs map[string]int
}

// Stats counts what the server saw.
type Stats struct {
	// ListCalls and GetCalls count the incident list and detail calls that passed the middleware.
	TokenCalls, ListCalls, GetCalls int64
	// Calls counts every API call that passed the middleware by route, e.g. "GET /v1/devices".
	Calls map[string]int64
	// Status counts the answers of API calls by status code.
	Status map[int]int64
	// MaxInFlight is the most API calls served at once.
	MaxInFlight int64
}

// Server is the simulator's HTTP handler.
type Server struct {
	opts  Options
	mux   *http.ServeMux
	byID  map[string]int
	world worldIndex
	live  *liveWorld // the data lock, deletions, the history and the churn (world_changes.go)

	mu      sync.Mutex
	tokens  map[string]*token
	refresh map[string]bool
	issued  []string
	queries map[string]*cachedQuery
	pending map[string]*pendingQuery
	window  []time.Time
	// contract checks calls and answers against ESET's documents; nil with NoContract (contract.go).
	contract *contract
	// violations are the calls and answers ESET's documents refuse.
	violations []string
	status     map[int]int64
	calls      map[string]int64
	inFlight   atomic.Int64
	maxIn      atomic.Int64
	tokenN     atomic.Int64
	listN      atomic.Int64
	getN       atomic.Int64
	rand       func() float64
}

type token struct {
	expires   time.Time
	callsLeft int
}

// New makes a server over opts.Incidents.
func New(opts Options) *Server {
	if opts.TokenLifetime == 0 {
		opts.TokenLifetime = time.Hour
	}
	if opts.SlowTimeout == 0 {
		opts.SlowTimeout = pendingTimeout
	}
	s := &Server{
		opts:    opts,
		mux:     http.NewServeMux(),
		byID:    make(map[string]int, len(opts.Incidents)),
		tokens:  map[string]*token{},
		refresh: map[string]bool{},
		queries: map[string]*cachedQuery{},
		pending: map[string]*pendingQuery{},
		status:  map[int]int64{},
		calls:   map[string]int64{},
		rand:    newRand(),
	}
	if !opts.NoContract {
		s.contract = contractFor(opts.UnknownFields)
	}
	s.world = indexWorld(&s.opts)
	s.live = newLiveWorld(&s.opts)
	for i := range opts.Incidents {
		s.byID[opts.Incidents[i].UUID] = i
	}
	s.mux.HandleFunc("POST /oauth/token", s.serveToken)
	s.route("GET /v2/incidents", s.serveList)
	s.route("GET /v2/incidents/{uuid}", s.serveGet)
	s.route("GET /v1/devices", s.serveDevices)
	s.route("GET /v1/devices/{uuid}", s.serveDevice)
	s.route("GET /v1/device_groups", s.serveDeviceGroups)
	s.route("GET /v1/device_groups/{uuid}/devices", s.serveGroupMembers)
	s.route("GET /v1/detections", s.serveDetections)
	s.route("POST /v2/detections:batchGet", s.serveBatchGetDetections)
	return s
}

// ServeHTTP gives every answer a request-id, as the API does.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set(esetapi.HeaderRequestID, newID())
	s.mux.ServeHTTP(w, r)
}

// Stats returns the counts so far.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	status := make(map[int]int64, len(s.status))
	for k, v := range s.status {
		status[k] = v
	}
	calls := make(map[string]int64, len(s.calls))
	for k, v := range s.calls {
		calls[k] = v
	}
	return Stats{TokenCalls: s.tokenN.Load(), ListCalls: s.listN.Load(), GetCalls: s.getN.Load(), Calls: calls, Status: status, MaxInFlight: s.maxIn.Load()}
}

// route serves pattern with handler behind the middleware, counting the calls that pass it.
func (s *Server) route(pattern string, handler func(http.ResponseWriter, *http.Request)) {
	s.mux.HandleFunc(pattern, s.api(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.calls[pattern]++
		s.mu.Unlock()
		handler(w, r)
	}))
}

// Listen serves h (a Server, possibly wrapped) on a free loopback port until the returned stop function is called.
func Listen(h http.Handler, addr string) (baseURL string, stop func(), err error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() { _ = srv.Close() }, nil
}

func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
