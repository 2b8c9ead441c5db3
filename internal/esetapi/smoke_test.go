package esetapi_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/query"
	"github.com/eset-community/terraform-provider-eset/internal/readplan"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// TestSmoke is `make smoke`: a read-only check of the API the provider calls, against a real tenant when
// ESET_LIVE=1 and ESET_USERNAME, ESET_PASSWORD and ESET_REGION are set as the provider reads them
// (ESET_IAM_ENDPOINT, ESET_INCIDENT_MANAGEMENT_ENDPOINT and ESET_DEVICE_MANAGEMENT_ENDPOINT override the
// region's hosts), or against the bundled simulator with ESET_LIVE=sim. It prints each call's status and
// request-id and each step's counts, never a secret, and never writes.
func TestSmoke(t *testing.T) {
	switch live := os.Getenv("ESET_LIVE"); live {
	case "":
		t.Skip("make smoke: set ESET_LIVE=1 with ESET_USERNAME, ESET_PASSWORD and ESET_REGION to check a real tenant (read-only), or ESET_LIVE=sim to run it against the simulator")
	case "sim":
		smoke(t, simulatedSmokeConfig(t))
	case "1":
		missing := []string{}
		for _, name := range []string{"ESET_USERNAME", "ESET_PASSWORD", "ESET_REGION"} {
			if os.Getenv(name) == "" {
				missing = append(missing, name)
			}
		}
		if len(missing) > 0 {
			t.Skipf("make smoke: ESET_LIVE=1 but %s not set: nothing checked", strings.Join(missing, ", "))
		}
		region := os.Getenv("ESET_REGION")
		smoke(t, esetapi.Config{
			IAMEndpoint:                envOr("ESET_IAM_ENDPOINT", esetapi.DefaultIAMEndpoint(region)),
			IncidentManagementEndpoint: envOr("ESET_INCIDENT_MANAGEMENT_ENDPOINT", esetapi.DefaultIncidentManagementEndpoint(region)),
			DeviceManagementEndpoint:   envOr("ESET_DEVICE_MANAGEMENT_ENDPOINT", esetapi.DefaultDeviceManagementEndpoint(region)),
			Username:                   os.Getenv("ESET_USERNAME"),
			Password:                   os.Getenv("ESET_PASSWORD"),
			UserAgent:                  "terraform-provider-eset smoke test",
			// Well below the documented 10 calls a second: the tenant may be in use.
			RequestsPerSecond: 2,
		})
	default:
		t.Fatalf("ESET_LIVE=%q: want 1 (a real tenant) or sim (the simulator)", live)
	}
}

