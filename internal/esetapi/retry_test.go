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

// TestRetryAfter reads Retry-After as seconds or as an HTTP date (in each of the three formats HTTP
// allows), refusing what is neither and seconds too large for a Duration.
func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		value string
		want  time.Duration
		ok    bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"7", 7 * time.Second, true},
		{"120", 2 * time.Minute, true},
		{"9223372036", 9223372036 * time.Second, true},
		{"9223372037", 0, false},
		{"9300000000000", 0, false},
		{"99999999999999999999999", 0, false},
		{"-1", 0, false},
		{"1.5", 0, false},
		{" 7", 0, false},
		{"soon", 0, false},
		{now.Add(30 * time.Second).Format(http.TimeFormat), 30 * time.Second, true},
		{now.Add(90 * time.Second).Format(time.RFC850), 90 * time.Second, true},
		{now.Add(5 * time.Second).Format(time.ANSIC), 5 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"Wed, 25 Nov 2026 12:00:00 CET", 0, false},
	} {
		got, ok := esetapi.RetryAfter(tc.value, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", tc.value, got, ok, tc.want, tc.ok)
		}
	}
}

// TestBackoff: without Retry-After, waits grow exponentially from minWait with equal jitter (at least half
// of each step) and never pass maxWait, even for large attempts and minimums; with one, it is obeyed.
func TestBackoff(t *testing.T) {
	t.Parallel()
	for _, bounds := range [][2]time.Duration{
		{time.Millisecond, 5 * time.Millisecond},
		{500 * time.Millisecond, 30 * time.Second},
		{10 * time.Second, time.Hour},
		{time.Hour, 24 * time.Hour},
		{2*time.Minute + 17439000003, 48 * time.Hour}, // wrapped around to a short step at attempt 27
		{time.Second, time.Second / 2},
	} {
		minWait, maxWait := bounds[0], bounds[1]
		for attempt := range 80 {
			step := maxWait
			if attempt < 40 && minWait<<attempt>>attempt == minWait && minWait<<attempt > 0 {
				step = min(minWait<<attempt, maxWait)
			}
			for range 20 {
				got := esetapi.Backoff(minWait, maxWait, attempt, nil)
				if got < step/2 || got > step {
					t.Fatalf("backoff(%v, %v, %d) = %v, want within [%v, %v]", minWait, maxWait, attempt, got, step/2, step)
				}
			}
		}
	}

	resp := func(retryAfter string) *http.Response {
		return &http.Response{StatusCode: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {retryAfter}}}
	}
	if got := esetapi.Backoff(time.Millisecond, 5*time.Millisecond, 0, resp("3")); got != 3*time.Second {
		t.Errorf("Retry-After 3: waited %v", got)
	}
	if got := esetapi.Backoff(time.Second, time.Minute, 4, resp("0")); got != 0 {
		t.Errorf("Retry-After 0: waited %v", got)
	}
	date := time.Now().Add(10 * time.Second).UTC().Format(http.TimeFormat)
	if got := esetapi.Backoff(time.Millisecond, 5*time.Millisecond, 0, resp(date)); got < 8*time.Second || got > 10*time.Second {
		t.Errorf("Retry-After %s: waited %v", date, got)
	}
	if got := esetapi.Backoff(time.Millisecond, 5*time.Millisecond, 1, resp("later")); got < time.Millisecond || got > 2*time.Millisecond {
		t.Errorf("unreadable Retry-After: waited %v, want the exponential step", got)
	}
}

// TestTransientFaults: with 30% of calls answered 429/500/502/503/504, listings of 5,000 incidents still
// return all of them, once each and in order. Eight listings make at least 40 calls, so that faults
// surely happen.
func TestTransientFaults(t *testing.T) {
	t.Parallel()
	const listings = 8
	data := simulator.Generate(21, 5000)
	cfg := fastConfig()
	cfg.MaxRetries = 20 // 0.3^21: a listing of a few pages does not run out of retries
	e := newEnv(t, simulator.Options{Incidents: data, Faults: simulator.Faults{TransientRate: 0.3}}, cfg, nil)
	ctx := testContext(t, 30*time.Second)
	for range listings {
		got, res, err := listAll(ctx, e.client, esetapi.IncidentListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		assertIncidents(t, got, listView(data))
		if res.Duplicates != 0 || res.Calls != 5 {
			t.Errorf("result %+v", res)
		}
	}
	st := e.sim.Stats()
	faults := st.Status[429] + st.Status[500] + st.Status[502] + st.Status[503] + st.Status[504]
	// Faults are answered before the list handler, which counts only the calls it serves.
	if faults == 0 || st.ListCalls != 5*listings || st.Status[200] != 5*listings {
		t.Errorf("stats %+v", st)
	}
	t.Logf("%d transient faults in %d calls", faults, faults+st.ListCalls)
}

// TestRetryAfterPastDeadline: a Retry-After that the read's deadline cannot wait for is reported at once,
// with its status and request-id, rather than slept on until the read times out.
func TestRetryAfterPastDeadline(t *testing.T) {
	t.Parallel()
	e := newEnv(t, simulator.Options{}, fastConfig(), apiOverride(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, `{"code":14,"message":"Environment under maintenance. Try again later."}`)
	}))
	// A client that slept on the Retry-After would meet the context's deadline first, and fail with it.
	_, _, err := listAll(testContext(t, 5*time.Second), e.client, esetapi.IncidentListOptions{})
	_ = assertAPIError(t, err, http.StatusServiceUnavailable, "Environment under maintenance. Try again later.", 1)
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
			got, _, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.IncidentListOptions{})
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
	_, _, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.IncidentListOptions{})
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
	_, _, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.IncidentListOptions{})
	_ = assertAPIError(t, err, http.StatusForbidden, "permission denied", 3)
}
