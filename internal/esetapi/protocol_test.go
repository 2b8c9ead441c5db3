package esetapi_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// TestSlowQueries: every list query is answered 202 first and its result is fetched with the response-id
// once ready; a response-id is never sent again after it produced data (that would get 404).
func TestSlowQueries(t *testing.T) {
	t.Parallel()
	data := simulator.Generate(23, 2500)
	var rec *recorder
	e := newEnv(t, simulator.Options{Incidents: data, Faults: simulator.Faults{SlowRate: 1, SlowReady: 50 * time.Millisecond}}, fastConfig(),
		func(h http.Handler) http.Handler { rec = record(h); return rec })
	got, _, err := listAll(testContext(t, 20*time.Second), e.client, esetapi.IncidentListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	assertIncidents(t, got, listView(data))
	st := e.sim.Stats()
	if st.Status[404] != 0 || st.Status[200] != 3 || st.Status[202] < 3 {
		t.Errorf("stats %+v: want three 200s after 202s and no 404", st)
	}
	pending := ""
	for i, h := range rec.calls("/v2/incidents") {
		if h.responseID != pending {
			t.Errorf("call %d sent response-id %q, want %q", i, h.responseID, pending)
		}
		pending = ""
		if h.status == http.StatusAccepted {
			pending = h.answeredID
		}
	}
}

// TestCachedQueryDropped: when the API forgets a cached query (404 or 504 to its response-id), or sends a
// 202 without one, the client sends the query anew without a response-id and gets the data; when it keeps
// forgetting, the client gives up with an error that names the last request-id.
func TestCachedQueryDropped(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		status int // answered to a call with a response-id
		noID   bool
	}{
		{"404 to response-id", http.StatusNotFound, false},
		{"504 to response-id", http.StatusGatewayTimeout, false},
		{"202 without response-id", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var fresh atomic.Int32
			var rec *recorder
			e := newEnv(t, simulator.Options{}, fastConfig(), func(sim http.Handler) http.Handler {
				rec = record(apiOverride(func(w http.ResponseWriter, r *http.Request) {
					switch {
					case r.Header.Get("response-id") != "":
						w.Header().Set("Retry-After", "0")
						w.WriteHeader(tc.status)
						fmt.Fprint(w, `{"code":5,"message":"gone"}`)
					case fresh.Add(1) == 1:
						if !tc.noID {
							w.Header().Set("response-id", "11111111-2222-4333-8444-555555555555")
						}
						w.WriteHeader(http.StatusAccepted)
					default:
						fmt.Fprint(w, `{"incidents":[{"uuid":"00000000-0000-4000-8000-000000000001"}]}`)
					}
				})(sim))
				return rec
			})
			got, _, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.IncidentListOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].UUID != "00000000-0000-4000-8000-000000000001" {
				t.Errorf("got %v", got)
			}
			var sent []string
			for _, h := range rec.calls("/v2/incidents") {
				sent = append(sent, h.responseID)
			}
			want := []string{"", "11111111-2222-4333-8444-555555555555", ""}
			if tc.noID {
				want = []string{"", ""}
			}
			if strings.Join(sent, ",") != strings.Join(want, ",") {
				t.Errorf("response-ids sent %q, want %q (a 504 to a response-id must not be retried as is)", sent, want)
			}
		})
	}

	t.Run("gives up", func(t *testing.T) {
		t.Parallel()
		var calls atomic.Int32
		e := newEnv(t, simulator.Options{}, fastConfig(), apiOverride(func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			if r.Header.Get("response-id") != "" {
				w.WriteHeader(http.StatusNotFound)
				return
			}
			w.Header().Set("response-id", newRequestID())
			w.WriteHeader(http.StatusAccepted)
		}))
		_, _, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.IncidentListOptions{})
		if err == nil || !strings.Contains(err.Error(), "dropped the cached result") || !uuidInText(err.Error()) {
			t.Fatalf("want an error naming the request-id, got %v", err)
		}
		if n := calls.Load(); n != 12 { // six sends, each fetched once
			t.Errorf("%d calls, want 12", n)
		}
	})
}

func uuidInText(s string) bool {
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ')' || r == '(' || r == ':' }) {
		if uuidRE.MatchString(f) {
			return true
		}
	}
	return false
}

