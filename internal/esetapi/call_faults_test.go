package esetapi_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// worldCall is one device or detection call of the client, with the count of items it must return.
type worldCall struct {
	name string
	do   func(context.Context, *esetapi.Client, simulator.World) (int, error)
	want func(simulator.World) int
}

var worldCalls = []worldCall{
	{"list devices", func(ctx context.Context, c *esetapi.Client, _ simulator.World) (int, error) {
		res, err := c.ListDevices(ctx, esetapi.DeviceListOptions{})
		return len(res.Devices), err
	}, func(w simulator.World) int { return len(w.Devices) }},
	{"get device", func(ctx context.Context, c *esetapi.Client, w simulator.World) (int, error) {
		d, err := c.GetDevice(ctx, w.Devices[5].UUID)
		if err != nil || d.UUID != w.Devices[5].UUID {
			return 0, err
		}
		return 1, nil
	}, func(simulator.World) int { return 1 }},
	{"list device groups", func(ctx context.Context, c *esetapi.Client, _ simulator.World) (int, error) {
		gs, err := c.ListDeviceGroups(ctx)
		return len(gs), err
	}, func(w simulator.World) int { return len(w.DeviceGroups) }},
	{"group members", func(ctx context.Context, c *esetapi.Client, w simulator.World) (int, error) {
		uuids, err := c.GroupMemberUUIDs(ctx, w.DeviceGroups[0].UUID, true)
		return len(uuids), err
	}, func(w simulator.World) int { return len(w.Devices) }},
	{"list detections", func(ctx context.Context, c *esetapi.Client, _ simulator.World) (int, error) {
		res, err := c.ListDetections(ctx, esetapi.DetectionListOptions{})
		return len(res.Detections), err
	}, func(w simulator.World) int { return len(w.Detections) }},
	{"list detections of devices", func(ctx context.Context, c *esetapi.Client, w simulator.World) (int, error) {
		res, err := c.ListDetections(ctx, esetapi.DetectionListOptions{DeviceUUIDs: []string{w.Devices[0].UUID, w.Devices[1].UUID}})
		return len(res.Detections), err
	}, func(w simulator.World) int {
		n := 0
		for _, d := range w.Detections {
			if d.Device.UUID == w.Devices[0].UUID || d.Device.UUID == w.Devices[1].UUID {
				n++
			}
		}
		return n
	}},
	{"batch get detections", func(ctx context.Context, c *esetapi.Client, w simulator.World) (int, error) {
		var uuids []string
		for _, d := range w.Detections[:150] {
			uuids = append(uuids, d.UUID)
		}
		ds, err := c.BatchGetDetections(ctx, uuids)
		return len(ds), err
	}, func(simulator.World) int { return 150 }},
}

// worldSpec is big enough that every listing takes several pages.
var worldSpec = simulator.WorldSpec{Seed: 31, Devices: 2100, Detections: 2100}

// TestWorldCallsSurviveFaults: under every fault a service shows now and then, each call returns exactly
// what the world holds.
func TestWorldCallsSurviveFaults(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		faults simulator.Faults
		cfg    func(*esetapi.Config)
	}{
		{"transient 429 and 5xx", simulator.Faults{TransientRate: 0.3}, func(c *esetapi.Config) { c.MaxRetries = 20 }},
		{"rate limit", simulator.Faults{RateLimit: 10}, func(c *esetapi.Config) { c.RequestsPerSecond = 10 }},
		{"slow queries", simulator.Faults{SlowRate: 1, SlowReady: 10 * time.Millisecond}, nil},
		{"slow queries timing out", simulator.Faults{SlowRate: 0.3, SlowReady: time.Hour, SlowTimeout: 10 * time.Millisecond}, nil},
		{"tokens used up", simulator.Faults{TokenCalls: 2}, nil},
		{"bodies cut short", simulator.Faults{MalformedRate: 0.3}, nil},
		{"int64 as strings, unknown fields", simulator.Faults{Int64AsStrings: true, UnknownFields: true}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := fastConfig()
			if tc.cfg != nil {
				tc.cfg(&cfg)
			}
			e, w := newWorldEnv(t, worldSpec, tc.faults, cfg, nil)
			for _, call := range worldCalls {
				got, err := call.do(testContext(t, 30*time.Second), e.client, w)
				if err != nil || got != call.want(w) {
					t.Errorf("%s: %d items, want %d: %v", call.name, got, call.want(w), err)
				}
			}
			if st := e.sim.Stats(); tc.faults.RateLimit > 0 && st.Status[429] != 0 {
				t.Errorf("%d answers 429", st.Status[429])
			}
		})
	}
}

// TestWorldCallsFail: a body always cut short, a repeated page token and an injected status end each call
// with the error that names its operation, status and request-id.
func TestWorldCallsFail(t *testing.T) {
	t.Parallel()
	spec := worldSpec
	spec.End = testEnd // the world newWorldEnv serves
	w := simulator.GenerateWorld(spec)
	failing := map[string]int{
		w.Devices[5].UUID:      http.StatusForbidden,           // get device
		w.DeviceGroups[0].UUID: http.StatusInternalServerError, // group members
		w.Devices[0].UUID:      http.StatusBadGateway,          // detections of devices
		w.Detections[42].UUID:  http.StatusNotFound,            // batch get
	}
	cfg := fastConfig()
	cfg.MaxRetries = 1
	for _, call := range worldCalls {
		t.Run(call.name, func(t *testing.T) {
			t.Parallel()
			e, _ := newWorldEnv(t, worldSpec, simulator.Faults{MalformedRate: 1}, cfg, nil)
			_, err := call.do(testContext(t, 10*time.Second), e.client, w)
			var decErr *esetapi.DecodeError
			if !errors.As(err, &decErr) || decErr.RequestID == "" || decErr.Operation == "" {
				t.Errorf("bodies cut short: want a *DecodeError with its operation and request-id, got %v", err)
			}

			e, _ = newWorldEnv(t, worldSpec, simulator.Faults{RepeatPageToken: true}, cfg, nil)
			_, err = call.do(testContext(t, 10*time.Second), e.client, w)
			var pagingErr *esetapi.PagingError
			if multiPage := strings.HasPrefix(call.name, "list devices") || call.name == "list detections" || call.name == "group members"; multiPage &&
				(!errors.As(err, &pagingErr) || !strings.HasPrefix(err.Error(), pagingErr.Operation+":") || pagingErr.Operation == "list incidents") {
				t.Errorf("repeated page token: want a *PagingError naming the listing, got %v", err)
			}

			e, _ = newWorldEnv(t, worldSpec, simulator.Faults{FailUUIDs: failing}, cfg, nil)
			_, err = call.do(testContext(t, 10*time.Second), e.client, w)
			for uuid, status := range failing {
				if strings.Contains(fmt.Sprint(err), "injected failure") && strings.Contains(err.Error(), uuid) {
					_ = assertAPIError(t, err, status, uuid, 0)
					return
				}
			}
			if call.name != "list devices" && call.name != "list device groups" && call.name != "list detections" {
				t.Errorf("injected failure: got %v", err)
			}
		})
	}
}
