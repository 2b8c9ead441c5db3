//go:build examples

package examples_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// readme runs every command of the example's README.md as a user would: in a fresh copy of the example,
// line by line through bash, with `terraform` the CLI under test, opa and conftest on PATH and the ESET_*
// variables pointing at the simulator. The README's placeholders (such as `<device uuid>`) take the values
// given. An `export` sets its variable for the commands after it, as in the user's terminal. A fenced block
// of HCL shows a file the user writes: the check writes it before (from the block) and it is skipped here.
// Any other fenced block that is not shell shows output: it must match what the last command of the shell
// block before it printed (see matchShown). The commands listed in fail must exit non-zero, every other one
// with 0; a listed command that the README does not show fails the test.
func (e *env) readme(placeholders map[string]string, fail ...string) {
	e.t.Helper()
	e.readmeRun = true
	text, err := os.ReadFile(filepath.Join(e.dir, "README.md"))
	if err != nil {
		e.t.Fatal(err)
	}
	dir := filepath.Join(e.t.TempDir(), "example")
	if err := os.CopyFS(dir, os.DirFS(e.dir)); err != nil {
		e.t.Fatal(err)
	}
	bin := e.readmeBin(string(text))
	environ := []string{"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH")}
	for _, kv := range e.environ {
		if !strings.HasPrefix(kv, "PATH=") && !strings.HasPrefix(kv, "TF_CLI_CONFIG_FILE=") {
			environ = append(environ, kv)
		}
	}
	// `go install` (how a README says to get a tool) installs into a directory of the test's own.
	environ = append(environ, "TF_CLI_CONFIG_FILE="+e.mirror, "GOBIN="+e.t.TempDir())

	var last, lastOut string
	ran := map[string]bool{}
	for _, b := range fencedBlocks(string(text)) {
		if b.lang == "hcl" {
			continue
		}
		if b.lang != "shell" {
			if last == "" {
				e.t.Errorf("README.md shows a %s block before any command", b.lang)
				continue
			}
			if !matchShown(b.text, lastOut) {
				e.t.Errorf("README.md shows, after `%s`:\n%s\nbut it printed:\n%s", last, b.text, lastOut)
			}
			continue
		}
		for _, shown := range shellCommands(b.text) {
			if strings.HasPrefix(shown, "#") {
				e.t.Errorf("README.md has a comment line in a shell block, which the test cannot run: %s", shown)
				continue
			}
			cmdline := shown
			for p, v := range placeholders {
				cmdline = strings.ReplaceAll(cmdline, p, v)
			}
			if p := regexp.MustCompile(`<[a-z][a-z ]*>`).FindString(cmdline); p != "" {
				e.t.Errorf("README.md command %q holds the placeholder %s, which the test does not fill in", shown, p)
				continue
			}
			exported := exportedName.FindStringSubmatch(cmdline)
			if exported != nil {
				cmdline += `; printf %s "$` + exported[1] + `"` // the value, as bash expanded it
			}
			cmd := exec.Command("bash", "-o", "pipefail", "-c", cmdline)
			cmd.Dir, cmd.Env = dir, environ
			cmd.Stdin = strings.NewReader("yes\n") // a user answers apply's question
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			err := cmd.Run()
			wantFail := slices.Contains(fail, shown)
			ran[shown] = true
			switch {
			case err != nil && !wantFail:
				e.t.Errorf("README.md command `%s` failed: %v\n%s", shown, err, out.String())
			case err == nil && wantFail:
				e.t.Errorf("README.md command `%s` succeeded; the README says it fails:\n%s", shown, out.String())
			}
			if exported != nil && err == nil {
				environ = append(environ, exported[1]+"="+out.String()) // the last value of a name is the one used
				out.Reset()
			}
			last, lastOut = shown, out.String()
		}
	}
	for _, f := range fail {
		if !ran[f] {
			e.t.Errorf("the test expects README.md to show `%s`, and it does not", f)
		}
	}
}

