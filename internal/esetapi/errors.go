package esetapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// APIError is an HTTP error answer from ESET Connect. It carries what a user needs to act on it or to
// ask ESET support about it: the status, the API's own message, and the response's request-id.
type APIError struct {
	// Operation says what was being done, e.g. "list incidents".
	Operation  string
	StatusCode int
	// Message is the message of the response body, or the HTTP status text when the body has none.
	Message   string
	RequestID string
	// Attempts counts the tries made when the error is what remained after retrying.
	Attempts int
	// RetryAfter is the wait the answer asked for when the client could not wait that long.
	RetryAfter time.Duration
	// service is the API the call went to, for the hints.
	service service
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: HTTP %d %s", e.Operation, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message != "" && e.Message != http.StatusText(e.StatusCode) {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	fmt.Fprintf(&b, " (request-id: %s)", orUnknown(e.RequestID))
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, ". The API asked to wait %s before retrying, longer than the client waits (at most %s, and never past the read's timeout)",
			e.RetryAfter, MaxRetryAfter)
	}
	if hint := e.hint(); hint != "" {
		b.WriteString(". ")
		b.WriteString(hint)
	}
	return b.String()
}

func (e *APIError) hint() string {
	svc := e.service
	if svc == (service{}) {
		svc = unknownService
	}
	switch e.StatusCode {
	case http.StatusNotFound:
		if strings.HasPrefix(e.Operation, "list ") {
			return fmt.Sprintf("The API has no such path: check that %s (or %s) is the API's base URL, without a path, for the account's region", svc.setting, svc.env)
		}
	case http.StatusBadRequest:
		return "The API refused the request as invalid: check " + svc.arguments
	case http.StatusUnauthorized:
		return "The API refused the credentials or token: check username, password and that region matches the account's region"
	case http.StatusForbidden:
		return fmt.Sprintf("Access denied: the API user likely lacks the permission to read %s; in ESET PROTECT Hub or ESET Business Account give it Integrations access with read permission for %s",
			strings.ToLower(svc.records), svc.records)
	case http.StatusTooManyRequests:
		return "The API's rate limit (10 calls per second per credentials) was exceeded: lower requests_per_second, or run fewer readers with the same credentials at once"
	case http.StatusServiceUnavailable:
		return "ESET Connect is unavailable, possibly under maintenance: try again later"
	}
	if e.StatusCode >= 500 {
		return "ESET Connect failed to answer: try again later, and give the request-id to ESET support if it persists"
	}
	return ""
}

// ErrNotFound is matched by the APIError of a 404 answer, so callers can use errors.Is.
var ErrNotFound = errors.New("not found")

// Is makes errors.Is(err, ErrNotFound) true for a 404.
func (e *APIError) Is(target error) bool {
	return target == ErrNotFound && e.StatusCode == http.StatusNotFound
}

// AuthError is a failed token request: bad credentials, a wrong region, or a failing token service.
type AuthError struct {
	StatusCode int
	Message    string
	RequestID  string
	Err        error
}

func (e *AuthError) Error() string {
	if e.Err != nil {
		// The token service gave no answer to refuse with: not an authentication failure.
		return fmt.Sprintf("%s: %v", tokenOperation, e.Err)
	}
	msg := fmt.Sprintf("authentication failed: HTTP %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message != "" {
		msg += ": " + e.Message
	}
	msg += fmt.Sprintf(" (request-id: %s)", orUnknown(e.RequestID))
	if e.StatusCode >= 400 && e.StatusCode < 500 {
		msg += ". Check username and password (those of an ESET Connect API user) and that region matches the region of the account"
	}
	return msg
}

func (e *AuthError) Unwrap() error { return e.Err }

// DecodeError is a response that could not be read as the API's JSON: malformed or cut short.
type DecodeError struct {
	Operation string
	RequestID string
	Err       error
}

func (e *DecodeError) Error() string {
	return fmt.Sprintf("%s: the response body is malformed or truncated (request-id: %s): %v", e.Operation, orUnknown(e.RequestID), e.Err)
}

func (e *DecodeError) Unwrap() error { return e.Err }

// PagingError is a listing the API broke: a page token that comes back, or more pages than any tenant has.
type PagingError struct {
	// Operation says which listing, e.g. "list incidents".
	Operation string
	Problem   string
	Page      int
	RequestID string
}

func (e *PagingError) Error() string {
	return fmt.Sprintf("%s: %s at page %d (last request-id: %s); the listing was stopped rather than return incomplete or repeated data", e.Operation, e.Problem, e.Page, orUnknown(e.RequestID))
}

func orUnknown(s string) string {
	if s == "" {
		return "none sent"
	}
	return s
}

// newAPIError reads the body of an error answer for its message. The gRPC gateway's shape
// {"code": 3, "message": "…"} is common but not promised, so any body falls back to the status text.
func newAPIError(op string, resp *http.Response) *APIError {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	return &APIError{
		Operation:  op,
		StatusCode: resp.StatusCode,
		Message:    errorMessage(body, resp.StatusCode),
		RequestID:  resp.Header.Get(HeaderRequestID),
		service:    serviceOf(resp.Request.URL.Path),
	}
}

func errorMessage(body []byte, status int) string {
	var shaped struct {
		Message          string `json:"message"`
		Error            any    `json:"error"`
		ErrorDescription string `json:"error_description"`
	}
	if json.Unmarshal(body, &shaped) == nil {
		switch {
		case shaped.Message != "":
			return shaped.Message
		case shaped.ErrorDescription != "":
			return shaped.ErrorDescription
		}
		if s, ok := shaped.Error.(string); ok && s != "" {
			return s
		}
	}
	text := strings.TrimSpace(string(body))
	if text != "" && !strings.HasPrefix(text, "<") && len(text) <= 500 && !strings.ContainsAny(text, "{}") {
		return text
	}
	return http.StatusText(status)
}

// URLTooLongError is a list call refused before it is sent: its URL, with room for a page token, would be
// longer than MaxURLBytes.
type URLTooLongError struct {
	Operation string
	Bytes     int
}

func (e *URLTooLongError) Error() string {
	return fmt.Sprintf("%s: the call's URL would be %d bytes (the filter escaped, with room for a page token), more than the %d that servers and proxies accept",
		e.Operation, e.Bytes, MaxURLBytes)
}
