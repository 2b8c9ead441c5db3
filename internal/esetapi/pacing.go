package esetapi

import "context"

// paceMargin keeps the pace 10% under the configured rate: at exactly 10 calls per second, calls 100 ms
// apart put 11 calls into a one-second window as soon as scheduling or network jitter shortens a gap,
// which a strict sliding-window limiter answers with 429.
const paceMargin = 0.9

// pace waits for the next call's turn.
func (c *Client) pace(ctx context.Context) error {
	if err := c.limiter.Wait(ctx); err != nil {
		if _, ok := ctx.Deadline(); ok && ctx.Err() == nil {
			// Wait refuses at once, with an error of its own, a wait that would pass the deadline. The call
			// could not leave before the deadline anyway: wait for it, so that the caller sees the
			// context.DeadlineExceeded it is, and the retries do not spin on the refusal.
			<-ctx.Done()
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return err
	}
	return nil
}
