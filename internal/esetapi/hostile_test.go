package esetapi_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// The hostile-server suite: servers that redirect, echo secrets, send too much, never finish or ask to
// wait for ever. Each test checks the error and that nothing secret arrived where it must not.

// hostilePassword has every character that form, path or JSON encoding changes.
const hostilePassword = `P@ss w&<‹é!"%+rd>`

// collector is a server of another origin that must never be called: it records whatever reaches it.
type collector struct {
	*httptest.Server
	calls atomic.Int32
	mu    sync.Mutex
	seen  []string // the Authorization header and body of each call
}

func newCollector(t *testing.T) *collector {
	c := &collector{}
	c.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.calls.Add(1)
		body, _ := io.ReadAll(r.Body)
		c.mu.Lock()
		c.seen = append(c.seen, r.Header.Get("Authorization")+" "+string(body))
		c.mu.Unlock()
		fmt.Fprint(w, `{"incidents":[],"access_token":"stolen","expires_in":3600}`)
	}))
	t.Cleanup(c.Close)
	return c
}

// logRecorder is a Logger that keeps every message and field, to be searched for secrets.
type logRecorder struct {
	mu   sync.Mutex
	text strings.Builder
}

func (l *logRecorder) Debug(_ context.Context, msg string, fields map[string]any) { l.add(msg, fields) }
func (l *logRecorder) Warn(_ context.Context, msg string, fields map[string]any)  { l.add(msg, fields) }

func (l *logRecorder) add(msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(&l.text, "%s %v\n", msg, fields)
}

func (l *logRecorder) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.text.String()
}

// secretForms are the ways a server may echo a secret: raw, form- and path-encoded (once and twice),
// %20-encoded with lower-case hex, JSON-escaped (with and without HTML escaping, and ASCII-only),
// HTML-escaped, and base64 in both alphabets, padded or not, alone and inside Basic credentials and a
// longer text (at each of the three offsets within a group of three bytes).
func secretForms(secret string) []string {
	forms := []string{secret, url.QueryEscape(secret), url.PathEscape(secret), url.QueryEscape(url.QueryEscape(secret)), url.PathEscape(url.PathEscape(secret))}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		forms = append(forms, enc.EncodeToString([]byte(secret)), enc.EncodeToString([]byte(testUser+":"+secret)), enc.EncodeToString([]byte("x"+secret+"y")))
	}
	lower := regexp.MustCompile(`%[0-9A-F]{2}`).ReplaceAllStringFunc(strings.ReplaceAll(url.QueryEscape(secret), "+", "%20"), strings.ToLower)
	forms = append(forms, lower)
	j, _ := json.Marshal(secret)
	forms = append(forms, strings.Trim(string(j), `"`))
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(secret)
	forms = append(forms, strings.Trim(strings.TrimSpace(b.String()), `"`))
	var ascii strings.Builder
	for _, r := range strings.Trim(string(j), `"`) {
		if r > 0x7e {
			fmt.Fprintf(&ascii, `\u%04x`, r)
		} else {
			ascii.WriteRune(r)
		}
	}
	return append(forms, ascii.String(), html.EscapeString(secret))
}

// assertNoSecret fails when any form of any secret appears in text.
func assertNoSecret(t *testing.T, where, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		for _, form := range secretForms(s) {
			if form != "" && strings.Contains(text, form) {
				t.Errorf("%s shows a secret (%.6s…) as %q: %s", where, s, form, text)
			}
		}
	}
}

