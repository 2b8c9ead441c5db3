package main

import (
	"bytes"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eset-community/terraform-provider-eset/internal/simulator/openapi"
)

// output runs f with stdout captured.
func output(t *testing.T, f func() int) (string, int) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stdout
	os.Stdout = w
	code := f()
	os.Stdout = saved
	_ = w.Close()
	out, _ := io.ReadAll(r)
	return string(out), code
}

// Without access to the documents' host the check says so and passes.
func TestCheckOffline(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	_ = ln.Close()
	out, code := output(t, func() int { return checkCmd([]string{"-base", closed, "-timeout", "2s"}) })
	if code != 0 || !strings.Contains(out, "cannot be reached") || !strings.Contains(out, "not checked") {
		t.Errorf("exit %d, output %q; want 0 and a note that nothing was checked", code, out)
	}
}

// A document that changed where the provider cares fails the check, naming the change.
func TestCheckReportsAChangedDocument(t *testing.T) {
	dir := t.TempDir()
	for _, service := range openapi.Services {
		kept, _ := openapi.Kept(service)
		if service == "incident-management" {
			kept = bytes.Replace(kept, []byte(`"maxLength": 200`), []byte(`"maxLength": 150`), 1)
		}
		if err := os.WriteFile(filepath.Join(dir, service+".json"), kept, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	out, code := output(t, func() int { return checkCmd([]string{"-from", dir}) })
	if code != 1 || !strings.Contains(out, "~ GET /v2/incidents parameter filter (query): maxLength: 200 -> 150") ||
		!strings.Contains(out, "device-management: the operations the provider calls are as kept") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}
