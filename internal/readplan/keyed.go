package readplan

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/query"
)

// maxTiePasses bounds the passes over incidents that share one create_time and fill more than a page, read
// by position until two passes agree: beyond it the tenant changed in every pass, and the read fails
// rather than risk a skipped incident.
const maxTiePasses = 5

// longestKey is a key whose condition is as long as any: fitting a filter beside it leaves room for every
// key a read may come to (RFC 3339 with nanoseconds drops trailing zeros, so keys differ in length).
var longestKey = key{t: time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)}

// key is where a read by create_time goes on: at or after t (oldest first; at or before, newest first),
// or strictly after it once every incident at t has been read. The zero key is the start.
type key struct {
	t      time.Time
	strict bool
}

// clause is the key's condition, "" at the start.
func (k key) clause(desc bool) string {
	if k.t.IsZero() {
		return ""
	}
	op := map[[2]bool]string{{false, false}: ">=", {false, true}: ">", {true, false}: "<=", {true, true}: "<"}[[2]bool{desc, k.strict}]
	return "create_time " + op + " " + timestamp(k.t)
}

// admits reports whether an incident created at t belongs after the key.
func (k key) admits(t time.Time, desc bool) bool {
	if k.t.IsZero() {
		return true
	}
	c := t.Compare(k.t)
	if desc {
		c = -c
	}
	return c > 0 || c == 0 && !k.strict
}

func timestamp(t time.Time) string {
	return "timestamp(" + query.Quote(t.UTC().Format(time.RFC3339Nano)) + ")"
}

// createTime reads an incident's create_time, which reading by key depends on; one without (proto3 leaves
// an unset time out) is the zero time.
func createTime(inc *esetapi.Incident, requestID string) (time.Time, error) {
	if inc.CreateTime == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, inc.CreateTime)
	if err != nil {
		return t, &esetapi.DecodeError{Operation: "list incidents", RequestID: requestID,
			Err: fmt.Errorf("incident %s has no readable create_time (%q), which reading by create_time needs", inc.UUID, inc.CreateTime)}
	}
	return t, nil
}

// keyed reads unit u from key k by create_time, in the reader's direction, and hands each page's new
// incidents that pass u's local conditions to emit. Every call asks for the incidents at or after the last
// one it was sent (those already sent are dropped by uuid), so that incidents leaving or entering the
// result between calls cannot move a page past one never sent, as a page token's offset can. Incidents
// sharing one create_time beyond a page are read by tie. When u's filter does not fit beside the key's
// condition, u is fitted again into units that do, each read from k. limit > 0 stops after that many
// incidents; it reports whether more were left.
func (r *reader) keyed(ctx context.Context, u unit, k key, limit int, emit func([]esetapi.Incident) error) (bool, error) {
	kept, untimed := 0, ""
	r.atKey = 0
	for {
		clause := k.clause(r.desc)
		if !fits(append(u.sent, clause)...) {
			return r.refit(ctx, u, clause, limit-kept, func(sub unit, left int) (bool, error) { return r.keyed(ctx, sub, k, left, emit) })
		}
		size := esetapi.MaxPageSize
		if limit > 0 && u.local == nil {
			size = min(size, limit-kept+r.atKey)
		}
		page, err := r.page(ctx, joinTerms(append(slices.Clone(u.sent), clause)), "", size)
		if err != nil {
			return false, err
		}
		first, last := time.Time{}, time.Time{}
		r.atKey = 0
		for i := range page.Incidents {
			t, err := createTime(&page.Incidents[i], page.RequestID)
			if err != nil {
				return false, err
			}
			if t.IsZero() {
				// Where the API sorts an incident without a create_time is not documented, and no key reaches
				// it: a read of one page holds it, a longer one could miss another, and fails below.
				untimed = page.Incidents[i].UUID
				continue
			}
			if !k.admits(t, r.desc) || !last.IsZero() && !(key{t: last}).admits(t, r.desc) {
				return false, &esetapi.PagingError{Operation: "list incidents", Page: r.calls, RequestID: page.RequestID,
					Problem: fmt.Sprintf("the API did not keep to orderBy=%q and the filter's create_time bound (incident %s, created %s), which reading by key relies on", r.orderBy, page.Incidents[i].UUID, page.Incidents[i].CreateTime)}
			}
			if first.IsZero() {
				first = t
			}
			if t.Equal(last) {
				r.atKey++
			} else {
				r.atKey = 1
			}
			last = t
		}
		stop, err := r.pass(page, u, limit, &kept, emit)
		if err != nil || stop {
			return stop && (r.leftOnPage || page.NextPageToken != ""), err
		}
		if page.NextPageToken == "" {
			return false, nil
		}
		if untimed != "" {
			return false, &esetapi.DecodeError{Operation: "list incidents", RequestID: page.RequestID,
				Err: fmt.Errorf("incident %s has no create_time, and the read needs more than one page: it reads by create_time, and could miss incidents without one", untimed)}
		}
		if first.Equal(last) {
			// A page of incidents all created at one time: asking from that time again would bring the same page.
			more, err := r.tie(ctx, u, last, limit, &kept, emit)
			if err != nil || more {
				return more, err
			}
			k = key{t: last, strict: true}
			continue
		}
		k = key{t: last}
	}
}

