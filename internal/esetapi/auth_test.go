package esetapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// TestTokenReused: one token serves many calls, sequential and concurrent.
func TestTokenReused(t *testing.T) {
	t.Parallel()
	data := simulator.Generate(51, 4500)
	e := newEnv(t, simulator.Options{Incidents: data}, fastConfig(), nil)
	ctx := testContext(t, 20*time.Second)
	for range 3 {
		if _, _, err := listAll(ctx, e.client, esetapi.IncidentListOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.client.IncidentDetails(ctx, data[:50], 8, func(int, *esetapi.Incident) {}); err != nil {
		t.Fatal(err)
	}
	if st := e.sim.Stats(); st.TokenCalls != 1 || st.ListCalls != 15 || st.GetCalls != 50 {
		t.Errorf("stats %+v: want one token for 15 list and 50 get calls", st)
	}
}

// TestTokenRefresh: a token nearing its expiry is renewed with the refresh_token grant, using the refresh
// token of the latest answer; when a refresh fails the client falls back to the password grant.
//
// The simulator announces tokens for 2 s; the client renews them half their lifetime before the expiry, so a
// token is reused for about a second and then refreshed.
func TestTokenRefresh(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name          string
		refuseRefresh bool
		grants        []string
		statuses      []int
	}{
		{"refresh", false, []string{"password", "refresh_token", "refresh_token"}, []int{200, 200, 200}},
		{"refresh refused", true, []string{"password", "refresh_token", "password", "refresh_token", "password"}, []int{200, 400, 200, 400, 200}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			data := simulator.Generate(52, 10)
			var rec *recorder
			e := newEnv(t, simulator.Options{Incidents: data, TokenLifetime: 2 * time.Second}, fastConfig(), func(sim http.Handler) http.Handler {
				rec = record(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if tc.refuseRefresh && r.URL.Path == "/oauth/token" && r.FormValue("grant_type") == "refresh_token" {
						w.Header().Set("Content-Type", "application/json")
						w.WriteHeader(http.StatusBadRequest)
						fmt.Fprint(w, `{"error":"invalid_grant","error_description":"Token is not active"}`)
						return
					}
					sim.ServeHTTP(w, r)
				}))
				return rec
			})
			esetapi.SetMinTokenLifetime(e.client, time.Second)
			ctx := testContext(t, 20*time.Second)
			for i := range 4 {
				if i >= 2 {
					time.Sleep(1100 * time.Millisecond)
				}
				got, _, err := listAll(ctx, e.client, esetapi.IncidentListOptions{})
				if err != nil {
					t.Fatalf("listing %d: %v", i, err)
				}
				assertIncidents(t, got, listView(data))
			}
			var grants []string
			var statuses []int
			for _, h := range rec.calls("/oauth/token") {
				grants, statuses = append(grants, h.grant), append(statuses, h.status)
			}
			if !slices.Equal(grants, tc.grants) || !slices.Equal(statuses, tc.statuses) {
				t.Errorf("token calls %v answered %v, want %v answered %v", grants, statuses, tc.grants, tc.statuses)
			}
			if st := e.sim.Stats(); st.Status[http.StatusUnauthorized] != 0 || st.ListCalls != 4 {
				t.Errorf("stats %+v", st)
			}
		})
	}
}

// TestTokenWaitCancelled: a call waiting while another renews the token (here, a token service that
// takes two seconds) gives up as soon as its own context ends.
func TestTokenWaitCancelled(t *testing.T) {
	t.Parallel()
	ended := make(chan struct{})
	e := newEnv(t, simulator.Options{Incidents: simulator.Generate(31, 5)}, fastConfig(), func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/oauth/token" {
				select { // a renewal far slower than the waiting call's deadline, until the test ends
				case <-ended:
					return
				case <-time.After(time.Minute):
				}
			}
			h.ServeHTTP(w, r)
		})
	})
	t.Cleanup(func() { close(ended) }) // before the server closes, which waits for its handlers
	go func() { _, _, _ = listAll(testContext(t, 10*time.Second), e.client, esetapi.IncidentListOptions{}) }()
	time.Sleep(100 * time.Millisecond) // the first call now holds the renewal
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, _, err := listAll(ctx, e.client, esetapi.IncidentListOptions{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want context.DeadlineExceeded", err)
	}
	// Seconds at most on a loaded machine for a call that left at its 200 ms deadline; one that waited
	// for the renewal would take its minute.
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("gave up after %s, want about 200ms", elapsed)
	}
}

