package provider

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// The typo a gate must not pass on: a severity the API does not have, which matches nothing.
const severityTypo = "incident.severity == INCIDENT_SEVERITY_LEVEL_CRITICAL"

// strict makes what the docs do not cover in filter and order_by an error instead of a warning, with the
// same text; while strict is unknown only what is an error either way is reported, and unknown values
// are left for later. Empty and blank values are errors whatever strict says.
func TestQueryValidator(t *testing.T) {
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	unknownStr := tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	boolean := func(b bool) tftypes.Value { return tftypes.NewValue(tftypes.Bool, b) }
	unknownBool := tftypes.NewValue(tftypes.Bool, tftypes.UnknownValue)

	// want is the severity of each diagnostic expected, in order, with words each must contain.
	type want struct {
		severity  tfprotov6.DiagnosticSeverity
		attribute string
		words     []string
	}
	warning := func(attribute string, words ...string) want {
		return want{tfprotov6.DiagnosticSeverityWarning, attribute, words}
	}
	failure := func(attribute string, words ...string) want {
		return want{tfprotov6.DiagnosticSeverityError, attribute, words}
	}
	suggestion := "did you mean `INCIDENT_SEVERITY_LEVEL_HIGH`?"
	tests := []struct {
		name  string
		attrs map[string]tftypes.Value
		wants []want
	}{
		{"typo, strict unset", map[string]tftypes.Value{"filter": str(severityTypo)},
			[]want{warning("filter", "Unknown enum value", suggestion, "only a warning")}},
		{"typo, strict false", map[string]tftypes.Value{"filter": str(severityTypo), "strict": boolean(false)},
			[]want{warning("filter", "Unknown enum value", suggestion)}},
		{"typo, strict", map[string]tftypes.Value{"filter": str(severityTypo), "strict": boolean(true)},
			[]want{failure("filter", "Unknown enum value", suggestion, "Strict checking makes this an error")}},
		{"unknown field, strict", map[string]tftypes.Value{"filter": str(`incident.display_nam == "x"`), "strict": boolean(true)},
			[]want{failure("filter", "Unknown filter field", "did you mean `display_name`?")}},
		{"function, strict", map[string]tftypes.Value{"filter": str(`incident.display_name.startsWith("x")`), "strict": boolean(true)},
			[]want{failure("filter", "Undocumented filter function", "`startsWith`")}},
		{"macro, strict", map[string]tftypes.Value{"filter": str(`incident.tags.exists(t, t == "x")`), "strict": boolean(true)},
			[]want{failure("filter", "Undocumented filter macro", "`exists`")}},
		{"order_by camelCase", map[string]tftypes.Value{"order_by": str("createTime desc")},
			[]want{warning("order_by", "camelCase", "`create_time`")}},
		{"order_by camelCase, strict", map[string]tftypes.Value{"order_by": str("createTime desc"), "strict": boolean(true)},
			[]want{failure("order_by", "camelCase", "`create_time`", "Strict checking")}},
		{"documented, strict", map[string]tftypes.Value{
			"filter": str("incident.severity == INCIDENT_SEVERITY_LEVEL_HIGH && !has(incident.assignee_uuid)"), "order_by": str("create_time desc"),
			"statuses": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{str("INCIDENT_STATUS_OPEN")}), "strict": boolean(true),
		}, nil},
		{"strict unknown: warnings wait", map[string]tftypes.Value{"filter": str(severityTypo), "order_by": str("createTime"), "strict": unknownBool}, nil},
		{"strict unknown: errors do not", map[string]tftypes.Value{"filter": str("incident.status != INCIDENT_STATUS_OPEN"), "strict": unknownBool},
			[]want{failure("filter", "Operator not allowed")}},
		{"filter unknown, strict", map[string]tftypes.Value{"filter": unknownStr, "order_by": unknownStr, "strict": boolean(true)}, nil},
		{"empty filter", map[string]tftypes.Value{"filter": str("")},
			[]want{failure("filter", "Empty filter", "every incident", "leave filter out")}},
		{"blank filter, strict", map[string]tftypes.Value{"filter": str("  \n"), "strict": boolean(true)},
			[]want{failure("filter", "Empty filter", `"  \n"`, "leave filter out")}},
		{"empty order_by", map[string]tftypes.Value{"order_by": str(" ")},
			[]want{failure("order_by", "Empty order_by", "leave order_by out")}},
		// The gateway counts characters: 200 two-byte characters pass, 201 do not.
		{"filter of 200 characters", map[string]tftypes.Value{"filter": str(`incident.display_name.contains("` + strings.Repeat("é", 166) + `")`)}, nil},
		{"filter of 201 characters", map[string]tftypes.Value{"filter": str(`incident.display_name.contains("` + strings.Repeat("é", 167) + `")`)},
			[]want{failure("filter", "filter too long", "201 characters", "at most 200", "typed filters")}},
		{"order_by of 101 characters", map[string]tftypes.Value{"order_by": str(strings.Repeat(" ", 89) + "display_name")},
			[]want{failure("order_by", "order_by too long", "101 characters", "at most 100")}},
	}
	ctx := context.Background()
	server := NewProtocol6Server("test")()
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			config := dynamicValue(t, schemas.DataSourceSchemas["eset_incidents"], tt.attrs)
			resp, err := server.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{TypeName: "eset_incidents", Config: config})
			if err != nil {
				t.Fatal(err)
			}
			var got strings.Builder
			for _, d := range resp.Diagnostics {
				got.WriteString(d.Severity.String() + " at " + d.Attribute.String() + ": " + d.Summary + ": " + d.Detail + "\n")
			}
			if len(resp.Diagnostics) != len(tt.wants) {
				t.Fatalf("got %d diagnostics, want %d:\n%s", len(resp.Diagnostics), len(tt.wants), got.String())
			}
			for i, w := range tt.wants {
				d := resp.Diagnostics[i]
				if d.Severity != w.severity || !d.Attribute.Equal(tftypes.NewAttributePath().WithAttributeName(w.attribute)) {
					t.Errorf("diagnostic %d is not a %s at %s:\n%s", i, w.severity, w.attribute, got.String())
				}
				for _, word := range w.words {
					if !strings.Contains(d.Summary+": "+d.Detail, word) {
						t.Errorf("diagnostic %d does not say %q:\n%s", i, word, got.String())
					}
				}
				if w.severity == tfprotov6.DiagnosticSeverityError && strings.Contains(d.Detail, "only a warning") {
					t.Errorf("diagnostic %d is an error that says it is only a warning:\n%s", i, got.String())
				}
			}
		})
	}
}

