package esetapi

import (
	"net/http"
	"testing"
	"time"
)

// TestRetryAfter reads Retry-After as seconds or as an HTTP date (in each of the three formats HTTP
// allows), refusing what is neither and seconds too large for a Duration.
func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		value string
		want  time.Duration
		ok    bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"7", 7 * time.Second, true},
		{"120", 2 * time.Minute, true},
		{"9223372036", 9223372036 * time.Second, true},
		{"9223372037", 0, false},
		{"9300000000000", 0, false},
		{"99999999999999999999999", 0, false},
		{"-1", 0, false},
		{"1.5", 0, false},
		{" 7", 0, false},
		{"soon", 0, false},
		{now.Add(30 * time.Second).Format(http.TimeFormat), 30 * time.Second, true},
		{now.Add(90 * time.Second).Format(time.RFC850), 90 * time.Second, true},
		{now.Add(5 * time.Second).Format(time.ANSIC), 5 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"Wed, 25 Nov 2026 12:00:00 CET", 0, false},
	} {
		got, ok := retryAfter(tc.value, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", tc.value, got, ok, tc.want, tc.ok)
		}
	}
}

// TestBackoff: without Retry-After, waits grow exponentially from minWait with equal jitter (at least half
// of each step) and never pass maxWait, even for large attempts and minimums; with one, it is obeyed.
func TestBackoff(t *testing.T) {
	t.Parallel()
	for _, bounds := range [][2]time.Duration{
		{time.Millisecond, 5 * time.Millisecond},
		{500 * time.Millisecond, 30 * time.Second},
		{10 * time.Second, time.Hour},
		{time.Hour, 24 * time.Hour},
		{2*time.Minute + 17439000003, 48 * time.Hour}, // wrapped around to a short step at attempt 27
		{time.Second, time.Second / 2},
	} {
		minWait, maxWait := bounds[0], bounds[1]
		for attempt := range 80 {
			step := maxWait
			if attempt < 40 && minWait<<attempt>>attempt == minWait && minWait<<attempt > 0 {
				step = min(minWait<<attempt, maxWait)
			}
			for range 20 {
				got := backoff(minWait, maxWait, attempt, nil)
				if got < step/2 || got > step {
					t.Fatalf("backoff(%v, %v, %d) = %v, want within [%v, %v]", minWait, maxWait, attempt, got, step/2, step)
				}
			}
		}
	}

	resp := func(retryAfter string) *http.Response {
		return &http.Response{StatusCode: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {retryAfter}}}
	}
	if got := backoff(time.Millisecond, 5*time.Millisecond, 0, resp("3")); got != 3*time.Second {
		t.Errorf("Retry-After 3: waited %v", got)
	}
	if got := backoff(time.Second, time.Minute, 4, resp("0")); got != 0 {
		t.Errorf("Retry-After 0: waited %v", got)
	}
	date := time.Now().Add(10 * time.Second).UTC().Format(http.TimeFormat)
	if got := backoff(time.Millisecond, 5*time.Millisecond, 0, resp(date)); got < 8*time.Second || got > 10*time.Second {
		t.Errorf("Retry-After %s: waited %v", date, got)
	}
	if got := backoff(time.Millisecond, 5*time.Millisecond, 1, resp("later")); got < time.Millisecond || got > 2*time.Millisecond {
		t.Errorf("unreadable Retry-After: waited %v, want the exponential step", got)
	}
}