// TestRedirectsRefused: a 3xx from the token service or the API fails the call with its status and the
// origin it pointed to; nothing reaches that origin, neither the password form nor the bearer token.
func TestRedirectsRefused(t *testing.T) {
	t.Parallel()
	for _, status := range []int{301, 302, 303, 307, 308} {
		for _, target := range []string{"token", "api"} {
			t.Run(fmt.Sprintf("%d from the %s", status, target), func(t *testing.T) {
				t.Parallel()
				away := newCollector(t)
				var apiCalls atomic.Int32
				cfg := fastConfig()
				cfg.Password = hostilePassword
				e := newEnv(t, simulator.Options{Password: hostilePassword, Username: testUser}, cfg, func(sim http.Handler) http.Handler {
					return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						if (target == "token" && r.URL.Path == "/oauth/token") || (target == "api" && strings.HasPrefix(r.URL.Path, "/v2/")) {
							apiCalls.Add(1)
							http.Redirect(w, r, away.URL+r.URL.RequestURI(), status)
							return
						}
						sim.ServeHTTP(w, r)
					})
				})
				_, _, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.IncidentListOptions{})
				var redirect *esetapi.RedirectError
				if !errors.As(err, &redirect) || !strings.Contains(err.Error(), fmt.Sprint(status)) || !strings.Contains(err.Error(), away.URL) {
					t.Fatalf("want a *RedirectError naming %d and %s, got %T: %v", status, away.URL, err, err)
				}
				if n := away.calls.Load(); n != 0 {
					t.Errorf("%d calls reached the other origin: %q", n, away.seen)
				}
				if n := apiCalls.Load(); n != 1 {
					t.Errorf("%d calls redirected, want 1: a redirect is not retried", n)
				}
				assertNoSecret(t, "the error", err.Error(), hostilePassword)
			})
		}
	}
}

// TestRedirectToPlainHTTPRefused: an https API that redirects to http on the same host gets no bearer
// token there (Go's client keeps Authorization for the same host).
func TestRedirectToPlainHTTPRefused(t *testing.T) {
	t.Parallel()
	away := newCollector(t) // http://127.0.0.1:port, the same host as the https server
	sim := simulator.New(simulator.Options{Username: testUser, Password: testPassword})
	ts := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/v2/") {
			http.Redirect(w, r, away.URL+r.URL.RequestURI(), http.StatusTemporaryRedirect)
			return
		}
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	cfg := fastConfig()
	cfg.IAMEndpoint, cfg.IncidentManagementEndpoint, cfg.Transport = ts.URL, ts.URL, ts.Client().Transport
	c, err := esetapi.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = listAll(testContext(t, 10*time.Second), c, esetapi.IncidentListOptions{})
	var redirect *esetapi.RedirectError
	if !errors.As(err, &redirect) || !strings.Contains(err.Error(), away.URL) {
		t.Fatalf("want a *RedirectError naming %s, got %v", away.URL, err)
	}
	if n := away.calls.Load(); n != 0 {
		t.Errorf("%d calls reached %s: %q", n, away.URL, away.seen)
	}
}

// TestEchoedSecretsRedacted: an error body that echoes the password or a bearer token does not carry them
// into the error text.
func TestEchoedSecretsRedacted(t *testing.T) {
	t.Parallel()
	cfg := fastConfig()
	e := newEnv(t, simulator.Options{}, cfg, apiOverride(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprintf(w, `{"message":"denied for %s with password %s"}`, r.Header.Get("Authorization"), cfg.Password)
	}))
	_, _, err := listAll(testContext(t, 5*time.Second), e.client, esetapi.IncidentListOptions{})
	if err == nil || strings.Contains(err.Error(), cfg.Password) || strings.Contains(err.Error(), "sim-at-") {
		t.Errorf("error text %v carries a secret", err)
	}
}

