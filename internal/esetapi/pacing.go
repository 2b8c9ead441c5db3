package esetapi

import (
	"context"
	"slices"
	"sync"
	"time"
)

// paceMargin lengthens the one-second window the pacer counts sends in. The pacer counts a call when it
// lets it go; the API counts it when it arrives. Two calls ten apart may take different times to get
// there (scheduling, a new connection, the network), and the margin absorbs up to 15 ms of difference, at
// a cost of 1.5% of the rate: 10 calls per 1.015 s is 9.85 calls/s, above the 9.8 the project aims for. A
// late wake-up of the pacer itself needs no margin: the window counts the times calls were let go, not the
// times they were due.
const paceMargin = 15 * time.Millisecond

// pacer lets calls go by the API's own definition of its limit: at most limit calls in any window, counted
// when each call is let go (a sliding window of send times), spaced evenly (window/limit apart, 101.5 ms at
// 10 calls/s). The spacing follows a schedule: a call that left late lets the next one leave on time, up to
// half a spacing sooner, so that late wake-ups on a loaded machine cost no rate; the window, on the actual
// send times, keeps that catching up within the limit. Waiters take their turns in the order they arrived,
// so that many data sources reading at once all progress; a waiter that gives up hands its turn on.
//
// Even spacing rather than bursts: calls that reach the API together are counted in whatever order and at
// whatever times it gets through them, which would eat the margin; and a new pacer knows nothing of the
// calls of the process before it (a plan, then an apply), whose last calls and its own first ones, spaced
// evenly, stay within the limit together. For the same reason a new pacer lets its first call go one
// spacing after it was made.
//
// golang.org/x/time/rate does not fit. A token bucket with a burst of limit can let 2*limit-1 calls go
// within one window (a full bucket at once, then the refill). With a burst of one, its guarantee is on the
// times calls were due, not on the times they left: a waiter that wakes late (a loaded machine, a GC pause)
// sends late, the next one still leaves on its own schedule, and the gap between them shrinks by the
// delay; limit+1 calls then fit into one window as soon as one delay exceeds the margin. The window on
// actual send times has no such blind spot.
type pacer struct {
	limit   int
	window  time.Duration
	spacing time.Duration

	mu    sync.Mutex
	sent  []time.Time     // the send times within the last window, oldest first
	next  time.Time       // when the next call may go by the even spacing
	queue []chan struct{} // the waiters in arrival order; the first holds the turn, its channel closed
}

// newPacer paces at perSecond calls a second on average: a whole number of calls per second (the API
// allows 10) becomes that many calls in any window of one second and the margin; a rate under one call a
// second, one call per 1/perSecond seconds and the margin.
func newPacer(perSecond float64) *pacer {
	limit := max(1, int(perSecond))
	window := time.Duration(float64(limit)/perSecond*float64(time.Second)) + paceMargin
	spacing := window / time.Duration(limit)
	return &pacer{limit: limit, window: window, spacing: spacing, next: time.Now().Add(spacing)}
}

// wait returns when the caller's call may go, counted as sent at that moment, or with ctx's error when ctx
// ends first (a deadline that falls before the call's turn is waited out, so that the caller sees
// context.DeadlineExceeded and its retries do not spin).
func (p *pacer) wait(ctx context.Context) error {
	turn := make(chan struct{})
	p.mu.Lock()
	p.queue = append(p.queue, turn)
	if len(p.queue) == 1 {
		close(turn)
	}
	p.mu.Unlock()
	defer p.leave(turn)

	select {
	case <-turn:
	case <-ctx.Done():
		return ctx.Err()
	}
	for {
		p.mu.Lock()
		now := time.Now()
		due := p.due(now)
		if !due.After(now) {
			p.sent = append(p.sent, now)
			p.next = later(p.next, now.Add(-p.spacing/2)).Add(p.spacing)
			p.mu.Unlock()
			return nil
		}
		p.mu.Unlock()
		if err := sleep(ctx, due.Sub(now)); err != nil {
			return err
		}
	}
}

// due forgets the sends that left the window and returns when the next call may go.
func (p *pacer) due(now time.Time) time.Time {
	cut := 0
	for cut < len(p.sent) && now.Sub(p.sent[cut]) >= p.window {
		cut++
	}
	p.sent = p.sent[cut:]
	if len(p.sent) >= p.limit {
		return later(p.next, p.sent[0].Add(p.window))
	}
	return p.next
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// leave takes turn out of the queue and, when it held the turn, hands the turn to the next waiter.
func (p *pacer) leave(turn chan struct{}) {
	p.mu.Lock()
	defer p.mu.Unlock()
	i := slices.Index(p.queue, turn)
	p.queue = slices.Delete(p.queue, i, i+1)
	if i == 0 && len(p.queue) > 0 {
		close(p.queue[0])
	}
}

// pace waits for the next call's turn.
func (c *Client) pace(ctx context.Context) error {
	return c.pacer.wait(ctx)
}
