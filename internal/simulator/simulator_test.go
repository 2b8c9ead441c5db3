package simulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// call sends one GET to srv with a fresh token and returns the status and body.
func call(t *testing.T, srv *Server, target string) (int, string, http.Header) {
	t.Helper()
	return send(t, srv, http.MethodGet, target, "")
}

// send sends one API call to srv with a fresh token and returns the status and body.
func send(t *testing.T, srv *Server, method, target, reqBody string) (int, string, http.Header) {
	t.Helper()
	form := url.Values{"grant_type": {"password"}, "username": {"u"}, "password": {"p"}}
	tokReq := httptest.NewRequest(http.MethodPost, "/oauth/token", strings.NewReader(form.Encode()))
	tokReq.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	tokRec := httptest.NewRecorder()
	srv.ServeHTTP(tokRec, tokReq)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(tokRec.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("token endpoint: %d %v", tokRec.Code, err)
	}
	req := httptest.NewRequest(method, target, strings.NewReader(reqBody))
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Body)
	return rec.Code, string(body), rec.Header()
}

func TestListAnswers(t *testing.T) {
	srv := New(Options{Incidents: Generate(1, 1200), Username: "u", Password: "p"})
	for _, tc := range []struct {
		name, query string
		status      int
		want        string
		incidents   int
	}{
		{"default page size", "", 200, `"nextPageToken"`, 50},
		{"page size capped", "pageSize=5000", 200, `"nextPageToken"`, 1000},
		{"page size zero", "pageSize=0", 200, "", 50},
		{"negative page size", "pageSize=-1", 400, "invalid pageSize", 0},
		{"filter evaluated", "pageSize=1000&filter=" + url.QueryEscape(`incident.severity == INCIDENT_SEVERITY_LEVEL_HIGH`), 200, "INCIDENT_SEVERITY_LEVEL_HIGH", -1},
		{"filter error", "filter=" + url.QueryEscape(`incident.status != INCIDENT_STATUS_OPEN`), 400, "invalid filter", 0},
		{"order_by error", "orderBy=priority", 400, "invalid orderBy", 0},
		{"foreign page token", "pageToken=bm9wZQ", 400, "invalid page token", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body, header := call(t, srv, "/v2/incidents?"+tc.query)
			if status != tc.status || !strings.Contains(body, tc.want) {
				t.Fatalf("status %d, body %.200s; want %d with %q", status, body, tc.status, tc.want)
			}
			if header.Get("request-id") == "" {
				t.Error("no request-id header")
			}
			if tc.incidents >= 0 && status == 200 {
				var page struct{ Incidents []esetapi.Incident }
				if err := json.Unmarshal([]byte(body), &page); err != nil || len(page.Incidents) != tc.incidents {
					t.Errorf("%d incidents (%v), want %d", len(page.Incidents), err, tc.incidents)
				}
			}
		})
	}
}

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
