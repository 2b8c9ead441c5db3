package provider

import (
	"context"
	"fmt"
	"math/big"
	"slices"
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
		esetapi.Incident{UUID: "5c0e2c2a-0000-4000-8000-0000000000b1", CreateTime: "2026-01-01T00:00:00Z"}, // every default but what a read by key needs
		esetapi.Incident{UUID: "5c0e2c2a-0000-4000-8000-0000000000b2", CreateTime: "2026-01-01T00:00:00Z", DisplayName: string(make([]byte, 70000)), AssigneeUUID: &assignee,
			Metrics: esetapi.IncidentMetrics{DeviceCount: 1 << 40, ExecutableCount: 127, ProcessCount: 128}})
	url := startSimulator(t, simulator.Options{Incidents: incidents}).URL

	ctx := context.Background()
	read := func(server tfprotov6.ProviderServer, summaryOnly bool) tftypes.Value {
		schemas := configureServer(t, server, url, 100)
		schema := schemas.DataSourceSchemas["eset_incidents"]
		timeouts := schema.ValueType().(tftypes.Object).AttributeTypes["timeouts"].(tftypes.Object)
		config := dynamicValue(t, schema, map[string]tftypes.Value{
			"order_by":     tftypes.NewValue(tftypes.String, "display_name desc"),
			"filter":       tftypes.NewValue(tftypes.String, `incident.display_name.contains("e") || !has(incident.assignee_uuid)`),
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

// readOn reads typeName on a new server of path with the configuration attrs makes from its schema,
// against the simulator at url, and returns its state and its warnings; an error fails the test.
func readOn(t *testing.T, path int, url, typeName string, attrs func(schema tftypes.Object) map[string]tftypes.Value) (tftypes.Value, []string) {
	t.Helper()
	server := servers[path].new()
	schemas := configureServer(t, server, url, 1000)
	schema := schemas.DataSourceSchemas[typeName]
	config := dynamicValue(t, schema, attrs(schema.ValueType().(tftypes.Object)))
	resp, err := server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: typeName, Config: config})
	var warnings []string
	for _, d := range resp.Diagnostics {
		if d.Severity != tfprotov6.DiagnosticSeverityWarning {
			t.Error(d.Summary, ": ", d.Detail)
			continue
		}
		warnings = append(warnings, d.Summary+": "+d.Detail)
	}
	if err != nil || t.Failed() {
		t.Fatal(err)
	}
	state, err := resp.State.Unmarshal(schema.ValueType())
	if err != nil {
		t.Fatal(err)
	}
	return state, warnings
}

// The fast path and the framework's Read give eset_devices and eset_detections the same state: every kind
// of attribute, null and set details, names missing and found, a configured timeouts block, detections'
// summary with and without summary_only.
func TestDevicesAndDetectionsReadPathsAgree(t *testing.T) {
	var opts simulator.Options
	opts.SetWorld(simulator.GenerateWorld(simulator.WorldSpec{Seed: 13, Incidents: 50, End: worldEnd}))
	url := startSimulator(t, opts).URL
	strs := func(values ...string) tftypes.Value {
		elems := make([]tftypes.Value, len(values))
		for i, v := range values {
			elems[i] = tftypes.NewValue(tftypes.String, v)
		}
		return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, elems)
	}
	timeouts := func(schema tftypes.Object) tftypes.Value {
		typ := schema.AttributeTypes["timeouts"].(tftypes.Object)
		return tftypes.NewValue(typ, map[string]tftypes.Value{"read": tftypes.NewValue(tftypes.String, "5m")})
	}
	for _, tc := range []struct {
		typeName, list string
		atLeast        int
		attrs          func(schema tftypes.Object) map[string]tftypes.Value
	}{
		{"eset_devices", "devices", 5, func(schema tftypes.Object) map[string]tftypes.Value {
			return map[string]tftypes.Value{"timeouts": timeouts(schema), "display_names": strs("web-01", "FIN-LAPTOP-12", "CEO-iPhone", "build-agent-2", "nope")}
		}},
		{"eset_devices", "devices", 10, func(tftypes.Object) map[string]tftypes.Value {
			return map[string]tftypes.Value{"tags_any": strs("prod", "vip", "dev"), "max_results": tftypes.NewValue(tftypes.Number, 25)}
		}},
		{"eset_detections", "detections", 100, func(schema tftypes.Object) map[string]tftypes.Value {
			return map[string]tftypes.Value{"timeouts": timeouts(schema), "occurred_within": tftypes.NewValue(tftypes.String, "30000d")}
		}},
		{"eset_detections", "detections", 100, func(tftypes.Object) map[string]tftypes.Value {
			return map[string]tftypes.Value{"include_details": tftypes.NewValue(tftypes.Bool, true), "max_results": tftypes.NewValue(tftypes.Number, 150),
				"severities": strs("SEVERITY_LEVEL_HIGH", "SEVERITY_LEVEL_MEDIUM", "SEVERITY_LEVEL_LOW")}
		}},
		{"eset_detections", "detections", 0, func(tftypes.Object) map[string]tftypes.Value {
			return map[string]tftypes.Value{"summary_only": tftypes.NewValue(tftypes.Bool, true)}
		}},
	} {
		fast, fastWarnings := readOn(t, 0, url, tc.typeName, tc.attrs)
		framework, frameworkWarnings := readOn(t, 1, url, tc.typeName, tc.attrs)
		if !slices.Equal(fastWarnings, frameworkWarnings) {
			t.Fatalf("%s: the two paths warn differently:\n%q\n%q", tc.typeName, fastWarnings, frameworkWarnings)
		}
		if diffs, _ := fast.Diff(framework); len(diffs) > 0 {
			t.Fatalf("%s: the two paths differ at %d places, first %s", tc.typeName, len(diffs), diffs[0].Path)
		}
		var attrs map[string]tftypes.Value
		_ = fast.As(&attrs)
		var list []tftypes.Value
		_ = attrs[tc.list].As(&list)
		if len(list) < tc.atLeast {
			t.Fatalf("%s: read %d records: the test proves little", tc.typeName, len(list))
		}
		if tc.typeName == "eset_detections" {
			var summary map[string]tftypes.Value
			_ = attrs["summary"].As(&summary)
			var total big.Float
			_ = summary["total"].As(&total)
			var summaryOnly bool
			_ = attrs["summary_only"].As(&summaryOnly)
			if n, _ := total.Int64(); n < 100 || attrs["detections"].IsNull() != summaryOnly {
				t.Fatalf("eset_detections: a summary of %d detections, detections null %v", n, attrs["detections"].IsNull())
			}
		}
	}
}

