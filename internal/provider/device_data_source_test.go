package provider

import (
	"regexp"
	"testing"

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