// The smoke check itself, run against the strict simulator in every test run.
func TestSmokeOnTheSimulator(t *testing.T) {
	smoke(t, simulatedSmokeConfig(t))
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// simulatedSmokeConfig serves a world ending now (so that the last hour has detections) with the contract
// on and answers validated.
func simulatedSmokeConfig(t *testing.T) esetapi.Config {
	t.Helper()
	opts := simulator.Options{Username: testUser, Password: testPassword, ValidateResponses: true}
	opts.SetWorld(simulator.GenerateWorld(simulator.WorldSpec{Seed: 3, Incidents: 200, Detections: 400}))
	sim := simulator.New(opts)
	simulator.FailOnViolations(t, sim)
	url, stop, err := simulator.Listen(sim, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	cfg := fastConfig()
	cfg.IAMEndpoint, cfg.IncidentManagementEndpoint, cfg.DeviceManagementEndpoint = url, url, url
	cfg.Username, cfg.Password = testUser, testPassword
	return cfg
}

// smokeFilter is a filter of exactly 200 characters, the most `GET /v2/incidents` takes.
func smokeFilter(since time.Time) string {
	f := `incident.create_time >= timestamp("` + since.UTC().Format(time.RFC3339) + `") && incident.display_name != "`
	return f + strings.Repeat("x", 200-len(f)-1) + `"`
}

func smoke(t *testing.T, cfg esetapi.Config) {
	calls := &callLog{next: http.DefaultTransport}
	if cfg.Transport != nil {
		calls.next = cfg.Transport
	}
	cfg.Transport = calls
	c, err := esetapi.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	step := func(name string, run func() (string, error)) {
		t.Helper()
		calls.reset()
		counts, err := run()
		for _, line := range calls.lines() {
			t.Logf("%s: %s", name, line)
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			return
		}
		t.Logf("%s: ok, %s", name, counts)
	}

	var first string
	step("a token and one page of incidents", func() (string, error) {
		var n int
		res, err := c.ListIncidents(ctx, esetapi.IncidentListOptions{MaxResults: 100, OrderBy: "create_time desc"}, func(page []esetapi.Incident) error {
			if first == "" && len(page) > 0 {
				first = page[0].UUID
			}
			n += len(page)
			return nil
		})
		return fmt.Sprintf("%d incidents in %d page(s), truncated %v", n, res.Calls, res.Truncated), err
	})
	filter := smokeFilter(time.Now().Add(-30 * 24 * time.Hour))
	step(fmt.Sprintf("a filter of %d characters", len([]rune(filter))), func() (string, error) {
		res, err := c.ListIncidents(ctx, esetapi.IncidentListOptions{Filter: filter, MaxResults: 100}, func([]esetapi.Incident) error { return nil })
		return fmt.Sprintf("%d incidents", res.Items), err
	})
	step("a typed-filter read that needs planning", func() (string, error) { return smokePlannedRead(ctx, c) })
	step("devices", func() (string, error) {
		list, err := listDevices(ctx, c, esetapi.DeviceListOptions{MaxResults: 1000})
		return fmt.Sprintf("%d devices in %d call(s), truncated %v", len(list.Devices), list.Calls, list.Truncated), err
	})
	step("device groups", func() (string, error) {
		groups, err := listGroups(ctx, c)
		return fmt.Sprintf("%d groups", len(groups)), err
	})
	step("an hour of detections", func() (string, error) {
		now := time.Now()
		list, err := listDetections(ctx, c, esetapi.DetectionListOptions{OccurredAfter: now.Add(-time.Hour), OccurredBefore: now, MaxResults: 1000})
		return fmt.Sprintf("%d detections in %d call(s), truncated %v", len(list.Detections), list.Calls, list.Truncated), err
	})
	step("one incident by uuid", func() (string, error) {
		if first == "" {
			return "no incident to read: the tenant has none", nil
		}
		inc, err := c.GetIncident(ctx, first)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%d devices, %d detections", len(inc.DeviceUUIDs), len(inc.DetectionUUIDs)), nil
	})
}

// smokePlannedRead is the smoke check's typed-filter read whose filter does not fit in the 200 characters
// the API takes, so that readplan must plan it: every status but closed, two severities, a month, and five
// of the tenant's devices. It returns the plan and its counts.
func smokePlannedRead(ctx context.Context, c *esetapi.Client) (string, error) {
	devices, err := listDevices(ctx, c, esetapi.DeviceListOptions{MaxResults: 5})
	if err != nil {
		return "", err
	}
	criteria := query.Criteria{
		Statuses:      []string{"INCIDENT_STATUS_OPEN", "INCIDENT_STATUS_IN_PROGRESS", "INCIDENT_STATUS_WAITING_FOR_INPUT"},
		Severities:    []string{"INCIDENT_SEVERITY_LEVEL_MEDIUM", "INCIDENT_SEVERITY_LEVEL_HIGH"},
		CreatedWithin: "30d",
	}
	for _, d := range devices.Devices {
		criteria.DeviceUUIDs = append(criteria.DeviceUUIDs, d.UUID)
	}
	now := time.Now()
	whole, err := criteria.Expression(now)
	if err != nil {
		return "", err
	}
	typed, err := criteria.Terms(now, "")
	if err != nil {
		return "", err
	}
	res, err := readplan.Read(ctx, c, readplan.Request{Typed: typed, MaxResults: 100, Concurrency: 4}, func([]esetapi.Incident) error { return nil })
	return fmt.Sprintf("a filter of %d characters over %d devices: %d incidents in %d list and %d detail calls (%s)",
		len([]rune(whole)), len(criteria.DeviceUUIDs), res.Incidents, res.ListCalls, res.DetailCalls, res.Plan), err
}

// callLog records each call's method, path, status and request-id (never a header or body that may hold
// a secret, nor the query).
type callLog struct {
	next  http.RoundTripper
	mu    sync.Mutex
	calls []string
}

func (l *callLog) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := l.next.RoundTrip(req)
	line := req.Method + " " + req.URL.Path + ": "
	if err != nil {
		line += "no answer"
	} else {
		line += fmt.Sprintf("%s, request-id %s", resp.Status, orNone(resp.Header.Get(esetapi.HeaderRequestID)))
	}
	l.mu.Lock()
	l.calls = append(l.calls, line)
	l.mu.Unlock()
	return resp, err
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func (l *callLog) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls = nil
}

func (l *callLog) lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.calls...)
}
