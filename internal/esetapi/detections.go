package esetapi

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// DetectionListOptions selects endpoint detections. Devices and the time window are the API's own
// filters; severities and categories are applied by the client after listing, as the API has no filter.
// A detection in the answer of another device, or outside the window, fails the listing with a
// DecodeError rather than being dropped: the server ignored a filter, so the rest of the list is in doubt.
type DetectionListOptions struct {
	// DeviceUUIDs are the devices whose detections are listed, each once whatever its case; empty lists
	// every device's. How they are listed is Plan's choice.
	DeviceUUIDs []string
	// OccurredAfter (inclusive) and OccurredBefore (exclusive) bound occurTime; a zero time leaves that
	// side open.
	OccurredAfter, OccurredBefore time.Time
	// SeverityLevels and Categories keep detections with one of these values; empty keeps all.
	SeverityLevels []string
	Categories     []string
	// MaxResults stops the listing after this many detections; zero means every matching detection.
	MaxResults int
	// Plan forces a plan for DeviceUUIDs (eset_detections' list_plan); "" chooses the one that needs
	// fewer calls (see ListDetections).
	Plan DetectionPlan
}

// DetectionPlan is how the detections of some devices are listed. Both give the same detections.
type DetectionPlan string

const (
	// DetectionsPerDevice lists each device's window on its own (the API takes one deviceUuid), the
	// devices in uuid order so that a bounded listing reads the same devices first whatever order they
	// are given in: ceil(n/1000) calls for a device's n detections, and at least one per device.
	DetectionsPerDevice DetectionPlan = "per_device"
	// DetectionsWindow lists the window once for every device and keeps those of the devices asked for:
	// ceil(N/1000) calls for the N detections of the whole tenant's window. It is the only plan without
	// devices.
	DetectionsWindow DetectionPlan = "window"
)

// DetectionPlans are the values of DetectionPlan.
var DetectionPlans = []DetectionPlan{DetectionsWindow, DetectionsPerDevice}

// DetectionList is the result of ListDetections: its counts, and the plan the detections were listed by.
type DetectionList struct {
	ListCounts
	// Plan is how the detections were listed.
	Plan DetectionPlan
}

// errPerDevice ends the window listing after its first page when listing each device costs fewer calls.
var errPerDevice = errors.New("listing each device needs fewer calls")

// ListDetections reads endpoint detections from GET /v1/detections (v2's list holds only ESET Cloud Office
// Security detections), with proto3 defaults applied, and passes them to fn page by page as they arrive,
// in the API's order, which is no order: a caller that keeps them orders them with SortDetections.
//
// With devices and no forced plan, it asks for the first page of the window listing, whose totalSize
// tells what that plan costs: ceil(N/1000) calls, against one or more per device. Unless it costs more
// than one call per device besides the one made, the window plan goes on from that page. Otherwise each
// device is listed, and the first page is dropped before any of it is passed on or counted: each
// device's listing must be read whole anyway, so its detections would save no call, only come twice.
func (c *Client) ListDetections(ctx context.Context, opts DetectionListOptions, fn func([]Detection) error) (DetectionList, error) {
	// An empty device would list every device's detections and a name none: either would pass a gate.
	for _, device := range opts.DeviceUUIDs {
		if !IsUUID(device) {
			return DetectionList{}, fmt.Errorf("list detections of device %q: not a uuid (8-4-4-4-12 hexadecimal digits)", device)
		}
	}
	devices := slices.Compact(slices.Sorted(slices.Values(CanonicalUUIDs(opts.DeviceUUIDs))))
	plan := opts.Plan
	switch {
	case plan != "" && !slices.Contains(DetectionPlans, plan):
		return DetectionList{}, fmt.Errorf("list detections: unknown plan %q: the plans are %q and %q", plan, DetectionsWindow, DetectionsPerDevice)
	case plan == DetectionsPerDevice && len(devices) == 0:
		return DetectionList{}, fmt.Errorf("list detections: the plan %q needs devices; without them the only plan is %q", plan, DetectionsWindow)
	case len(devices) == 0:
		plan = DetectionsWindow
	}
	p := newListProgress(opts.MaxResults)
	res := DetectionList{Plan: plan}
	var err error
	if plan != DetectionsPerDevice {
		window := c.detectionListing(opts, "", devices)
		if plan == "" {
			window.first = func(total int) error {
				pages := (total + MaxPageSize - 1) / MaxPageSize
				res.Plan = DetectionsWindow
				if pages-1 > len(devices) || pages > c.maxPages {
					res.Plan = DetectionsPerDevice
				}
				c.log.Debug(ctx, "chose how to list detections", map[string]any{
					"plan": string(res.Plan), "devices": len(devices), "window_total": total, "window_pages": pages,
				})
				if res.Plan == DetectionsPerDevice {
					return errPerDevice
				}
				return nil
			}
		}
		err = paginate[Detection, detectionPage](ctx, c, window, p, fn)
	}
	if res.Plan == DetectionsPerDevice || errors.Is(err, errPerDevice) {
		listings := make([]listing[Detection], len(devices))
		for i, device := range devices {
			listings[i] = c.detectionListing(opts, device, nil)
		}
		err = paginateAll[Detection, detectionPage](ctx, c, listings, p, fn)
	}
	res.ListCounts = p.ListCounts
	return res, err
}

