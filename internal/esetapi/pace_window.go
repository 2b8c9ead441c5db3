package esetapi

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// paceMargin lengthens the one-second window the pacer counts sends in. The pacer counts a call when it
// lets it go; the API counts it when it arrives. Two calls ten apart may take different times to get
// there (scheduling, a new connection, the network), and the margin absorbs up to 15 ms of difference, at
// a cost of 1.5% of the rate: 10 calls per 1.015 s is 9.85 calls/s, above the 9.8 the project aims for.
const paceMargin = 15 * time.Millisecond

// settleSlack is how late after being let go a call may go out and still count from when it was let go.
const settleSlack = time.Millisecond

// pacer is the pace (pace.go) of a window of send times: it lets calls go by the API's own definition of
// its limit, at most limit calls in any window. A rate.Limiter keeps the average and hands out turns in the
// order callers asked, reserved in advance, so that a late wake-up costs the next caller nothing; then the
// callers pass one at a time, in the same order, through a window of send times, which holds a call back
// while limit others went within the window. The window counts the sends of every process of this machine
// calling as the same user when the pacer has a ledger (paceLedger); without one, this process's only.
//
// A call counts from when its request went out, not from when the pacer let it go: it may wait for a
// connection (a TLS handshake, the first time) or for the scheduler on a busy machine, and the API counts
// it when it arrives. Until its caller settles it with the time its headers were written, it counts as
// going out now. A call goes at once only after the previous one's answer began (pages are read that way);
// calls in flight together go one spacing apart, so that the API does not receive them at once and count
// the last of them late.
//
// Calls of the last window that the pacer cannot know (no ledger, or one that cannot be read) are taken to
// have used the whole window just before: the first call then waits one window.
type pacer struct {
	limiter *rate.Limiter
	limit   int
	window  time.Duration
	spacing time.Duration
	// gate lets one caller at a time into the window, in the order they came (a channel's waiters are
	// served in order), and lets a waiter whose context ends leave.
	gate chan struct{}
	// answeredAt is the let-go time (UnixNano) of the latest call whose answer began, set from the
	// transport without a lock.
	answeredAt atomic.Int64

	// mu guards what follows, for the caller through the gate and for callers settling their calls.
	mu   sync.Mutex
	sent []time.Time // the last limit send times, oldest first
	// unsettled holds the calls not settled yet, by let-go time (UnixNano), with the ticket that notes
	// when each went out (nil until the caller has it): they count from then, or as going out now. Its own
	// lock, taken after mu where both are, lets a call hand its ticket over without waiting for a file.
	ticketsMu sync.Mutex
	unsettled map[int64]*paceTicket
	// known is whether sent holds the last window's calls: not before the first send, which without the
	// ledger's times takes the window as full, until unknownUntil.
	known        bool
	unknownUntil time.Time
	// lastAt is when this process's latest call was let go (its identity for answered); until its answer
	// began, the next call waits for spacedUntil, one spacing after the previous call's turn. The turn, not
	// the time it went: a wake-up a little late must not delay every call after it.
	lastAt, spacedUntil time.Time
	// ledger is nil when the pacer counts this process's sends only; ledgerKeep is how many times it keeps.
	ledger     sharedSends
	ledgerKeep int
	// lost is the ledger given up, tried again from retryAt on; rejoining, while that is being tried.
	lost      sharedSends
	retryAt   time.Time
	rejoining bool
	// unshared are the let-go times of this process's calls that the ledger does not hold (let go while it
	// was given up, or when storing them failed), the newest ledgerKeep: they join it when it is taken up
	// again. Calls are known by their let-go times, which the ledger keeps distinct across processes: two
	// processes may let calls go at the same instant.
	unshared []time.Time
	// watch follows the ledger while the call through the gate is held back by it (see stalled).
	watch ledgerWatch
	// ledgerErr is why the ledger cannot be used, reported to ledgerFailed with a caller's context once.
	ledgerErr    error
	ledgerFailed func(context.Context, error)
}

