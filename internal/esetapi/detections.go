package esetapi

import (
	"context"
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
	// DeviceUUIDs makes one listing per device (the API takes one deviceUuid), each device once and in uuid
	// order, so that a bounded listing reads the same devices first whatever order they are given in;
	// empty lists every device's detections in one listing.
	DeviceUUIDs []string
	// OccurredAfter (inclusive) and OccurredBefore (exclusive) bound occurTime; a zero time leaves that
	// side open.
	OccurredAfter, OccurredBefore time.Time
	// SeverityLevels and Categories keep detections with one of these values; empty keeps all.
	SeverityLevels []string
	Categories     []string
	// MaxResults stops the listing after this many detections; zero means every matching detection.
	MaxResults int
}

// DetectionList is the result of ListDetections.
type DetectionList struct {
	// Detections are in the API's order, which is no order: SortDetections orders them.
	Detections []Detection
	// Calls counts the list calls that returned data.
	Calls int
	// Truncated is true when MaxResults stopped the listing before every matching detection was read.
	Truncated bool
	// Duplicates counts detections dropped because an earlier page or call had the same uuid.
	Duplicates int
}

// ListDetections reads endpoint detections from GET /v1/detections (v2's list holds only ESET Cloud Office
// Security detections), one listing per device, with proto3 defaults applied. N detections of one
// device's window take ceil(N/1000) calls.
func (c *Client) ListDetections(ctx context.Context, opts DetectionListOptions) (DetectionList, error) {
	var detections []Detection
	res, err := c.ListDetectionPages(ctx, opts, func(page []Detection) error {
		detections = append(detections, page...)
		return nil
	})
	res.Detections = detections
	return res, err
}

// ListDetectionPages is ListDetections that hands each page to fn as it arrives instead of keeping it, for
// callers that need no order and must not hold every detection (a count over millions); the result's
// Detections is nil. fn owns the page.
func (c *Client) ListDetectionPages(ctx context.Context, opts DetectionListOptions, fn func([]Detection) error) (DetectionList, error) {
	// An empty device would list every device's detections and a name none: either would pass a gate.
	for _, device := range opts.DeviceUUIDs {
		if !IsUUID(device) {
			return DetectionList{}, fmt.Errorf("list detections of device %q: not a uuid (8-4-4-4-12 hexadecimal digits)", device)
		}
	}
	query := url.Values{}
	if !opts.OccurredAfter.IsZero() {
		query.Set("startTime", opts.OccurredAfter.UTC().Format(time.RFC3339Nano))
	}
	if !opts.OccurredBefore.IsZero() {
		query.Set("endTime", opts.OccurredBefore.UTC().Format(time.RFC3339Nano))
	}
	l := listing[Detection]{
		op: "list detections", noun: "detections", url: c.baseURL + "/v1/detections",
		uuid: func(d *Detection) string { return d.UUID }, prepare: (*Detection).ApplyDefaults,
	}
	if len(opts.SeverityLevels) > 0 || len(opts.Categories) > 0 {
		l.keep = func(d *Detection) bool {
			return (len(opts.SeverityLevels) == 0 || slices.Contains(opts.SeverityLevels, d.SeverityLevel)) &&
				(len(opts.Categories) == 0 || slices.Contains(opts.Categories, d.Category))
		}
	}
	var res DetectionList
	t := newTally(opts.MaxResults)
	devices := []string{""}
	if len(opts.DeviceUUIDs) > 0 {
		devices = slices.Compact(slices.Sorted(slices.Values(CanonicalUUIDs(opts.DeviceUUIDs))))
	}
	of := func(device string) listing[Detection] {
		l := l
		l.query = query
		l.check = func(d *Detection) error { return detectionInQuery(d, device, opts) }
		if device != "" { // "" is the one listing of every device
			l.op = "list detections of device " + device
			l.query = url.Values{"deviceUuid": {device}}
			for k, v := range query {
				l.query[k] = v
			}
		}
		return l
	}
	listings := make([]listing[Detection], len(devices))
	for i, device := range devices {
		listings[i] = of(device)
	}
	err := paginateAll[Detection, detectionPage](ctx, c, listings, t, fn)
	res.Calls, res.Truncated, res.Duplicates = t.pages, t.truncated, t.duplicates
	return res, err
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

// detectionPage is the answer of GET /v1/detections. Its totalSize is not needed: paging ends on the last
// page's missing token.
type detectionPage struct {
	Detections    []Detection `json:"detections"`
	NextPageToken string      `json:"nextPageToken"`
}

func (p *detectionPage) items() []Detection { return p.Detections }
func (p *detectionPage) next() string       { return p.NextPageToken }