// detectionListing is the listing of opts' window for one device, or for every device when device is ""
// (keeping those of devices, when any).
func (c *Client) detectionListing(opts DetectionListOptions, device string, devices []string) listing[Detection] {
	l := listing[Detection]{
		op: "list detections", noun: "detections", url: c.baseURL + "/v1/detections", query: url.Values{},
		uuid: func(d *Detection) string { return d.UUID }, prepare: (*Detection).ApplyDefaults,
		check: func(d *Detection) error { return detectionInQuery(d, device, opts) },
		exact: true,
	}
	if !opts.OccurredAfter.IsZero() {
		l.query.Set("startTime", opts.OccurredAfter.UTC().Format(time.RFC3339Nano))
	}
	if !opts.OccurredBefore.IsZero() {
		l.query.Set("endTime", opts.OccurredBefore.UTC().Format(time.RFC3339Nano))
	}
	if device != "" {
		l.op = "list detections of device " + device
		l.query.Set("deviceUuid", device)
	}
	if len(devices) > 0 || len(opts.SeverityLevels) > 0 || len(opts.Categories) > 0 {
		l.keep = func(d *Detection) bool {
			_, found := slices.BinarySearch(devices, CanonicalUUID(d.Context.DeviceUUID))
			return (len(devices) == 0 || found) &&
				(len(opts.SeverityLevels) == 0 || slices.Contains(opts.SeverityLevels, d.SeverityLevel)) &&
				(len(opts.Categories) == 0 || slices.Contains(opts.Categories, d.Category))
		}
	}
	return l
}

// detectionInQuery refuses a detection of another device than the one listed ("" for any), or outside
// the window: the API was asked for neither.
func detectionInQuery(d *Detection, device string, opts DetectionListOptions) error {
	if device != "" && !strings.EqualFold(d.Context.DeviceUUID, device) {
		return fmt.Errorf("the answer holds detection %q of device %q, not of the device asked for", d.UUID, d.Context.DeviceUUID)
	}
	if opts.OccurredAfter.IsZero() && opts.OccurredBefore.IsZero() {
		return nil
	}
	at, err := time.Parse(time.RFC3339Nano, d.OccurTime)
	switch {
	case err != nil:
		return fmt.Errorf("the answer holds detection %q with occurTime %q, which cannot be checked against the window asked for", d.UUID, d.OccurTime)
	case !opts.OccurredAfter.IsZero() && at.Before(opts.OccurredAfter), !opts.OccurredBefore.IsZero() && !at.Before(opts.OccurredBefore):
		return fmt.Errorf("the answer holds detection %q of %s, outside the window asked for", d.UUID, d.OccurTime)
	}
	return nil
}

// SortDetections orders detections by occurTime, then uuid, as the API promises no order. Times are
// compared as instants, so offsets and fractional seconds order correctly; an unreadable time sorts first.
func SortDetections(ds []Detection) {
	at := make(map[string]time.Time, len(ds))
	for i := range ds {
		t, _ := time.Parse(time.RFC3339Nano, ds[i].OccurTime)
		at[ds[i].UUID] = t
	}
	slices.SortStableFunc(ds, func(a, b Detection) int {
		if c := at[a.UUID].Compare(at[b.UUID]); c != 0 {
			return c
		}
		return strings.Compare(a.UUID, b.UUID)
	})
}

// detectionPage is the answer of GET /v1/detections. Its totalSize only chooses a plan: paging ends on
// the last page's missing token.
type detectionPage struct {
	Detections    []Detection `json:"detections"`
	NextPageToken string      `json:"nextPageToken"`
	TotalSize     Int64       `json:"totalSize"`
}

func (p *detectionPage) items() []Detection { return p.Detections }
func (p *detectionPage) next() string       { return p.NextPageToken }
func (p *detectionPage) total() int         { return int(min(int64(p.TotalSize), int64(MaxListed))) }
