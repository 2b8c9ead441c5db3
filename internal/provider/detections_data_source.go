package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/provider/record"
	"github.com/eset-community/terraform-provider-eset/internal/query"
)

// Ensure the implementation satisfies the expected interfaces.
var (
	_ datasource.DataSourceWithConfigure      = &DetectionsDataSource{}
	_ datasource.DataSourceWithValidateConfig = &DetectionsDataSource{}
)

// NewDetectionsDataSource makes the eset_detections data source.
func NewDetectionsDataSource() datasource.DataSource {
	return &DetectionsDataSource{}
}

// DetectionsDataSource lists the endpoint detections of some devices, or of all, in a time window.
type DetectionsDataSource struct {
	data *providerData
}

// DetectionsDataSourceModel describes the data source's arguments and results.
type DetectionsDataSourceModel struct {
	DeviceUUIDs    types.List   `tfsdk:"device_uuids"`
	OccurredAfter  types.String `tfsdk:"occurred_after"`
	OccurredBefore types.String `tfsdk:"occurred_before"`
	OccurredWithin types.String `tfsdk:"occurred_within"`
	Severities     types.List   `tfsdk:"severities"`
	Categories     types.List   `tfsdk:"categories"`
	MaxResults     types.Int64  `tfsdk:"max_results"`
	IncludeDetails types.Bool   `tfsdk:"include_details"`
	SummaryOnly    types.Bool   `tfsdk:"summary_only"`

	Detections types.List     `tfsdk:"detections"`
	IDs        types.List     `tfsdk:"ids"`
	Truncated  types.Bool     `tfsdk:"truncated"`
	ListPlan   types.String   `tfsdk:"list_plan"`
	Summary    types.Object   `tfsdk:"summary"`
	Timeouts   timeouts.Value `tfsdk:"timeouts"`
}

func (d *DetectionsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_detections"
}

