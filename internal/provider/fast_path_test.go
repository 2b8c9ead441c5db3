package provider

import (
	"context"
	"fmt"
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// servers are the two ways eset_incidents is read: the fast path, which NewProtocol6Server serves, and
// the framework's Read, which the framework's own server serves.
var servers = []struct {
	path string
	new  func() tfprotov6.ProviderServer
}{
	{"fast", NewProtocol6Server("test")},
	{"framework", providerserver.NewProtocol6(New("test")())},
}

// The fast path and the framework's Read give eset_incidents the same state, summary included, with and
// without summary_only, so skipping the framework changes nothing but speed.
func TestIncidentsReadPathsAgree(t *testing.T) {
	assignee := "0b6a3c8e-5f43-4b1e-9a51-7d1c2e3f4a5b"
	incidents := append(simulator.Generate(51, 30),
		esetapi.Incident{UUID: "bare"},
		esetapi.Incident{UUID: "long", DisplayName: string(make([]byte, 70000)), AssigneeUUID: &assignee,
			Metrics: esetapi.IncidentMetrics{DeviceCount: 1 << 40, ExecutableCount: 127, ProcessCount: 128}})
	srv := simulator.New(simulator.Options{Incidents: incidents, Username: testUsername, Password: testPassword})
	url, stop, err := simulator.Listen(srv, "")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()

	ctx := context.Background()
	read := func(server tfprotov6.ProviderServer, summaryOnly bool) tftypes.Value {
		schemas := configureServer(t, server, url, 100)
		schema := schemas.DataSourceSchemas["eset_incidents"]
		timeouts := schema.ValueType().(tftypes.Object).AttributeTypes["timeouts"].(tftypes.Object)
		config := dynamicValue(t, schema, map[string]tftypes.Value{
			"order_by":     tftypes.NewValue(tftypes.String, "display_name desc"),
			"filter":       tftypes.NewValue(tftypes.String, `incident.display_name.contains("e") || !has(incident.create_time)`),
			"unassigned":   tftypes.NewValue(tftypes.Bool, false),
			"summary_only": tftypes.NewValue(tftypes.Bool, summaryOnly),
			"timeouts":     tftypes.NewValue(timeouts, map[string]tftypes.Value{"read": tftypes.NewValue(tftypes.String, "5m")}),
		})
		resp, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "eset_incidents", Config: config})
		if err != nil || len(resp.Diagnostics) > 0 {
			for _, d := range resp.Diagnostics {
				t.Error(d.Summary, ": ", d.Detail)
			}
			t.Fatal(err)
		}
		state, err := resp.State.Unmarshal(schema.ValueType())
		if err != nil {
			t.Fatal(err)
		}
		return state
	}
	for _, summaryOnly := range []bool{false, true} {
		fast, framework := read(servers[0].new(), summaryOnly), read(servers[1].new(), summaryOnly)
		if diffs, _ := fast.Diff(framework); len(diffs) > 0 {
			t.Fatalf("summary_only = %v: the two paths differ at %d places, first %s", summaryOnly, len(diffs), diffs[0].Path)
		}
		var attrs, summary map[string]tftypes.Value
		_ = fast.As(&attrs)
		_ = attrs["summary"].As(&summary)
		var total big.Float
		_ = summary["total"].As(&total)
		var byTag map[string]tftypes.Value
		_ = summary["by_tag"].As(&byTag)
		// The filter keeps the two hand-made incidents, which carry no create_time, long strings and big numbers.
		if n, _ := total.Int64(); n < 5 || len(byTag) < 2 || summary["oldest_open_create_time"].IsNull() {
			t.Fatalf("summary_only = %v: read %d incidents with %d tags: the test proves little", summaryOnly, n, len(byTag))
		}
		if got := attrs["incidents"].IsNull(); got != summaryOnly {
			t.Errorf("summary_only = %v, but incidents null is %v", summaryOnly, got)
		}
	}
}

// BenchmarkIncidentsRead measures what the provider process does for one eset_incidents read, on each
// path: the protocol server's ReadDataSource, listing through the client from the simulator on loopback,
// up to the MessagePack state sent back to Terraform. Compare its incidents/s with esetapi's
// BenchmarkListIncidents, the client alone over the same pages. The framework's path stops at 10,000
// incidents: at 100,000 it takes gigabytes.
func BenchmarkIncidentsRead(b *testing.B) {
	for _, s := range servers {
		for _, n := range []int{1000, 10000, 100000} {
			if s.path == "framework" && n > 10000 {
				continue
			}
			b.Run(fmt.Sprintf("path=%s/incidents=%d", s.path, n), func(b *testing.B) {
				srv := simulator.New(simulator.Options{Incidents: simulator.Generate(1, n), Username: testUsername, Password: testPassword})
				url, stop, err := simulator.Listen(srv, "")
				if err != nil {
					b.Fatal(err)
				}
				defer stop()
				ctx := context.Background()
				server := s.new()
				// The API's pace is not what is measured here.
				schemas := configureServer(b, server, url, 1000)
				config := dynamicValue(b, schemas.DataSourceSchemas["eset_incidents"], nil)

				b.ReportAllocs()
				b.ResetTimer()
				for range b.N {
					resp, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "eset_incidents", Config: config})
					if err != nil || len(resp.Diagnostics) > 0 {
						b.Fatal(err, resp.Diagnostics)
					}
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "incidents/s")
			})
		}
	}
}
