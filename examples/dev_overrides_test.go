//go:build examples

package examples_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDevOverrides: scripts/dev-overrides.sh (used by the demo, the docs and the benchmark) writes a CLI
// configuration that terraform reads without a problem and that names the directory as given, even one
// with a quote or a backslash; a directory it cannot quote (${ or %{) is refused with a message.
func TestDevOverrides(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	terraform := tool(t, root, "terraform")
	script := filepath.Join(root, "scripts", "dev-overrides.sh")
	dir := filepath.Join(t.TempDir(), `plug"ins \dir`)
	config := filepath.Join(t.TempDir(), "cli.tfrc")
	if out, err := exec.Command(script, dir, config).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// A configuration that needs the provider shows the override's directory in the CLI's warning.
	work := t.TempDir()
	writeFile(t, filepath.Join(work, "main.tf"), `terraform {
  required_providers {
    eset = { source = "eset-community/eset" }
  }
}`)
	cmd := exec.Command(terraform, "validate", "-no-color")
	cmd.Dir, cmd.Env = work, append(os.Environ(), "TF_CLI_CONFIG_FILE="+config)
	out, _ := cmd.CombinedOutput()
	if strings.Contains(string(out), "problems with the CLI configuration") || !strings.Contains(string(out), dir) {
		t.Errorf("terraform did not read the override for %q:\n%s", dir, out)
	}
	for _, bad := range []string{"/tmp/a${x}", "/tmp/a%{x}", "/tmp/a\nb"} {
		out, err := exec.Command(script, bad, config).CombinedOutput()
		if err == nil || !strings.Contains(string(out), "cannot quote") {
			t.Errorf("%q: %v, want a refusal that says why:\n%s", bad, err, out)
		}
	}
}