const (
	// ledgerWatchReads is how many times a window a call held back through the ledger reads it, to see
	// whether its times stay.
	ledgerWatchReads = 4
	// ledgerRetry is how long after giving the ledger up the pacer tries it again: long against the lock
	// wait that failed, short against a plan's reads.
	ledgerRetry = 10 * time.Second
)

// newPacer paces at perSecond calls a second on average: a whole number of calls per second (the API
// allows 10) becomes that many calls in any window of one second and the margin; a fraction above one, its
// whole part per window (9 for 9.5, the limiter keeping the average); a rate under one call a second, one
// call per 1/perSecond seconds and the margin. ledger may be nil, with ledgerErr saying why when there
// should have been one.
func newPacer(perSecond float64, ledger sharedSends, ledgerErr error, ledgerFailed func(context.Context, error)) *pacer {
	limit := max(1, int(perSecond))
	window := max(time.Second, time.Duration(float64(limit)/perSecond*float64(time.Second))) + paceMargin
	return &pacer{
		limiter: rate.NewLimiter(rate.Limit(min(perSecond, float64(limit)/window.Seconds())), limit),
		limit:   limit, window: window, spacing: window / time.Duration(limit),
		gate: make(chan struct{}, 1), unsettled: map[int64]*paceTicket{},
		ledger: ledger, ledgerKeep: max(limit, ledgerKeep), ledgerErr: ledgerErr, ledgerFailed: ledgerFailed,
	}
}

// wait returns when the caller's call may go, with the time it was let go (for settle and answered), or
// with ctx's error when ctx ends first; a waiter that leaves the limiter's queue gives its turn back only
// when no one asked after it. A deadline that falls before the call's turn, which the limiter refuses at
// once without reserving it, is waited out, so that the caller sees context.DeadlineExceeded and its
// retries do not spin. A call let go must be settled.
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
	p.mu.Lock()
	p.watch = ledgerWatch{}
	p.mu.Unlock()
	for {
		due, ok := p.admit(ctx)
		if ok {
			return due, nil
		}
		if err := sleep(ctx, time.Until(due)); err != nil {
			return time.Time{}, err
		}
	}
}

// settle ends the call let go at `at`: it went out at went, or never (zero), and then counts from when it
// was let go.
func (p *pacer) settle(at, went time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ticketsMu.Lock()
	delete(p.unsettled, at.UnixNano())
	p.ticketsMu.Unlock()
	if p.ledger != nil {
		// The call is no longer in flight for the other processes: it counts from when it went, or was let go.
		from := at
		if went.Sub(at) >= settleSlack {
			from = went
		}
		err := p.ledger.update(p.ledgerKeep, true, func(shared []ledgerTime, known bool, _ int) []ledgerTime {
			for i, t := range shared {
				if known && t.at.UnixNano() == at.UnixNano() {
					shared[i] = ledgerTime{at: from}
					slices.SortFunc(shared, ledgerTime.compare)
					return shared
				}
			}
			return nil
		})
		if err != nil {
			p.giveUpLedger(err)
		}
	}
	// Within a millisecond the let-go time stands (the margin covers it).
	if went.Sub(at) < settleSlack {
		return
	}
	move := func(sent []time.Time) bool {
		for i, t := range sent {
			if t.UnixNano() == at.UnixNano() {
				sent[i] = went
				slices.SortFunc(sent, time.Time.Compare)
				return true
			}
		}
		return false
	}
	move(p.sent)
	move(p.unshared)
}

// track hands the pacer the ticket of the call let go at `at`, which notes when it goes out.
func (p *pacer) track(at time.Time, t *paceTicket) {
	p.ticketsMu.Lock()
	defer p.ticketsMu.Unlock()
	if _, ok := p.unsettled[at.UnixNano()]; ok {
		p.unsettled[at.UnixNano()] = t
	}
}

