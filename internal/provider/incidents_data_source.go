package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/boolvalidator"
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
	"github.com/eset-community/terraform-provider-eset/internal/readplan"
)

// Ensure the implementation satisfies the expected interfaces.
var _ datasource.DataSourceWithConfigure = &IncidentsDataSource{}

// NewIncidentsDataSource makes the eset_incidents data source.
func NewIncidentsDataSource() datasource.DataSource {
	return &IncidentsDataSource{}
}

// IncidentsDataSource lists incidents that match a filter.
type IncidentsDataSource struct {
	data *providerData
}

// IncidentsDataSourceModel describes the data source's arguments and results.
type IncidentsDataSourceModel struct {
	ID         types.String `tfsdk:"id"`
	Filter     types.String `tfsdk:"filter"`
	OrderBy    types.String `tfsdk:"order_by"`
	MaxResults types.Int64  `tfsdk:"max_results"`
	Strict     types.Bool   `tfsdk:"strict"`

	Statuses            types.List   `tfsdk:"statuses"`
	Severities          types.List   `tfsdk:"severities"`
	CreatedAfter        types.String `tfsdk:"created_after"`
	CreatedBefore       types.String `tfsdk:"created_before"`
	CreatedWithin       types.String `tfsdk:"created_within"`
	AssigneeUUID        types.String `tfsdk:"assignee_uuid"`
	Unassigned          types.Bool   `tfsdk:"unassigned"`
	TagsAny             types.List   `tfsdk:"tags_any"`
	DeviceUUID          types.String `tfsdk:"device_uuid"`
	DeviceUUIDs         types.List   `tfsdk:"device_uuids"`
	DisplayNameContains types.String `tfsdk:"display_name_contains"`
	IncludeDetails      types.Bool   `tfsdk:"include_details"`
	SummaryOnly         types.Bool   `tfsdk:"summary_only"`
	ListPlan            types.String `tfsdk:"list_plan"`

	EffectiveFilter types.String   `tfsdk:"effective_filter"`
	Truncated       types.Bool     `tfsdk:"truncated"`
	IDs             types.List     `tfsdk:"ids"`
	Incidents       types.List     `tfsdk:"incidents"`
	Summary         types.Object   `tfsdk:"summary"`
	Timeouts        timeouts.Value `tfsdk:"timeouts"`
}

func (d *IncidentsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_incidents"
}

