package provider

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// One device by name or by uuid reads the same; a shared name lists the candidates; a missing one is named.
func TestAccDeviceDataSource(t *testing.T) {
	sim, world := startWorld(t, simulator.WorldSpec{Seed: 3, Incidents: 50})
	web01 := devicesWhere(world, func(d *esetapi.Device) bool { return d.DisplayName == "web-01" })[0]
	fin := devicesWhere(world, func(d *esetapi.Device) bool { return d.DisplayName == "FIN-LAPTOP-12" })
	byName, byUUID := deviceChecks(&web01), deviceChecks(&web01)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: sim.providerConfig("") + `
data "eset_device" "by_name" { display_name = "web-01" }
data "eset_device" "by_uuid" { uuid = "` + web01.UUID + `" }`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.eset_device.by_name", tfjsonpath.New("operating_system"), byName["operating_system"]),
				statecheck.ExpectKnownValue("data.eset_device.by_name", tfjsonpath.New("uuid"), byName["uuid"]),
				statecheck.ExpectKnownValue("data.eset_device.by_name", tfjsonpath.New("mac_addresses"), byName["mac_addresses"]),
				statecheck.ExpectKnownValue("data.eset_device.by_uuid", tfjsonpath.New("display_name"), byUUID["display_name"]),
				statecheck.ExpectKnownValue("data.eset_device.by_uuid", tfjsonpath.New("public_ip_address"), byUUID["public_ip_address"]),
				statecheck.ExpectKnownValue("data.eset_device.by_uuid", tfjsonpath.New("is_muted"), knownvalue.Bool(false)),
			},
		}, {
			Config: sim.providerConfig("") + `data "eset_device" "test" { display_name = "FIN-LAPTOP-12" }`,
			ExpectError: regexp.MustCompile(`(?s)2 devices are named "FIN-LAPTOP-12".*` + fin[0].UUID + `.*All/Workstations/Finance.*` +
				fin[1].UUID + `.*All/Lost & Found.*Set uuid`),
		}, {
			Config:      sim.providerConfig("") + `data "eset_device" "test" { display_name = "no-such-host" }`,
			ExpectError: regexp.MustCompile(`(?s)No device is named "no-such-host"`),
		}, {
			Config:      sim.providerConfig("") + `data "eset_device" "test" { uuid = "00000000-0000-4000-8000-000000000000" }`,
			ExpectError: regexp.MustCompile(`(?s)ESET device not found.*00000000-0000-4000-8000-000000000000.*404.*request-id`),
		}},
	})
}

// hostileText clears the screen, sets the window title, colours a forged line and reverses text, as a
// hostile server's names may.
const hostileText = "\x1b[2J\x1b]0;owned\x07\x1b[31mFAKE: all incidents closed\r\nError: forged \u202eevil"

// hostileDeviceAPI serves the simulator's token endpoint and, for the device API, two devices named "dup"
// in a group, all of whose other texts are hostileText.
func hostileDeviceAPI(t *testing.T) string {
	t.Helper()
	const group = "00000000-0000-4000-8000-0000000000aa"
	sim := simulator.New(simulator.Options{Username: testUsername, Password: testPassword})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1/devices":
			device := func(uuid string) map[string]string {
				return map[string]string{"uuid": uuid, "displayName": "dup", "originalDisplayName": hostileText, "lastSyncTime": hostileText, "parentGroupUuid": group}
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"devices": []any{device("00000000-0000-4000-8000-000000000001"), device("00000000-0000-4000-8000-000000000002")}})
		case "/v1/device_groups":
			_ = json.NewEncoder(w).Encode(map[string]any{"deviceGroups": []any{map[string]string{"uuid": group, "displayName": hostileText}}})
		default:
			sim.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(ts.Close)
	return ts.URL
}

// readDiagnostics reads typeName with attrs through the provider's protocol server and returns the
// details of its diagnostics.
func readDiagnostics(t *testing.T, url, typeName string, attrs map[string]tftypes.Value) string {
	t.Helper()
	server := NewProtocol6Server("test")()
	schemas := configureServer(t, server, url, 1000)
	config := dynamicValue(t, schemas.DataSourceSchemas[typeName], attrs)
	resp, err := server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: typeName, Config: config})
	if err != nil {
		t.Fatal(err)
	}
	var details []string
	for _, d := range resp.Diagnostics {
		details = append(details, d.Summary+": "+d.Detail)
	}
	return strings.Join(details, "\n")
}

// TestDeviceCandidatesEscaped: the candidates of an ambiguous name show the server's texts (group path,
// last sync, original name) with every control character escaped visibly.
func TestDeviceCandidatesEscaped(t *testing.T) {
	t.Parallel()
	text := readDiagnostics(t, hostileDeviceAPI(t), "eset_device", map[string]tftypes.Value{"display_name": tftypes.NewValue(tftypes.String, "dup")})
	if !strings.Contains(text, "2 devices are named") || strings.ContainsAny(text, "\x1b\x07\r\u202e") ||
		!strings.Contains(text, `in \x1b[2J\x1b]0;owned\x07\x1b[31mFAKE: all incidents closed\r\nError: forged \u202eevil, last sync \x1b[2J`) {
		t.Errorf("the candidates are not escaped as expected: %q", text)
	}
}
