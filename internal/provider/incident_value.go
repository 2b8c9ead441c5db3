package provider

import (
	"context"
	"math/big"

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

	// The same types as Terraform's wire values. A large tenant's read converts 100,000 incidents, so
	// they are built as wire values directly: going through framework values and reflection over a model
	// struct costs several times the API client's own decoding.
	incidentWireType   = incidentType.TerraformType(context.Background()).(tftypes.Object)
	metricsWireType    = incidentWireType.AttributeTypes["metrics"]
	stringListWireType = tftypes.List{ElementType: tftypes.String}
)

// incidentWireAttributes converts an API incident into the wire values of its attributes. Lists the API
// left out read as empty, except device and detection uuids, which stay null when the call that read the
// incident does not send them.
func incidentWireAttributes(inc *esetapi.Incident) map[string]tftypes.Value {
	return map[string]tftypes.Value{
		"uuid":              tftypes.NewValue(tftypes.String, inc.UUID),
		"display_name":      tftypes.NewValue(tftypes.String, inc.DisplayName),
		"description":       tftypes.NewValue(tftypes.String, inc.Description),
		"assignee_uuid":     stringPointerWire(inc.AssigneeUUID),
		"create_time":       tftypes.NewValue(tftypes.String, inc.CreateTime),
		"update_time":       tftypes.NewValue(tftypes.String, inc.UpdateTime),
		"severity":          enumWire(inc.Severity),
		"status":            enumWire(inc.Status),
		"resolve_reason":    enumWire(inc.ResolveReason),
		"tags":              stringListWire(inc.Tags, false),
		"triage_duration":   stringPointerWire(inc.TriageDuration),
		"response_duration": stringPointerWire(inc.ResponseDuration),
		"metrics": tftypes.NewValue(metricsWireType, map[string]tftypes.Value{
			"device_count":     numberWire(int64(inc.Metrics.DeviceCount)),
			"executable_count": numberWire(int64(inc.Metrics.ExecutableCount)),
			"process_count":    numberWire(int64(inc.Metrics.ProcessCount)),
		}),
		"device_uuids":    stringListWire(inc.DeviceUUIDs, true),
		"detection_uuids": stringListWire(inc.DetectionUUIDs, true),
	}
}

func incidentWireValue(inc *esetapi.Incident) tftypes.Value {
	return tftypes.NewValue(incidentWireType, incidentWireAttributes(inc))
}

// Wire values are immutable, so the common ones are made once and shared by every incident: this saves
// most of the allocations of a conversion.
var (
	nullStringWire = tftypes.NewValue(tftypes.String, nil)
	nullListWire   = tftypes.NewValue(stringListWireType, nil)
	emptyListWire  = tftypes.NewValue(stringListWireType, []tftypes.Value{})
	enumWires      = map[string]tftypes.Value{}
	smallNumbers   [1024]tftypes.Value
)

func init() {
	for _, values := range [][]string{esetapi.Severities, esetapi.Statuses, esetapi.ResolveReasons} {
		for _, v := range values {
			enumWires[v] = tftypes.NewValue(tftypes.String, v)
		}
	}
	for i := range smallNumbers {
		smallNumbers[i] = tftypes.NewValue(tftypes.Number, new(big.Float).SetInt64(int64(i)))
	}
}

// enumWire converts an enum value, shared for the documented ones.
func enumWire(v string) tftypes.Value {
	if w, ok := enumWires[v]; ok {
		return w
	}
	return tftypes.NewValue(tftypes.String, v)
}

func stringPointerWire(s *string) tftypes.Value {
	if s == nil {
		return nullStringWire
	}
	return tftypes.NewValue(tftypes.String, *s)
}

func numberWire(n int64) tftypes.Value {
	if n >= 0 && n < int64(len(smallNumbers)) {
		return smallNumbers[n]
	}
	return tftypes.NewValue(tftypes.Number, new(big.Float).SetInt64(n))
}

// stringListWire converts a list; nil is null when nilIsNull, else empty.
func stringListWire(values []string, nilIsNull bool) tftypes.Value {
	switch {
	case values == nil && nilIsNull:
		return nullListWire
	case len(values) == 0:
		return emptyListWire
	}
	elems := make([]tftypes.Value, len(values))
	for i, v := range values {
		elems[i] = tftypes.NewValue(tftypes.String, v)
	}
	return tftypes.NewValue(stringListWireType, elems)
}
