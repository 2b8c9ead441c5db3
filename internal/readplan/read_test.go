package readplan_test

import (
	"cmp"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/query"
	"github.com/eset-community/terraform-provider-eset/internal/readplan"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// env is a simulator and a client; every filter the client sends is checked against the published limit.
type env struct {
	sim    *simulator.Server
	client *esetapi.Client
	data   []esetapi.Incident

	mu      sync.Mutex
	filters []string
	// hostile, when set, answers list calls instead of the simulator, with the call's number.
	hostile func(call int) string
}

func newEnv(t *testing.T, incidents []esetapi.Incident) *env {
	t.Helper()
	return newEnvWith(t, simulator.Options{Incidents: incidents})
}

func newEnvWith(t *testing.T, opts simulator.Options) *env {
	t.Helper()
	e := &env{data: slices.Clone(opts.Incidents)}
	opts.Username, opts.Password = "u@example.com", "secret-password"
	opts.ValidateResponses = true
	e.sim = simulator.New(opts)
	simulator.FailOnViolations(t, e.sim)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v2/incidents" {
			f := r.URL.Query().Get("filter")
			e.mu.Lock()
			e.filters = append(e.filters, f)
			e.mu.Unlock()
			if n := utf8.RuneCountInString(f); n > esetapi.MaxFilterChars {
				t.Errorf("a filter of %d characters was sent: %s", n, f)
			}
			if e.hostile != nil {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(e.hostile(len(e.filters))))
				return
			}
		}
		e.sim.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	c, err := esetapi.New(esetapi.Config{
		Username: "u@example.com", Password: "secret-password", UserAgent: "test", PaceDir: t.TempDir(),
		IAMEndpoint: ts.URL, IncidentManagementEndpoint: ts.URL, DeviceManagementEndpoint: ts.URL,
		RequestsPerSecond: 1e6, RequestTimeout: 10 * time.Second, MaxRetries: 2,
	})
	if err != nil {
		t.Fatal(err)
	}
	e.client = c
	return e
}

// devices are the distinct devices of the data's incidents, in the order the data first names them.
func (e *env) devices() []string {
	var devices []string
	seen := map[string]bool{}
	for _, inc := range e.data {
		for _, d := range inc.DeviceUUIDs {
			if !seen[d] {
				seen[d] = true
				devices = append(devices, d)
			}
		}
	}
	return devices
}

// want is what the logical filter selects from the simulator's data, oldest first (ties by uuid).
func (e *env) want(t *testing.T, c query.Criteria, filter string, now time.Time) []string {
	t.Helper()
	typed, err := c.Expression(now)
	if err != nil {
		t.Fatal(err)
	}
	prg, err := query.Compile(query.And(typed, filter))
	if err != nil {
		t.Fatal(err)
	}
	var kept []esetapi.Incident
	for i := range e.data {
		if ok, err := prg.Match(&e.data[i]); err != nil {
			t.Fatal(err)
		} else if ok {
			kept = append(kept, e.data[i])
		}
	}
	slices.SortStableFunc(kept, func(a, b esetapi.Incident) int {
		ta, _ := time.Parse(time.RFC3339Nano, a.CreateTime)
		tb, _ := time.Parse(time.RFC3339Nano, b.CreateTime)
		return cmp.Or(ta.Compare(tb), cmp.Compare(a.UUID, b.UUID))
	})
	ids := make([]string, len(kept))
	for i := range kept {
		ids[i] = kept[i].UUID
	}
	return ids
}

