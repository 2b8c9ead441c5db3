package esetapi

import (
	"context"
	"slices"
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
// counted when each call is let go. A rate.Limiter hands out turns in the order callers asked, reserved in
// advance, so that a late wake-up costs the next caller nothing, at limit calls per window on average and
// up to limit at once; but its promise is on the times calls were due, so a window of actual send times
// holds a call back while limit others went within the window.
//
// The window counts the sends of every process of this machine that calls with the same credentials when
// the pacer has a ledger (paceLedger). Without one, a process knows nothing of the calls of the process
// before it (a plan, then an apply), which may have used the whole window: its limiter starts empty, so
// that its first calls go one spacing apart, from one spacing after the pacer was made, and stay within
// the limit together with the other's.
type pacer struct {
	limiter *rate.Limiter
	limit   int
	window  time.Duration

	mu     sync.Mutex
	sent   []time.Time // the last limit send times, oldest first
	ledger *paceLedger // nil: this process's sends only
	// ledgerFailed hears why the ledger was given up, once.
	ledgerFailed func(error)
}

// newPacer paces at perSecond calls a second on average: a whole number of calls per second (the API
// allows 10) becomes that many calls in any window of one second and the margin; a rate under one call a
// second, one call per 1/perSecond seconds and the margin. A nil ledger, or one that cannot be read and
// written now, leaves the pacer counting its own sends only; the calls of the last window are then
// unknown, as they are when the ledger's file is not a list of send times.
func newPacer(perSecond float64, ledger *paceLedger, ledgerFailed func(error)) *pacer {
	limit := max(1, int(perSecond))
	window := time.Duration(float64(limit)/perSecond*float64(time.Second)) + paceMargin
	limiter := rate.NewLimiter(rate.Every(window/time.Duration(limit)), limit)
	p := &pacer{limiter: limiter, limit: limit, window: window, ledger: ledger, ledgerFailed: ledgerFailed}
	unknown := true // whether the calls of the last window are unknown
	if ledger != nil {
		err := ledger.update(func(sent []time.Time, err error) []time.Time {
			unknown = err != nil
			return sent
		})
		if err != nil {
			p.giveUpLedger(err)
		}
	}
	if unknown {
		limiter.AllowN(time.Now(), limit) // spend the full bucket: the first call waits one spacing
	}
	return p
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
func (p *pacer) send() (due time.Time, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ledger == nil {
		return p.sendNow()
	}
	err := p.ledger.update(func(shared []time.Time, err error) []time.Time {
		if err == nil {
			p.sent = p.recent(shared)
		} // else the ledger's history is lost: this process's own sends are the best left
		due, ok = p.sendNow()
		return p.sent
	})
	if err != nil {
		p.giveUpLedger(err)
		return p.sendNow()
	}
	return due, ok
}

// sendNow is send on p.sent, with p.mu held.
func (p *pacer) sendNow() (time.Time, bool) {
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

// recent returns the last limit of the ledger's send times, oldest first. A time after now is a clock set
// back since it was written: it counts as now, so that it holds calls for one window, not for as long as
// the clock went back.
func (p *pacer) recent(shared []time.Time) []time.Time {
	now := time.Now()
	sent := make([]time.Time, 0, len(shared))
	for _, t := range shared {
		sent = append(sent, minTime(t, now))
	}
	slices.SortFunc(sent, time.Time.Compare)
	return sent[max(0, len(sent)-p.limit):]
}

// giveUpLedger leaves the pacer counting its own sends from now on, with p.mu held (or before the pacer is
// shared).
func (p *pacer) giveUpLedger(err error) {
	p.ledger = nil
	if p.ledgerFailed != nil {
		p.ledgerFailed(err)
	}
}

func minTime(a, b time.Time) time.Time {
	if a.After(b) {
		return b
	}
	return a
}

// pace waits for the next call's turn.
func (c *Client) pace(ctx context.Context) error {
	return c.pacer.wait(ctx)
}
