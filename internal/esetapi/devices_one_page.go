package esetapi

import (
	"context"
	"errors"
	"slices"
	"strings"
)

// errMoreThanOnePage ends the listing of every device after its first page when the tenant has more.
var errMoreThanOnePage = errors.New("the tenant's devices do not fit one page")

// devicesFromOnePage is the other plan for display names that need several URL batches: one page of
// every device, pageSize 1000, with listing l's fixed filters. A last page is the whole tenant in one
// answer, a consistent snapshot, so the devices named (matched exactly, as the batches' check matches) are
// kept from it, in the order the batches would give them: one call where the batches take len(batches).
// A page followed by another (or holding a device twice) is dropped, ok false, and the batches are sent:
// a listing of several pages by position could skip a named device while others change. That costs one
// call more than the batches, the price of finding out (at most one call lost, all but one of the
// batches saved); the plan is tried only when there are several batches and no more names than a page
// holds (more names than that, most of them likely held by a device, suggest a tenant of several pages).
// A name the page holds only in another case leaves the matching to the API and its batches. The call is added to *calls either way.
func (c *Client) devicesFromOnePage(ctx context.Context, l listing[Device], batches [][]string, status string, calls *int) (devices []Device, ok bool, err error) {
	batchOf := map[string]int{}
	for i, names := range batches {
		for _, name := range names {
			batchOf[name] = i
		}
	}
	if len(batches) < 2 || len(batchOf) > MaxPageSize {
		return nil, false, nil
	}
	asked := devicesAsked(nil, status)
	listed, total := 0, 0
	// The names on the page as they are and case folded: a name asked for that only a device of another
	// case has leaves the matching to the API (the batches), whose case sensitivity is not documented.
	exact, folded := map[string]bool{}, map[string]bool{}
	whole := l
	whole.check = func(d *Device) error {
		listed++
		exact[d.DisplayName], folded[foldCase(d.DisplayName)] = true, true
		if asked != nil {
			return asked(d)
		}
		return nil
	}
	whole.keep = func(d *Device) bool {
		_, named := batchOf[d.DisplayName]
		return named && (l.keep == nil || l.keep(d))
	}
	whole.first = func(n int) error { total = n; return nil }
	p := newListProgress(0)
	err = paginate[Device, devicePage](ctx, c, whole, p, func(page []Device) error {
		// total counts one more than the page holds when a next page follows; listed, one less for a
		// device the page holds twice.
		if listed != total {
			return errMoreThanOnePage
		}
		devices = page
		return nil
	})
	*calls += p.Calls
	c.log.Debug(ctx, "listed one page of every device for display names", map[string]any{
		"names": len(batchOf), "batches": len(batches), "whole_tenant": err == nil, "devices_on_page": listed,
	})
	if errors.Is(err, errMoreThanOnePage) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	for name := range batchOf {
		if !exact[name] && folded[foldCase(name)] {
			c.log.Debug(ctx, "a display name asked for is on the page only in another case; sending the names to the API", nil)
			return nil, false, nil
		}
	}
	slices.SortStableFunc(devices, func(a, b Device) int { return batchOf[a.DisplayName] - batchOf[b.DisplayName] })
	return devices, true, nil
}

// foldCase maps names that compare equal ignoring case to one key: upper then lower case, which also joins
// the letters with more than two cases (ſ, s and S; ς, σ and Σ).
func foldCase(s string) string { return strings.ToLower(strings.ToUpper(s)) }
