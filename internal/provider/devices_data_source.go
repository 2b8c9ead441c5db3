package provider

import (
	"context"
	"fmt"
	"strconv"
	"strings"

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

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// Ensure the implementation satisfies the expected interfaces.
var _ datasource.DataSourceWithConfigure = &DevicesDataSource{}

// NewDevicesDataSource makes the eset_devices data source.
func NewDevicesDataSource() datasource.DataSource {
	return &DevicesDataSource{}
}

// DevicesDataSource lists the devices that match host names, a group, addresses, tags or a status.
type DevicesDataSource struct {
	data *providerData
}

// DevicesDataSourceModel describes the data source's arguments and results.
type DevicesDataSourceModel struct {
	DisplayNames        types.List   `tfsdk:"display_names"`
	GroupUUID           types.String `tfsdk:"group_uuid"`
	RecurseSubgroups    types.Bool   `tfsdk:"recurse_subgroups"`
	FunctionalityStatus types.String `tfsdk:"functionality_status"`
	IPAddresses         types.List   `tfsdk:"ip_addresses"`
	TagsAny             types.List   `tfsdk:"tags_any"`
	MaxResults          types.Int64  `tfsdk:"max_results"`
	OnMissing           types.String `tfsdk:"on_missing"`

	Devices             types.List     `tfsdk:"devices"`
	IDs                 types.List     `tfsdk:"ids"`
	MissingDisplayNames types.List     `tfsdk:"missing_display_names"`
	MissingIPAddresses  types.List     `tfsdk:"missing_ip_addresses"`
	Truncated           types.Bool     `tfsdk:"truncated"`
	Timeouts            timeouts.Value `tfsdk:"timeouts"`
}

func (d *DevicesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_devices"
}

func (d *DevicesDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	nonEmptyStrings := listvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the managed devices that match every argument given, from the Device Management API's " +
			"`GET /v1/devices` (1000 devices per call), in the API's order, each device once. Turns the host names, addresses " +
			"and groups a configuration knows into ESET device uuids, for `eset_incidents`' `device_uuids` and " +
			"`eset_detections`' `device_uuids`. A read fails rather than return part of a listing.\n\n" +
			"**While devices change.** `GET /v1/devices` and a group's member list page by offset into the live list, with no " +
			"snapshot and no count to check against. A read lists each device at most once, and only devices that matched at " +
			"some point during it; but a device that matched for the whole read is missed when a device before it in the API's " +
			"order is removed from management, or (with `group_uuid`) leaves the group, between two calls of the read. The API " +
			"shows no sign of it. A tenant of up to 1000 devices (and group memberships) is read in one call per list, each " +
			"one state, and misses nothing.",
		Attributes: map[string]schema.Attribute{
			"display_names": schema.ListAttribute{
				MarkdownDescription: "Devices whose console name (`display_name`) equals one of these exactly, sent as the API's " +
					"`displayNames` in as few calls as the URL allows (about 200 names of 20 characters a call). When they need " +
					"several calls, the first page of every device is read first: if it is the tenant's last (up to 1000 devices), " +
					"the names are matched in it, exactly, in one call; otherwise it is dropped and the names sent, one call more. " +
					"Names that match no device are in `missing_display_names` " +
					"and in a warning (an error with `on_missing = \"error\"`).",
				Optional:    true,
				ElementType: types.StringType,
				Validators:  listValidators(nonEmptyStrings),
			},
			"group_uuid": schema.StringAttribute{
				MarkdownDescription: "Devices in this group (a uuid from `eset_device_groups`), read from " +
					"`GET /v1/device_groups/{uuid}/devices`. Group membership is stored apart from devices and may lag a little behind.",
				Optional:   true,
				Validators: []validator.String{uuidValidator{}},
			},
			"recurse_subgroups": schema.BoolAttribute{
				MarkdownDescription: "With `group_uuid`, also the devices of every subgroup. Defaults to `false`.",
				Optional:            true,
				Validators:          []validator.Bool{boolvalidator.AlsoRequires(path.MatchRoot("group_uuid"))},
			},
			"functionality_status": schema.StringAttribute{
				MarkdownDescription: "Devices in this state: `" + strings.Join(esetapi.FunctionalityStatuses[1:], "`, `") + "`.",
				Optional:            true,
				Validators:          []validator.String{enumValidator{esetapi.FunctionalityStatuses[1:]}},
			},
			"ip_addresses": schema.ListAttribute{
				MarkdownDescription: "Devices whose `primary_local_ip_address` or `public_ip_address` is one of these (compared as " +
					"addresses). The API has no such filter: every device is listed and compared. Many devices behind one NAT " +
					"share a public address, so one address may match many devices.",
				Optional:    true,
				ElementType: types.StringType,
				Validators:  listValidators(listvalidator.ValueStringsAre(ipAddressValidator{})),
			},
			"tags_any": schema.ListAttribute{
				MarkdownDescription: "Devices with at least one of these tags.",
				Optional:            true,
				ElementType:         types.StringType,
				Validators:          listValidators(nonEmptyStrings),
			},
			"max_results": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("Stop after this many devices (1 to %d). Unset means every matching device; "+
					"`truncated` tells whether more matched.", esetapi.MaxListed),
				Optional:   true,
				Validators: maxResultsValidators,
			},
			"on_missing": schema.StringAttribute{
				MarkdownDescription: "What a read does when a name of `display_names` or an address of `ip_addresses` matches no " +
					"device, or when no device matches at all: `\"warn\"` (the default) reads and warns, naming them; `\"error\"` fails " +
					"the read with the same message, so that a plan gate cannot pass on a misspelt host name.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(onMissingWarn, onMissingError)},
			},
			"devices": schema.ListNestedAttribute{
				MarkdownDescription: "The matching devices, in the API's order, each once (a device in several groups too).",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: deviceRecord.SchemaAttributes()},
			},
			"ids": schema.ListAttribute{
				MarkdownDescription: "The uuids of `devices`, in the same order.",
				Computed:            true,
				ElementType:         types.StringType,
			},
			"missing_display_names": schema.ListAttribute{
				MarkdownDescription: "The names of `display_names` that no device in `devices` has, in the order given: for a " +
					"gate, a machine ESET does not know (or does not protect) is itself a finding. `[]` without `display_names`.",
				Computed:    true,
				ElementType: types.StringType,
			},
			"missing_ip_addresses": schema.ListAttribute{
				MarkdownDescription: "The addresses of `ip_addresses` that no device in `devices` has, as written, in the order " +
					"given, compared as addresses as the filter does (`::ffff:10.0.0.1` is `10.0.0.1`): for a gate, an address " +
					"ESET does not know is itself a finding. `[]` without `ip_addresses`.",
				Computed:    true,
				ElementType: types.StringType,
			},
			"truncated": schema.BoolAttribute{
				MarkdownDescription: "`true` when `max_results` stopped the listing before every matching device was read.",
				Computed:            true,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": readTimeoutsBlock(ctx, "Bound on the whole read, retries included, such as `\"30m\"`."),
		},
	}
}

