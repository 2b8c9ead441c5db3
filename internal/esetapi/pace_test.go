package esetapi_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// The tests of one client's pace through HTTP run in synctest bubbles (newBubbleEnv): a call arrives when
// it is sent, so that the simulator's rate limit, past 10 calls in any second, counts the calls exactly as
// the pace does, and no 429 is a result that does not depend on the machine's load. Those of clients
// sharing a ledger check send times in real time (ledgerEnv).

// TestPacing: 20 calls made all at once by a client paced at 10 calls/s go out no more than 10 in any
// window of the pace (so the eleventh waits for the first to leave it), and meet no 429.
func TestPacing(t *testing.T) {
	t.Parallel()
	const calls, perSecond = 20, 10
	data := simulator.Generate(41, calls)
	synctest.Test(t, func(t *testing.T) {
		cfg := fastConfig()
		cfg.RequestsPerSecond = perSecond
		e, sends := newBubbleEnv(t, simulator.Options{Incidents: data, Faults: simulator.Faults{RateLimit: perSecond}}, cfg)
		err := e.client.IncidentDetails(testContext(t, 20*time.Second), data, calls, func(int, *esetapi.Incident) {})
		if err != nil {
			t.Fatal(err)
		}
		checkDetailSends(t, e.sim, sends, calls, perSecond)
	})
}

// checkDetailSends fails unless calls detail calls went out, no more than perSecond of them in any window
// of the pace, and the simulator answered none with 429.
func checkDetailSends(t *testing.T, sim *simulator.Server, sends *sendRecorder, calls, perSecond int) {
	t.Helper()
	if st := sim.Stats(); st.Status[http.StatusTooManyRequests] != 0 {
		t.Errorf("stats %+v: the simulator answered 429", st)
	}
	at := sends.times("/v2/incidents/")
	if len(at) != calls {
		t.Errorf("%d calls sent, want %d", len(at), calls)
	}
	checkPace(t, at, perSecond, calls)
}

// ledgerEnv is a server that answers 429 past 10 calls in any second, and the configuration of clients of
// one account at 10 calls/s that share a pace ledger in a new directory, as the provider processes of one
// machine do, and note when each call went out. It runs in real time, not in a bubble: two clients' ledgers
// wait for each other's file lock on the clock, while a call of one, settling, may wait for its pacer's
// mutex, held over that wait; a bubble does not count a goroutine waiting for a mutex as blocked, and its
// clock would stop.
type ledgerEnv struct {
	sim   *simulator.Server
	sends *sendRecorder
	cfg   esetapi.Config
	// logs hear a client that gives the ledger up.
	logs *logRecorder
}

func newLedgerEnv(t *testing.T, data []esetapi.Incident) *ledgerEnv {
	t.Helper()
	l := &ledgerEnv{cfg: fastConfig(), sends: recordSends(t), logs: &logRecorder{}}
	l.cfg.RequestsPerSecond, l.cfg.PaceDir, l.cfg.Logger, l.cfg.Transport = 10, t.TempDir(), l.logs, l.sends
	e := newEnv(t, simulator.Options{Incidents: data, Faults: simulator.Faults{RateLimit: 10}}, l.cfg, nil)
	l.sim = e.sim
	l.cfg.IAMEndpoint, l.cfg.IncidentManagementEndpoint, l.cfg.DeviceManagementEndpoint = e.url, e.url, e.url
	t.Cleanup(func() {
		if logs := l.logs.String(); strings.Contains(logs, "pace ledger") {
			t.Errorf("a client gave the pace ledger up:\n%s", logs)
		}
	})
	return l
}

// checkSends fails unless the clients sent every one of calls detail calls, and no more than 10 of them
// (retries included) in any window of the pace. The simulator's 429s, which count calls when they arrive,
// are logged: how late calls arrive on a loaded machine is not the pace's doing.
func (l *ledgerEnv) checkSends(t *testing.T, calls int) {
	t.Helper()
	at := l.sends.times("/v2/incidents/")
	checkPace(t, at, 10, calls)
	t.Logf("the simulator answered %d of %d calls with 429", l.sim.Stats().Status[http.StatusTooManyRequests], len(at))
}

