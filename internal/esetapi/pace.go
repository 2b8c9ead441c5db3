package esetapi

import (
	"context"
	"time"
)

// pace is what the client asks of its pacing: a turn for each attempt of a call, and word of when the
// attempt went out and when its answer began, which pace_ticket.go brings from the transport. The window of
// send times (pacer, pace_window.go) is the pace: it counts this process's calls alone or, with the pace
// ledger (pace_ledger.go), those of every process of the machine that calls with the same credentials.
type pace interface {
	// wait returns when an attempt may go, with the time it was let go, which names it to the methods
	// below, or with ctx's error when ctx ends first. An attempt let go must be settled.
	wait(ctx context.Context) (time.Time, error)
	// track hands over the ticket that notes when the attempt let go at `at` goes out.
	track(at time.Time, t *paceTicket)
	// answered notes that the answer to the attempt let go at `at` began.
	answered(at time.Time)
	// settle ends the attempt let go at `at`: it went out at went, or never (zero).
	settle(at, went time.Time)
}

// sharedSends is where the window meets the calls of other processes of the machine that call with the same
// credentials: the pace ledger (paceLedger, files in Config.PaceDir) implements it. A pacer without one
// counts its own calls alone, taking the window before its first call as full (pace_window.go).
type sharedSends interface {
	// update passes fn the window's send times as stored, whether they are known, and how many other
	// processes pace without the store, and stores the times fn returns (paceLedger.update).
	update(keep int, patient bool, fn func(sent []ledgerTime, known bool, alone int) []ledgerTime) error
	// paceAlone marks this process as pacing without the store, and says how many others do.
	paceAlone(now time.Time) (others int, renewed bool, err error)
	// rejoin removes that mark.
	rejoin()
}

// newPace returns the pace of cfg.RequestsPerSecond, through the pace ledger in cfg.PaceDir, or alone when
// cfg names no directory (the provider's pace_ledger = false or ESET_PACE_LEDGER=0). ledgerFailed hears why
// the ledger cannot be used, once each time it is given up.
func newPace(cfg Config, ledgerFailed func(context.Context, error)) pace {
	if cfg.PaceDir == "" {
		return newPacer(cfg.RequestsPerSecond, nil, nil, ledgerFailed)
	}
	ledger, err := openPaceLedger(cfg.PaceDir, cfg.IAMEndpoint, cfg.Username)
	if err != nil {
		// A nil *paceLedger in the interface would not be nil.
		return newPacer(cfg.RequestsPerSecond, nil, err, ledgerFailed)
	}
	return newPacer(cfg.RequestsPerSecond, ledger, nil, ledgerFailed)
}
