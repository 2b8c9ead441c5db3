package esetapi_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// BenchmarkListIncidents lists whole data sets served by the simulator on loopback, pacing out of the way:
// it measures the client reading and decoding pages (with the simulator encoding them on the same
// machine). It reports incidents read per second and list calls per listing.
func BenchmarkListIncidents(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			cfg := fastConfig()
			cfg.RequestsPerSecond = 1e6
			e := newEnv(b, simulator.Options{Incidents: simulator.Generate(71, n)}, cfg, nil)
			ctx := context.Background()
			// The first listing fetches the token and warms the simulator's query cache.
			if _, _, err := listAll(ctx, e.client, esetapi.IncidentListOptions{}); err != nil {
				b.Fatal(err)
			}
			before := e.sim.Stats().ListCalls
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				count := 0
				res, err := e.client.ListIncidents(ctx, esetapi.IncidentListOptions{}, func(page []esetapi.Incident) error {
					count += len(page)
					return nil
				})
				if err != nil || count != n || res.Items != n {
					b.Fatalf("listed %d of %d: %v", count, n, err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "incidents/s")
			b.ReportMetric(float64(e.sim.Stats().ListCalls-before)/float64(b.N), "listcalls/op")
		})
	}
}

// BenchmarkPacedDetails makes 1,000 detail calls at the default pace (10 calls/s) against a simulator that
// answers each in 200 ms and answers 429 to the 11th call within any one-second window, as the API may, and
// reports calls/s and 429s. one-read reads 1,000 details 8 calls at a time (the provider's default
// max_concurrency); 50-sources has 50 data sources read 20 details each, one after another, at once
// (for_each over 50), and also reports the longest any one call took, answer included, and how far apart
// the first and last source finished: none starves.
func BenchmarkPacedDetails(b *testing.B) {
	const calls, latency = 1000, 200 * time.Millisecond
	for _, tc := range []struct {
		name    string
		sources int
	}{{"one-read", 1}, {"50-sources", 50}} {
		b.Run(tc.name, func(b *testing.B) {
			data := simulator.Generate(73, calls)
			// The provider's defaults: its pace ledger too, in a directory of the benchmark's own.
			cfg := esetapi.Config{Username: testUser, Password: testPassword, UserAgent: "terraform-provider-eset/bench", PaceDir: b.TempDir()}
			e := newEnv(b, simulator.Options{Incidents: data, Faults: simulator.Faults{RateLimit: esetapi.DefaultRequestsPerSecond, Latency: latency}}, cfg, nil)
			ctx := context.Background()
			for b.Loop() {
				before := e.sim.Stats()
				var (
					mu      sync.Mutex
					longest time.Duration
					done    []time.Time
					wg      sync.WaitGroup
				)
				start := time.Now()
				per := calls / tc.sources
				for s := range tc.sources {
					wg.Go(func() {
						own := data[s*per : (s+1)*per]
						if tc.sources == 1 {
							if err := e.client.IncidentDetails(ctx, own, 8, func(int, *esetapi.Incident) {}); err != nil {
								b.Error(err)
							}
							return
						}
						for _, inc := range own {
							t := time.Now()
							if _, err := e.client.GetIncident(ctx, inc.UUID); err != nil {
								b.Error(err)
								return
							}
							mu.Lock()
							longest = max(longest, time.Since(t))
							mu.Unlock()
						}
						mu.Lock()
						done = append(done, time.Now())
						mu.Unlock()
					})
				}
				wg.Wait()
				elapsed := time.Since(start)
				after := e.sim.Stats()
				b.ReportMetric(float64(after.GetCalls-before.GetCalls)/elapsed.Seconds(), "calls/s")
				b.ReportMetric(float64(after.Status[http.StatusTooManyRequests]-before.Status[http.StatusTooManyRequests]), "429s")
				if tc.sources > 1 {
					b.ReportMetric(longest.Seconds(), "longest-call-s")
					b.ReportMetric(slices.MaxFunc(done, time.Time.Compare).Sub(slices.MinFunc(done, time.Time.Compare)).Seconds(), "finish-spread-s")
				}
			}
		})
	}
}

// worldOf is a world of n devices and n detections besides the incidents' (none here), for the device and
// detection benchmarks.
func worldOf(n int) simulator.Options {
	var opts simulator.Options
	opts.SetWorld(simulator.GenerateWorld(simulator.WorldSpec{Seed: 71, Devices: n, Detections: n}))
	return opts
}

// BenchmarkListDevices is BenchmarkListIncidents for GET /v1/devices: every device, no filter.
func BenchmarkListDevices(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("devices=%d", n), func(b *testing.B) {
			e := newEnv(b, worldOf(n), fastConfig(), nil)
			ctx := context.Background()
			if _, err := listDevices(ctx, e.client, esetapi.DeviceListOptions{}); err != nil {
				b.Fatal(err)
			}
			before := e.sim.Stats().Calls["GET /v1/devices"]
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				res, err := listDevices(ctx, e.client, esetapi.DeviceListOptions{})
				if err != nil || len(res.Devices) != n {
					b.Fatalf("listed %d of %d: %v", len(res.Devices), n, err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
			b.ReportMetric(float64(e.sim.Stats().Calls["GET /v1/devices"]-before)/float64(b.N), "listcalls/op")
		})
	}
}

