package query

import "time"

// The suggestions and the duration syntax of typed filters, shared with the provider's arguments that are
// not filters (detections' time window, device and detection enum lists), so that both read alike.

// Closest returns the candidate nearest to s, as "did you mean" suggestions use it.
func Closest(s string, candidates []string) string { return closest(s, candidates) }

// TimestampHint suggests the likely fix of a malformed RFC 3339 timestamp, such as 2025-04-18T00:00:00Z for
// 2025-04-18, as a clause starting with " (did you mean"; "" when it has none.
func TimestampHint(s string) string { return timestampHint(s) }

// ParseWithin parses a duration such as "24h", "90m" or "7d" (whole days first, a day being 24 hours), as
// created_within takes it.
func ParseWithin(s string) (time.Duration, error) { return parseWithin(s) }
