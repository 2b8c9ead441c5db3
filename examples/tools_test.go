//go:build examples

package examples_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestToolsAny: `scripts/tools.sh -any` (what make demo uses) takes a terraform or tofu of any version the
// provider supports from PATH, else the newest such build of the cache, reading the version from
// `version -json` and, for a CLI without it, from the first line of `version`; it refuses older ones,
// pre-releases of the oldest and a CLI of the other product under the name, and builds only when nothing
// fits, saying first how long that takes. Fake CLIs stand in for real ones; the build is made to fail at
// once (no module proxy, an empty module cache), after its announcement.
func TestToolsAny(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	// fake writes an executable that answers `version -json` with json (none: an unknown flag) and
	// `version` with text.
	fake := func(dir, name, text, json string) string {
		t.Helper()
		path := filepath.Join(dir, name)
		jsonAnswer := "exit 1"
		if json != "" {
			jsonAnswer = fmt.Sprintf("printf '%%s\\n' '%s'; exit 0", json)
		}
		writeFile(t, path, fmt.Sprintf("#!/bin/sh\n[ \"$2\" = -json ] && { %s; }\nprintf '%%s\\non linux_amd64\\n' '%s'\n",
			jsonAnswer, text))
		if err := os.Chmod(path, 0o755); err != nil {
			t.Fatal(err)
		}
		return path
	}
	tfJSON := func(v string) string { return fmt.Sprintf(`{"terraform_version": "%s", "platform": "linux_amd64"}`, v) }
	type cli struct{ name, text, json string }
	cases := []struct {
		name          string
		tool          string
		onPath        *cli
		cached        []cli // named <tool>-<n> in the cache
		want          string
		wantBuildNote bool
	}{
		{name: "a newer terraform on PATH", tool: "terraform",
			onPath: &cli{"terraform", "Terraform v1.11.4", tfJSON("1.11.4")}, want: "path"},
		{name: "the oldest supported on PATH, without -json", tool: "terraform",
			onPath: &cli{"terraform", "Terraform v1.8.0", ""}, want: "path"},
		{name: "a tofu on PATH", tool: "tofu",
			onPath: &cli{"tofu", "OpenTofu v1.9.1", tfJSON("1.9.1")}, want: "path"},
		{name: "too old on PATH, newest supported of the cache", tool: "terraform",
			onPath: &cli{"terraform", "Terraform v1.7.5", tfJSON("1.7.5")},
			cached: []cli{{"terraform-1.8.0", "Terraform v1.8.0", tfJSON("1.8.0")},
				{"terraform-1.10.2", "Terraform v1.10.2", tfJSON("1.10.2")},
				{"terraform-1.7.0", "Terraform v1.7.0", tfJSON("1.7.0")}},
			want: "terraform-1.10.2"},
		{name: "a pre-release of the oldest, and OpenTofu named terraform", tool: "terraform",
			onPath:        &cli{"terraform", "OpenTofu v1.9.0", tfJSON("1.9.0")},
			cached:        []cli{{"terraform-1.8.0-rc1", "Terraform v1.8.0-rc1", tfJSON("1.8.0-rc1")}},
			wantBuildNote: true},
		{name: "nothing at hand", tool: "tofu", wantBuildNote: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bin, cache := t.TempDir(), t.TempDir()
			var onPath string
			if c.onPath != nil {
				onPath = fake(bin, c.onPath.name, c.onPath.text, c.onPath.json)
			}
			if err := os.MkdirAll(filepath.Join(cache, "bin"), 0o755); err != nil {
				t.Fatal(err)
			}
			for _, f := range c.cached {
				fake(filepath.Join(cache, "bin"), f.name, f.text, f.json)
			}
			cmd := exec.Command(filepath.Join(root, "scripts", "tools.sh"), "-any", c.tool)
			// PATH: the fake CLI, then what go, git and the shell tools need, and no real terraform or tofu.
			goBin := filepath.Dir(mustLookPath(t, "go"))
			cmd.Env = append(os.Environ(), "PATH="+bin+":"+goBin+":/usr/bin:/bin", "ESET_TOOLS_DIR="+cache,
				"GOPROXY=off", "GOFLAGS=-mod=mod", "GOMODCACHE="+t.TempDir())
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			got := strings.TrimSpace(string(out))
			switch {
			case c.want == "path" && (err != nil || got != onPath):
				t.Errorf("got %q (%v), want the CLI on PATH, %s\n%s", got, err, onPath, stderr.String())
			case c.want != "" && c.want != "path" && (err != nil || got != filepath.Join(cache, "bin", c.want)):
				t.Errorf("got %q (%v), want the cached %s\n%s", got, err, c.want, stderr.String())
			case c.wantBuildNote && (err == nil || !strings.Contains(stderr.String(), "minutes")):
				t.Errorf("got %q (%v), want a failed build that first says how many minutes it takes:\n%s",
					got, err, stderr.String())
			}
		})
	}
}

func mustLookPath(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Fatal(err)
	}
	return path
}
