package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// metricsType and incidentType describe one incident in state. Both data sources share them, so an
// incident reads the same wherever it comes from.
var (
	metricsType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"device_count":     types.Int64Type,
		"executable_count": types.Int64Type,
		"process_count":    types.Int64Type,
	}}
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
		"metrics":           metricsType,
		"device_uuids":      stringList,
		"detection_uuids":   stringList,
	}}
)

// incidentAttributes converts an API incident into state values. Lists the API left out read as empty,
// except device and detection uuids, which stay null when the call that read the incident does not send
// them. The values are built directly rather than by reflection over a struct, since a large tenant's
// read converts 100,000 incidents.
func incidentAttributes(inc *esetapi.Incident) map[string]attr.Value {
	return map[string]attr.Value{
		"uuid":              types.StringValue(inc.UUID),
		"display_name":      types.StringValue(inc.DisplayName),
		"description":       types.StringValue(inc.Description),
		"assignee_uuid":     types.StringPointerValue(inc.AssigneeUUID),
		"create_time":       types.StringValue(inc.CreateTime),
		"update_time":       types.StringValue(inc.UpdateTime),
		"severity":          types.StringValue(inc.Severity),
		"status":            types.StringValue(inc.Status),
		"resolve_reason":    types.StringValue(inc.ResolveReason),
		"tags":              stringListValue(inc.Tags, false),
		"triage_duration":   types.StringPointerValue(inc.TriageDuration),
		"response_duration": types.StringPointerValue(inc.ResponseDuration),
		"metrics": basetypes.NewObjectValueMust(metricsType.AttrTypes, map[string]attr.Value{
			"device_count":     types.Int64Value(int64(inc.Metrics.DeviceCount)),
			"executable_count": types.Int64Value(int64(inc.Metrics.ExecutableCount)),
			"process_count":    types.Int64Value(int64(inc.Metrics.ProcessCount)),
		}),
		"device_uuids":    stringListValue(inc.DeviceUUIDs, true),
		"detection_uuids": stringListValue(inc.DetectionUUIDs, true),
	}
}

func incidentValue(inc *esetapi.Incident) attr.Value {
	return basetypes.NewObjectValueMust(incidentType.AttrTypes, incidentAttributes(inc))
}

// stringListValue converts a list; nil is null when nilIsNull, else empty.
func stringListValue(values []string, nilIsNull bool) types.List {
	if values == nil && nilIsNull {
		return types.ListNull(types.StringType)
	}
	elems := make([]attr.Value, len(values))
	for i, v := range values {
		elems[i] = types.StringValue(v)
	}
	return basetypes.NewListValueMust(types.StringType, elems)
}
