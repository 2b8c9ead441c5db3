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
	// pace paces the calls of every data source of one provider together, so that they stay within the
	// API's rate limit and take their turns fairly.
	pace pace
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
		cfg.Transport = defaultTransport()
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
	c.pace = newPace(cfg, c.paceAlone)
	var tokenHTTP *http.Client
	c.http, tokenHTTP = c.stack(cfg)
	c.tokens = newTokenSource(cfg.IAMEndpoint, cfg.Username, cfg.Password, tokenHTTP, secrets)
	return c, nil
}

// paceAlone says why the client cannot count other processes' calls.
func (c *Client) paceAlone(ctx context.Context, err error) {
	c.log.Warn(ctx, "pacing without other processes' calls, and so slower: the pace ledger cannot be used", map[string]any{"error": err.Error()})
}
