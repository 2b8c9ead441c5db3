package provider

import (
	"context"
	"errors"
	"fmt"
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
)

// Ensure the implementation satisfies the expected interfaces.
var _ datasource.DataSourceWithConfigure = &DeviceDataSource{}

// NewDeviceDataSource makes the eset_device data source.
func NewDeviceDataSource() datasource.DataSource {
	return &DeviceDataSource{}
}

// DeviceDataSource reads one device by uuid or by its console name.
type DeviceDataSource struct {
	data *providerData
}

func (d *DeviceDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_device"
}

func (d *DeviceDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := deviceRecord.SchemaAttributes()
	attributes["uuid"] = schema.StringAttribute{
		MarkdownDescription: "Unique identifier of the device to read. Exactly one of `uuid` and `display_name` is required.",
		Optional:            true,
		Computed:            true,
		Validators: []validator.String{uuidValidator{},
			stringvalidator.ExactlyOneOf(path.MatchRoot("uuid"), path.MatchRoot("display_name"))},
	}
	attributes["display_name"] = schema.StringAttribute{
		MarkdownDescription: "Console name of the device to read, matched exactly. A name that two devices share is an error " +
			"that lists both: give the `uuid` then.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one device by `uuid` (`GET /v1/devices/{uuid}`) or by `display_name` (`GET /v1/devices` " +
			"with `displayNames`). A device that does not exist, and a name that matches several devices, are errors.",
		Attributes: attributes,
		Blocks: map[string]schema.Block{
			"timeouts": readTimeoutsBlock(ctx, "Bound on the read, retries included, such as `\"5m\"`."),
		},
	}
}

func (d *DeviceDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *DeviceDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var uuid, name types.String
	var timeout timeouts.Value
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("uuid"), &uuid)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("display_name"), &name)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("timeouts"), &timeout)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, readTimeout, cancel, ok := startRead(ctx, d.data, timeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	var device *esetapi.Device
	var err error
	if !uuid.IsNull() {
		device, err = d.data.client.GetDevice(ctx, uuid.ValueString())
		if errors.Is(err, esetapi.ErrNotFound) {
			resp.Diagnostics.AddAttributeError(path.Root("uuid"), "ESET device not found",
				fmt.Sprintf("No device with uuid %q exists in this account and region: %v", uuid.ValueString(), err))
			return
		}
	} else {
		device, err = d.byName(ctx, name.ValueString(), &resp.Diagnostics)
	}
	if err != nil {
		resp.Diagnostics.AddError("Unable to read the ESET device", readError(err, readTimeout))
	}
	if device == nil {
		return
	}

	// State is the device, with timeouts as configured and uuid as given: the same shape as in eset_devices.
	extra := map[string]attr.Value{"timeouts": timeout}
	if !uuid.IsNull() {
		extra["uuid"] = uuid
	}
	state, diags := deviceRecord.Object(ctx, device, extra)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// byName finds the one device called name. No device, or several, is an error on display_name that says
// what to do; several are listed with what tells them apart.
func (d *DeviceDataSource) byName(ctx context.Context, name string, diags *diag.Diagnostics) (*esetapi.Device, error) {
	var devices []esetapi.Device
	if _, err := d.data.client.ListDevices(ctx, esetapi.DeviceListOptions{DisplayNames: []string{name}}, esetapi.Collect(&devices)); err != nil {
		return nil, err
	}
	switch len(devices) {
	case 1:
		return &devices[0], nil
	case 0:
		diags.AddAttributeError(path.Root("display_name"), "ESET device not found",
			fmt.Sprintf("No device is named %q in this account and region (names are matched exactly, as the console shows them). "+
				"eset_devices with display_names lists the names it cannot find in missing_display_names.", name))
		return nil, nil
	}
	paths := map[string]string{}
	var groups []esetapi.DeviceGroup
	if _, err := d.data.client.ListDeviceGroups(ctx, esetapi.DeviceGroupListOptions{}, esetapi.Collect(&groups)); err == nil {
		paths = esetapi.GroupPaths(groups)
	}
	candidates := make([]string, len(devices))
	for i, dev := range devices {
		group := paths[dev.ParentGroupUUID]
		if group == "" {
			group = "group " + dev.ParentGroupUUID
		}
		// Every part but the words around them came from the server.
		candidates[i] = esetapi.EscapeServerText(fmt.Sprintf("  - uuid %s in %s, last sync %s, original name %q", dev.UUID, group, dev.LastSyncTime, dev.OriginalDisplayName))
	}
	diags.AddAttributeError(path.Root("display_name"), "Several ESET devices have this name",
		fmt.Sprintf("%d devices are named %q:\n%s\nSet uuid to the one you mean instead of display_name.", len(devices), name, strings.Join(candidates, "\n")))
	return nil, nil
}
