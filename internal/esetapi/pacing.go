package esetapi

import (
	"context"
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

// pacer lets calls go by the API's own definition of its limit: at most limit calls in any window. A
// rate.Limiter keeps the average and hands out turns in the order callers asked, reserved in advance, so
// that a late wake-up costs the next caller nothing; then the callers pass one at a time, in the same order,
// through a window of send times, which holds a call back while limit others went within the window. The
// window counts the sends of every process of this machine calling as the same user when the pacer has a
// ledger (paceLedger).
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
	ledger     *paceLedger
	ledgerKeep int
	// ledgerErr is why the ledger cannot be used, reported once to ledgerFailed with a caller's context.
	ledgerErr    error
	ledgerFailed func(context.Context, error)
}

// newPacer paces at perSecond calls a second on average: a whole number of calls per second (the API
// allows 10) becomes that many calls in any window of one second and the margin; a fraction above one, its
// whole part per window (9 for 9.5, the limiter keeping the average); a rate under one call a second, one
// call per 1/perSecond seconds and the margin. ledger may be nil, with ledgerErr saying why when there
// should have been one.
func newPacer(perSecond float64, ledger *paceLedger, ledgerErr error, ledgerFailed func(context.Context, error)) *pacer {
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

// settle ends the call let go at `at`: it went out at went, or never (zero), and then counts from when it
// was let go.
func (p *pacer) settle(at, went time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ticketsMu.Lock()
	delete(p.unsettled, at.UnixNano())
	p.ticketsMu.Unlock()
	// Within a millisecond the let-go time stands (the margin covers it), and the file is not rewritten.
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
	if p.ledger != nil {
		err := p.ledger.update(p.ledgerKeep, func(shared []time.Time, known bool) []time.Time {
			if known && move(shared) {
				return shared
			}
			return nil
		})
		if err != nil {
			p.giveUpLedger(err)
		}
	}
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

// send counts a call as sent now and reports true when the window has room for it; otherwise it reports
// when the next call may go. Only the caller through the gate calls it.
func (p *pacer) send(ctx context.Context) (due time.Time, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ledger != nil {
		err := p.ledger.update(p.ledgerKeep, func(shared []time.Time, known bool) []time.Time {
			if !known {
				// What this process last knew or, the first time, a full window; stored, so that the next
				// process reads a full window too, not an empty one.
				due, ok = p.sendNow()
				return p.sent
			}
			shared, clamped := clampToNow(shared)
			p.sent, p.known = slices.Clone(shared), true
			if due, ok = p.sendNow(); ok {
				return append(shared, due) // every process's times, for those with a higher limit
			}
			if clamped {
				return shared
			}
			return nil
		})
		if err == nil {
			return due, ok
		}
		p.giveUpLedger(err)
		if ok {
			return due, ok // counted, only not stored
		}
	}
	p.reportLedgerErr(ctx)
	return p.sendNow()
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
	if p.answeredAt.Load() != p.lastAt.UnixNano() && p.spacedUntil.After(now) {
		return p.spacedUntil, false
	}
	window := p.counted(now)
	if len(window) >= p.limit {
		if due := window[len(window)-p.limit].Add(p.window); due.After(now) {
			return due, false
		}
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

// giveUpLedger leaves the pacer counting its own calls from now on, with p.mu held: a lock held for seconds
// or a directory gone bad would slow every call. Other processes no longer see this one's calls, nor it
// theirs: it takes the window as full once more.
func (p *pacer) giveUpLedger(err error) {
	p.ledger, p.ledgerErr = nil, err
	p.known = false
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