// TestEchoedSecretsInEveryForm: services that quote the request or the tokens they refuse, in every
// encoding, leave no form of the password or of any token in the error or the logs.
func TestEchoedSecretsInEveryForm(t *testing.T) {
	t.Parallel()
	echo := func(secret string) string {
		j, _ := json.Marshal(map[string]string{"password": secret})
		return fmt.Sprintf("%s | json %s", strings.Join(secretForms(secret), " | "), j)
	}
	for _, tc := range []struct {
		name  string
		token func(w http.ResponseWriter, r *http.Request, body []byte) bool // true when it answered
		api   func(w http.ResponseWriter, r *http.Request)
	}{
		{"token service quotes the form as JSON", func(w http.ResponseWriter, r *http.Request, body []byte) bool {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			form, _ := url.ParseQuery(string(body))
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant", "error_description": "refused " + string(body) + " " + echo(form.Get("password"))})
			return true
		}, nil},
		{"token service quotes the form as text", func(w http.ResponseWriter, r *http.Request, body []byte) bool {
			w.WriteHeader(http.StatusBadRequest)
			form, _ := url.ParseQuery(string(body))
			fmt.Fprintf(w, "bad request %s %s", body, echo(form.Get("password")))
			return true
		}, nil},
		{"token service quotes the form in a 503", func(w http.ResponseWriter, r *http.Request, body []byte) bool {
			w.WriteHeader(http.StatusServiceUnavailable)
			form, _ := url.ParseQuery(string(body))
			fmt.Fprintf(w, "down, got %s %s", body, echo(form.Get("password")))
			return true
		}, nil},
		{"API quotes the bearer token", nil, func(w http.ResponseWriter, r *http.Request) {
			tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
			w.WriteHeader(http.StatusForbidden)
			_ = json.NewEncoder(w).Encode(map[string]string{"message": "denied: " + tok + " " + echo(tok) + " " + r.Header.Get("Authorization")})
		}},
		{"API quotes the bare token as text in a 401", nil, func(w http.ResponseWriter, r *http.Request) {
			tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, "token %s is not valid", tok)
		}},
		{"API quotes the token in a field", nil, func(w http.ResponseWriter, r *http.Request) {
			tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
			fmt.Fprintf(w, `{"incidents":[{"uuid":"u","metrics":{"deviceCount":%q}}]}`, tok)
		}},
		{"API quotes the token in its request-id", nil, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("request-id", r.Header.Get("Authorization"))
			w.WriteHeader(http.StatusBadRequest)
		}},
		{"API retries with the token in the log", nil, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("request-id", r.Header.Get("Authorization"))
			w.Header().Set("Retry-After", "0 "+r.Header.Get("Authorization"))
			w.WriteHeader(http.StatusServiceUnavailable)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			logs := &logRecorder{}
			cfg := fastConfig()
			cfg.Password, cfg.Logger, cfg.MaxRetries = hostilePassword, logs, 1
			e := newEnv(t, simulator.Options{Username: testUser, Password: hostilePassword}, cfg, func(sim http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Path == "/oauth/token" && tc.token != nil {
						body, _ := io.ReadAll(r.Body)
						tc.token(w, r, body)
						return
					}
					if strings.HasPrefix(r.URL.Path, "/v2/") && tc.api != nil {
						tc.api(w, r)
						return
					}
					sim.ServeHTTP(w, r)
				})
			})
			_, _, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.IncidentListOptions{})
			if err == nil {
				t.Fatal("no error")
			}
			secrets := append([]string{hostilePassword}, e.sim.IssuedTokens()...)
			assertNoSecret(t, "the error", err.Error(), secrets...)
			assertNoSecret(t, "the log", logs.String(), secrets...)
			for _, target := range []any{new(*esetapi.APIError), new(*esetapi.AuthError), new(*esetapi.DecodeError)} {
				if errors.As(err, target) {
					assertNoSecret(t, "the typed error's fields", fmt.Sprintf("%+v", target), secrets...)
				}
			}
		})
	}
}

