package esetapi

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// The pacer's tests run in synctest bubbles: time moves only when every goroutine waits, so the send times
// they check are exact and no test depends on how loaded the machine is. They let calls go through the
// interface the client uses (letGo, and sendAll in pace_ledger_test.go), and name a ledger's directory
// (t.TempDir()) rather than find one through the environment.

// sends records the times calls were let go.
type sends struct {
	mu sync.Mutex
	at []time.Time
}

func (s *sends) add(at time.Time) {
	s.mu.Lock()
	s.at = append(s.at, at)
	s.mu.Unlock()
}

// checkWindows fails when more than limit sends fall into any window of the API's one second, or, what
// the pacer promises, of one second and the margin.
func checkWindows(t *testing.T, at []time.Time, limit int) {
	t.Helper()
	slices.SortFunc(at, time.Time.Compare)
	for i := limit; i < len(at); i++ {
		if gap := at[i].Sub(at[i-limit]); gap < time.Second+paceMargin {
			t.Fatalf("sends %d to %d, %d of them, within %v", i-limit, i, limit+1, gap)
		}
	}
}

// letGo waits for a call's turn and settles the call at once, as one whose request goes out the moment it
// is let go.
func letGo(ctx context.Context, p pace) (time.Time, error) {
	at, err := p.wait(ctx)
	if err == nil {
		p.settle(at, at)
	}
	return at, err
}

// knownPacer is newPacer for a process that knows no call went within the last window, as its ledger
// would tell it.
func knownPacer(perSecond float64) *pacer {
	p := newPacer(perSecond, nil, nil, nil)
	p.known = true
	return p
}

// TestPacerWindow: callers that send in a tight loop, and callers that send after random pauses, their
// answers never told, never put more than 10 sends into one window, and a long run goes one spacing apart,
// at 10 calls per 1.015 s, over 9.8 calls/s.
func TestPacerWindow(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		callers int
		pause   time.Duration // the most a caller pauses between its calls, drawn at random
	}{
		{"saturated", 20, 0},
		{"random pauses", 12, 900 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				const total = 1000
				p := knownPacer(10)
				var s sends
				start := time.Now()
				var wg sync.WaitGroup
				for c := range tc.callers {
					r := rand.New(rand.NewPCG(uint64(c), 1))
					wg.Go(func() {
						for range total / tc.callers {
							if tc.pause > 0 {
								time.Sleep(time.Duration(r.Int64N(int64(tc.pause))))
							}
							if _, err := letGo(context.Background(), p); err != nil {
								t.Error(err)
								return
							}
							s.add(time.Now())
						}
					})
				}
				wg.Wait()
				if len(s.at) != total-total%tc.callers {
					t.Fatalf("%d sends", len(s.at))
				}
				checkWindows(t, s.at, 10)
				if tc.pause == 0 {
					// One every spacing: the last of 1,000 goes 999 spacings after the first, at the start.
					elapsed := s.at[len(s.at)-1].Sub(start)
					if want := 999 * p.window / time.Duration(p.limit); elapsed != want {
						t.Errorf("1,000 sends took %v, want %v", elapsed, want)
					}
					if rate := float64(len(s.at)-1) / elapsed.Seconds(); rate < 9.8 {
						t.Errorf("%.2f calls/s, want at least 9.8", rate)
					}
				}
			})
		})
	}
}

// TestPacerFractionalRate: at 9.5 calls/s, pages read one after another's answer, which go without
// waiting while the window has room, never put more than 9 into a window of one second.
func TestPacerFractionalRate(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		p := knownPacer(9.5)
		var at []time.Time
		for range 100 {
			sent, err := letGo(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			p.answered(sent)
			at = append(at, sent)
			time.Sleep(20 * time.Millisecond) // the answer
		}
		checkWindows(t, at, 9)
	})
}

// TestPacerLateWakeUp: calls that late wake-ups bunched (the first of ten left 50 ms late, the others on
// the limiter's schedule) never put 11 sends into one window: the eleventh, due on schedule, waits until
// the first has left the window. Before them, a pacer that cannot know the last window's calls holds the
// first call for a window.
func TestPacerLateWakeUp(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		p := newPacer(10, nil, nil, nil)
		if due, ok := p.admit(ctx); ok || !due.Equal(time.Now().Add(p.window)) {
			t.Fatalf("the first send: let go %v, due %v, want held for the window, %v", ok, time.Until(due), p.window)
		}
		time.Sleep(p.window)
		g := p.window / time.Duration(p.limit)
		start := time.Now()
		time.Sleep(g + 50*time.Millisecond)
		for i := range 10 {
			at, ok := p.admit(ctx)
			if !ok {
				t.Fatalf("send %d held back", i)
			}
			p.settle(at, at)
			p.answered(at)
			time.Sleep(time.Until(start.Add(time.Duration(i+2) * g)))
		}
		due, ok := p.admit(ctx)
		if want := start.Add(g + 50*time.Millisecond + p.window); ok || !due.Equal(want) {
			t.Errorf("the eleventh send: let go %v, due %v after the start, want held until %v", ok, due.Sub(start), want.Sub(start))
		}
	})
}