// counted is the window as the API will count it, oldest first: a call not settled counts from when its
// headers were written, or as going out now before they were.
func (p *pacer) counted(now time.Time) []time.Time {
	p.ticketsMu.Lock()
	defer p.ticketsMu.Unlock()
	window := make([]time.Time, 0, len(p.sent))
	for _, t := range p.sent {
		if ticket, ok := p.unsettled[t.UnixNano()]; ok {
			if went := ticket.wentAfter(t); !went.IsZero() {
				t = went
			} else {
				t = now
			}
		}
		window = append(window, t)
	}
	slices.SortFunc(window, time.Time.Compare)
	return window
}

// trim keeps of p.sent the calls not settled and the last limit others: a call not settled must not leave
// the window however many went after it.
func (p *pacer) trim() {
	p.ticketsMu.Lock()
	defer p.ticketsMu.Unlock()
	var kept []time.Time
	settled := 0
	for _, t := range slices.Backward(p.sent) {
		if _, ok := p.unsettled[t.UnixNano()]; !ok {
			if settled == p.limit {
				continue
			}
			settled++
		}
		kept = append(kept, t)
	}
	slices.Reverse(kept)
	p.sent = kept
}

// answered notes that the answer to the call let go at `at` began.
func (p *pacer) answered(at time.Time) {
	p.answeredAt.Store(at.UnixNano())
}

// admit counts a call as sent now and reports true when the window has room for it; otherwise it reports
// when the next call may go. Only the caller through the gate calls it.
func (p *pacer) admit(ctx context.Context) (due time.Time, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if p.lost != nil && !now.Before(p.retryAt) {
		p.ledger, p.lost, p.rejoining = p.lost, nil, true
	}
	if p.ledger != nil {
		err := p.ledger.update(p.ledgerKeep, !p.rejoining, func(shared []ledgerTime, known bool, alone int) []ledgerTime {
			var store []ledgerTime
			due, ok, store = p.admitShared(shared, known, alone)
			return store
		})
		switch {
		case err != nil && p.rejoining:
			p.ledger, p.lost, p.rejoining, p.retryAt = nil, p.ledger, false, now.Add(ledgerRetry)
		case err != nil:
			p.giveUpLedger(fmt.Errorf("%w; pacing at half the rate without it, and trying it again in %v", err, ledgerRetry))
		case p.rejoining:
			p.rejoining, p.unshared = false, nil
			p.ledger.rejoin()
			return due, ok
		case !ok && !p.watch.since.IsZero() && now.Sub(p.watch.since) >= ledgerStallWindows*p.window:
			p.giveUpLedger(fmt.Errorf("its send times held a call back for %v, rewritten rather than added to (a file written by something else); pacing at half the rate without it, and trying it again in %v",
				now.Sub(p.watch.since).Round(time.Millisecond), ledgerRetry))
		default:
			p.unshared = nil // stored with this update
			if !ok && !p.watch.since.IsZero() {
				// Read again while the times read are still in the window, to see that they stay.
				if next := now.Add(p.window / ledgerWatchReads); next.Before(due) {
					due = next
				}
			}
			return due, ok
		}
		if ok {
			p.unshared = append(p.unshared, due) // counted, only not stored
			return due, ok
		}
	}
	p.reportLedgerErr(ctx)
	limit := p.limit
	if p.lost != nil {
		// Those who kept the ledger count this process as one sharer of the limit more, from its marker; if
		// it cannot be written, half the limit still keeps this process and a sibling within it.
		others, renewed, err := p.lost.paceAlone(now)
		if renewed {
			p.known = false // the others did not count this process: they may have used the window
		}
		if err != nil {
			others = 0
		}
		limit = p.limit / (2 + others)
	}
	due, ok = p.admitInWindow(max(1, limit), time.Time{})
	if ok && p.lost != nil {
		p.unshared = append(p.unshared, due)
		p.unshared = p.unshared[max(0, len(p.unshared)-p.ledgerKeep):]
	}
	return due, ok
}

