package readplan

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/query"
)

// term is one condition of the logical filter, which joins all terms with &&.
type term struct {
	expr string
	// devices is set for "the incident involves one of these devices", which the reader may split into
	// groups of devices, each a filter of its own, or check on each incident's details.
	devices []string
	// local is true when the provider can evaluate the term on a listed incident, so that it may be left
	// out of the filter sent when that would not fit.
	local bool
	// rank orders the local terms sent when not all fit (query.Term.Rank).
	rank int
}

// joinTerms joins conditions with &&, each in parentheses only when its top binds less tightly than &&
// (||, ?:; query.NeedsParens) or it holds a comment: every character counts in a filter of 200.
func joinTerms(exprs []string) string {
	var parts []string
	for _, e := range exprs {
		if strings.TrimSpace(e) == "" {
			continue
		}
		parts = append(parts, e)
	}
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	for i, p := range parts {
		switch {
		case strings.Contains(p, "//"): // a comment runs to the end of its line, as query.And knows
			parts[i] = "(" + p + "\n)"
		case query.NeedsParens(p):
			parts[i] = "(" + p + ")"
		}
	}
	return strings.Join(parts, " && ")
}

// chars counts a filter as the gateway does: in characters, not bytes.
func chars(s string) int { return utf8.RuneCountInString(s) }

// fits reports whether the conditions, joined, make a filter the API accepts.
func fits(exprs ...string) bool { return chars(joinTerms(exprs)) <= esetapi.MaxFilterChars }

// exprsOf returns the expressions of terms.
func exprsOf(terms []term) []string {
	out := make([]string, len(terms))
	for i, t := range terms {
		out[i] = t.expr
	}
	return out
}

// devicesExpr is the condition "involves one of devices", in its shortest documented spelling.
func devicesExpr(devices []string) string { return query.DevicesTerm("", devices).Expr }

// splitTerms gathers the logical filter's terms: the typed filters' (compiled without the incident.
// prefix, the shortest spelling the API documents) and the user's filter as one term. Reading oldest
// first, the lower bounds of create_time are taken out and returned: the reader's key starts there.
func splitTerms(typed []query.Term, filter string, desc bool) (terms []term, floor time.Time) {
	for _, t := range typed {
		switch {
		case !t.CreatedFloor.IsZero() && !desc:
			if t.CreatedFloor.After(floor) {
				floor = t.CreatedFloor
			}
		case t.Devices != nil:
			terms = append(terms, term{expr: t.Expr, devices: t.Devices})
		default:
			terms = append(terms, term{expr: t.Expr, local: true, rank: t.Rank})
		}
	}
	if strings.TrimSpace(filter) != "" {
		terms = append(terms, term{expr: filter, local: query.Evaluable(filter), rank: query.RankUnknown})
	}
	return terms, floor
}