func (d *DetectionsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	windowEnd := stringvalidator.ConflictsWith(path.MatchRoot("occurred_within"))
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists endpoint detections (ESET PROTECT and ESET Inspect) from `GET /v1/detections` (1000 per call), " +
			"**sorted by `occur_time`, then `uuid`**: the API returns them in no order. With `device_uuids`, by the plan that needs " +
			"fewer calls (`list_plan`). Most of what ESET sees on a machine is a detection, never an incident. A read fails rather " +
			"than return part of a listing.\n\n" +
			"**While detections arrive.** Detections are added, never changed out of a window, and may arrive late with an " +
			"`occur_time` inside a window already read; the API pages by offset. A read lists every matching detection that " +
			"was in its window for the whole read, each once (a late one that shifts the offsets makes a page repeat a " +
			"detection, which is dropped by uuid); one that arrives during the read may or may not be listed. A window that " +
			"ends in the past can therefore hold more detections on a later read. A detection that ESET deletes during the " +
			"read (retention) could make another go missing, which the API cannot show.",
		Attributes: map[string]schema.Attribute{
			"device_uuids": schema.ListAttribute{
				MarkdownDescription: "Detections on any of these devices (uuids, e.g. `eset_devices`' `ids`), any number of them. Unset " +
					"means every device's. The API takes one device a call, so the provider first asks for the window's first page " +
					"for every device, whose total says which plan needs fewer calls (`list_plan`): the window for every device, " +
					"kept to these (ceil(N/1000) calls for the tenant's N detections in the window), or each device's own window " +
					"(one call or more per device, besides that first one).",
				Optional:    true,
				ElementType: types.StringType,
				Validators:  listValidators(listvalidator.ValueStringsAre(uuidValidator{})),
			},
			"occurred_after": schema.StringAttribute{
				MarkdownDescription: "Detections that occurred at or after this RFC 3339 time, e.g. `2026-01-01T00:00:00Z`.",
				Optional:            true,
				Validators:          []validator.String{timestampValidator{}, windowEnd},
			},
			"occurred_before": schema.StringAttribute{
				MarkdownDescription: "Detections that occurred before this RFC 3339 time (exclusive, so back-to-back windows do not overlap).",
				Optional:            true,
				Validators:          []validator.String{timestampValidator{}, windowEnd},
			},
			"occurred_within": schema.StringAttribute{
				MarkdownDescription: "Detections that occurred within this duration before the read, e.g. `24h`, `90m` or `7d`. " +
					"Conflicts with `occurred_after` and `occurred_before`.",
				Optional:   true,
				Validators: []validator.String{withinValidator{}},
			},
			"severities": schema.ListAttribute{
				MarkdownDescription: "Detections of any of these severity levels: `" + strings.Join(esetapi.DetectionSeverities[1:], "`, `") +
					"`. The API has no such filter: the window is read whole and filtered.",
				Optional:    true,
				ElementType: types.StringType,
				Validators:  listValidators(listvalidator.ValueStringsAre(enumValidator{esetapi.DetectionSeverities[1:]})),
			},
			"categories": schema.ListAttribute{
				MarkdownDescription: "Detections of any of these categories: `" + strings.Join(esetapi.DetectionCategories[1:], "`, `") +
					"`. Filtered after listing, as `severities`.",
				Optional:    true,
				ElementType: types.StringType,
				Validators:  listValidators(listvalidator.ValueStringsAre(enumValidator{esetapi.DetectionCategories[1:]})),
			},
			"max_results": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("Stop after this many detections (1 to %d), then sort those. As the API lists in no "+
					"order, a cut list is not the oldest or newest ones: `truncated` says it was cut; narrow the window instead.", esetapi.MaxListed),
				Optional:   true,
				Validators: maxResultsValidators,
			},
			"include_details": schema.BoolAttribute{
				MarkdownDescription: "Also read `resolved`, `severity_score` and `device_display_name` from the v2 records " +
					"(`POST /v2/detections:batchGet`, 100 detections per call). Defaults to `false`, which leaves them null.",
				Optional: true,
			},
			"summary_only": schema.BoolAttribute{
				MarkdownDescription: "Read every page but keep only `summary`: `detections` and `ids` are null. State then grows " +
					"with the distinct values the summary counts by (severities, categories, devices), not with the number of " +
					"detections. The provider holds one page of detections at a time (nothing is sorted), and the uuid of every " +
					"detection read, to tell one listed twice (a 16-byte key each, in a set: a few megabytes at 100,000 detections). Conflicts with `include_details = true`, whose calls would fill in lists that are not kept. " +
					"Defaults to `false`.",
				Optional:   true,
				Validators: []validator.Bool{conflictsWhenTrue{other: "include_details"}},
			},
			"detections": schema.ListNestedAttribute{
				MarkdownDescription: "The matching detections, sorted by `occur_time` (as instants), then `uuid`; null with `summary_only`.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: detectionRecord.SchemaAttributes()},
			},
			"ids": schema.ListAttribute{
				MarkdownDescription: "The uuids of `detections`, in the same order; null with `summary_only`.",
				Computed:            true,
				ElementType:         types.StringType,
			},
			"summary": detectionsSummary.SchemaAttribute("Counts and times over the detections read (all that match, or the " +
				"first `max_results` in the API's order), worked out as the pages arrive; set with and without `summary_only`. " +
				"A map leaves out the values no detection has: use `lookup(…, key, 0)`."),
			"list_plan": schema.StringAttribute{
				MarkdownDescription: "How the detections were listed: `window` (the window once for every device, kept to " +
					"`device_uuids` when set) or `per_device` (each device's window on its own). Leave it out and the provider " +
					"chooses the plan that needs fewer calls from the window's first page; the debug log has the calls each would " +
					"take. Set it to force a plan, for reproducible runs or to switch the choice off: both give the same detections. " +
					"`per_device` needs `device_uuids`.",
				Optional: true,
				Computed: true,
				Validators: []validator.String{listPlanValidator{
					plans:       stringValues(esetapi.DetectionPlans),
					devicePlans: []string{string(esetapi.DetectionsPerDevice)},
					devices:     []string{"device_uuids"},
				}},
			},
			"truncated": schema.BoolAttribute{
				MarkdownDescription: "`true` when `max_results` stopped the listing before every matching detection was read.",
				Computed:            true,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": readTimeoutsBlock(ctx, "Bound on the whole read, retries included, such as `\"30m\"`."),
		},
	}
}

// ValidateConfig refuses a window that ends before it starts, at plan time.
func (d *DetectionsDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var after, before types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("occurred_after"), &after)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("occurred_before"), &before)...)
	a, errA := time.Parse(time.RFC3339, after.ValueString())
	b, errB := time.Parse(time.RFC3339, before.ValueString())
	if errA == nil && errB == nil && !a.Before(b) {
		resp.Diagnostics.AddAttributeError(path.Root("occurred_before"), "Empty detection window",
			fmt.Sprintf("occurred_after (%s) must be earlier than occurred_before (%s), or no detection can match: the window "+
				"includes occurred_after and excludes occurred_before.", after.ValueString(), before.ValueString()))
	}
}