func (e *env) read(t *testing.T, c query.Criteria, now time.Time, req readplan.Request) ([]string, readplan.Result) {
	t.Helper()
	typed, err := c.Terms(now, "")
	if err != nil {
		t.Fatal(err)
	}
	req.Typed = typed
	var got []string
	res, err := readplan.Read(context.Background(), e.client, req, func(page []esetapi.Incident) error {
		for i := range page {
			got = append(got, page[i].UUID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Incidents != len(got) {
		t.Errorf("Result.Incidents = %d, handed over %d", res.Incidents, len(got))
	}
	return got, res
}

// sameTimesOrder compares two lists read oldest first whose equal times may come in any order.
func sameSet(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("read %d incidents, want %d", len(got), len(want))
	}
	g, w := slices.Clone(got), slices.Clone(want)
	slices.Sort(g)
	slices.Sort(w)
	if !slices.Equal(g, w) {
		t.Fatal("read other incidents than the filter selects")
	}
}

func world(n int) []esetapi.Incident {
	return simulator.GenerateWorld(simulator.WorldSpec{Seed: 7, Incidents: n, End: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}).Incidents
}

func TestMain(m *testing.M) { os.Exit(m.Run()) }

func TestReadByKeyCostsAPageACall(t *testing.T) {
	e := newEnv(t, world(3000))
	now := time.Now()
	for _, n := range []int{0, 1} {
		desc := n == 1
		req := readplan.Request{}
		if desc {
			req.OrderBy = "create_time desc"
		}
		got, res := e.read(t, query.Criteria{}, now, req)
		want := e.want(t, query.Criteria{}, "", now)
		if desc {
			slices.Reverse(want)
		}
		sameSet(t, got, want)
		if res.ListCalls > 4 || res.ByPosition != "" {
			t.Errorf("desc=%v: %d list calls (by position %q) for 3,000 incidents, want at most 4", desc, res.ListCalls, res.ByPosition)
		}
	}
}

func TestReadTypedFiltersThatDoNotFit(t *testing.T) {
	e := newEnv(t, world(3000))
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	devices := e.devices()[:40]
	every := query.Criteria{
		Statuses:     []string{"INCIDENT_STATUS_OPEN", "INCIDENT_STATUS_IN_PROGRESS", "INCIDENT_STATUS_WAITING_FOR_INPUT"},
		Severities:   []string{"INCIDENT_SEVERITY_LEVEL_HIGH", "INCIDENT_SEVERITY_LEVEL_MEDIUM"},
		CreatedAfter: "2026-11-01T00:00:00Z", CreatedBefore: "2026-11-30T00:00:00Z", CreatedWithin: "90d",
		TagsAny: []string{"ransomware", "lateral-movement", "phishing"}, DisplayNameContains: "on",
	}
	filter := `incident.display_name.contains("o") && incident.update_time >= timestamp("2020-01-01T00:00:00Z") && !(incident.severity in [INCIDENT_SEVERITY_LEVEL_LOW])`
	for _, tc := range []struct {
		name    string
		devices []string
	}{{"no devices", nil}, {"one device", devices[:1]}, {"three devices", devices[:3]}, {"forty devices", devices}} {
		t.Run(tc.name, func(t *testing.T) {
			c := every
			c.DeviceUUIDs = tc.devices
			got, res := e.read(t, c, now, readplan.Request{Filter: filter})
			want := e.want(t, c, filter, now)
			if !slices.Equal(got, want) && len(want) > 0 {
				sameSet(t, got, want)
			}
			t.Logf("%s: %d incidents, %d list calls, %d detail calls: %s", tc.name, len(got), res.ListCalls, res.DetailCalls, res.Plan)
		})
	}
}

func TestReadManyDevicesPicksTheCheaperPlan(t *testing.T) {
	e := newEnv(t, world(3000))
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	devices := e.devices()
	// Few open incidents of high severity: the lookup's detail calls are fewer than the device groups.
	few := query.Criteria{Statuses: []string{"INCIDENT_STATUS_OPEN"}, Severities: []string{"INCIDENT_SEVERITY_LEVEL_HIGH"}, CreatedWithin: "3d", DeviceUUIDs: devices}
	got, res := e.read(t, few, now, readplan.Request{})
	sameSet(t, got, e.want(t, few, "", now))
	if res.DetailCalls == 0 || res.DetailCalls+res.ListCalls >= (len(devices)+2)/3 {
		t.Errorf("few candidates: %d list and %d detail calls (%s), want the lookup", res.ListCalls, res.DetailCalls, res.Plan)
	}
	// Many incidents, few devices: the device groups.
	many := query.Criteria{DeviceUUIDs: devices[:9]}
	got, res = e.read(t, many, now, readplan.Request{})
	sameSet(t, got, e.want(t, many, "", now))
	if !strings.Contains(res.Plan, "device groups") {
		t.Errorf("many candidates: %d list and %d detail calls (%s), want the device groups", res.ListCalls, res.DetailCalls, res.Plan)
	}
}

func TestReadTiesBeyondAPage(t *testing.T) {
	data := world(1200)
	for i := 100; i < 1250 && i < len(data); i++ {
		data[i].CreateTime = "2026-11-20T10:00:00Z"
	}
	e := newEnv(t, data)
	now := time.Now()
	got, res := e.read(t, query.Criteria{}, now, readplan.Request{})
	sameSet(t, got, e.want(t, query.Criteria{}, "", now))
	t.Logf("%d list calls", res.ListCalls)
}

func TestReadOtherOrders(t *testing.T) {
	e := newEnv(t, world(2500))
	now := time.Now()
	keys, _ := query.ParseOrderBy("severity desc, display_name")
	got, res := e.read(t, query.Criteria{}, now, readplan.Request{OrderBy: "severity desc, display_name"})
	want := slices.Clone(e.data)
	slices.SortStableFunc(want, func(a, b esetapi.Incident) int { return query.Compare(&a, &b, keys) })
	for i := range want {
		if got[i] != want[i].UUID {
			a := e.data[slices.IndexFunc(e.data, func(x esetapi.Incident) bool { return x.UUID == got[i] })]
			if query.Compare(&a, &want[i], keys) != 0 {
				t.Fatalf("position %d out of order", i)
			}
		}
	}
	if res.ByPosition != "" {
		t.Errorf("read by position: %s", res.ByPosition)
	}
	got, res = e.read(t, query.Criteria{}, now, readplan.Request{OrderBy: "severity desc", MaxResults: 10})
	if len(got) != 10 || !res.Truncated || res.ByPosition == "" || res.ListCalls != 1 {
		t.Errorf("max_results in another order: %d incidents, %+v", len(got), res)
	}
}

func TestReadMaxResults(t *testing.T) {
	e := newEnv(t, world(2500))
	now := time.Now()
	want := e.want(t, query.Criteria{}, "", now)
	for _, limit := range []int{1, 999, 1000, 1001, 2500, 3000} {
		got, res := e.read(t, query.Criteria{}, now, readplan.Request{MaxResults: limit})
		n := min(limit, len(want))
		sameSet(t, got, want[:n])
		if res.Truncated != (limit < len(want)) {
			t.Errorf("max_results %d: truncated %v", limit, res.Truncated)
		}
	}
}