// TestShortTokenLifetime: a token announced for 45 s serves many calls rather than one: it is renewed at
// half its lifetime, not 60 s before an expiry that is nearer than that.
func TestShortTokenLifetime(t *testing.T) {
	t.Parallel()
	e := newEnv(t, simulator.Options{Incidents: simulator.Generate(53, 10), TokenLifetime: 45 * time.Second}, fastConfig(), nil)
	assertOneTokenServes5(t, e)
}

// assertOneTokenServes5 lists 5 times and fails unless one token call served them all.
func assertOneTokenServes5(t *testing.T, e *env) {
	t.Helper()
	ctx := testContext(t, 10*time.Second)
	for range 5 {
		if _, _, err := listAll(ctx, e.client, esetapi.IncidentListOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if st := e.sim.Stats(); st.TokenCalls != 1 || st.ListCalls != 5 {
		t.Errorf("stats %+v: want one token for 5 calls", st)
	}
}

// TestCancelledRenewalKeepsRefreshToken: a caller that gives up while it renews the token leaves the
// refresh token to the next caller, who renews with it rather than sign in with the password again.
func TestCancelledRenewalKeepsRefreshToken(t *testing.T) {
	t.Parallel()
	var slow atomic.Bool
	var rec *recorder
	e := newEnv(t, simulator.Options{Incidents: simulator.Generate(54, 5), TokenLifetime: 2 * time.Second}, fastConfig(), func(h http.Handler) http.Handler {
		rec = record(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/oauth/token" && slow.Load() {
				select {
				case <-r.Context().Done():
					return
				case <-time.After(2 * time.Second):
				}
			}
			h.ServeHTTP(w, r)
		}))
		return rec
	})
	esetapi.SetMinTokenLifetime(e.client, time.Second)
	if _, _, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.IncidentListOptions{}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond) // the token is now due for renewal
	slow.Store(true)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, _, err := listAll(ctx, e.client, esetapi.IncidentListOptions{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want context.DeadlineExceeded", err)
	}
	slow.Store(false)
	if _, _, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.IncidentListOptions{}); err != nil {
		t.Fatal(err)
	}
	var grants []string
	for _, h := range rec.calls("/oauth/token") {
		if h.status != 0 {
			grants = append(grants, h.grant)
		}
	}
	if last := grants[len(grants)-1]; last != "refresh_token" {
		t.Errorf("token calls %v: the renewal after the cancelled one used %q, want refresh_token", grants, last)
	}
}

// TestOddTokenLifetimes: a token announced as already expired (expires_in 0 or negative) or as lasting a
// second is not renewed before every call: a non-positive lifetime is taken as a missing one, and a very
// short one as the floor of 30 s, so that token calls stay few (a 401 still renews a token that did expire).
func TestOddTokenLifetimes(t *testing.T) {
	t.Parallel()
	for _, expiresIn := range []int{-3600, -1, 0, 1} {
		t.Run(fmt.Sprint(expiresIn), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, simulator.Options{Incidents: simulator.Generate(53, 10)}, fastConfig(), func(sim http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Path != "/oauth/token" {
						sim.ServeHTTP(w, r)
						return
					}
					rec := httptest.NewRecorder()
					sim.ServeHTTP(rec, r)
					var answer map[string]any
					if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil {
						t.Error(err)
					}
					answer["expires_in"] = expiresIn
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(rec.Code)
					_ = json.NewEncoder(w).Encode(answer)
				})
			})
			assertOneTokenServes5(t, e)
		})
	}
}

