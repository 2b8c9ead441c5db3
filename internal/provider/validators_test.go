package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

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
