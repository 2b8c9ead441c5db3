package readplan

import (
	"fmt"
	"slices"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/query"
)

// unit is one filter the API evaluates and the conditions the provider evaluates on what it lists: the
// logical filter is the union of a read's units, each filtered by its local conditions.
type unit struct {
	// terms are the unit's share of the logical filter (its group of devices in place of all), kept to
	// fit the unit again beside a longer key condition.
	terms []term
	sent  []string
	local *query.Program // nil when the API evaluates every condition
}

// tooLongError is a condition only the API can evaluate that does not fit in one filter.
type tooLongError struct{ expr string }

func (e *tooLongError) Error() string {
	return fmt.Sprintf("the condition %q cannot be evaluated by the provider (it names device_uuids, detection_uuids, or something the "+
		"documentation does not cover), and with what the read must add it does not fit in the API's filter of %d characters",
		e.expr, esetapi.MaxFilterChars)
}

// fit makes the units of terms whose filters fit beside clause (the key's condition, "" for none). It sends
// what only the API can evaluate; then as many devices of the device condition as fit in each filter
// (each group of devices a unit: groups are what cost calls); then each condition the provider could
// evaluate, those that usually leave out most first (rank), while it fits beside every group, leaving the
// rest to the provider.
func fit(terms []term, clause string) ([]unit, error) {
	within := func(exprs ...string) bool { return fits(append(slices.Clone(exprs), clause)...) }

	var (
		required []string
		optional []term
		devices  = -1 // index of the device condition split into groups
	)
	for i, t := range terms {
		if t.devices != nil && (devices < 0 || len(t.devices) > len(terms[devices].devices)) {
			devices = i
		}
	}
	for i, t := range terms {
		switch {
		case i == devices:
		case t.local:
			optional = append(optional, t)
		default:
			required = append(required, t.expr)
			if !within(required...) {
				return nil, &tooLongError{expr: t.expr}
			}
		}
	}

	groups := [][]string{nil}
	if devices >= 0 {
		all := terms[devices].devices
		size := 0
		for size < len(all) && within(append(required, devicesExpr(all[:size+1]))...) {
			size++
		}
		if size == 0 {
			return nil, &tooLongError{expr: devicesExpr(all[:1])}
		}
		groups = groups[:0]
		for start := 0; start < len(all); start += size {
			groups = append(groups, all[start:min(start+size, len(all))])
		}
	}
	// The longest group's filter decides what else fits in every group's.
	longest := required
	if devices >= 0 {
		longest = append(append([]string(nil), required...), devicesExpr(groups[0]))
	}
	var sent, local []term
	slices.SortStableFunc(optional, func(a, b term) int { return a.rank - b.rank })
	for _, t := range optional {
		if within(append(longest, t.expr)...) {
			longest = append(longest, t.expr)
			sent = append(sent, t)
		} else {
			local = append(local, t)
		}
	}
	var program *query.Program
	if len(local) > 0 {
		var err error
		if program, err = query.Compile(joinTerms(exprsOf(local))); err != nil {
			return nil, err
		}
	}

	units := make([]unit, len(groups))
	for i, group := range groups {
		u := unit{local: program}
		for j, t := range terms {
			if j == devices {
				t = term{expr: devicesExpr(group), devices: group}
			}
			u.terms = append(u.terms, t)
		}
		u.sent = append(append([]string(nil), required...), exprsOf(sent)...)
		if devices >= 0 {
			u.sent = append(u.sent, devicesExpr(group))
		}
		units[i] = u
	}
	return units, nil
}
