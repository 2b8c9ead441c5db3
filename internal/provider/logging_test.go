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
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// With TF_LOG=TRACE, neither the password nor any token the API issued appears in the CLI's and the
// provider's logs, or in state. The password comes from ESET_PASSWORD, as the docs advise: given in the
// configuration, it would appear in these logs only because terraform-plugin-testing logs the
// configuration files it writes.
func TestAccSecrets_notInLogsOrState(t *testing.T) {
	t.Setenv("ESET_PASSWORD", testPassword)
	logs := t.TempDir()
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH_MASK", filepath.Join(logs, "%s.log"))
	sim := startSimulator(t, simulator.Options{Incidents: simulator.Generate(26, 1500), Faults: simulator.Faults{TokenCalls: 1}})

	var state string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: withoutLinesContaining(sim.providerConfig(""), testPassword) + `data "eset_incidents" "test" {}`,
			Check: func(s *terraform.State) error {
				b, err := json.Marshal(s)
				state = string(b)
				return err
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(incidentsAddress, tfjsonpath.New("incidents"), knownvalue.ListSizeExact(1500)),
			},
		}},
	})

	entries, err := os.ReadDir(logs)
	if err != nil || len(entries) == 0 {
		t.Fatalf("no logs were written to %s (%v): the test proves nothing", logs, err)
	}
	var logText strings.Builder
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(logs, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		logText.Write(b)
	}
	text := logText.String()
	if !strings.Contains(text, "read a page of incidents") {
		t.Fatalf("the logs (%d bytes) lack the provider's page progress: the test proves nothing", len(text))
	}
	secrets := append([]string{testPassword}, sim.IssuedTokens()...)
	if len(secrets) < 3 {
		t.Fatalf("the simulator issued %d tokens: the test proves nothing", len(secrets)-1)
	}
	for _, secret := range secrets {
		if i := strings.Index(text, secret); i >= 0 {
			context := text[max(i-300, 0):min(i+len(secret)+100, len(text))]
			t.Errorf("a secret (%.12s…) appears in the TRACE logs: …%s…", secret, strings.ReplaceAll(context, secret, "<SECRET>"))
		}
		if strings.Contains(state, secret) {
			t.Errorf("a secret (%.12s…) appears in state", secret)
		}
	}
	t.Logf("scanned %d bytes of TRACE logs and %d bytes of state for %d secrets", len(text), len(state), len(secrets))
}

func withoutLinesContaining(text, substr string) string {
	var kept []string
	for _, line := range strings.Split(text, "\n") {
		if !strings.Contains(line, substr) {
			kept = append(kept, line)
		}
	}
	return strings.Join(kept, "\n")
}

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
