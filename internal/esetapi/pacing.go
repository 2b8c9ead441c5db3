package esetapi

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// paceMargin lengthens the one-second window the pacer counts sends in. The pacer counts a call when it
// lets it go; the API counts it when it arrives. Two calls ten apart may take different times to get
// there (scheduling, a new connection, the network), and the margin absorbs up to 15 ms of difference, at
// a cost of 1.5% of the rate: 10 calls per 1.015 s is 9.85 calls/s, above the 9.8 the project aims for.
const paceMargin = 15 * time.Millisecond

// pacer lets calls go by the API's own definition of its limit: at most limit calls in any window,
// counted when each call is let go. A rate.Limiter with a burst of one spaces them evenly (101.5 ms at 10
// calls/s) and hands out turns in the order callers asked, reserved in advance, so that a late wake-up
// costs the next caller nothing; but its promise is on the times calls were due, so a window of actual send
// times holds a call back where late wake-ups bunched calls. Even spacing, from a first call one spacing
// after the pacer was made, also keeps its calls within the limit together with those of the process
// before it (a plan, then an apply), which it knows nothing of.
type pacer struct {
	limiter *rate.Limiter
	limit   int
	window  time.Duration

	mu   sync.Mutex
	sent []time.Time // the last limit send times, oldest first
}

// newPacer paces at perSecond calls a second on average: a whole number of calls per second (the API
// allows 10) becomes that many calls in any window of one second and the margin; a rate under one call a
// second, one call per 1/perSecond seconds and the margin.
func newPacer(perSecond float64) *pacer {
	limit := max(1, int(perSecond))
	window := time.Duration(float64(limit)/perSecond*float64(time.Second)) + paceMargin
	limiter := rate.NewLimiter(rate.Every(window/time.Duration(limit)), 1)
	limiter.Allow() // spend the full bucket: the first call waits one spacing
	return &pacer{limiter: limiter, limit: limit, window: window}
}

// wait returns when the caller's call may go, counted as sent at that moment, or with ctx's error when ctx
// ends first; a waiter that leaves gives its turn back only when no one asked after it. A deadline that
// falls before the call's turn, which the limiter refuses at once without reserving it, is waited out, so
// that the caller sees context.DeadlineExceeded and its retries do not spin.
func (p *pacer) wait(ctx context.Context) error {
	if err := p.limiter.Wait(ctx); err != nil {
		<-ctx.Done()
		return ctx.Err()
	}
	for {
		due, ok := p.send()
		if ok {
			return nil
		}
		if err := sleep(ctx, time.Until(due)); err != nil {
			return err
		}
	}
}

// send counts a call as sent now and reports true when fewer than limit calls went within the last
// window; otherwise it reports when the next call may go.
func (p *pacer) send() (time.Time, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if len(p.sent) == p.limit {
		if due := p.sent[0].Add(p.window); due.After(now) {
			return due, false
		}
		p.sent = p.sent[1:]
	}
	p.sent = append(p.sent, now)
	return now, true
}

// pace waits for the next call's turn.
func (c *Client) pace(ctx context.Context) error {
	return c.pacer.wait(ctx)
}
