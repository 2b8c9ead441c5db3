package esetapi_test

import (
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// TestOnePaceAndTokenForEveryService: calls to the incident, detection and device services made at once
// (listings, and ten single reads of each service in flight together) share one token and one pace, so
// that together they never pass the limit the API counts per credentials: their send times never put more
// calls into a window than the pace allows, and the simulator, where they arrive when sent (a synctest
// bubble), answers none with 429.
func TestOnePaceAndTokenForEveryService(t *testing.T) {
	t.Parallel()
	opts, w := worldOptions(simulator.WorldSpec{Seed: 41, Incidents: 6000, Devices: 4000, Detections: 1}, simulator.Faults{RateLimit: 10})
	synctest.Test(t, func(t *testing.T) {
		cfg := fastConfig()
		cfg.RequestsPerSecond = 10
		e, sends := newBubbleEnv(t, opts, cfg)
		g, ctx := errgroup.WithContext(testContext(t, 20*time.Second))
		g.Go(func() error {
			_, _, err := listAll(ctx, e.client, esetapi.IncidentListOptions{})
			return err
		})
		g.Go(func() error {
			_, err := listDevices(ctx, e.client, esetapi.DeviceListOptions{})
			return err
		})
		g.Go(func() error {
			_, err := listDetections(ctx, e.client, esetapi.DetectionListOptions{DeviceUUIDs: []string{w.Devices[0].UUID, w.Devices[1].UUID}})
			return err
		})
		g.Go(func() error {
			_, err := listGroups(ctx, e.client)
			return err
		})
		for i := range 10 {
			g.Go(func() error {
				_, err := e.client.GetIncident(ctx, w.Incidents[i].UUID)
				return err
			})
			g.Go(func() error {
				_, err := e.client.GetDevice(ctx, w.Devices[i].UUID)
				return err
			})
		}
		if err := g.Wait(); err != nil {
			t.Fatal(err)
		}
		if st := e.sim.Stats(); st.TokenCalls != 1 || st.Status[429] != 0 {
			t.Errorf("%d token calls and %d answers 429, want 1 and none", st.TokenCalls, st.Status[429])
		}
		checkPace(t, sends.times("/v"), 10, 32)
	})
}
