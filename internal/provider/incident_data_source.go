package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// Ensure the implementation satisfies the expected interfaces.
var _ datasource.DataSourceWithConfigure = &IncidentDataSource{}

// NewIncidentDataSource makes the eset_incident data source.
func NewIncidentDataSource() datasource.DataSource {
	return &IncidentDataSource{}
}

// IncidentDataSource reads one incident with its device and detection uuids.
type IncidentDataSource struct {
	data *providerData
}

func (d *IncidentDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_incident"
}

func (d *IncidentDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := incidentRecord.SchemaAttributes()
	attributes["uuid"] = schema.StringAttribute{
		MarkdownDescription: "Unique identifier of the incident to read (a uuid).",
		Required:            true,
		Validators:          []validator.String{uuidValidator{}},
	}
	attributes["id"] = schema.StringAttribute{
		MarkdownDescription: "The incident's uuid.",
		Computed:            true,
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one incident by uuid with `GET /v2/incidents/{uuid}`, including `device_uuids` and " +
			"`detection_uuids`, which the list call leaves out. A missing incident is an error.",
		Attributes: attributes,
		Blocks: map[string]schema.Block{
			"timeouts": readTimeoutsBlock(ctx, "Bound on the read, retries included, such as `\"5m\"`."),
		},
	}
}

func (d *IncidentDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *IncidentDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var uuid types.String
	var timeout timeouts.Value
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("uuid"), &uuid)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("timeouts"), &timeout)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, readTimeout, cancel, ok := startRead(ctx, d.data, timeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	inc, err := d.data.client.GetIncident(ctx, uuid.ValueString())
	if errors.Is(err, esetapi.ErrNotFound) {
		resp.Diagnostics.AddAttributeError(path.Root("uuid"), "ESET incident not found",
			fmt.Sprintf("No incident with uuid %q exists in this account and region: %v", uuid.ValueString(), err))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Unable to read the ESET incident", readError(err, readTimeout))
		return
	}

	// State is the incident, with uuid and timeouts as configured: the same shape as in eset_incidents.
	state, diags := incidentRecord.Object(ctx, inc, map[string]attr.Value{"uuid": uuid, "id": types.StringValue(inc.UUID), "timeouts": timeout})
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}
