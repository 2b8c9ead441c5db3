package provider

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"testing"

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
func TestMain(m *testing.M) {
	cache, err := os.MkdirTemp("", "terraform-provider-eset-test-cache-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	paceCacheDir = func() (string, error) { return cache, nil }
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
