package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/eset-community/terraform-provider-eset/internal/query"
)

// effectiveFilter compiles the typed filters and joins them to filter: the filter sent to the API.
func (m *IncidentsDataSourceModel) effectiveFilter(ctx context.Context, now time.Time) (query.Criteria, string, diag.Diagnostics) {
	criteria, diags := m.criteria(ctx)
	if diags.HasError() {
		return criteria, "", diags
	}
	typed, err := criteria.Expression(now)
	if err != nil {
		diags.AddError("Invalid typed filter", err.Error())
		return criteria, "", diags
	}
	filter := query.And(typed, m.Filter.ValueString())
	// The typed filters were checked one by one; joined with filter they must still make one valid query,
	// as strict as asked for. The device terms are left out of the check: they are the provider's own
	// contains() terms, and thousands of them would pass the CEL parser's 100,000 code points.
	withoutDevices := criteria
	withoutDevices.DeviceUUID, withoutDevices.DeviceUUIDs = "", nil
	checked, err := withoutDevices.Expression(now)
	if err != nil {
		diags.AddError("Invalid typed filter", err.Error())
		return criteria, "", diags
	}
	addProblems(&diags, path.Root("effective_filter"), errorsOnly(query.Check(query.And(checked, m.Filter.ValueString()), queryMode(m.Strict))))
	return criteria, filter, diags
}

// criteria gathers the typed filters.
func (m *IncidentsDataSourceModel) criteria(ctx context.Context) (query.Criteria, diag.Diagnostics) {
	var diags diag.Diagnostics
	c := query.Criteria{
		CreatedAfter:        m.CreatedAfter.ValueString(),
		CreatedBefore:       m.CreatedBefore.ValueString(),
		CreatedWithin:       m.CreatedWithin.ValueString(),
		AssigneeUUID:        m.AssigneeUUID.ValueString(),
		DeviceUUID:          m.DeviceUUID.ValueString(),
		DisplayNameContains: m.DisplayNameContains.ValueString(),
		Unassigned:          m.Unassigned.ValueBool(),
	}
	for _, l := range []struct {
		list types.List
		to   *[]string
	}{{m.Statuses, &c.Statuses}, {m.Severities, &c.Severities}, {m.TagsAny, &c.TagsAny}, {m.DeviceUUIDs, &c.DeviceUUIDs}} {
		if !l.list.IsNull() {
			diags.Append(l.list.ElementsAs(ctx, l.to, false)...)
		}
	}
	return c, diags
}

// queryID hashes the arguments, so that the same query has the same id on every run (even when
// created_within makes the compiled filter differ from one run to the next).
func (m *IncidentsDataSourceModel) queryID(criteria query.Criteria) string {
	key, _ := json.Marshal([]any{m.Filter.ValueString(), m.OrderBy.ValueString(), m.MaxResults.ValueInt64(), m.IncludeDetails.ValueBool(), criteria})
	sum := sha256.Sum256(key)
	return hex.EncodeToString(sum[:16])
}

// errorsOnly keeps the errors among problems: warnings were shown at plan time already.
func errorsOnly(problems []query.Problem) []query.Problem {
	var errs []query.Problem
	for _, p := range problems {
		if p.Severity == query.ProblemError {
			errs = append(errs, p)
		}
	}
	return errs
}
