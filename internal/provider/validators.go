package provider

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/query"
)

// maxResultsValidators bound max_results of the list data sources: at least one, and at most what one
// listing returns (esetapi.MaxListed), which fits an int on any platform.
var maxResultsValidators = []validator.Int64{int64validator.Between(1, esetapi.MaxListed)}

// queryValidator checks a filter or order_by value with the query package at plan time: errors block the
// plan; what the docs do not cover is a warning, or an error when the sibling attribute strict is true.
// It reads strict from the configuration itself, as the framework's ConflictsWith does with its
// siblings, so that each problem stays on the attribute it is about. Values unknown at plan time are
// checked when known (Terraform validates a data source's configuration again before reading it); while
// strict is unknown, only what is an error in either mode is reported.
type queryValidator struct {
	what  string
	check func(string, query.Mode) []query.Problem
	// blank says what an empty value would do, for the error that asks to leave the argument out instead.
	blank string
	// limit is the most characters the API accepts (its published maxLength); shorten says how to stay within it.
	limit   int
	shorten string
}

var (
	filterValidator = queryValidator{what: "a filter in the API's CEL filter language", check: query.Check,
		blank: "would read every incident in the account", limit: esetapi.MaxFilterChars,
		shorten: "Shorten it, or move conditions into the typed filters (statuses, severities, created_*, device_uuids, ...), which " +
			"the provider fits within the limit itself, evaluating what does not fit on each incident it lists."}
	orderByValidator = queryValidator{what: "a comma-separated list of ordering fields, each optionally followed by \" desc\"", check: query.CheckOrderBy,
		blank: "would leave the order to the API", limit: esetapi.MaxOrderByChars,
		shorten: "Shorten it: each field once, with single spaces."}
)

func (v queryValidator) Description(context.Context) string {
	return "value must be " + v.what + "; with strict = true, what the API documentation does not cover is an error"
}

func (v queryValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v queryValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	value, name := req.ConfigValue.ValueString(), attributeName(req.Path)
	if strings.TrimSpace(value) == "" {
		// Most likely an expression that came out empty (a join over an empty list), not a choice.
		resp.Diagnostics.AddAttributeError(req.Path, "Empty "+name,
			fmt.Sprintf("%s = %q %s. An empty value is more likely an expression that came out empty (a join over an "+
				"empty list, a blank variable) than a choice: leave %s out, or make the expression null rather than \"\" "+
				"when there is nothing to put in it.", name, value, v.blank, name))
		return
	}
	if n := utf8.RuneCountInString(value); n > v.limit {
		// The gateway counts characters, and refuses a longer value with a 400 whatever it holds.
		resp.Diagnostics.AddAttributeError(req.Path, name+" too long",
			fmt.Sprintf("%s is %d characters long; the ESET API accepts at most %d (its published limit), and would refuse the read. %s",
				name, n, v.limit, v.shorten))
		return
	}
	var strict types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, req.Path.ParentPath().AtName("strict"), &strict)...)
	if resp.Diagnostics.HasError() {
		return
	}
	problems := v.check(value, queryMode(strict))
	if strict.IsUnknown() {
		problems = errorsOnly(problems)
	}
	addProblems(&resp.Diagnostics, req.Path, problems)
}