// TestBodyLimit: an answer larger than MaxBodyBytes fails the read with an error that says so, without
// reading the rest of it.
func TestBodyLimit(t *testing.T) {
	t.Parallel()
	var written atomic.Int64
	cfg := fastConfig()
	cfg.MaxBodyBytes = 1 << 20
	e := newEnv(t, simulator.Options{}, cfg, apiOverride(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.WriteString(w, `{"incidents":[`)
		written.Add(int64(n))
		chunk := strings.Repeat(`{"uuid":"u","displayName":"padding padding padding"},`, 1000)
		for range 2000 { // about 100 MiB
			n, err := io.WriteString(w, chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	}))
	_, _, err := listAll(testContext(t, 20*time.Second), e.client, esetapi.IncidentListOptions{})
	if err == nil || !strings.Contains(err.Error(), "larger than the limit of 1 MiB") {
		t.Fatalf("got %v, want the body limit named", err)
	}
	time.Sleep(100 * time.Millisecond)
	if n := written.Load(); n > 32<<20 {
		t.Errorf("the server wrote %d bytes: the body was read past the limit", n)
	}
}

// TestOversizedPage: a page with more incidents than asked for is an error, not a quiet truncation.
func TestOversizedPage(t *testing.T) {
	t.Parallel()
	for _, maxResults := range []int{0, 2} {
		t.Run(fmt.Sprint("max results ", maxResults), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, simulator.Options{}, fastConfig(), apiOverride(func(w http.ResponseWriter, r *http.Request) {
				var b strings.Builder
				b.WriteString(`{"incidents":[`)
				size := esetapi.MaxPageSize
				if maxResults > 0 {
					size = maxResults
				}
				for i := range size + 1 {
					if i > 0 {
						b.WriteString(",")
					}
					fmt.Fprintf(&b, `{"uuid":"u%d"}`, i)
				}
				b.WriteString(`],"nextPageToken":"next"}`)
				fmt.Fprint(w, b.String())
			}))
			_, _, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.IncidentListOptions{MaxResults: maxResults})
			var pagingErr *esetapi.PagingError
			if !errors.As(err, &pagingErr) || !strings.Contains(err.Error(), "more than asked for") {
				t.Fatalf("got %v, want a *PagingError about a page larger than asked for", err)
			}
		})
	}
}

// TestEndless202: a query the API keeps answering 202 is given up after a bounded number of polls, even
// with no deadline.
func TestEndless202(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	e := newEnv(t, simulator.Options{}, fastConfig(), apiOverride(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("response-id", "11111111-2222-4333-8444-555555555555")
		w.WriteHeader(http.StatusAccepted)
	}))
	_, _, err := listAll(context.Background(), e.client, esetapi.IncidentListOptions{})
	if err == nil || !strings.Contains(err.Error(), "not ready after") || !strings.Contains(err.Error(), "request-id") {
		t.Fatalf("got %v, want the polls given up on", err)
	}
	if n := calls.Load(); n > 200 {
		t.Errorf("%d polls", n)
	}
}

// TestAbsurdRetryAfter: a Retry-After longer than any read waits for fails at once with a message that
// says so, even with no deadline.
func TestAbsurdRetryAfter(t *testing.T) {
	t.Parallel()
	for _, value := range []string{"86400", time.Now().Add(48 * time.Hour).UTC().Format(http.TimeFormat)} {
		e := newEnv(t, simulator.Options{}, fastConfig(), apiOverride(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", value)
			w.WriteHeader(http.StatusTooManyRequests)
		}))
		done := make(chan error, 1)
		go func() {
			_, _, err := listAll(context.Background(), e.client, esetapi.IncidentListOptions{})
			done <- err
		}()
		select {
		case err := <-done:
			_ = assertAPIError(t, err, http.StatusTooManyRequests, "", 1)
			if !strings.Contains(err.Error(), "asked to wait") {
				t.Errorf("%q: the error does not say why it did not wait: %v", value, err)
			}
		case <-time.After(3 * time.Second):
			t.Fatalf("Retry-After %q: still waiting after 3 s", value)
		}
	}
}

