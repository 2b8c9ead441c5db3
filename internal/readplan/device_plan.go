package readplan

import "fmt"

// DevicePlan is how a read with a device condition (the incident involves one of some devices) lists
// incidents. Both plans give the same incidents; they differ in calls.
type DevicePlan string

const (
	// DeviceGroups sends the devices in groups, as many to a filter as fit, one listing each.
	DeviceGroups DevicePlan = "device_groups"
	// DeviceDetails lists what the rest of the filter selects and reads each candidate's details
	// (GET /v2/incidents/{uuid}) to keep those that involve one of the devices.
	DeviceDetails DevicePlan = "details"
	// Listing is the plan of a read without a device condition: the filter's listing.
	Listing DevicePlan = "listing"
)

// DevicePlans are the values of DevicePlan.
var DevicePlans = []DevicePlan{DeviceGroups, DeviceDetails, Listing}

// checkForced refuses a forced plan that does not fit the read: an unknown value, a device plan without
// a device condition, or the listing with one.
func checkForced(forced DevicePlan, terms []term) error {
	devices := ranPlan(terms) == DeviceGroups
	switch {
	case forced == "":
		return nil
	case forced == Listing && devices:
		return fmt.Errorf("the plan %q was asked for a read with a device condition: ask for %q or %q", forced, DeviceGroups, DeviceDetails)
	case (forced == DeviceGroups || forced == DeviceDetails) && !devices:
		return fmt.Errorf("the plan %q was asked for a read without a device condition, whose only plan is %q", forced, Listing)
	case forced != Listing && forced != DeviceGroups && forced != DeviceDetails:
		return fmt.Errorf("unknown plan %q: the plans are %q, %q and %q", forced, DeviceGroups, DeviceDetails, Listing)
	}
	return nil
}

// ranPlan is the plan a read without a lookup ran: the device groups when it had a device condition.
func ranPlan(terms []term) DevicePlan {
	for _, t := range terms {
		if t.devices != nil {
			return DeviceGroups
		}
	}
	return Listing
}