// queryMode is the query package's mode for a strict argument: Strict when true, else Lenient.
func queryMode(strict types.Bool) query.Mode {
	if strict.ValueBool() {
		return query.Strict
	}
	return query.Lenient
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

// endpointValidator checks an endpoint at plan time with the client's own check: https (plain http on
// loopback only), no user name or password, no query, no fragment.
type endpointValidator struct{}

func (endpointValidator) Description(context.Context) string {
	return "value must be an https:// base URL such as https://eu.incident-management.eset.systems"
}

func (v endpointValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (endpointValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := esetapi.CheckEndpoint(strings.TrimRight(req.ConfigValue.ValueString(), "/")); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid ESET endpoint", err.Error())
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

// conflictsWhenTrue refuses a bool argument set to true together with another bool argument set to true;
// either one false or unset is fine (boolvalidator.ConflictsWith would refuse `false` too).
type conflictsWhenTrue struct{ other string }

func (v conflictsWhenTrue) Description(context.Context) string {
	return "cannot be true when " + v.other + " is true"
}

func (v conflictsWhenTrue) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v conflictsWhenTrue) ValidateBool(ctx context.Context, req validator.BoolRequest, resp *validator.BoolResponse) {
	if !req.ConfigValue.ValueBool() {
		return
	}
	var other types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(v.other), &other)...)
	if other.ValueBool() {
		resp.Diagnostics.AddAttributeError(req.Path, "Conflicting arguments",
			fmt.Sprintf("%s = true and %s = true cannot be used together. Set one of them to false or leave it out.", req.Path, v.other))
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
	why := fmt.Sprintf("is not a documented value: did you mean %q?", v.suggest(s))
	if strings.HasSuffix(strings.ToUpper(s), "_UNSPECIFIED") {
		// The API's fallback for an absent value: as a filter it means no condition, or matches nothing.
		why = fmt.Sprintf("is the API's fallback for a value that is absent, not one to filter by: leave %s out for "+
			"no condition, or list the values meant.", argumentName(req.Path))
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid value",
		fmt.Sprintf("%q %s Valid values are %s.", s, why, strings.Join(v.values, ", ")))
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

// nullElementsValidator refuses a null element in a list argument (a null from a variable is known at plan
// time): dropped, it would widen the read (display_names = ["web-01", null] would read every device), and
// kept, it fails the read with a conversion error.
type nullElementsValidator struct{}

func (nullElementsValidator) Description(context.Context) string { return "elements must not be null" }

func (v nullElementsValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (nullElementsValidator) ValidateList(_ context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	for i, el := range req.ConfigValue.Elements() {
		if el.IsNull() {
			resp.Diagnostics.AddAttributeError(req.Path.AtListIndex(i), "Invalid list element",
				fmt.Sprintf("%s: element %d is null; list values only, or leave the argument out.", attributeName(req.Path), i))
		}
	}
}

// listValidators are the validators of every list argument: at least one element, none null, then more.
func listValidators(more ...validator.List) []validator.List {
	return append([]validator.List{nonEmptyListValidator{}, nullElementsValidator{}}, more...)
}

// nonEmptyListValidator refuses an empty list argument, saying where one usually comes from: a typed
// filter over no value matches nothing, and [] is more likely an expression that came out empty (the ids
// of an eset_devices that matched no device) than a choice.
type nonEmptyListValidator struct{}

func (nonEmptyListValidator) Description(context.Context) string {
	return "list must contain at least 1 element"
}

func (v nonEmptyListValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (nonEmptyListValidator) ValidateList(_ context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || len(req.ConfigValue.Elements()) > 0 {
		return
	}
	name := attributeName(req.Path)
	source := "a for expression over nothing, a variable left empty"
	if strings.HasSuffix(name, "uuids") {
		source = "the ids of an eset_devices that matched no device, whose warning names what it did not find"
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Empty "+name,
		fmt.Sprintf("%s = [] would match nothing. An empty list is more likely an expression that came out empty (%s) "+
			"than a choice: leave %s out when there is no condition to set, or skip the read (count) when the list can be empty.",
			name, source, name))
}

// argumentName is the name of the argument p is in: a list element's list.
func argumentName(p path.Path) string {
	for {
		last, _ := p.Steps().LastStep()
		if _, isElement := last.(path.PathStepElementKeyInt); !isElement {
			return attributeName(p)
		}
		p = p.ParentPath()
	}
}

func attributeName(p path.Path) string {
	steps := p.Steps()
	if len(steps) == 0 {
		return p.String()
	}
	return steps[len(steps)-1].String()
}

// uuidValidator checks that a string, or each string of a list (listvalidator.ValueStringsAre), has the
// form of the API's identifiers: a typed filter on "web-01" would match nothing and let a gate pass, and
// an incident's uuid goes into a URL path.
type uuidValidator struct{}

func (uuidValidator) Description(context.Context) string {
	return "value must be a uuid such as 0f8e3c1a-5d2b-4c7e-9a41-2b6d8e0f1c3a"
}

func (v uuidValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v uuidValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if s := req.ConfigValue.ValueString(); !esetapi.IsUUID(s) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid uuid",
			fmt.Sprintf("%q is not a uuid (8-4-4-4-12 hexadecimal digits, e.g. 0f8e3c1a-5d2b-4c7e-9a41-2b6d8e0f1c3a): as written it matches nothing. "+
				"Use the uuid the ESET console or API shows, not a name (eset_devices turns host names into uuids).", s))
	}
}

// stringValues spells a list of string-typed values (plans, enums) as the strings a schema validator compares.
func stringValues[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

// listPlanValidator checks list_plan, which forces how a list data source reads: one of plans; those
// of devicePlans read the devices of the device arguments and need one set, and alone (when set) is the
// plan without devices and refuses them. Device arguments unknown at plan time are checked when known.
type listPlanValidator struct {
	plans       []string
	devicePlans []string
	alone       string
	devices     []string
}

func (v listPlanValidator) Description(context.Context) string {
	return "value must be one of " + strings.Join(v.plans, ", ")
}

func (v listPlanValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v listPlanValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	plan := req.ConfigValue.ValueString()
	if !slices.Contains(v.plans, plan) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid list_plan",
			fmt.Sprintf("%q is not a plan: valid values are %s. Leave list_plan out to let the provider choose the plan "+
				"that needs fewer calls.", plan, strings.Join(v.plans, ", ")))
		return
	}
	set, unknown := false, false
	for _, name := range v.devices {
		var value attr.Value
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(name), &value)...)
		set = set || value != nil && !value.IsNull()
		unknown = unknown || value != nil && value.IsUnknown()
	}
	devices := strings.Join(v.devices, " or ")
	switch {
	case unknown:
	case slices.Contains(v.devicePlans, plan) && !set:
		resp.Diagnostics.AddAttributeError(req.Path, "list_plan needs devices",
			fmt.Sprintf("list_plan = %q is a plan for the devices of %s, and none is set. Set %s, or leave list_plan out.", plan, devices, devices))
	case plan == v.alone && set:
		resp.Diagnostics.AddAttributeError(req.Path, "list_plan without devices",
			fmt.Sprintf("list_plan = %q is the plan without devices, and %s is set. Use %s, or leave list_plan out.",
				plan, devices, strings.Join(v.devicePlans, " or ")))
	}
}
