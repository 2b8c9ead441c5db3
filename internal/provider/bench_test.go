package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// BenchmarkIncidentsRead measures the data source's Read in process: listing through the client from the
// simulator on loopback, and converting every incident into state. Compare its incidents/s with
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
			client, err := esetapi.New(esetapi.Config{
				IAMEndpoint: url, IncidentManagementEndpoint: url, Username: testUsername, Password: testPassword,
				RequestsPerSecond: 1e6,
			})
			if err != nil {
				b.Fatal(err)
			}
			ds := &IncidentsDataSource{data: &providerData{client: client, maxConcurrency: 4}}
			ctx := context.Background()
			var schemaResp datasource.SchemaResponse
			ds.Schema(ctx, datasource.SchemaRequest{}, &schemaResp)
			schema := schemaResp.Schema
			objType := schema.Type().TerraformType(ctx).(tftypes.Object)
			nulls := map[string]tftypes.Value{}
			for name, typ := range objType.AttributeTypes {
				nulls[name] = tftypes.NewValue(typ, nil)
			}
			config := tfsdk.Config{Schema: schema, Raw: tftypes.NewValue(objType, nulls)}

			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				resp := datasource.ReadResponse{State: tfsdk.State{Schema: schema, Raw: tftypes.NewValue(objType, nil)}}
				ds.Read(ctx, datasource.ReadRequest{Config: config}, &resp)
				if resp.Diagnostics.HasError() {
					b.Fatal(resp.Diagnostics)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "incidents/s")
		})
	}
}
