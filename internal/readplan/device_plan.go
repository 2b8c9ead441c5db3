package readplan

import (
	"fmt"
	"slices"
)

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

// ForcedPlanError is a read refused because the plan asked for (Request.DevicePlan) cannot read it. No
// call was made for it, or only the calls of finding that out; the provider's choice (no DevicePlan) can.
type ForcedPlanError struct {
	Plan   DevicePlan
	Reason string
}

func (e *ForcedPlanError) Error() string {
	return fmt.Sprintf("the plan %q cannot read this: %s", e.Plan, e.Reason)
}

// checkForced refuses a forced plan that does not fit the read: an unknown value, a device plan without
// a device condition, or the listing with one.
func checkForced(forced DevicePlan, terms []term) error {
	devices := ranPlan(terms) == DeviceGroups
	switch {
	case forced == "":
		return nil
	case !slices.Contains(DevicePlans, forced):
		return &ForcedPlanError{forced, fmt.Sprintf("it is no plan; the plans are %q, %q and %q", DeviceGroups, DeviceDetails, Listing)}
	case forced == Listing && devices:
		return &ForcedPlanError{forced, fmt.Sprintf("the read has a device condition: ask for %q or %q", DeviceGroups, DeviceDetails)}
	case forced != Listing && !devices:
		return &ForcedPlanError{forced, fmt.Sprintf("the read has no device condition, and its only plan is %q", Listing)}
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
