package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

const devicesAddress = "data.eset_devices.test"

// worldEnd fixes the test world's time, so that its data is the same on every run.
var worldEnd = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

// startWorld serves a world of incidents, devices and detections.
func startWorld(t *testing.T, spec simulator.WorldSpec) (*testSimulator, simulator.World) {
	t.Helper()
	if spec.End.IsZero() {
		spec.End = worldEnd
	}
	world := simulator.GenerateWorld(spec)
	var opts simulator.Options
	opts.SetWorld(world)
	return startSimulator(t, opts), world
}

// stringsCheck expects exactly these strings, in order.
func stringsCheck(values []string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(values))
	for i, v := range values {
		checks[i] = knownvalue.StringExact(v)
	}
	return knownvalue.ListExact(checks)
}

// deviceChecks has a check for each attribute of d, written out rather than taken from deviceRecord,
// which they check.
func deviceChecks(d *esetapi.Device) map[string]knownvalue.Check {
	family := map[esetapi.Int64]string{1: "windows", 2: "linux", 3: "apple", 4: "android", 7: "unix"}[d.OperatingSystem.FamilyID]
	var macs []string
	for _, hp := range d.HardwareProfiles {
		for _, na := range hp.NetworkAdapters {
			macs = append(macs, na.MacAddress)
		}
	}
	return map[string]knownvalue.Check{
		"uuid":                     knownvalue.StringExact(d.UUID),
		"display_name":             knownvalue.StringExact(d.DisplayName),
		"original_display_name":    knownvalue.StringExact(d.OriginalDisplayName),
		"description":              knownvalue.StringExact(d.Description),
		"tags":                     stringsCheck(d.Tags),
		"parent_group_uuid":        knownvalue.StringExact(d.ParentGroupUUID),
		"primary_local_ip_address": knownvalue.StringExact(d.PrimaryLocalIPAddress),
		"public_ip_address":        knownvalue.StringExact(d.PublicIPAddress),
		"last_sync_time":           knownvalue.StringExact(d.LastSyncTime),
		"functionality_status":     knownvalue.StringExact(d.FunctionalityStatus),
		"is_muted":                 knownvalue.Bool(d.IsMuted),
		"device_type":              knownvalue.StringExact(d.DeviceType),
		"operating_system": knownvalue.ObjectExact(map[string]knownvalue.Check{
			"display_name": knownvalue.StringExact(d.OperatingSystem.DisplayName),
			"family":       knownvalue.StringExact(family),
			"version":      knownvalue.StringExact(d.OperatingSystem.Version.Name),
		}),
		"mac_addresses": stringsCheck(macs),
	}
}

// expectDevices checks the whole list, every attribute of every device, in order, and ids.
func expectDevices(address string, devices []esetapi.Device) []statecheck.StateCheck {
	checks := make([]knownvalue.Check, len(devices))
	ids := make([]string, len(devices))
	for i := range devices {
		checks[i] = knownvalue.ObjectExact(deviceChecks(&devices[i]))
		ids[i] = devices[i].UUID
	}
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(address, tfjsonpath.New("devices"), knownvalue.ListExact(checks)),
		statecheck.ExpectKnownValue(address, tfjsonpath.New("ids"), stringsCheck(ids)),
	}
}

// devicesWhere are the world's devices that keep says, in the world's (the API's) order.
func devicesWhere(world simulator.World, keep func(*esetapi.Device) bool) []esetapi.Device {
	var out []esetapi.Device
	for i := range world.Devices {
		if keep(&world.Devices[i]) {
			out = append(out, world.Devices[i])
		}
	}
	return out
}

func groupByPath(t *testing.T, world simulator.World, p string) string {
	t.Helper()
	for uuid, path := range esetapi.GroupPaths(world.DeviceGroups) {
		if path == p {
			return uuid
		}
	}
	t.Fatalf("no group %s", p)
	return ""
}