// With strict = true, a typo in filter or order_by stops the plan, with its suggestion, before any call to
// the API.
func TestAccStrict_planTimeErrors(t *testing.T) {
	strict := func(args string) string {
		return "data \"eset_incidents\" \"test\" {\n  strict = true\n  " + args + "\n}"
	}
	expectPlanErrors(t, map[string]planError{
		"enum value":      {strict(`filter = "` + severityTypo + `"`), "(?s)Unknown enum value.*filter.*did\\s+you\\s+mean\\s+`INCIDENT_SEVERITY_LEVEL_HIGH`.*Strict\\s+checking"},
		"enum as string":  {strict(`filter = "incident.status == \"INCIDENT_STATUS_NEW\""`), "(?s)filter.*did\\s+you\\s+mean\\s+`INCIDENT_STATUS_OPEN`"},
		"field":           {strict(`filter = "incident.display_nam == \"x\""`), "(?s)Unknown filter field.*filter.*did\\s+you\\s+mean\\s+`display_name`"},
		"function":        {strict(`filter = "incident.display_name.startsWith(\"x\")"`), "(?s)Undocumented filter function.*filter.*startsWith"},
		"macro":           {strict(`filter = "incident.tags.exists(t, t == \"x\")"`), "(?s)Undocumented filter macro.*filter.*exists"},
		"order_by":        {strict(`order_by = "createTime desc"`), "(?s)order_by.*`create_time`.*Strict\\s+checking"},
		"with typed ones": {strict("statuses = [\"INCIDENT_STATUS_OPEN\"]\n  filter = \"" + severityTypo + "\""), "(?s)Unknown enum value.*filter.*INCIDENT_SEVERITY_LEVEL_HIGH"},
	})
}

