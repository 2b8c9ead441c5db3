package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// The direct path of NewProtocol6Server and the framework's own path give eset_incidents the same state,
// so skipping the framework's post-Read walks changes nothing but speed.
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
	read := func(server tfprotov6.ProviderServer) tftypes.Value {
		schemas := configureServer(t, server, url, 100)
		schema := schemas.DataSourceSchemas["eset_incidents"]
		config := dynamicValue(t, schema, map[string]tftypes.Value{
			"order_by": tftypes.NewValue(tftypes.String, "display_name desc"),
			"filter":   tftypes.NewValue(tftypes.String, `incident.display_name.contains("e") || !has(incident.create_time)`),
		})
		resp, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "eset_incidents", Config: config})
		if err != nil || len(resp.Diagnostics) > 0 {
			t.Fatal(err, resp.Diagnostics)
		}
		state, err := resp.State.Unmarshal(schema.ValueType())
		if err != nil {
			t.Fatal(err)
		}
		return state
	}
	direct := read(NewProtocol6Server("test")())
	framework := read(providerserver.NewProtocol6(New("test")())())
	if diffs, _ := direct.Diff(framework); len(diffs) > 0 {
		t.Fatalf("the two paths differ at %d places, first %s", len(diffs), diffs[0].Path)
	}
	var attrs map[string]tftypes.Value
	_ = direct.As(&attrs)
	var list []tftypes.Value
	_ = attrs["incidents"].As(&list)
	// The filter keeps the two hand-made incidents, which carry no create_time, long strings and big numbers.
	if len(list) < 5 {
		t.Fatalf("read %d incidents: the test proves little", len(list))
	}
}

// One incident's shape is written three times: the schema's attributes, incidentType, and encodeIncident.
// They must agree, or state would not decode.
func TestIncidentShapeAgrees(t *testing.T) {
	ctx := context.Background()
	var resp datasource.SchemaResponse
	NewIncidentsDataSource().Schema(ctx, datasource.SchemaRequest{}, &resp)
	nested := resp.Schema.Attributes["incidents"].GetType().(types.ListType).ElemType
	if !nested.Equal(incidentType) {
		t.Fatalf("the schema's incident %s differs from incidentType %s", nested, incidentType)
	}
	var encoded msgpackBuffer
	encodeIncident(&encoded, &esetapi.Incident{UUID: "u"})
	if _, err := tftypes.ValueFromMsgPack(encoded, incidentWireType); err != nil { //nolint:staticcheck // as in Read
		t.Fatalf("encodeIncident does not write incidentType: %v", err)
	}
}
