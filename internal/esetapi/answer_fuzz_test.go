package esetapi_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// FuzzAnswer serves arbitrary answers (status, headers, body) to a listing and to a detail call. The client
// must not panic or hang, must end with data or an error, and no error may show the password or the
// token, whatever the answer echoes.
//
//	go test -run='^$' -fuzz=FuzzAnswer -fuzztime=10s ./internal/esetapi
func FuzzAnswer(f *testing.F) {
	f.Add(200, "Content-Type: application/json", []byte(`{"incidents":[{"uuid":"a"}]}`))
	f.Add(202, "response-id: 11111111-2222-4333-8444-555555555555", []byte(``))
	f.Add(307, "Location: http://127.0.0.1:1/steal", []byte(``))
	f.Add(429, "Retry-After: 99999999999", []byte(`{"message":"slow down"}`))
	f.Add(503, "Retry-After: Wed, 21 Oct 2099 07:28:00 GMT", []byte(`maintenance`))
	f.Add(403, "request-id: TOKEN", []byte(`{"message":"denied TOKEN PASSWORD"}`))
	f.Add(401, "", []byte(`Bearer TOKEN`))
	f.Add(200, "", []byte(`{"incidents":[{"uuid":"a","metrics":{"deviceCount":"TOKEN"}}],"nextPageToken":"x"}`))
	f.Add(200, "", []byte(`{"incident":{"uuid":"PASSWORD"}}`))
	f.Add(404, "", []byte(`<html>not found</html>`))

	const password = `Fu zz&<é!"%+P@ss`
	f.Fuzz(func(t *testing.T, status int, headers string, body []byte) {
		if status < 100 || status > 999 {
			return
		}
		token := ""
		handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/oauth/token" {
				token = "fuzz-access-token-0123456789"
				fmt.Fprintf(w, `{"access_token":%q,"refresh_token":"fuzz-refresh-token-0123456789","token_type":"Bearer","expires_in":3600}`, token)
				return
			}
			echo := strings.NewReplacer("TOKEN", token, "PASSWORD", password)
			for _, line := range strings.Split(headers, "\n") {
				if k, v, ok := strings.Cut(line, ":"); ok && k != "" {
					func() {
						defer func() { _ = recover() }() // an invalid header name is the fuzzer's, not the client's
						w.Header().Set(strings.TrimSpace(k), echo.Replace(strings.TrimSpace(v)))
					}()
				}
			}
			w.WriteHeader(status)
			_, _ = w.Write([]byte(echo.Replace(string(body))))
		})
		ts := httptest.NewServer(handler)
		defer ts.Close()
		cfg := esetapi.Config{
			IAMEndpoint: ts.URL, IncidentManagementEndpoint: ts.URL, Username: "u", Password: password,
			RequestsPerSecond: 1e6, MaxRetries: 1, RequestTimeout: time.Second, PollInterval: time.Microsecond,
			RetryWaitMin: time.Microsecond, RetryWaitMax: time.Millisecond, MaxBodyBytes: 1 << 16, MaxPages: 3,
		}
		c, err := esetapi.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		ctx := testContext(t, 5*time.Second)
		_, lerr := c.ListIncidents(ctx, esetapi.IncidentListOptions{}, func([]esetapi.Incident) error { return nil })
		_, gerr := c.GetIncident(ctx, "00000000-0000-4000-8000-000000000001")
		for _, err := range []error{lerr, gerr} {
			if err == nil {
				continue
			}
			for _, secret := range []string{password, "fuzz-access-token-0123456789", "fuzz-refresh-token-0123456789"} {
				if bytes.Contains([]byte(err.Error()), []byte(secret)) {
					t.Fatalf("the error shows a secret: %v", err)
				}
			}
		}
	})
}
