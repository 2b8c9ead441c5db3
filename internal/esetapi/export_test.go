package esetapi

import (
	"io"
	"time"
)

// SetMinTokenLifetime lets tests of token renewal use lifetimes of seconds rather than wait 30 s.
func SetMinTokenLifetime(c *Client, d time.Duration) { c.tokens.minLifetime = d }

// RetryAfter and Backoff let the tests of retry.go, which run through the client in this package's
// external tests, check the waits it computes directly.
var (
	RetryAfter = retryAfter
	Backoff    = backoff
)

// DecodeListPage decodes an incidents list answer, for the tests of decodeJSON.
func DecodeListPage(body io.Reader) error { return decodeJSON(body, &listPage{}) }
