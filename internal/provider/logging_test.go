package provider

import (
	"encoding/json"
	"os"
	"path/filepath"
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