// TestPacerFairness: 50 data sources reading pages at once (a call, its answer in 200 ms, the next call)
// take their turns in the order they asked: none waits longer than the five windows 49 others ahead of it
// take, and all read at the same speed.
func TestPacerFairness(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		const sources, pages = 50, 20
		p := knownPacer(10)
		var s sends
		waits := make([]time.Duration, sources)
		done := make([]time.Time, sources)
		var wg sync.WaitGroup
		for i := range sources {
			wg.Go(func() {
				for range pages {
					asked := time.Now()
					at, err := letGo(context.Background(), p)
					if err != nil {
						t.Error(err)
						return
					}
					s.add(time.Now())
					waits[i] = max(waits[i], time.Since(asked))
					time.Sleep(200 * time.Millisecond)
					p.answered(at)
				}
				done[i] = time.Now()
			})
		}
		wg.Wait()
		checkWindows(t, s.at, 10)
		bound := 5 * (time.Second + paceMargin)
		for i, w := range waits {
			if w > bound {
				t.Errorf("source %d waited %v for one call, want at most %v", i, w, bound)
			}
		}
		first, last := slices.MinFunc(done, time.Time.Compare), slices.MaxFunc(done, time.Time.Compare)
		if spread := last.Sub(first); spread > bound {
			t.Errorf("the sources finished %v apart, want at most %v", spread, bound)
		}
	})
}

// TestPacerOrder: waiters get their turns in the order they arrived.
func TestPacerOrder(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		p := knownPacer(1)
		var mu sync.Mutex
		var order []int
		for i := range 10 {
			go func() {
				if _, err := letGo(context.Background(), p); err != nil {
					t.Error(err)
				}
				mu.Lock()
				order = append(order, i)
				mu.Unlock()
			}()
			synctest.Wait() // i is in the queue before i+1 arrives
		}
		time.Sleep(time.Minute)
		mu.Lock()
		defer mu.Unlock()
		if want := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}; !slices.Equal(order, want) {
			t.Errorf("turns in order %v, want %v", order, want)
		}
	})
}

// TestPacerCancel: a waiter whose context ends leaves at once without holding up those behind it, who
// keep their turns, or counting as a send; the turn of the last waiter to ask goes to the next to come. One
// whose deadline falls before its turn ends at the deadline with context.DeadlineExceeded.
func TestPacerCancel(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		p := knownPacer(2)
		ctx := context.Background()
		for range 2 {
			if _, err := letGo(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		// The two sends went at once and one spacing later; the waiters below start then.
		start := time.Now()
		g := p.window / time.Duration(p.limit)
		type result struct {
			err error
			at  time.Duration
		}
		results := make([]chan result, 7)
		cancels := make([]context.CancelFunc, 7)
		defer func() {
			for _, cancel := range cancels {
				cancel()
			}
		}()
		ask := func(i int) {
			results[i] = make(chan result, 1)
			wctx, cancel := context.WithCancel(ctx)
			if i == 4 {
				wctx, cancel = context.WithTimeout(ctx, 300*time.Millisecond)
			}
			cancels[i] = cancel
			go func() {
				_, err := letGo(wctx, p)
				results[i] <- result{err, time.Since(start)}
			}()
			synctest.Wait()
		}
		for i := range 5 {
			ask(i)
		}
		// 0, 1, 2 and 3 hold the next four turns; 4's deadline falls before the fifth.
		time.Sleep(100 * time.Millisecond)
		cancels[0]() // the first leaves
		cancels[2]() // a waiter in the middle leaves
		ask(5)       // the last to ask, at the fifth turn
		time.Sleep(100 * time.Millisecond)
		cancels[5]()
		synctest.Wait()
		ask(6) // takes 5's turn
		want := []result{
			{context.Canceled, 100 * time.Millisecond},
			{nil, g},
			{context.Canceled, 100 * time.Millisecond},
			{nil, 3 * g},
			{context.DeadlineExceeded, 300 * time.Millisecond},
			{context.Canceled, 200 * time.Millisecond},
			{nil, 4 * g},
		}
		time.Sleep(time.Minute)
		for i, w := range want {
			got := <-results[i]
			// The limiter computes turns in floating point, to the nanosecond.
			if !errors.Is(got.err, w.err) || got.at.Round(time.Microsecond) != w.at {
				t.Errorf("waiter %d: %v after %v, want %v after %v", i, got.err, got.at, w.err, w.at)
			}
		}
	})
}

