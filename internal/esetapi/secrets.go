package esetapi

import (
	"cmp"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// BearerPattern matches a bearer token in text, such as a header a proxy echoes in an error page.
var BearerPattern = regexp.MustCompile(`(?i)bearer\s+[A-Za-z0-9._~+/=%-]+`)

// secretSet holds the password and every token the client obtained, and removes each of them from text
// that came from the network, in any form a server may echo it: each character raw, percent-encoded once
// or twice (either case of hex, a space also as + or %2B), JSON-escaped (\uXXXX in either case, or \" \\ \/)
// or as an HTML entity (named or numeric), in any mix, and in any letter case; and in base64 (see
// base64Cores). Error texts reach Terraform's diagnostics and logs, which are masked by nobody else.
type secretSet struct {
	mu       sync.Mutex
	values   []string
	patterns []*regexp.Regexp // one per value, longest value first, so that a secret inside another goes with it
}

const redacted = "***"

// minSecretLength is the shortest secret redacted: replacing every "p" of a message for a password "p"
// would make it unreadable, and a secret that short is no secret.
const minSecretLength = 4

// add compiles each new secret once: secrets are few (the password and a token per renewal).
func (s *secretSet) add(secrets ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, secret := range secrets {
		if len(secret) < minSecretLength || slices.Contains(s.values, secret) {
			continue
		}
		i, _ := slices.BinarySearchFunc(s.values, secret, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
		s.values = slices.Insert(s.values, i, secret)
		// A new slice: redact reads the old one without the lock, and an insert in place would shift its
		// patterns under it, skipping one.
		s.patterns = slices.Insert(slices.Clone(s.patterns), i, secretPattern(secret))
	}
}

// showable is text from the network made fit to show: without secrets (redact), then with the characters
// a terminal acts on escaped (EscapeServerText). Every error and log text of the client goes through it.
func (s *secretSet) showable(text string) string { return EscapeServerText(s.redact(text)) }

// redact returns text without any form of any secret, and without bearer tokens it does not know.
func (s *secretSet) redact(text string) string {
	s.mu.Lock()
	patterns := s.patterns
	s.mu.Unlock()
	for _, p := range patterns {
		text = p.ReplaceAllLiteralString(text, redacted)
	}
	return BearerPattern.ReplaceAllString(text, "Bearer "+redacted)
}

// htmlNames are the named entities of the characters HTML escapers write by name.
var htmlNames = map[rune][]string{'&': {"amp"}, '<': {"lt"}, '>': {"gt"}, '"': {"quot"}, '\'': {"apos"}, '\u00a0': {"nbsp"}}

// jsonShort are the two-character JSON escapes.
var jsonShort = map[rune]string{'"': `\"`, '\\': `\\`, '/': `\/`, '\b': `\b`, '\f': `\f`, '\n': `\n`, '\r': `\r`, '\t': `\t`}

// secretPattern matches secret with each character in any of the forms secretSet lists, or a base64 core
// of it. Case-insensitive for the hex digits (that it also matches the secret in another letter case only
// redacts more), but not for base64, where case carries the bits.
func secretPattern(secret string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("(?i:")
	for _, r := range secret {
		forms := []string{string(r)}
		// Percent-encoded, and that encoded again: %40, then %2540.
		var pct, pct2 strings.Builder
		for _, c := range utf8.AppendRune(nil, r) {
			fmt.Fprintf(&pct, "%%%02X", c)
			fmt.Fprintf(&pct2, "%%25%02X", c)
		}
		forms = append(forms, pct.String(), pct2.String())
		if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError {
			forms = append(forms, fmt.Sprintf(`\u%04X\u%04X`, r1, r2))
		} else {
			forms = append(forms, fmt.Sprintf(`\u%04X`, r))
		}
		if short, ok := jsonShort[r]; ok {
			forms = append(forms, short)
		}
		for _, name := range htmlNames[r] {
			forms = append(forms, "&"+name+";")
		}
		if r == ' ' {
			forms = append(forms, "+", "%2B")
		}
		// Numeric entities may carry leading zeros: &#39; &#039; &#x27;.
		b.WriteString("(?:&#0*" + strconv.Itoa(int(r)) + ";|&#x0*" + strconv.FormatInt(int64(r), 16) + ";")
		for _, f := range forms {
			b.WriteString("|" + regexp.QuoteMeta(f))
		}
		b.WriteString(")")
	}
	b.WriteString(")")
	for _, core := range base64Cores(secret) {
		// Base64 is case-sensitive. Its + and / may come percent-encoded (in a URL) or / JSON-escaped.
		b.WriteString("|")
		for _, c := range core {
			switch c {
			case '+':
				b.WriteString(`(?:\+|%2[Bb])`)
			case '/':
				b.WriteString(`(?:/|\\/|%2[Ff])`)
			default:
				b.WriteRune(c)
			}
		}
	}
	return regexp.MustCompile(b.String())
}

// base64Cores are the parts of the secret's base64 that do not depend on what surrounds it. Base64 writes
// each 6 bits as a character, so the secret inside a larger encoded text (the password after "user:" in
// Basic credentials, in a JSON body, in a form body) is written one of three ways, by where it starts
// within a group of three bytes; the characters at its two ends mix its bits with its neighbours'. Each
// core is the characters all of whose bits are the secret's, for each of the three offsets, in the standard
// and the URL alphabet: a core matches whatever comes before and after, padding or none. They are taken of
// the secret raw and as a form body carries it (percent-encoded). What is not covered: base64 broken into
// lines inside the secret (MIME's 76 characters), and the up to 4 bits at each end, which are left visible.
func base64Cores(secret string) []string {
	var cores []string
	for _, form := range []string{secret, url.QueryEscape(secret)} {
		for offset := range 3 {
			encoded := base64.StdEncoding.EncodeToString(append(make([]byte, offset), form...))
			first, end := (8*offset+5)/6, 8*(offset+len(form))/6 // the characters whose 6 bits are all the secret's
			if first >= end {
				continue
			}
			core := encoded[first:end]
			for _, c := range []string{core, strings.NewReplacer("+", "-", "/", "_").Replace(core)} {
				if !slices.Contains(cores, c) {
					cores = append(cores, c)
				}
			}
		}
	}
	return cores
}

// clean makes the texts of the client's typed errors showable in place, and wraps any error whose text
// still shows a secret or a control character (a wrapped transport or decoding error) in one that does not.
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
		apiErr.Message, apiErr.RequestID = s.showable(apiErr.Message), s.showable(apiErr.RequestID)
	}
	if errors.As(err, &authErr) {
		authErr.Message, authErr.RequestID = s.showable(authErr.Message), s.showable(authErr.RequestID)
	}
	if errors.As(err, &decodeErr) {
		decodeErr.RequestID = s.showable(decodeErr.RequestID)
		if text := s.showable(decodeErr.Err.Error()); text != decodeErr.Err.Error() {
			decodeErr.Err = errors.New(text)
		}
	}
	if errors.As(err, &redirectErr) {
		redirectErr.Location, redirectErr.RequestID = s.showable(redirectErr.Location), s.showable(redirectErr.RequestID)
	}
	if text := s.showable(err.Error()); text != err.Error() {
		return &redactedError{err: err, text: text}
	}
	return err
}

// redactedError is an error whose text was made showable; errors.Is and errors.As still see the original.
type redactedError struct {
	err  error
	text string
}

func (e *redactedError) Error() string { return e.text }
func (e *redactedError) Unwrap() error { return e.err }

// redactingLogger makes the messages and fields the client logs showable: no secrets, no control characters.
type redactingLogger struct {
	base    Logger
	secrets *secretSet
}

func (l redactingLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	l.base.Debug(ctx, l.secrets.showable(msg), l.fields(fields))
}

func (l redactingLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	l.base.Warn(ctx, l.secrets.showable(msg), l.fields(fields))
}

func (l redactingLogger) fields(fields map[string]any) map[string]any {
	for k, v := range fields {
		switch v := v.(type) {
		case string:
			fields[k] = l.secrets.showable(v)
		case error:
			fields[k] = l.secrets.showable(v.Error())
		}
	}
	return fields
}