func (d *IncidentsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the incidents that match a filter, oldest first unless `order_by` says otherwise, " +
			"reading `GET /v2/incidents` 1000 incidents a call. A read either returns every matching incident or fails: it never " +
			"returns a partial list. The typed filters (`statuses`, `severities`, `created_*`, `assignee_uuid`, `unassigned`, " +
			"`tags_any`, `device_uuid`, `device_uuids`, `display_name_contains`) are compiled into `effective_filter` and joined to " +
			"`filter` with `&&`.\n\n" +
			"**Nothing is skipped while the tenant changes.** Pages are read by key, not by position: each call asks for the " +
			"incidents created at or after the last one read (`create_time` never changes), so analysts closing, reassigning or " +
			"creating incidents during a read cannot shift a page past one never read. The list holds every incident that matches " +
			"the filter for the whole read exactly once; one that changes during the read appears at most once. This holds for the " +
			"default order and `order_by = \"create_time\"` or `\"create_time desc\"`, with or without `max_results` and " +
			"`summary_only`, and for every other `order_by` without `max_results` (the provider orders the list it read). " +
			"`max_results` with another `order_by` pages by position in the API's order, where an incident that moves during the " +
			"read may be missed; incidents listed twice are then dropped with a warning.\n\n" +
			"**Any filter fits.** The API takes a filter of at most 200 characters. The provider sends what fits and evaluates the " +
			"rest on each incident it lists, with the same semantics; device conditions, which only the API can evaluate, are sent " +
			"in groups of devices, or checked on the details of the few incidents the rest of the filter selects " +
			"(`GET /v2/incidents/{uuid}`), whichever takes fewer calls (`list_plan` says which, and forces one). The result is the same either way. The debug log " +
			"(`TF_LOG_PROVIDER=debug`) shows the plan, the filters sent and the calls made.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Identifier of the query: a hash of its arguments, the same for the same query.",
				Computed:            true,
			},
			"filter": schema.StringAttribute{
				MarkdownDescription: "Filter in the API's filter language (CEL), sent verbatim, for example " +
					"`incident.severity == INCIDENT_SEVERITY_LEVEL_HIGH && incident.status in [INCIDENT_STATUS_OPEN, INCIDENT_STATUS_IN_PROGRESS]`. " +
					"Checked at plan time: syntax errors, operators that `status` and `severity` do not take, and malformed " +
					"`timestamp()`/`duration()` literals are errors; unknown fields and enum values are warnings, or errors with " +
					"`strict = true`. An empty filter is an error: leave the argument out to read every incident. " +
					"Use `provider::eset::quote()` to put a variable inside a string literal. At most 200 characters (the API's limit, counted in " +
					"characters); the typed filters are not counted against it.",
				Optional:   true,
				Validators: []validator.String{filterValidator},
			},
			"order_by": schema.StringAttribute{
				MarkdownDescription: "Comma-separated ordering fields, each optionally followed by ` desc`: `display_name`, " +
					"`create_time`, `update_time`, `severity`, `status`, `device_uuids.count`, `detection_uuids.count`. " +
					"For example `severity desc, create_time`. Leave it out for oldest first, the same as `create_time` (an empty value is an error). " +
					"At most 100 characters.",
				Optional:   true,
				Validators: []validator.String{orderByValidator},
			},
			"strict": schema.BoolAttribute{
				MarkdownDescription: "Fail closed: what the API documentation does not cover in `filter` and `order_by` is an error at " +
					"plan time, with the same suggestion, instead of a warning: unknown fields, unknown enum values (such as " +
					"`INCIDENT_SEVERITY_LEVEL_CRITICAL`), undocumented functions and macros. A filter with such a typo matches " +
					"nothing, and a gate on its result passes: gates and policies should set `strict = true`. Defaults to " +
					"`false`, because a newer API may accept what its documentation does not list yet.",
				Optional: true,
			},
			"max_results": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("Stop after this many incidents (1 to %d). Unset means every matching incident. "+
					"`truncated` tells whether more matched.", esetapi.MaxListed),
				Optional:   true,
				Validators: maxResultsValidators,
			},
			"statuses": schema.ListAttribute{
				MarkdownDescription: "Typed filter: incidents in any of these statuses: `" + strings.Join(esetapi.Statuses[1:], "`, `") + "`.",
				Optional:            true,
				ElementType:         types.StringType,
				Validators:          listValidators(statusesValidator),
			},
			"severities": schema.ListAttribute{
				MarkdownDescription: "Typed filter: incidents of any of these severities: `" + strings.Join(esetapi.Severities[1:], "`, `") + "`.",
				Optional:            true,
				ElementType:         types.StringType,
				Validators:          listValidators(severitiesValidator),
			},
			"created_after": schema.StringAttribute{
				MarkdownDescription: "Typed filter: incidents created at or after this RFC 3339 time, e.g. `2026-01-01T00:00:00Z`.",
				Optional:            true,
				Validators:          []validator.String{createdAfterValidator},
			},
			"created_before": schema.StringAttribute{
				MarkdownDescription: "Typed filter: incidents created before this RFC 3339 time (exclusive, so back-to-back windows do not overlap).",
				Optional:            true,
				Validators:          []validator.String{createdBeforeValidator},
			},
			"created_within": schema.StringAttribute{
				MarkdownDescription: "Typed filter: incidents created within this duration before the read, e.g. `24h`, `90m` or `7d`. " +
					"The compiled filter holds the absolute time of the read.",
				Optional:   true,
				Validators: []validator.String{createdWithinValidator},
			},
			"assignee_uuid": schema.StringAttribute{
				MarkdownDescription: "Typed filter: incidents assigned to this user (a uuid).",
				Optional:            true,
				Validators:          []validator.String{uuidValidator{}},
			},
			"unassigned": schema.BoolAttribute{
				MarkdownDescription: "Typed filter: `true` keeps only incidents nobody is assigned to; `false` or unset does not filter on assignment. Conflicts with `assignee_uuid`.",
				Optional:            true,
				Validators:          []validator.Bool{boolvalidator.ConflictsWith(path.MatchRoot("assignee_uuid"))},
			},
			"tags_any": schema.ListAttribute{
				MarkdownDescription: "Typed filter: incidents with at least one of these tags.",
				Optional:            true,
				ElementType:         types.StringType,
				Validators:          listValidators(tagsAnyValidator),
			},
			"device_uuid": schema.StringAttribute{
				MarkdownDescription: "Typed filter: incidents that involve this device (a uuid).",
				Optional:            true,
				Validators:          []validator.String{uuidValidator{}},
			},
			"device_uuids": schema.ListAttribute{
				MarkdownDescription: "Typed filter: incidents that involve any of these devices, e.g. `data.eset_devices.hosts.ids`, " +
					"as many as you like. The API's filter holds about three devices, so the provider either sends them in groups (a call " +
					"or more each) or lists what the rest of the filter selects and reads the details of those incidents to check their " +
					"devices (a call each), whichever takes fewer calls; the result is the same either way.",
				Optional:    true,
				ElementType: types.StringType,
				Validators:  listValidators(listvalidator.ValueStringsAre(uuidValidator{})),
			},
			"display_name_contains": schema.StringAttribute{
				MarkdownDescription: "Typed filter: incidents whose display name contains this text (quoted safely).",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"include_details": schema.BoolAttribute{
				MarkdownDescription: "Also read each incident's `device_uuids` and `detection_uuids`, one `GET /v2/incidents/{uuid}` " +
					"call per incident (the list call does not return them). At the API's 10 calls per second, 1,000 incidents " +
					"take about 100 seconds: narrow the list with a filter first. Defaults to `false`, which leaves both lists null.",
				Optional: true,
			},
			"summary_only": schema.BoolAttribute{
				MarkdownDescription: "Read every page but keep only `summary`: `incidents` and `ids` are null. State then grows with " +
					"the distinct values the summary counts by (statuses, severities, assignees, tags), not with the number of " +
					"incidents. The provider holds one page of incidents at a time (all the candidates, before their details, where " +
					"`list_plan` is `details`), and the uuid of every incident read, to tell " +
					"one listed twice (a 16-byte key each, in a set: a few megabytes at 100,000 incidents). For reports and " +
					"gates that need counts, not records. Conflicts with `include_details = true`, whose detail calls would fill " +
					"in lists that are not kept. Defaults to `false`.",
				Optional:   true,
				Validators: []validator.Bool{conflictsWhenTrue{other: "include_details"}},
			},
			"list_plan": schema.StringAttribute{
				MarkdownDescription: "How the incidents were read: `device_groups` (the devices of `device_uuids` or `device_uuid` " +
					"sent in groups, as many to a filter as fit, one listing or more each), `details` (the rest of the filter listed, " +
					"and each candidate's details read to keep those that involve one of the devices), or `listing` (no device " +
					"condition: the filter's listing). Leave it out and the provider chooses the device plan that needs fewer calls, " +
					"finding out with the lookup's first page where the device groups are more than one. Set it to force a plan, for " +
					"reproducible runs or to switch the choice off: both device plans give the same incidents. `device_groups` and " +
					"`details` need `device_uuids` or `device_uuid`; `listing` takes neither. A forced plan is not bounded by the " +
					"other: `details` makes a detail call for every incident the rest of the filter selects (at the API's 10 calls a " +
					"second, 1,000 candidates take over a minute), so force it only where the rest of the filter selects few. A plan " +
					"that cannot read the arguments fails the read on `list_plan`, with no fallback.",
				Optional: true,
				Computed: true,
				Validators: []validator.String{listPlanValidator{
					plans:       stringValues(readplan.DevicePlans),
					devicePlans: []string{string(readplan.DeviceGroups), string(readplan.DeviceDetails)},
					alone:       string(readplan.Listing),
					devices:     []string{"device_uuids", "device_uuid"},
				}},
			},
			"effective_filter": schema.StringAttribute{
				MarkdownDescription: "The whole filter the read applies: the typed filters compiled to CEL, joined with `filter` by `&&`. " +
					"What is sent to the API may be a part of it (see the description above); the debug log shows each filter sent.",
				Computed: true,
			},
			"truncated": schema.BoolAttribute{
				MarkdownDescription: "`true` when `max_results` stopped the listing before the API's last page.",
				Computed:            true,
			},
			"ids": schema.ListAttribute{
				MarkdownDescription: "The uuids of `incidents`, in the same order; null with `summary_only`.",
				Computed:            true,
				ElementType:         types.StringType,
			},
			"incidents": schema.ListNestedAttribute{
				MarkdownDescription: "The matching incidents, oldest first or in the order of `order_by`; null with `summary_only`.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: incidentRecord.SchemaAttributes()},
			},
			"summary": incidentsSummary.SchemaAttribute("Counts and times over the incidents read (all that match, or the " +
				"first `max_results`), worked out as the pages arrive; set with and without `summary_only`. A map leaves out " +
				"the values no incident has: use `lookup(…, key, 0)`."),
		},
		Blocks: map[string]schema.Block{
			"timeouts": readTimeoutsBlock(ctx, "Bound on the whole read, retries and waits for slow queries included, as a duration "+
				"such as `\"30m\"`."),
		},
	}
}