// Host names become devices; a name ESET does not know is reported, and a name two devices share gives both.
func TestAccDevicesDataSource_displayNames(t *testing.T) {
	sim, world := startWorld(t, simulator.WorldSpec{Seed: 3, Incidents: 50})
	names := []string{"web-01", "FIN-LAPTOP-12", "no-such-host", "CEO-iPhone", "no-such-host", "Web-01"}
	want := devicesWhere(world, func(d *esetapi.Device) bool { return slices.Contains(names, d.DisplayName) })
	if len(want) != 4 {
		t.Fatalf("the world has %d of the named devices, want web-01, two FIN-LAPTOP-12 and CEO-iPhone", len(want))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: sim.providerConfig("") + `
data "eset_devices" "test" {
  display_names = ["web-01", "FIN-LAPTOP-12", "no-such-host", "CEO-iPhone", "no-such-host", "Web-01"]
}`,
			ConfigStateChecks: append(expectDevices(devicesAddress, want),
				statecheck.ExpectKnownValue(devicesAddress, tfjsonpath.New("missing_display_names"), stringsCheck([]string{"no-such-host", "Web-01"})),
				statecheck.ExpectKnownValue(devicesAddress, tfjsonpath.New("missing_ip_addresses"), knownvalue.ListExact(nil)),
				statecheck.ExpectKnownValue(devicesAddress, tfjsonpath.New("truncated"), knownvalue.Bool(false)),
			),
		}},
	})
}

// An address shared behind a NAT matches every device behind it; a local address matches one; every
// device appears once.
func TestAccDevicesDataSource_ipAddresses(t *testing.T) {
	sim, world := startWorld(t, simulator.WorldSpec{Seed: 3, Incidents: 50})
	web01 := devicesWhere(world, func(d *esetapi.Device) bool { return d.DisplayName == "web-01" })[0]
	hr := devicesWhere(world, func(d *esetapi.Device) bool { return d.DisplayName == "HR-DESKTOP-7" })[0]
	want := devicesWhere(world, func(d *esetapi.Device) bool {
		return d.PublicIPAddress == web01.PublicIPAddress || d.PrimaryLocalIPAddress == hr.PrimaryLocalIPAddress
	})
	if len(want) < 3 {
		t.Fatalf("only %d devices share web-01's public address", len(want))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: sim.providerConfig("") + `
data "eset_devices" "test" {
  ip_addresses = ["` + web01.PublicIPAddress + `", "198.51.100.77", "` + hr.PrimaryLocalIPAddress + `", "::ffff:` + web01.PublicIPAddress + `", "2001:db8::1", "198.51.100.77"]
}`,
			ConfigStateChecks: append(expectDevices(devicesAddress, want),
				statecheck.ExpectKnownValue(devicesAddress, tfjsonpath.New("missing_display_names"), knownvalue.ListExact(nil)),
				// Addresses no device has, each once, as written; the mapped form of a found one is found.
				statecheck.ExpectKnownValue(devicesAddress, tfjsonpath.New("missing_ip_addresses"), stringsCheck([]string{"198.51.100.77", "2001:db8::1"})),
			),
		}},
	})
}

// A group without recurse_subgroups holds its own devices only; with it, its whole subtree, filtered
// further by tags and status, and cut by max_results.
func TestAccDevicesDataSource_group(t *testing.T) {
	sim, world := startWorld(t, simulator.WorldSpec{Seed: 3, Incidents: 50})
	paths := esetapi.GroupPaths(world.DeviceGroups)
	workstations := groupByPath(t, world, "All/Workstations")
	subtree := devicesWhere(world, func(d *esetapi.Device) bool {
		return strings.HasPrefix(paths[d.ParentGroupUUID], "All/Workstations/")
	})
	tagged := devicesWhere(world, func(d *esetapi.Device) bool {
		return strings.HasPrefix(paths[d.ParentGroupUUID], "All/Workstations/") && slices.Contains(d.Tags, "vip") &&
			d.FunctionalityStatus == "DEVICE_FUNCTIONALITY_STATUS_OK"
	})
	if len(tagged) < 2 {
		t.Fatalf("only %d OK vip workstations", len(tagged))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: sim.providerConfig("") + `
data "eset_devices" "own" {
  group_uuid = "` + workstations + `"
}
data "eset_devices" "test" {
  group_uuid        = "` + workstations + `"
  recurse_subgroups = true
}
data "eset_devices" "vip" {
  group_uuid           = "` + workstations + `"
  recurse_subgroups    = true
  tags_any             = ["vip"]
  functionality_status = "DEVICE_FUNCTIONALITY_STATUS_OK"
  max_results          = 1
}`,
			ConfigStateChecks: append(append(expectDevices(devicesAddress, subtree), expectDevices("data.eset_devices.vip", tagged[:1])...),
				statecheck.ExpectKnownValue("data.eset_devices.own", tfjsonpath.New("devices"), knownvalue.ListExact(nil)),
				statecheck.ExpectKnownValue("data.eset_devices.own", tfjsonpath.New("truncated"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue("data.eset_devices.vip", tfjsonpath.New("truncated"), knownvalue.Bool(true)),
			),
		}},
	})
}

