package esetapi_test

import (
	"slices"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// TestListDevicesUnmatched: the result names what was asked for that no device passed on has, each once,
// as written and in the order asked; names exactly, addresses as addresses; a device a client-side filter
// dropped matches nothing, and nothing asked leaves both lists empty, not null.
func TestListDevicesUnmatched(t *testing.T) {
	t.Parallel()
	e, w := newWorldEnv(t, simulator.WorldSpec{Seed: 3, Incidents: 50, Devices: 300}, simulator.Faults{}, fastConfig(), nil)
	web01 := devicesNamed(w, "web-01")[0]
	const unused = "192.0.2.250"
	for i := range w.Devices {
		if w.Devices[i].PrimaryLocalIPAddress == unused || w.Devices[i].PublicIPAddress == unused {
			t.Fatalf("the world has a device at %s: the test proves nothing", unused)
		}
	}
	for _, tc := range []struct {
		name               string
		opts               esetapi.DeviceListOptions
		wantNames, wantIPs []string
	}{
		{"nothing asked", esetapi.DeviceListOptions{MaxResults: 5}, []string{}, []string{}},
		{"names", esetapi.DeviceListOptions{DisplayNames: []string{"web-01", "no-such-host", "FIN-LAPTOP-12", "no-such-host", "WEB-01"}},
			[]string{"no-such-host", "WEB-01"}, []string{}},
		{"addresses", esetapi.DeviceListOptions{IPAddresses: []string{"::ffff:" + web01.PrimaryLocalIPAddress, unused, "203.0.113.7", "not-an-address", unused}},
			[]string{}, []string{unused, "not-an-address"}},
		{"a name outside the group asked for", esetapi.DeviceListOptions{DisplayNames: []string{"web-01"}, GroupUUID: groupByPath(t, w, "All/Servers")},
			[]string{"web-01"}, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := listDevices(testContext(t, 10*time.Second), e.client, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if res.UnmatchedDisplayNames == nil || res.UnmatchedIPAddresses == nil ||
				!slices.Equal(res.UnmatchedDisplayNames, tc.wantNames) || !slices.Equal(res.UnmatchedIPAddresses, tc.wantIPs) {
				t.Errorf("unmatched names %q and addresses %q; want %q and %q", res.UnmatchedDisplayNames, res.UnmatchedIPAddresses, tc.wantNames, tc.wantIPs)
			}
		})
	}
}