func (d *DetectionsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *DetectionsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	summary := detectionsSummary.Tally()
	model, rows, list, diags := d.read(ctx, req.Config, summary)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	model.Summary, diags = summary.Object()
	resp.Diagnostics.Append(diags...)
	model.Truncated, model.ListPlan = types.BoolValue(list.Truncated), types.StringValue(string(list.Plan))
	if model.SummaryOnly.ValueBool() {
		model.Detections, model.IDs = types.ListNull(detectionRecord.Type()), types.ListNull(types.StringType)
		resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
		return
	}
	detections := make([]attr.Value, len(rows))
	ids := make([]attr.Value, len(rows))
	for i := range rows {
		detections[i], diags = detectionRecord.Object(ctx, &rows[i], nil)
		resp.Diagnostics.Append(diags...)
		ids[i] = types.StringValue(rows[i].UUID)
	}
	model.Detections, diags = types.ListValue(detectionRecord.Type(), detections)
	resp.Diagnostics.Append(diags...)
	model.IDs, diags = types.ListValue(types.StringType, ids)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}

// read lists the detections that config asks for, counting each page into summary as it arrives; unless
// summary_only, which drops each page once counted, it returns them sorted, with their details if asked.
// It also returns the listing's result (its counts, truncated, plan).
func (d *DetectionsDataSource) read(ctx context.Context, config tfsdk.Config, summary *record.Tally[esetapi.Detection]) (DetectionsDataSourceModel, []detectionRow, esetapi.DetectionList, diag.Diagnostics) {
	var model DetectionsDataSourceModel
	var list esetapi.DetectionList
	diags := config.Get(ctx, &model)
	if diags.HasError() {
		return model, nil, list, diags
	}
	ctx, readTimeout, cancel, ok := startRead(ctx, d.data, model.Timeouts, &diags)
	if !ok {
		return model, nil, list, diags
	}
	defer cancel()

	opts := esetapi.DetectionListOptions{
		DeviceUUIDs:    stringsOf(ctx, model.DeviceUUIDs, &diags),
		SeverityLevels: stringsOf(ctx, model.Severities, &diags),
		Categories:     stringsOf(ctx, model.Categories, &diags),
		MaxResults:     int(model.MaxResults.ValueInt64()),
		Plan:           esetapi.DetectionPlan(model.ListPlan.ValueString()),
	}
	// The arguments were checked at plan time; values unknown then are checked here.
	var err error
	if s := model.OccurredAfter.ValueString(); s != "" {
		opts.OccurredAfter, err = time.Parse(time.RFC3339, s)
		addArgumentError(&diags, "occurred_after", err)
	}
	if s := model.OccurredBefore.ValueString(); s != "" {
		opts.OccurredBefore, err = time.Parse(time.RFC3339, s)
		addArgumentError(&diags, "occurred_before", err)
	}
	if s := model.OccurredWithin.ValueString(); s != "" {
		var within time.Duration
		within, err = query.ParseWithin(s)
		addArgumentError(&diags, "occurred_within", err)
		opts.OccurredAfter = time.Now().Add(-within).Truncate(time.Second)
	}
	if diags.HasError() {
		return model, nil, list, diags
	}

	var detections []esetapi.Detection
	keep := esetapi.Collect(&detections)
	summaryOnly := model.SummaryOnly.ValueBool()
	list, err = d.data.client.ListDetections(ctx, opts, func(page []esetapi.Detection) error {
		summary.Add(page)
		if summaryOnly {
			return nil
		}
		return keep(page)
	})
	if err != nil {
		diags.AddError("Unable to read ESET detections", readError(err, readTimeout))
		return model, nil, list, diags
	}
	if list.Duplicates > 0 {
		diags.AddWarning("ESET listed detections twice",
			fmt.Sprintf("The API listed %d detections a second time; each was kept once.", list.Duplicates))
	}
	tflog.Debug(ctx, "listed detections", map[string]any{"plan": string(list.Plan), "calls": list.Calls, "detections": list.Items, "truncated": list.Truncated})
	if summaryOnly {
		return model, nil, list, diags
	}
	esetapi.SortDetections(detections)
	rows := make([]detectionRow, len(detections))
	for i := range detections {
		rows[i].Detection = &detections[i]
	}
	if model.IncludeDetails.ValueBool() && len(rows) > 0 {
		uuids := make([]string, len(rows))
		for i := range rows {
			uuids[i] = rows[i].UUID
		}
		details, err := d.data.client.BatchGetDetections(ctx, uuids)
		if err != nil {
			diags.AddError("Unable to read the details of ESET detections", readError(err, readTimeout))
			return model, nil, list, diags
		}
		// BatchGetDetections answers in the order asked, each uuid once, and the listing kept each uuid once.
		for i := range rows {
			rows[i].details = &details[i]
		}
	}
	return model, rows, list, diags
}

// addArgumentError reports an argument that passed the plan-time check unknown and failed it at apply.
func addArgumentError(diags *diag.Diagnostics, attribute string, err error) {
	if err != nil {
		diags.AddAttributeError(path.Root(attribute), "Invalid "+attribute, err.Error())
	}
}
