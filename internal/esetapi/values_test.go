package esetapi_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// staticAPI answers every API call with body.
func staticAPI(body string) func(http.Handler) http.Handler {
	return apiOverride(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, body)
	})
}

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
	got, res, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.ListOptions{})
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
	if res.Incidents != 3 || res.Pages != 1 || res.Truncated {
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
			got, _, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.ListOptions{})
			if err != nil {
				t.Fatal(err)
			}
			assertIncidents(t, got, tc.want(data))
		})
	}
}

// TestGetIncident reads single incidents: the whole incident with its device and detection uuids, empty
// (not nil) lists when the answer leaves them out, a 404 that matches ErrNotFound, an answer without an
// incident, and a value that is not a uuid, which never reaches a URL path.
func TestGetIncident(t *testing.T) {
	t.Parallel()
	data := simulator.Generate(12, 20)
	data[3].DeviceUUIDs, data[3].DetectionUUIDs = nil, nil
	data[4].DeviceUUIDs, data[4].DetectionUUIDs = []string{}, []string{}
	e := newEnv(t, simulator.Options{Incidents: data, Faults: simulator.Faults{Int64AsStrings: true}}, fastConfig(), nil)
	ctx := testContext(t, 10*time.Second)
	for i, want := range data {
		got, err := e.client.GetIncident(ctx, want.UUID)
		if err != nil {
			t.Fatal(err)
		}
		if i == 3 {
			want.DeviceUUIDs, want.DetectionUUIDs = []string{}, []string{}
		}
		if got.DeviceUUIDs == nil || got.DetectionUUIDs == nil {
			t.Errorf("incident %d: nil device or detection uuids", i)
		}
		assertIncidents(t, []esetapi.Incident{*got}, []esetapi.Incident{want})
		if got, err = e.client.GetIncident(ctx, strings.ToUpper(want.UUID)); err != nil || got.UUID != want.UUID {
			t.Errorf("incident %d in upper case: %v", i, err)
		}
	}

	_, err := e.client.GetIncident(ctx, "4d4e8d3c-0000-4000-8000-000000000000")
	_ = assertAPIError(t, err, http.StatusNotFound, "Requested resource not found.", 1)
	if !errors.Is(err, esetapi.ErrNotFound) {
		t.Errorf("a 404 should match ErrNotFound: %v", err)
	}

	t.Run("no incident in the answer", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, simulator.Options{}, fastConfig(), staticAPI(`{"other":1}`))
		_, err := e.client.GetIncident(testContext(t, 10*time.Second), "4d4e8d3c-0000-4000-8000-000000000001")
		var decErr *esetapi.DecodeError
		if !errors.As(err, &decErr) || decErr.RequestID == "" {
			t.Fatalf("want a *DecodeError with a request-id, got %v", err)
		}
	})
	t.Run("not a uuid", func(t *testing.T) {
		t.Parallel()
		var calls atomic.Int32
		e := newEnv(t, simulator.Options{}, fastConfig(), apiOverride(func(w http.ResponseWriter, r *http.Request) { calls.Add(1) }))
		for _, id := range []string{"..", "../../oauth/token", "a/b c?d", "4d4e8d3c-0000-4000-8000-000000000001/..", ""} {
			if _, err := e.client.GetIncident(testContext(t, 10*time.Second), id); err == nil || !strings.Contains(err.Error(), "not a uuid") {
				t.Errorf("%q: got %v", id, err)
			}
		}
		if n := calls.Load(); n != 0 {
			t.Errorf("%d calls reached the API", n)
		}
	})
}