// BenchmarkListDetections is BenchmarkListIncidents for GET /v1/detections: one window over every device,
// sorted as eset_detections sorts it.
func BenchmarkListDetections(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("detections=%d", n), func(b *testing.B) {
			opts := worldOf(n)
			e := newEnv(b, opts, fastConfig(), nil)
			ctx := context.Background()
			if _, err := listDetections(ctx, e.client, esetapi.DetectionListOptions{}); err != nil {
				b.Fatal(err)
			}
			before := e.sim.Stats().Calls["GET /v1/detections"]
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				res, err := listDetections(ctx, e.client, esetapi.DetectionListOptions{})
				if err != nil || len(res.Detections) != len(opts.Detections) {
					b.Fatalf("listed %d of %d: %v", len(res.Detections), len(opts.Detections), err)
				}
				esetapi.SortDetections(res.Detections)
			}
			b.StopTimer()
			b.ReportMetric(float64(len(opts.Detections))*float64(b.N)/b.Elapsed().Seconds(), "records/s")
			b.ReportMetric(float64(e.sim.Stats().Calls["GET /v1/detections"]-before)/float64(b.N), "listcalls/op")
		})
	}
}

// BenchmarkDetectionsFleet is a gate on the last 24 hours of detections of a fleet of hosts, at the
// provider's default pace against a simulator enforcing the API's 10 calls in any one second: today's plan
// (one listing per host) beside the chosen one, for 50 and 500 hosts of a tenant of 1,000 devices and
// 5,000 of one of 5,000, with 10,000 detections a day. It reports the list calls, the seconds, 429
// answers and the detections found, and fails unless they are the hosts' detections of the window, in
// the order eset_detections gives. BENCH_FLEET_HOSTS (e.g. "50 500") leaves the other sizes out.
func BenchmarkDetectionsFleet(b *testing.B) {
	const perDay = 10000
	for _, size := range []struct{ hosts, devices int }{{50, 1000}, {500, 1000}, {5000, 5000}} {
		if only := os.Getenv("BENCH_FLEET_HOSTS"); only != "" && !slices.Contains(strings.Fields(only), fmt.Sprint(size.hosts)) {
			continue
		}
		// The world spreads its detections over 7 days.
		w := simulator.GenerateWorld(simulator.WorldSpec{Seed: 24, Devices: size.devices, Detections: 7 * perDay, End: time.Now()})
		uuids := make([]string, len(w.Devices))
		for i := range w.Devices {
			uuids[i] = w.Devices[i].UUID
		}
		slices.Sort(uuids)
		hosts := uuids[:size.hosts] // a sample: uuids are random
		after := w.End.Add(-24 * time.Hour)
		var want []string
		for _, d := range w.Detections {
			_, host := slices.BinarySearch(hosts, d.Device.UUID)
			if at, _ := time.Parse(time.RFC3339Nano, d.OccurTime); host && !at.Before(after) {
				want = append(want, d.UUID)
			}
		}
		slices.Sort(want)
		for _, plan := range []esetapi.DetectionPlan{esetapi.DetectionsPerDevice, ""} {
			name := string(plan)
			if plan == "" {
				name = "chosen"
			}
			b.Run(fmt.Sprintf("hosts=%d/plan=%s", size.hosts, name), func(b *testing.B) {
				opts := simulator.Options{Faults: simulator.Faults{RateLimit: esetapi.DefaultRequestsPerSecond}}
				opts.SetWorld(w)
				// The provider's defaults: its pace ledger too, in a directory of the benchmark's own.
				cfg := esetapi.Config{Username: testUser, Password: testPassword, UserAgent: "terraform-provider-eset/bench", PaceDir: b.TempDir()}
				e := newEnv(b, opts, cfg, nil)
				ctx := context.Background()
				for b.Loop() {
					before := e.sim.Stats()
					start := time.Now()
					res, err := listDetections(ctx, e.client, esetapi.DetectionListOptions{DeviceUUIDs: hosts, OccurredAfter: after, Plan: plan})
					if err != nil {
						b.Fatal(err)
					}
					esetapi.SortDetections(res.Detections)
					elapsed := time.Since(start)
					got := make([]string, len(res.Detections))
					for i := range res.Detections {
						got[i] = res.Detections[i].UUID
					}
					if !slices.Equal(slices.Sorted(slices.Values(got)), want) || len(got) == 0 {
						b.Fatalf("plan %s found %d detections, not the hosts' %d", res.Plan, len(got), len(want))
					}
					after := e.sim.Stats()
					b.ReportMetric(float64(after.Calls["GET /v1/detections"]-before.Calls["GET /v1/detections"]), "listcalls/op")
					b.ReportMetric(elapsed.Seconds(), "s/op")
					b.ReportMetric(float64(after.Status[http.StatusTooManyRequests]-before.Status[http.StatusTooManyRequests]), "429s")
					b.ReportMetric(float64(len(got)), "detections")
					b.Logf("plan %s", res.Plan)
				}
			})
		}
	}
}
