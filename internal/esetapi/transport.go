package esetapi

import (
	"net/http"

	"github.com/hashicorp/go-retryablehttp"
)

// An API call passes through these layers, outermost first, each with one concern, in the file named:
//
//  1. Client.get and Client.call (protocol.go): what the caller may show: the request-id of the answer
//     decoded, and an error, both without secrets or the characters a terminal acts on (secrets.go).
//  2. Client.followProtocol (protocol.go): the API's protocol, a loop of requests that differ from one
//     another: the access token (auth.go) on each, renewed after a 401; the 202 "request cached" polls
//     with the response-id; the query sent anew when the API dropped its cached result (404 or 504) or
//     cut the answer's body short; the body decoded within its limit (limits.go).
//  3. Client.sendRetried (retry.go): one request, resent as it is after a transient failure by
//     go-retryablehttp (429, 5xx but 501, a reset connection, a timed-out attempt), after the backoff or
//     the server's Retry-After. Each attempt, the first and every retry, waits for its turn of the pace
//     first (pace.go).
//  4. http.Client (retry.go's retryingClient): the attempt's timeout (Config.RequestTimeout); redirects
//     refused (redirect.go).
//  5. identifyingTransport (identify.go): the User-Agent and ESET's 3rd-integration header.
//  6. Config.Transport, or defaultTransport: the connections.
//
// Two loops resend, for different reasons. The protocol's changes the request between sends (a new
// token, a response-id or none) and needs the decoded body, which no round-tripper sees; the retries'
// sends the same request again, for failures of the way to the API rather than answers of its protocol,
// and a slow query's polls do not use up its budget (Config.MaxRetries).
//
// The pace is no round-tripper under the retries: the http.Client's timeout would then count the wait for
// a turn as a slow answer. It waits above the timeout instead, before the first attempt in sendRetried and
// before each retry in go-retryablehttp's PrepareRetry. Nor is the token a round-tripper: the protocol's
// loop must know which token a 401 refused, and every attempt of one request carries the same.
//
// The layers log through the Client's redactingLogger (secrets.go), which removes secrets from every
// message. Token calls (auth.go) take go-retryablehttp's retries (its own client, whose exhaustion
// tokenRetriesExhausted reports), layer 4's http.Client and layers 5 and 6, without sendRetried or the
// pace: they go to another service, with its own limits.

// stack builds layers 3 to 6 over cfg.Transport: the API's, paced, and the token service's, which is not.
// Both share the transport, and so its connections.
func (c *Client) stack(cfg Config) (api *retryablehttp.Client, token *http.Client) {
	// Every call, token calls too, says who makes it, which helps ESET support.
	transport := &identifyingTransport{base: cfg.Transport, userAgent: cfg.UserAgent}
	api = c.retryingClient(cfg, transport)
	api.PrepareRetry = func(req *http.Request) error { return c.waitTurn(req.Context()) }
	tokens := c.retryingClient(cfg, transport)
	tokens.ErrorHandler = tokenRetriesExhausted
	return api, tokens.StandardClient()
}

// defaultTransport is the base when Config.Transport is nil: Go's default, pooled.
func defaultTransport() http.RoundTripper {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	// Concurrent detail calls each keep their connection rather than dial anew per call.
	transport.MaxIdleConnsPerHost = 64
	return transport
}
