package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/eset-community/terraform-provider-eset/internal/query"
)

// criterionValidator checks one typed filter at plan time with the compiler that builds it into the
// filter (query.Criteria.Expression), so that a typed filter gets the same message as the filter it
// compiles to, with its suggestion: created_after = "2026-10-30" suggests "2026-10-30T00:00:00Z",
// statuses = ["INCIDENT_STATUS_NEW"] suggests INCIDENT_STATUS_OPEN.
type criterionValidator struct {
	description string
	// set puts the attribute's values into the criteria.
	set func(c *query.Criteria, values []string)
}

var (
	statusesValidator      = criterionValidator{"values must be documented incident statuses", func(c *query.Criteria, v []string) { c.Statuses = v }}
	severitiesValidator    = criterionValidator{"values must be documented severity levels", func(c *query.Criteria, v []string) { c.Severities = v }}
	tagsAnyValidator       = criterionValidator{"values must be non-empty tags", func(c *query.Criteria, v []string) { c.TagsAny = v }}
	createdAfterValidator  = criterionValidator{"value must be an RFC 3339 timestamp", func(c *query.Criteria, v []string) { c.CreatedAfter = v[0] }}
	createdBeforeValidator = criterionValidator{"value must be an RFC 3339 timestamp", func(c *query.Criteria, v []string) { c.CreatedBefore = v[0] }}
	createdWithinValidator = criterionValidator{`value must be a positive duration such as "30m", "24h" or "7d"`, func(c *query.Criteria, v []string) { c.CreatedWithin = v[0] }}
)

func (v criterionValidator) Description(context.Context) string { return v.description }

func (v criterionValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v criterionValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	var c query.Criteria
	v.set(&c, []string{req.ConfigValue.ValueString()})
	if _, err := c.Expression(time.Now()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid typed filter", err.Error())
	}
}

func (v criterionValidator) ValidateList(_ context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	var values []string
	for _, el := range req.ConfigValue.Elements() {
		s, ok := el.(types.String)
		switch {
		case !ok || el.IsUnknown():
			return // checked once known
		case el.IsNull():
			return // nullElementsValidator reports it
		}
		values = append(values, s.ValueString())
	}
	var c query.Criteria
	v.set(&c, values)
	if _, err := c.Expression(time.Now()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid typed filter", err.Error())
	}
}
