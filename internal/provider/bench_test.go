package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// BenchmarkIncidentsRead measures what the provider process does for one eset_incidents read: the
// protocol server's ReadDataSource, listing through the client from the simulator on loopback, encoding
// every incident into state, up to the MessagePack sent back to Terraform. Compare its incidents/s with
// esetapi's BenchmarkListIncidents, the client alone over the same pages.
func BenchmarkIncidentsRead(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("incidents=%d", n), func(b *testing.B) {
			srv := simulator.New(simulator.Options{Incidents: simulator.Generate(1, n), Username: testUsername, Password: testPassword})
			url, stop, err := simulator.Listen(srv, "")
			if err != nil {
				b.Fatal(err)
			}
			defer stop()
			ctx := context.Background()
			server := NewProtocol6Server("test")()
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

// dynamicValue encodes an object of schema's type with the given attributes, the others null.
func dynamicValue(tb testing.TB, schema *tfprotov6.Schema, attrs map[string]tftypes.Value) *tfprotov6.DynamicValue {
	typ := schema.ValueType().(tftypes.Object)
	values := map[string]tftypes.Value{}
	for name, t := range typ.AttributeTypes {
		values[name] = tftypes.NewValue(t, nil)
	}
	for name, v := range attrs {
		values[name] = v
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, values))
	if err != nil {
		tb.Fatal(err)
	}
	return &dv
}

// configureServer configures a provider server for the simulator at url and returns its schemas.
func configureServer(tb testing.TB, server tfprotov6.ProviderServer, url string, requestsPerSecond float64) *tfprotov6.GetProviderSchemaResponse {
	ctx := context.Background()
	schemas, _ := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	config := dynamicValue(tb, schemas.Provider, map[string]tftypes.Value{
		"region":                       tftypes.NewValue(tftypes.String, "eu"),
		"username":                     tftypes.NewValue(tftypes.String, testUsername),
		"password":                     tftypes.NewValue(tftypes.String, testPassword),
		"iam_endpoint":                 tftypes.NewValue(tftypes.String, url),
		"incident_management_endpoint": tftypes.NewValue(tftypes.String, url),
		"requests_per_second":          tftypes.NewValue(tftypes.Number, requestsPerSecond),
	})
	if resp, _ := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: config}); len(resp.Diagnostics) > 0 {
		tb.Fatal(resp.Diagnostics[0].Detail)
	}
	return schemas
}
