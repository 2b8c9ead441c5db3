package esetapi

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

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