// TestUnauthorizedTwice: when a renewed token is refused too, the call fails with the 401 rather than
// renew tokens forever.
func TestUnauthorizedTwice(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	e := newEnv(t, simulator.Options{}, fastConfig(), apiOverride(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"code":16,"message":"Token has expired or is invalid.","details":[]}`)
	}))
	_, _, err := listAll(testContext(t, 5*time.Second), e.client, esetapi.IncidentListOptions{})
	_ = assertAPIError(t, err, http.StatusUnauthorized, "Token has expired or is invalid.", 1)
	if n, st := calls.Load(), e.sim.Stats(); n != 2 || st.TokenCalls != 2 {
		t.Errorf("%d API calls and %d token calls, want 2 and 2 (one renewal)", n, st.TokenCalls)
	}
}

// TestMalformedBody: a body cut short is sent for again within the retry budget (a reset connection looks
// the same), then is a *DecodeError that names the answer's request-id.
func TestMalformedBody(t *testing.T) {
	t.Parallel()
	var rec *recorder
	cfg := fastConfig()
	e := newEnv(t, simulator.Options{Incidents: simulator.Generate(27, 50), Faults: simulator.Faults{MalformedRate: 1}}, cfg,
		func(h http.Handler) http.Handler { rec = record(h); return rec })
	_, _, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.IncidentListOptions{})
	var decErr *esetapi.DecodeError
	if !errors.As(err, &decErr) {
		t.Fatalf("want *DecodeError, got %T: %v", err, err)
	}
	if decErr.RequestID == "" || !strings.Contains(err.Error(), decErr.RequestID) || decErr.Operation != "list incidents" {
		t.Errorf("error %+v: %v", decErr, err)
	}
	if n := len(rec.calls("/v2/incidents")); n != cfg.MaxRetries+1 {
		t.Errorf("%d calls, want %d", n, cfg.MaxRetries+1)
	}
}

// TestBodiesCutShortNowAndThen: bodies cut short now and then cost a resend each, and the listing is
// exactly the data set.
func TestBodiesCutShortNowAndThen(t *testing.T) {
	t.Parallel()
	data := simulator.Generate(28, 3500)
	e := newEnv(t, simulator.Options{Incidents: data, Faults: simulator.Faults{MalformedRate: 0.3}}, fastConfig(), nil)
	got, _, err := listAll(testContext(t, 20*time.Second), e.client, esetapi.IncidentListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	assertIncidents(t, got, listView(data))
}

// TestGarbageBodyNotResent: a complete body that is not the API's JSON is an error at once.
func TestGarbageBodyNotResent(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	e := newEnv(t, simulator.Options{}, fastConfig(), apiOverride(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"incidents": [}`)
	}))
	_, _, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.IncidentListOptions{})
	var decErr *esetapi.DecodeError
	if !errors.As(err, &decErr) || calls.Load() != 1 {
		t.Errorf("got %v after %d calls, want a *DecodeError after 1", err, calls.Load())
	}
}

// TestDeadline: a slow API and a context deadline end the call promptly with context.DeadlineExceeded.
func TestDeadline(t *testing.T) {
	t.Parallel()
	const latency = time.Minute
	e := newEnv(t, simulator.Options{Incidents: simulator.Generate(28, 5), Faults: simulator.Faults{Latency: latency}}, fastConfig(), nil)
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, _, err := listAll(ctx, e.client, esetapi.IncidentListOptions{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want context.DeadlineExceeded, got %v", err)
	}
	// Seconds at most on a loaded machine for a call that ended at its 150 ms deadline; one that waited
	// for the answer would take its minute.
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v", d)
	}
	time.Sleep(50 * time.Millisecond) // let the server see the call abandoned
	if st := e.sim.Stats(); len(st.Status) != 0 {
		t.Errorf("stats %+v: an abandoned call is no answer", st)
	}
}

