package esetapi_test

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

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
				_, _, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.ListOptions{})
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

// TestRetryAfterHonoured: a 503 whose Retry-After asks for a wait (in seconds, or as an HTTP date) is
// retried no sooner than asked, although the client's own backoff is a few milliseconds.
func TestRetryAfterHonoured(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		retryAfter func() string
		atLeast    time.Duration
	}{
		{"seconds", func() string { return "1" }, time.Second},
		// HTTP dates have whole seconds: two seconds ahead is at least one second ahead.
		{"http date", func() string { return time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat) }, time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			var at []time.Time
			data := simulator.Generate(31, 3)
			e := newEnv(t, simulator.Options{Incidents: data}, fastConfig(), func(sim http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Path != "/v2/incidents" {
						sim.ServeHTTP(w, r)
						return
					}
					mu.Lock()
					at = append(at, time.Now())
					first := len(at) == 1
					mu.Unlock()
					if first {
						w.Header().Set("request-id", newRequestID())
						w.Header().Set("Retry-After", tc.retryAfter())
						w.WriteHeader(http.StatusServiceUnavailable)
						return
					}
					sim.ServeHTTP(w, r)
				})
			})
			got, _, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.ListOptions{})
			if err != nil {
				t.Fatal(err)
			}
			assertIncidents(t, got, listView(data))
			if len(at) != 2 {
				t.Fatalf("%d calls, want 2", len(at))
			}
			if gap := at[1].Sub(at[0]); gap < tc.atLeast-10*time.Millisecond || gap > tc.atLeast+1500*time.Millisecond {
				t.Errorf("retried after %v, want about %v", gap, tc.atLeast)
			}
		})
	}
}

// TestNotImplementedNotRetried: 501 is not a transient failure: it is sent once, although retries are
// left and the answer has a Retry-After.
func TestNotImplementedNotRetried(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	e := newEnv(t, simulator.Options{}, fastConfig(), apiOverride(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusNotImplemented)
		fmt.Fprint(w, `{"code":12,"message":"method not implemented"}`)
	}))
	_, _, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.ListOptions{})
	_ = assertAPIError(t, err, http.StatusNotImplemented, "method not implemented", 1)
	if n := calls.Load(); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}
}

// TestAttemptsCountedAcrossStatuses: a call retried after transient failures that then ends on a
// permanent one says how many attempts it took.
func TestAttemptsCountedAcrossStatuses(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	e := newEnv(t, simulator.Options{}, fastConfig(), apiOverride(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= 2 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"code":7,"message":"permission denied"}`)
	}))
	_, _, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.ListOptions{})
	_ = assertAPIError(t, err, http.StatusForbidden, "permission denied", 3)
}
