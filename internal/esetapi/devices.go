package esetapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"net/url"
	"slices"
)

// ErrDeviceAPINotConfigured is returned by the device calls of a client made without a
// DeviceManagementEndpoint.
var ErrDeviceAPINotConfigured = errors.New("the device management endpoint is not configured")

// DeviceListOptions selects devices. DisplayNames and FunctionalityStatus are the API's own filters; the
// group, IP address and tag filters are applied by the client after listing, as the API has none.
type DeviceListOptions struct {
	// DisplayNames keeps devices whose display name equals one of these (the API's displayNames; its case
	// sensitivity is not documented, the API reference and the simulator match exactly). They are sent in as
	// few calls as the URL bound, MaxURLBytes, allows. A device in the answer whose name is not exactly one
	// of them fails the listing with a DecodeError: a server that ignored the filter must not pass.
	DisplayNames []string
	// FunctionalityStatus keeps devices in this state; "" keeps every state. A device in the answer in
	// another state fails the listing with a DecodeError, as for DisplayNames.
	FunctionalityStatus string
	// GroupUUID keeps the members of this group, and with RecurseSubgroups those of its subgroups too.
	GroupUUID        string
	RecurseSubgroups bool
	// IPAddresses keeps devices whose primary local or public IP address is one of these. Addresses are
	// compared as addresses, so "::1" matches "0:0:0:0:0:0:0:1".
	IPAddresses []string
	// TagsAny keeps devices that carry at least one of these tags.
	TagsAny []string
	// MaxResults stops the listing after this many devices; zero means every matching device.
	MaxResults int
}

// DeviceList is the result of ListDevices: its counts, Calls including the group member pages, and what
// was asked for that no device passed on has.
type DeviceList struct {
	ListCounts
	// UnmatchedDisplayNames are the display names asked for that no device passed on has, and
	// UnmatchedIPAddresses the addresses that none has as its primary local or public address (compared as
	// DeviceListOptions.IPAddresses compares them): each once, as written, in the order asked; empty when
	// every one matched. A listing cut by MaxResults may have left their devices unread.
	UnmatchedDisplayNames, UnmatchedIPAddresses []string
}

// ListDevices reads the devices that match opts, with proto3 defaults applied, and passes them to fn page
// by page in the API's order, each once (a device in several groups too). With display names it makes one
// listing per batch of names, or, when they need several batches, first tries one page of every device
// (devicesFromOnePage); with a group it first lists the group's members. N matching devices of one listing
// take ceil(N/1000) calls.
func (c *Client) ListDevices(ctx context.Context, opts DeviceListOptions, fn func([]Device) error) (DeviceList, error) {
	const op = "list devices"
	// An empty name matches no device: the user meant another, or a list built from a blank value.
	if i := slices.Index(opts.DisplayNames, ""); i >= 0 {
		return DeviceList{}, fmt.Errorf("%s: display name %d of %d is empty: leave it out", op, i+1, len(opts.DisplayNames))
	}
	base, err := c.deviceEndpoint(op)
	if err != nil {
		return DeviceList{}, err
	}
	p, unmatched := newListProgress(opts.MaxResults), newUnmatched(opts)
	fn = unmatched.watch(fn)
	keep, empty, err := c.deviceFilter(ctx, opts, &p.Calls)
	if err != nil || empty {
		return unmatched.list(p.ListCounts), err
	}

	query := url.Values{}
	if opts.FunctionalityStatus != "" {
		query.Set("functionalityStatus", opts.FunctionalityStatus)
	}
	l := listing[Device]{
		op: op, noun: "devices", url: base + "/v1/devices", query: query,
		uuid: func(d *Device) string { return d.UUID }, prepare: (*Device).ApplyDefaults, keep: keep,
	}
	batches := [][]string{nil}
	if len(opts.DisplayNames) > 0 {
		batches = displayNameBatches(l.url, query, opts.DisplayNames)
	}
	if devices, ok, err := c.devicesFromOnePage(ctx, l, batches, opts.FunctionalityStatus, &p.Calls); err != nil || ok {
		if opts.MaxResults > 0 && len(devices) > opts.MaxResults {
			devices, p.Truncated = devices[:opts.MaxResults], true
		}
		if err == nil && len(devices) > 0 {
			p.Items = len(devices)
			err = fn(devices)
		}
		return unmatched.list(p.ListCounts), err
	}
	of := func(names []string) listing[Device] {
		l := l
		l.query = query
		l.check = devicesAsked(names, opts.FunctionalityStatus)
		if names != nil {
			l.query = url.Values{"displayNames": names}
			for k, v := range query {
				l.query[k] = v
			}
		}
		return l
	}
	listings := make([]listing[Device], len(batches))
	for i, names := range batches {
		listings[i] = of(names)
	}
	err = paginateAll[Device, devicePage](ctx, c, listings, p, fn)
	return unmatched.list(p.ListCounts), err
}

// devicesAsked is the check of a device listing's answer against the API's own filters it sent: display
// names (nil for none) and a functionality status ("" for any); nil when it sent neither.
func devicesAsked(names []string, status string) func(*Device) error {
	if names == nil && status == "" {
		return nil
	}
	return func(d *Device) error {
		if names != nil && !slices.Contains(names, d.DisplayName) {
			return fmt.Errorf("the answer holds device %q, named %s, which is none of the names asked for", d.UUID, clipped(d.DisplayName))
		}
		if status != "" && d.FunctionalityStatus != status {
			return fmt.Errorf("the answer holds device %q, whose functionality status is %s, not the %s asked for", d.UUID, clipped(d.FunctionalityStatus), status)
		}
		return nil
	}
}

