package esetapi

import (
	"errors"
	"net/http"
	"strings"
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

// TestDecodeJSON: one JSON value, nothing but white space after it.
func TestDecodeJSON(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		body string
		err  string // "" for success
	}{
		{`{"incidents":[{"uuid":"a"}],"nextPageToken":"t"}`, ""},
		{"{\"incidents\":[]}\r\n\t ", ""},
		{`null`, ""},
		{``, "empty body"},
		{`   `, "empty body"},
		{`{"incidents":[{"uuid":"a"}`, "unexpected EOF"},
		{`{"incidents":[]}}`, "unexpected data after the JSON value"},
		{`{"incidents":[]} {"incidents":[]}`, "unexpected data after the JSON value"},
		{`{"incidents":[]}garbage`, "unexpected data after the JSON value"},
		{`{"incidents":{}}`, "cannot unmarshal"},
		{`{"incidents":[{"metrics":{"deviceCount":"x"}}]}`, "int64 value x"},
	} {
		var page listPage
		err := decodeJSON(strings.NewReader(tc.body), &page)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%q: %v", tc.body, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%q: error %v, want one containing %q", tc.body, err, tc.err)
		}
	}
}

// TestInt64 decodes int64 fields written as numbers, as strings and as null.
func TestInt64(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want Int64
		ok   bool
	}{
		{`0`, 0, true},
		{`42`, 42, true},
		{`-42`, -42, true},
		{`"42"`, 42, true},
		{`"-9223372036854775808"`, -9223372036854775808, true},
		{`9223372036854775807`, 9223372036854775807, true},
		{`null`, 0, true},
		{` 7 `, 7, true},
		{`"\u0037"`, 7, true},
		{`9223372036854775808`, 0, false},
		{`1.0`, 0, false},
		{`1e3`, 0, false},
		{`""`, 0, false},
		{`"null"`, 0, false},
		{`"12`, 0, false},
		{`true`, 0, false},
		{`[1]`, 0, false},
	} {
		n := Int64(99)
		err := n.UnmarshalJSON([]byte(tc.in))
		if (err == nil) != tc.ok || (tc.ok && n != tc.want) {
			t.Errorf("%s: got %d, %v; want %d, ok=%v", tc.in, n, err, tc.want, tc.ok)
		}
	}
}

// TestErrorMessage: the message of an error body in each shape seen, and the status text otherwise.
func TestErrorMessage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		body string
		want string
	}{
		{`{"code":3,"message":"invalid filter","details":[]}`, "invalid filter"},
		{`{"error":"invalid_grant","error_description":"Invalid user credentials"}`, "Invalid user credentials"},
		{`{"error":"invalid_grant"}`, "invalid_grant"},
		{`{"error":{"code":7}}`, "Forbidden"},
		{`{"message":5}`, "Forbidden"},
		{"no permission for incidents\n", "no permission for incidents"},
		{`<html><body>403</body></html>`, "Forbidden"},
		{strings.Repeat("x", 501), "Forbidden"},
		{``, "Forbidden"},
	} {
		if got := errorMessage([]byte(tc.body), http.StatusForbidden); got != tc.want {
			t.Errorf("errorMessage(%.40q) = %q, want %q", tc.body, got, tc.want)
		}
	}
}

// TestErrorTexts: what users read names the status, the message once, the attempts, the request-id (or
// that none came) and a hint.
func TestErrorTexts(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err  error
		want []string
		not  []string
	}{
		{&APIError{Operation: "list incidents", StatusCode: 503, Message: "Service Unavailable", RequestID: "rid-1", Attempts: 9},
			[]string{"list incidents: HTTP 503 Service Unavailable (after 9 attempts) (request-id: rid-1)", "maintenance"}, []string{"Unavailable: Service"}},
		{&APIError{Operation: "list incidents", StatusCode: 400, Message: "bad filter", Attempts: 1},
			[]string{"HTTP 400 Bad Request: bad filter (request-id: none sent)", "filter"}, []string{"attempts"}},
		{&APIError{Operation: "get incident", StatusCode: 403, Message: "denied", RequestID: "r"}, []string{"Integrations access"}, nil},
		{&AuthError{StatusCode: 400, Message: "invalid_grant: Invalid user credentials", RequestID: "r2"},
			[]string{"authentication failed: HTTP 400 Bad Request: invalid_grant: Invalid user credentials (request-id: r2)", "region"}, nil},
		{&AuthError{StatusCode: 503, RequestID: "r3"}, []string{"HTTP 503"}, []string{"region"}},
		{&DecodeError{Operation: "list incidents", RequestID: "r4", Err: errors.New("unexpected EOF")}, []string{"request-id: r4", "unexpected EOF"}, nil},
		{&PagingError{Problem: "a repeated token", Page: 3, RequestID: "r5"}, []string{"at page 3 (last request-id: r5)"}, nil},
	} {
		text := tc.err.Error()
		for _, w := range tc.want {
			if !strings.Contains(text, w) {
				t.Errorf("%q lacks %q", text, w)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(text, n) {
				t.Errorf("%q contains %q", text, n)
			}
		}
	}
	if !errors.Is(&APIError{StatusCode: 404}, ErrNotFound) || errors.Is(&APIError{StatusCode: 403}, ErrNotFound) {
		t.Error("only a 404 matches ErrNotFound")
	}
}
