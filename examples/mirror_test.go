//go:build examples && unix

package examples_test

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMirror runs scripts/mirror.sh on a release signed at test time with real gpg keys (ed25519, made in a
// temporary GNUPGHOME that stands for the user's keyring): it installs a release signed by the key given
// (or its signing subkey), exactly the release's bytes; it refuses a subkey's fingerprint, a signature by a
// revoked key, an expired key or another key, an expired signature, no key given, a release whose files
// change while the script reads them (regular files replaced right after they were hashed or verified,
// FIFOs that serve the genuine bytes first), and symlinks. A refused release leaves no mirror; every run
// leaves nothing in its TMPDIR.
func TestMirror(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("gpg"); err != nil {
		t.Fatal("TestMirror needs gpg to sign releases with real keys:", err)
	}
	const (
		zipName  = "terraform-provider-eset_0.1.0_linux_amd64.zip"
		sumsName = "terraform-provider-eset_0.1.0_SHA256SUMS"
		genuine  = "the release's zip"
		evil     = "another zip"
	)
	sums := func(zip string) string { return fmt.Sprintf("%x  %s\n", sha256.Sum256([]byte(zip)), zipName) }
	genuineSums, evilSums := sums(genuine), sums(evil)

	// Every key is made, and every signature made, a month ago, so that a key with a day's validity and a
	// signature with a day's have expired by now.
	keyring := newKeyring(t)
	then := time.Now().Add(-30 * 24 * time.Hour)
	good := keyring.generate("good", "never", then)
	revoked := keyring.generate("revoked", "never", then)
	expired := keyring.generate("expired", "1d", then)
	other := keyring.generate("other", "never", then)
	withSubkey := keyring.generate("subkey", "never", then)
	subkey := keyring.addSigningSubkey(withSubkey, then)
	signed := then.Add(time.Hour)
	sigBy := map[string]string{}
	for _, key := range []string{good, revoked, expired, other} {
		sigBy[key] = keyring.sign(key, genuineSums, signed)
	}
	sigBy[subkey] = keyring.sign(subkey, genuineSums, signed)
	expiredSig := keyring.sign(good, genuineSums, signed, "--default-sig-expire", "1d")
	keyring.revoke(revoked)
	keyFile := func(keys ...string) string {
		name := filepath.Join(t.TempDir(), "key.gpg")
		writeFile(t, name, keyring.gpg(nil, append([]string{"--export"}, keys...)...))
		return name
	}
	goodKeyFile, bothKeysFile := keyFile(good), keyFile(good, other)

	// newRelease is a release directory with the genuine zip, SHA256SUMS and the signature given (none if
	// empty); change, if given, then replaces what it likes.
	newRelease := func(t *testing.T, sig string, change func(t *testing.T, dir string)) string {
		dir := filepath.Join(t.TempDir(), "release")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, zipName), genuine)
		writeFile(t, filepath.Join(dir, sumsName), genuineSums)
		if sig != "" {
			writeFile(t, filepath.Join(dir, sumsName+".sig"), sig)
		}
		if change != nil {
			change(t, dir)
		}
		return dir
	}
	// swapAfter puts a wrapper of the command in a directory put first on PATH: after its first run, the
	// release's zip and SHA256SUMS become the evil ones, which match each other, as if another process
	// rewrote the release directory right then.
	swapAfter := func(t *testing.T, dir, command string) string {
		wrapped, err := exec.LookPath(command)
		if err != nil {
			t.Fatal(err)
		}
		bin, evilDir := t.TempDir(), t.TempDir()
		writeFile(t, filepath.Join(evilDir, zipName), evil)
		writeFile(t, filepath.Join(evilDir, sumsName), evilSums)
		wrapper := fmt.Sprintf("#!/bin/sh\n%q \"$@\"; rc=$?\n[ -e %q ] || { : >%[2]q; cp %q %q %q; }\nexit $rc\n",
			wrapped, filepath.Join(bin, "swapped"), filepath.Join(evilDir, zipName), filepath.Join(evilDir, sumsName), dir)
		if err := os.WriteFile(filepath.Join(bin, command), []byte(wrapper), 0o700); err != nil {
			t.Fatal(err)
		}
		return bin + string(os.PathListSeparator) + os.Getenv("PATH")
	}
	sha256Command := "sha256sum" // the script's, where the system has it
	if _, err := exec.LookPath(sha256Command); err != nil {
		sha256Command = "shasum"
	}

	type run struct {
		name string
		args []string // before the release and mirror directories
		// emptyKeyring runs the script with an empty GNUPGHOME instead of the keyring with every key.
		emptyKeyring bool
		sig          string                                    // SHA256SUMS.sig, if any
		change       func(t *testing.T, release string)        // what to change in the release
		path         func(t *testing.T, release string) string // PATH, if not the test's
		want         string                                    // in the refusal; "" for a release that must be installed
	}
	keyArgs := []string{"--key", good}
	runs := []run{
		{name: "a signature by the key given", args: keyArgs, sig: sigBy[good]},
		{name: "a signature by the key in --key-file, with an empty keyring",
			args: append([]string{"--key-file", goodKeyFile}, keyArgs...), emptyKeyring: true,
			sig: sigBy[good]},
		{name: "a fingerprint with spaces and in lower case",
			args: []string{"--key", strings.ToLower(good[:20] + " " + good[20:])}, sig: sigBy[good]},
		{name: "a signature by a signing subkey, with the primary key's fingerprint", args: []string{"--key", withSubkey},
			sig: sigBy[subkey]},
		{name: "a signing subkey's fingerprint", args: []string{"--key", subkey}, sig: sigBy[subkey],
			want: subkey + " is a subkey of " + withSubkey},
		{name: "a signature by a revoked key", args: []string{"--key", revoked},
			sig: sigBy[revoked], want: "is by a revoked key"},
		{name: "a signature by an expired key", args: []string{"--key", expired},
			sig: sigBy[expired], want: "is by an expired key"},
		{name: "an expired signature", args: keyArgs, sig: expiredSig, want: "has expired"},
		{name: "a signature by another key in the keyring, with no key given", args: nil,
			sig: sigBy[other], want: "--key <fingerprint>"},
		{name: "a signature by the key given, with no key given", args: nil,
			sig: sigBy[good], want: "--key <fingerprint>"},
		{name: "a signature by another key in the keyring", args: keyArgs,
			sig: sigBy[other], want: "is not by the key " + good},
		{name: "a signature by another key in --key-file", args: append([]string{"--key-file", bothKeysFile}, keyArgs...),
			sig: sigBy[other], want: "is by the key " + other + ", not " + good},
		{name: "a key not in the keyring", args: keyArgs, emptyKeyring: true,
			sig: sigBy[good], want: "not in your keyring"},
		{name: "a short key id", args: []string{"--key", good[24:]},
			sig: sigBy[good], want: "full primary-key fingerprint"},
		{name: "not a signature", args: keyArgs,
			sig: "not a signature", want: "is not a good signature by the key " + good},
		{name: "a key and no signature", args: keyArgs, want: "no " + sumsName + ".sig"},
		{name: "a tampered zip", args: keyArgs, sig: sigBy[good], want: "does not match its checksum",
			change: func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, zipName), evil) }},
		{name: "a tampered SHA256SUMS", args: keyArgs, sig: sigBy[good], want: "does not match the file",
			change: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, zipName), evil)
				writeFile(t, filepath.Join(dir, sumsName), evilSums)
			}},
		{name: "a zip replaced after it was hashed", args: keyArgs, sig: sigBy[good],
			path: func(t *testing.T, dir string) string { return swapAfter(t, dir, sha256Command) }},
		{name: "a zip and SHA256SUMS replaced after gpg verified them", args: keyArgs, sig: sigBy[good],
			path: func(t *testing.T, dir string) string { return swapAfter(t, dir, "gpg") }},
		{name: "a zip served by a FIFO", args: keyArgs, sig: sigBy[good], want: "is not a regular file",
			change: func(t *testing.T, dir string) { serveFIFO(t, filepath.Join(dir, zipName), genuine, evil) }},
		{name: "SHA256SUMS served by a FIFO", args: keyArgs, sig: sigBy[good], want: "is not a regular file",
			change: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, zipName), evil)
				serveFIFO(t, filepath.Join(dir, sumsName), genuineSums, evilSums)
			}},
		{name: "a symlink to the zip", args: keyArgs, sig: sigBy[good], want: "is not a regular file",
			change: func(t *testing.T, dir string) {
				elsewhere := filepath.Join(t.TempDir(), zipName)
				writeFile(t, elsewhere, genuine)
				if err := os.Remove(filepath.Join(dir, zipName)); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink(elsewhere, filepath.Join(dir, zipName)); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "no signature and no --unsigned", want: "--unsigned"},
		{name: "no signature and --unsigned", args: []string{"--unsigned"}},
		{name: "a signature by another key and --unsigned, with no key given", args: []string{"--unsigned"}, sig: sigBy[other]},
	}
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			dir := newRelease(t, r.sig, r.change)
			mirror := filepath.Join(t.TempDir(), "mirror")
			tmp := t.TempDir()
			environ := append(callerEnviron(), "HOME="+t.TempDir(), "TMPDIR="+tmp, "GNUPGHOME="+keyring.home)
			if r.emptyKeyring {
				environ = append(environ, "GNUPGHOME="+t.TempDir())
			}
			if r.path != nil {
				environ = append(environ, "PATH="+r.path(t, dir))
			}
			out, err := runMirror(root, environ, slices.Concat(r.args, []string{dir, mirror})...)
			if r.want == "" {
				if err != nil {
					t.Fatalf("scripts/mirror.sh: %v\n%s", err, out)
				}
				for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
					installed := filepath.Join(mirror, host, "eset-community", "eset")
					if got := readFile(t, filepath.Join(installed, zipName)); got != genuine {
						t.Errorf("scripts/mirror.sh installed %q in %s, want the release's zip\n%s", got, host, out)
					}
					if entries, _ := os.ReadDir(installed); len(entries) != 1 {
						t.Errorf("scripts/mirror.sh left %d files in %s, want the zip alone", len(entries), installed)
					}
				}
			} else {
				if err == nil || !strings.Contains(out, r.want) {
					t.Errorf("scripts/mirror.sh: err %v, want a refusal that says %q\n%s", err, r.want, out)
				}
				if _, err := os.Stat(mirror); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("scripts/mirror.sh created the mirror (%v)", err)
				}
			}
			if left, _ := os.ReadDir(tmp); len(left) != 0 {
				t.Errorf("scripts/mirror.sh left %s in its TMPDIR", left[0].Name())
			}
		})
	}
}