// BenchmarkDevicesAndDetectionsRead is BenchmarkIncidentsRead for eset_devices and eset_detections, every
// record of a world of n devices and n detections; compare with esetapi's BenchmarkListDevices and
// BenchmarkListDetections.
func BenchmarkDevicesAndDetectionsRead(b *testing.B) {
	for _, typeName := range []string{"eset_devices", "eset_detections"} {
		for _, s := range servers {
			for _, n := range []int{1000, 10000} {
				b.Run(fmt.Sprintf("type=%s/path=%s/records=%d", typeName, s.path, n), func(b *testing.B) {
					var opts simulator.Options
					opts.SetWorld(simulator.GenerateWorld(simulator.WorldSpec{Seed: 71, Devices: n, Detections: n}))
					opts.Username, opts.Password = testUsername, testPassword
					url, stop, err := simulator.Listen(simulator.New(opts), "")
					if err != nil {
						b.Fatal(err)
					}
					defer stop()
					ctx := context.Background()
					server := s.new()
					schemas := configureServer(b, server, url, 1000)
					config := dynamicValue(b, schemas.DataSourceSchemas[typeName], nil)
					// As in esetapi's benchmarks, the first read (the token, the simulator's first encoding) is not measured.
					if _, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: typeName, Config: config}); err != nil {
						b.Fatal(err)
					}

					b.ReportAllocs()
					b.ResetTimer()
					for range b.N {
						resp, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: typeName, Config: config})
						if err != nil || len(resp.Diagnostics) > 0 {
							b.Fatal(err, resp.Diagnostics)
						}
					}
					b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
				})
			}
		}
	}
}
