package esetapi

import "time"

// SetMinTokenLifetime lets tests of token renewal use lifetimes of seconds rather than wait 30 s.
func SetMinTokenLifetime(c *Client, d time.Duration) { c.tokens.minLifetime = d }