// keyring is a GNUPGHOME of the test's, where keys are made and release files signed.
type keyring struct {
	t    *testing.T
	home string
}

func newKeyring(t *testing.T) *keyring {
	k := &keyring{t: t, home: t.TempDir()}
	// Signing starts a gpg-agent for the home; it goes with the test.
	t.Cleanup(func() { _ = exec.Command("gpgconf", "--homedir", k.home, "--kill", "all").Run() })
	return k
}

// gpg runs gpg in the keyring, at the time given if not nil, and returns its output.
func (k *keyring) gpg(at *time.Time, args ...string) string {
	k.t.Helper()
	args = append([]string{"--homedir", k.home, "--batch", "--pinentry-mode", "loopback", "--passphrase", ""}, args...)
	if at != nil {
		args = append([]string{"--faked-system-time", at.UTC().Format("20060102T150405") + "!"}, args...)
	}
	cmd := exec.Command("gpg", args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		k.t.Fatalf("gpg %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

// generate makes an ed25519 signing key at the time given, valid for expire ("never", "1d"), and returns
// its fingerprint.
func (k *keyring) generate(name, expire string, at time.Time) string {
	k.t.Helper()
	uid := name + " <" + name + "@example.com>"
	k.gpg(&at, "--quick-gen-key", uid, "ed25519", "sign", expire)
	for line := range strings.Lines(k.gpg(nil, "--with-colons", "--list-keys", "="+uid)) {
		if fields := strings.Split(line, ":"); fields[0] == "fpr" {
			return fields[9]
		}
	}
	k.t.Fatalf("gpg lists no fingerprint for %s", uid)
	return ""
}

// addSigningSubkey gives the key an ed25519 signing subkey, made at the time given, and returns the
// subkey's fingerprint.
func (k *keyring) addSigningSubkey(key string, at time.Time) string {
	k.t.Helper()
	k.gpg(&at, "--quick-add-key", key, "ed25519", "sign", "never")
	sub := false
	for line := range strings.Lines(k.gpg(nil, "--with-colons", "--list-keys", key)) {
		fields := strings.Split(line, ":")
		if sub && fields[0] == "fpr" {
			return fields[9]
		}
		sub = fields[0] == "sub"
	}
	k.t.Fatalf("gpg lists no subkey of %s", key)
	return ""
}

// sign returns a detached signature of content by the key, made at the time given.
func (k *keyring) sign(key, content string, at time.Time, options ...string) string {
	k.t.Helper()
	file := filepath.Join(k.t.TempDir(), "signed")
	writeFile(k.t, file, content)
	k.gpg(&at, slices.Concat(options, []string{"--local-user", key + "!", "--output", file + ".sig", "--detach-sign", file})...)
	return readFile(k.t, file+".sig")
}

// revoke imports the revocation certificate gpg wrote when it made the key; gpg puts a colon before its
// first line so that it is not imported by mistake.
func (k *keyring) revoke(key string) {
	k.t.Helper()
	cert := readFile(k.t, filepath.Join(k.home, "openpgp-revocs.d", key+".rev"))
	file := filepath.Join(k.t.TempDir(), "revocation.asc")
	writeFile(k.t, file, strings.Replace(cert, ":-----BEGIN", "-----BEGIN", 1))
	k.gpg(nil, "--import", file)
}

// serveFIFO replaces the file name with a FIFO that serves contents, one per reader in turn and the last to
// every later reader, until the test ends. Each reader gets a FIFO of its own: as soon as one has it open, a
// new one takes its name, so a reader that has not read to the end yet never gets the next contents too.
func serveFIFO(t *testing.T, name string, contents ...string) {
	fresh := func() error {
		next := name + ".next"
		if err := syscall.Mkfifo(next, 0o600); err != nil {
			return err
		}
		return os.Rename(next, name)
	}
	if err := fresh(); err != nil {
		t.Fatal(err)
	}
	done, stopped := make(chan struct{}), make(chan struct{})
	t.Cleanup(func() { close(done); <-stopped })
	go func() {
		defer close(stopped)
		for served := 0; ; {
			// Opened without blocking, a FIFO fails until a reader has it open; a blocking open would
			// outlive the test when no reader comes.
			f, err := os.OpenFile(name, os.O_WRONLY|syscall.O_NONBLOCK, 0)
			if err != nil {
				select {
				case <-done:
					return
				case <-time.After(5 * time.Millisecond):
				}
				continue
			}
			if err := fresh(); err != nil {
				t.Error(err)
			}
			_, _ = f.WriteString(contents[min(served, len(contents)-1)])
			f.Close()
			served++
		}
	}()
}
