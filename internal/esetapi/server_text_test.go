package esetapi_test

import (
	"strings"
	"testing"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// TestEscapeServerText: every character a terminal acts on, or that reorders text, is written as a
// visible escape; tabs, printable text and backslashes are kept, and clean text is returned as it is.
func TestEscapeServerText(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"plain text, ünïcödé ✓, C:\\path\tand a tab":             "plain text, ünïcödé ✓, C:\\path\tand a tab",
		"\x1b[2J\x1b]0;owned\x07\x1b[31mFAKE":                    `\x1b[2J\x1b]0;owned\x07\x1b[31mFAKE`,
		"line\r\nError: forged":                                  `line\r\nError: forged`,
		"nul \x00 del \x7f":                                      `nul \x00 del \x7f`,
		"c1 \u009b31m \u0085":                                    `c1 \u009b31m \u0085`,
		"bidi \u202eevil\u202c \u2066x\u2069 \u200e\u200f\u061c": `bidi \u202eevil\u202c \u2066x\u2069 \u200e\u200f\u061c`,
		"separators \u2028\u2029":                                `separators \u2028\u2029`,
		"not utf-8 \x9b\xff, replacement \ufffd kept":            `not utf-8 \x9b\xff, replacement ` + "\ufffd" + ` kept`,
	} {
		if got := esetapi.EscapeServerText(in); got != want {
			t.Errorf("EscapeServerText(%q) = %q, want %q", in, got, want)
		}
		if got := esetapi.EscapeServerText(want); got != want {
			t.Errorf("escaping is not idempotent: %q became %q", want, got)
		}
	}
	clean := strings.Repeat("clean ", 100)
	if got := esetapi.EscapeServerText(clean); got != clean {
		t.Errorf("clean text changed")
	}
}
