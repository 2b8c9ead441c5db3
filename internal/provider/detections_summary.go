package provider

import (
	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/provider/record"
)

// detectionsSummary is eset_detections' summary, made as incidentsSummary is: counts and times over every
// detection read, worked out page by page. Its size grows with the number of distinct severities,
// categories, devices and threat names, never with the detections'.
var detectionsSummary = record.NewSummary(
	record.Count[esetapi.Detection]("total", "Number of detections read.", nil),
	record.CountBy("by_severity", "Detections per `severity_level`, e.g. `{ SEVERITY_LEVEL_HIGH = 3 }`.", nil,
		func(d *esetapi.Detection) string { return d.SeverityLevel }),
	record.CountBy("by_category", "Detections per `category`.", nil,
		func(d *esetapi.Detection) string { return d.Category }),
	record.CountBy("by_device", "Detections per `device_uuid`: with `eset_devices`, the devices and groups that see the most.", nil,
		func(d *esetapi.Detection) string { return d.Context.DeviceUUID }),
	record.CountBy("by_display_name", "Detections per `display_name`, the threat or rule: what is seen most.", nil,
		func(d *esetapi.Detection) string { return d.DisplayName }),
	record.Earliest("oldest_occur_time", "The earliest `occur_time`, as the API sent it; null when no detection was read.", nil,
		func(d *esetapi.Detection) string { return d.OccurTime }),
	record.Latest("newest_occur_time", "The latest `occur_time`, as the API sent it; null when no detection was read.", nil,
		func(d *esetapi.Detection) string { return d.OccurTime }),
)