// TestNewPacer: a whole number of calls a second is that many calls per second and margin; a fraction
// above one, its whole part (a window under a second would let a window's calls and the next window's into
// one second); a rate under one, one call per 1/rate seconds and margin.
func TestNewPacer(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		perSecond float64
		limit     int
		window    time.Duration
	}{
		{10, 10, time.Second + paceMargin},
		{1, 1, time.Second + paceMargin},
		{50, 50, time.Second + paceMargin},
		{12.5, 12, time.Second + paceMargin},
		{9.5, 9, time.Second + paceMargin},
		{0.5, 1, 2*time.Second + paceMargin},
		{0.1, 1, 10*time.Second + paceMargin},
	} {
		p := newPacer(tc.perSecond, nil, nil, nil)
		if p.limit != tc.limit || p.window != tc.window {
			t.Errorf("newPacer(%v): %d calls per %v, want %d per %v", tc.perSecond, p.limit, p.window, tc.limit, tc.window)
		}
	}
}

// TestPacerUnsettled: a call still in flight counts from when its headers were written, not as going out
// now, so that a slow answer does not hold the window; before they were written it counts as now, and it
// stays in the window however many calls go after it.
func TestPacerUnsettled(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		p := knownPacer(2)
		start := time.Now()
		slow, err := p.wait(ctx) // its answer takes seconds; its headers went at once
		if err != nil {
			t.Fatal(err)
		}
		p.track(slow, &paceTicket{pace: p, at: slow, went: slow})
		p.answered(slow)
		time.Sleep(500 * time.Millisecond)
		next, err := letGo(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		p.answered(next)
		if _, err := letGo(ctx, p); err != nil {
			t.Fatal(err)
		}
		if waited := time.Since(start); waited != p.window {
			t.Errorf("the third call went %v after the first, want when the first left the window, %v", waited, p.window)
		}

		stuck, err := p.wait(ctx) // let go, its headers not written yet
		if err != nil {
			t.Fatal(err)
		}
		p.track(stuck, &paceTicket{pace: p, at: stuck})
		p.answered(stuck)
		var at []time.Time
		for range 6 {
			sent, err := letGo(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			p.answered(sent)
			at = append(at, time.Now())
		}
		// The stuck call counts as now at each turn: with a limit of 2, one call a window goes beside it.
		for i := 1; i < len(at); i++ {
			if gap := at[i].Sub(at[i-1]); gap < p.window {
				t.Errorf("calls %d and %d beside the stuck one went %v apart, want a window", i-1, i, gap)
			}
		}
	})
}

// memSends is a store of send times in memory: what the pace ledger's files are to processes, for pacers
// in one test, with no files and no environment.
type memSends struct {
	mu   sync.Mutex
	sent []ledgerTime
}

func (m *memSends) update(keep int, _ bool, fn func(sent []ledgerTime, known bool, alone int) []ledgerTime) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if store := fn(slices.Clone(m.sent), true, 0); store != nil {
		m.sent = store[max(0, len(store)-keep):]
	}
	return nil
}

func (m *memSends) paceAlone(time.Time) (int, bool, error) { return 0, false, nil }
func (m *memSends) rejoin()                                {}

// TestPacerSharedSends: pacers that share a store of send times (sharedSends), as processes share the pace
// ledger, never put more than the limit into one window together, and the first one's calls go at once.
func TestPacerSharedSends(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		store := &memSends{}
		start := time.Now()
		pacers := []*pacer{newPacer(10, store, nil, nil), newPacer(10, store, nil, nil), newPacer(10, store, nil, nil)}
		all := sendAll(t, pacers[0], 10)
		if !atOnce(all[9], start) {
			t.Fatalf("the tenth call of an empty window went %v after the start, want at once", all[9].Sub(start))
		}
		all = append(all, sendAllSideBySide(t, 50, pacers...)...)
		checkWindows(t, all, 10)
		if len(all) != 160 {
			t.Fatalf("%d sends, want 160", len(all))
		}
	})
}
