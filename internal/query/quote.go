package query

import (
	"fmt"
	"strings"
	"unicode"
)

// Quote returns a CEL double-quoted string literal whose value is s, so that user input can be embedded
// in a filter ("incident.display_name.contains(" + Quote(x) + ")") without being able to end the
// literal early or change the expression. Quotes, backslashes and line breaks are escaped, and so is
// every rune that is not printable (control characters, format characters such as bidi overrides,
// unusual spaces), as \uXXXX or \UXXXXXXXX; printable Unicode is kept as is. CEL strings hold Unicode
// text, so invalid UTF-8 in s becomes U+FFFD.
func Quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			switch {
			case unicode.IsPrint(r):
				b.WriteRune(r)
			case r <= 0xFFFF:
				fmt.Fprintf(&b, `\u%04x`, r)
			default:
				fmt.Fprintf(&b, `\U%08x`, r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// And joins the non-blank filters with " && ", parenthesising each when there are several so that an
// || inside one cannot swallow its neighbours. A filter containing "//" gets its closing parenthesis on a
// new line, in case it ends in a comment (as a docs example does). No filters, or only blank ones, give
// "".
func And(exprs ...string) string {
	var parts []string
	for _, e := range exprs {
		if strings.TrimSpace(e) != "" {
			parts = append(parts, e)
		}
	}
	if len(parts) == 1 {
		return parts[0]
	}
	for i, p := range parts {
		if strings.Contains(p, "//") {
			parts[i] = "(" + p + "\n)"
		} else {
			parts[i] = "(" + p + ")"
		}
	}
	return strings.Join(parts, " && ")
}
