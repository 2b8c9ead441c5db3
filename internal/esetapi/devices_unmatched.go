package esetapi

import "slices"

// unmatchedWatch notes, as a device listing hands its pages over, which of the display names and IP addresses
// asked for a device passed on has, so that the result can say which matched none without the caller
// keeping every device.
type unmatchedWatch struct {
	names, addresses []string
	matched          map[string]bool // by name
	matchedAddresses map[string]bool // by address as asked
}

func newUnmatched(opts DeviceListOptions) *unmatchedWatch {
	return &unmatchedWatch{names: opts.DisplayNames, addresses: opts.IPAddresses, matched: map[string]bool{}, matchedAddresses: map[string]bool{}}
}

// watch returns fn noting each device of a page before handing the page on.
func (u *unmatchedWatch) watch(fn func([]Device) error) func([]Device) error {
	if len(u.names) == 0 && len(u.addresses) == 0 {
		return fn
	}
	return func(page []Device) error {
		for i := range page {
			u.note(&page[i])
		}
		return fn(page)
	}
}

func (u *unmatchedWatch) note(d *Device) {
	if len(u.names) > 0 {
		u.matched[d.DisplayName] = true
	}
	if len(u.addresses) == 0 {
		return
	}
	ips, raw := parseAddresses([]string{d.PrimaryLocalIPAddress, d.PublicIPAddress})
	for _, s := range u.addresses {
		if !u.matchedAddresses[s] && ipMatches(s, ips, raw) {
			u.matchedAddresses[s] = true
		}
	}
}

// list is the result of a device listing with counts: the names and addresses asked for that no device
// passed on has, each once, as written, in the order asked.
func (u *unmatchedWatch) list(counts ListCounts) DeviceList {
	return DeviceList{ListCounts: counts, UnmatchedDisplayNames: missing(u.names, u.matched), UnmatchedIPAddresses: missing(u.addresses, u.matchedAddresses)}
}

func missing(asked []string, matched map[string]bool) []string {
	left := []string{}
	for _, s := range asked {
		if !matched[s] && !slices.Contains(left, s) {
			left = append(left, s)
		}
	}
	return left
}
