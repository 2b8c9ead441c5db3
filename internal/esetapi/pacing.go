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
// counted when each call is let go. A rate.Limiter keeps the average and hands out turns in the order
// callers asked, reserved in advance, so that a late wake-up costs the next caller nothing; then the callers
// pass one at a time, in the same order, through a window of actual send times, which holds a call back
// while limit others went within the window. The window counts the sends of every process of this machine
// calling as the same user when the pacer has a ledger (paceLedger).
//
// Calls of the last window that the pacer cannot know (no ledger, or one that cannot be read) are taken to
// have used the whole window just before: the first call then waits one window. Even spacing no longer
// covers them, since a process with a ledger may have sent its ten at once.
type pacer struct {
	limiter *rate.Limiter
	limit   int
	window  time.Duration
	// gate lets one caller at a time into the window, in the order they came (a channel's waiters are
	// served in order), and lets a waiter whose context ends leave.
	gate chan struct{}

	// mu guards what follows: send (the caller through the gate) and wrote (any call's transport) use it.
	mu   sync.Mutex
	sent []time.Time // the last limit send times, oldest first
	// known is whether sent holds the last window's calls: not before the first send, which without the
	// ledger's times takes the window as full.
	known bool
	// unknownUntil ends the window taken as full: no call goes before it.
	unknownUntil time.Time
	// last is this process's latest call: when it was let go (its identity for wrote and answered), when
	// it went out, and whether its answer began. Until it did, the next call keeps one spacing from it.
	last struct {
		at, went time.Time
		answered bool
	}
	ledger *paceLedger // nil: this process's sends only
	// ledgerErr is why the ledger cannot be used, reported once to ledgerFailed with a caller's context.
	ledgerErr    error
	ledgerFailed func(context.Context, error)
}

// newPacer paces at perSecond calls a second on average: a whole number of calls per second (the API
// allows 10) becomes that many calls in any window of one second and the margin; a rate under one call a
// second, one call per 1/perSecond seconds and the margin. ledger may be nil, with ledgerErr saying why
// when there should have been one.
func newPacer(perSecond float64, ledger *paceLedger, ledgerErr error, ledgerFailed func(context.Context, error)) *pacer {
	limit := max(1, int(perSecond))
	window := time.Duration(float64(limit)/perSecond*float64(time.Second)) + paceMargin
	return &pacer{
		limiter: rate.NewLimiter(rate.Every(window/time.Duration(limit)), limit),
		limit:   limit, window: window, gate: make(chan struct{}, 1),
		ledger: ledger, ledgerErr: ledgerErr, ledgerFailed: ledgerFailed,
	}
}

// wait returns when the caller's call may go, counted as sent at that moment (the time it returns, for
// wrote), or with ctx's error when ctx ends first; a waiter that leaves the limiter's queue gives its turn
// back only when no one asked after it. A deadline that falls before the call's turn, which the limiter
// refuses at once without reserving it, is waited out, so that the caller sees context.DeadlineExceeded
// and its retries do not spin.
func (p *pacer) wait(ctx context.Context) (time.Time, error) {
	if err := p.limiter.Wait(ctx); err != nil {
		<-ctx.Done()
		return time.Time{}, ctx.Err()
	}
	select {
	case p.gate <- struct{}{}:
	case <-ctx.Done():
		return time.Time{}, ctx.Err()
	}
	defer func() { <-p.gate }()
	for {
		due, ok := p.send(ctx)
		if ok {
			return due, nil
		}
		if err := sleep(ctx, time.Until(due)); err != nil {
			return time.Time{}, err
		}
	}
}

