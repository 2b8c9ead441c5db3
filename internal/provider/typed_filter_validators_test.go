package provider

import "testing"

// Typed filters and the incident's uuid are checked at plan time, with the typed filter's own helpful
// message, and null elements are refused rather than fail the read.
func TestAccTypedFilters_planTimeErrors(t *testing.T) {
	list := func(args string) string { return "data \"eset_incidents\" \"test\" {\n  " + args + "\n}" }
	expectPlanErrors(t, map[string]planError{
		"null status":         {list(`statuses = [null]`), `(?s)statuses.*element 0 is null`},
		"null severity":       {list(`severities = ["INCIDENT_SEVERITY_LEVEL_HIGH", null]`), `(?s)severities.*element 1 is null`},
		"null tag":            {list(`tags_any = [null]`), `(?s)tags_any.*element 0 is null`},
		"empty tag":           {list(`tags_any = ["vip", ""]`), `(?s)tags_any: a tag is empty`},
		"status alias":        {list(`statuses = ["INCIDENT_STATUS_NEW"]`), "(?s)statuses.*did\\s+you\\s+mean\\s+`INCIDENT_STATUS_OPEN`"},
		"severity typo":       {list(`severities = ["INCIDENT_SEVERITY_LEVEL_HIHG"]`), "(?s)severities.*did\\s+you\\s+mean\\s+`INCIDENT_SEVERITY_LEVEL_HIGH`"},
		"date only":           {list(`created_after = "2026-10-30"`), `(?s)created_after.*did\s+you\s+mean\s+"2026-10-30T00:00:00Z"`},
		"before, no zone":     {list(`created_before = "2026-10-30T10:00:00"`), `(?s)created_before.*did\s+you\s+mean\s+"2026-10-30T10:00:00Z"`},
		"device not a uuid":   {list(`device_uuid = "web-01"`), `(?s)device_uuid.*"web-01" is not a uuid`},
		"assignee not a uuid": {list(`assignee_uuid = "alice"`), `(?s)assignee_uuid.*"alice" is not a uuid`},
		"max_results wraps":   {list(`max_results = 4294967297`), `(?s)max_results.*between 1 and 10000000`},
		// *_UNSPECIFIED, the API's fallback for an absent value, is refused by every typed filter, and no
		// message lists it among the valid values.
		"status unspecified":   {list(`statuses = ["INCIDENT_STATUS_UNSPECIFIED"]`), `(?s)statuses.*"INCIDENT_STATUS_UNSPECIFIED".*fallback.*Valid\s+values\s+are\s+INCIDENT_STATUS_OPEN,`},
		"severity unspecified": {list(`severities = ["INCIDENT_SEVERITY_LEVEL_HIGH", "INCIDENT_SEVERITY_LEVEL_UNSPECIFIED"]`), `(?s)severities.*fallback.*Valid\s+values\s+are\s+INCIDENT_SEVERITY_LEVEL_LOW,`},
		"detection severity unspecified": {`data "eset_detections" "test" { severities = ["SEVERITY_LEVEL_UNSPECIFIED"] }`,
			`(?s)severities.*"SEVERITY_LEVEL_UNSPECIFIED".*fallback.*leave\s+severities\s+out.*Valid\s+values\s+are\s+SEVERITY_LEVEL_DIAGNOSTIC,`},
		"detection category unspecified": {`data "eset_detections" "test" { categories = ["DETECTION_CATEGORY_UNSPECIFIED"] }`,
			`(?s)categories.*fallback.*leave\s+categories\s+out.*Valid\s+values\s+are\s+DETECTION_CATEGORY_CORRELATION_RULE,`},
		"device status unspecified": {`data "eset_devices" "test" { functionality_status = "DEVICE_FUNCTIONALITY_STATUS_UNSPECIFIED" }`,
			`(?s)functionality_status.*fallback.*leave\s+functionality_status\s+out.*Valid\s+values\s+are\s+DEVICE_FUNCTIONALITY_STATUS_OK,`},
		"incident path":  {`data "eset_incident" "test" { uuid = "../../v2/incidents" }`, `(?s)uuid.*is not a uuid`},
		"incident slash": {`data "eset_incident" "test" { uuid = "00000000-0000-4000-8000-000000000001/x" }`, `(?s)uuid.*is not a uuid`},
	})
}
