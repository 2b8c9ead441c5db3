package esetapi

// Every list call has one shape:
//
//	func (c *Client) ListXs(ctx context.Context, opts XListOptions, fn func([]X) error) (XList, error)
//
// opts selects (and bounds, with MaxResults) what is listed; fn is handed the items page by page as they
// arrive, in the API's order, and owns each page; the result embeds ListCounts and adds what only that
// record has (the plan detections were listed by). A listing fn fails ends with fn's error. Callers that
// need every item at once pass Collect(&items).

// ListCounts is what every listing reports besides its items.
type ListCounts struct {
	// Items counts the items passed to fn (ListDeviceGroups: the groups read, also when their tree is
	// refused and none is passed on).
	Items int
	// Calls counts the list calls that returned data: pages, group member pages for a device listing by
	// group, the calls that looked past the bound for one more item, and the first pages a plan read to
	// choose and then dropped (the detection window's before per_device, the devices' page of the tenant).
	Calls int
	// Truncated is true when MaxResults stopped the listing before every matching item was read.
	Truncated bool
	// Duplicates counts items dropped because an earlier page or call had the same uuid.
	Duplicates int
}

// Collect returns a fn for a list call that appends every page to *items, for callers that need the whole
// list at once (to sort it, or to look a name up in it).
func Collect[T any](items *[]T) func([]T) error {
	return func(page []T) error {
		*items = append(*items, page...)
		return nil
	}
}
