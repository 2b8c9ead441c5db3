package simulator

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

func TestListAnswers(t *testing.T) {
	srv := New(Options{Incidents: Generate(1, 1200), Username: "u", Password: "p"})
	for _, tc := range []struct {
		name, query string
		status      int
		want        string
		incidents   int
	}{
		{"default page size", "", 200, `"nextPageToken"`, 50},
		{"page size capped", "pageSize=5000", 200, `"nextPageToken"`, 1000},
		{"page size zero", "pageSize=0", 200, "", 50},
		{"negative page size", "pageSize=-1", 400, "pageSize", 0},
		{"filter evaluated", "pageSize=1000&filter=" + url.QueryEscape(`incident.severity == INCIDENT_SEVERITY_LEVEL_HIGH`), 200, "INCIDENT_SEVERITY_LEVEL_HIGH", -1},
		{"filter error", "filter=" + url.QueryEscape(`incident.status != INCIDENT_STATUS_OPEN`), 400, "invalid filter", 0},
		{"order_by error", "orderBy=priority", 400, "invalid orderBy", 0},
		{"foreign page token", "pageToken=bm9wZQ", 400, "invalid page token", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body, header := call(t, srv, "/v2/incidents?"+tc.query)
			if status != tc.status || !strings.Contains(body, tc.want) {
				t.Fatalf("status %d, body %.200s; want %d with %q", status, body, tc.status, tc.want)
			}
			if header.Get("request-id") == "" {
				t.Error("no request-id header")
			}
			if tc.incidents >= 0 && status == 200 {
				var page struct{ Incidents []esetapi.Incident }
				if err := json.Unmarshal([]byte(body), &page); err != nil || len(page.Incidents) != tc.incidents {
					t.Errorf("%d incidents (%v), want %d", len(page.Incidents), err, tc.incidents)
				}
			}
		})
	}
}

// BenchmarkReadUnderChurn reads 100,000 incidents in 100 pages of 1,000 under a filter every incident
// matches (the shape of a read by key): with the data still, under churn (10 changes after each page,
// each moved in or out of the cached result in place), and evaluating the filter afresh on every page,
// the cost the cache avoids.
func BenchmarkReadUnderChurn(b *testing.B) {
	w := GenerateWorld(WorldSpec{Seed: 1, Incidents: 100_000, End: testEnd})
	filter := `incident.create_time >= timestamp("2000-01-01T00:00:00Z")`
	for _, bc := range []struct {
		name    string
		perCall int
		fresh   bool
	}{{"still", 0, false}, {"churn", 10, false}, {"churn-fresh-every-page", 10, true}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				srv := churnServer(w, bc.perCall)
				b.StartTimer()
				q := url.Values{"filter": {filter}, "pageSize": {"1000"}}
				for {
					if bc.fresh {
						srv.mu.Lock()
						clear(srv.queries)
						srv.mu.Unlock()
					}
					_, body, _ := call(b, srv, "/v2/incidents?"+q.Encode())
					var page struct{ NextPageToken string }
					if err := json.Unmarshal([]byte(body), &page); err != nil {
						b.Fatal(err)
					}
					if page.NextPageToken == "" {
						break
					}
					q.Set("pageToken", page.NextPageToken)
				}
			}
		})
	}
}
