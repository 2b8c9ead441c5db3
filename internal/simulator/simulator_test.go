package simulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// call sends one GET to srv with a fresh token and returns the status and body.
func call(t testing.TB, srv *Server, target string) (int, string, http.Header) {
	t.Helper()
	return send(t, srv, http.MethodGet, target, "")
}

// send sends one API call to srv with a fresh token and returns the status and body.
func send(t testing.TB, srv *Server, method, target, reqBody string) (int, string, http.Header) {
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
	if reqBody != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Body)
	return rec.Code, string(body), rec.Header()
}
