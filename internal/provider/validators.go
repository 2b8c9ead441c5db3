package provider

import (
	"context"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/eset-community/terraform-provider-eset/internal/query"
)

// queryValidator checks a filter or order_by value with the query package at plan time: errors block the
// plan, warnings (what a newer API may accept) do not. Values unknown at plan time are checked at apply.
type queryValidator struct {
	what  string
	check func(string) []query.Problem
}

var (
	filterValidator  = queryValidator{what: "a filter in the API's CEL filter language", check: query.Check}
	orderByValidator = queryValidator{what: "a comma-separated list of ordering fields, each optionally followed by \" desc\"", check: query.CheckOrderBy}
)

func (v queryValidator) Description(context.Context) string { return "value must be " + v.what }

func (v queryValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v queryValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	addProblems(&resp.Diagnostics, req.Path, v.check(req.ConfigValue.ValueString()))
}

func addProblems(diags *diag.Diagnostics, at path.Path, problems []query.Problem) {
	for _, p := range problems {
		if p.Severity == query.ProblemWarning {
			diags.AddAttributeWarning(at, p.Summary, p.Detail)
		} else {
			diags.AddAttributeError(at, p.Summary, p.Detail)
		}
	}
}

// withinValidator checks a duration before the read, such as created_within or occurred_within, with the
// parser that reads it.
type withinValidator struct{}

func (withinValidator) Description(context.Context) string {
	return `value must be a positive duration such as "30m", "24h" or "7d"`
}

func (v withinValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (withinValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := query.ParseWithin(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration", err.Error())
	}
}

// uuidValidator checks that a string, or each string of a list (listvalidator.ValueStringsAre), has the
// form of the API's identifiers: a filter on "web-01" would match nothing and let a gate pass, and a uuid
// goes into a URL path.
type uuidValidator struct{}

var uuidForm = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func (uuidValidator) Description(context.Context) string {
	return "value must be a uuid such as 0f8e3c1a-5d2b-4c7e-9a41-2b6d8e0f1c3a"
}

func (v uuidValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (uuidValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if s := req.ConfigValue.ValueString(); !uuidForm.MatchString(s) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid uuid",
			fmt.Sprintf("%q is not a uuid (8-4-4-4-12 hexadecimal digits, e.g. 0f8e3c1a-5d2b-4c7e-9a41-2b6d8e0f1c3a): as written it matches nothing. "+
				"Use the uuid the ESET console or API shows, not a name (eset_devices turns host names into uuids).", s))
	}
}

// enumValidator checks a documented enum value and suggests the one meant: the value in upper case, the
// value completed with the values' common prefix (HIGH means SEVERITY_LEVEL_HIGH), else the nearest spelling.
type enumValidator struct{ values []string }

func (v enumValidator) Description(context.Context) string {
	return "value must be one of " + strings.Join(v.values, ", ")
}

func (v enumValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v enumValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || slices.Contains(v.values, req.ConfigValue.ValueString()) {
		return
	}
	s := req.ConfigValue.ValueString()
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid value",
		fmt.Sprintf("%q is not a documented value: did you mean %q? Valid values are %s.", s, v.suggest(s), strings.Join(v.values, ", ")))
}

func (v enumValidator) suggest(s string) string {
	prefix := v.values[0][:strings.LastIndex(v.values[0], "_")+1]
	for _, other := range v.values[1:] {
		for !strings.HasPrefix(other, prefix) {
			prefix = prefix[:strings.LastIndex(prefix[:len(prefix)-1], "_")+1]
		}
	}
	up := strings.ToUpper(strings.TrimSpace(s))
	for _, cand := range []string{up, prefix + up} {
		if slices.Contains(v.values, cand) {
			return cand
		}
	}
	return query.Closest(s, v.values)
}

// timestampValidator checks an RFC 3339 timestamp and suggests the fix of a near miss (a bare date gets
// its midnight in UTC).
type timestampValidator struct{}

func (timestampValidator) Description(context.Context) string {
	return "value must be an RFC 3339 timestamp such as 2026-01-01T00:00:00Z"
}

func (v timestampValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (timestampValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	if _, err := time.Parse(time.RFC3339, s); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid timestamp",
			fmt.Sprintf("%q is not an RFC 3339 timestamp%s; write e.g. 2026-01-01T00:00:00Z.", s, query.TimestampHint(s)))
	}
}

// ipAddressValidator checks an IPv4 or IPv6 address, without a prefix length or port.
type ipAddressValidator struct{}

func (ipAddressValidator) Description(context.Context) string {
	return "value must be an IP address such as 10.20.4.17 or 2001:db8::1"
}

func (v ipAddressValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (ipAddressValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if s := req.ConfigValue.ValueString(); !isIPAddress(s) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid IP address",
			fmt.Sprintf("%q is not an IP address: write one address such as 10.20.4.17 or 2001:db8::1, without a prefix length or port.", s))
	}
}

func isIPAddress(s string) bool {
	_, err := netip.ParseAddr(s)
	return err == nil
}
