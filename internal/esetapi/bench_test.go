package esetapi_test

import (
	"context"
	"fmt"
	"testing"

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
			if _, _, err := listAll(ctx, e.client, esetapi.ListOptions{}); err != nil {
				b.Fatal(err)
			}
			before := e.sim.Stats().ListCalls
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				count := 0
				res, err := e.client.ListIncidents(ctx, esetapi.ListOptions{}, func(page []esetapi.Incident) error {
					count += len(page)
					return nil
				})
				if err != nil || count != n || res.Incidents != n {
					b.Fatalf("listed %d of %d: %v", count, n, err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "incidents/s")
			b.ReportMetric(float64(e.sim.Stats().ListCalls-before)/float64(b.N), "listcalls/op")
		})
	}
}
