package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/provider/fastpath"
)

// Ensure the data sources served on the fast path can be.
var _ fastpath.DataSource = &IncidentsDataSource{}

// NewProtocol6Server returns a function that makes the provider's protocol 6 server: the framework's,
// with eset_incidents' reads served by package fastpath (see its comment for why and until when).
func NewProtocol6Server(version string) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		p := &EsetProvider{version: version}
		return fastpath.NewServer(providerserver.NewProtocol6(p)(), p.fastDataSource)
	}
}

// fastDataSource returns the configured data source that serves reads of typeName on the fast path, or
// nil. The protocol server calls it on other goroutines than Configure, hence the atomic p.data.
func (p *EsetProvider) fastDataSource(typeName string) fastpath.DataSource {
	data := p.data.Load()
	if typeName != "eset_incidents" || data == nil {
		return nil
	}
	return &IncidentsDataSource{data: data}
}

// incidentsComputed are eset_incidents' computed attributes; the others go into state as configured.
var incidentsComputed = []string{"id", "effective_filter", "incidents", "ids", "truncated", "summary"}

// ReadState is Read on the fast path: the same listing, with each page encoded as it arrives.
func (d *IncidentsDataSource) ReadState(ctx context.Context, config tfsdk.Config) (*fastpath.State, diag.Diagnostics) {
	var incidents, ids fastpath.List
	summary := incidentsSummary.Tally()
	model, result, diags := d.read(ctx, config, summary, func(page []esetapi.Incident) {
		fastpath.AddRecords(&incidents, incidentRecord, page)
		fastpath.AddStrings(&ids, page, func(i *esetapi.Incident) string { return i.UUID })
	})
	if diags.HasError() {
		return nil, diags
	}
	state, err := fastpath.NewState(config.Raw, incidentsComputed...)
	if err != nil {
		diags.AddError("Unable to write state", err.Error())
		return nil, diags
	}
	state.String("id", model.ID.ValueString())
	state.String("effective_filter", model.EffectiveFilter.ValueString())
	if model.SummaryOnly.ValueBool() {
		state.Null("incidents")
		state.Null("ids")
	} else {
		state.List("incidents", &incidents)
		state.List("ids", &ids)
	}
	state.Summary("summary", summary.Values())
	state.Bool("truncated", result.Truncated)
	return state, diags
}
