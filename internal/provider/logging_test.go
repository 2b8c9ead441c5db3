package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// An API that quotes the password and the token it refuses, in every encoding, leaves neither in the
// error the CLI shows nor in its TRACE logs. The password is full of characters that encoding changes.
func TestAccSecrets_echoedByTheServer(t *testing.T) {
	const password = `P@ss w&<é!"%+rd>`
	t.Setenv("ESET_PASSWORD", password)
	logs := t.TempDir()
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH_MASK", filepath.Join(logs, "%s.log"))

	sim := simulator.New(simulator.Options{Username: testUsername, Password: password, Incidents: simulator.Generate(27, 3)})
	base, stop, err := simulator.Listen(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/v2/") {
			sim.ServeHTTP(w, r)
			return
		}
		auth := r.Header.Get("Authorization")
		token := strings.TrimPrefix(auth, "Bearer ")
		quoted, _ := json.Marshal(map[string]string{"password": password})
		w.Header().Set("request-id", "rid-"+token)
		w.WriteHeader(http.StatusForbidden)
		_ = json.NewEncoder(w).Encode(map[string]string{"message": fmt.Sprintf("denied %s | %s | %s | %s | %s | %s",
			auth, token, password, url.QueryEscape(password), url.PathEscape(password), quoted)})
	}), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "eset" {
  region                       = "eu"
  username                     = %q
  iam_endpoint                 = %q
  incident_management_endpoint = %q
}
data "eset_incidents" "test" {}`, testUsername, base, base),
			ExpectError: regexp.MustCompile(`(?s)HTTP 403 Forbidden: denied Bearer \*\*\* \| \*\*\* \| \*\*\* \| \*\*\*`),
		}},
	})

	var text strings.Builder
	entries, _ := os.ReadDir(logs)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(logs, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		text.Write(b)
	}
	if !strings.Contains(text.String(), "denied") {
		t.Fatalf("the logs (%d bytes) lack the error: the test proves nothing", text.Len())
	}
	secrets := append([]string{password}, sim.IssuedTokens()...)
	if len(secrets) < 3 {
		t.Fatalf("the simulator issued %d tokens: the test proves nothing", len(secrets)-1)
	}
	htmlEscaped, _ := json.Marshal(password)
	for _, secret := range secrets {
		for _, form := range []string{secret, url.QueryEscape(secret), url.PathEscape(secret), strings.Trim(string(htmlEscaped), `"`)} {
			if i := strings.Index(text.String(), form); i >= 0 {
				s := text.String()
				t.Errorf("a secret (%.6s…) appears in the TRACE logs as %q: …%s…", secret, form, s[max(i-200, 0):min(i+len(form)+50, len(s))])
			}
		}
	}
}
