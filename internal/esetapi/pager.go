package esetapi

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"time"
)

// page is the answer of a list call: its items and the token of the next page, "" on the last.
type page[T any] interface {
	items() []T
	next() string
}

// sizedPage is a page that says how many items the whole listing holds (totalSize), for a listing that
// chooses its plan from its first page (listing.first).
type sizedPage interface {
	total() int
}

// listing is one list query, read page by page. Several listings (display-name batches, one time window
// per device) may add up into one result: they then share a tally.
type listing[T any] struct {
	op   string // what the listing does, for errors and logs, e.g. "list incidents"
	noun string // what it lists, for logs
	// url is the call's address without the paging parameters, which paginate adds.
	url   string
	query url.Values
	// uuid identifies an item; an item whose uuid came before is dropped as a duplicate, and one that
	// is not uuid-shaped fails the listing. Nil keeps repeats, for listings that repeat items by design.
	uuid func(*T) string
	// prepare applies proto3 defaults to an item; keep, when set, drops items a filter the API lacks rejects.
	prepare func(*T)
	keep    func(*T) bool
	// check, when set, refuses an item outside what the query asked for (a server that ignored a filter):
	// the listing fails with a DecodeError rather than pass on a list that is not the one asked for.
	check func(*T) error
	// first, when set, is told the first page's totalSize (or, when the answer has none or less than it
	// holds, what the page shows: its items, and one more when a next page follows) before its items are
	// passed on or counted; an error ends the listing with that error, the call counted in the tally and
	// nothing else, so that the caller can list otherwise.
	first func(total int) error
	// exact makes a listing with keep that reaches the bound with pages left read on until an item passes
	// keep, so that truncated says that more matching items exist, not only that pages were left.
	exact bool
	// from is the page token to start at; "" starts at the first page.
	from string
}

// tally is the progress of listings that add up into one result.
type tally struct {
	// max stops the listings after this many items; zero means no bound.
	max        int
	items      int
	pages      int
	truncated  bool
	duplicates int
	seen       map[UUIDKey]struct{}
}

func newTally(maxResults int) *tally {
	return &tally{max: maxResults, seen: map[UUIDKey]struct{}{}}
}

// full reports whether max items have been passed on.
func (t *tally) full() bool { return t.max > 0 && t.items >= t.max }

