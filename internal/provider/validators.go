package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

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

// createdWithinValidator checks created_within with the same parser that compiles it.
type createdWithinValidator struct{}

func (createdWithinValidator) Description(context.Context) string {
	return `value must be a positive duration such as "30m", "24h" or "7d"`
}

func (v createdWithinValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (createdWithinValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := (query.Criteria{CreatedWithin: req.ConfigValue.ValueString()}).Expression(time.Now()); err != nil {
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
