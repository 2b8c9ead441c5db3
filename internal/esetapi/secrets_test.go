package esetapi

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// The password of the issue: an @, a space, an & and a " that encoders escape, a non-ASCII é and ‹
// (U+2039, three bytes in UTF-8), and the % and + of percent-encoding itself.
const encodedPassword = `p@ss w&‹é!"%+`

// encodedPasswordForms are the ways a server echoes encodedPassword, written out by hand rather than by
// the encoders, so that the test does not share the code's idea of them.
var encodedPasswordForms = map[string]string{
	"raw":                             `p@ss w&‹é!"%+`,
	"form (Go QueryEscape)":           `p%40ss+w%26%E2%80%B9%C3%A9%21%22%25%2B`,
	"%20 (encodeURIComponent)":        `p%40ss%20w%26%E2%80%B9%C3%A9!%22%25%2B`,
	"lower-case hex (Python quote)":   `p%40ss%20w%26%e2%80%b9%c3%a9%21%22%25%2b`,
	"all bytes encoded":               `%70%40%73%73%20%77%26%E2%80%B9%C3%A9%21%22%25%2B`,
	"JSON (Go, HTML-escaped)":         `p@ss w\u0026‹é!\"%+`,
	"JSON (ASCII-only, Python)":       `p@ss w&\u2039\u00e9!\"%+`,
	"JSON (ASCII-only, upper hex)":    `p@ss w\u0026\u2039\u00E9!\u0022%\u002B`,
	"HTML (named)":                    `p@ss w&amp;‹é!&quot;%+`,
	"HTML (named and numeric)":        `p&#64;ss w&amp;&#8249;&#233;!&quot;%+`,
	"HTML (hex numeric)":              `p@ss w&#x26;&#X2039;&#xe9;!&#x22;%&#x2b;`,
	"upper case (case-insensitive)":   `P@SS W&‹É!"%+`,
	"mixed in one text: form and raw": `p%40ss w&‹é!"%+`,
}

func TestRedactEveryEncoding(t *testing.T) {
	t.Parallel()
	s := &secretSet{}
	s.add(encodedPassword)
	var logged strings.Builder
	logger := redactingLogger{base: recordingLogger{&logged}, secrets: s}
	for name, form := range encodedPasswordForms {
		text := "refused " + form + " for user admin"
		err := s.clean(fmt.Errorf("token service: %w", errors.New(text)))
		if got, want := err.Error(), "token service: refused *** for user admin"; got != want {
			t.Errorf("%s: the error reads %q, want %q", name, got, want)
		}
		logged.Reset()
		logger.Debug(context.Background(), "echo "+form, map[string]any{"body": text, "err": errors.New(text)})
		if strings.Contains(logged.String(), "ss") {
			t.Errorf("%s: the log shows the password: %s", name, logged.String())
		}
	}
}

// Redaction costs little: a few secrets against a message of a few kilobytes.
func BenchmarkRedact(b *testing.B) {
	s := &secretSet{}
	s.add(encodedPassword, strings.Repeat("eyJhbGciOiJSUzI1NiJ9.", 40), strings.Repeat("refresh-token.", 30))
	msg := strings.Repeat(`{"message":"denied for request 7f3a, see https://help.eset.com/x?y=z"} `, 40)
	b.ReportAllocs()
	for b.Loop() {
		_ = s.redact(msg)
	}
}

type recordingLogger struct{ b *strings.Builder }

func (l recordingLogger) Debug(_ context.Context, msg string, fields map[string]any) {
	fmt.Fprintf(l.b, "%s %v\n", msg, fields)
}

func (l recordingLogger) Warn(_ context.Context, msg string, fields map[string]any) {
	fmt.Fprintf(l.b, "%s %v\n", msg, fields)
}