// TestTricklingBody: a body that trickles in is bounded by the attempt's timeout, with an error that says
// so rather than calling it malformed.
func TestTricklingBody(t *testing.T) {
	t.Parallel()
	cfg := fastConfig()
	cfg.RequestTimeout, cfg.MaxRetries = 300*time.Millisecond, 1
	e := newEnv(t, simulator.Options{}, cfg, apiOverride(func(w http.ResponseWriter, r *http.Request) {
		for {
			if _, err := io.WriteString(w, " "); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}))
	// Unbounded, the trickle would last until the context's deadline, and the error would be that.
	_, _, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.IncidentListOptions{})
	if err == nil || !strings.Contains(err.Error(), "did not arrive within") {
		t.Fatalf("got %v, want the attempt timeout named", err)
	}
}

// TestHostilePageTokens: a page token longer than the published 128 characters allow (as sent back,
// escaped: 384 bytes) fails the listing with a *PagingError at once, whatever its size, rather than be kept
// and sent; tokens up to that length are followed.
func TestHostilePageTokens(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		token string
		ok    bool
	}{
		{"384 plain bytes", strings.Repeat("a", 384), true},
		{"128 characters escaped into 384 bytes", strings.Repeat("+", 128), true},
		{"385 plain bytes", strings.Repeat("a", 385), false},
		{"129 characters escaped into 387 bytes", strings.Repeat("+", 129), false},
		{"8 MiB", strings.Repeat("t", 8<<20), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var second atomic.Bool
			e := newEnv(t, simulator.Options{}, fastConfig(), apiOverride(func(w http.ResponseWriter, r *http.Request) {
				if tok := r.URL.Query().Get("pageToken"); tok != "" {
					second.Store(tok == tc.token)
					fmt.Fprint(w, `{"deviceGroups":[{"uuid":"00000000-0000-4000-8000-000000000002"}]}`)
					return
				}
				_ = json.NewEncoder(w).Encode(map[string]any{"deviceGroups": []any{map[string]string{"uuid": "00000000-0000-4000-8000-000000000001"}}, "nextPageToken": tc.token})
			}))
			groups, err := listGroups(testContext(t, 10*time.Second), e.client)
			if tc.ok {
				if err != nil || len(groups) != 2 || !second.Load() {
					t.Fatalf("got %d groups, token sent back intact: %v, %v; want both pages", len(groups), second.Load(), err)
				}
				return
			}
			var pagingErr *esetapi.PagingError
			if !errors.As(err, &pagingErr) || !strings.Contains(err.Error(), fmt.Sprintf("page token of %d bytes", len(tc.token))) || len(err.Error()) > 500 {
				t.Fatalf("got %.600v, want a short *PagingError naming the token's length", err)
			}
			if second.Load() {
				t.Error("the token was sent back")
			}
		})
	}
}