func (d *DevicesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *DevicesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	r, diags := d.read(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	model, found, list := r.model, r.devices, r.list
	devices := make([]attr.Value, len(found))
	ids := make([]attr.Value, len(found))
	for i := range found {
		devices[i], diags = deviceRecord.Object(ctx, &found[i], nil)
		resp.Diagnostics.Append(diags...)
		ids[i] = types.StringValue(found[i].UUID)
	}
	model.Devices, diags = types.ListValue(deviceRecord.Type(), devices)
	resp.Diagnostics.Append(diags...)
	model.IDs, diags = types.ListValue(types.StringType, ids)
	resp.Diagnostics.Append(diags...)
	model.MissingDisplayNames, diags = types.ListValueFrom(ctx, types.StringType, r.list.UnmatchedDisplayNames)
	resp.Diagnostics.Append(diags...)
	model.MissingIPAddresses, diags = types.ListValueFrom(ctx, types.StringType, r.list.UnmatchedIPAddresses)
	resp.Diagnostics.Append(diags...)
	model.Truncated = types.BoolValue(list.Truncated)
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}

// read lists the devices that config asks for; Read and the fast path's ReadState each write state from
// the configuration's model and the list in their own way.
func (d *DevicesDataSource) read(ctx context.Context, config tfsdk.Config) (devicesRead, diag.Diagnostics) {
	var model DevicesDataSourceModel
	diags := config.Get(ctx, &model)
	if diags.HasError() {
		return devicesRead{model: model}, diags
	}
	ctx, readTimeout, cancel, ok := startRead(ctx, d.data, model.Timeouts, &diags)
	if !ok {
		return devicesRead{model: model}, diags
	}
	defer cancel()

	opts := esetapi.DeviceListOptions{
		DisplayNames:        stringsOf(ctx, model.DisplayNames, &diags),
		FunctionalityStatus: model.FunctionalityStatus.ValueString(),
		GroupUUID:           model.GroupUUID.ValueString(),
		RecurseSubgroups:    model.RecurseSubgroups.ValueBool(),
		IPAddresses:         stringsOf(ctx, model.IPAddresses, &diags),
		TagsAny:             stringsOf(ctx, model.TagsAny, &diags),
		MaxResults:          int(model.MaxResults.ValueInt64()),
	}
	if diags.HasError() {
		return devicesRead{model: model}, diags
	}
	var devices []esetapi.Device
	list, err := d.data.client.ListDevices(ctx, opts, esetapi.Collect(&devices))
	if err != nil {
		diags.AddError("Unable to read ESET devices", readError(err, readTimeout))
		return devicesRead{model: model}, diags
	}
	if list.Duplicates > 0 {
		diags.AddWarning("ESET listed devices twice",
			fmt.Sprintf("The API listed %d devices a second time; each was kept once.", list.Duplicates))
	}
	r := devicesRead{model: model, devices: devices, list: list}
	r.reportMissing(&diags)
	return r, diags
}

// devicesRead is what a read found: the configuration's model, the devices, and the listing's result (its
// counts, and the names and addresses asked for that no device has).
type devicesRead struct {
	model   DevicesDataSourceModel
	devices []esetapi.Device
	list    esetapi.DeviceList
}

// The values of on_missing.
const (
	onMissingWarn  = "warn"
	onMissingError = "error"
)

// reportMissing says which names and addresses matched no device, and why the result is empty when it is,
// as a warning, or as an error with on_missing = "error": a gate that reads ids must not pass quietly on a
// misspelt host name, and an empty ids otherwise only fails downstream (device_uuids refuses []), far
// from its cause.
func (r *devicesRead) reportMissing(diags *diag.Diagnostics) {
	var missing, where []string
	if len(r.list.UnmatchedDisplayNames) > 0 {
		missing = append(missing, "display_names "+quotedList(r.list.UnmatchedDisplayNames))
		where = append(where, "missing_display_names")
	}
	if len(r.list.UnmatchedIPAddresses) > 0 {
		missing = append(missing, "ip_addresses "+quotedList(r.list.UnmatchedIPAddresses))
		where = append(where, "missing_ip_addresses")
	}
	empty := len(r.devices) == 0
	var summary, detail string
	switch {
	case empty && len(missing) > 0:
		summary = "No ESET device matched"
		detail = "No device matched: " + strings.Join(missing, " and ") + " were not found, so devices and ids are empty."
	case empty:
		summary = "No ESET device matched"
		detail = "No device matched: none in the account matches every argument given (" +
			strings.Join(r.model.setArguments(), ", ") + "), so devices and ids are empty."
	case len(missing) > 0:
		summary = "ESET devices not found"
		detail = strings.Join(missing, " and ") + " matched no device; they are in " + strings.Join(where, " and ") +
			", and the devices found are in devices and ids."
	default:
		return
	}
	if len(r.list.UnmatchedDisplayNames) > 0 {
		detail += " display_names compares each device's console name exactly, case included."
	}
	if r.list.Truncated {
		detail += " The listing stopped at max_results: some may be among the devices not read."
	}
	if r.model.OnMissing.ValueString() == onMissingError {
		diags.AddError(summary, detail)
		return
	}
	diags.AddWarning(summary, detail+` Set on_missing = "error" to fail the read instead, as a gate should.`)
}

// setArguments names the filtering arguments the configuration sets, for messages.
func (m *DevicesDataSourceModel) setArguments() []string {
	var set []string
	for _, a := range []struct {
		name  string
		value attr.Value
	}{
		{"display_names", m.DisplayNames}, {"group_uuid", m.GroupUUID}, {"functionality_status", m.FunctionalityStatus},
		{"ip_addresses", m.IPAddresses}, {"tags_any", m.TagsAny},
	} {
		if !a.value.IsNull() {
			set = append(set, a.name)
		}
	}
	if len(set) == 0 {
		return []string{"none: every device"}
	}
	return set
}

// quotedList writes values as "a", "b", "c".
func quotedList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = strconv.Quote(v)
	}
	return strings.Join(quoted, ", ")
}

// stringsOf is a list argument's strings; nil when it is null. A conversion error (a null element the
// validators missed) goes to diags, never dropped: a list read as nil would widen the read.
func stringsOf(ctx context.Context, l types.List, diags *diag.Diagnostics) []string {
	if l.IsNull() || l.IsUnknown() {
		return nil
	}
	var out []string
	diags.Append(l.ElementsAs(ctx, &out, false)...)
	return out
}