// wrote moves the send counted at `at` to now, when the call's request went out. The API counts a call
// when it arrives: a call let go at once may still wait for a connection, or for the scheduler on a busy
// machine, and ten let go together (a first window, a burst of detail calls) reach the API spread out. The
// window then runs from when each went, so that the eleventh call cannot arrive within a second of one of
// them, whatever the margin.
func (p *pacer) wrote(at time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if p.last.at.Equal(at) {
		p.last.went = now
	}
	move := func(sent []time.Time) bool {
		for i, t := range sent {
			if t.UnixNano() == at.UnixNano() {
				sent[i] = now
				slices.SortFunc(sent, time.Time.Compare)
				return true
			}
		}
		return false
	}
	move(p.sent)
	if p.ledger == nil {
		return
	}
	err := p.ledger.update(context.Background(), max(p.limit, ledgerKeep), func(shared []time.Time, known bool) []time.Time {
		if known && move(shared) {
			return shared
		}
		return nil
	})
	if err != nil {
		p.ledger, p.ledgerErr = nil, err // reported by the next send, with its caller's context
	}
}

// send counts a call as sent now and reports true when fewer than limit calls went within the last
// window; otherwise it reports when the next call may go. Only the caller through the gate calls it.
func (p *pacer) send(ctx context.Context) (due time.Time, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ledger == nil {
		p.reportLedgerErr(ctx)
		return p.sendNow()
	}
	counted := false
	err := p.ledger.update(ctx, max(p.limit, ledgerKeep), func(shared []time.Time, known bool) []time.Time {
		counted = true
		if !known {
			// What this process last knew or, the first time, a full window; stored, so that the next
			// process reads a full window too, not an empty one.
			due, ok = p.sendNow()
			return p.sent
		}
		shared, clamped := clampToNow(shared)
		p.sent, p.known = slices.Clone(shared[max(0, len(shared)-p.limit):]), true
		if due, ok = p.sendNow(); ok {
			return append(shared, due) // every process's times, for those with a higher limit
		}
		if clamped {
			return shared
		}
		return nil
	})
	if err != nil {
		// A lock held for seconds or a directory gone bad would slow every call down: the pacer goes on by
		// what it last knew, alone.
		p.ledger, p.ledgerErr = nil, err
		p.reportLedgerErr(ctx)
		if !counted {
			return p.sendNow()
		}
	}
	return due, ok
}

// sendNow is send on p.sent.
func (p *pacer) sendNow() (time.Time, bool) {
	now := time.Now()
	if !p.known {
		p.unknownUntil, p.known = now.Add(p.window), true
	}
	if now.Before(p.unknownUntil) {
		return p.unknownUntil, false
	}
	if !p.last.answered {
		if due := p.last.went.Add(p.window / time.Duration(p.limit)); due.After(now) {
			return due, false
		}
	}
	if len(p.sent) == p.limit {
		if due := p.sent[0].Add(p.window); due.After(now) {
			return due, false
		}
		p.sent = p.sent[1:]
	}
	p.sent = append(p.sent, now)
	p.last.at, p.last.went, p.last.answered = now, now, false
	return now, true
}

// answered notes that the answer to the call let go at `at` began. Calls go at once, up to the limit in
// the window, only one after another's answer: calls let go together would reach the API together, and
// the last of them be counted late, on a busy gateway, by more than the margin covers.
func (p *pacer) answered(at time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.last.at.Equal(at) {
		p.last.answered = true
	}
}

// clampToNow returns the ledger's send times, oldest first, and whether any was after now. Such a time is
// a clock set back since it was written: it counts as now, and is stored so, so that it holds calls for one
// window, not for as long as the clock went back.
func clampToNow(shared []time.Time) ([]time.Time, bool) {
	now, clamped := time.Now(), false
	for i, t := range shared {
		if t.After(now) {
			shared[i], clamped = now, true
		}
	}
	slices.SortFunc(shared, time.Time.Compare)
	return shared, clamped
}

// reportLedgerErr hands ledgerFailed why the ledger cannot be used, the first time only.
func (p *pacer) reportLedgerErr(ctx context.Context) {
	if p.ledgerErr != nil && p.ledgerFailed != nil {
		p.ledgerFailed(ctx, p.ledgerErr)
		p.ledgerFailed = nil
	}
}
