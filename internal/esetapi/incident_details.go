package esetapi

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// IncidentDetails reads the details of each listed incident with at most concurrency calls in flight (all
// of them still paced by the client's rate limit) and passes each, with its index in incidents, to fn.
// fn may be called concurrently for different indexes. The first failure cancels the rest and is returned:
// a detail that cannot be read fails the whole read rather than leave a gap.
func (c *Client) IncidentDetails(ctx context.Context, incidents []Incident, concurrency int, fn func(int, *Incident)) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(max(concurrency, 1))
	for i := range incidents {
		g.Go(func() error {
			inc, err := c.GetIncident(ctx, incidents[i].UUID)
			if err != nil {
				return err
			}
			fn(i, inc)
			return nil
		})
	}
	return g.Wait()
}
