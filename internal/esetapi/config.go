package esetapi

import (
	"net/http"
	"time"
)

// Defaults of Config fields left zero.
const (
	DefaultRequestsPerSecond = 10
	DefaultMaxRetries        = 8
	DefaultRequestTimeout    = 90 * time.Second
	defaultPollInterval      = time.Second
	defaultRetryWaitMin      = 500 * time.Millisecond
	defaultRetryWaitMax      = 30 * time.Second
)

// Config configures a Client. Endpoints are base URLs without a trailing slash.
type Config struct {
	IAMEndpoint                string
	IncidentManagementEndpoint string
	// DeviceManagementEndpoint serves devices and device groups; empty leaves the device calls unconfigured
	// (they fail saying so). Detections are served by the incident management endpoint.
	DeviceManagementEndpoint string
	Username                 string
	Password                 string

	// UserAgent identifies the caller to ESET support, e.g. "terraform-provider-eset/1.2.0".
	UserAgent string
	// RequestsPerSecond paces calls to every service as the API counts them: the API allows 10 calls in
	// any one-second window per credentials, and the client sends at most RequestsPerSecond calls in any
	// window of one second and a few milliseconds, in the order they were made.
	RequestsPerSecond float64
	// PaceDir holds the pace ledger, through which the processes of this machine that call with the same
	// credentials count each other's calls in the window (see paceLedger); it is created when missing.
	// Empty, or a directory that cannot be used, leaves the client counting its own calls only, its first
	// call held for a window in case a process before it just used the window.
	PaceDir string
	// MaxRetries bounds the retries of one call after a transient failure (429, 5xx, a reset connection or
	// a timed-out attempt). Zero means DefaultMaxRetries; a negative value means no retries.
	MaxRetries int
	// RequestTimeout bounds one HTTP attempt. It must exceed the 30 to 50 s the API takes before it answers
	// a slow query with 202.
	RequestTimeout time.Duration
	// MaxBodyBytes bounds the body of one answer; a larger one fails the read. Zero means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// MaxPages stops a listing that goes on past this many pages, which only a broken API would send.
	MaxPages int
	// PollInterval is the first wait before fetching a 202's cached result again; waits then double up to
	// 16 times it, and 10 s at most. Zero means 1 s.
	PollInterval time.Duration
	// RetryWaitMin and RetryWaitMax bound the exponential backoff between retries when the server sends no
	// Retry-After. Zero means 500 ms and 30 s.
	RetryWaitMin, RetryWaitMax time.Duration
	// Logger receives progress and retry messages; nil discards them. Messages never contain secrets.
	Logger Logger
	// Transport carries every call, retries and token calls included; nil means a pooled default.
	Transport http.RoundTripper
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}
