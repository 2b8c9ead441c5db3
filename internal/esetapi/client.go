// Package esetapi is a client for ESET Connect's Incident Management API. It knows nothing of Terraform:
// it authenticates with the OAuth2 password grant, paces and retries its calls, follows the API's 202
// "request cached" protocol, and reads paginated incident lists page by page.
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
	"golang.org/x/time/rate"
)

// Defaults of Config fields left zero.
const (
	DefaultRequestsPerSecond = 10
	DefaultMaxRetries        = 8
	DefaultRequestTimeout    = 90 * time.Second
	DefaultMaxPages          = 10000
	defaultPollInterval      = time.Second
	maxPollInterval          = 10 * time.Second
	defaultRetryWaitMin      = 500 * time.Millisecond
	defaultRetryWaitMax      = 30 * time.Second
	// paceMargin keeps the pace 10% under the configured rate: at exactly 10 calls per second, calls 100 ms
	// apart put 11 calls into a one-second window as soon as scheduling or network jitter shortens a gap,
	// which a strict sliding-window limiter answers with 429.
	paceMargin = 0.9
)

// Config configures a Client. Endpoints are base URLs without a trailing slash.
type Config struct {
	IAMEndpoint                string
	IncidentManagementEndpoint string
	Username                   string
	Password                   string

	// UserAgent identifies the caller to ESET support, e.g. "terraform-provider-eset/1.2.0".
	UserAgent string
	// RequestsPerSecond paces calls to the incidents API evenly (a burst of one): the API allows 10 calls in
	// any one-second window per credentials, and an even pace never meets a sliding-window limiter's 429.
	RequestsPerSecond float64
	// MaxRetries bounds the retries of one call after a transient failure (429, 5xx, a reset connection or
	// a timed-out attempt). Zero means DefaultMaxRetries; a negative value means no retries.
	MaxRetries int
	// RequestTimeout bounds one HTTP attempt. It must exceed the 30 to 50 s the API takes before it answers
	// a slow query with 202.
	RequestTimeout time.Duration
	// MaxPages stops a listing that goes on past this many pages, which only a broken API would send.
	MaxPages int
	// PollInterval is the first wait before fetching a 202's cached result again; waits then double up to
	// 10 s. Zero means 1 s.
	PollInterval time.Duration
	// RetryWaitMin and RetryWaitMax bound the exponential backoff between retries when the server sends no
	// Retry-After. Zero means 500 ms and 30 s.
	RetryWaitMin, RetryWaitMax time.Duration
	// Logger receives progress and retry messages; nil discards them. Messages never contain secrets.
	Logger Logger
	// Transport carries every call, retries and token calls included; nil means a pooled default.
	Transport http.RoundTripper
}

// Logger receives the client's debug messages with structured fields.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Warn(ctx context.Context, msg string, fields map[string]any)
}

// Client calls the Incident Management API. It is safe for concurrent use; all its calls share one pace
// and one token.
type Client struct {
	baseURL      string
	maxPages     int
	pollInterval time.Duration
	maxRetries   int
	log          Logger
	http         *retryablehttp.Client
	tokens       *tokenSource
	// limiter spaces the calls of every data source of one provider evenly, so that together they stay
	// under the API's rate limit.
	limiter *rate.Limiter
}

