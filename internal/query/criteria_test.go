package query

import (
	"strings"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

func TestCriteriaExpression(t *testing.T) {
	now := time.Date(2025, 4, 12, 12, 0, 0, 500, time.FixedZone("CEST", 2*3600))
	tests := []struct {
		name         string
		c            Criteria
		want         string
		wantA, wantB bool
	}{
		{"empty", Criteria{}, "", true, true},
		{"one status", Criteria{Statuses: []string{"INCIDENT_STATUS_OPEN"}},
			"incident.status == INCIDENT_STATUS_OPEN", true, false},
		{"statuses", Criteria{Statuses: []string{"INCIDENT_STATUS_OPEN", "INCIDENT_STATUS_CLOSED", "INCIDENT_STATUS_OPEN"}},
			"incident.status in [INCIDENT_STATUS_OPEN, INCIDENT_STATUS_CLOSED]", true, true},
		{"severities", Criteria{Severities: []string{"INCIDENT_SEVERITY_LEVEL_MEDIUM", "INCIDENT_SEVERITY_LEVEL_LOW"}},
			"incident.severity in [INCIDENT_SEVERITY_LEVEL_MEDIUM, INCIDENT_SEVERITY_LEVEL_LOW]", false, false},
		{"created after", Criteria{CreatedAfter: "2025-04-10T08:00:00Z"},
			`incident.create_time >= timestamp("2025-04-10T08:00:00Z")`, true, false},
		{"created before", Criteria{CreatedBefore: "2025-04-10T10:00:00+02:00"},
			`incident.create_time < timestamp("2025-04-10T10:00:00+02:00")`, false, true},
		{"created within hours", Criteria{CreatedWithin: "52h"},
			`incident.create_time >= timestamp("2025-04-10T06:00:00Z")`, true, false},
		{"created within days", Criteria{CreatedWithin: "3d"},
			`incident.create_time >= timestamp("2025-04-09T10:00:00Z")`, true, false},
		{"created within days and minutes", Criteria{CreatedWithin: "1d90m"},
			`incident.create_time >= timestamp("2025-04-11T08:30:00Z")`, false, false},
		{"assignee", Criteria{AssigneeUUID: "user-1"}, `incident.assignee_uuid == "user-1"`, true, false},
		{"unassigned", Criteria{Unassigned: true}, `!has(incident.assignee_uuid)`, false, true},
		{"one tag", Criteria{TagsAny: []string{"prod"}}, `incident.tags.contains("prod")`, true, false},
		{"tags", Criteria{TagsAny: []string{"x", `"q"`, "x"}},
			`(incident.tags.contains("x") || incident.tags.contains("\"q\""))`, false, false},
		{"device", Criteria{DeviceUUID: "dev-2"}, `incident.device_uuids.contains("dev-2")`, true, false},
		{"one of devices", Criteria{DeviceUUIDs: []string{"dev-2"}}, `incident.device_uuids.contains("dev-2")`, true, false},
		{"any of devices", Criteria{DeviceUUIDs: []string{"dev-3", "dev-2", "dev-3"}},
			`(incident.device_uuids.contains("dev-3") || incident.device_uuids.contains("dev-2"))`, true, false},
		{"upper-case uuids", Criteria{DeviceUUIDs: []string{"DEV-2", "dev-2"}, AssigneeUUID: "USER-1"},
			`incident.assignee_uuid == "user-1" && incident.device_uuids.contains("dev-2")`, true, false},
		{"upper-case device", Criteria{DeviceUUID: "DEV-2"}, `incident.device_uuids.contains("dev-2")`, true, false},
		{"display name", Criteria{DisplayNameContains: `"script" 日本`},
			`incident.display_name.contains("\"script\" 日本")`, false, true},
		{"display name injection", Criteria{DisplayNameContains: `") || true || ("`},
			`incident.display_name.contains("\") || true || (\"")`, false, false},
		{"combined", Criteria{
			Statuses: []string{"INCIDENT_STATUS_OPEN", "INCIDENT_STATUS_IN_PROGRESS"}, Severities: []string{"INCIDENT_SEVERITY_LEVEL_HIGH"},
			CreatedAfter: "2025-04-01T00:00:00Z", CreatedBefore: "2025-05-01T00:00:00Z", CreatedWithin: "7d",
			AssigneeUUID: "user-1", TagsAny: []string{"prod", "dev"}, DeviceUUID: "dev-1", DisplayNameContains: "WS",
		}, `incident.status in [INCIDENT_STATUS_OPEN, INCIDENT_STATUS_IN_PROGRESS] && ` +
			`incident.severity == INCIDENT_SEVERITY_LEVEL_HIGH && ` +
			`incident.create_time >= timestamp("2025-04-01T00:00:00Z") && ` +
			`incident.create_time < timestamp("2025-05-01T00:00:00Z") && ` +
			`incident.create_time >= timestamp("2025-04-05T10:00:00Z") && ` +
			`incident.assignee_uuid == "user-1" && ` +
			`(incident.tags.contains("prod") || incident.tags.contains("dev")) && ` +
			`incident.device_uuids.contains("dev-1") && ` +
			`incident.display_name.contains("WS")`, true, false},
	}
	for _, tt := range tests {
		got, err := tt.c.Expression(now)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
		if problems := Check(got, Strict); len(problems) != 0 {
			t.Errorf("%s: %s: %s", tt.name, got, dump(problems))
		}
		p, err := Compile(got)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		for _, c := range []struct {
			inc  *esetapi.Incident
			want bool
		}{{incA, tt.wantA}, {incB, tt.wantB}} {
			if ok, err := p.Match(c.inc); err != nil || ok != c.want {
				t.Errorf("%s: %s on %s = %v, %v; want %v", tt.name, got, c.inc.UUID, ok, err, c.want)
			}
		}
	}
}

func TestCriteriaErrors(t *testing.T) {
	tests := []struct {
		c     Criteria
		words []string
	}{
		{Criteria{Statuses: []string{"OPEN"}}, []string{"statuses", `"OPEN"`, "INCIDENT_STATUS_OPEN"}},
		{Criteria{Severities: []string{"INCIDENT_SEVERITY_LEVEL_CRITICAL"}}, []string{"severities", "INCIDENT_SEVERITY_LEVEL_HIGH", "Critical"}},
		{Criteria{CreatedAfter: "2025-04-18T23:59:+00:00"}, []string{"created_after", "RFC 3339", "2025-04-18T23:59:00+00:00"}},
		{Criteria{CreatedBefore: "yesterday"}, []string{"created_before", `"yesterday"`}},
		{Criteria{CreatedAfter: "2025-05-01T00:00:00Z", CreatedBefore: "2025-04-01T00:00:00Z"}, []string{"created_after", "created_before", "earlier"}},
		{Criteria{CreatedWithin: "a week"}, []string{"created_within", `"a week"`}},
		{Criteria{CreatedWithin: "-24h"}, []string{"created_within", "positive"}},
		{Criteria{CreatedWithin: "0d"}, []string{"created_within", "positive"}},
		{Criteria{CreatedWithin: "1dx"}, []string{"created_within"}},
		{Criteria{CreatedWithin: "7d-1h"}, []string{"created_within", `"7d-1h"`, "sign"}},
		{Criteria{CreatedWithin: "7d+1h"}, []string{"created_within", `"7d+1h"`, "sign"}},
		{Criteria{CreatedWithin: "99999999999999999999d"}, []string{"created_within", "too long", "100000d"}},
		{Criteria{CreatedWithin: "100001d"}, []string{"created_within", "too long", "100000d"}},
		{Criteria{CreatedWithin: "100000d700000h"}, []string{"created_within", "too long", "100000d"}},
		{Criteria{CreatedWithin: "100000d1ns"}, []string{"created_within", "too long", "100000d"}},
		{Criteria{CreatedWithin: "3000000h"}, []string{"created_within", "too long", "100000d"}},
		{Criteria{CreatedWithin: "1d3000000h"}, []string{"created_within", "too long", "100000d"}},
		{Criteria{AssigneeUUID: "u", Unassigned: true}, []string{"assignee_uuid", "unassigned"}},
		{Criteria{TagsAny: []string{"a", ""}}, []string{"tags_any", "empty"}},
		{Criteria{Statuses: []string{"x"}, CreatedWithin: "x"}, []string{"statuses", "created_within"}},
	}
	// The *_UNSPECIFIED values are the API's fallback for an absent value: refused, and never listed as
	// valid, which only the documented values are.
	for _, s := range []string{"INCIDENT_STATUS_UNSPECIFIED", "incident_status_unspecified"} {
		tests = append(tests, struct {
			c     Criteria
			words []string
		}{Criteria{Statuses: []string{"INCIDENT_STATUS_OPEN", s}}, []string{"statuses", `"` + s + `"`, "fallback", "Valid values are " + strings.Join(esetapi.Statuses[1:], ", ")}})
	}
	tests = append(tests, struct {
		c     Criteria
		words []string
	}{Criteria{Severities: []string{"INCIDENT_SEVERITY_LEVEL_UNSPECIFIED"}}, []string{"severities", "fallback", "Valid values are " + strings.Join(esetapi.Severities[1:], ", ")}})
	for _, tt := range tests {
		got, err := tt.c.Expression(time.Now())
		if err == nil {
			t.Errorf("%+v: got %q, want an error", tt.c, got)
			continue
		}
		for _, w := range tt.words {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%+v: error %q does not mention %q", tt.c, err, w)
			}
		}
		if strings.Contains(strings.ToUpper(err.Error()), "UNSPECIFIED, ") {
			t.Errorf("%+v: error %q lists an *_UNSPECIFIED value as valid", tt.c, err)
		}
	}
}
