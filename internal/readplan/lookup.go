package readplan

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// errCostlier stops a lookup's listing once it costs more than the device groups' listings would.
var errCostlier = errors.New("the lookup costs more than the device groups")

// lookup is the other plan for device conditions: list what the rest of the filter selects, then read
// the details of each candidate (GET /v2/incidents/{uuid}, the only call that returns device_uuids) and
// keep those involving the devices. It costs a call per candidate besides the listing, against at least
// groups calls for the device groups' listings, so it gives up, reporting done false, as soon as the
// candidates reach groups. The calls already made are the price of finding out; with few candidates, the
// common case of a gate, it saves most of them.
func (p *plan) lookup(ctx context.Context, groups int, fn func([]esetapi.Incident) error) (bool, error) {
	var rest []term
	var conditions [][]string
	for _, t := range p.terms {
		if t.devices != nil {
			conditions = append(conditions, t.devices)
		} else {
			rest = append(rest, t)
		}
	}
	if conditions == nil {
		return false, nil
	}
	units, err := fit(rest, p.start.clause(p.r.desc))
	if err != nil || len(units) != 1 {
		return false, nil //nolint:nilerr // the device groups' plan reads what this one cannot
	}
	read := func(ctx context.Context, u unit, emit func([]esetapi.Incident) error) (bool, error) {
		return p.r.keyed(ctx, u, p.start, 0, emit)
	}
	if _, keyErr := fit(rest, longestKey.clause(p.r.desc)); keyErr != nil {
		// What only the API can evaluate fills the filter: the rest is read by position.
		p.result.ByPosition = NoRoom
		read = func(ctx context.Context, u unit, emit func([]esetapi.Incident) error) (bool, error) {
			return p.r.byPosition(ctx, u, p.apiOrder(), 0, emit)
		}
	}
	var candidates []esetapi.Incident
	callsBefore := p.r.calls
	seen := p.r.seen
	p.r.seen = map[esetapi.UUIDKey]struct{}{}
	_, err = read(ctx, units[0], func(page []esetapi.Incident) error {
		candidates = append(candidates, page...)
		if p.r.calls-callsBefore+len(candidates) >= groups {
			return errCostlier
		}
		return nil
	})
	p.r.seen = seen
	if errors.Is(err, errCostlier) {
		p.result.ByPosition = ""
		return false, nil
	}
	if err != nil {
		return true, err
	}
	p.result.DetailCalls += len(candidates)
	involved := make([]bool, len(candidates))
	err = p.r.client.IncidentDetails(ctx, candidates, p.req.Concurrency, func(i int, inc *esetapi.Incident) {
		involved[i] = involves(inc.DeviceUUIDs, conditions)
		if p.req.Details {
			candidates[i] = *inc
		}
	})
	if err != nil {
		return true, err
	}
	kept := candidates[:0]
	for i := range candidates {
		if involved[i] {
			kept = append(kept, candidates[i])
		}
	}
	p.result.DevicePlan = DeviceDetails
	p.result.Plan = fmt.Sprintf("1 listing without the device condition (%s) and %d detail calls, fewer than the %d device groups' listings",
		p.describe(units[0]), len(candidates), groups)
	switch {
	case p.req.DevicePlan == DeviceDetails:
		p.result.Plan = fmt.Sprintf("1 listing without the device condition (%s) and %d detail calls, as asked", p.describe(units[0]), len(candidates))
	case groups == math.MaxInt:
		p.result.Plan = fmt.Sprintf("1 listing without the device condition (%s) and %d detail calls: no device fits beside the filter",
			p.describe(units[0]), len(candidates))
	}
	return true, p.finish(ctx, kept, !p.byCreateTime, false, fn)
}

// involves reports whether devices holds one device of each condition.
func involves(devices []string, conditions [][]string) bool {
	have := make(map[string]bool, len(devices))
	for _, d := range devices {
		have[esetapi.CanonicalUUID(d)] = true
	}
	for _, c := range conditions {
		found := false
		for _, d := range c {
			found = found || have[d]
		}
		if !found {
			return false
		}
	}
	return true
}
