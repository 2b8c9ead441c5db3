package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/query"
)

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
}

var (
	filterValidator = queryValidator{what: "a filter in the API's CEL filter language", check: query.Check,
		blank: "would read every incident in the account"}
	orderByValidator = queryValidator{what: "a comma-separated list of ordering fields, each optionally followed by \" desc\"", check: query.CheckOrderBy,
		blank: "would leave the order to the API"}
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
