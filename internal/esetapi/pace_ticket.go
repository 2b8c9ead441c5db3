package esetapi

import (
	"context"
	"net/http/httptrace"
	"sync"
	"time"
)

// A call's request goes out some time after the pacer let it go: it may wait for a connection, or for the
// scheduler on a busy machine. The request's httptrace tells the pacer when its headers were written
// (pacer.wrote) and when its answer began (pacer.answered), through a ticket the request's context carries
// from the pace to the transport.

type paceTicketKey struct{}

// paceTicket holds the send time of the attempt under way until its answer begins.
type paceTicket struct {
	pacer *pacer
	mu    sync.Mutex
	at    time.Time // zero: no attempt under way, or its answer began
	wrote bool      // whether the pacer knows the attempt went out
}

// withPaceTicket returns ctx with a ticket and a trace that tell the pacer when each attempt's headers
// were written and when its answer began.
func (c *Client) withPaceTicket(ctx context.Context) context.Context {
	t := &paceTicket{pacer: c.pacer}
	ctx = context.WithValue(ctx, paceTicketKey{}, t)
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteHeaders: t.wroteHeaders, GotFirstResponseByte: t.gotAnswer})
}

func (t *paceTicket) wroteHeaders() {
	t.mu.Lock()
	at, first := t.at, !t.wrote
	t.wrote = true
	t.mu.Unlock()
	if !at.IsZero() && first {
		t.pacer.wrote(at)
	}
}

func (t *paceTicket) gotAnswer() {
	t.mu.Lock()
	at := t.at
	t.at = time.Time{}
	t.mu.Unlock()
	if !at.IsZero() {
		t.pacer.answered(at)
	}
}

// pace waits for the next call's turn and, when ctx carries a ticket, leaves the call's send time on it.
func (c *Client) pace(ctx context.Context) error {
	at, err := c.pacer.wait(ctx)
	if err != nil {
		return err
	}
	if t, ok := ctx.Value(paceTicketKey{}).(*paceTicket); ok {
		t.mu.Lock()
		t.at, t.wrote = at, false
		t.mu.Unlock()
	}
	return nil
}
