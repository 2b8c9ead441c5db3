// Package readplan reads incidents for eset_incidents. It plans the calls of GET /v2/incidents (and of
// GET /v2/incidents/{uuid} where they are cheaper) that return exactly what a filter selects, within the
// API's published limits (a filter of at most 200 characters), reading by create_time rather than by page
// position so that nothing is skipped while the tenant changes, with the fewest calls it can.
//
// The logical filter is the typed filters' terms and the user's filter, joined by &&. A read sends what
// fits, and evaluates the rest on each listed incident with the filter language's own evaluation
// (package query); device conditions, which only the API can evaluate on a listing, are split into groups
// of devices, one filter each, or checked on each candidate's details, whichever takes fewer calls.
package readplan

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"golang.org/x/sync/errgroup"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/query"
)

// Request is one read.
type Request struct {
	// Typed are the typed filters' terms, compiled without the incident. prefix (query.Criteria.Terms).
	Typed []query.Term
	// Filter is the user's filter, "" for none.
	Filter string
	// OrderBy is the user's order_by, "" for the default: oldest first.
	OrderBy string
	// MaxResults stops the read after this many incidents in the order asked for; zero reads every one.
	MaxResults int
	// Details fills in each incident's device and detection uuids, a detail call each.
	Details     bool
	Concurrency int
	// Unordered says the caller keeps no order (it only counts): incidents may be handed over as read.
	Unordered bool
	// DevicePlan forces how a device condition is read (DeviceGroups or DeviceDetails; Listing for a read
	// without one); "" chooses the plan that needs fewer calls. A forced plan that cannot read the filter
	// fails the read.
	DevicePlan DevicePlan
}

// Result describes a finished read.
type Result struct {
	Incidents int
	// Truncated is true when MaxResults stopped the read with more incidents matching.
	Truncated bool
	// ListCalls and DetailCalls count the calls made.
	ListCalls, DetailCalls int
	// Plan says how the read went, for the debug log: its listings and what the provider evaluated.
	Plan string
	// DevicePlan is the plan that ran.
	DevicePlan DevicePlan
	// Filters are the distinct filters sent (the first 20).
	Filters []string
	// ByPosition is set when the read paged by position, with why: then an incident the tenant moved
	// during the read may be missing, and Duplicates counts those sent twice.
	ByPosition string
	Duplicates int
}

// Read reads the incidents req selects and hands them to fn, in the order asked for, each once.
func Read(ctx context.Context, client *esetapi.Client, req Request, fn func([]esetapi.Incident) error) (Result, error) {
	keys, err := query.ParseOrderBy(req.OrderBy)
	if err != nil {
		return Result{}, fmt.Errorf("order_by: %w", err)
	}
	byCreateTime := len(keys) == 0 || len(keys) == 1 && keys[0].Field == "create_time"
	desc := byCreateTime && len(keys) == 1 && keys[0].Desc
	r := &reader{client: client, desc: desc, orderBy: "create_time", budget: &callBudget{max: maxListCalls}, seen: map[esetapi.UUIDKey]struct{}{}}
	if desc {
		r.orderBy = "create_time desc"
	}
	terms, floor := splitTerms(req.Typed, req.Filter, desc)
	if err := checkForced(req.DevicePlan, terms); err != nil {
		return Result{}, err
	}
	start := key{t: floor}
	p := &plan{r: r, req: req, keys: keys, byCreateTime: byCreateTime, start: start, terms: terms}
	err = p.run(ctx, fn)
	res := p.result
	if res.DevicePlan == "" {
		res.DevicePlan = ranPlan(terms)
	}
	res.ListCalls, res.Duplicates, res.Filters = r.calls, r.duplicates, r.filters
	return res, err
}

// NoRoom is why a read whose filter leaves no room for the key reads by position.
const NoRoom = "the filter leaves no room for reading by create_time"

// plan is a read under way.
type plan struct {
	r            *reader
	req          Request
	keys         []query.OrderKey
	byCreateTime bool
	start        key
	terms        []term
	result       Result
}