// TestTokenExpiresByCalls: tokens that the API stops accepting after two calls are renewed on their 401,
// and the listing completes.
func TestTokenExpiresByCalls(t *testing.T) {
	t.Parallel()
	data := simulator.Generate(24, 5000)
	e := newEnv(t, simulator.Options{Incidents: data, Faults: simulator.Faults{TokenCalls: 2}}, fastConfig(), nil)
	got, _, err := listAll(testContext(t, 20*time.Second), e.client, esetapi.IncidentListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	assertIncidents(t, got, listView(data))
	if st := e.sim.Stats(); st.Status[401] != 2 || st.TokenCalls != 3 || st.ListCalls != 5 {
		t.Errorf("stats %+v: want 2 renewals for 5 pages", st)
	}
}

// TestTokenExpiresByCallsConcurrently: concurrent detail calls share tokens that expire after ten calls,
// so that each expiry meets several calls in flight; each renews, or takes the token another just renewed,
// and none fails.
func TestTokenExpiresByCallsConcurrently(t *testing.T) {
	t.Parallel()
	data := simulator.Generate(29, 120)
	e := newEnv(t, simulator.Options{Incidents: data, Faults: simulator.Faults{TokenCalls: 10}}, fastConfig(), nil)
	got := make([]*esetapi.Incident, len(data))
	err := e.client.IncidentDetails(testContext(t, 20*time.Second), data, 8, func(i int, inc *esetapi.Incident) { got[i] = inc })
	if err != nil {
		t.Fatal(err)
	}
	for i := range data {
		if got[i] == nil || got[i].UUID != data[i].UUID {
			t.Fatalf("detail %d missing or out of order", i)
		}
	}
	if st := e.sim.Stats(); st.Status[401] == 0 {
		t.Errorf("no token expired (%v): the test proves nothing", st.Status)
	}
}

// TestWrongPassword: a refused password is an *AuthError with the status, the token service's message and
// request-id, and never the password itself.
func TestWrongPassword(t *testing.T) {
	t.Parallel()
	e := newEnv(t, simulator.Options{Username: testUser, Password: "the-right-one"}, fastConfig(), nil)
	_, _, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.IncidentListOptions{})
	var authErr *esetapi.AuthError
	if !errors.As(err, &authErr) {
		t.Fatalf("want *AuthError, got %T: %v", err, err)
	}
	if authErr.StatusCode != http.StatusBadRequest || !strings.Contains(authErr.Message, "Invalid user credentials") ||
		authErr.RequestID == "" || !strings.Contains(err.Error(), authErr.RequestID) {
		t.Errorf("error %+v: %v", authErr, err)
	}
	if strings.Contains(err.Error(), testPassword) || strings.Contains(err.Error(), "the-right-one") {
		t.Errorf("the error shows a password: %v", err)
	}
	if st := e.sim.Stats(); st.TokenCalls != 1 || st.ListCalls != 0 {
		t.Errorf("stats %+v: a refused password is not retried", st)
	}
}

// TestTokenServiceDown: a token service that keeps failing is retried, then reported as an *AuthError with
// its last status and request-id.
func TestTokenServiceDown(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	cfg := fastConfig()
	cfg.MaxRetries = 2
	e := newEnv(t, simulator.Options{}, cfg, func(sim http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			w.Header().Set("request-id", newRequestID())
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, `{"error":"temporarily_unavailable","error_description":"identity service answered empty"}`)
		})
	})
	_, _, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.IncidentListOptions{})
	var authErr *esetapi.AuthError
	if !errors.As(err, &authErr) || authErr.StatusCode != http.StatusServiceUnavailable ||
		!strings.Contains(err.Error(), "identity service answered empty") || authErr.RequestID == "" || !strings.Contains(err.Error(), authErr.RequestID) {
		t.Fatalf("want *AuthError 503 with message and request-id, got %T: %v", err, err)
	}
	if n := calls.Load(); n != 3 {
		t.Errorf("%d token calls, want 3", n)
	}
}
