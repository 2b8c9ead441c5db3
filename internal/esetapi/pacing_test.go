package esetapi_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// TestPacing: 20 calls made all at once by a client paced at 10 calls/s, the first 10 of them at once (its
// pace ledger shows no earlier call), take at least a second, and no one-second window (sliding, as
// measured where the server received them) holds more than 10 of them, so a server limiting to 10 calls/s
// answers none with 429.
func TestPacing(t *testing.T) {
	t.Parallel()
	const calls, perSecond = 20, 10
	data := simulator.Generate(41, calls)
	cfg := fastConfig()
	cfg.RequestsPerSecond = perSecond
	var rec *recorder
	e := newEnv(t, simulator.Options{Incidents: data, Faults: simulator.Faults{RateLimit: perSecond}}, cfg,
		func(h http.Handler) http.Handler { rec = record(h); return rec })
	start := time.Now()
	err := e.client.IncidentDetails(testContext(t, 20*time.Second), data, calls, func(int, *esetapi.Incident) {})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < time.Second {
		t.Errorf("%d calls took %v", calls, d)
	}
	var at []time.Time
	for _, h := range rec.calls("/v2/incidents/") {
		at = append(at, h.at)
	}
	slices.SortFunc(at, func(a, b time.Time) int { return a.Compare(b) })
	if len(at) != calls {
		t.Fatalf("%d calls, want %d", len(at), calls)
	}
	for i := perSecond; i < len(at); i++ {
		if gap := at[i].Sub(at[i-perSecond]); gap < time.Second {
			t.Errorf("calls %d to %d, %d calls, within %v", i-perSecond, i, perSecond+1, gap)
		}
	}
	if st := e.sim.Stats(); st.Status[http.StatusTooManyRequests] != 0 {
		t.Errorf("stats %+v: the server answered 429", st)
	}
}

// TestPacingPastDeadline: a call that the pace would hold past the context's deadline ends with
// context.DeadlineExceeded at the deadline, without being sent or retried.
func TestPacingPastDeadline(t *testing.T) {
	t.Parallel()
	data := simulator.Generate(42, 2)
	cfg := fastConfig()
	cfg.RequestsPerSecond = 0.5
	e := newEnv(t, simulator.Options{Incidents: data}, cfg, nil)
	if _, err := e.client.GetIncident(testContext(t, 10*time.Second), data[0].UUID); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := e.client.GetIncident(ctx, data[1].UUID)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want context.DeadlineExceeded, got %v", err)
	}
	if d := time.Since(start); d < 150*time.Millisecond || d > time.Second {
		t.Errorf("returned after %v, want at the deadline", d)
	}
	if st := e.sim.Stats(); st.GetCalls != 1 {
		t.Errorf("stats %+v: the second call was sent", st)
	}
}

// TestPacingWithoutLedger: a pace directory that cannot be used (it would be under a file) is said once, as
// a warning, and the client paces alone: not knowing the calls of the last window, its first call waits
// for the window to pass.
func TestPacingWithoutLedger(t *testing.T) {
	t.Parallel()
	data := simulator.Generate(43, 3)
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	log := &logRecorder{}
	cfg := fastConfig()
	cfg.PaceDir, cfg.RequestsPerSecond, cfg.Logger = filepath.Join(file, "pace"), 10, log
	e := newEnv(t, simulator.Options{Incidents: data}, cfg, nil)
	start := time.Now()
	for _, inc := range data {
		if _, err := e.client.GetIncident(testContext(t, 10*time.Second), inc.UUID); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d < time.Second {
		t.Errorf("3 calls took %v, want the first to wait a window", d)
	}
	if n := strings.Count(log.String(), "the pace ledger cannot be used"); n != 1 {
		t.Errorf("%d warnings, want one:\n%s", n, log.String())
	}
}