func (d *IncidentsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *IncidentsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var incidents, ids []attr.Value
	summary := incidentsSummary.Tally()
	model, result, diags := d.read(ctx, req.Config, summary, func(page []esetapi.Incident) {
		for i := range page {
			incident, diags := incidentRecord.Object(ctx, &page[i], nil)
			resp.Diagnostics.Append(diags...)
			incidents = append(incidents, incident)
			ids = append(ids, types.StringValue(page[i].UUID))
		}
	})
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if model.SummaryOnly.ValueBool() {
		model.Incidents, model.IDs = types.ListNull(incidentRecord.Type()), types.ListNull(types.StringType)
	} else {
		model.Incidents, diags = types.ListValue(incidentRecord.Type(), incidents)
		resp.Diagnostics.Append(diags...)
		model.IDs, diags = types.ListValue(types.StringType, ids)
		resp.Diagnostics.Append(diags...)
	}
	model.Summary, diags = summary.Object()
	resp.Diagnostics.Append(diags...)
	model.Truncated, model.ListPlan = types.BoolValue(result.Truncated), types.StringValue(string(result.DevicePlan))
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}

// read lists the incidents that config asks for, counts each page into summary, and hands it to add as it
// arrives (with details, once their detail calls have filled them in), unless summary_only. It returns the configuration's model with id and
// effective_filter set, and the listing's result; Read and the fast path's ReadState each write state from
// them in their own way.
func (d *IncidentsDataSource) read(ctx context.Context, config tfsdk.Config, summary *record.Tally[esetapi.Incident], add func([]esetapi.Incident)) (IncidentsDataSourceModel, readplan.Result, diag.Diagnostics) {
	var model IncidentsDataSourceModel
	diags := config.Get(ctx, &model)
	if diags.HasError() {
		return model, readplan.Result{}, diags
	}
	ctx, readTimeout, cancel, ok := startRead(ctx, d.data, model.Timeouts, &diags)
	if !ok {
		return model, readplan.Result{}, diags
	}
	defer cancel()

	now := time.Now()
	criteria, filter, filterDiags := model.effectiveFilter(ctx, now)
	diags.Append(filterDiags...)
	if diags.HasError() {
		return model, readplan.Result{}, diags
	}
	model.ID = types.StringValue(model.queryID(criteria))
	model.EffectiveFilter = types.StringValue(filter)
	typed, err := criteria.Terms(now, "")
	if err != nil {
		diags.AddError("Invalid typed filter", err.Error())
		return model, readplan.Result{}, diags
	}

	summaryOnly := model.SummaryOnly.ValueBool()
	result, err := readplan.Read(ctx, d.data.client, readplan.Request{
		Typed: typed, Filter: model.Filter.ValueString(), OrderBy: model.OrderBy.ValueString(),
		MaxResults: int(model.MaxResults.ValueInt64()), Details: model.IncludeDetails.ValueBool(),
		Concurrency: d.data.maxConcurrency, Unordered: summaryOnly, DevicePlan: readplan.DevicePlan(model.ListPlan.ValueString()),
	}, func(page []esetapi.Incident) error {
		summary.Add(page)
		if !summaryOnly {
			add(page)
		}
		return nil
	})
	tflog.Debug(ctx, "read incidents", map[string]any{
		"plan": result.Plan, "list_calls": result.ListCalls, "detail_calls": result.DetailCalls, "filters_sent": result.Filters,
		"incidents": result.Incidents, "by_position": result.ByPosition, "list_plan": string(result.DevicePlan),
	})
	var forced *readplan.ForcedPlanError
	switch {
	case errors.As(err, &forced):
		diags.AddAttributeError(path.Root("list_plan"), "list_plan cannot read these arguments",
			fmt.Sprintf("%s. Leave list_plan out to let the provider choose a plan that can.", forced))
		return model, result, diags
	case err != nil:
		diags.AddError("Unable to read ESET incidents", readError(err, readTimeout))
		return model, result, diags
	}
	switch {
	case result.ByPosition == readplan.NoRoom:
		diags.AddAttributeWarning(path.Root("filter"), "ESET incidents read by position",
			"filter names what only the API can evaluate (device_uuids, detection_uuids, or something its documentation does not cover) and "+
				"leaves no room beside it, in the API's 200 characters, for the condition that reads by create_time. This read paged by "+
				"position, so an incident that other changes moved between pages may be missing. Shorten filter, or move conditions into "+
				"the typed filters, to read by key.")
	case result.ByPosition != "" && result.Duplicates > 0:
		diags.AddWarning("ESET listed incidents twice",
			fmt.Sprintf("The API listed %d incidents a second time; each was kept once. This read paged by position (%s), so incidents "+
				"that moved between pages while it ran may also be missing: leave max_results out, or order by create_time, to read by key.", result.Duplicates, result.ByPosition))
	}
	return model, result, diags
}
