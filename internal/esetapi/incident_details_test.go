package esetapi_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// TestIncidentDetails reads the details of listed incidents: each lands at its index in list order, and
// no more calls than the concurrency bound are in flight at once.
func TestIncidentDetails(t *testing.T) {
	t.Parallel()
	data := simulator.Generate(61, 60)
	for _, concurrency := range []int{1, 4, 16} {
		t.Run(fmt.Sprint(concurrency), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, simulator.Options{Incidents: data, Faults: simulator.Faults{Latency: 10 * time.Millisecond}}, fastConfig(), nil)
			listed, _, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.IncidentListOptions{})
			if err != nil {
				t.Fatal(err)
			}
			got := make([]esetapi.Incident, len(listed))
			var mu sync.Mutex
			seen := map[int]int{}
			err = e.client.IncidentDetails(testContext(t, 10*time.Second), listed, concurrency, func(i int, inc *esetapi.Incident) {
				mu.Lock()
				defer mu.Unlock()
				seen[i]++
				got[i] = *inc
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(seen) != len(data) {
				t.Errorf("%d indexes reported, want %d", len(seen), len(data))
			}
			for i, n := range seen {
				if n != 1 {
					t.Errorf("index %d reported %d times", i, n)
				}
			}
			assertIncidents(t, got, data)
			st := e.sim.Stats()
			if st.MaxInFlight > int64(concurrency) || st.GetCalls != int64(len(data)) {
				t.Errorf("stats %+v: want at most %d in flight and %d get calls", st, concurrency, len(data))
			}
			t.Logf("max in flight %d of %d", st.MaxInFlight, concurrency)
		})
	}
}

// TestIncidentDetailsFailure: one incident whose details fail makes the whole read fail with its status.
func TestIncidentDetailsFailure(t *testing.T) {
	t.Parallel()
	data := simulator.Generate(62, 40)
	for _, status := range []int{http.StatusForbidden, http.StatusNotFound, http.StatusInternalServerError} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			bad := data[17].UUID
			cfg := fastConfig()
			cfg.MaxRetries = 1
			e := newEnv(t, simulator.Options{Incidents: data, Faults: simulator.Faults{FailUUIDs: map[string]int{bad: status}}}, cfg, nil)
			err := e.client.IncidentDetails(testContext(t, 10*time.Second), data, 4, func(int, *esetapi.Incident) {})
			apiErr := assertAPIError(t, err, status, "injected failure for incident "+bad, 0)
			if apiErr.Operation != fmt.Sprintf("get incident %q", bad) {
				t.Errorf("operation %q", apiErr.Operation)
			}
		})
	}
}

// TestGetIncidentOtherUUID: an answer about another incident than the one asked for is an error, not that
// incident's data under the uuid asked for.
func TestGetIncidentOtherUUID(t *testing.T) {
	t.Parallel()
	e := newEnv(t, simulator.Options{}, fastConfig(), apiOverride(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"incident":{"uuid":"4d4e8d3c-0000-4000-8000-0000000000ff","displayName":"other"}}`)
	}))
	_, err := e.client.GetIncident(testContext(t, 5*time.Second), "4d4e8d3c-0000-4000-8000-000000000001")
	assertDecodeError(t, err, "4d4e8d3c-0000-4000-8000-0000000000ff")
	err = e.client.IncidentDetails(testContext(t, 5*time.Second), []esetapi.Incident{{UUID: "4d4e8d3c-0000-4000-8000-000000000001"}}, 1, func(int, *esetapi.Incident) {})
	assertDecodeError(t, err, "not the one asked for")
}
