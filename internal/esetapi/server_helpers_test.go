package esetapi_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

const (
	testUser     = "api-user@example.com"
	testPassword = "Sup3r-s3cret-Pa55!"
)

// testPaceDir holds the tests' pace ledgers (one per simulator, each on its own port), as the provider's
// cache directory would: without one, a client's first call waits a window.
var testPaceDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "esetapi-pace-")
	if err != nil {
		panic(err)
	}
	testPaceDir = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// fastConfig is a client configuration for tests: short waits and a pace that does not slow them down.
// Tests that measure pacing or retries set their own values over it.
func fastConfig() esetapi.Config {
	return esetapi.Config{
		PaceDir:           testPaceDir,
		Username:          testUser,
		Password:          testPassword,
		UserAgent:         "terraform-provider-eset/test",
		RequestsPerSecond: 1e6,
		MaxRetries:        8,
		RequestTimeout:    10 * time.Second,
		PollInterval:      2 * time.Millisecond,
		RetryWaitMin:      time.Millisecond,
		RetryWaitMax:      5 * time.Millisecond,
	}
}

// env is a simulator on loopback (optionally behind a wrapping handler) and a client pointed at it.
type env struct {
	sim    *simulator.Server
	url    string
	client *esetapi.Client
	data   []esetapi.Incident
}

// newEnv serves a simulator over opts. wrap, when not nil, puts a handler in front of it (to record or
// alter calls). cfg's endpoints are set to the server.
func newEnv(t testing.TB, opts simulator.Options, cfg esetapi.Config, wrap func(http.Handler) http.Handler) *env {
	t.Helper()
	sim := newSimulator(t, opts)
	var baseURL string
	if wrap == nil {
		u, stop, err := simulator.Listen(sim, "")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(stop)
		baseURL = u
	} else {
		ts := httptest.NewServer(wrap(sim))
		t.Cleanup(ts.Close)
		baseURL = ts.URL
	}
	return connect(t, sim, baseURL, cfg, opts.Incidents)
}

// newSimulator is a simulator over opts, with the tests' credentials unless opts has its own.
func newSimulator(t testing.TB, opts simulator.Options) *simulator.Server {
	t.Helper()
	if opts.Username == "" {
		opts.Username, opts.Password = testUser, testPassword
	}
	if opts.RetryAfter == "" {
		opts.RetryAfter = "0"
	}
	// Every call the client makes and every answer it reads must be within ESET's published contract.
	// Benchmarks check the calls only: the answers' schema check costs some 66 ms a 1,000-incident page,
	// which would be measured as the client's time; the tests check the same answers.
	_, bench := t.(*testing.B)
	opts.ValidateResponses = !bench
	sim := simulator.New(opts)
	simulator.FailOnViolations(t, sim)
	return sim
}

// connect is the env of sim served at baseURL, with a client of cfg, whose endpoints are set to it.
func connect(t testing.TB, sim *simulator.Server, baseURL string, cfg esetapi.Config, data []esetapi.Incident) *env {
	t.Helper()
	cfg.IAMEndpoint, cfg.IncidentManagementEndpoint, cfg.DeviceManagementEndpoint = baseURL, baseURL, baseURL
	c, err := esetapi.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &env{sim: sim, url: baseURL, client: c, data: data}
}

// newBubbleEnv is newEnv for a synctest bubble, in which it must be called: the simulator is served over
// in-memory connections (net.Pipe), whose reads and writes block durably, so that the bubble's clock moves
// only while every call waits for the pace or a timer. No time passes between a call's send and its
// arrival, and the simulator's rate limit counts calls exactly when the pace does: its 429s are
// deterministic. cfg.Transport is set to a send recorder over those connections, which it returns. The
// env's url is a loopback address that is never dialled, and another for each env: the pace ledger is kept
// by endpoint, and the times of one bubble's clock mean nothing on another's.
func newBubbleEnv(t *testing.T, opts simulator.Options, cfg esetapi.Config) (*env, *sendRecorder) {
	t.Helper()
	sim := newSimulator(t, opts)
	l := &pipeListener{port: int(bubblePorts.Add(1)), conns: make(chan net.Conn), closed: make(chan struct{})}
	srv := &http.Server{Handler: sim}
	served := make(chan struct{})
	go func() { _ = srv.Serve(l); close(served) }()
	base := &http.Transport{DialContext: l.dial, MaxIdleConnsPerHost: 64}
	// Every goroutine of the bubble must end with it: the clients' connections, the server's, its loop.
	t.Cleanup(func() {
		base.CloseIdleConnections()
		_ = srv.Close()
		<-served
	})
	sends := &sendRecorder{base: base}
	cfg.Transport = sends
	return connect(t, sim, "http://"+l.Addr().String(), cfg, opts.Incidents), sends
}

// bubblePorts numbers the bubble envs' addresses.
var bubblePorts atomic.Int32

// pipeListener hands the server the far ends of the connections its dial makes.
type pipeListener struct {
	port   int
	conns  chan net.Conn
	closed chan struct{}
	once   sync.Once
}

