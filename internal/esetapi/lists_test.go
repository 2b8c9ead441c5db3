package esetapi_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// Every list call has the same shape: items go to fn page by page, and fn's error ends the listing with
// that error after the page that carried it, with the calls made so far counted.
func TestListCallsEndAtFnError(t *testing.T) {
	t.Parallel()
	e, _ := newWorldEnv(t, simulator.WorldSpec{Seed: 5, Incidents: 1500, Devices: 1500, Detections: 1500}, simulator.Faults{}, fastConfig(), nil)
	errStop := errors.New("stop")
	for name, list := range map[string]func(context.Context, *int) (esetapi.ListCounts, error){
		"incidents": func(ctx context.Context, pages *int) (esetapi.ListCounts, error) {
			res, err := e.client.ListIncidents(ctx, esetapi.IncidentListOptions{}, stopAfter[esetapi.Incident](pages, errStop))
			return res.ListCounts, err
		},
		"devices": func(ctx context.Context, pages *int) (esetapi.ListCounts, error) {
			res, err := e.client.ListDevices(ctx, esetapi.DeviceListOptions{}, stopAfter[esetapi.Device](pages, errStop))
			return res.ListCounts, err
		},
		"device groups": func(ctx context.Context, pages *int) (esetapi.ListCounts, error) {
			res, err := e.client.ListDeviceGroups(ctx, esetapi.DeviceGroupListOptions{}, stopAfter[esetapi.DeviceGroup](pages, errStop))
			return res.ListCounts, err
		},
		"detections": func(ctx context.Context, pages *int) (esetapi.ListCounts, error) {
			res, err := e.client.ListDetections(ctx, esetapi.DetectionListOptions{}, stopAfter[esetapi.Detection](pages, errStop))
			return res.ListCounts, err
		},
	} {
		t.Run(name, func(t *testing.T) {
			var pages int
			res, err := list(testContext(t, 10*time.Second), &pages)
			if !errors.Is(err, errStop) || pages != 1 || res.Calls != 1 || res.Items == 0 {
				t.Errorf("err %v after %d pages, counts %+v: want the error of fn after its first page, one call", err, pages, res)
			}
		})
	}
}

// stopAfter is a list call's fn that counts the pages it is given and fails on the first.
func stopAfter[T any](pages *int, err error) func([]T) error {
	return func([]T) error {
		*pages++
		return err
	}
}
