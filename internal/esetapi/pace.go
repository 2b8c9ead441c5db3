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

// newPace returns the pace of cfg.RequestsPerSecond, through the pace ledger in cfg.PaceDir, or alone when
// cfg names no directory (the provider's pace_ledger = false or ESET_PACE_LEDGER=0). ledgerFailed hears why
// the ledger cannot be used, once each time it is given up.
func newPace(cfg Config, ledgerFailed func(context.Context, error)) pace {
	var ledger *paceLedger
	var err error
	if cfg.PaceDir != "" {
		ledger, err = openPaceLedger(cfg.PaceDir, cfg.IAMEndpoint, cfg.Username)
	}
	return newPacer(cfg.RequestsPerSecond, ledger, err, ledgerFailed)
}
