package esetapi

import (
	"errors"
	"net/http"
	"net/url"
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

// TestHintsNameTheService: a hint names the endpoint setting, the permission and the arguments of the
// service the call went to, not always those of incidents. Detections are served by the incidents host.
func TestHintsNameTheService(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		path   string
		status int
		want   []string
		not    []string
	}{
		{"/v2/incidents", 404, []string{"incident_management_endpoint", "ESET_INCIDENT_MANAGEMENT_ENDPOINT"}, []string{"device_management_endpoint"}},
		{"/v2/incidents", 403, []string{"read permission for Incidents"}, nil},
		{"/v2/incidents", 400, []string{"filter and order_by"}, nil},
		{"/v1/devices", 404, []string{"device_management_endpoint", "ESET_DEVICE_MANAGEMENT_ENDPOINT"}, []string{"incident_management_endpoint"}},
		{"/v1/devices/4d4e8d3c-0000-4000-8000-000000000000", 403, []string{"read permission for Devices"}, []string{"Incidents"}},
		{"/v1/device_groups", 400, []string{"display names"}, []string{"filter and order_by"}},
		{"/v1/detections", 404, []string{"incident_management_endpoint"}, []string{"device_management_endpoint"}},
		{"/v1/detections", 403, []string{"read permission for Detections"}, []string{"Incidents"}},
		{"/v1/detections", 400, []string{"device uuids", "time window"}, []string{"filter and order_by"}},
		{"/v2/detections:batchGet", 400, []string{"detection uuids"}, []string{"filter and order_by"}},
	} {
		resp := &http.Response{StatusCode: tc.status, Body: http.NoBody, Header: http.Header{},
			Request: &http.Request{URL: &url.URL{Scheme: "https", Host: "h", Path: tc.path}}}
		text := newAPIError("list things", resp).Error()
		for _, w := range tc.want {
			if !strings.Contains(text, w) {
				t.Errorf("%d on %s: %q does not say %q", tc.status, tc.path, text, w)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(text, n) {
				t.Errorf("%d on %s: %q says %q", tc.status, tc.path, text, n)
			}
		}
	}
}
