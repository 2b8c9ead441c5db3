package query

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/cel-go/common/types"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

func TestQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{``, `""`},
		{`abc`, `"abc"`},
		{`say "hi"`, `"say \"hi\""`},
		{`C:\temp\`, `"C:\\temp\\"`},
		{"a\nb\r\tc", `"a\nb\r\tc"`},
		{"\x00\x1b\x7f", `"\u0000\u001b\u007f"`},
		{"日本 – Ü 🚨", `"日本 – Ü 🚨"`},
		{"\u202e\u2028\ufeff", `"\u202e\u2028\ufeff"`},
		{"\U000e0001", `"\U000e0001"`},
		{"a\xffb", "\"a\uFFFDb\""},
		{`") || true || ("`, `"\") || true || (\""`},
		{`'single'`, `"'single'"`},
	}
	for _, tt := range tests {
		if got := Quote(tt.in); got != tt.want {
			t.Errorf("Quote(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// quoteRoundTrip checks that Quote(s) parses as a single CEL string literal holding s, and that it stays
// one argument when embedded in a call.
func quoteRoundTrip(t *testing.T, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	parsed, iss := parserEnv.Parse(Quote(s))
	if iss != nil && iss.Err() != nil {
		t.Fatalf("Quote(%q) = %s does not parse: %v", s, Quote(s), iss.Err())
	}
	if got, ok := parsed.NativeRep().Expr().AsLiteral().(types.String); !ok || string(got) != s {
		t.Fatalf("Quote(%q) = %s parses to %v", s, Quote(s), parsed.NativeRep().Expr())
	}
	expr := "incident.display_name.contains(" + Quote(s) + ")"
	if problems := Check(expr, Strict); len(problems) != 0 {
		t.Fatalf("%s: %s", expr, dump(problems))
	}
	p, err := Compile(expr)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{s, "x" + s + "y"} {
		if ok, err := p.Match(&esetapi.Incident{DisplayName: name}); err != nil || !ok {
			t.Fatalf("%s on %q = %v, %v", expr, name, ok, err)
		}
	}
}

func TestQuoteRoundTrip(t *testing.T) {
	alphabet := []rune("aZ09 \"'`\\\n\r\t\v\b\f\a\x00\x1b\x7f/*?$(){}[]|&!=<>.,:;#%ü日🚨\u00a0\u200b\u202e\u2028\u2029\ufeff\ufffd\U0010ffff\U000e0001")
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		r := make([]rune, rng.IntN(20))
		for i := range r {
			r[i] = alphabet[rng.IntN(len(alphabet))]
		}
		quoteRoundTrip(t, string(r))
	}
}

func FuzzQuote(f *testing.F) {
	for _, s := range []string{"", `"`, `\`, "\n", "\x00", "日本", "🚨", "\xff", `\u0041`, `" || true`, "//", "/*"} {
		f.Add(s)
	}
	f.Fuzz(quoteRoundTrip)
}

func TestAnd(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"", "  "}, ""},
		{[]string{"a || b"}, "a || b"},
		{[]string{"", "a || b", " "}, "a || b"},
		{[]string{"a || b", "c"}, "(a || b) && (c)"},
		{[]string{"a", "b", "c"}, "(a) && (b) && (c)"},
		{[]string{`x.contains("uuid") //a comment`, "y"}, "(x.contains(\"uuid\") //a comment\n) && (y)"},
	}
	for _, tt := range tests {
		if got := And(tt.in...); got != tt.want {
			t.Errorf("And(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// The result of And keeps each filter's meaning, including one ending in a comment.
	joined := And(docsExamples[len(docsExamples)-1], `incident.device_uuids.contains("uuid") //an array`, "false || true")
	if problems := Check(joined, Strict); len(problems) != 0 {
		t.Fatalf("%s: %s", joined, dump(problems))
	}
	p, err := Compile(And("incident.status == INCIDENT_STATUS_OPEN || true", "false"))
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := p.Match(incA); ok {
		t.Error("And did not parenthesise: || swallowed the && false")
	}
}