// admitShared is admit on the ledger's times, of which known says whether they are the window's, while alone
// other processes pace without the ledger: it returns what to store, or nil.
func (p *pacer) admitShared(shared []ledgerTime, known bool, alone int) (due time.Time, ok bool, store []ledgerTime) {
	limit := max(1, p.limit/(1+alone))
	if !known {
		// What this process last knew or, the first time, a full window; stored, so that the next
		// process reads a full window too, not an empty one.
		due, ok = p.admitInWindow(limit, time.Time{})
		return due, ok, p.entries(p.sent)
	}
	// The calls this process made without the ledger, which the others did not see.
	changed := len(p.unshared) > 0
	for _, t := range p.entries(p.unshared) {
		for slices.ContainsFunc(shared, func(s ledgerTime) bool { return s.at.Equal(t.at) }) {
			t.at = t.at.Add(time.Nanosecond) // another process's call let go at the same instant
		}
		shared = append(shared, t)
	}
	now := time.Now()
	shared, clamped := clampToNow(shared, now)
	p.sent, p.known = p.countable(shared, now), true
	// After every time of the ledger: calls are known by their let-go times.
	var latest time.Time
	if len(shared) > 0 {
		latest = shared[len(shared)-1].at
	}
	if due, ok = p.admitInWindow(limit, latest); ok {
		p.watch = ledgerWatch{}
		return due, ok, append(shared, ledgerTime{at: due, inFlight: true}) // every process's times, for those with a higher limit
	}
	p.watchLedger(shared, now)
	if clamped || changed {
		return due, ok, shared
	}
	return due, ok, nil
}

// ledgerWatch follows the ledger's times while they hold a call back. The processes that keep the ledger
// only add to it: a time stays until it has left the window (the ledger keeps more than a window's), and
// a call in flight is settled at or after its let-go time. Times that vanish otherwise (a file rewritten
// with ten "now"s before every read, say) are no other process's sends; held back by such times since
// `since`, for ledgerStallWindows windows, the pacer gives the ledger up.
type ledgerWatch struct {
	since time.Time    // zero: not held back yet
	last  []ledgerTime // the times of the previous read
}

// watchLedger notes the ledger's times read while a call is held back, with p.mu held: a read that kept
// every time of the previous one still in the window (or settled it) is progress, and restarts the count.
func (p *pacer) watchLedger(shared []ledgerTime, now time.Time) {
	if p.watch.since.IsZero() || kept(p.watch.last, shared, now.Add(-p.window)) {
		p.watch.since = now
	}
	p.watch.last = slices.Clone(shared)
}

// kept reports whether every time of prev after from is in cur, or, for a call in flight, settled in cur at
// or after its let-go time (within inFlightBound).
func kept(prev, cur []ledgerTime, from time.Time) bool {
	for _, t := range prev {
		if !t.at.After(from) {
			continue
		}
		found := slices.ContainsFunc(cur, func(c ledgerTime) bool {
			if t.inFlight && !c.inFlight {
				return !c.at.Before(t.at) && !c.at.After(t.at.Add(inFlightBound))
			}
			return c.at.Equal(t.at)
		})
		if !found {
			return false
		}
	}
	return true
}

// countable returns the ledger's times as this process counts them: its own calls by their let-go times,
// which counted maps to when they went, and another process's call in flight as going out now, up to
// inFlightBound after it was let go: that process counts it from when it went, which the file does not say.
func (p *pacer) countable(shared []ledgerTime, now time.Time) []time.Time {
	p.ticketsMu.Lock()
	defer p.ticketsMu.Unlock()
	sent := make([]time.Time, 0, len(shared))
	for _, t := range shared {
		at := t.at
		if _, own := p.unsettled[at.UnixNano()]; t.inFlight && !own {
			at = now
			if bound := t.at.Add(inFlightBound); bound.Before(now) {
				at = bound
			}
		}
		sent = append(sent, at)
	}
	slices.SortFunc(sent, time.Time.Compare)
	return sent
}