func (l *pipeListener) dial(ctx context.Context, _, _ string) (net.Conn, error) {
	client, server := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.closed:
		return nil, net.ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return nil
}

func (l *pipeListener) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: l.port} }

// listAll collects a whole listing of incidents.
func listAll(ctx context.Context, c *esetapi.Client, opts esetapi.IncidentListOptions) ([]esetapi.Incident, esetapi.IncidentList, error) {
	var got []esetapi.Incident
	res, err := c.ListIncidents(ctx, opts, esetapi.Collect(&got))
	return got, res, err
}

// devicesListed is a device listing's result with the devices it passed on.
type devicesListed struct {
	esetapi.DeviceList
	Devices []esetapi.Device
}

// listDevices collects a whole listing of devices.
func listDevices(ctx context.Context, c *esetapi.Client, opts esetapi.DeviceListOptions) (devicesListed, error) {
	var res devicesListed
	var err error
	res.DeviceList, err = c.ListDevices(ctx, opts, esetapi.Collect(&res.Devices))
	return res, err
}

// detectionsListed is a detection listing's result with the detections it passed on.
type detectionsListed struct {
	esetapi.DetectionList
	Detections []esetapi.Detection
}

// listDetections collects a whole listing of detections.
func listDetections(ctx context.Context, c *esetapi.Client, opts esetapi.DetectionListOptions) (detectionsListed, error) {
	var res detectionsListed
	var err error
	res.DetectionList, err = c.ListDetections(ctx, opts, esetapi.Collect(&res.Detections))
	return res, err
}

// listGroups collects every device group.
func listGroups(ctx context.Context, c *esetapi.Client) ([]esetapi.DeviceGroup, error) {
	var groups []esetapi.DeviceGroup
	_, err := c.ListDeviceGroups(ctx, esetapi.DeviceGroupListOptions{}, esetapi.Collect(&groups))
	return groups, err
}

// listView is what the list call returns of data: everything but the device and detection uuids.
func listView(data []esetapi.Incident) []esetapi.Incident {
	out := make([]esetapi.Incident, len(data))
	for i, inc := range data {
		inc.DeviceUUIDs, inc.DetectionUUIDs = nil, nil
		out[i] = inc
	}
	return out
}

// assertIncidents fails unless got is exactly want, in order.
func assertIncidents(t testing.TB, got, want []esetapi.Incident) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d incidents, want %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("incident %d differs:\n got  %s\n want %s", i, show(got[i]), show(want[i]))
		}
	}
}

func show(inc esetapi.Incident) string {
	deref := func(p *string) string {
		if p == nil {
			return "<nil>"
		}
		return *p
	}
	return fmt.Sprintf("%+v assignee=%s triage=%s response=%s", inc, deref(inc.AssigneeUUID), deref(inc.TriageDuration), deref(inc.ResponseDuration))
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// assertAPIError checks that err is an *APIError with status, a message containing msg, a request-id that
// the error text shows, and attempts tries (0: not checked).
func assertAPIError(t testing.TB, err error, status int, msg string, attempts int) *esetapi.APIError {
	t.Helper()
	var apiErr *esetapi.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("want *APIError with status %d, got %T: %v", status, err, err)
	}
	if apiErr.StatusCode != status {
		t.Errorf("status %d, want %d (%v)", apiErr.StatusCode, status, err)
	}
	if !strings.Contains(apiErr.Message, msg) {
		t.Errorf("message %q does not contain %q", apiErr.Message, msg)
	}
	if apiErr.RequestID == "" || !strings.Contains(err.Error(), apiErr.RequestID) {
		t.Errorf("request-id %q missing or not in the error text: %v", apiErr.RequestID, err)
	}
	if msg != "" && !strings.Contains(err.Error(), msg) {
		t.Errorf("error text does not show the message %q: %v", msg, err)
	}
	if attempts != 0 && apiErr.Attempts != attempts {
		t.Errorf("attempts %d, want %d", apiErr.Attempts, attempts)
	}
	return apiErr
}

// recorder wraps a handler and keeps what each call asked for and got.
type recorder struct {
	next http.Handler
	mu   sync.Mutex
	hits []hit
}

type hit struct {
	path       string
	query      url.Values
	rawQuery   string
	responseID string // the response-id header sent
	grant      string // the grant_type of a token call
	status     int
	answeredID string // the response-id header answered
}

func record(next http.Handler) *recorder { return &recorder{next: next} }

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := hit{path: r.URL.Path, query: r.URL.Query(), rawQuery: r.URL.RawQuery, responseID: r.Header.Get("response-id")}
	if r.Method == http.MethodPost {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if err := r.ParseForm(); err == nil {
			h.grant = r.PostForm.Get("grant_type")
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.PostForm, r.Form = nil, nil
	}
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	rec.next.ServeHTTP(sw, r)
	h.status, h.answeredID = sw.status, sw.Header().Get("response-id")
	rec.mu.Lock()
	rec.hits = append(rec.hits, h)
	rec.mu.Unlock()
}