// warningsRecorder serves the provider under test and keeps the warnings its data source reads hand the
// CLI, which terraform-plugin-testing neither shows nor checks.
type warningsRecorder struct {
	mu       sync.Mutex
	warnings []string
}

// factories are the provider factories of a test whose warnings r keeps.
func (r *warningsRecorder) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"eset": func() (tfprotov6.ProviderServer, error) {
			return recordingServer{NewProtocol6Server("test")(), r}, nil
		},
	}
}

// expect is a check that some warning recorded so far says each of words.
func (r *warningsRecorder) expect(words ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		r.mu.Lock()
		defer r.mu.Unlock()
		for _, w := range r.warnings {
			if containsAll(w, words) {
				return nil
			}
		}
		return fmt.Errorf("no warning says %q; the warnings were:\n%s", words, strings.Join(r.warnings, "\n"))
	}
}

func containsAll(s string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}

type recordingServer struct {
	tfprotov6.ProviderServer
	r *warningsRecorder
}

func (s recordingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	resp, err := s.ProviderServer.ReadDataSource(ctx, req)
	if resp != nil {
		s.r.mu.Lock()
		for _, d := range resp.Diagnostics {
			if d.Severity == tfprotov6.DiagnosticSeverityWarning {
				s.r.warnings = append(s.r.warnings, d.Summary+": "+d.Detail)
			}
		}
		s.r.mu.Unlock()
	}
	return resp, err
}

