package esetapi

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// retryingClient is the retries' layer (see transport.go): a go-retryablehttp client over transport,
// whose http.Client bounds each attempt (Config.RequestTimeout) and refuses redirects.
func (c *Client) retryingClient(cfg Config, transport http.RoundTripper) *retryablehttp.Client {
	return &retryablehttp.Client{
		HTTPClient:   &http.Client{Transport: transport, Timeout: cfg.RequestTimeout, CheckRedirect: refuseRedirect},
		RetryWaitMin: cfg.RetryWaitMin,
		RetryWaitMax: cfg.RetryWaitMax,
		RetryMax:     cfg.MaxRetries,
		CheckRetry:   c.checkRetry,
		Backoff:      backoff,
		ErrorHandler: retriesExhausted,
		// Count every attempt of a call, also when it ends on an answer that is not retried after earlier
		// retries (503, 503, then 403): the error then says how many attempts it took.
		RequestLogHook: func(_ retryablehttp.Logger, req *http.Request, attempt int) {
			if n, ok := req.Context().Value(attemptsKey{}).(*int); ok {
				*n = attempt + 1
			}
		},
	}
}

// sendRetried sends one request of followProtocol's, with the token it is given, and resends it as it is
// (a body too) after each transient failure, through go-retryablehttp: the retries' loop, which never
// changes the request. It returns the last answer with the number of attempts made, also when the retries
// ran out on it, for followProtocol to report. Each attempt waits for its turn of the pace first.
func (c *Client) sendRetried(ctx context.Context, op, method, url string, body []byte, token, responseID string) (*http.Response, int, error) {
	attempts := 0
	var reqBody any // a nil []byte in an interface would be a body
	if body != nil {
		reqBody = body
	}
	ctx, ticket := c.withPaceTicket(ctx)
	defer ticket.settle()
	req, err := retryablehttp.NewRequestWithContext(context.WithValue(ctx, attemptsKey{}, &attempts), method, url, reqBody)
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if responseID != "" {
		req.Header.Set(HeaderResponseID, responseID)
	}
	// The first attempt is paced here, the retries in PrepareRetry (see stack): both before the attempt's
	// own timeout starts, so that a long queue for the pace never counts as a slow answer.
	if err := c.waitTurn(ctx); err != nil {
		return nil, 0, err
	}
	resp, err := c.http.Do(req)
	var (
		exhausted *exhaustedError
		redirect  *RedirectError
	)
	switch {
	case errors.As(err, &redirect):
		if resp != nil {
			resp.Body.Close()
		}
		redirect.Operation = op
		return nil, 0, redirect
	case unreachable(op, err) != nil:
		return nil, 0, unreachable(op, err)
	case err == nil:
		return resp, attempts, nil
	case ctx.Err() != nil:
		// Cancelled (Ctrl-C) or past the read timeout: say so rather than show a transport error or the
		// last answer before it.
		if resp != nil {
			resp.Body.Close()
		}
		return nil, 0, ctx.Err()
	case resp != nil && errors.As(err, &exhausted):
		return resp, attempts, nil
	default:
		return nil, 0, err
	}
}

// attemptsKey holds, in a call's context, the count of its attempts so far.
type attemptsKey struct{}

// checkRetry retries what a busy or briefly failing service shows: 429, 5xx but 501, reset connections and
// timed-out attempts. A 504 to a request that carried a response-id is not retried as is: the cached query
// is gone and the caller must send it anew. Redirects, host names that do not resolve and refused
// connections are not retried: they come from wrong settings.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	var redirect *RedirectError
	if errors.As(err, &redirect) || unreachable("", err) != nil {
		return false, err
	}
	if resp != nil && resp.StatusCode == http.StatusGatewayTimeout && resp.Request != nil && resp.Request.Header.Get(HeaderResponseID) != "" {
		return false, nil
	}
	retry, retryErr := retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	if retry && resp != nil {
		// A Retry-After that cannot be honoured is reported now, with its status and request-id, rather
		// than slept on until the read times out.
		if _, tooLong := unwaitable(ctx, resp); tooLong {
			return false, nil
		}
	}
	if retry {
		fields := map[string]any{}
		if resp != nil {
			fields["status"] = resp.StatusCode
			fields["request_id"] = resp.Header.Get(HeaderRequestID)
			if ra := resp.Header.Get("Retry-After"); ra != "" {
				fields["retry_after"] = ra
			}
		}
		if err != nil {
			fields["error"] = err.Error()
		}
		c.log.Debug(ctx, "transient failure, retrying", fields)
	}
	return retry, retryErr
}

// backoff waits what the server's Retry-After asks (seconds or an HTTP date) when it sends one, and
// otherwise backs off exponentially with jitter, so that many clients failing at once do not return at once.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return d
		}
	}
	// The exponential step, capped at maxWait. Comparing before shifting keeps a minWait of more than a few
	// seconds from overflowing into a short or negative step at later attempts.
	d := maxWait
	if minWait <= maxWait>>attempt {
		d = minWait << attempt
	}
	// Equal jitter: at least half the exponential step, so that backoff still grows.
	return d/2 + rand.N(d/2+1)
}

// retryAfter reads a Retry-After header: a number of seconds or an HTTP date. A number of seconds too
// large for a Duration is refused rather than wrapped around into a negative or random wait.
func retryAfter(value string, now time.Time) (time.Duration, bool) {
	if value == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(value, 10, 64); err == nil && secs >= 0 && secs <= math.MaxInt64/int64(time.Second) {
		return time.Duration(secs) * time.Second, true
	}
	if at, err := http.ParseTime(value); err == nil {
		return max(at.Sub(now), 0), true
	}
	return 0, false
}

// unwaitable returns the wait a retryable answer's Retry-After asks for when it is longer than
// MaxRetryAfter or ends past ctx's deadline.
func unwaitable(ctx context.Context, resp *http.Response) (time.Duration, bool) {
	wait, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now())
	if !ok {
		return 0, false
	}
	if wait > MaxRetryAfter {
		return wait, true
	}
	deadline, has := ctx.Deadline()
	return wait, has && time.Now().Add(wait).After(deadline)
}

// exhaustedError is what remains when retries ran out. The last answer, when there was one, is passed on
// with it, so that its status, message and request-id reach the user.
type exhaustedError struct {
	attempts int
	err      error
}

func (e *exhaustedError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("giving up after %d attempts", e.attempts)
	}
	return fmt.Sprintf("%v (gave up after %d attempts)", e.err, e.attempts)
}

func (e *exhaustedError) Unwrap() error { return e.err }

func retriesExhausted(resp *http.Response, err error, attempts int) (*http.Response, error) {
	return resp, &exhaustedError{attempts: attempts, err: err}
}

// tokenRetriesExhausted passes the token service's last answer on as a plain answer. The token client
// sits under net/http (oauth2 takes an *http.Client), which drops, unclosed, a response that comes with an
// error: oauth2 must get the answer itself to report its status, message and request-id in the AuthError.
func tokenRetriesExhausted(resp *http.Response, err error, attempts int) (*http.Response, error) {
	if resp != nil && err == nil {
		return resp, nil
	}
	if resp != nil {
		drain(resp)
	}
	return nil, &exhaustedError{attempts: attempts, err: err}
}