// calls returns the recorded calls to paths starting with prefix.
func (rec *recorder) calls(prefix string) []hit {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	var out []hit
	for _, h := range rec.hits {
		if strings.HasPrefix(h.path, prefix) {
			out = append(out, h)
		}
	}
	return out
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// staticAPI answers every API call with body.
func staticAPI(body string) func(http.Handler) http.Handler {
	return apiOverride(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, body)
	})
}

// sendRecorder is a client Transport that notes when each request went out as the pace counts it: when
// its headers were written (pace_ticket.go), through an httptrace of its own, which runs beside the
// pacer's. newBubbleEnv puts one over its connections; recordSends makes one over the network. Unlike the
// time a call reaches the server, a send time does not carry the scheduling of a loaded machine between
// the two, so that a test of the pace in real time checks the pacer, not the machine.
type sendRecorder struct {
	base  http.RoundTripper
	mu    sync.Mutex
	sends []*sent
}

// sent is one request: its path, and when its headers were last written (UnixNano; 0: never). The
// transport writes a request again on a new connection when the one it reused turns out closed; the pacer
// keeps the latest write, and so does the recorder.
type sent struct {
	path string
	at   atomic.Int64
}

// recordSends returns a Transport for esetapi.Config that notes the send times of the requests it carries
// over a pooled transport like the client's own.
func recordSends(t testing.TB) *sendRecorder {
	base := http.DefaultTransport.(*http.Transport).Clone()
	base.MaxIdleConnsPerHost = 64
	t.Cleanup(base.CloseIdleConnections)
	return &sendRecorder{base: base}
}

func (s *sendRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r := &sent{path: req.URL.Path}
	s.mu.Lock()
	s.sends = append(s.sends, r)
	s.mu.Unlock()
	trace := &httptrace.ClientTrace{WroteHeaders: func() { r.at.Store(time.Now().UnixNano()) }}
	return s.base.RoundTrip(req.WithContext(httptrace.WithClientTrace(req.Context(), trace)))
}

// times returns the send times of the requests to paths starting with prefix, oldest first.
func (s *sendRecorder) times(prefix string) []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	var at []time.Time
	for _, r := range s.sends {
		if n := r.at.Load(); n != 0 && strings.HasPrefix(r.path, prefix) {
			at = append(at, time.Unix(0, n))
		}
	}
	slices.SortFunc(at, time.Time.Compare)
	return at
}

// checkPace fails unless at (oldest first) holds at least minimum sends, and no limit+1 of them within
// esetapi.PaceWindow: the pace of a client at limit calls a second.
func checkPace(t testing.TB, at []time.Time, limit, minimum int) {
	t.Helper()
	if len(at) < minimum {
		t.Errorf("%d sends, want at least %d to show the pace", len(at), minimum)
	}
	over, closest, span := 0, 0, time.Duration(-1)
	for i := limit; i < len(at); i++ {
		gap := at[i].Sub(at[i-limit])
		if gap < esetapi.PaceWindow {
			over++
		}
		if span < 0 || gap < span {
			closest, span = i-limit, gap
		}
	}
	if over > 0 {
		t.Errorf("%d times %d sends within %v, where the pace allows %d; the closest, sends %d to %d, within %v",
			over, limit+1, esetapi.PaceWindow, limit, closest, closest+limit, span)
	}

}

// apiOverride serves the API paths (v1 and v2) with fn and everything else (the token endpoint) with the
// simulator.
func apiOverride(fn http.HandlerFunc) func(http.Handler) http.Handler {
	return func(sim http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/v2/") || strings.HasPrefix(r.URL.Path, "/v1/") {
				w.Header().Set("request-id", newRequestID())
				fn(w, r)
				return
			}
			sim.ServeHTTP(w, r)
		})
	}
}

var idN struct {
	sync.Mutex
	n int
}

// newRequestID makes a unique uuid-shaped request-id for handlers that stand in for the simulator.
func newRequestID() string {
	idN.Lock()
	defer idN.Unlock()
	idN.n++
	return fmt.Sprintf("00000000-0000-4000-8000-%012d", idN.n)
}

// testContext bounds a test's calls by d, a guard against a hang, not a measure (a deadline a test means to
// meet is its own context.WithTimeout), stretched under the race detector.
func testContext(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d*time.Duration(raceSlowdown))
	t.Cleanup(cancel)
	return ctx
}

// raceSlowdown is how much longer the race detector makes these tests: 4 to 8 times measured, the
// simulator's contract checks of 1000-item answers and the decoding of them most, and more on a machine
// whose cores other tests share. The guards, each about ten times a test's time without it, fired.
var raceSlowdown = func() int {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "-race" && s.Value == "true" {
				return 10
			}
		}
	}
	return 1
}()

// assertDecodeError fails unless err is a *DecodeError with a request-id that says what.
func assertDecodeError(t testing.TB, err error, what string) {
	t.Helper()
	var decErr *esetapi.DecodeError
	if !errors.As(err, &decErr) || decErr.RequestID == "" || !strings.Contains(err.Error(), what) {
		t.Errorf("got %v, want a *DecodeError with a request-id that says %q", err, what)
	}
}