// New checks the configuration and returns a client. It makes no call: the first call authenticates.
func New(cfg Config) (*Client, error) {
	for name, endpoint := range map[string]string{"IAM endpoint": cfg.IAMEndpoint, "incident management endpoint": cfg.IncidentManagementEndpoint} {
		if err := CheckEndpoint(endpoint); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	if cfg.Username == "" || cfg.Password == "" {
		return nil, errors.New("username and password are required")
	}
	if cfg.RequestsPerSecond <= 0 {
		cfg.RequestsPerSecond = DefaultRequestsPerSecond
	}
	switch {
	case cfg.MaxRetries == 0:
		cfg.MaxRetries = DefaultMaxRetries
	case cfg.MaxRetries < 0:
		cfg.MaxRetries = 0
	}
	cfg.RequestTimeout = orDefault(cfg.RequestTimeout, DefaultRequestTimeout)
	cfg.PollInterval = orDefault(cfg.PollInterval, defaultPollInterval)
	cfg.RetryWaitMin = orDefault(cfg.RetryWaitMin, defaultRetryWaitMin)
	cfg.RetryWaitMax = orDefault(cfg.RetryWaitMax, defaultRetryWaitMax)
	if cfg.MaxPages <= 0 {
		cfg.MaxPages = DefaultMaxPages
	}
	if cfg.Logger == nil {
		cfg.Logger = discardLogger{}
	}
	if cfg.Transport == nil {
		transport := http.DefaultTransport.(*http.Transport).Clone()
		// Concurrent detail calls each keep their connection rather than dial anew per call.
		transport.MaxIdleConnsPerHost = 64
		cfg.Transport = transport
	}

	c := &Client{
		baseURL:      cfg.IncidentManagementEndpoint,
		maxPages:     cfg.MaxPages,
		pollInterval: cfg.PollInterval,
		maxRetries:   cfg.MaxRetries,
		log:          cfg.Logger,
	}
	// Every call, token calls too, says who makes it, which helps ESET support.
	cfg.Transport = &identifyingTransport{base: cfg.Transport, userAgent: cfg.UserAgent}
	c.limiter = rate.NewLimiter(rate.Limit(cfg.RequestsPerSecond*paceMargin), 1)
	c.http = c.retryingClient(cfg, cfg.Transport)
	c.http.PrepareRetry = func(req *http.Request) error { return c.pace(req.Context()) }
	// Token calls go to another service with its own limits: they are retried but not paced.
	tokenHTTP := c.retryingClient(cfg, cfg.Transport)
	tokenHTTP.ErrorHandler = tokenRetriesExhausted
	c.tokens = newTokenSource(cfg.IAMEndpoint, cfg.Username, cfg.Password, tokenHTTP.StandardClient())
	return c, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

func (c *Client) retryingClient(cfg Config, transport http.RoundTripper) *retryablehttp.Client {
	return &retryablehttp.Client{
		HTTPClient:   &http.Client{Transport: transport, Timeout: cfg.RequestTimeout},
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

// attemptsKey holds, in a call's context, the count of its attempts so far.
type attemptsKey struct{}

// checkRetry retries what a busy or briefly failing service shows: 429, 5xx but 501, reset connections and
// timed-out attempts. A 504 to a request that carried a response-id is not retried as is: the cached query
// is gone and the caller must send it anew.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if resp != nil && resp.StatusCode == http.StatusGatewayTimeout && resp.Request != nil && resp.Request.Header.Get(headerResponseID) != "" {
		return false, nil
	}
	retry, retryErr := retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	if retry && resp != nil {
		// A Retry-After past the read's deadline cannot be honoured: the answer is reported now, with its
		// status and request-id, rather than slept on until the read times out.
		if wait, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			if deadline, has := ctx.Deadline(); has && time.Now().Add(wait).After(deadline) {
				return false, nil
			}
		}
	}
	if retry {
		fields := map[string]any{}
		if resp != nil {
			fields["status"] = resp.StatusCode
			fields["request_id"] = resp.Header.Get("request-id")
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

// identifyingTransport sends the User-Agent and ESET's 3rd-integration header with every request.
type identifyingTransport struct {
	base      http.RoundTripper
	userAgent string
}

func (t *identifyingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	if t.userAgent != "" {
		req.Header.Set("User-Agent", t.userAgent)
	}
	req.Header.Set("3rd-integration", integrationName)
	return t.base.RoundTrip(req)
}

type discardLogger struct{}

func (discardLogger) Debug(context.Context, string, map[string]any) {}
func (discardLogger) Warn(context.Context, string, map[string]any)  {}