// paginate reads every page of l and passes the kept items of each to fn, in the API's order. It asks for
// pages of MaxPageSize, or fewer when t.max needs fewer and no client-side filter drops items, so that N
// items take ceil(N/1000) calls. Pages are decoded one at a time and not kept: fn owns the slice. A page
// token that comes back, or a listing longer than the configured page bound, ends it with a PagingError
// rather than repeat or drop data. P is the answer's shape, PP its pointer, which decodes it.
func paginate[T any, P any, PP interface {
	*P
	page[T]
}](ctx context.Context, c *Client, l listing[T], t *tally, fn func([]T) error) error {
	var (
		pageToken  = l.from
		requestID  string
		pages      int
		seenTokens = map[tokenKey]struct{}{}
	)
	for !t.full() {
		pageSize := MaxPageSize
		if t.max > 0 && l.keep == nil {
			pageSize = min(pageSize, t.max-t.items)
		}
		if pages >= c.maxPages {
			return &PagingError{Operation: l.op, Problem: fmt.Sprintf("the listing went past %d pages, more than any tenant has", c.maxPages), Page: pages + 1, RequestID: requestID}
		}
		query := url.Values{"pageSize": {strconv.Itoa(pageSize)}}
		for k, v := range l.query {
			query[k] = v
		}
		if pageToken != "" {
			query.Set("pageToken", pageToken)
		}
		start := time.Now()
		var answer P
		var err error
		requestID, err = c.get(ctx, l.op, l.url+"?"+query.Encode(), func(body io.Reader) error {
			answer = *new(P) // nothing of an answer cut short may survive into the next
			return decodeJSON(body, PP(&answer))
		})
		if err != nil {
			return err
		}
		pages++
		t.pages++

		all := PP(&answer).items()
		if len(all) > pageSize {
			// A page larger than asked for comes from a server that ignores pageSize, or a broken one:
			// what it holds past pageSize was not asked for, and cutting it would hide the fault.
			return &PagingError{Operation: l.op, Problem: fmt.Sprintf("the API sent %d %s for a page of %d, more than asked for", len(all), l.noun, pageSize), Page: pages, RequestID: requestID}
		}
		if pages == 1 && l.first != nil {
			total := len(all)
			if PP(&answer).next() != "" {
				total++
			}
			if sized, ok := any(PP(&answer)).(sizedPage); ok {
				total = max(total, sized.total())
			}
			if err := l.first(total); err != nil {
				return err
			}
		}
		kept := all[:0]
		for i := range all {
			item := &all[i]
			if uuid := l.uuidOf(item); uuid != "" {
				key, ok := KeyOfUUID(uuid)
				if !ok {
					return &DecodeError{Operation: l.op, RequestID: requestID, Err: fmt.Errorf("the answer holds one of the %s with the uuid %s, which is not a uuid", l.noun, clipped(uuid))}
				}
				if _, dup := t.seen[key]; dup {
					t.duplicates++
					c.log.Warn(ctx, "the API listed an item twice; keeping the first", map[string]any{"operation": l.op, "uuid": uuid, "page": pages, "request_id": requestID})
					continue
				}
				t.seen[key] = struct{}{}
			}
			if l.prepare != nil {
				l.prepare(item)
			}
			if l.check != nil {
				if err := l.check(item); err != nil {
					return &DecodeError{Operation: l.op, RequestID: requestID, Err: err}
				}
			}
			if l.keep != nil && !l.keep(item) {
				continue
			}
			kept = append(kept, *item)
		}
		if t.max > 0 && t.items+len(kept) > t.max {
			// A page filtered in the client may hold more than is missing: what exceeds the bound was not
			// asked for.
			kept = kept[:t.max-t.items]
			t.truncated = true
		}
		t.items += len(kept)
		next := PP(&answer).next()
		c.log.Debug(ctx, "read a page of "+l.noun, map[string]any{
			"operation": l.op, "page": pages, "page_size": pageSize, "items": len(kept), "total": t.items,
			"elapsed": time.Since(start).String(), "request_id": requestID, "last_page": next == "",
		})
		if err := fn(kept); err != nil {
			return err
		}
		if next == "" {
			return nil
		}
		if len(next) > maxPageTokenBytes || len(url.QueryEscape(next)) > maxPageTokenBytes {
			return &PagingError{Operation: l.op, Problem: fmt.Sprintf("the API sent a page token of %d bytes, longer than the published 128 characters allow", len(next)), Page: pages, RequestID: requestID}
		}
		key := keyOfToken(next)
		if _, repeated := seenTokens[key]; repeated {
			return &PagingError{Operation: l.op, Problem: "the API sent a page token it had sent before, which would list the same pages again", Page: pages, RequestID: requestID}
		}
		seenTokens[key] = struct{}{}
		pageToken = next
	}
	if t.truncated {
		return nil // the last page held more than was missing
	}
	if l.exact && l.keep != nil {
		rest := l
		rest.from, rest.first = pageToken, nil
		found, err := more[T, P, PP](ctx, c, rest, t)
		t.truncated = found
		return err
	}
	// The bound was reached before the API's last page: more items exist.
	t.truncated = true
	return nil
}

// paginateAll reads listings one after the other into one tally (one listing per device, or per batch of
// display names). Once the bound is reached it asks each listing left for one item, so that t is marked
// truncated only when one of them holds more.
func paginateAll[T any, P any, PP interface {
	*P
	page[T]
}](ctx context.Context, c *Client, listings []listing[T], t *tally, fn func([]T) error) error {
	for i, l := range listings {
		if !t.full() {
			if err := paginate[T, P, PP](ctx, c, l, t, fn); err != nil {
				return err
			}
			continue
		}
		for _, rest := range listings[i:] {
			if t.truncated {
				break
			}
			found, err := more[T, P, PP](ctx, c, rest, t)
			if err != nil {
				return err
			}
			t.truncated = found
		}
		break
	}
	return nil
}

// more reports whether listing l holds an item t has not passed on. It is asked when t's bound was reached
// with listings left (or, for an exact listing, pages left), so that t is marked truncated only when
// something was cut: without a client-side filter it costs one call for a page of one item.
func more[T any, P any, PP interface {
	*P
	page[T]
}](ctx context.Context, c *Client, l listing[T], t *tally) (bool, error) {
	l.exact = false // one item is the answer: none past it is looked for
	probe := &tally{max: 1, seen: t.seen}
	err := paginate[T, P, PP](ctx, c, l, probe, func([]T) error { return nil })
	t.pages += probe.pages
	t.duplicates += probe.duplicates
	return probe.items > 0, err
}

// uuidOf returns item's uuid, or "" when the listing keeps repeats.
func (l *listing[T]) uuidOf(item *T) string {
	if l.uuid == nil {
		return ""
	}
	return l.uuid(item)
}
