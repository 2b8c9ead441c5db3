package provider

import (
	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/provider/record"
)

// incidentRecord is one incident's shape, in eset_incidents' list and in eset_incident alike, so that an
// incident reads the same wherever it comes from. Lists the API left out read as empty, except device and
// detection uuids, which stay null when the call that read the incident does not send them.
var incidentRecord = record.New(
	record.Str("uuid", "Unique identifier of the incident.",
		func(i *esetapi.Incident) string { return i.UUID }),
	record.Str("display_name", "Human-readable name of the incident.",
		func(i *esetapi.Incident) string { return i.DisplayName }),
	record.Str("description", "Text describing the incident; `\"\"` when it has none.",
		func(i *esetapi.Incident) string { return i.Description }),
	record.NullableStr("assignee_uuid", "User responsible for investigating the incident; null when unassigned.",
		func(i *esetapi.Incident) *string { return i.AssigneeUUID }),
	record.Str("create_time", "When the incident was created, an RFC 3339 timestamp exactly as the API sent it.",
		func(i *esetapi.Incident) string { return i.CreateTime }),
	record.Str("update_time", "When the incident was last updated, an RFC 3339 timestamp exactly as the API sent it.",
		func(i *esetapi.Incident) string { return i.UpdateTime }),
	record.Str("severity", "`INCIDENT_SEVERITY_LEVEL_LOW`, `_MEDIUM`, `_HIGH` (some consoles call it Critical) or "+
		"`_UNSPECIFIED`; values newer than the docs pass through unchanged.",
		func(i *esetapi.Incident) string { return i.Severity }),
	record.Str("status", "`INCIDENT_STATUS_OPEN`, `_IN_PROGRESS`, `_WAITING_FOR_INPUT`, `_CLOSED` or `_UNSPECIFIED`; "+
		"newer values pass through unchanged.",
		func(i *esetapi.Incident) string { return i.Status }),
	record.Str("resolve_reason", "Why a closed incident was resolved: `INCIDENT_RESOLVE_REASON_TRUE_POSITIVE`, "+
		"`_FALSE_POSITIVE`, `_SUSPICIOUS` or `_UNSPECIFIED`.",
		func(i *esetapi.Incident) string { return i.ResolveReason }),
	record.Strings("tags", "Tags of the incident; `[]` when it has none.",
		func(i *esetapi.Incident) []string { return i.Tags }),
	record.NullableStr("triage_duration", "How long the incident remained in triage, a duration such as `\"3600s\"` "+
		"as the API sent it; null when not yet triaged.",
		func(i *esetapi.Incident) *string { return i.TriageDuration }),
	record.NullableStr("response_duration", "How long it took to respond to the incident, as the API sent it; null "+
		"when not yet answered.",
		func(i *esetapi.Incident) *string { return i.ResponseDuration }),
	record.Obj("metrics", "Counts of what the incident involves.",
		record.Int("device_count", "Devices related to the incident.",
			func(i *esetapi.Incident) int64 { return int64(i.Metrics.DeviceCount) }),
		record.Int("executable_count", "Executables related to the incident.",
			func(i *esetapi.Incident) int64 { return int64(i.Metrics.ExecutableCount) }),
		record.Int("process_count", "Processes related to the incident.",
			func(i *esetapi.Incident) int64 { return int64(i.Metrics.ProcessCount) }),
	),
	record.NullableStrings("device_uuids", "Devices involved. Read by `GET /v2/incidents/{uuid}` only: null in "+
		"`eset_incidents` unless `include_details` is `true`.",
		func(i *esetapi.Incident) []string { return i.DeviceUUIDs }),
	record.NullableStrings("detection_uuids", "Detections that make up the incident. Read by `GET /v2/incidents/{uuid}` "+
		"only: null in `eset_incidents` unless `include_details` is `true`.",
		func(i *esetapi.Incident) []string { return i.DetectionUUIDs }),
)
