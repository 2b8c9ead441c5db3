package provider

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/query"
)

// Ensure the implementation satisfies the expected interfaces.
var _ datasource.DataSourceWithConfigure = &DeviceGroupsDataSource{}

// NewDeviceGroupsDataSource makes the eset_device_groups data source.
func NewDeviceGroupsDataSource() datasource.DataSource {
	return &DeviceGroupsDataSource{}
}

// DeviceGroupsDataSource lists the device groups, or one subtree of them, with their paths.
type DeviceGroupsDataSource struct {
	data *providerData
}

// DeviceGroupsDataSourceModel describes the data source's arguments and results.
type DeviceGroupsDataSourceModel struct {
	PathPrefix types.String   `tfsdk:"path_prefix"`
	Groups     types.List     `tfsdk:"groups"`
	IDs        types.List     `tfsdk:"ids"`
	Timeouts   timeouts.Value `tfsdk:"timeouts"`
}

func (d *DeviceGroupsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_device_groups"
}

func (d *DeviceGroupsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the device groups (`GET /v1/device_groups`, every page) in the API's order, each with its " +
			"`path` from the root, so that a group is named unambiguously although names repeat across the tree. " +
			"Use a group's `uuid` as `eset_devices`' `group_uuid`.",
		Attributes: map[string]schema.Attribute{
			"path_prefix": schema.StringAttribute{
				MarkdownDescription: "Keep one subtree: the group with this path and the groups below it, matched on whole names " +
					"(`All/Servers` keeps `All/Servers` and `All/Servers/Linux`, not `All/Servers old`). A path that names no " +
					"group is an error, which suggests the nearest one. A `/` in a name is written `\\/`, as in `path`.",
				Optional: true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1),
					stringvalidator.RegexMatches(regexp.MustCompile(`[^/]$`), "must not end with /: write All/Servers, not All/Servers/")},
			},
			"groups": schema.ListNestedAttribute{
				MarkdownDescription: "The groups, in the API's order.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: deviceGroupRecord.SchemaAttributes()},
			},
			"ids": schema.ListAttribute{
				MarkdownDescription: "The uuids of `groups`, in the same order.",
				Computed:            true,
				ElementType:         types.StringType,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": readTimeoutsBlock(ctx, "Bound on the read, retries included, such as `\"5m\"`."),
		},
	}
}

func (d *DeviceGroupsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *DeviceGroupsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var model DeviceGroupsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, readTimeout, cancel, ok := startRead(ctx, d.data, model.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	var groups []esetapi.DeviceGroup
	if _, err := d.data.client.ListDeviceGroups(ctx, esetapi.DeviceGroupListOptions{}, esetapi.Collect(&groups)); err != nil {
		resp.Diagnostics.AddError("Unable to read ESET device groups", readError(err, readTimeout))
		return
	}
	paths := esetapi.GroupPaths(groups)
	prefix := model.PathPrefix.ValueString()
	var kept, ids []attr.Value
	for i := range groups {
		row := deviceGroupRow{DeviceGroup: groups[i], path: paths[groups[i].UUID]}
		if prefix != "" && row.path != prefix && !strings.HasPrefix(row.path, prefix+esetapi.GroupPathSeparator) {
			continue
		}
		group, diags := deviceGroupRecord.Object(ctx, &row, nil)
		resp.Diagnostics.Append(diags...)
		kept = append(kept, group)
		ids = append(ids, types.StringValue(row.UUID))
	}
	if prefix != "" && len(kept) == 0 {
		all := slices.Sorted(maps.Values(paths))
		resp.Diagnostics.AddAttributeError(path.Root("path_prefix"), "No such ESET device group",
			fmt.Sprintf("No group has the path %q (names from the root, joined by /, case-sensitive): did you mean %q? The groups are: %s.",
				prefix, query.Closest(prefix, all), esetapi.EscapeServerText(strings.Join(all, ", "))))
		return
	}
	var diags diag.Diagnostics
	model.Groups, diags = types.ListValue(deviceGroupRecord.Type(), kept)
	resp.Diagnostics.Append(diags...)
	model.IDs, diags = types.ListValue(types.StringType, ids)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}
