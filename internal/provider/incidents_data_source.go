package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/boolvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/query"
)

// Ensure the implementation satisfies the expected interfaces.
var _ datasource.DataSourceWithConfigure = &IncidentsDataSource{}

// DefaultReadTimeout bounds a read when its timeouts block sets none.
const DefaultReadTimeout = 20 * time.Minute

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

	Statuses            types.List   `tfsdk:"statuses"`
	Severities          types.List   `tfsdk:"severities"`
	CreatedAfter        types.String `tfsdk:"created_after"`
	CreatedBefore       types.String `tfsdk:"created_before"`
	CreatedWithin       types.String `tfsdk:"created_within"`
	AssigneeUUID        types.String `tfsdk:"assignee_uuid"`
	Unassigned          types.Bool   `tfsdk:"unassigned"`
	TagsAny             types.List   `tfsdk:"tags_any"`
	DeviceUUID          types.String `tfsdk:"device_uuid"`
	DisplayNameContains types.String `tfsdk:"display_name_contains"`
	IncludeDetails      types.Bool   `tfsdk:"include_details"`

	EffectiveFilter types.String   `tfsdk:"effective_filter"`
	Truncated       types.Bool     `tfsdk:"truncated"`
	IDs             types.List     `tfsdk:"ids"`
	Incidents       types.List     `tfsdk:"incidents"`
	Timeouts        timeouts.Value `tfsdk:"timeouts"`
}

func (d *IncidentsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_incidents"
}

func (d *IncidentsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the incidents that match a filter, in the API's order, reading every page of " +
			"`GET /v2/incidents` (1000 incidents per call). A read either returns every matching incident or fails: " +
			"it never returns a partial list. The typed filters (`statuses`, `severities`, `created_*`, `assignee_uuid`, " +
			"`unassigned`, `tags_any`, `device_uuid`, `display_name_contains`) are compiled into `effective_filter` and " +
			"joined to `filter` with `&&`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Identifier of the query: a hash of its arguments, the same for the same query.",
				Computed:            true,
			},
			"filter": schema.StringAttribute{
				MarkdownDescription: "Filter in the API's filter language (CEL), sent verbatim, for example " +
					"`incident.severity == INCIDENT_SEVERITY_LEVEL_HIGH && incident.status in [INCIDENT_STATUS_OPEN, INCIDENT_STATUS_IN_PROGRESS]`. " +
					"Checked at plan time: syntax errors, operators that `status` and `severity` do not take, and malformed " +
					"`timestamp()`/`duration()` literals are errors; unknown fields and enum values are warnings. " +
					"Use `provider::eset::quote()` to put a variable inside a string literal.",
				Optional:   true,
				Validators: []validator.String{filterValidator},
			},
			"order_by": schema.StringAttribute{
				MarkdownDescription: "Comma-separated ordering fields, each optionally followed by ` desc`: `display_name`, " +
					"`create_time`, `update_time`, `severity`, `status`, `device_uuids.count`, `detection_uuids.count`. " +
					"For example `severity desc, create_time`.",
				Optional:   true,
				Validators: []validator.String{orderByValidator},
			},
			"max_results": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("Stop after this many incidents (1 to %d). Unset means every matching incident. "+
					"`truncated` tells whether more matched.", esetapi.MaxListed),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(1, esetapi.MaxListed)},
			},
			"statuses": schema.ListAttribute{
				MarkdownDescription: "Typed filter: incidents in any of these statuses: `" + strings.Join(esetapi.Statuses[1:], "`, `") + "`.",
				Optional:            true,
				ElementType:         types.StringType,
				Validators:          []validator.List{listvalidator.SizeAtLeast(1), statusesValidator},
			},
			"severities": schema.ListAttribute{
				MarkdownDescription: "Typed filter: incidents of any of these severities: `" + strings.Join(esetapi.Severities[1:], "`, `") + "`.",
				Optional:            true,
				ElementType:         types.StringType,
				Validators:          []validator.List{listvalidator.SizeAtLeast(1), severitiesValidator},
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
				Validators:          []validator.List{listvalidator.SizeAtLeast(1), tagsAnyValidator},
			},
			"device_uuid": schema.StringAttribute{
				MarkdownDescription: "Typed filter: incidents that involve this device (a uuid).",
				Optional:            true,
				Validators:          []validator.String{uuidValidator{}},
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
			"effective_filter": schema.StringAttribute{
				MarkdownDescription: "The filter sent to the API: the typed filters compiled to CEL, joined with `filter` by `&&`.",
				Computed:            true,
			},
			"truncated": schema.BoolAttribute{
				MarkdownDescription: "`true` when `max_results` stopped the listing before the API's last page.",
				Computed:            true,
			},
			"ids": schema.ListAttribute{
				MarkdownDescription: "The uuids of `incidents`, in the same order.",
				Computed:            true,
				ElementType:         types.StringType,
			},
			"incidents": schema.ListNestedAttribute{
				MarkdownDescription: "The matching incidents, in the API's order.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: incidentSchemaAttributes()},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.BlockWithOpts(ctx, timeouts.Opts{
				ReadDescription: fmt.Sprintf("Bound on the whole read, retries and waits for slow queries included, as a duration "+
					"such as `\"30m\"`. Defaults to `%s`.", shortDuration(DefaultReadTimeout)),
			}),
		},
	}
}

