package simulator

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestTokenEndpoint(t *testing.T) {
	srv := New(Options{Username: "u", Password: "p"})
	for _, tc := range []struct {
		contentType, body string
		status            int
	}{
		{"application/json", `{"grant_type":"password"}`, http.StatusUnsupportedMediaType},
		{"application/x-www-form-urlencoded", "grant_type=password&username=u&password=wrong", http.StatusBadRequest},
		{"application/x-www-form-urlencoded", "grant_type=refresh_token&refresh_token=unknown", http.StatusBadRequest},
		{"application/x-www-form-urlencoded", "grant_type=client_credentials", http.StatusBadRequest},
		{"application/x-www-form-urlencoded", "grant_type=password&username=u&password=p", http.StatusOK},
	} {
		req := httptest.NewRequest(http.MethodPost, "/oauth/token", strings.NewReader(tc.body))
		req.Header.Set("Content-Type", tc.contentType)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != tc.status {
			t.Errorf("%s %s: status %d, want %d", tc.contentType, tc.body, rec.Code, tc.status)
		}
	}
	req := httptest.NewRequest(http.MethodGet, "/v2/incidents", nil)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusUnauthorized {
		t.Errorf("a call without a token: status %d, want 401", rec.Code)
	}
}