func (p *plan) run(ctx context.Context, fn func([]esetapi.Incident) error) error {
	units, err := fit(p.terms, p.start.clause(p.r.desc))
	var tooLong *tooLongError
	if errors.As(err, &tooLong) && !p.start.t.IsZero() {
		// The key's first condition is create_time's lower bound: without it, the bound is the provider's.
		p.terms = append(p.terms, term{expr: "create_time >= " + timestamp(p.start.t), local: true})
		p.start = key{}
		units, err = fit(p.terms, "")
	}
	if p.req.DevicePlan == DeviceDetails {
		if done, lookupErr := p.lookup(ctx, math.MaxInt, fn); done || lookupErr != nil {
			return lookupErr
		}
		return &ForcedPlanError{DeviceDetails, "what the provider cannot evaluate besides the devices does not fit in one filter of the API's 200 characters"}
	}
	groupsOnly := p.req.DevicePlan == DeviceGroups
	_, keyErr := fit(p.terms, longestKey.clause(p.r.desc))
	if err != nil || keyErr != nil {
		// What only the API can evaluate leaves no room for a device or for the key: the lookup sends no
		// device, and reading by position needs no key. When the device groups fit without the key, the
		// lookup may cost no more than they would.
		bound := math.MaxInt
		if err == nil {
			bound = len(units)
		}
		if !groupsOnly {
			if done, lookupErr := p.lookup(ctx, bound, fn); done || lookupErr != nil {
				return lookupErr
			}
		}
		if err != nil && groupsOnly {
			return &ForcedPlanError{DeviceGroups, err.Error()}
		}
		if err != nil {
			return err
		}
		p.result.ByPosition = NoRoom
		return p.positions(ctx, units, p.apiOrder(), fn)
	}
	if !p.byCreateTime && p.req.MaxResults > 0 && len(units) == 1 && !p.req.Unordered {
		// The first max_results in another order: reading every incident by key to order them would cost
		// every page; the API's order by position costs one.
		p.result.ByPosition = "max_results with an order_by other than create_time"
		return p.positions(ctx, units, p.req.OrderBy, fn)
	}
	if len(units) > 1 && !groupsOnly {
		if done, err := p.lookup(ctx, len(units), fn); done || err != nil {
			return err
		}
	}
	return p.listings(ctx, units, fn)
}

// apiOrder is the orderBy of a read by position.
func (p *plan) apiOrder() string {
	if p.byCreateTime {
		return p.r.orderBy
	}
	return p.req.OrderBy
}

// positions reads the units by position in orderBy: one is handed over as it comes, several are merged.
func (p *plan) positions(ctx context.Context, units []unit, orderBy string, fn func([]esetapi.Incident) error) error {
	read := func(ctx context.Context, r *reader, u unit, emit func([]esetapi.Incident) error) (bool, error) {
		return r.byPosition(ctx, u, orderBy, p.req.MaxResults, emit)
	}
	if len(units) == 1 {
		return p.stream(ctx, units[0], read, fn)
	}
	return p.merge(ctx, units, read, fn)
}

// stream reads one unit with read and hands its pages to fn as they come, unless they must be collected
// first (details to read).
func (p *plan) stream(ctx context.Context, u unit, read readFunc, fn func([]esetapi.Incident) error) error {
	p.result.Plan = fmt.Sprintf("1 listing (%s)", p.describe(u))
	if p.req.Details {
		var all []esetapi.Incident
		more, err := read(ctx, p.r, u, func(page []esetapi.Incident) error { all = append(all, page...); return nil })
		if err != nil {
			return err
		}
		p.result.Truncated = more
		return p.finish(ctx, all, false, p.req.Details, fn)
	}
	more, err := read(ctx, p.r, u, func(page []esetapi.Incident) error {
		p.result.Incidents += len(page)
		return fn(page)
	})
	p.result.Truncated = more
	return err
}

// listings reads each unit by key. One unit in the order asked for (or a caller that keeps no order) is
// handed over page by page; several are merged and ordered first, as are incidents in another order.
func (p *plan) listings(ctx context.Context, units []unit, fn func([]esetapi.Incident) error) error {
	if len(units) == 1 && p.byCreateTime && !hasDevices(units[0]) {
		return p.stream(ctx, units[0], func(ctx context.Context, r *reader, u unit, emit func([]esetapi.Incident) error) (bool, error) {
			return r.keyed(ctx, u, p.start, p.req.MaxResults, emit)
		}, fn)
	}
	return p.merge(ctx, units, func(ctx context.Context, r *reader, u unit, emit func([]esetapi.Incident) error) (bool, error) {
		limit := p.req.MaxResults
		if !p.byCreateTime {
			limit = 0 // the first max_results in another order may be anywhere by create_time
		}
		return r.keyed(ctx, u, p.start, limit, emit)
	}, fn)
}

