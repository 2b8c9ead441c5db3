package esetapi

import (
	"context"
	"net/http/httptrace"
	"sync"
	"time"
)

// A call's request goes out some time after the pace let it go. The request's context carries a ticket
// from the pace to the transport: its httptrace notes when each attempt's headers were written and tells
// the pace when the answer began; the caller settles the attempt with the pace once it is over (the next
// attempt paced, or the call returned), off the transport's path, which the ledger's file would slow.

type paceTicketKey struct{}

// paceTicket is one call's attempt under way.
type paceTicket struct {
	pace pace
	mu   sync.Mutex
	at   time.Time // when the pace let the attempt go; zero: none under way
	went time.Time // when its headers were last written; zero: not yet
}

// withPaceTicket returns ctx with a ticket for the call, and the ticket, to be settled when the call ends.
func (c *Client) withPaceTicket(ctx context.Context) (context.Context, *paceTicket) {
	t := &paceTicket{pace: c.pace}
	ctx = context.WithValue(ctx, paceTicketKey{}, t)
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteHeaders: t.wroteHeaders, GotFirstResponseByte: t.gotAnswer}), t
}

// wroteHeaders keeps the latest write: the transport sends a request again, on a new connection, when the
// one it reused turns out closed.
func (t *paceTicket) wroteHeaders() {
	t.mu.Lock()
	t.went = time.Now()
	t.mu.Unlock()
}

func (t *paceTicket) gotAnswer() {
	t.mu.Lock()
	at := t.at
	t.mu.Unlock()
	if !at.IsZero() {
		t.pace.answered(at)
	}
}

// wentAfter returns when the attempt let go at `at` went out, or zero when it has not yet (or t is nil).
func (t *paceTicket) wentAfter(at time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.at.Equal(at) || t.went.Before(at) {
		return time.Time{}
	}
	return t.went
}

// settle ends the attempt under way, if any, with the pace.
func (t *paceTicket) settle() {
	t.mu.Lock()
	at, went := t.at, t.went
	t.at, t.went = time.Time{}, time.Time{}
	t.mu.Unlock()
	if went.Before(at) {
		went = time.Time{}
	}
	if !at.IsZero() {
		t.pace.settle(at, went)
	}
}

// waitTurn waits for the turn of a call's next attempt. A call that carries a ticket leaves its send time
// on it, once the previous attempt is settled; one without counts from now.
func (c *Client) waitTurn(ctx context.Context) error {
	t, ok := ctx.Value(paceTicketKey{}).(*paceTicket)
	if ok {
		t.settle()
	}
	at, err := c.pace.wait(ctx)
	if err != nil {
		return err
	}
	if !ok {
		c.pace.settle(at, at)
		return nil
	}
	t.mu.Lock()
	t.at, t.went = at, time.Time{} // a late write of an attempt given up is not this one's
	t.mu.Unlock()
	c.pace.track(at, t)
	return nil
}
