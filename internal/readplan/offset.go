package readplan

import (
	"context"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// byPosition reads unit u in the order orderBy by page token, as the API pages: a position in a live
// result, which an incident leaving or entering before it shifts, so that one may be skipped or sent
// twice. Only what reading by key cannot serve reads so (the first max_results in another order than
// create_time, or a filter that leaves no room for the key): the read says so. Incidents sent twice are
// dropped and counted. It reports whether max stopped it with more left.
func (r *reader) byPosition(ctx context.Context, u unit, orderBy string, max int, emit func([]esetapi.Incident) error) (bool, error) {
	r.orderBy = orderBy
	filter := joinTerms(u.sent)
	tokens := map[string]struct{}{}
	token, kept := "", 0
	for {
		size := esetapi.MaxPageSize
		if max > 0 && u.local == nil {
			size = min(size, max-kept)
		}
		page, err := r.page(ctx, filter, token, size)
		if err != nil {
			return false, err
		}
		before := len(r.seen)
		listed := len(page.Incidents)
		stop, err := r.pass(page, u, max, &kept, emit)
		if err != nil || stop {
			return stop && (r.leftOnPage || page.NextPageToken != ""), err
		}
		if u.local == nil {
			r.duplicates += listed - (len(r.seen) - before)
		}
		if page.NextPageToken == "" {
			return false, nil
		}
		if _, repeated := tokens[page.NextPageToken]; repeated {
			return false, &esetapi.PagingError{Operation: "list incidents", Page: r.calls, RequestID: page.RequestID,
				Problem: "the API sent a page token it had sent before, which would list the same pages again"}
		}
		tokens[page.NextPageToken] = struct{}{}
		token = page.NextPageToken
	}
}
