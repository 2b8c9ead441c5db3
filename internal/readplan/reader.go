package readplan

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// reader holds what the calls of one read share: the incidents already sent (by uuid, so that one sent
// twice, by overlapping keys or device groups, is passed on once) and the count of calls.
type reader struct {
	client  *esetapi.Client
	desc    bool
	orderBy string
	// budget bounds the list calls of the whole read, forks included, as the client's page bound does for
	// a listing by token: a server that never ends its pages must not get that many calls per device group.
	budget *callBudget
	seen   map[esetapi.UUIDKey]struct{}
	calls  int
	// atKey counts the incidents of the last page created at its last create_time: the next call by key
	// sends them again.
	atKey int
	// leftOnPage is true when the last page held incidents past max.
	leftOnPage bool
	// split is true once a unit did not fit beside its key and was read as several.
	split bool
	// duplicates counts incidents sent again within one page sequence by token.
	duplicates int
	// filters are the distinct filters sent, for the debug log.
	filters []string
}

// maxListCalls is the list calls one read may make in all: as many as the client lets one listing by token
// make, more than any tenant needs (a variable for the tests).
var maxListCalls int64 = esetapi.DefaultMaxPages

// callBudget is the list calls one read may make, shared by its forks, which call concurrently.
type callBudget struct {
	max  int64
	used atomic.Int64
}

// maxRecorded bounds the filters a read keeps for its debug log: a read of many device groups sends one each.
const maxRecorded = 20

// record notes a filter sent.
func (r *reader) record(filter string) {
	if len(r.filters) < maxRecorded && !slices.Contains(r.filters, filter) {
		r.filters = append(r.filters, filter)
	}
}

// charge counts one list call against the read's bound, and fails past it.
func (r *reader) charge() error {
	if used := r.budget.used.Add(1); used > r.budget.max {
		return &esetapi.PagingError{Operation: "list incidents", Page: int(used),
			Problem: fmt.Sprintf("the read went past %d list calls in all, more than any tenant needs", r.budget.max)}
	}
	return nil
}

// page makes one list call.
func (r *reader) page(ctx context.Context, filter, token string, size int) (esetapi.IncidentPage, error) {
	if err := r.charge(); err != nil {
		return esetapi.IncidentPage{}, err
	}
	r.calls++
	r.record(filter)
	return r.client.ListIncidentsPage(ctx, esetapi.IncidentPageRequest{Filter: filter, OrderBy: r.orderBy, PageToken: token, PageSize: size})
}

// pass hands emit the incidents of page not sent before that pass the unit's local conditions, at most
// limit-*kept of them when limit > 0, and reports whether the limit was reached.
func (r *reader) pass(page esetapi.IncidentPage, u unit, limit int, kept *int, emit func([]esetapi.Incident) error) (bool, error) {
	fresh := page.Incidents[:0]
	r.leftOnPage = false
	for i := range page.Incidents {
		inc := &page.Incidents[i]
		id, _ := esetapi.KeyOfUUID(inc.UUID) // ListIncidentsPage refuses what is not uuid-shaped
		if _, dup := r.seen[id]; dup {
			continue
		}
		if u.local != nil {
			ok, err := u.local.Match(inc)
			if err != nil {
				return false, fmt.Errorf("list incidents: the part of the filter the provider evaluates: %w", err)
			}
			if !ok {
				continue
			}
		}
		if limit > 0 && *kept == limit {
			r.leftOnPage = true // one more would have been kept
			break
		}
		r.seen[id] = struct{}{}
		fresh = append(fresh, *inc) // fresh shares page's array: it writes at or before i
		*kept++
	}
	if len(fresh) > 0 {
		if err := emit(fresh); err != nil {
			return false, err
		}
	}
	return limit > 0 && *kept == limit, nil
}

// fork is a reader for one of several units read at once: its own seen set and counts, joined after.
func (r *reader) fork() *reader {
	return &reader{client: r.client, desc: r.desc, orderBy: r.orderBy, budget: r.budget, seen: map[esetapi.UUIDKey]struct{}{}}
}

// join adds what a fork did to r's counts.
func (r *reader) join(sub *reader) {
	r.calls += sub.calls
	r.duplicates += sub.duplicates
	r.split = r.split || sub.split
	for _, f := range sub.filters {
		r.record(f)
	}
}

// have reports whether id was seen, and marks it seen.
func (r *reader) have(id esetapi.UUIDKey) bool {
	_, seen := r.seen[id]
	r.seen[id] = struct{}{}
	return seen
}
