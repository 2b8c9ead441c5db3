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
var (
	_ fastpath.DataSource = &IncidentsDataSource{}
	_ fastpath.DataSource = &DevicesDataSource{}
	_ fastpath.DataSource = &DetectionsDataSource{}
)

// NewProtocol6Server returns a function that makes the provider's protocol 6 server: the framework's,
// with the reads of eset_incidents, eset_devices and eset_detections served by package fastpath (see its comment for why and until when).
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
	if data == nil {
		return nil
	}
	switch typeName {
	case "eset_incidents":
		return &IncidentsDataSource{data: data}
	case "eset_devices":
		return &DevicesDataSource{data: data}
	case "eset_detections":
		return &DetectionsDataSource{data: data}
	}
	return nil
}

// incidentsComputed are eset_incidents' computed attributes; the others go into state as configured.
var incidentsComputed = []string{"id", "effective_filter", "incidents", "ids", "truncated", "list_plan", "summary"}

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
	state.String("list_plan", string(result.DevicePlan))
	return state, diags
}

// devicesComputed are eset_devices' computed attributes.
var devicesComputed = []string{"devices", "ids", "missing_display_names", "missing_ip_addresses", "truncated"}

// ReadState is Read on the fast path: the same listing, encoded straight into state.
func (d *DevicesDataSource) ReadState(ctx context.Context, config tfsdk.Config) (*fastpath.State, diag.Diagnostics) {
	r, diags := d.read(ctx, config)
	if diags.HasError() {
		return nil, diags
	}
	state, err := fastpath.NewState(config.Raw, devicesComputed...)
	if err != nil {
		diags.AddError("Unable to write state", err.Error())
		return nil, diags
	}
	list, found, names, addresses := r.list, r.devices, r.list.UnmatchedDisplayNames, r.list.UnmatchedIPAddresses
	var devices, ids, missing, missingIPs fastpath.List
	fastpath.AddRecords(&devices, deviceRecord, found)
	fastpath.AddStrings(&ids, found, func(d *esetapi.Device) string { return d.UUID })
	fastpath.AddStrings(&missing, names, func(s *string) string { return *s })
	fastpath.AddStrings(&missingIPs, addresses, func(s *string) string { return *s })
	state.List("devices", &devices)
	state.List("ids", &ids)
	state.List("missing_display_names", &missing)
	state.List("missing_ip_addresses", &missingIPs)
	state.Bool("truncated", list.Truncated)
	return state, diags
}

// detectionsComputed are eset_detections' computed attributes.
var detectionsComputed = []string{"detections", "ids", "truncated", "list_plan", "summary"}

// ReadState is Read on the fast path: the same listing, encoded straight into state.
func (d *DetectionsDataSource) ReadState(ctx context.Context, config tfsdk.Config) (*fastpath.State, diag.Diagnostics) {
	summary := detectionsSummary.Tally()
	model, rows, list, diags := d.read(ctx, config, summary)
	if diags.HasError() {
		return nil, diags
	}
	state, err := fastpath.NewState(config.Raw, detectionsComputed...)
	if err != nil {
		diags.AddError("Unable to write state", err.Error())
		return nil, diags
	}
	if model.SummaryOnly.ValueBool() {
		state.Null("detections")
		state.Null("ids")
	} else {
		var detections, ids fastpath.List
		fastpath.AddRecords(&detections, detectionRecord, rows)
		fastpath.AddStrings(&ids, rows, func(d *detectionRow) string { return d.UUID })
		state.List("detections", &detections)
		state.List("ids", &ids)
	}
	state.Summary("summary", summary.Values())
	state.Bool("truncated", list.Truncated)
	state.String("list_plan", string(list.Plan))
	return state, diags
}
