//go:build examples

package examples_test

import (
	"archive/zip"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// TestInstall follows the README's Install section as a new user would, through each CLI in a temporary
// HOME with no CLI configuration of the caller's: `make install`, then `init` and `plan` of the README's
// example with its `version = "~> 0.1"`, and of the report example as the Try it section runs it; `make
// install` again, which must give the same bytes and leave the lock files valid; a changed checkout's
// install, whose printed `providers lock` command must make each working directory plan again; and a
// release's zips, built as goreleaser names them, installed by scripts/mirror.sh --unsigned (TestMirror checks what it refuses) into a filesystem mirror
// that the README's provider_installation block names, then `init` and `plan` with `~> 0.1`. A proxy that
// refuses every connection stands in for the internet, so any attempt to reach a registry fails the run;
// only the simulator, on loopback (never proxied), answers.
func TestInstall(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	readme := readFile(t, filepath.Join(root, "README.md"))
	required := readmeBlock(t, readme, "terraform", `version = "~> 0.1"`)
	example := readmeBlock(t, readme, "terraform", `data "eset_incidents" "open_high"`)
	mirrorConfig := readmeBlock(t, readme, "hcl", "filesystem_mirror")
	tryIt := readmeBlock(t, readme, "shell", "cd examples/use-cases/report")
	for _, want := range []string{"make install\n", "cd examples/use-cases/report\n", "terraform init\n", "terraform apply -var period=7d\n"} {
		if !strings.Contains(tryIt, want) {
			t.Errorf("the README's Try it block no longer runs %q, which TestInstall follows:\n%s", want, tryIt)
		}
	}

	incidents := simulator.Generate(seed, incidentCount)
	baseURL := serveSimulator(t, simulator.Options{Incidents: incidents, Username: username, Password: password})

	// The Go toolchain keeps its caches and settings where they are, whatever HOME says.
	goEnv := exec.Command("go", "env", "GOCACHE", "GOMODCACHE", "GOPATH", "GOENV")
	out, err := goEnv.Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	goVars := strings.Fields(string(out))
	if len(goVars) != 4 {
		t.Fatalf("go env printed %q", out)
	}
	home := t.TempDir()
	environ := []string{
		"HOME=" + home, "XDG_CONFIG_HOME=", "XDG_DATA_HOME=",
		"GOCACHE=" + goVars[0], "GOMODCACHE=" + goVars[1], "GOPATH=" + goVars[2], "GOENV=" + goVars[3],
		"HTTPS_PROXY=http://127.0.0.1:9", "HTTP_PROXY=http://127.0.0.1:9", "NO_PROXY=",
		"TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
		"ESET_REGION=eu", "ESET_USERNAME=" + username, "ESET_PASSWORD=" + password,
		"ESET_IAM_ENDPOINT=" + baseURL, "ESET_INCIDENT_MANAGEMENT_ENDPOINT=" + baseURL, "ESET_DEVICE_MANAGEMENT_ENDPOINT=" + baseURL,
	}
	// The caller's values of these variables give way, lower-case proxy variables included.
	for _, kv := range callerEnviron() {
		name, _, _ := strings.Cut(kv, "=")
		if !slices.ContainsFunc(environ, func(set string) bool { return strings.HasPrefix(set, strings.ToUpper(name)+"=") }) {
			environ = append(environ, kv)
		}
	}
	environ = slices.Clip(environ) // each append below makes a copy of its own
	paths := map[string]string{}
	for _, cli := range selectedCLIs() {
		paths[cli] = tool(t, root, cli)
	}

	t.Run("make install", func(t *testing.T) {
		// A checkout that is not at a tag installs the release it works towards, CHANGELOG.md's first.
		version := changelogVersion(t, root)
		makeInstall := func() string {
			t.Helper()
			install := exec.Command("make", "--no-print-directory", "install")
			install.Dir, install.Env = root, environ
			out, err := install.CombinedOutput()
			if err != nil {
				t.Fatalf("make install: %v\n%s", err, out)
			}
			return string(out)
		}
		makeInstall()
		platform := runtime.GOOS + "_" + runtime.GOARCH
		var binaries []string
		for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
			binaries = append(binaries, filepath.Join(home, ".terraform.d", "plugins", host, "eset-community", "eset",
				version, platform, "terraform-provider-eset_v"+version))
		}
		sums := fileSums(t, binaries)

		// The README's blocks as shown, `~> 0.1` included, in a working directory per CLI; and the Try
		// it section's example, which names no version.
		dirs, base := map[string]*env{}, t.TempDir() // the directories outlive the subtests that make them
		for cli, path := range paths {
			t.Run(cli, func(t *testing.T) {
				e := &env{t: t, cli: cli, path: path, dir: filepath.Join(base, cli), incidents: incidents,
					environ: append(environ, "TF_CLI_CONFIG_FILE=")}
				if err := os.MkdirAll(e.dir, 0o755); err != nil {
					t.Fatal(err)
				}
				writeFile(t, filepath.Join(e.dir, "main.tf"), required+"\n"+example)
				e.initAndPlan(version)
				dirs[cli] = e

				report := *e
				report.dir = filepath.Join(t.TempDir(), "report")
				if err := os.CopyFS(report.dir, os.DirFS("use-cases/report")); err != nil {
					t.Fatal(err)
				}
				report.run("init", "-input=false", "-no-color")
				report.apply("-var", "period=7d")
			})
		}

		// The same source again gives the same bytes, so every lock file stays valid and nothing is asked.
		if out := makeInstall(); strings.Contains(out, "providers lock") {
			t.Errorf("make install of an unchanged checkout asks for a lock file update:\n%s", out)
		}
		if again := fileSums(t, binaries); !slices.Equal(again, sums) {
			t.Errorf("make install of an unchanged checkout built other bytes: sha256 %v, then %v", sums, again)
		}
		for cli, e := range dirs {
			t.Run(cli+" after reinstalling", func(t *testing.T) {
				e.t = t
				e.initAndPlan(version)
			})
		}

		// Changed source gives other bytes: the install prints the one command that lets each working
		// directory plan again, and it does.
		clone := filepath.Join(t.TempDir(), "clone")
		git(t, environ, "", "clone", "--quiet", "--no-tags", root, clone)
		writeFile(t, filepath.Join(clone, "scripts", "install.sh"), readFile(t, filepath.Join(root, "scripts", "install.sh")))
		writeFile(t, filepath.Join(clone, "changed.go"), "package main\n\nimport \"os\"\n\nfunc init() { _ = os.Getenv(\"A_CHANGE\") }\n")
		install := exec.Command("bash", filepath.Join(clone, "scripts", "install.sh"))
		install.Env = environ
		out, err := install.CombinedOutput()
		if err != nil {
			t.Fatalf("scripts/install.sh of a changed checkout: %v\n%s", err, out)
		}
		for cli, e := range dirs {
			t.Run(cli+" after a changed build", func(t *testing.T) {
				e.t = t
				product := strings.SplitN(cli, "@", 2)[0]
				var command []string
				for line := range strings.Lines(string(out)) {
					if strings.HasPrefix(strings.TrimSpace(line), product+" providers lock ") {
						command = strings.Fields(line)
					}
				}
				if len(command) == 0 {
					t.Fatalf("scripts/install.sh of a changed checkout prints no `%s providers lock` command:\n%s", product, out)
				}
				if out, err := e.try("plan", "-input=false", "-no-color"); err == nil || !strings.Contains(out, "checksum") {
					t.Errorf("plan with the earlier build's checksum in the lock file: err %v, want a checksum error\n%s", err, out)
				}
				e.run(append(command[1:], "-no-color")...)
				out := e.run("plan", "-input=false", "-no-color")
				if !strings.Contains(out, "open_high") {
					t.Errorf("plan after `%s` shows no open_high output:\n%s", strings.Join(command, " "), out)
				}
			})
		}
	})

	t.Run("make install at a tag", func(t *testing.T) {
		// A clone of this checkout, with the install script under test even before it is committed.
		clone := filepath.Join(t.TempDir(), "clone")
		git(t, environ, "", "clone", "--quiet", "--no-tags", root, clone)
		writeFile(t, filepath.Join(clone, "scripts", "install.sh"), readFile(t, filepath.Join(root, "scripts", "install.sh")))
		git(t, environ, clone, "-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "--quiet",
			"--allow-empty", "--all", "--message", "the install script under test")
		git(t, environ, clone, "tag", "v0.1.0")
		// Both install 0.1.0, the tag and CHANGELOG.md's first version; only the clean one is the release build.
		for _, c := range []struct{ name, want, build string }{
			{"a clean checkout", "0.1.0", "0.1.0"}, {"a changed checkout", "0.1.0", "0.1.0-dev"},
		} {
			if c.build != c.want {
				writeFile(t, filepath.Join(clone, "untracked.txt"), "a change since the tag\n")
			}
			tagHome := t.TempDir()
			install := exec.Command("bash", filepath.Join(clone, "scripts", "install.sh"))
			install.Env = append(environ, "HOME="+tagHome) // the last value of a variable wins
			out, err := install.CombinedOutput()
			if err != nil {
				t.Fatalf("scripts/install.sh in %s: %v\n%s", c.name, err, out)
			}
			if !strings.Contains(string(out), "(build "+c.build+",") {
				t.Errorf("%s of tag v0.1.0 did not build %s:\n%s", c.name, c.build, out)
			}
			binary := filepath.Join(tagHome, ".terraform.d", "plugins", "registry.terraform.io", "eset-community", "eset",
				c.want, runtime.GOOS+"_"+runtime.GOARCH, "terraform-provider-eset_v"+c.want)
			if _, err := os.Stat(binary); err != nil {
				t.Errorf("%s of tag v0.1.0 did not install version %s: %v", c.name, c.want, err)
			}
		}
	})

	t.Run("release zips in a filesystem mirror", func(t *testing.T) {
		const version = "0.1.0"
		release := filepath.Join(t.TempDir(), "release")
		buildRelease(t, root, release, version)
		mirror := filepath.Join(t.TempDir(), "mirror")

		if out, err := runMirror(root, environ, "--unsigned", release, mirror); err != nil {
			t.Fatalf("scripts/mirror.sh: %v\n%s", err, out)
		}
		cliConfig := filepath.Join(t.TempDir(), "mirror.tfrc")
		config := regexp.MustCompile(`path\s*=\s*"[^"]*"`).ReplaceAllLiteralString(mirrorConfig, fmt.Sprintf("path = %q", mirror))
		writeFile(t, cliConfig, config)
		for cli, path := range paths {
			t.Run(cli, func(t *testing.T) {
				e := &env{t: t, cli: cli, path: path, dir: t.TempDir(), incidents: incidents,
					environ: append(environ, "TF_CLI_CONFIG_FILE="+cliConfig)}
				writeFile(t, filepath.Join(e.dir, "main.tf"), required+"\n"+example)
				e.initAndPlan(version)
			})
		}
	})
}