// readFunc reads one unit with a reader.
type readFunc func(ctx context.Context, r *reader, u unit, emit func([]esetapi.Incident) error) (bool, error)

// merge reads several units and hands over their incidents, each once, in the order asked for. A caller
// that keeps no order gets them as they come, one unit after another; otherwise the units are read at
// once (at most Concurrency, each call paced as any), each by a reader of its own, then merged and ordered.
func (p *plan) merge(ctx context.Context, units []unit, read readFunc, fn func([]esetapi.Incident) error) error {
	p.result.Plan = fmt.Sprintf("%d listings of device groups (%s each)", len(units), p.describe(units[0]))
	if p.req.Unordered && p.req.MaxResults == 0 && !p.req.Details {
		for _, u := range units {
			if _, err := read(ctx, p.r, u, func(page []esetapi.Incident) error {
				p.result.Incidents += len(page)
				return fn(page)
			}); err != nil {
				return err
			}
		}
		p.notSplit()
		return nil
	}
	found := make([][]esetapi.Incident, len(units))
	more := make([]bool, len(units))
	readers := make([]*reader, len(units))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(p.req.Concurrency, 1))
	for i, u := range units {
		readers[i] = p.r.fork()
		g.Go(func() error {
			var err error
			more[i], err = read(gctx, readers[i], u, func(page []esetapi.Incident) error {
				found[i] = append(found[i], page...)
				return nil
			})
			return err
		})
	}
	err := g.Wait()
	var all []esetapi.Incident
	for i, sub := range readers {
		p.r.join(sub)
		for _, inc := range found[i] {
			if id, _ := esetapi.KeyOfUUID(inc.UUID); !p.r.have(id) {
				all = append(all, inc)
			}
		}
	}
	if err != nil {
		return err
	}
	p.notSplit()
	p.result.Truncated = slices.Contains(more, true)
	return p.finish(ctx, all, true, p.req.Details, fn)
}

// notSplit notes in the plan when a unit did not fit beside its key and was read as several.
func (p *plan) notSplit() {
	if p.r.split {
		p.result.Plan += ", some split to fit beside the key"
	}
}

// hasDevices reports whether u holds a device condition, which a key too long to fit beside it splits
// into several listings.
func hasDevices(u unit) bool {
	for _, t := range u.terms {
		if t.devices != nil {
			return true
		}
	}
	return false
}

// describe says what a unit sends and what the provider evaluates.
func (p *plan) describe(u unit) string {
	local := 0
	for _, t := range u.terms {
		if t.local && !slices.Contains(u.sent, t.expr) {
			local++
		}
	}
	return fmt.Sprintf("%d of %d conditions sent, %d evaluated by the provider", len(u.sent), len(u.terms), local)
}

// finish orders what several listings collected (sorted says they need it), keeps the first
// max_results, reads their details when asked, and hands the result over.
func (p *plan) finish(ctx context.Context, all []esetapi.Incident, sorted, details bool, fn func([]esetapi.Incident) error) error {
	if sorted {
		p.order(all)
	}
	if limit := p.req.MaxResults; limit > 0 && len(all) > limit {
		all, p.result.Truncated = all[:limit], true
	}
	if details {
		if err := p.details(ctx, all); err != nil {
			return err
		}
	}
	p.result.Incidents += len(all)
	if len(all) == 0 {
		return nil
	}
	return fn(all)
}

// order sorts incidents by create_time (then uuid, for a stable order of equal times), in the direction
// asked for, then by the order asked for when that is another; query.Compare is the simulator's order too.
func (p *plan) order(all []esetapi.Incident) {
	byKey := []query.OrderKey{{Field: "create_time", Desc: p.r.desc}}
	slices.SortStableFunc(all, func(a, b esetapi.Incident) int {
		return cmp.Or(query.Compare(&a, &b, byKey), cmp.Compare(a.UUID, b.UUID))
	})
	if !p.byCreateTime {
		slices.SortStableFunc(all, func(a, b esetapi.Incident) int { return query.Compare(&a, &b, p.keys) })
	}
}

// details fills in each incident's device and detection uuids.
func (p *plan) details(ctx context.Context, all []esetapi.Incident) error {
	p.result.DetailCalls += len(all)
	return p.r.client.IncidentDetails(ctx, all, p.req.Concurrency, func(i int, inc *esetapi.Incident) { all[i] = *inc })
}
