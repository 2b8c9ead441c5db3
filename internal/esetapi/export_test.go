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
func DecodeListPage(body io.Reader) error { return decodeJSON(body, &incidentListPage{}) }

// PaceWindow is the window in which the send times of a client paced at a whole number of calls a second
// hold at most that many calls: the pacer's, one second and the margin, less the slack within which a call
// counts from when it was let go rather than from when its headers were written.
const PaceWindow = time.Second + paceMargin - settleSlack
