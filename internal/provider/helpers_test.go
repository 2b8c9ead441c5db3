package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptrace"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// testAccProtoV6ProviderFactories runs the provider in the test process, driven by the real CLI that
// TF_ACC_TERRAFORM_PATH names (terraform or tofu; see scripts/testacc.sh).
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"eset": func() (tfprotov6.ProviderServer, error) { return NewProtocol6Server("test")(), nil },
}

// testAccTwoProvidersFactories serves the provider under test twice, as eset and as eset2, for
// configurations whose two provider configurations must each have a provider of their own, as they have
// in the two processes Terraform runs for them. The harness serves every configuration of one provider
// name, aliases included, from one instance in the test process, where the last one configured wins.
var testAccTwoProvidersFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"eset":  testAccProtoV6ProviderFactories["eset"],
	"eset2": testAccProtoV6ProviderFactories["eset"],
}

// TestMain gives the tests a cache directory of their own for the pace ledger (paceCacheDir): the
// provider runs in the test process, and its ledger must be neither the developer's nor another run's.
// Its clients call through sendTimesTransport (clientTransport), for the tests that note send times.
func TestMain(m *testing.M) {
	cache, err := os.MkdirTemp("", "terraform-provider-eset-test-cache-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	paceCacheDir = func() (string, error) { return cache, nil }
	clientTransport = newSendTimesTransport
	code := m.Run()
	_ = os.RemoveAll(cache)
	os.Exit(code)
}

const (
	testUsername = "api-user@example.com"
	testPassword = "s3cret-Pa55word-do-not-leak"
)

// testSimulator is an API simulator serving one test.
type testSimulator struct {
	*simulator.Server
	URL       string
	Incidents []esetapi.Incident
}

// startSimulator serves opts on loopback until the test ends; the credentials are the test's.
func startSimulator(t *testing.T, opts simulator.Options) *testSimulator {
	t.Helper()
	opts.Username, opts.Password = testUsername, testPassword
	// Every call the provider makes and every answer it reads must be within ESET's published contract.
	opts.ValidateResponses = true
	srv := simulator.New(opts)
	simulator.FailOnViolations(t, srv)
	url, stop, err := simulator.Listen(srv, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return &testSimulator{Server: srv, URL: url, Incidents: opts.Incidents}
}

// sendTimes holds, by the host of each simulator whose test asked (recordSends), when each of the
// provider's calls to it went out as the pace counts it: when its headers were written (esetapi's
// pace_ticket.go), noted through an httptrace of its own beside the pacer's. Unlike the time a call reaches
// the simulator, a send time does not carry the scheduling of a loaded machine between the two.
var sendTimes = struct {
	sync.Mutex
	byHost map[string][]*atomic.Int64 // UnixNano of the latest write of each request's headers; 0: none
}{byHost: map[string][]*atomic.Int64{}}

// sendTimesTransport is the transport of the tests' clients: a pooled one like the client's own, which
// notes in sendTimes when the calls to the simulators that asked went out.
type sendTimesTransport struct{ base *http.Transport }

func newSendTimesTransport() http.RoundTripper {
	base := http.DefaultTransport.(*http.Transport).Clone()
	base.MaxIdleConnsPerHost = 64 // as the client's own: detail calls in flight each keep their connection
	return sendTimesTransport{base: base}
}

func (t sendTimesTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	sendTimes.Lock()
	times, watched := sendTimes.byHost[req.URL.Host]
	var at *atomic.Int64
	if watched && !strings.HasPrefix(req.URL.Path, "/oauth/") { // token calls are not paced
		at = &atomic.Int64{}
		sendTimes.byHost[req.URL.Host] = append(times, at)
	}
	sendTimes.Unlock()
	if at == nil {
		return t.base.RoundTrip(req)
	}
	// The latest write counts, as for the pacer: a request is written again on a new connection when the
	// one it reused turns out closed.
	trace := &httptrace.ClientTrace{WroteHeaders: func() { at.Store(time.Now().UnixNano()) }}
	return t.base.RoundTrip(req.WithContext(httptrace.WithClientTrace(req.Context(), trace)))
}

// recordSends notes from now on when the provider's API calls to s go out (sends).
func (s *testSimulator) recordSends() {
	sendTimes.Lock()
	defer sendTimes.Unlock()
	sendTimes.byHost[strings.TrimPrefix(s.URL, "http://")] = nil
}

// sends returns when the provider's API calls to s went out since recordSends, oldest first.
func (s *testSimulator) sends() []time.Time {
	sendTimes.Lock()
	defer sendTimes.Unlock()
	var at []time.Time
	for _, t := range sendTimes.byHost[strings.TrimPrefix(s.URL, "http://")] {
		if n := t.Load(); n != 0 {
			at = append(at, time.Unix(0, n))
		}
	}
	slices.SortFunc(at, time.Time.Compare)
	return at
}

// checkAPILimit fails unless the provider sent s at least minimum API calls, and never more than 10 within
// a second, the API's limit, by their send times. The simulator's 429s, which count calls when they
// arrive, are logged: how late calls arrive on a loaded machine is not the pace's doing.
func (s *testSimulator) checkAPILimit(t *testing.T, minimum int) {
	t.Helper()
	const limit = 10
	at := s.sends()
	if len(at) < minimum {
		t.Errorf("%d calls sent, want at least %d", len(at), minimum)
	}
	if over, first, gap := tightest(at, limit, time.Second); over > 0 {
		t.Errorf("%d times %d calls sent within a second; the closest, calls %d to %d, within %v", over, limit+1, first, first+limit, gap)
	}
	stats := s.Stats()
	t.Logf("the simulator answered %d of %d calls with 429 (of %v)", stats.Status[http.StatusTooManyRequests], len(at), stats.Status)
}

// tightest returns how many runs of limit+1 of the times at (oldest first) fall within window, and the
// first of the closest run and its span.
func tightest(at []time.Time, limit int, window time.Duration) (over, first int, span time.Duration) {
	span = -1
	for i := limit; i < len(at); i++ {
		gap := at[i].Sub(at[i-limit])
		if gap < window {
			over++
		}
		if span < 0 || gap < span {
			first, span = i-limit, gap
		}
	}
	return over, first, span
}

// providerConfig is a provider block for this simulator; extra adds attributes.
func (s *testSimulator) providerConfig(extra string) string {
	return s.namedProviderConfig("eset", extra)
}

// namedProviderConfig is providerConfig for the provider that name names in the configuration.
func (s *testSimulator) namedProviderConfig(name, extra string) string {
	return fmt.Sprintf(`
provider %q {
  region                       = "eu"
  username                     = %q
  password                     = %q
  iam_endpoint                 = %q
  incident_management_endpoint = %q
  device_management_endpoint   = %q
  %s
}
`, name, testUsername, testPassword, s.URL, s.URL, s.URL, extra)
}

// incidentCheck expects every attribute of inc; device and detection uuids are null unless withDetails.
func incidentCheck(inc *esetapi.Incident, withDetails bool) knownvalue.Check {
	return knownvalue.ObjectExact(incidentChecks(inc, withDetails))
}

// incidentChecks has a check for each attribute of inc.
func incidentChecks(inc *esetapi.Incident, withDetails bool) map[string]knownvalue.Check {
	str := func(p *string) knownvalue.Check {
		if p == nil {
			return knownvalue.Null()
		}
		return knownvalue.StringExact(*p)
	}
	list := func(values []string, null bool) knownvalue.Check {
		if null {
			return knownvalue.Null()
		}
		checks := make([]knownvalue.Check, len(values))
		for i, v := range values {
			checks[i] = knownvalue.StringExact(v)
		}
		return knownvalue.ListExact(checks)
	}
	return map[string]knownvalue.Check{
		"uuid":              knownvalue.StringExact(inc.UUID),
		"display_name":      knownvalue.StringExact(inc.DisplayName),
		"description":       knownvalue.StringExact(inc.Description),
		"assignee_uuid":     str(inc.AssigneeUUID),
		"create_time":       knownvalue.StringExact(inc.CreateTime),
		"update_time":       knownvalue.StringExact(inc.UpdateTime),
		"severity":          knownvalue.StringExact(inc.Severity),
		"status":            knownvalue.StringExact(inc.Status),
		"resolve_reason":    knownvalue.StringExact(inc.ResolveReason),
		"tags":              list(inc.Tags, false),
		"triage_duration":   str(inc.TriageDuration),
		"response_duration": str(inc.ResponseDuration),
		"metrics": knownvalue.ObjectExact(map[string]knownvalue.Check{
			"device_count":     knownvalue.Int64Exact(int64(inc.Metrics.DeviceCount)),
			"executable_count": knownvalue.Int64Exact(int64(inc.Metrics.ExecutableCount)),
			"process_count":    knownvalue.Int64Exact(int64(inc.Metrics.ProcessCount)),
		}),
		"device_uuids":    list(inc.DeviceUUIDs, !withDetails),
		"detection_uuids": list(inc.DetectionUUIDs, !withDetails),
	}
}

// dynamicValue encodes configValue.
func dynamicValue(tb testing.TB, schema *tfprotov6.Schema, attrs map[string]tftypes.Value) *tfprotov6.DynamicValue {
	dv, err := tfprotov6.NewDynamicValue(schema.ValueType(), configValue(schema, attrs))
	if err != nil {
		tb.Fatal(err)
	}
	return &dv
}

// configValue is an object of schema's type with the given attributes, the others null.
func configValue(schema *tfprotov6.Schema, attrs map[string]tftypes.Value) tftypes.Value {
	typ := schema.ValueType().(tftypes.Object)
	values := map[string]tftypes.Value{}
	for name, t := range typ.AttributeTypes {
		values[name] = tftypes.NewValue(t, nil)
	}
	for name, v := range attrs {
		values[name] = v
	}
	return tftypes.NewValue(typ, values)
}

// configureServer configures a provider server for the simulator at url and returns its schemas.
func configureServer(tb testing.TB, server tfprotov6.ProviderServer, url string, requestsPerSecond float64) *tfprotov6.GetProviderSchemaResponse {
	ctx := context.Background()
	schemas, _ := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	config := dynamicValue(tb, schemas.Provider, map[string]tftypes.Value{
		"region":                       tftypes.NewValue(tftypes.String, "eu"),
		"username":                     tftypes.NewValue(tftypes.String, testUsername),
		"password":                     tftypes.NewValue(tftypes.String, testPassword),
		"iam_endpoint":                 tftypes.NewValue(tftypes.String, url),
		"incident_management_endpoint": tftypes.NewValue(tftypes.String, url),
		"device_management_endpoint":   tftypes.NewValue(tftypes.String, url),
		"requests_per_second":          tftypes.NewValue(tftypes.Number, requestsPerSecond),
	})
	if resp, _ := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: config}); len(resp.Diagnostics) > 0 {
		tb.Fatal(resp.Diagnostics[0].Detail)
	}
	return schemas
}

// planError is a configuration that must fail at plan time with an error matching want.
type planError struct{ config, want string }

// expectPlanErrors plans each configuration (after the simulator's provider block) through the CLI and
// checks that it fails with its error, before any call reaches the simulator.
func expectPlanErrors(t *testing.T, cases map[string]planError) {
	t.Helper()
	sim := startSimulator(t, simulator.Options{Incidents: simulator.Generate(61, 5)})
	t.Cleanup(func() {
		if st := sim.Stats(); st.TokenCalls+st.ListCalls+st.GetCalls != 0 {
			t.Errorf("plan-time errors made %d token, %d list and %d get calls, want none", st.TokenCalls, st.ListCalls, st.GetCalls)
		}
	})
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      sim.providerConfig("") + tc.config,
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
}
