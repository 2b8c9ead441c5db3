package esetapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
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
		if _, _, err := listAll(ctx, e.client, esetapi.ListOptions{}); err != nil {
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
				got, _, err := listAll(ctx, e.client, esetapi.ListOptions{})
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
	e := newEnv(t, simulator.Options{Incidents: simulator.Generate(31, 5)}, fastConfig(), func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/oauth/token" {
				time.Sleep(2 * time.Second)
			}
			h.ServeHTTP(w, r)
		})
	})
	go func() { _, _, _ = listAll(testContext(t, 10*time.Second), e.client, esetapi.ListOptions{}) }()
	time.Sleep(100 * time.Millisecond) // the first call now holds the renewal
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, _, err := listAll(ctx, e.client, esetapi.ListOptions{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want context.DeadlineExceeded", err)
	}
	if elapsed := time.Since(start); elapsed > time.Second {
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
		if _, _, err := listAll(ctx, e.client, esetapi.ListOptions{}); err != nil {
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
	if _, _, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.ListOptions{}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond) // the token is now due for renewal
	slow.Store(true)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, _, err := listAll(ctx, e.client, esetapi.ListOptions{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want context.DeadlineExceeded", err)
	}
	slow.Store(false)
	if _, _, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.ListOptions{}); err != nil {
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
