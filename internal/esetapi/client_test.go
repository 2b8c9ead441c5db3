package esetapi_test

import (
	"net/http"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// TestOnePaceAndTokenForEveryService: calls to the incident, detection and device services made at once
// share one token and one pace, so that together they never pass the limit the API counts per
// credentials: no 429 from a strict sliding window, and no eleven calls within a second.
func TestOnePaceAndTokenForEveryService(t *testing.T) {
	t.Parallel()
	cfg := fastConfig()
	cfg.RequestsPerSecond = 10
	var rec *recorder
	e, w := newWorldEnv(t, simulator.WorldSpec{Seed: 41, Incidents: 6000, Devices: 4000, Detections: 1},
		simulator.Faults{RateLimit: 10}, cfg, func(h http.Handler) http.Handler { rec = record(h); return rec })
	g, ctx := errgroup.WithContext(testContext(t, 20*time.Second))
	g.Go(func() error {
		_, _, err := listAll(ctx, e.client, esetapi.ListOptions{})
		return err
	})
	g.Go(func() error {
		_, err := e.client.ListDevices(ctx, esetapi.DeviceListOptions{})
		return err
	})
	g.Go(func() error {
		_, err := e.client.ListDetections(ctx, esetapi.DetectionListOptions{DeviceUUIDs: []string{w.Devices[0].UUID, w.Devices[1].UUID}})
		return err
	})
	g.Go(func() error {
		_, err := e.client.ListDeviceGroups(ctx)
		return err
	})
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	st := e.sim.Stats()
	if st.TokenCalls != 1 || st.Status[429] != 0 {
		t.Errorf("%d token calls and %d answers 429, want 1 and none", st.TokenCalls, st.Status[429])
	}
	calls := rec.calls("/v")
	for i := 10; i < len(calls); i++ {
		if gap := calls[i].at.Sub(calls[i-10].at); gap < time.Second {
			t.Errorf("calls %d to %d within %v", i-10, i, gap)
		}
	}
	if len(calls) < 12 {
		t.Errorf("%d calls: too few to show the pace", len(calls))
	}
}
