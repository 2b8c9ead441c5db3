package query

import (
	"reflect"
	"slices"
	"testing"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

func TestOrderBy(t *testing.T) {
	tests := []struct {
		orderBy string
		keys    []OrderKey
		wants   []want
	}{
		{"", nil, nil},
		{"   ", nil, nil},
		{"display_name, severity desc", []OrderKey{{"display_name", false}, {"severity", true}}, nil},
		{"create_time asc,update_time desc", []OrderKey{{"create_time", false}, {"update_time", true}}, []want{warn("asc", "default")}},
		{" status ,  device_uuids.count  desc , detection_uuids.count", []OrderKey{{"status", false}, {"device_uuids.count", true}, {"detection_uuids.count", false}}, nil},
		// camelCase: accepted with a warning.
		{"displayName", []OrderKey{{"display_name", false}}, []want{warn("`displayName`", "`display_name`", "snake_case")}},
		{"createTime desc, deviceUuids.count", []OrderKey{{"create_time", true}, {"device_uuids.count", false}}, []want{warn("`create_time`"), warn("`device_uuids.count`")}},
		{"updateTime, detectionUuids.count desc", []OrderKey{{"update_time", false}, {"detection_uuids.count", true}}, []want{warn("`update_time`"), warn("`detection_uuids.count`")}},
		{"severity, severity desc", []OrderKey{{"severity", false}, {"severity", true}}, []want{warn("`severity`", "more than once")}},
		// Errors list the valid fields.
		{"name", nil, []want{fail("`name`", "display_name, create_time, update_time, severity, status, device_uuids.count, detection_uuids.count")}},
		{"incident.display_name", nil, []want{fail("`incident.display_name`", "did you mean `display_name`?")}},
		{"create_tme desc", nil, []want{fail("`create_tme`", "did you mean `create_time`?")}},
		{"uuid", nil, []want{fail("`uuid`", "Valid fields")}},
		{"device_uuids", nil, []want{fail("`device_uuids`", "`device_uuids.count`")}},
		{"severity DESC", nil, []want{fail("`DESC`", "lower case", "Valid fields")}},
		{"severity descending", nil, []want{fail("`descending`", "`desc`")}},
		{"severity desc asc", nil, []want{fail("more than a field")}},
		{"display_name,", nil, []want{fail("Item 2", "empty")}},
		{"display_name,,status", nil, []want{fail("Item 2")}},
		{"displayName, nope", nil, []want{warn("`display_name`"), fail("`nope`")}},
	}
	for _, tt := range tests {
		assertProblems(t, tt.orderBy, CheckOrderBy(tt.orderBy, Lenient), tt.wants)
		assertProblems(t, tt.orderBy, CheckOrderBy(tt.orderBy, Strict), strictly(tt.wants))
		keys, err := ParseOrderBy(tt.orderBy)
		if hasError(CheckOrderBy(tt.orderBy, Lenient)) {
			if err == nil || keys != nil {
				t.Errorf("ParseOrderBy(%q) = %v, %v; want an error", tt.orderBy, keys, err)
			} else if err.Error() != errorText(CheckOrderBy(tt.orderBy, Lenient)) {
				t.Errorf("ParseOrderBy(%q) error %q is not the errors' details", tt.orderBy, err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(keys, tt.keys) {
			t.Errorf("ParseOrderBy(%q) = %v, %v; want %v", tt.orderBy, keys, err, tt.keys)
		}
	}
}

func TestCompare(t *testing.T) {
	incs := []*esetapi.Incident{
		{UUID: "1", DisplayName: "b", CreateTime: "2025-01-01T10:00:00+02:00", UpdateTime: "bad", Severity: "INCIDENT_SEVERITY_LEVEL_HIGH", Status: "INCIDENT_STATUS_CLOSED", DeviceUUIDs: []string{"x", "y"}},
		{UUID: "2", DisplayName: "a", CreateTime: "2025-01-01T09:00:00Z", UpdateTime: "2025-01-02T00:00:00Z", Severity: "", Status: "INCIDENT_STATUS_NEWER", DetectionUUIDs: []string{"d"}},
		{UUID: "3", DisplayName: "c", CreateTime: "2025-01-01T08:30:00Z", UpdateTime: "2025-01-01T00:00:00Z", Severity: "INCIDENT_SEVERITY_LEVEL_LOW", Status: "INCIDENT_STATUS_OPEN", DeviceUUIDs: []string{"z"}},
		{UUID: "4", DisplayName: "a", CreateTime: "2025-01-01T08:30:00Z", UpdateTime: "", Severity: "INCIDENT_SEVERITY_LEVEL_FATAL", Status: "INCIDENT_STATUS_UNSPECIFIED", DetectionUUIDs: []string{"d", "e"}},
	}
	tests := []struct {
		orderBy string
		want    []string // uuids in order
	}{
		{"", []string{"1", "2", "3", "4"}},
		{"display_name", []string{"2", "4", "1", "3"}},
		{"display_name desc", []string{"3", "1", "2", "4"}},
		{"create_time", []string{"1", "3", "4", "2"}}, // 10:00+02:00 is 08:00Z
		{"create_time desc, display_name", []string{"2", "4", "3", "1"}},
		{"update_time", []string{"3", "2", "4", "1"}}, // unparsable last, compared as text
		{"severity", []string{"2", "3", "1", "4"}},    // unspecified, low, high, undocumented
		{"severity desc", []string{"4", "1", "3", "2"}},
		{"status", []string{"4", "3", "1", "2"}},
		{"device_uuids.count desc", []string{"1", "3", "2", "4"}},
		{"detection_uuids.count", []string{"1", "3", "2", "4"}},
		{"displayName desc, status", []string{"3", "1", "4", "2"}},
	}
	for _, tt := range tests {
		keys, err := ParseOrderBy(tt.orderBy)
		if err != nil {
			t.Fatal(err)
		}
		sorted := slices.Clone(incs)
		slices.SortStableFunc(sorted, func(a, b *esetapi.Incident) int { return Compare(a, b, keys) })
		var got []string
		for _, inc := range sorted {
			got = append(got, inc.UUID)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("order by %q: got %v, want %v", tt.orderBy, got, tt.want)
		}
	}
	if c := Compare(incs[1], incs[3], []OrderKey{{Field: "display_name"}}); c != 0 {
		t.Errorf("tie compares %d, want 0", c)
	}
}