// initAndPlan runs init and plan in the working directory and checks that the provider came in as a
// registry provider would, at the version given: in the lock file, without the dev_overrides warning, and
// that the plan read the simulator's incidents.
func (e *env) initAndPlan(version string) {
	e.t.Helper()
	out := e.run("init", "-input=false", "-no-color")
	out += e.run("plan", "-input=false", "-no-color")
	if strings.Contains(out, "development overrides") {
		e.t.Errorf("%s warns of dev_overrides:\n%s", e.cli, out)
	}
	lock := readFile(e.t, filepath.Join(e.dir, ".terraform.lock.hcl"))
	if !strings.Contains(lock, "/eset-community/eset\" {\n  version     = \""+version+"\"") {
		e.t.Errorf(".terraform.lock.hcl does not lock eset-community/eset %s:\n%s", version, lock)
	}
	selected := filter(e.incidents, openHigh)
	if newest := selected[len(selected)-1]; !strings.Contains(out, newest.CreateTime+" "+newest.DisplayName) {
		e.t.Errorf("the plan's open_high output lacks the newest open high-severity incident, %s:\n%s", newest.UUID, out)
	}
}

// buildRelease writes what goreleaser would publish for this machine's platform (.goreleaser.yml): the
// zip with terraform-provider-eset_v<version> built with the same flags, README.md and CHANGELOG.md (its
// default extra files), and the SHA256SUMS that lists the zip and the registry manifest. Running
// goreleaser itself takes minutes for every platform; make release-check covers that.
func buildRelease(t *testing.T, root, dir, version string) {
	t.Helper()
	name := "terraform-provider-eset"
	binary := filepath.Join(t.TempDir(), fmt.Sprintf("%s_v%s", name, version))
	build := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w -X main.version="+version, "-o", binary, ".")
	build.Dir, build.Env = root, append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	zipName := fmt.Sprintf("%s_%s_%s_%s.zip", name, version, runtime.GOOS, runtime.GOARCH)
	f, err := os.Create(filepath.Join(dir, zipName))
	if err != nil {
		t.Fatal(err)
	}
	w := zip.NewWriter(f)
	for _, file := range []string{binary, filepath.Join(root, "README.md"), filepath.Join(root, "CHANGELOG.md")} {
		addToZip(t, w, file)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	manifest := fmt.Sprintf("%s_%s_manifest.json", name, version)
	writeFile(t, filepath.Join(dir, manifest), readFile(t, filepath.Join(root, "terraform-registry-manifest.json")))
	var sums strings.Builder
	for _, file := range []string{zipName, manifest} {
		fmt.Fprintf(&sums, "%x  %s\n", sha256.Sum256([]byte(readFile(t, filepath.Join(dir, file)))), file)
	}
	writeFile(t, filepath.Join(dir, fmt.Sprintf("%s_%s_SHA256SUMS", name, version)), sums.String())
}

func addToZip(t *testing.T, w *zip.Writer, file string) {
	t.Helper()
	info, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	header, err := zip.FileInfoHeader(info)
	if err != nil {
		t.Fatal(err)
	}
	header.Method = zip.Deflate
	dst, err := w.CreateHeader(header)
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
}

func git(t *testing.T, environ []string, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir, cmd.Env = dir, environ
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func runMirror(root string, environ []string, args ...string) (string, error) {
	cmd := exec.Command(filepath.Join(root, "scripts", "mirror.sh"), args...)
	cmd.Env = environ
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// changelogVersion is the version of CHANGELOG.md's first heading, the release the checkout works towards.
func changelogVersion(t *testing.T, root string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^## (\d+\.\d+\.\d+)\b`).FindStringSubmatch(readFile(t, filepath.Join(root, "CHANGELOG.md")))
	if m == nil {
		t.Fatal("CHANGELOG.md has no heading ## X.Y.Z")
	}
	return m[1]
}

// fileSums returns each file's SHA-256, in hex.
func fileSums(t *testing.T, files []string) []string {
	t.Helper()
	var sums []string
	for _, f := range files {
		sums = append(sums, fmt.Sprintf("%x", sha256.Sum256([]byte(readFile(t, f)))))
	}
	return sums
}

// readmeBlock returns the one fenced block of the given language in the README that holds want.
func readmeBlock(t *testing.T, readme, lang, want string) string {
	t.Helper()
	var found []string
	for _, m := range regexp.MustCompile("(?s)```"+lang+"\n(.*?)```").FindAllStringSubmatch(readme, -1) {
		if strings.Contains(m[1], want) {
			found = append(found, m[1])
		}
	}
	if len(found) != 1 {
		t.Fatalf("the README has %d ```%s blocks with %q, want 1", len(found), lang, want)
	}
	return found[0]
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