// Without strict, the same typo is only a warning: the read goes ahead and, as the warning says, matches
// nothing. With strict, documented filters and the typed filters read as they would without it.
func TestAccStrict_lenientAndDocumented(t *testing.T) {
	sim := startSimulator(t, simulator.Options{Incidents: simulator.Generate(44, 60)})
	want := matching(t, sim.Incidents, "incident.severity == INCIDENT_SEVERITY_LEVEL_HIGH && incident.status in [INCIDENT_STATUS_OPEN]", "create_time desc")
	if len(want) == 0 {
		t.Fatal("the filter matches nothing in the data set: the test proves nothing")
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: sim.providerConfig("") + `
data "eset_incidents" "lenient" {
  filter = "` + severityTypo + `"
}
data "eset_incidents" "test" {
  strict     = true
  filter     = "incident.severity == INCIDENT_SEVERITY_LEVEL_HIGH"
  statuses   = ["INCIDENT_STATUS_OPEN"]
  order_by   = "create_time desc"
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.eset_incidents.lenient", tfjsonpath.New("ids"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownValue("data.eset_incidents.lenient", tfjsonpath.New("strict"), knownvalue.Null()),
				statecheck.ExpectKnownValue(incidentsAddress, tfjsonpath.New("strict"), knownvalue.Bool(true)),
				expectIDs(want),
			},
		}},
	})
}

// A strict filter unknown at plan time is checked once known, before the data source reads anything.
func TestAccStrictFilter_unknownAtPlan(t *testing.T) {
	sim := startSimulator(t, simulator.Options{Incidents: simulator.Generate(45, 10)})
	t.Cleanup(func() {
		if st := sim.Stats(); st.ListCalls != 0 {
			t.Errorf("a strict typo known only at apply made %d list calls, want none", st.ListCalls)
		}
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: sim.providerConfig("") + `
resource "terraform_data" "severity" {
  input = "INCIDENT_SEVERITY_LEVEL_CRITICAL"
}
data "eset_incidents" "test" {
  strict = true
  filter = "incident.severity == ${terraform_data.severity.output}"
}`,
			ExpectError: regexp.MustCompile("(?s)Unknown enum value.*filter = .*did\\s+you\\s+mean\\s+`INCIDENT_SEVERITY_LEVEL_HIGH`.*Strict\\s+checking"),
		}},
	})
}

// An empty or blank filter or order_by is an error that says to leave the argument out, before any call:
// an expression that came out empty must not read every incident unnoticed.
func TestAccEmptyFilter_planTimeErrors(t *testing.T) {
	list := func(args string) string { return "data \"eset_incidents\" \"test\" {\n  " + args + "\n}" }
	expectPlanErrors(t, map[string]planError{
		"empty filter":    {list(`filter = ""`), `(?s)Empty filter.*every\s+incident.*leave\s+filter\s+out`},
		"blank filter":    {list(`filter = "  \n"`), `(?s)Empty filter.*leave\s+filter\s+out`},
		"join over none":  {list(`filter = join(" || ", [for d in [] : "incident.device_uuids.contains(\"${d}\")"])`), `(?s)Empty filter.*leave\s+filter\s+out`},
		"empty order_by":  {list(`order_by = ""`), `(?s)Empty order_by.*leave\s+order_by\s+out`},
		"strict, blank":   {list("strict = true\n  filter = \"\\t\""), `(?s)Empty filter`},
		"with typed ones": {list("statuses = [\"INCIDENT_STATUS_OPEN\"]\n  filter = \"\""), `(?s)Empty filter`},
	})
}

// validate runs v on value and returns its error detail, "" when it accepts the value.
func validate(v validator.String, value types.String) string {
	var resp validator.StringResponse
	v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("x"), ConfigValue: value}, &resp)
	if !resp.Diagnostics.HasError() {
		return ""
	}
	return resp.Diagnostics.Errors()[0].Detail()
}

func TestEnumValidatorSuggests(t *testing.T) {
	severities := enumValidator{esetapi.DetectionSeverities[1:]}
	statuses := enumValidator{esetapi.FunctionalityStatuses[1:]}
	for _, tc := range []struct {
		v         enumValidator
		value     string
		suggested string
	}{
		{severities, "HIGH", "SEVERITY_LEVEL_HIGH"},
		{severities, "high", "SEVERITY_LEVEL_HIGH"},
		{severities, "severity_level_low", "SEVERITY_LEVEL_LOW"},
		{severities, "SEVERITY_LEVEL_MEDUIM", "SEVERITY_LEVEL_MEDIUM"},
		{statuses, "OK", "DEVICE_FUNCTIONALITY_STATUS_OK"},
		{statuses, "attention_required", "DEVICE_FUNCTIONALITY_STATUS_ATTENTION_REQUIRED"},
	} {
		detail := validate(tc.v, types.StringValue(tc.value))
		if !strings.Contains(detail, `did you mean "`+tc.suggested+`"`) {
			t.Errorf("%q: %s", tc.value, detail)
		}
	}
	for _, ok := range []types.String{types.StringValue("SEVERITY_LEVEL_HIGH"), types.StringNull(), types.StringUnknown()} {
		if detail := validate(severities, ok); detail != "" {
			t.Errorf("%s refused: %s", ok, detail)
		}
	}
}

// TestEnumValidatorRefusesUnspecified: a *_UNSPECIFIED value is the API's fallback for an absent value,
// refused with why rather than with the nearest spelling, and the valid values do not include it.
func TestEnumValidatorRefusesUnspecified(t *testing.T) {
	for _, tc := range []struct {
		values   []string
		value    string
		at       path.Path
		argument string
	}{
		{esetapi.DetectionSeverities, "SEVERITY_LEVEL_UNSPECIFIED", path.Root("severities").AtListIndex(0), "severities"},
		{esetapi.DetectionCategories, "detection_category_unspecified", path.Root("categories").AtListIndex(2), "categories"},
		{esetapi.FunctionalityStatuses, "DEVICE_FUNCTIONALITY_STATUS_UNSPECIFIED", path.Root("functionality_status"), "functionality_status"},
	} {
		var resp validator.StringResponse
		enumValidator{tc.values[1:]}.ValidateString(context.Background(),
			validator.StringRequest{Path: tc.at, ConfigValue: types.StringValue(tc.value)}, &resp)
		if !resp.Diagnostics.HasError() {
			t.Errorf("%s accepted", tc.value)
			continue
		}
		detail := resp.Diagnostics.Errors()[0].Detail()
		if !strings.Contains(detail, "fallback") || !strings.Contains(detail, "leave "+tc.argument+" out") ||
			strings.Contains(detail, "did you mean") || !strings.HasSuffix(detail, "Valid values are "+strings.Join(tc.values[1:], ", ")+".") {
			t.Errorf("%s: %s", tc.value, detail)
		}
	}
}

func TestTimestampUUIDAndAddressValidators(t *testing.T) {
	for _, tc := range []struct {
		v       validator.String
		value   string
		refused string // "" accepts
	}{
		{timestampValidator{}, "2026-01-01T00:00:00Z", ""},
		{timestampValidator{}, "2026-01-01T02:00:00.5+02:00", ""},
		{timestampValidator{}, "2026-01-01", `did you mean "2026-01-01T00:00:00Z"`},
		{timestampValidator{}, "2026-01-01 10:00:00Z", `did you mean "2026-01-01T10:00:00Z"`},
		{uuidValidator{}, "4b0c9e2a-7f31-4d6e-9a55-1c2d3e4f5a6b", ""},
		{uuidValidator{}, "4B0C9E2A-7F31-4D6E-9A55-1C2D3E4F5A6B", ""},
		{uuidValidator{}, "web-01", `"web-01" is not a uuid`},
		{uuidValidator{}, "4b0c9e2a7f314d6e9a551c2d3e4f5a6b", "is not a uuid"},
		{ipAddressValidator{}, "10.20.4.17", ""},
		{ipAddressValidator{}, "2001:db8::1", ""},
		{ipAddressValidator{}, "10.20.4.0/24", "not an IP address"},
		{ipAddressValidator{}, "web-01.example.com", "not an IP address"},
		{withinValidator{}, "7d", ""},
		{withinValidator{}, "-1h", "positive"},
	} {
		detail := validate(tc.v, types.StringValue(tc.value))
		if (tc.refused == "") != (detail == "") || !strings.Contains(detail, tc.refused) {
			t.Errorf("%T %q: got %q, want %q", tc.v, tc.value, detail, tc.refused)
		}
	}
}

// The plan-time diagnostic for an endpoint never shows a password or key written into it, in whatever
// place the URL holds it.
func TestEndpointValidator_hidesSecrets(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{
		"admin:S3cretPw@eu.business-account.iam.eset.systems",
		"admin:S3cretPw@127.0.0.1:8080",
		"https:admin:S3cretPw@eu.business-account.iam.eset.systems",
		"https://admin:S3cretPw@eu.business-account.iam.eset.systems",
		"https://eu.business-account.iam.eset.systems?api_key=S3cretKey",
	} {
		req := validator.StringRequest{Path: path.Root("iam_endpoint"), ConfigValue: types.StringValue(raw)}
		var resp validator.StringResponse
		endpointValidator{}.ValidateString(context.Background(), req, &resp)
		if !resp.Diagnostics.HasError() {
			t.Errorf("%q: no error", raw)
		}
		for _, d := range resp.Diagnostics {
			if strings.Contains(d.Summary()+d.Detail(), "S3cret") {
				t.Errorf("%q: the diagnostic shows the secret: %s: %s", raw, d.Summary(), d.Detail())
			}
		}
	}
}

// A null element in any list argument is refused at plan time, a null from a variable included: dropped,
// it would widen display_names to every device and leave missing_display_names empty.
func TestAccNullListElements_planTimeErrors(t *testing.T) {
	withNull := func(data, args string) string {
		return "variable \"h\" {\n  type    = string\n  default = null\n}\n\ndata \"" + data + "\" \"test\" {\n  " + args + "\n}"
	}
	const uuid = "00000000-0000-4000-8000-000000000001"
	expectPlanErrors(t, map[string]planError{
		"devices display_names":     {withNull("eset_devices", `display_names = ["web-01", var.h]`), `(?s)display_names.*element 1 is null`},
		"devices ip_addresses":      {withNull("eset_devices", `ip_addresses = [var.h]`), `(?s)ip_addresses.*element 0 is null`},
		"devices tags_any":          {withNull("eset_devices", `tags_any = ["vip", var.h]`), `(?s)tags_any.*element 1 is null`},
		"detections device_uuids":   {withNull("eset_detections", `device_uuids = ["`+uuid+`", var.h]`), `(?s)device_uuids.*element 1 is null`},
		"detections severities":     {withNull("eset_detections", `severities = [var.h]`), `(?s)severities.*element 0 is null`},
		"detections categories":     {withNull("eset_detections", `categories = [var.h]`), `(?s)categories.*element 0 is null`},
		"incidents device_uuids":    {withNull("eset_incidents", `device_uuids = [var.h]`), `(?s)device_uuids.*element 0 is null`},
		"incidents statuses, a var": {withNull("eset_incidents", `statuses = [var.h]`), `(?s)statuses.*element 0 is null`},
	})
}
