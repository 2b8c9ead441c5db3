package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// NewProtocol6Server returns a function that makes the provider's protocol 6 server: the framework's
// server, except that eset_incidents' state goes to Terraform as it was encoded, straight from the API's
// records into MessagePack.
//
// Why: through the framework, 100,000 incidents become millions of intermediate values, and after Read
// the framework walks the whole new state twice, comparing it with the configuration for semantic
// equality and reifying null list and set blocks with a schema lookup at every null value. Measured, that
// is about ten times the API client's own work and gigabytes of garbage. eset_incidents has no list or
// set blocks and sets every configured attribute to its configured value, so both walks are no-ops for
// it. Everything else (schemas, validation, configuration, the other data sources and functions) is the
// framework's; eset_incidents' Read still works through the framework, only slower.
func NewProtocol6Server(version string) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		p := &EsetProvider{version: version}
		return &server{ProviderServer: providerserver.NewProtocol6(p)(), provider: p}
	}
}

type server struct {
	tfprotov6.ProviderServer
	provider *EsetProvider
}

func (s *server) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	data := s.provider.data.Load()
	if req.TypeName != "eset_incidents" || data == nil {
		return s.ProviderServer.ReadDataSource(ctx, req)
	}
	ds := &IncidentsDataSource{data: data}
	var schemaResp datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &schemaResp)
	schema := schemaResp.Schema
	typ := schema.Type().TerraformType(ctx)

	config, err := req.Config.Unmarshal(typ)
	if err != nil {
		// The protocol reports a failed read in the response's diagnostics, not as an RPC error.
		return &tfprotov6.ReadDataSourceResponse{Diagnostics: []*tfprotov6.Diagnostic{{ //nolint:nilerr // see above
			Severity: tfprotov6.DiagnosticSeverityError, Summary: "Unable to read the configuration", Detail: err.Error(),
		}}}, nil
	}
	state, diags := ds.read(ctx, tfsdk.Config{Schema: schema, Raw: config})
	resp := &tfprotov6.ReadDataSourceResponse{Diagnostics: protoDiagnostics(diags)}
	if !diags.HasError() {
		resp.State = &tfprotov6.DynamicValue{MsgPack: state}
	}
	return resp, nil
}

// protoDiagnostics converts diagnostics for the protocol. Read's diagnostics name top-level attributes
// only, so attribute names are the only path steps converted.
func protoDiagnostics(diags diag.Diagnostics) []*tfprotov6.Diagnostic {
	out := make([]*tfprotov6.Diagnostic, 0, len(diags))
	for _, d := range diags {
		pd := &tfprotov6.Diagnostic{Severity: tfprotov6.DiagnosticSeverityError, Summary: d.Summary(), Detail: d.Detail()}
		if d.Severity() == diag.SeverityWarning {
			pd.Severity = tfprotov6.DiagnosticSeverityWarning
		}
		if withPath, ok := d.(diag.DiagnosticWithPath); ok {
			pd.Attribute = tfPath(withPath.Path())
		}
		out = append(out, pd)
	}
	return out
}

func tfPath(p path.Path) *tftypes.AttributePath {
	tp := tftypes.NewAttributePath()
	for _, step := range p.Steps() {
		if name, ok := step.(path.PathStepAttributeName); ok {
			tp = tp.WithAttributeName(string(name))
		}
	}
	return tp
}
