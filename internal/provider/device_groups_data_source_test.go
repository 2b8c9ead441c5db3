package provider

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// expectGroups checks every attribute of every group whose path keep accepts, in the API's order. The
// paths are written out here: they check GroupPaths' use, so they must not come from it.
func expectGroups(t *testing.T, address string, world simulator.World, paths map[string]string, keep func(string) bool) []statecheck.StateCheck {
	t.Helper()
	var checks []knownvalue.Check
	var ids []string
	for _, g := range world.DeviceGroups {
		p, ok := paths[g.DisplayName+"|"+g.ParentGroupUUID]
		if !ok {
			t.Fatalf("no path written for group %s", g.DisplayName)
		}
		if !keep(p) {
			continue
		}
		parent := knownvalue.Check(knownvalue.Null())
		if g.ParentGroupUUID != "" {
			parent = knownvalue.StringExact(g.ParentGroupUUID)
		}
		checks = append(checks, knownvalue.ObjectExact(map[string]knownvalue.Check{
			"uuid":              knownvalue.StringExact(g.UUID),
			"display_name":      knownvalue.StringExact(g.DisplayName),
			"parent_group_uuid": parent,
			"path":              knownvalue.StringExact(p),
			"is_security_group": knownvalue.Bool(g.IsSecurityGroup),
		}))
		ids = append(ids, g.UUID)
	}
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(address, tfjsonpath.New("groups"), knownvalue.ListExact(checks)),
		statecheck.ExpectKnownValue(address, tfjsonpath.New("ids"), stringsCheck(ids)),
	}
}

// Every group with its path; path_prefix keeps one subtree on whole names; the Linux group under Servers
// and the one under Engineering are told apart; a path that names nothing is an error that suggests one.
func TestAccDeviceGroupsDataSource(t *testing.T) {
	sim, world := startWorld(t, simulator.WorldSpec{Seed: 9, Incidents: 10})
	uuid := map[string]string{}
	for _, g := range world.DeviceGroups {
		uuid[g.DisplayName+"|"+g.ParentGroupUUID] = g.UUID
	}
	all := uuid["All|"]
	servers, workstations := uuid["Servers|"+all], uuid["Workstations|"+all]
	engineering := uuid["Engineering|"+workstations]
	paths := map[string]string{
		"All|": "All", "Lost & Found|" + all: "All/Lost & Found", "Servers|" + all: "All/Servers",
		"Linux|" + servers: "All/Servers/Linux", "Windows|" + servers: "All/Servers/Windows", "DMZ|" + servers: "All/Servers/DMZ",
		"Workstations|" + all: "All/Workstations", "Finance|" + workstations: "All/Workstations/Finance",
		"HR|" + workstations: "All/Workstations/HR", "Engineering|" + workstations: "All/Workstations/Engineering",
		"Linux|" + engineering: "All/Workstations/Engineering/Linux", "macOS|" + engineering: "All/Workstations/Engineering/macOS",
		"Mobile|" + all: "All/Mobile", "Windows computers|" + all: "All/Windows computers", "Needs attention|" + all: "All/Needs attention",
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		// The errors first: the last step's configuration is also the one destroyed.
		Steps: []resource.TestStep{{
			Config:      sim.providerConfig("") + `data "eset_device_groups" "test" { path_prefix = "All/Server" }`,
			ExpectError: regexp.MustCompile(`(?s)No group has the path "All/Server".*did you mean\s+"All/Servers"`),
		}, {
			Config:      sim.providerConfig("") + `data "eset_device_groups" "test" { path_prefix = "All/Servers/" }`,
			ExpectError: regexp.MustCompile(`(?s)path_prefix.*must not end with /`),
		}, {
			Config: sim.providerConfig("") + `
data "eset_device_groups" "all" {}
data "eset_device_groups" "servers" {
  path_prefix = "All/Servers"
}
data "eset_device_groups" "lost" {
  path_prefix = "All/Lost & Found"
}`,
			ConfigStateChecks: append(append(
				expectGroups(t, "data.eset_device_groups.all", world, paths, func(string) bool { return true }),
				expectGroups(t, "data.eset_device_groups.servers", world, paths, func(p string) bool {
					return p == "All/Servers" || strings.HasPrefix(p, "All/Servers/")
				})...),
				statecheck.ExpectKnownValue("data.eset_device_groups.lost", tfjsonpath.New("ids"), stringsCheck([]string{uuid["Lost & Found|"+all]})),
			),
		}},
	})
	if n := len(world.DeviceGroups); n != len(paths) {
		t.Errorf("the world has %d groups, the test names %d", n, len(paths))
	}
}

// TestUnknownPathPrefixEscaped: the group paths listed for a path_prefix that names no group show the
// server's names with every control character escaped visibly.
func TestUnknownPathPrefixEscaped(t *testing.T) {
	t.Parallel()
	text := readDiagnostics(t, hostileDeviceAPI(t), "eset_device_groups", map[string]tftypes.Value{"path_prefix": tftypes.NewValue(tftypes.String, "All/None")})
	if !strings.Contains(text, "No group has the path") || strings.ContainsAny(text, "\x1b\x07\r\u202e") ||
		!strings.Contains(text, `The groups are: \x1b[2J\x1b]0;owned\x07\x1b[31mFAKE`) {
		t.Errorf("the paths are not escaped as expected: %q", text)
	}
}