// client is a new client of the account, pacing through the ledger as another process would.
func (l *ledgerEnv) client(t *testing.T) *esetapi.Client {
	t.Helper()
	c, err := esetapi.New(l.cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// readDetails reads the details of data through c, inFlight calls at a time, and fails unless each was
// read.
func readDetails(t *testing.T, c *esetapi.Client, data []esetapi.Incident, inFlight int) {
	t.Helper()
	var read atomic.Int64
	if err := c.IncidentDetails(testContext(t, 30*time.Second), data, inFlight, func(int, *esetapi.Incident) { read.Add(1) }); err != nil {
		t.Error(err)
	}
	if n := read.Load(); n != int64(len(data)) {
		t.Errorf("read %d details of %d", n, len(data))
	}
}

// TestPacingLedgerShared: two clients of one account (two processes of one machine) reading at once
// through one ledger share the API's limit: no window of the pace holds more than 10 of their calls where
// the pace counts them, when they went out.
func TestPacingLedgerShared(t *testing.T) {
	t.Parallel()
	data := simulator.Generate(43, 40)
	l := newLedgerEnv(t, data)
	first, second := l.client(t), l.client(t)
	var wg sync.WaitGroup
	wg.Go(func() { readDetails(t, first, data[:20], 8) })
	wg.Go(func() { readDetails(t, second, data[20:], 1) })
	wg.Wait()
	l.checkSends(t, len(data))
}

// TestPacingLedgerNext: a client that starts just after another has sent 10 calls without waiting (a plan,
// then an apply) waits until they leave the window: no window of the pace holds 11 of their calls.
func TestPacingLedgerNext(t *testing.T) {
	t.Parallel()
	data := simulator.Generate(45, 20)
	l := newLedgerEnv(t, data)
	readDetails(t, l.client(t), data[:10], 1)
	readDetails(t, l.client(t), data[10:], 1)
	l.checkSends(t, len(data))
}

// TestPacingPastDeadline: a call that the pace would hold past the context's deadline ends with
// context.DeadlineExceeded at the deadline, without being sent or retried.
func TestPacingPastDeadline(t *testing.T) {
	t.Parallel()
	data := simulator.Generate(42, 2)
	synctest.Test(t, func(t *testing.T) {
		cfg := fastConfig()
		cfg.RequestsPerSecond = 0.5
		e, _ := newBubbleEnv(t, simulator.Options{Incidents: data}, cfg)
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
		if d := time.Since(start); d != 200*time.Millisecond {
			t.Errorf("returned after %v, want at the deadline", d)
		}
		if st := e.sim.Stats(); st.GetCalls != 1 {
			t.Errorf("stats %+v: the second call was sent", st)
		}
	})
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
	synctest.Test(t, func(t *testing.T) {
		log := &logRecorder{}
		cfg := fastConfig()
		cfg.PaceDir, cfg.RequestsPerSecond, cfg.Logger = filepath.Join(file, "pace"), 10, log
		e, sends := newBubbleEnv(t, simulator.Options{Incidents: data}, cfg)
		start := time.Now()
		for _, inc := range data {
			if _, err := e.client.GetIncident(testContext(t, 10*time.Second), inc.UUID); err != nil {
				t.Fatal(err)
			}
		}
		at := sends.times("/v2/incidents/")
		if len(at) != 3 {
			t.Fatalf("%d sends, want 3", len(at))
		}
		if waited := at[0].Sub(start); waited < esetapi.PaceWindow {
			t.Errorf("the first call went after %v, want after a window", waited)
		}
		if n := strings.Count(log.String(), "the pace ledger cannot be used"); n != 1 {
			t.Errorf("%d warnings, want one:\n%s", n, log.String())
		}
	})
}

// TestRateLimitNotHit: a listing paced at the documented 10 calls/s, its pages answered at once, never
// sends more than 10 calls in a window of the pace, and never meets the simulator's sliding one-second
// window of 10 calls: in a synctest bubble, where a call arrives when it is sent, both are deterministic.
func TestRateLimitNotHit(t *testing.T) {
	t.Parallel()
	data := simulator.Generate(22, 11500)
	synctest.Test(t, func(t *testing.T) {
		cfg := fastConfig()
		cfg.RequestsPerSecond = 10
		e, sends := newBubbleEnv(t, simulator.Options{Incidents: data, Faults: simulator.Faults{RateLimit: 10}}, cfg)
		got, _, err := listAll(testContext(t, 20*time.Second), e.client, esetapi.IncidentListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		assertIncidents(t, got, listView(data))
		if st := e.sim.Stats(); st.Status[429] != 0 || st.ListCalls != 12 {
			t.Errorf("stats %+v: want 12 calls and no 429", st)
		}
		checkPace(t, sends.times("/v2/incidents"), 10, 12)
	})
}