// A name or an address that matches no device is a warning that names it, or with on_missing = "error"
// an error; and a read that matches nothing says why, rather than hand on an empty ids that fails far
// downstream (device_uuids refuses []).
func TestAccDevicesDataSource_onMissing(t *testing.T) {
	sim, world := startWorld(t, simulator.WorldSpec{Seed: 3, Incidents: 50})
	web01 := devicesWhere(world, func(d *esetapi.Device) bool { return d.DisplayName == "web-01" })
	var recorder warningsRecorder
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: recorder.factories(),
		Steps: []resource.TestStep{
			{
				// Warn, the default: the devices found are read, what is missing is named.
				Config: sim.providerConfig("") + `
data "eset_devices" "test" {
  display_names = ["web-01", "web-0l", "WEB-01"]
}`,
				ConfigStateChecks: append(expectDevices(devicesAddress, web01),
					statecheck.ExpectKnownValue(devicesAddress, tfjsonpath.New("missing_display_names"), stringsCheck([]string{"web-0l", "WEB-01"})),
				),
				Check: recorder.expect("ESET devices not found", `display_names "web-0l", "WEB-01" matched no device; they are in missing_display_names,`,
					"case included", `on_missing = "error"`),
			},
			{
				Config: sim.providerConfig("") + `
data "eset_devices" "test" {
  ip_addresses = ["` + web01[0].PrimaryLocalIPAddress + `", "198.51.100.77"]
}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(devicesAddress, tfjsonpath.New("ids"), stringsCheck([]string{web01[0].UUID})),
					statecheck.ExpectKnownValue(devicesAddress, tfjsonpath.New("missing_ip_addresses"), stringsCheck([]string{"198.51.100.77"})),
				},
				Check: recorder.expect("ESET devices not found", `ip_addresses "198.51.100.77" matched no device; they are in missing_ip_addresses,`),
			},
			{
				// Empty: the warning says why ids is [], and eset_incidents' device_uuids says where [] came from.
				Config: sim.providerConfig("") + `
data "eset_devices" "test" {
  display_names = ["web-0l", "print-srv-0l"]
}
data "eset_incidents" "gate" {
  device_uuids = data.eset_devices.test.ids
}`,
				ExpectError: regexp.MustCompile(`(?s)Empty device_uuids.*device_uuids = \[\] would match nothing.*eset_devices\s+that\s+matched\s+no\s+device`),
				Check:       recorder.expect("No ESET device matched", `display_names "web-0l", "print-srv-0l" were not found, so devices and ids are empty`),
			},
			{
				Config: sim.providerConfig("") + `
data "eset_devices" "test" {
  display_names = ["web-01"]
  tags_any      = ["no-such-tag"]
}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(devicesAddress, tfjsonpath.New("ids"), knownvalue.ListExact(nil)),
					statecheck.ExpectKnownValue(devicesAddress, tfjsonpath.New("missing_display_names"), stringsCheck([]string{"web-01"})),
				},
				Check: recorder.expect("No ESET device matched", `display_names "web-01" were not found`),
			},
			{
				Config: sim.providerConfig("") + `
data "eset_devices" "test" {
  tags_any = ["no-such-tag"]
}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(devicesAddress, tfjsonpath.New("ids"), knownvalue.ListExact(nil)),
				},
				Check: recorder.expect("No ESET device matched", "none in the account matches every argument given (tags_any)"),
			},
			{
				// Error: the read fails, naming what it did not find; nothing downstream is read.
				Config: sim.providerConfig("") + `
data "eset_devices" "test" {
  display_names = ["web-01", "web-0l"]
  on_missing    = "error"
}`,
				ExpectError: regexp.MustCompile(`(?s)ESET devices not found.*display_names "web-0l" matched no\s+device`),
			},
			{
				Config: sim.providerConfig("") + `
data "eset_devices" "test" {
  display_names = ["web-0l"]
  on_missing    = "error"
}
data "eset_incidents" "gate" {
  device_uuids = data.eset_devices.test.ids
}`,
				ExpectError: regexp.MustCompile(`(?s)No ESET device matched.*display_names "web-0l" were not found`),
			},
			{
				// Everything found: no warning, and on_missing = "error" reads.
				Config: sim.providerConfig("") + `
data "eset_devices" "test" {
  display_names = ["web-01"]
  on_missing    = "error"
}`,
				ConfigStateChecks: expectDevices(devicesAddress, web01),
			},
		},
	})
}

// Bad arguments stop the plan with a message that names the fix, before any call to the API.
func TestAccDevicesDataSource_planTimeErrors(t *testing.T) {
	sim, _ := startWorld(t, simulator.WorldSpec{Seed: 3, Incidents: 10})
	var steps []resource.TestStep
	for _, tc := range []struct{ config, want string }{
		{`data "eset_devices" "test" { functionality_status = "OK" }`, `(?s)functionality_status.*did you mean\s+"DEVICE_FUNCTIONALITY_STATUS_OK"`},
		{`data "eset_devices" "test" { ip_addresses = ["10.0.0.0/8"] }`, `(?s)Invalid IP address.*"10.0.0.0/8" is not an IP address`},
		{`data "eset_devices" "test" { group_uuid = "Servers" }`, `(?s)group_uuid.*"Servers" is not a uuid`},
		{`data "eset_devices" "test" { recurse_subgroups = true }`, `(?s)recurse_subgroups.*group_uuid`},
		{`data "eset_devices" "test" { max_results = 0 }`, `(?s)max_results.*between 1 and \d+`},
		{`data "eset_devices" "test" { display_names = [""] }`, `(?s)display_names.*length`},
		{`data "eset_devices" "test" {
  display_names = ["web-01"]
  on_missing    = "fail"
}`, `(?s)on_missing.*"warn".*"error"`},
		{`data "eset_device" "test" { uuid = "web-01" }`, `(?s)uuid.*"web-01" is not a uuid`},
		{`data "eset_device" "test" {}`, `(?s)No attribute specified.*uuid.*display_name`},
	} {
		steps = append(steps, resource.TestStep{Config: sim.providerConfig("") + tc.config, ExpectError: regexp.MustCompile(tc.want)})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, Steps: steps})
	if calls := sim.Stats().Calls; len(calls) > 0 {
		t.Errorf("plan-time errors reached the API: %v", calls)
	}
}
