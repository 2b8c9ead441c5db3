package query

import (
	"fmt"
	"strings"
	"testing"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

func ptr(s string) *string { return &s }

// incA and incB differ in every field a filter can name.
var (
	incA = &esetapi.Incident{
		UUID: "a", DisplayName: "Ransomware on WS-01", Description: "encrypted files",
		AssigneeUUID: ptr("user-1"),
		CreateTime:   "2025-04-10T08:00:00Z", UpdateTime: "2025-04-12T09:30:00+02:00",
		Severity: "INCIDENT_SEVERITY_LEVEL_HIGH", Status: "INCIDENT_STATUS_OPEN", ResolveReason: "",
		Tags: []string{"ransomware", "prod"}, TriageDuration: ptr("3600s"),
		Metrics:     esetapi.IncidentMetrics{DeviceCount: 3, ExecutableCount: 2, ProcessCount: 5},
		DeviceUUIDs: []string{"dev-1", "dev-2"}, DetectionUUIDs: []string{"det-1"},
	}
	incB = &esetapi.Incident{
		UUID: "b", DisplayName: `Suspicious "script" 日本`,
		CreateTime: "2025-03-01T00:00:00+00:00", UpdateTime: "2025-03-01T00:00:00Z",
		Severity: "", Status: "INCIDENT_STATUS_CLOSED", ResolveReason: "INCIDENT_RESOLVE_REASON_FALSE_POSITIVE",
		ResponseDuration: ptr("later"),
	}
)

func TestMatch(t *testing.T) {
	tests := []struct {
		expr         string
		wantA, wantB bool
	}{
		{``, true, true},
		{`true`, true, true},
		// Both spellings, prefixed and bare.
		{`incident.display_name == "Ransomware on WS-01"`, true, false},
		{`incident.displayName == "Ransomware on WS-01"`, true, false},
		{`display_name == "Ransomware on WS-01"`, true, false},
		{`displayName.contains("WS")`, true, false},
		{`!incident.displayName.contains("WS")`, false, true},
		{`incident.display_name.contains("\"script\" 日本")`, false, true},
		{`incident.uuid == "b"`, false, true},
		// Comprehension macros, as CEL evaluates them.
		{`incident.tags.exists(t, t == "prod")`, true, false},
		{`incident.tags.all(t, t != "prod")`, false, true},
		{`incident.tags.exists_one(t, t.contains("pr"))`, true, false},
		{`incident.tags.exists_one(t, t.contains("o"))`, false, false},
		{`incident.tags.filter(t, t == "prod").size() == 1`, true, false},
		{`incident.tags.map(t, t + "!").exists(t, t == "prod!")`, true, false},
		{`incident.description.contains("files")`, true, false},
		// Absent assignee: has() false, equal to no string.
		{`has(incident.assignee_uuid)`, true, false},
		{`!has(incident.assignee_uuid)`, false, true},
		{`incident.assignee_uuid == "user-1"`, true, false},
		{`incident.assigneeUuid != "user-1"`, false, true},
		{`assignee_uuid == ""`, false, false},
		{`incident.assignee_uuid != "uuid"`, true, true},
		// Timestamps, with offsets and duration arithmetic.
		{`incident.create_time >= timestamp("2025-04-01T00:00:00Z")`, true, false},
		{`incident.createTime < timestamp("2025-04-01T00:00:00+02:00")`, false, true},
		{`create_time <= timestamp("2025-03-01T00:00:00Z")`, false, true},
		{`incident.create_time > timestamp("2025-03-01T00:00:00Z")`, true, false},
		{`incident.create_time == timestamp("2025-03-01T02:00:00+02:00")`, false, true},
		{`incident.update_time >= timestamp("2025-04-12T07:30:00Z")`, true, false},
		{`incident.update_time >= timestamp("2025-04-12T07:40:00Z") - duration("10m")`, true, false},
		{`incident.updateTime > timestamp("2025-04-12T07:40:00Z") - duration('10m')`, false, false},
		{`incident.create_time >= timestamp("2025-04-07T00:00:00Z") && incident.create_time <= timestamp("2025-04-18T23:59:59Z")`, true, false},
		// Enums: identifiers and strings, == and in, unspecified default.
		{`incident.status == INCIDENT_STATUS_OPEN`, true, false},
		{`incident.status == "INCIDENT_STATUS_CLOSED"`, false, true},
		{`status in [INCIDENT_STATUS_IN_PROGRESS, INCIDENT_STATUS_OPEN]`, true, false},
		{`!(incident.status in [INCIDENT_STATUS_OPEN])`, false, true},
		{`incident.severity == INCIDENT_SEVERITY_LEVEL_HIGH`, true, false},
		{`incident.severity == INCIDENT_SEVERITY_LEVEL_UNSPECIFIED`, false, true},
		{`incident.severity in [INCIDENT_SEVERITY_LEVEL_MEDIUM, INCIDENT_SEVERITY_LEVEL_HIGH]`, true, false},
		{`incident.severity == INCIDENT_SEVERITY_LEVEL_CRITICAL`, false, false},
		{`has(incident.severity)`, true, false},
		{`incident.resolve_reason == INCIDENT_RESOLVE_REASON_UNSPECIFIED`, true, false},
		{`incident.resolveReason == INCIDENT_RESOLVE_REASON_FALSE_POSITIVE`, false, true},
		// Lists: contains, in, size in both forms.
		{`incident.device_uuids.contains("dev-2")`, true, false},
		{`incident.deviceUuids.contains("dev-3")`, false, false},
		{`incident.tags.contains("prod")`, true, false},
		{`"ransomware" in tags`, true, false},
		{`size(incident.device_uuids) >= 2`, true, false},
		{`incident.device_uuids.size() == 0`, false, true},
		{`incident.detectionUuids.size() == 1`, true, false},
		{`has(incident.tags)`, true, false},
		// Metrics as ints.
		{`incident.metrics.device_count == 3`, true, false},
		{`incident.metrics.deviceCount > 2 && metrics.process_count == 5`, true, false},
		{`incident.metrics.executableCount != 0`, true, false},
		{`has(incident.metrics.device_count)`, true, false},
		{`has(incident.metrics)`, true, true},
		// Durations.
		{`incident.triage_duration == duration("1h")`, true, false},
		{`has(incident.triageDuration)`, true, false},
		{`has(incident.response_duration)`, false, true},
		// Logic.
		{`incident.status == INCIDENT_STATUS_OPEN || incident.severity == INCIDENT_SEVERITY_LEVEL_UNSPECIFIED`, true, true},
		{`(incident.status == INCIDENT_STATUS_OPEN && has(incident.assignee_uuid)) || incident.tags.size() > 5`, true, false},
		{`incident.device_uuids.contains("uuid") //an array of device_uuids contains the required uuid`, false, false},
		// Warned but evaluable.
		{`incident.display_name.startsWith("Ransom")`, true, false},
	}
	for _, tt := range tests {
		p, err := Compile(tt.expr)
		if err != nil {
			t.Fatalf("Compile(%q): %v", tt.expr, err)
		}
		for _, c := range []struct {
			inc  *esetapi.Incident
			want bool
		}{{incA, tt.wantA}, {incB, tt.wantB}} {
			got, err := p.Match(c.inc)
			if err != nil {
				t.Errorf("%q on %s: %v", tt.expr, c.inc.UUID, err)
			} else if got != c.want {
				t.Errorf("%q on %s = %v, want %v", tt.expr, c.inc.UUID, got, c.want)
			}
		}
	}
}

func TestCompileFailsExactlyOnCheckErrors(t *testing.T) {
	for _, expr := range []string{
		`incident.status != INCIDENT_STATUS_OPEN`,
		`incident.status ==`,
		docsBadTimestamp,
		`incident.severity < INCIDENT_SEVERITY_LEVEL_HIGH && incident.create_time > timestamp("x")`,
	} {
		_, err := Compile(expr)
		if err == nil {
			t.Fatalf("Compile(%q) succeeded", expr)
		}
		var details []string
		for _, p := range Check(expr, Lenient) {
			if p.Severity == ProblemError {
				details = append(details, p.Detail)
			}
		}
		if err.Error() != strings.Join(details, "\n") {
			t.Errorf("Compile(%q) error %q, want the details of Check's errors %q", expr, err, details)
		}
	}
	// Warnings do not stop compilation.
	for _, expr := range append([]string{`incident.severity == INCIDENT_SEVERITY_LEVEL_CRITICAL`, `foo == 1`}, docsExamples...) {
		if _, err := Compile(expr); err != nil {
			t.Errorf("Compile(%q): %v", expr, err)
		}
	}
}

func TestMatchErrors(t *testing.T) {
	tests := []struct {
		expr string
		inc  *esetapi.Incident
		want string
	}{
		{`incident.foo == 1`, incA, "foo"},
		{`bar == 1`, incA, "bar"},
		{`incident.create_time > timestamp("2025-01-01T00:00:00Z")`, &esetapi.Incident{UUID: "c", CreateTime: "yesterday"}, "RFC 3339"},
		{`incident.display_name`, incA, "not to true or false"},
	}
	for _, tt := range tests {
		p, err := Compile(tt.expr)
		if err != nil {
			t.Fatalf("Compile(%q): %v", tt.expr, err)
		}
		if _, err := p.Match(tt.inc); err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.inc.UUID) {
			t.Errorf("%q: error %v, want one mentioning %q and the incident", tt.expr, err, tt.want)
		}
	}
}

func BenchmarkMatch(b *testing.B) {
	p, err := Compile(`incident.status in [INCIDENT_STATUS_OPEN, INCIDENT_STATUS_IN_PROGRESS] && incident.create_time >= timestamp("2025-04-01T00:00:00Z") && !has(incident.assignee_uuid) || incident.display_name.contains("WS")`)
	if err != nil {
		b.Fatal(err)
	}
	incs := make([]*esetapi.Incident, 1000)
	for i := range incs {
		inc := *incA
		inc.DisplayName = fmt.Sprintf("incident %d", i)
		incs[i] = &inc
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := p.Match(incs[i%len(incs)]); err != nil {
			b.Fatal(err)
		}
	}
}
