package esetapi

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// DeviceGroupListOptions selects device groups. It has no field: the API takes no filter for groups and
// the tree is read whole; it keeps ListDeviceGroups in the shape of every list call.
type DeviceGroupListOptions struct{}

// DeviceGroupList is the result of ListDeviceGroups: its counts.
type DeviceGroupList struct {
	ListCounts
}

// ListDeviceGroups reads every device group, flat, in the API's order, with proto3 defaults applied, and
// passes them to fn in one call once the whole tree is read and checked: a group's parent may come on a
// later page, and a tree that is not one (a cycle, or deeper than MaxGroupDepth) fails the listing before
// fn sees any group.
func (c *Client) ListDeviceGroups(ctx context.Context, _ DeviceGroupListOptions, fn func([]DeviceGroup) error) (DeviceGroupList, error) {
	base, err := c.deviceEndpoint("list device groups")
	if err != nil {
		return DeviceGroupList{}, err
	}
	var groups []DeviceGroup
	p := newListProgress(0)
	err = paginate[DeviceGroup, groupPage](ctx, c, listing[DeviceGroup]{
		op: "list device groups", noun: "device groups", url: base + "/v1/device_groups",
		uuid: func(g *DeviceGroup) string { return g.UUID }, prepare: (*DeviceGroup).ApplyDefaults,
	}, p, Collect(&groups))
	if err != nil {
		return DeviceGroupList{ListCounts: p.ListCounts}, err
	}
	if err := checkGroupTree(groups); err != nil {
		return DeviceGroupList{ListCounts: p.ListCounts}, &DecodeError{Operation: "list device groups", Err: err}
	}
	return DeviceGroupList{ListCounts: p.ListCounts}, fn(groups)
}

// GroupMemberUUIDs returns the uuids of the devices in a group, each once, and with recurse those of
// every subgroup too. A member that is not of the group (without recurse), or whose uuid is not a uuid,
// fails the listing with a DecodeError. The API lists a device once per group it is in; membership is a separately stored,
// eventually consistent copy, so it may lag behind ListDevices. An unknown group is an *APIError that
// matches ErrNotFound.
func (c *Client) GroupMemberUUIDs(ctx context.Context, groupUUID string, recurse bool) ([]string, error) {
	uuids, _, err := c.groupMembers(ctx, groupUUID, recurse)
	return uuids, err
}

// groupMembers is GroupMemberUUIDs that also counts its calls.
func (c *Client) groupMembers(ctx context.Context, groupUUID string, recurse bool) ([]string, int, error) {
	groupUUID = CanonicalUUID(groupUUID)
	op := "list the devices of group " + strconv.Quote(groupUUID)
	if !IsUUID(groupUUID) {
		return nil, 0, fmt.Errorf("%s: not a uuid (8-4-4-4-12 hexadecimal digits)", op)
	}
	base, err := c.deviceEndpoint(op)
	if err != nil {
		return nil, 0, err
	}
	var uuids []string
	seen := map[string]bool{}
	p := newListProgress(0)
	err = paginate[groupMember, memberPage](ctx, c, listing[groupMember]{
		op: op, noun: "group members", url: base + "/v1/device_groups/" + url.PathEscape(groupUUID) + "/devices",
		query: url.Values{"recurseSubgroups": {strconv.FormatBool(recurse)}},
		check: func(m *groupMember) error {
			if !IsUUID(m.UUID) {
				return fmt.Errorf("the answer holds a member whose uuid %s is not a uuid", clipped(m.UUID))
			}
			// With its subgroups, a member's group may be any of them, which only the tree tells.
			if !recurse && !strings.EqualFold(m.GroupUUID, groupUUID) {
				return fmt.Errorf("the answer holds device %q of group %s, not of the group asked for", m.UUID, clipped(m.GroupUUID))
			}
			return nil
		},
	}, p, func(page []groupMember) error {
		for _, m := range page {
			if !seen[m.UUID] {
				seen[m.UUID] = true
				uuids = append(uuids, m.UUID)
			}
		}
		return nil
	})
	return uuids, p.Calls, err
}

// groupPage is the answer of GET /v1/device_groups.
type groupPage struct {
	DeviceGroups  []DeviceGroup `json:"deviceGroups"`
	NextPageToken string        `json:"nextPageToken"`
}

func (p *groupPage) items() []DeviceGroup { return p.DeviceGroups }
func (p *groupPage) next() string         { return p.NextPageToken }

// groupMember is the slim device record of GET /v1/device_groups/{uuid}/devices.
type groupMember struct {
	UUID        string `json:"uuid"`
	DisplayName string `json:"displayName"`
	GroupUUID   string `json:"groupUuid"`
}

// memberPage is the answer of GET /v1/device_groups/{uuid}/devices.
type memberPage struct {
	Devices       []groupMember `json:"devices"`
	NextPageToken string        `json:"nextPageToken"`
}

func (p *memberPage) items() []groupMember { return p.Devices }
func (p *memberPage) next() string         { return p.NextPageToken }
