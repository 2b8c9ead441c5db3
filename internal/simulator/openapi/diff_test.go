package openapi

import (
	"encoding/json"
	"slices"
	"testing"
)

// edit returns the kept document of service changed by change, as a live document would be.
func edit(t *testing.T, service string, change func(doc map[string]any)) []byte {
	t.Helper()
	kept, err := Kept(service)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(kept, &doc); err != nil {
		t.Fatal(err)
	}
	change(doc)
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func at(doc map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		doc = doc[k].(map[string]any)
	}
	return doc
}

func TestDiffOfTheKeptCopyIsEmpty(t *testing.T) {
	for _, service := range Services {
		kept, _ := Kept(service)
		lines, err := Diff(service, kept, kept)
		if err != nil || len(lines) != 0 {
			t.Errorf("%s: %v %q", service, err, lines)
		}
	}
}

func TestDiffReportsWhatMattersAndNotProse(t *testing.T) {
	kept, _ := Kept("incident-management")
	live := edit(t, "incident-management", func(doc map[string]any) {
		list := at(doc, "paths", "/v2/incidents", "get")
		list["description"] = "new prose, which does not count"
		filter := list["parameters"].([]any)[0].(map[string]any)
		filter["schema"].(map[string]any)["maxLength"] = 250
		schemas := at(doc, "components", "schemas")
		severity := at(schemas, "v2IncidentSeverityLevel")
		severity["enum"] = append(severity["enum"].([]any), "INCIDENT_SEVERITY_LEVEL_CRITICAL")
		props := at(schemas, "v2Incident", "properties")
		delete(props, "tags")
		props["riskScore"] = map[string]any{"type": "integer", "format": "int32"}
		delete(at(doc, "paths"), "/v2/incidents/{incidentUuid}")
	})
	lines, err := Diff("incident-management", kept, live)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"~ GET /v2/incidents parameter filter (query): maxLength: 200 -> 250",
		"+ GET /v2/incidents response 200 application/json.incidents[].severity: enum INCIDENT_SEVERITY_LEVEL_CRITICAL: allowed",
		"- GET /v2/incidents response 200 application/json.incidents[].tags: field",
		"+ GET /v2/incidents response 200 application/json.incidents[].riskScore: field",
		"+ GET /v2/incidents response 200 application/json.incidents[].riskScore: format: int32",
		"- GET /v2/incidents/{incidentUuid}: the operation is gone",
	} {
		if !slices.Contains(lines, want) {
			t.Errorf("no line %q in:\n%q", want, lines)
		}
	}
	for _, l := range lines {
		if l[0] == '~' && l != "~ GET /v2/incidents parameter filter (query): maxLength: 200 -> 250" {
			t.Errorf("unexpected change %q", l)
		}
	}
}