// TestHostileUUIDs: an item whose uuid is not uuid-shaped (8 MiB of it, or a uuid with more after it)
// fails the listing with a *DecodeError that quotes only its start, escaped; uuids that differ only in
// letter case are one item, as the API compares them.
func TestHostileUUIDs(t *testing.T) {
	t.Parallel()
	const valid = "4d4e8d3c-0000-4000-8000-00000000000a"
	for _, uuid := range []string{strings.Repeat("u", 8<<20), valid + "\x1b[2J", ""} {
		e := newEnv(t, simulator.Options{}, fastConfig(), apiOverride(func(w http.ResponseWriter, r *http.Request) {
			_ = json.NewEncoder(w).Encode(map[string]any{"devices": []any{map[string]string{"uuid": valid}, map[string]string{"uuid": uuid}}})
		}))
		res, err := listDevices(testContext(t, 10*time.Second), e.client, esetapi.DeviceListOptions{})
		if uuid == "" {
			// An item without a uuid (proto3 leaves an empty one out) is not refused, as before.
			if err != nil || len(res.Devices) != 2 {
				t.Errorf("no uuid: %d devices, %v", len(res.Devices), err)
			}
			continue
		}
		assertDecodeError(t, err, "which is not a uuid")
		if err != nil && (len(err.Error()) > 500 || strings.Contains(err.Error(), "\x1b")) {
			t.Errorf("the error quotes too much, or unescaped: %.600q", err)
		}
	}

	e := newEnv(t, simulator.Options{}, fastConfig(), apiOverride(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"devices":[{"uuid":%q},{"uuid":%q}]}`, valid, strings.ToUpper(valid))
	}))
	res, err := listDevices(testContext(t, 10*time.Second), e.client, esetapi.DeviceListOptions{})
	if err != nil || len(res.Devices) != 1 || res.Duplicates != 1 {
		t.Errorf("a uuid in two letter cases: %d devices, %d duplicates, %v; want one device and one duplicate", len(res.Devices), res.Duplicates, err)
	}
}

// hostileText clears the screen, sets the window title, colours a forged line, reverses text and sends a
// one-byte CSI, as a server's message or name may.
const hostileText = "\x1b[2J\x1b]0;owned\x07\x1b[31mFAKE: all incidents closed\x1b[0m\r\nError: forged \u202eevil\u202c \u009b31m"

// assertShowable fails when text holds a character a terminal acts on, or one that reorders text, that
// EscapeServerText would have escaped, or lacks want.
func assertShowable(t *testing.T, where, text, want string) {
	t.Helper()
	if escaped := esetapi.EscapeServerText(text); escaped != text {
		t.Errorf("%s shows control characters raw: %q", where, text)
	}
	if !strings.Contains(text, want) {
		t.Errorf("%s does not show %q visibly: %q", where, want, text)
	}
}

// TestServerControlsEscaped: messages from the API and the token service, as JSON or as text (with bytes
// that are not UTF-8), reach the error, its typed fields and the log with every control character escaped
// visibly.
func TestServerControlsEscaped(t *testing.T) {
	t.Parallel()
	jsonMessage := func(w http.ResponseWriter, status int) {
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]any{"code": 7, "message": hostileText})
	}
	for _, tc := range []struct {
		name  string
		token func(w http.ResponseWriter)
		api   func(w http.ResponseWriter)
	}{
		{"API 403 as JSON", nil, func(w http.ResponseWriter) { jsonMessage(w, http.StatusForbidden) }},
		{"API 400 as text", nil, func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, hostileText+" \x9b\xff")
		}},
		{"API 503 after retries", nil, func(w http.ResponseWriter) { jsonMessage(w, http.StatusServiceUnavailable) }},
		{"token service 400", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant", "error_description": hostileText})
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			logs := &logRecorder{}
			cfg := fastConfig()
			cfg.Logger, cfg.MaxRetries = logs, 1
			e := newEnv(t, simulator.Options{}, cfg, func(sim http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					switch {
					case r.URL.Path == "/oauth/token" && tc.token != nil:
						tc.token(w)
					case strings.HasPrefix(r.URL.Path, "/v1/") && tc.api != nil:
						w.Header().Set("request-id", newRequestID())
						w.Header().Set("Retry-After", "0")
						tc.api(w)
					default:
						sim.ServeHTTP(w, r)
					}
				})
			})
			_, err := listDevices(testContext(t, 10*time.Second), e.client, esetapi.DeviceListOptions{})
			if err == nil {
				t.Fatal("no error")
			}
			assertShowable(t, "the error", err.Error(), `\x1b[31mFAKE: all incidents closed`)
			var apiErr *esetapi.APIError
			var authErr *esetapi.AuthError
			switch {
			case errors.As(err, &apiErr):
				assertShowable(t, "the APIError's message", apiErr.Message, `\u202eevil`)
			case errors.As(err, &authErr):
				assertShowable(t, "the AuthError's message", authErr.Message, `\r\nError: forged`)
			default:
				t.Errorf("got %T, want an *APIError or *AuthError", err)
			}
			assertShowable(t, "the log", strings.ReplaceAll(logs.String(), "\n", " "), "")
		})
	}
}