func (d *IncidentsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *IncidentsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.data == nil {
		notConfigured(&resp.Diagnostics)
		return
	}
	state, diags := d.read(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The protocol server sends the encoded state as it is (see NewProtocol6Server); through the
	// framework it is decoded first.
	raw, err := tftypes.ValueFromMsgPack(state, req.Config.Raw.Type()) //nolint:staticcheck // The decoder Terraform's own plugin SDKs use.
	if err != nil {
		resp.Diagnostics.AddError("Unable to write state", err.Error())
		return
	}
	resp.State.Raw = raw
}

// read lists the incidents and returns the data source's whole state encoded as Terraform receives it.
func (d *IncidentsDataSource) read(ctx context.Context, config tfsdk.Config) ([]byte, diag.Diagnostics) {
	var model IncidentsDataSourceModel
	diags := config.Get(ctx, &model)
	if diags.HasError() {
		return nil, diags
	}
	ctx = maskSecrets(ctx, d.data.secrets)
	readTimeout, timeoutDiags := model.Timeouts.Read(ctx, DefaultReadTimeout)
	diags.Append(timeoutDiags...)
	if diags.HasError() {
		return nil, diags
	}
	ctx, cancel := context.WithTimeout(ctx, readTimeout)
	defer cancel()

	criteria, filter, filterDiags := model.effectiveFilter(ctx)
	diags.Append(filterDiags...)
	if diags.HasError() {
		return nil, diags
	}
	model.ID = types.StringValue(model.queryID(criteria))
	model.EffectiveFilter = types.StringValue(filter)
	head, headDiags := encodeKnownAttributes(ctx, config, &model)
	diags.Append(headDiags...)
	if diags.HasError() {
		return nil, diags
	}

	opts := esetapi.ListOptions{Filter: filter, OrderBy: model.OrderBy.ValueString(), MaxResults: int(model.MaxResults.ValueInt64())}
	result, pages, ids, err := d.list(ctx, opts, model.IncludeDetails.ValueBool())
	if err != nil {
		diags.AddError("Unable to read ESET incidents", readError(err, readTimeout))
		return nil, diags
	}
	if result.Duplicates > 0 {
		diags.AddWarning("ESET listed incidents twice",
			fmt.Sprintf("The API listed %d incidents a second time; each was kept once. Incidents that move between pages while a "+
				"listing runs can also be skipped: an order that new incidents do not disturb, such as order_by = \"create_time\", avoids both.", result.Duplicates))
	}
	return assembleState(head, result, pages, ids), diags
}

// effectiveFilter compiles the typed filters and joins them to filter: the filter sent to the API.
func (m *IncidentsDataSourceModel) effectiveFilter(ctx context.Context) (query.Criteria, string, diag.Diagnostics) {
	criteria, diags := m.criteria(ctx)
	if diags.HasError() {
		return criteria, "", diags
	}
	typed, err := criteria.Expression(time.Now())
	if err != nil {
		diags.AddError("Invalid typed filter", err.Error())
		return criteria, "", diags
	}
	filter := query.And(typed, m.Filter.ValueString())
	// The typed filters were checked one by one; joined with filter they must still make one valid query.
	addProblems(&diags, path.Root("effective_filter"), errorsOnly(query.Check(filter)))
	return criteria, filter, diags
}

// listedAttributes are the attributes a listing fills in; the others are known before it.
var listedAttributes = []string{"incidents", "ids", "truncated"}

// encodeKnownAttributes starts the encoded state: the header of the state object, for all its attributes,
// and the attributes known before the listing (arguments, id, effective_filter). MessagePack maps need no
// key order, so the listed ones follow.
func encodeKnownAttributes(ctx context.Context, config tfsdk.Config, model *IncidentsDataSourceModel) (msgpackBuffer, diag.Diagnostics) {
	state := tfsdk.State{Schema: config.Schema, Raw: tftypes.NewValue(config.Raw.Type(), nil)}
	diags := state.Set(ctx, model)
	if diags.HasError() {
		return nil, diags
	}
	var attrs map[string]tftypes.Value
	if err := state.Raw.As(&attrs); err != nil {
		diags.AddError("Unable to write state", err.Error())
		return nil, diags
	}
	known := maps.Clone(attrs)
	for _, name := range listedAttributes {
		delete(known, name)
	}
	var head msgpackBuffer
	head.mapLen(len(attrs))
	if err := head.attributes(known); err != nil {
		diags.AddError("Unable to write state", err.Error())
	}
	return head, diags
}

// assembleState completes the encoded state with the listing, in one allocation of the exact size:
// growing one buffer page by page would leave a trail of ever larger copies for the garbage collector,
// which for 100,000 incidents shows in the process's peak RSS.
func assembleState(head msgpackBuffer, result esetapi.ListResult, pages []msgpackBuffer, ids msgpackBuffer) msgpackBuffer {
	size := len(head) + len(ids) + 64
	for _, p := range pages {
		size += len(p)
	}
	encoded := make(msgpackBuffer, 0, size)
	encoded = append(encoded, head...)
	encoded.str("incidents")
	encoded.arrayLen(result.Incidents)
	for i, p := range pages {
		encoded = append(encoded, p...)
		pages[i] = nil // each page can go as soon as it is copied
	}
	encoded.str("ids")
	encoded.arrayLen(result.Incidents)
	encoded = append(encoded, ids...)
	encoded.str("truncated")
	encoded.bool(result.Truncated)
	return encoded
}

// list reads the incidents and encodes each page as it arrives, so that no decoded page outlives its
// encoding; it returns the encoded pages and the incidents' uuids, encoded too. With details, the listed
// incidents are kept until their detail calls have filled them in.
func (d *IncidentsDataSource) list(ctx context.Context, opts esetapi.ListOptions, details bool) (esetapi.ListResult, []msgpackBuffer, msgpackBuffer, error) {
	var (
		listed []esetapi.Incident
		pages  []msgpackBuffer
		ids    msgpackBuffer
	)
	encode := func(incidents []esetapi.Incident) {
		var page msgpackBuffer
		for i := range incidents {
			encodeIncident(&page, &incidents[i])
			ids.str(incidents[i].UUID)
		}
		pages = append(pages, page)
	}
	result, err := d.data.client.ListIncidents(ctx, opts, func(page []esetapi.Incident) error {
		if details {
			listed = append(listed, page...)
		} else {
			encode(page)
		}
		return nil
	})
	if err != nil {
		return result, nil, nil, err
	}
	if details {
		err = d.data.client.IncidentDetails(ctx, listed, d.data.maxConcurrency, func(i int, inc *esetapi.Incident) { listed[i] = *inc })
		if err != nil {
			return result, nil, nil, err
		}
		encode(listed)
	}
	return result, pages, ids, nil
}

// criteria gathers the typed filters.
func (m *IncidentsDataSourceModel) criteria(ctx context.Context) (query.Criteria, diag.Diagnostics) {
	var diags diag.Diagnostics
	c := query.Criteria{
		CreatedAfter:        m.CreatedAfter.ValueString(),
		CreatedBefore:       m.CreatedBefore.ValueString(),
		CreatedWithin:       m.CreatedWithin.ValueString(),
		AssigneeUUID:        m.AssigneeUUID.ValueString(),
		DeviceUUID:          m.DeviceUUID.ValueString(),
		DisplayNameContains: m.DisplayNameContains.ValueString(),
		Unassigned:          m.Unassigned.ValueBool(),
	}
	for _, l := range []struct {
		list types.List
		to   *[]string
	}{{m.Statuses, &c.Statuses}, {m.Severities, &c.Severities}, {m.TagsAny, &c.TagsAny}} {
		if !l.list.IsNull() {
			diags.Append(l.list.ElementsAs(ctx, l.to, false)...)
		}
	}
	return c, diags
}

// queryID hashes the arguments, so that the same query has the same id on every run (even when
// created_within makes the compiled filter differ from one run to the next).
func (m *IncidentsDataSourceModel) queryID(criteria query.Criteria) string {
	key, _ := json.Marshal([]any{m.Filter.ValueString(), m.OrderBy.ValueString(), m.MaxResults.ValueInt64(), m.IncludeDetails.ValueBool(), criteria})
	sum := sha256.Sum256(key)
	return hex.EncodeToString(sum[:16])
}
