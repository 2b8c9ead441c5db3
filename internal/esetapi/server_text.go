package esetapi

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// EscapeServerText makes text that came from a server safe to show in a terminal, a diagnostic or a log:
// each character that a terminal acts on or that reorders what is shown is written as a visible escape,
// everything else is kept as it is. Escaped are the C0 controls and DEL (ESC starts the sequences that
// clear the screen, set the window title or colour text; CR and LF can overwrite a line or forge one that
// looks like Terraform's own "Error:"), the C1 controls (U+0080 to U+009F; U+009B is a one-character CSI),
// the Unicode bidirectional controls (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069), which
// make text read in another order than it is, the line and paragraph separators U+2028 and U+2029, and
// bytes that are not UTF-8 (a terminal in a legacy encoding reads 0x9B as CSI). A tab is kept: it only
// moves the cursor forward and cannot hide or forge text. A backslash is kept too, so that paths and
// messages stay readable: a server that writes "\x1b" as text shows exactly that, which is harmless.
func EscapeServerText(text string) string {
	var b strings.Builder
	kept := 0 // text[:kept] is in b, or needs no escape when b is empty
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		invalid := r == utf8.RuneError && size == 1
		if !invalid && !mustEscape(r) {
			i += size
			continue
		}
		b.WriteString(text[kept:i])
		switch {
		case invalid:
			fmt.Fprintf(&b, `\x%02x`, text[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += size
		kept = i
	}
	if kept == 0 {
		return text
	}
	b.WriteString(text[kept:])
	return b.String()
}

// mustEscape reports whether EscapeServerText writes the character r as an escape.
func mustEscape(r rune) bool {
	switch {
	case r == '\t':
		return false
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069,
		r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

// clipped quotes the start of a value from the server (escaped as Go quotes strings), saying how long it
// was when it was cut.
func clipped(s string) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	cut := maxQuoted
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d bytes)", strconv.Quote(s[:cut]), len(s))
}
