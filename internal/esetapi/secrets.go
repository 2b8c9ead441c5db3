package esetapi

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// BearerPattern matches a bearer token in text, such as a header a proxy echoes in an error page.
var BearerPattern = regexp.MustCompile(`(?i)bearer\s+[A-Za-z0-9._~+/=%-]+`)

// secretSet holds the password and every token the client obtained, and removes each of them from text
// that came from the network, in every form a server may echo it: raw, form- and path-encoded, and
// JSON-escaped. Error texts reach Terraform's diagnostics and logs, which are masked by nobody else.
type secretSet struct {
	mu       sync.Mutex
	values   []string
	replacer *strings.Replacer
}

const redacted = "***"

// minSecretLength is the shortest secret redacted: replacing every "p" of a message for a password "p"
// would make it unreadable, and a secret that short is no secret.
const minSecretLength = 4

func (s *secretSet) add(secrets ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, secret := range secrets {
		if len(secret) >= minSecretLength && !slices.Contains(s.values, secret) {
			s.values = append(s.values, secret)
			s.replacer = nil
		}
	}
}

// redact returns text without any form of any secret, and without bearer tokens it does not know.
func (s *secretSet) redact(text string) string {
	s.mu.Lock()
	r := s.replacer
	if r == nil {
		var forms []string
		for _, v := range s.values {
			forms = append(forms, secretForms(v)...)
		}
		// The longest first, so that an encoded form is replaced whole before a raw part of it.
		slices.SortFunc(forms, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
		forms = slices.Compact(forms)
		pairs := make([]string, 0, 2*len(forms))
		for _, f := range forms {
			pairs = append(pairs, f, redacted)
		}
		r = strings.NewReplacer(pairs...)
		s.replacer = r
	}
	s.mu.Unlock()
	return BearerPattern.ReplaceAllString(r.Replace(text), "Bearer "+redacted)
}

// secretForms lists the ways a secret appears in echoed requests and bodies.
func secretForms(secret string) []string {
	htmlEscaped, _ := json.Marshal(secret)
	var plain strings.Builder
	enc := json.NewEncoder(&plain)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(secret)
	return []string{
		secret,
		url.QueryEscape(secret),
		url.PathEscape(secret),
		strings.Trim(string(htmlEscaped), `"`),
		strings.Trim(strings.TrimSpace(plain.String()), `"`),
	}
}

// clean redacts the texts of the client's typed errors in place, and wraps any error whose text still
// shows a secret (a wrapped transport or decoding error) in one that does not.
func (s *secretSet) clean(err error) error {
	if err == nil {
		return nil
	}
	var (
		apiErr      *APIError
		authErr     *AuthError
		decodeErr   *DecodeError
		redirectErr *RedirectError
	)
	if errors.As(err, &apiErr) {
		apiErr.Message, apiErr.RequestID = s.redact(apiErr.Message), s.redact(apiErr.RequestID)
	}
	if errors.As(err, &authErr) {
		authErr.Message, authErr.RequestID = s.redact(authErr.Message), s.redact(authErr.RequestID)
	}
	if errors.As(err, &decodeErr) {
		decodeErr.RequestID = s.redact(decodeErr.RequestID)
		if text := s.redact(decodeErr.Err.Error()); text != decodeErr.Err.Error() {
			decodeErr.Err = errors.New(text)
		}
	}
	if errors.As(err, &redirectErr) {
		redirectErr.Location, redirectErr.RequestID = s.redact(redirectErr.Location), s.redact(redirectErr.RequestID)
	}
	if text := s.redact(err.Error()); text != err.Error() {
		return &redactedError{err: err, text: text}
	}
	return err
}

// redactedError is an error whose text had secrets removed; errors.Is and errors.As still see the original.
type redactedError struct {
	err  error
	text string
}

func (e *redactedError) Error() string { return e.text }
func (e *redactedError) Unwrap() error { return e.err }

// redactingLogger removes secrets from the messages and fields the client logs.
type redactingLogger struct {
	base    Logger
	secrets *secretSet
}

func (l redactingLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	l.base.Debug(ctx, l.secrets.redact(msg), l.fields(fields))
}

func (l redactingLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	l.base.Warn(ctx, l.secrets.redact(msg), l.fields(fields))
}

func (l redactingLogger) fields(fields map[string]any) map[string]any {
	for k, v := range fields {
		switch v := v.(type) {
		case string:
			fields[k] = l.secrets.redact(v)
		case error:
			fields[k] = l.secrets.redact(v.Error())
		}
	}
	return fields
}
