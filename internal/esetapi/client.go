// Package esetapi is a client for ESET Connect's Incident Management API (incidents, detections) and
// Device Management API (devices, device groups). It knows nothing of Terraform: it authenticates with the
// OAuth2 password grant, paces and retries its calls, follows the API's 202 "request cached" protocol, and
// reads paginated lists page by page.
package esetapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Client calls the APIs of one region. It is safe for concurrent use; all its calls, to every service,
// share one pace (the documented limit counts calls per credentials) and one token.
type Client struct {
	baseURL      string
	deviceURL    string // "" when not configured
	maxPages     int
	pollInterval time.Duration
	maxRetries   int
	// maxBody bounds each answer's body; requestTimeout each attempt, body included.
	maxBody        int64
	requestTimeout time.Duration
	log            Logger
	// secrets are the password and every token obtained, removed from every error and log message.
	secrets *secretSet
	http    *retryablehttp.Client
	tokens  *tokenSource
	// pacer paces the calls of every data source of one provider together, so that they stay within the
	// API's rate limit and take their turns fairly.
	pacer *pacer
}

// New checks the configuration and returns a client. It makes no call: the first call authenticates.
func New(cfg Config) (*Client, error) {
	for name, endpoint := range map[string]string{"IAM endpoint": cfg.IAMEndpoint, "incident management endpoint": cfg.IncidentManagementEndpoint} {
		if err := CheckEndpoint(endpoint); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	if cfg.DeviceManagementEndpoint != "" {
		if err := CheckEndpoint(cfg.DeviceManagementEndpoint); err != nil {
			return nil, fmt.Errorf("device management endpoint: %w", err)
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
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
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

	secrets := &secretSet{}
	secrets.add(cfg.Password)
	c := &Client{
		baseURL:        cfg.IncidentManagementEndpoint,
		deviceURL:      cfg.DeviceManagementEndpoint,
		maxPages:       cfg.MaxPages,
		pollInterval:   cfg.PollInterval,
		maxRetries:     cfg.MaxRetries,
		maxBody:        cfg.MaxBodyBytes,
		requestTimeout: cfg.RequestTimeout,
		log:            redactingLogger{base: cfg.Logger, secrets: secrets},
		secrets:        secrets,
	}
	// Every call, token calls too, says who makes it, which helps ESET support.
	cfg.Transport = &identifyingTransport{base: cfg.Transport, userAgent: cfg.UserAgent}
	ledger, err := openLedger(cfg)
	c.pacer = newPacer(cfg.RequestsPerSecond, ledger, err, c.paceAlone)
	c.http = c.retryingClient(cfg, cfg.Transport)
	c.http.PrepareRetry = func(req *http.Request) error { return c.pace(req.Context()) }
	// Token calls go to another service with its own limits: they are retried but not paced.
	tokenHTTP := c.retryingClient(cfg, cfg.Transport)
	tokenHTTP.ErrorHandler = tokenRetriesExhausted
	c.tokens = newTokenSource(cfg.IAMEndpoint, cfg.Username, cfg.Password, tokenHTTP.StandardClient(), secrets)
	return c, nil
}

// openLedger opens the pace ledger the client shares its send times through (nil when cfg names no
// directory), or says why it cannot.
func openLedger(cfg Config) (*paceLedger, error) {
	if cfg.PaceDir == "" {
		return nil, nil
	}
	return openPaceLedger(cfg.PaceDir, cfg.IAMEndpoint, cfg.Username)
}

// paceAlone says why the client cannot count other processes' calls.
func (c *Client) paceAlone(ctx context.Context, err error) {
	c.log.Warn(ctx, "pacing without other processes' calls, and so slower: the pace ledger cannot be used", map[string]any{"error": err.Error()})
}