// readmeBin is a directory of the commands a README names: terraform (the CLI under test, tofu too, which
// users of OpenTofu type as tofu), and opa and conftest when the README uses them.
func (e *env) readmeBin(readme string) string {
	e.t.Helper()
	bin := e.t.TempDir()
	tools := map[string]func() string{"terraform": func() string { return e.path }, "opa": e.opa, "conftest": e.conftest}
	for name, path := range tools {
		if name != "terraform" && !strings.Contains(readme, name+" ") {
			continue
		}
		if err := os.Symlink(path(), filepath.Join(bin, name)); err != nil {
			e.t.Fatal(err)
		}
	}
	return bin
}

type fencedBlock struct{ lang, text string }

// fencedBlocks are the Markdown file's fenced code blocks, indented ones (in a list) included, with the
// fence's indentation removed.
func fencedBlocks(markdown string) []fencedBlock {
	var blocks []fencedBlock
	var cur *fencedBlock
	indent := ""
	for _, line := range strings.Split(markdown, "\n") {
		trimmed := strings.TrimLeft(line, " ")
		if cur == nil {
			if lang, ok := strings.CutPrefix(trimmed, "```"); ok {
				cur, indent = &fencedBlock{lang: strings.TrimSpace(lang)}, line[:len(line)-len(trimmed)]
			}
			continue
		}
		if trimmed == "```" {
			blocks = append(blocks, *cur)
			cur = nil
			continue
		}
		cur.text += strings.TrimPrefix(line, indent) + "\n"
	}
	return blocks
}

// shellCommands are a shell block's commands, one a line, a line ending in a backslash joined to the next.
func shellCommands(block string) []string {
	var cmds []string
	pending := ""
	for _, line := range strings.Split(block, "\n") {
		if strings.HasSuffix(line, "\\") {
			pending += strings.TrimSuffix(line, "\\")
			continue
		}
		if line = strings.TrimSpace(pending + line); line != "" {
			cmds = append(cmds, line)
		}
		pending = ""
	}
	return cmds
}

var (
	exportedName = regexp.MustCompile(`^export ([A-Za-z_][A-Za-z0-9_]*)=`)
	ansiEscape   = regexp.MustCompile(`\x1b\[[0-9;]*m`)
	// The box Terraform and OpenTofu draw around diagnostics, which the READMEs leave out.
	diagnosticBox = regexp.MustCompile(`[╷│╵]`)
)

// matchShown tells whether output shown in a README is what a command printed, with … standing for any
// text. Colours, the box around diagnostics and the width of lines (the CLIs wrap their messages to the
// terminal's) are ignored: each run of white space matches any other.
func matchShown(shown, printed string) bool {
	printed = diagnosticBox.ReplaceAllString(ansiEscape.ReplaceAllString(printed, ""), "")
	var pattern []string
	for _, part := range strings.Split(strings.Join(strings.Fields(shown), " "), "…") {
		pattern = append(pattern, regexp.QuoteMeta(strings.TrimSpace(part)))
	}
	return regexp.MustCompile(strings.Join(pattern, ".*?")).MatchString(strings.Join(strings.Fields(printed), " "))
}

func TestMatchShown(t *testing.T) {
	printed := "\x1b[31m╷\x1b[0m\n│ Error: Resource precondition failed\n│\n│ Change CHG-1 is blocked: open\n│ incidents involve its devices:\n│   - device 6d33fda0-4c88: Cryptominer on web-01\n╵\n"
	for shown, want := range map[string]bool{
		"Error: Resource precondition failed\n…\nChange CHG-1 is blocked: open incidents involve its devices:": true,
		"- device 6d33fda0…: Cryptominer on web-01":                                                            true,
		"Change CHG-1 is blocked:\n- device":                                                                   false, // a shown line may not skip text
		"- device 6d33fda0…: Cryptominer on db-01":                                                             false,
		"Error: Resource precondition failed\nChange CHG-2":                                                    false,
	} {
		if got := matchShown(shown, printed); got != want {
			t.Errorf("matchShown(%q) = %v, want %v", shown, got, want)
		}
	}
}