// entries returns times of this process's for the ledger, its calls not settled marked in flight.
func (p *pacer) entries(times []time.Time) []ledgerTime {
	if times == nil {
		return nil
	}
	p.ticketsMu.Lock()
	defer p.ticketsMu.Unlock()
	entries := make([]ledgerTime, 0, len(times))
	for _, t := range times {
		_, inFlight := p.unsettled[t.UnixNano()]
		entries = append(entries, ledgerTime{t, inFlight})
	}
	return entries
}

// admitInWindow is admit on p.sent, with at most limit calls in the window, letting a call go after `after`.
func (p *pacer) admitInWindow(limit int, after time.Time) (time.Time, bool) {
	now := time.Now()
	if !p.known {
		p.unknownUntil, p.known = now.Add(p.window), true
	}
	if now.Before(p.unknownUntil) {
		return p.unknownUntil, false
	}
	if p.answeredAt.Load() != p.lastAt.UnixNano() && p.spacedUntil.After(now) {
		return p.spacedUntil, false
	}
	window := p.counted(now)
	if len(window) >= limit {
		if due := window[len(window)-limit].Add(p.window); due.After(now) {
			return due, false
		}
	}
	// A call is known by its let-go time, here and in the ledger: two let go within one tick of the clock
	// (or of a synctest bubble's) get distinct ones, a nanosecond apart.
	if last := later(p.lastAt, after); !now.After(last) {
		now = last.Add(time.Nanosecond)
	}
	p.sent = append(p.sent, now)
	p.ticketsMu.Lock()
	p.unsettled[now.UnixNano()] = nil
	p.ticketsMu.Unlock()
	p.trim()
	turn := p.spacedUntil
	if now.Sub(turn) >= p.spacing {
		turn = now // not a turn kept late: one taken after a pause, or past an answer
	}
	p.lastAt, p.spacedUntil = now, turn.Add(p.spacing)
	return now, true
}

// giveUpLedger leaves the pacer counting its own calls for ledgerRetry, with p.mu held: a lock held for
// seconds, a directory gone bad or times that hold every call back would slow every call. Other processes
// no longer see this one's calls, nor it theirs: it takes the window as full once more, and paces at its
// share of the limit (see admit).
func (p *pacer) giveUpLedger(err error) {
	p.ledger, p.lost, p.retryAt, p.ledgerErr = nil, p.ledger, time.Now().Add(ledgerRetry), err
	p.known, p.watch = false, ledgerWatch{}
}

// clampToNow returns the ledger's send times, oldest first, and whether any was after now and settleSlack.
// Such a time is a clock set back since it was written: it counts as now, and is stored so, so that it
// holds calls for one window, not for as long as the clock went back. Times a little after now are let-go
// times made distinct (see admitInWindow), which must stay distinct and in order.
func clampToNow(shared []ledgerTime, now time.Time) ([]ledgerTime, bool) {
	clamped := false
	for i, t := range shared {
		if t.at.After(now.Add(settleSlack)) {
			shared[i].at, clamped = now, true
		}
	}
	slices.SortFunc(shared, ledgerTime.compare)
	return shared, clamped
}

func (t ledgerTime) compare(u ledgerTime) int { return t.at.Compare(u.at) }

// reportLedgerErr hands ledgerFailed why the ledger cannot be used, once for each time it was given up.
func (p *pacer) reportLedgerErr(ctx context.Context) {
	if p.ledgerErr != nil && p.ledgerFailed != nil {
		p.ledgerFailed(ctx, p.ledgerErr)
		p.ledgerErr = nil
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
