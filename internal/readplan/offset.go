package readplan

import (
	"context"
	"fmt"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// byPosition reads unit u in the order orderBy by page token, as the API pages: a position in a live
// result, which an incident leaving or entering before it shifts, so that one may be skipped or sent
// twice. Only what reading by key cannot serve reads so (the first max_results in another order than
// create_time, or a filter that leaves no room for the key): the read says so. Incidents sent twice are
// dropped and counted. It reports whether limit stopped it with more left.
func (r *reader) byPosition(ctx context.Context, u unit, orderBy string, limit int, emit func([]esetapi.Incident) error) (bool, error) {
	var evalErr error
	opts := esetapi.IncidentListOptions{Filter: joinTerms(u.sent), OrderBy: orderBy, MaxResults: limit}
	if u.local != nil {
		opts.Keep = func(inc *esetapi.Incident) bool {
			ok, err := u.local.Match(inc)
			if err != nil && evalErr == nil {
				evalErr = fmt.Errorf("list incidents: the part of the filter the provider evaluates: %w", err)
			}
			return ok
		}
	}
	r.record(opts.Filter)
	res, err := r.client.ListIncidents(ctx, opts, func(page []esetapi.Incident) error {
		if evalErr != nil {
			return evalErr
		}
		// Every page comes here, kept items or none: each is a call of the read's bound, which the device
		// groups read at once share.
		if err := r.charge(); err != nil {
			return err
		}
		fresh := page[:0]
		for _, inc := range page {
			id, _ := esetapi.KeyOfUUID(inc.UUID)
			if _, dup := r.seen[id]; !dup {
				r.seen[id] = struct{}{}
				fresh = append(fresh, inc)
			}
		}
		if len(fresh) == 0 {
			return nil
		}
		return emit(fresh)
	})
	r.calls += res.Calls
	r.duplicates += res.Duplicates
	return res.Truncated, err
}
