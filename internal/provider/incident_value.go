package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// incidentType describes one incident in state. Both data sources share it, so an incident reads the
// same wherever it comes from.
var (
	stringList   = types.ListType{ElemType: types.StringType}
	incidentType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"uuid":              types.StringType,
		"display_name":      types.StringType,
		"description":       types.StringType,
		"assignee_uuid":     types.StringType,
		"create_time":       types.StringType,
		"update_time":       types.StringType,
		"severity":          types.StringType,
		"status":            types.StringType,
		"resolve_reason":    types.StringType,
		"tags":              stringList,
		"triage_duration":   types.StringType,
		"response_duration": types.StringType,
		"metrics": types.ObjectType{AttrTypes: map[string]attr.Type{
			"device_count":     types.Int64Type,
			"executable_count": types.Int64Type,
			"process_count":    types.Int64Type,
		}},
		"device_uuids":    stringList,
		"detection_uuids": stringList,
	}}
	incidentWireType = incidentType.TerraformType(context.Background()).(tftypes.Object)
)

// encodeIncident writes an incident as Terraform receives it in state: an object with every attribute
// of incidentType, in name order. Lists the API left out read as empty, except device and detection
// uuids, which stay null when the call that read the incident does not send them. Strings are kept
// exactly as the API sent them.
func encodeIncident(b *msgpackBuffer, inc *esetapi.Incident) {
	b.mapLen(15)
	b.str("assignee_uuid")
	b.stringPointer(inc.AssigneeUUID)
	b.str("create_time")
	b.str(inc.CreateTime)
	b.str("description")
	b.str(inc.Description)
	b.str("detection_uuids")
	b.stringList(inc.DetectionUUIDs, true)
	b.str("device_uuids")
	b.stringList(inc.DeviceUUIDs, true)
	b.str("display_name")
	b.str(inc.DisplayName)
	b.str("metrics")
	b.mapLen(3)
	b.str("device_count")
	b.int(int64(inc.Metrics.DeviceCount))
	b.str("executable_count")
	b.int(int64(inc.Metrics.ExecutableCount))
	b.str("process_count")
	b.int(int64(inc.Metrics.ProcessCount))
	b.str("resolve_reason")
	b.str(inc.ResolveReason)
	b.str("response_duration")
	b.stringPointer(inc.ResponseDuration)
	b.str("severity")
	b.str(inc.Severity)
	b.str("status")
	b.str(inc.Status)
	b.str("tags")
	b.stringList(inc.Tags, false)
	b.str("triage_duration")
	b.stringPointer(inc.TriageDuration)
	b.str("update_time")
	b.str(inc.UpdateTime)
	b.str("uuid")
	b.str(inc.UUID)
}
