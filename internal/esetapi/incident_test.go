package esetapi_test

import (
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// TestProto3Omissions decodes incidents whose default-valued fields the server left out, as proto3 JSON
// does: enums read as *_UNSPECIFIED, lists stay nil, numbers zero, and the optional fields nil. Numbers
// come as JSON numbers and as strings; null reads as zero.
func TestProto3Omissions(t *testing.T) {
	t.Parallel()
	body := `{"incidents":[
		{"uuid":"00000000-0000-4000-8000-000000000001"},
		{"uuid":"00000000-0000-4000-8000-000000000002","tags":null,"metrics":{"deviceCount":null},"assigneeUuid":null},
		{"uuid":"00000000-0000-4000-8000-000000000003","metrics":{"deviceCount":"9223372036854775807","executableCount":-3,"processCount":"0"},"tags":[]}
	]}`
	e := newEnv(t, simulator.Options{}, fastConfig(), staticAPI(body))
	got, res, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.IncidentListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defaults := esetapi.Incident{Severity: esetapi.SeverityUnspecified, Status: esetapi.StatusUnspecified, ResolveReason: esetapi.ResolveUnspecified}
	onlyUUID, nulls, numbers := defaults, defaults, defaults
	onlyUUID.UUID, nulls.UUID, numbers.UUID = "00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002", "00000000-0000-4000-8000-000000000003"
	numbers.Tags = []string{}
	numbers.Metrics = esetapi.IncidentMetrics{DeviceCount: 9223372036854775807, ExecutableCount: -3}
	assertIncidents(t, got, []esetapi.Incident{onlyUUID, nulls, numbers})
	if got[0].Tags != nil || got[0].DeviceUUIDs != nil || got[0].AssigneeUUID != nil || got[0].TriageDuration != nil || got[0].ResponseDuration != nil {
		t.Errorf("omitted lists and optional fields should stay nil: %s", show(got[0]))
	}
	if res.Items != 3 || res.Calls != 1 || res.Truncated {
		t.Errorf("result %+v", res)
	}
}

// TestWireVariants lists the simulator's data set written the ways proto3 JSON and newer API versions may
// write it: int64 as strings, and unknown fields and enum values, which are ignored and passed through.
func TestWireVariants(t *testing.T) {
	t.Parallel()
	data := simulator.Generate(11, 1500)
	for _, tc := range []struct {
		name   string
		faults simulator.Faults
		want   func([]esetapi.Incident) []esetapi.Incident
	}{
		{"int64 as numbers", simulator.Faults{}, listView},
		{"int64 as strings", simulator.Faults{Int64AsStrings: true}, listView},
		{"unknown fields and enums", simulator.Faults{UnknownFields: true, Int64AsStrings: true}, func(d []esetapi.Incident) []esetapi.Incident {
			out := listView(d)
			for i := range out {
				if out[i].Severity == "INCIDENT_SEVERITY_LEVEL_HIGH" {
					out[i].Severity = "INCIDENT_SEVERITY_LEVEL_CRITICAL"
				}
			}
			return out
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, simulator.Options{Incidents: data, Faults: tc.faults}, fastConfig(), nil)
			got, _, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.IncidentListOptions{})
			if err != nil {
				t.Fatal(err)
			}
			assertIncidents(t, got, tc.want(data))
		})
	}
}