// tie reads every incident of u created at t, by position, pass after pass until two passes list the same
// incidents in the same order: a pass that an incident leaving or entering shifted differs from the next.
func (r *reader) tie(ctx context.Context, u unit, t time.Time, limit int, kept *int, emit func([]esetapi.Incident) error) (bool, error) {
	clause := "create_time == " + timestamp(t)
	if !fits(append(u.sent, clause)...) {
		return r.refit(ctx, u, clause, limit-*kept, func(sub unit, left int) (bool, error) {
			subKept := 0
			more, err := r.tie(ctx, sub, t, left, &subKept, emit)
			*kept += subKept
			return more, err
		})
	}
	filter := joinTerms(append(slices.Clone(u.sent), clause))
	var previous []string
	for range maxTiePasses {
		var listed []string
		token, tokens := "", map[string]bool{}
		for {
			page, err := r.page(ctx, filter, token, esetapi.MaxPageSize)
			if err != nil {
				return false, err
			}
			for i := range page.Incidents {
				if created, err := createTime(&page.Incidents[i], page.RequestID); err != nil || !created.Equal(t) {
					return false, &esetapi.PagingError{Operation: "list incidents", Page: r.calls, RequestID: page.RequestID,
						Problem: fmt.Sprintf("the API sent incident %s, created %s, for incidents created at %s", page.Incidents[i].UUID, page.Incidents[i].CreateTime, t.UTC().Format(time.RFC3339Nano))}
				}
				listed = append(listed, page.Incidents[i].UUID)
			}
			stop, err := r.pass(page, u, limit, kept, emit)
			if err != nil || stop {
				return true, err
			}
			if page.NextPageToken == "" {
				break
			}
			if tokens[page.NextPageToken] {
				return false, &esetapi.PagingError{Operation: "list incidents", Page: r.calls, RequestID: page.RequestID, Problem: "the API sent a page token it had sent before, which would list the same pages again"}
			}
			token, tokens[page.NextPageToken] = page.NextPageToken, true
		}
		if slices.Equal(listed, previous) {
			return false, nil
		}
		previous = listed
	}
	return false, fmt.Errorf("list incidents: more than %d incidents share the create_time %s, and they changed during each of %d passes over them: "+
		"the read cannot tell that none was skipped; try again", esetapi.MaxPageSize, t.UTC().Format(time.RFC3339Nano), maxTiePasses)
}

// refit reads u as the units that fit beside clause, one after the other, each with what is left of the limit.
func (r *reader) refit(ctx context.Context, u unit, clause string, left int, read func(unit, int) (bool, error)) (bool, error) {
	subs, err := fit(u.terms, clause)
	if err != nil {
		return false, err
	}
	r.split = true
	more := false
	for _, sub := range subs {
		m, err := read(sub, left)
		if err != nil {
			return false, err
		}
		more = more || m
	}
	return more, nil
}