func TestShellCommands(t *testing.T) {
	got := shellCommands("terraform init\n\nopa eval \\\n  -d policy/ x\n# a comment\n")
	want := []string{"terraform init", "opa eval   -d policy/ x", "# a comment"}
	if !slices.Equal(got, want) {
		t.Errorf("shellCommands = %q, want %q", got, want)
	}
}

// TestReadmeSimulator checks the README's Try it section against the simulator's own -help: the flag it
// starts it with, and the credentials it says the simulator accepts by default.
func TestReadmeSimulator(t *testing.T) {
	readme := readFile(t, filepath.Join("..", "README.md"))
	start := readmeBlock(t, readme, "shell", "go run ./cmd/eset-simulator")
	exports := readmeBlock(t, readme, "shell", "ESET_USERNAME=demo-api-user@example.com")
	cmd := exec.Command("go", "run", "./cmd/eset-simulator", "-help")
	cmd.Dir = ".."
	help, _ := cmd.CombinedOutput() // -help exits with status 2 after printing the usage
	for _, want := range []string{"  -addr string", `"` + username + `"`, `"` + password + `"`} {
		if !strings.Contains(string(help), want) {
			t.Errorf("the simulator's -help lacks %q, which the README relies on:\n%s", want, help)
		}
	}
	if !strings.Contains(start, "-addr 127.0.0.1:8443") {
		t.Errorf("the README starts the simulator on another address than its variables name:\n%s", start)
	}
	for _, want := range []string{"ESET_PASSWORD=" + password, "ESET_IAM_ENDPOINT=http://127.0.0.1:8443",
		"ESET_INCIDENT_MANAGEMENT_ENDPOINT=http://127.0.0.1:8443", "ESET_DEVICE_MANAGEMENT_ENDPOINT=http://127.0.0.1:8443"} {
		if !strings.Contains(exports, want) {
			t.Errorf("the README's Try it variables lack %q:\n%s", want, exports)
		}
	}
}

// TestSettingsDocumented: the provider page's environment table and the README's configuration table name
// every setting the provider reads with its environment variable, and both pages ask for the read
// permission of every kind of record the provider reads, as the 403 hint names it (esetapi's services).
func TestSettingsDocumented(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	var code, services strings.Builder
	files, err := filepath.Glob(filepath.Join(root, "internal", "provider", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") {
			code.WriteString(readFile(t, f))
		}
	}
	services.WriteString(readFile(t, filepath.Join(root, "internal", "esetapi", "service.go")))
	settings := regexp.MustCompile(`"([a-z_]+)",\s*"(ESET_[A-Z_]+)"`).FindAllStringSubmatch(code.String(), -1)
	records := regexp.MustCompile(`service\{"([A-Z][a-z]+)",`).FindAllStringSubmatch(services.String(), -1)
	if len(settings) < 9 || len(records) < 3 {
		t.Fatalf("found %d settings in internal/provider and %d kinds of records in esetapi/service.go: the patterns no longer match the code",
			len(settings), len(records))
	}
	for _, page := range []string{"docs/index.md", "README.md"} {
		text := readFile(t, filepath.Join(root, page))
		for _, s := range settings {
			if row := "| `" + s[1] + "` | `" + s[2] + "` |"; !strings.Contains(text, row) {
				t.Errorf("%s has no table row that starts %s", page, row)
			}
		}
		for _, r := range records {
			if !regexp.MustCompile(`read permission[^.]*\*\*` + r[1] + `\*\*`).MatchString(text) {
				t.Errorf("%s does not ask for read permission for **%s**", page, r[1])
			}
		}
	}
}