// deviceFilter returns the client-side filter of opts, nil when there is none. With a group it first lists
// the group's members, adding the calls to *calls; empty says the group has none, so nothing is left to list.
func (c *Client) deviceFilter(ctx context.Context, opts DeviceListOptions, calls *int) (keep func(*Device) bool, empty bool, err error) {
	var members map[string]bool
	if opts.GroupUUID != "" {
		uuids, memberCalls, err := c.groupMembers(ctx, opts.GroupUUID, opts.RecurseSubgroups)
		*calls += memberCalls
		if err != nil || len(uuids) == 0 {
			return nil, true, err
		}
		members = make(map[string]bool, len(uuids))
		for _, u := range uuids {
			members[u] = true
		}
	}
	ips, rawIPs := parseAddresses(opts.IPAddresses)
	if members == nil && len(opts.IPAddresses) == 0 && len(opts.TagsAny) == 0 {
		return nil, false, nil
	}
	return func(d *Device) bool {
		if members != nil && !members[d.UUID] {
			return false
		}
		if len(opts.IPAddresses) > 0 && !ipMatches(d.PrimaryLocalIPAddress, ips, rawIPs) && !ipMatches(d.PublicIPAddress, ips, rawIPs) {
			return false
		}
		if len(opts.TagsAny) > 0 && !slices.ContainsFunc(d.Tags, func(tag string) bool { return slices.Contains(opts.TagsAny, tag) }) {
			return false
		}
		return true
	}, false, nil
}

// parseAddresses splits addresses into those that parse (IPv4-mapped IPv6 ones unmapped, so that
// "::ffff:10.0.0.1" is 10.0.0.1) and the rest, compared as written.
func parseAddresses(addresses []string) (ips []netip.Addr, raw []string) {
	for _, s := range addresses {
		if a, err := netip.ParseAddr(s); err == nil {
			ips = append(ips, a.Unmap())
		} else {
			raw = append(raw, s)
		}
	}
	return ips, raw
}

func ipMatches(addr string, ips []netip.Addr, raw []string) bool {
	if addr == "" {
		return false
	}
	if a, err := netip.ParseAddr(addr); err == nil && slices.Contains(ips, a.Unmap()) {
		return true
	}
	return slices.Contains(raw, addr)
}

// displayNameBatches splits names, each once, into batches whose list call, with the fixed query and a
// page token, fits MaxURLBytes. A name too long to fit with any other goes alone.
func displayNameBatches(base string, fixed url.Values, names []string) [][]string {
	room := MaxURLBytes - pageTokenRoom - len(base+"?") - len(fixed.Encode()) - len("&pageSize=1000")
	var batches [][]string
	var batch []string
	used := 0
	seen := map[string]bool{}
	for _, name := range names {
		if seen[name] {
			continue
		}
		seen[name] = true
		size := len("&displayNames=") + len(url.QueryEscape(name))
		if len(batch) > 0 && used+size > room {
			batches = append(batches, batch)
			batch, used = nil, 0
		}
		batch = append(batch, name)
		used += size
	}
	if len(batch) > 0 {
		batches = append(batches, batch)
	}
	return batches
}

// GetDevice reads one device. A missing device is an *APIError that matches ErrNotFound (the API may
// also answer 403 for a uuid the API user cannot see).
func (c *Client) GetDevice(ctx context.Context, uuid string) (*Device, error) {
	uuid = CanonicalUUID(uuid)
	op := fmt.Sprintf("get device %q", uuid)
	if !IsUUID(uuid) {
		return nil, fmt.Errorf("%s: not a uuid (8-4-4-4-12 hexadecimal digits)", op)
	}
	base, err := c.deviceEndpoint(op)
	if err != nil {
		return nil, err
	}
	var answer struct {
		Device *Device `json:"device"`
	}
	requestID, err := c.get(ctx, op, base+"/v1/devices/"+url.PathEscape(uuid), func(body io.Reader) error {
		answer.Device = nil // nothing of an answer cut short may survive into the next
		return decodeJSON(body, &answer)
	})
	if err != nil {
		return nil, err
	}
	if answer.Device == nil {
		return nil, &DecodeError{Operation: op, RequestID: requestID, Err: errors.New("the answer has no device")}
	}
	if err := sameUUID(answer.Device.UUID, uuid, "device"); err != nil {
		return nil, &DecodeError{Operation: op, RequestID: requestID, Err: err}
	}
	answer.Device.ApplyDefaults()
	return answer.Device, nil
}

func (c *Client) deviceEndpoint(op string) (string, error) {
	if c.deviceURL == "" {
		return "", fmt.Errorf("%s: %w", op, ErrDeviceAPINotConfigured)
	}
	return c.deviceURL, nil
}

// devicePage is the answer of GET /v1/devices.
type devicePage struct {
	Devices       []Device `json:"devices"`
	NextPageToken string   `json:"nextPageToken"`
}

func (p *devicePage) items() []Device { return p.Devices }
func (p *devicePage) next() string    { return p.NextPageToken }