// TestCancelMidRead: cancelling while a page is being read returns promptly with context.Canceled.
func TestCancelMidRead(t *testing.T) {
	t.Parallel()
	started := make(chan struct{})
	e := newEnv(t, simulator.Options{}, fastConfig(), apiOverride(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"incidents":[{"uuid":"u1"},`)
		w.(http.Flusher).Flush()
		close(started)
		select {
		case <-r.Context().Done():
		case <-time.After(time.Minute):
		}
	}))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cancelled := make(chan time.Time, 1)
	go func() {
		<-started
		time.Sleep(20 * time.Millisecond)
		cancelled <- time.Now()
		cancel()
	}()
	_, _, err := listAll(ctx, e.client, esetapi.IncidentListOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	// Seconds at most on a loaded machine; a read that waited for the body would take its minute.
	if d := time.Since(<-cancelled); d > 10*time.Second {
		t.Errorf("returned %v after the cancellation", d)
	}
}

// TestSlowQueriesTimingOut: cached queries that are never ready in time end in 504 for their response-id;
// the client sends each anew, and the listing is still exactly the data set. (At 15% slow queries over 40
// pages, no query times out with odds of 0.85^40, and a page exhausts its 5 resends with odds of 0.15^6:
// together about one run in 600.)
func TestSlowQueriesTimingOut(t *testing.T) {
	t.Parallel()
	data := simulator.Generate(32, 40000)
	e := newEnv(t, simulator.Options{Incidents: data, Faults: simulator.Faults{SlowRate: 0.15, SlowReady: time.Hour, SlowTimeout: 30 * time.Millisecond}}, fastConfig(), nil)
	got, _, err := listAll(testContext(t, 30*time.Second), e.client, esetapi.IncidentListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	assertIncidents(t, got, listView(data))
	if st := e.sim.Stats(); st.Status[504] == 0 {
		t.Errorf("no cached query timed out (%v): the test proves nothing", st.Status)
	}
}

// TestSlowQueriesNeverReady: when every query is cached and times out, the client gives up after its
// resends with an error that says so, rather than wait for ever.
func TestSlowQueriesNeverReady(t *testing.T) {
	t.Parallel()
	e := newEnv(t, simulator.Options{Incidents: simulator.Generate(33, 5), Faults: simulator.Faults{SlowRate: 1, SlowReady: time.Hour, SlowTimeout: 20 * time.Millisecond}}, fastConfig(), nil)
	_, _, err := listAll(testContext(t, 20*time.Second), e.client, esetapi.IncidentListOptions{})
	if err == nil || !strings.Contains(err.Error(), "dropped the cached result of the query 6 times") || !strings.Contains(err.Error(), "request-id") {
		t.Fatalf("got %v, want the resends given up on, with a request-id", err)
	}
	if st := e.sim.Stats(); st.Status[504] != 6 {
		t.Errorf("%d answers 504, want 6 (the first send and 5 resends)", st.Status[504])
	}
}

// worldCall is one device or detection call of the client, with the count of items it must return.
type worldCall struct {
	name string
	do   func(context.Context, *esetapi.Client, simulator.World) (int, error)
	want func(simulator.World) int
}

var worldCalls = []worldCall{
	{"list devices", func(ctx context.Context, c *esetapi.Client, _ simulator.World) (int, error) {
		res, err := listDevices(ctx, c, esetapi.DeviceListOptions{})
		return len(res.Devices), err
	}, func(w simulator.World) int { return len(w.Devices) }},
	{"get device", func(ctx context.Context, c *esetapi.Client, w simulator.World) (int, error) {
		d, err := c.GetDevice(ctx, w.Devices[5].UUID)
		if err != nil || d.UUID != w.Devices[5].UUID {
			return 0, err
		}
		return 1, nil
	}, func(simulator.World) int { return 1 }},
	{"list device groups", func(ctx context.Context, c *esetapi.Client, _ simulator.World) (int, error) {
		gs, err := listGroups(ctx, c)
		return len(gs), err
	}, func(w simulator.World) int { return len(w.DeviceGroups) }},
	{"group members", func(ctx context.Context, c *esetapi.Client, w simulator.World) (int, error) {
		uuids, err := c.GroupMemberUUIDs(ctx, w.DeviceGroups[0].UUID, true)
		return len(uuids), err
	}, func(w simulator.World) int { return len(w.Devices) }},
	{"list detections", func(ctx context.Context, c *esetapi.Client, _ simulator.World) (int, error) {
		res, err := listDetections(ctx, c, esetapi.DetectionListOptions{})
		return len(res.Detections), err
	}, func(w simulator.World) int { return len(w.Detections) }},
	{"list detections of devices", func(ctx context.Context, c *esetapi.Client, w simulator.World) (int, error) {
		// Per device, so that the failure injected into a device's listing is met.
		res, err := listDetections(ctx, c, esetapi.DetectionListOptions{DeviceUUIDs: []string{w.Devices[0].UUID, w.Devices[1].UUID}, Plan: esetapi.DetectionsPerDevice})
		return len(res.Detections), err
	}, func(w simulator.World) int {
		n := 0
		for _, d := range w.Detections {
			if d.Device.UUID == w.Devices[0].UUID || d.Device.UUID == w.Devices[1].UUID {
				n++
			}
		}
		return n
	}},
	{"batch get detections", func(ctx context.Context, c *esetapi.Client, w simulator.World) (int, error) {
		var uuids []string
		for _, d := range w.Detections[:150] {
			uuids = append(uuids, d.UUID)
		}
		ds, err := c.BatchGetDetections(ctx, uuids)
		return len(ds), err
	}, func(simulator.World) int { return 150 }},
}

// worldSpec is big enough that every listing takes several pages.
var worldSpec = simulator.WorldSpec{Seed: 31, Devices: 2100, Detections: 2100}

// TestWorldCallsSurviveFaults: under every fault a service shows now and then, each call returns exactly
// what the world holds.
func TestWorldCallsSurviveFaults(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		faults simulator.Faults
		cfg    func(*esetapi.Config)
	}{
		{"transient 429 and 5xx", simulator.Faults{TransientRate: 0.3}, func(c *esetapi.Config) { c.MaxRetries = 20 }},
		{"rate limit", simulator.Faults{RateLimit: 10}, func(c *esetapi.Config) { c.RequestsPerSecond = 10 }},
		{"slow queries", simulator.Faults{SlowRate: 1, SlowReady: 10 * time.Millisecond}, nil},
		{"slow queries timing out", simulator.Faults{SlowRate: 0.3, SlowReady: time.Hour, SlowTimeout: 10 * time.Millisecond}, nil},
		{"tokens used up", simulator.Faults{TokenCalls: 2}, nil},
		{"bodies cut short", simulator.Faults{MalformedRate: 0.3}, nil},
		{"int64 as strings, unknown fields", simulator.Faults{Int64AsStrings: true, UnknownFields: true}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := fastConfig()
			if tc.cfg != nil {
				tc.cfg(&cfg)
			}
			opts, w := worldOptions(worldSpec, tc.faults)
			// In a bubble, where a call arrives when it is sent, the simulator's rate limit counts as the pace.
			synctest.Test(t, func(t *testing.T) {
				e, sends := newBubbleEnv(t, opts, cfg)
				for _, call := range worldCalls {
					got, err := call.do(testContext(t, 30*time.Second), e.client, w)
					if err != nil || got != call.want(w) {
						t.Errorf("%s: %d items, want %d: %v", call.name, got, call.want(w), err)
					}
				}
				if tc.faults.RateLimit > 0 {
					if st := e.sim.Stats(); st.Status[429] != 0 {
						t.Errorf("%d answers 429", st.Status[429])
					}
					checkPace(t, sends.times("/v"), tc.faults.RateLimit, len(worldCalls))
				}
			})
		})
	}
}

// TestWorldCallsFail: a body always cut short, a repeated page token and an injected status end each call
// with the error that names its operation, status and request-id.
func TestWorldCallsFail(t *testing.T) {
	t.Parallel()
	spec := worldSpec
	spec.End = testEnd // the world newWorldEnv serves
	w := simulator.GenerateWorld(spec)
	failing := map[string]int{
		w.Devices[5].UUID:      http.StatusForbidden,           // get device
		w.DeviceGroups[0].UUID: http.StatusInternalServerError, // group members
		w.Devices[0].UUID:      http.StatusBadGateway,          // detections of devices
		w.Detections[42].UUID:  http.StatusNotFound,            // batch get
	}
	cfg := fastConfig()
	cfg.MaxRetries = 1
	for _, call := range worldCalls {
		t.Run(call.name, func(t *testing.T) {
			t.Parallel()
			e, _ := newWorldEnv(t, worldSpec, simulator.Faults{MalformedRate: 1}, cfg, nil)
			_, err := call.do(testContext(t, 10*time.Second), e.client, w)
			var decErr *esetapi.DecodeError
			if !errors.As(err, &decErr) || decErr.RequestID == "" || decErr.Operation == "" {
				t.Errorf("bodies cut short: want a *DecodeError with its operation and request-id, got %v", err)
			}

			e, _ = newWorldEnv(t, worldSpec, simulator.Faults{RepeatPageToken: true}, cfg, nil)
			_, err = call.do(testContext(t, 10*time.Second), e.client, w)
			var pagingErr *esetapi.PagingError
			if multiPage := strings.HasPrefix(call.name, "list devices") || call.name == "list detections" || call.name == "group members"; multiPage &&
				(!errors.As(err, &pagingErr) || !strings.HasPrefix(err.Error(), pagingErr.Operation+":") || pagingErr.Operation == "list incidents") {
				t.Errorf("repeated page token: want a *PagingError naming the listing, got %v", err)
			}

			e, _ = newWorldEnv(t, worldSpec, simulator.Faults{FailUUIDs: failing}, cfg, nil)
			_, err = call.do(testContext(t, 10*time.Second), e.client, w)
			for uuid, status := range failing {
				if strings.Contains(fmt.Sprint(err), "injected failure") && strings.Contains(err.Error(), uuid) {
					_ = assertAPIError(t, err, status, uuid, 0)
					return
				}
			}
			if call.name != "list devices" && call.name != "list device groups" && call.name != "list detections" {
				t.Errorf("injected failure: got %v", err)
			}
		})
	}
}

// TestErrorStatuses answers every API call with one error status and checks the *APIError: status, the
// message from a gRPC-gateway body or from a plain-text body (the status text for an HTML page), the
// request-id and the attempts. 400, 403 and 404 are final and sent once; 401 is sent again once with a
// renewed token; 429 and 5xx are retried until MaxRetries runs out.
func TestErrorStatuses(t *testing.T) {
	t.Parallel()
	const maxRetries = 2
	bodies := []struct {
		name, contentType, body, message string
	}{
		{"grpc-gateway", "application/json", `{"code":3,"message":"filter: undeclared reference to 'foo'","details":[]}`, "filter: undeclared reference to 'foo'"},
		{"plain text", "text/plain", "upstream connect error or disconnect/reset before headers\n", "upstream connect error or disconnect/reset before headers"},
		{"html", "text/html", "<html><body><h1>Bad gateway</h1></body></html>", ""},
	}
	for _, tc := range []struct {
		status      int
		calls       int // API calls made
		tokenCalls  int64
		attempts    int
		permanently bool
	}{
		{http.StatusBadRequest, 1, 1, 1, true},
		{http.StatusUnauthorized, 2, 2, 1, true},
		{http.StatusForbidden, 1, 1, 1, true},
		{http.StatusNotFound, 1, 1, 1, true},
		{http.StatusTooManyRequests, maxRetries + 1, 1, maxRetries + 1, false},
		{http.StatusInternalServerError, maxRetries + 1, 1, maxRetries + 1, false},
		{http.StatusBadGateway, maxRetries + 1, 1, maxRetries + 1, false},
		{http.StatusServiceUnavailable, maxRetries + 1, 1, maxRetries + 1, false},
		{http.StatusGatewayTimeout, maxRetries + 1, 1, maxRetries + 1, false},
	} {
		for _, b := range bodies {
			t.Run(fmt.Sprintf("%d/%s", tc.status, b.name), func(t *testing.T) {
				t.Parallel()
				var calls atomic.Int32
				cfg := fastConfig()
				cfg.MaxRetries = maxRetries
				e := newEnv(t, simulator.Options{}, cfg, apiOverride(func(w http.ResponseWriter, r *http.Request) {
					calls.Add(1)
					w.Header().Set("Content-Type", b.contentType)
					w.Header().Set("Retry-After", "0")
					w.WriteHeader(tc.status)
					fmt.Fprint(w, b.body)
				}))
				_, _, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.IncidentListOptions{})
				msg := b.message
				if msg == "" {
					msg = http.StatusText(tc.status)
				}
				apiErr := assertAPIError(t, err, tc.status, msg, tc.attempts)
				if apiErr.Operation != "list incidents" {
					t.Errorf("operation %q", apiErr.Operation)
				}
				if n := calls.Load(); int(n) != tc.calls {
					t.Errorf("%d API calls, want %d", n, tc.calls)
				}
				if st := e.sim.Stats(); st.TokenCalls != tc.tokenCalls {
					t.Errorf("%d token calls, want %d", st.TokenCalls, tc.tokenCalls)
				}
			})
		}
	}
}
