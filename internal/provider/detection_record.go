package provider

import (
	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/provider/record"
)

// detectionRow is a listed (v1) detection with, when include_details asked for it, its v2 record.
type detectionRow struct {
	*esetapi.Detection
	details *esetapi.DetectionDetails
}

// detectionRecord is one detection's shape in eset_detections. Strings the API left out read as "".
var detectionRecord = record.New(
	record.Str("uuid", "Unique identifier of the detection: what incidents' `detection_uuids` hold.",
		func(d *detectionRow) string { return d.UUID }),
	record.Str("display_name", "Threat or rule name, e.g. `Win32/Kryptik.HXYZ trojan`.",
		func(d *detectionRow) string { return d.DisplayName }),
	record.Str("category", "`DETECTION_CATEGORY_ANTIVIRUS`, `_FIREWALL_RULE`, `_HIPS`, … or `_UNSPECIFIED` (deprecated by ESET "+
		"but still sent); newer values pass through unchanged.",
		func(d *detectionRow) string { return d.Category }),
	record.Str("severity_level", "`SEVERITY_LEVEL_DIAGNOSTIC`, `_INFORMATIONAL`, `_LOW`, `_MEDIUM`, `_HIGH` or `_UNSPECIFIED`; "+
		"newer values pass through unchanged.",
		func(d *detectionRow) string { return d.SeverityLevel }),
	record.Str("occur_time", "When the detection occurred, an RFC 3339 timestamp exactly as the API sent it (possibly with "+
		"fractional seconds).",
		func(d *detectionRow) string { return d.OccurTime }),
	record.Str("device_uuid", "The device it occurred on (see `eset_devices`).",
		func(d *detectionRow) string { return d.Context.DeviceUUID }),
	record.Str("object_name", "Name of the scanned object; `\"\"` when not sent.",
		func(d *detectionRow) string { return d.ObjectName }),
	record.Str("object_type_name", "Kind of the scanned object, e.g. `File` or `Memory`.",
		func(d *detectionRow) string { return d.ObjectTypeName }),
	record.Str("object_url", "URL or path of the scanned object.",
		func(d *detectionRow) string { return d.ObjectURL }),
	record.Str("object_hash_sha1", "SHA-1 of the object, hexadecimal as sent (upper case in practice).",
		func(d *detectionRow) string { return d.ObjectHashSHA1 }),
	record.Str("user_name", "User the detection happened under, e.g. `CORP\\jdoe`.",
		func(d *detectionRow) string { return d.Context.UserName }),
	record.Str("process_path", "Path of the process involved.",
		func(d *detectionRow) string { return d.Context.Process.Path }),
	record.NullableBool("resolved", "Whether the detection was marked resolved. Read with `include_details` only; null without.",
		func(d *detectionRow) *bool {
			if d.details == nil {
				return nil
			}
			return &d.details.Resolved
		}),
	record.NullableInt("severity_score", "ESET's score: 1 to 49 low, 50 to 59 medium, 60 to 100 high; 0 when not sent. Read "+
		"with `include_details` only; null without.",
		func(d *detectionRow) *int64 {
			if d.details == nil {
				return nil
			}
			score := int64(d.details.SeverityScore)
			return &score
		}),
	record.NullableStr("device_display_name", "Name of the device when the detection occurred. Read with `include_details` "+
		"only; null without.",
		func(d *detectionRow) *string {
			if d.details == nil {
				return nil
			}
			return &d.details.Device.DisplayName
		}),
)
