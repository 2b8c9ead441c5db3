//go:build examples

package examples_test

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestScriptsHaveNoBackticks: no shell script of the project has a backtick where bash reads it as a
// command substitution, that is outside single quotes, comments and here-documents. Messages quote
// commands in Markdown's backticks; inside double quotes bash runs those commands instead of printing them
// (demo.sh once ran `go run ./cmd/eset-simulator` from an error message). Scripts substitute with $(...).
func TestScriptsHaveNoBackticks(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	scripts, err := filepath.Glob(filepath.Join(root, "scripts", "*.sh"))
	if err != nil {
		t.Fatal(err)
	}
	scripts = append(scripts, filepath.Join(root, ".ci", "run"))
	for _, script := range scripts {
		for _, line := range substitutingBackticks(readFile(t, script)) {
			t.Errorf("%s:%d: a backtick that bash runs as a command; quote the text in single quotes or use $(...)",
				strings.TrimPrefix(script, root+"/"), line)
		}
	}
}

func TestSubstitutingBackticks(t *testing.T) {
	for script, want := range map[string]int{
		"echo \"run `go run .` to see why\"\n":             1,
		"echo \"run 'go run .' to see why\"\n":             0,
		"echo 'a `b` c'\n":                                 0,
		"# a `comment`\necho x # `again`\n":                0,
		"echo \"it's `x`\"\n":                              1,
		"cat <<'EOF'\n`a`\nEOF\necho `b`\n":                4,
		"cat <<-EOT\n\t`a`\n\tEOT\n":                       0,
		"grep x <<<\"$y\"; echo \"$(f \"a\")` `\"\n":       1,
		"echo \"a \\` b\" x\\`\n":                          0,
		"printf '| `%s` |\\n' \"$(rate \"$x\")\" `date`\n": 1,
	} {
		got := substitutingBackticks(script)
		if len(got) > 1 || (want == 0) != (len(got) == 0) || (len(got) == 1 && got[0] != want) {
			t.Errorf("substitutingBackticks(%q) = %v, want line %d (0: none)", script, got, want)
		}
	}
}

var heredocStart = regexp.MustCompile(`^<<-?\s*['"]?([A-Za-z_][A-Za-z0-9_]*)['"]?`)

// substitutingBackticks returns the lines of a bash script that hold a backtick bash would take for a
// command substitution: one outside single quotes, comments and here-documents, escaped by no backslash.
// $(...) inside double quotes holds quotes of its own; they pair up, so counting every " as a switch
// keeps the state right after them.
func substitutingBackticks(script string) []int {
	var lines []int
	single, double := false, false
	var heredocs []string // delimiters of here-documents that start after this line
	lineNo := 1
	for i := 0; i < len(script); i++ {
		c := script[i]
		switch {
		case c == '\n':
			lineNo++
			for _, delim := range heredocs {
				for {
					end := strings.IndexByte(script[i+1:], '\n')
					if end < 0 {
						return lines
					}
					body := script[i+1 : i+1+end]
					i += end + 1
					lineNo++
					if strings.TrimLeft(body, "\t") == delim {
						break
					}
				}
			}
			heredocs = nil
		case single:
			single = c != '\''
		case c == '\\':
			i++ // the next character is literal, a newline too
			if i < len(script) && script[i] == '\n' {
				lineNo++
			}
		case c == '\'' && !double:
			single = true
		case c == '"':
			double = !double
		case c == '#' && !double && (i == 0 || strings.ContainsRune(" \t\n;", rune(script[i-1]))):
			for i+1 < len(script) && script[i+1] != '\n' {
				i++
			}
		case c == '<' && !double && strings.HasPrefix(script[i:], "<<") && !strings.HasPrefix(script[i:], "<<<"):
			if m := heredocStart.FindStringSubmatch(script[i:]); m != nil {
				heredocs = append(heredocs, m[1])
				i += len(m[0]) - 1
			}
		case c == '<' && strings.HasPrefix(script[i:], "<<<"):
			i += 2
		case c == '`':
			if len(lines) == 0 || lines[len(lines)-1] != lineNo {
				lines = append(lines, lineNo)
			}
		}
	}
	return lines
}
