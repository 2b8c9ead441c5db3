// Package fastpath serves the reads of data sources that return many records past the framework: their
// state goes to Terraform as MessagePack encoded straight from the API's records.
//
// Why: through the framework, 100,000 incidents become millions of intermediate values (a model, then
// tftypes values, then MessagePack), and after Read the framework walks the whole new state twice,
// comparing it with the configuration for semantic equality and reifying null list and set blocks with a
// schema lookup at every null value. That costs more than the API client's own work, several times over,
// and gigabytes of garbage at 100,000 incidents (make bench; PERFORMANCE.md's framework columns).
//
// What it skips: the framework's conversion of Read's result and those two walks, nothing else. Both walks
// are no-ops for the data sources served here: they have no list or set blocks, no custom types among
// their computed attributes, and every configured attribute goes into state exactly as configured (see
// NewState). Schemas, validation, configuration, the other data sources and functions are the
// framework's, and each data source served here keeps a framework Read of its own, which a test holds
// equal to this path's.
//
// When to revisit: when the framework skips its semantic-equality walk for values that cannot have
// semantic equality (hashicorp/terraform-plugin-framework#1314, pull request #1315, open in November 2026)
// and BenchmarkIncidentsRead/framework comes within 1.5x of the bare client, drop this package and serve
// every read through the framework.
package fastpath

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// DataSource is a data source that can read straight into encoded state.
type DataSource interface {
	datasource.DataSource
	ReadState(ctx context.Context, config tfsdk.Config) (*State, diag.Diagnostics)
}

// NewServer wraps the framework's server. dataSource returns the configured data source that serves reads
// of a type on this path, or nil to leave them to the framework (other types, or a provider not yet
// configured, whose framework Read reports it).
func NewServer(framework tfprotov6.ProviderServer, dataSource func(typeName string) DataSource) tfprotov6.ProviderServer {
	return &server{ProviderServer: framework, dataSource: dataSource}
}

type server struct {
	tfprotov6.ProviderServer
	dataSource func(typeName string) DataSource
}

func (s *server) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	ds := s.dataSource(req.TypeName)
	if ds == nil {
		return s.ProviderServer.ReadDataSource(ctx, req)
	}
	var schemaResp datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &schemaResp)
	schema := schemaResp.Schema
	config, err := req.Config.Unmarshal(schema.Type().TerraformType(ctx))
	if err != nil {
		// The protocol reports a failed read in the response's diagnostics, not as an RPC error.
		return &tfprotov6.ReadDataSourceResponse{Diagnostics: []*tfprotov6.Diagnostic{{ //nolint:nilerr // see above
			Severity: tfprotov6.DiagnosticSeverityError, Summary: "Unable to read the configuration", Detail: err.Error(),
		}}}, nil
	}
	state, diags := ds.ReadState(ctx, tfsdk.Config{Schema: schema, Raw: config})
	resp := &tfprotov6.ReadDataSourceResponse{}
	if !diags.HasError() {
		if encoded, err := state.Bytes(); err != nil {
			diags.AddError("Unable to write state", err.Error())
		} else {
			resp.State = &tfprotov6.DynamicValue{MsgPack: encoded}
		}
	}
	resp.Diagnostics = protoDiagnostics(diags)
	return resp, nil
}
