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
	"form, encoded twice":             `p%2540ss%2Bw%2526%25E2%2580%25B9%25C3%25A9%2521%2522%2525%252B`,
	"%20, encoded twice":              `p%2540ss%2520w%2526%25E2%2580%25B9%25C3%25A9%2521%2522%2525%252B`,
	"lower-case hex, encoded twice":   `p%2540ss%2520w%2526%25e2%2580%25b9%25c3%25a9%2521%2522%2525%252b`,
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

// TestRedactBase64: the password in base64, alone or inside a larger encoded text (Basic credentials, a
// JSON body, a form body, where it starts at each of the three offsets within a group of three bytes), in
// the standard and the URL alphabet, padded or not, with + and / percent-encoded, loses every character
// that is its alone; the one or two at each end that mix its bits with its neighbours' stay. The blobs are
// written out, not encoded by the test.
func TestRedactBase64(t *testing.T) {
	t.Parallel()
	s := &secretSet{}
	s.add(encodedPassword, "s3cret>>>???")
	for _, tc := range []struct{ blob, want string }{
		{`cEBzcyB3JuKAucOpISIlKw==`, `***w==`},  // the password alone, padded
		{`cEBzcyB3JuKAucOpISIlKw`, `***w`},      // unpadded
		{`YXBAc3MgdybigLnDqSEiJSs=`, `YX***s=`}, // after one byte
		{`YWJwQHNzIHcm4oC5w6khIiUr`, `YWJ***`},  // after two bytes
		{`YXBpLXVzZXJAZXhhbXBsZS5jb206cEBzcyB3JuKAucOpISIlKw==`, `YXBpLXVzZXJAZXhhbXBsZS5jb206***w==`},         // Basic api-user@example.com:password
		{`eyJ1c2VyIjoidSIsInBhc3N3b3JkIjoicEBzcyB3JuKAucOpISIlKw==`, `eyJ1c2VyIjoidSIsInBhc3N3b3JkIjoi***w==`}, // a JSON body
		{`Z3JhbnRfdHlwZT1wYXNzd29yZCZ1c2VybmFtZT11JnBhc3N3b3JkPXAlNDBzcyt3JTI2JUUyJTgwJUI5JUMzJUE5JTIxJTIyJTI1JTJC`,
			`Z3JhbnRfdHlwZT1wYXNzd29yZCZ1c2VybmFtZT11JnBhc3N3b3JkPX***`}, // the form body of the password grant
		{`czNjcmV0Pj4+Pz8/`, `***`},                  // with + and /
		{`czNjcmV0Pj4-Pz8_`, `***`},                  // the URL alphabet
		{`czNjcmV0Pj4%2BPz8%2F`, `***`},              // + and / percent-encoded
		{`dXNlcjpzM2NyZXQ+Pj4/Pz8=`, `dXNlcjp***8=`}, // Basic user:password
		{`dXNlcjpzM2NyZXQ-Pj4_Pz8=`, `dXNlcjp***8=`}, // the same, URL alphabet
		{`a3MzY3JldD4-Pj8_Pw==`, `a3***w==`},         // after one byte, URL alphabet
		{`Y3NjcmV0Pj4+Pz8/`, `Y3NjcmV0Pj4+Pz8/`},     // another text is kept
	} {
		if got := s.redact("echo " + tc.blob + " end"); got != "echo "+tc.want+" end" {
			t.Errorf("%s: got %q, want %q", tc.blob, got, "echo "+tc.want+" end")
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
