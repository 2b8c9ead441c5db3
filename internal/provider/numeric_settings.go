package provider

import (
	"context"
	"fmt"
	"math"
	"os"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// DefaultMaxConcurrency bounds the detail calls in flight when no max_concurrency is set: the pace is the
// real limit, and 8 calls in flight keep the default pace of 10 calls per second with answers of up to 800 ms.
const DefaultMaxConcurrency = 8

// numericSetting is a number the provider block takes, with its environment variable, default and range:
// the one definition the schema's validator and description, and Configure's reading of the environment,
// all use.
type numericSetting struct {
	attribute, env string
	def, lo, hi    float64
	integer        bool
}

var (
	requestsPerSecondSetting = numericSetting{"requests_per_second", "ESET_REQUESTS_PER_SECOND", esetapi.DefaultRequestsPerSecond, 0.1, 1000, false}
	maxRetriesSetting        = numericSetting{"max_retries", "ESET_MAX_RETRIES", esetapi.DefaultMaxRetries, 0, 50, true}
	maxConcurrencySetting    = numericSetting{"max_concurrency", "ESET_MAX_CONCURRENCY", DefaultMaxConcurrency, 1, 64, true}
)

// number writes v as people write numbers: 0.1 and 1000, not 0.100000 and 1000.000000.
func number(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// rangeText says what the setting takes, e.g. "a number between 0.1 and 1000".
func (s numericSetting) rangeText() string {
	kind := "a number"
	if s.integer {
		kind = "a whole number"
	}
	return fmt.Sprintf("%s between %s and %s", kind, number(s.lo), number(s.hi))
}

// docs is the end of the attribute's description: its range, default and environment variable.
func (s numericSetting) docs() string {
	return fmt.Sprintf("Takes %s; defaults to `%s`. Can also be set with the `%s` environment variable.", s.rangeText(), number(s.def), s.env)
}

// valid refuses NaN and the infinities along with what is out of range: NaN compares false with both
// bounds, so a range test alone lets it through.
func (s numericSetting) valid(v float64) bool {
	return !math.IsNaN(v) && !math.IsInf(v, 0) && v >= s.lo && v <= s.hi && (!s.integer || v == math.Trunc(v))
}

// resolve returns the configured value, else the environment's, else the default, and adds an error
// naming the attribute or variable when the value is not valid.
func (s numericSetting) resolve(configured *float64, diags *diag.Diagnostics) float64 {
	if configured != nil {
		if !s.valid(*configured) {
			diags.AddAttributeError(path.Root(s.attribute), "Invalid "+s.attribute,
				fmt.Sprintf("%s is %s: set it to %s.", s.attribute, number(*configured), s.rangeText()))
			return s.def
		}
		return *configured
	}
	raw := os.Getenv(s.env)
	if raw == "" {
		return s.def
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil || !s.valid(v) {
		diags.AddError("Invalid "+s.env, fmt.Sprintf("The environment variable %s is %q: set it to %s.", s.env, raw, s.rangeText()))
		return s.def
	}
	return v
}

// The setting is its own validator, for the schema: plan-time errors before Configure runs.
var (
	_ validator.Float64 = numericSetting{}
	_ validator.Int64   = numericSetting{}
)

func (s numericSetting) Description(context.Context) string { return "value must be " + s.rangeText() }

func (s numericSetting) MarkdownDescription(ctx context.Context) string { return s.Description(ctx) }

func (s numericSetting) ValidateFloat64(_ context.Context, req validator.Float64Request, resp *validator.Float64Response) {
	if !req.ConfigValue.IsNull() && !req.ConfigValue.IsUnknown() {
		s.check(req.Path, req.ConfigValue.ValueFloat64(), &resp.Diagnostics)
	}
}

func (s numericSetting) ValidateInt64(_ context.Context, req validator.Int64Request, resp *validator.Int64Response) {
	if !req.ConfigValue.IsNull() && !req.ConfigValue.IsUnknown() {
		s.check(req.Path, float64(req.ConfigValue.ValueInt64()), &resp.Diagnostics)
	}
}

func (s numericSetting) check(at path.Path, v float64, diags *diag.Diagnostics) {
	if !s.valid(v) {
		diags.AddAttributeError(at, "Invalid "+s.attribute, fmt.Sprintf("%s is %s: set it to %s.", s.attribute, number(v), s.rangeText()))
	}
}
