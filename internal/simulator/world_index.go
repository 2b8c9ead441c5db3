package simulator

import (
	"slices"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// worldIndex finds a server's devices, groups and detections quickly.
type worldIndex struct {
	device    map[string]int
	group     map[string]int
	children  map[string][]string // group uuid → subgroup uuids
	members   map[string][]string // group uuid → direct members: devices it is parent of, then dynamic ones
	detection map[string]int
	// detections holds every detection's index in the API's order, which is no order (by uuid);
	// byDevice the same per device uuid.
	detections []int
	byDevice   map[string][]int
	occurred   []time.Time
}

func indexWorld(o *Options) worldIndex {
	x := worldIndex{
		device: map[string]int{}, group: map[string]int{}, children: map[string][]string{},
		members: map[string][]string{}, detection: map[string]int{}, byDevice: map[string][]int{},
	}
	for i, g := range o.DeviceGroups {
		x.group[g.UUID] = i
		if g.ParentGroupUUID != "" {
			x.children[g.ParentGroupUUID] = append(x.children[g.ParentGroupUUID], g.UUID)
		}
	}
	for i, d := range o.Devices {
		x.device[d.UUID] = i
		x.members[d.ParentGroupUUID] = append(x.members[d.ParentGroupUUID], d.UUID)
	}
	for g, uuids := range o.DynamicGroupMembers {
		x.members[g] = append(x.members[g], uuids...)
	}
	x.occurred = make([]time.Time, len(o.Detections))
	for i, d := range o.Detections {
		x.detection[d.UUID] = i
		x.occurred[i], _ = time.Parse(time.RFC3339Nano, d.OccurTime)
		x.detections = append(x.detections, i)
	}
	slices.SortFunc(x.detections, func(a, b int) int { return compareUUID(o.Detections, a, b) })
	for _, i := range x.detections {
		u := o.Detections[i].Device.UUID
		x.byDevice[u] = append(x.byDevice[u], i)
	}
	return x
}

func compareUUID(ds []esetapi.DetectionDetails, a, b int) int {
	switch {
	case ds[a].UUID < ds[b].UUID:
		return -1
	case ds[a].UUID > ds[b].UUID:
		return 1
	}
	return 0
}

// groupMembers lists the members of group, and with recurse those of its subgroups, once per group a
// device is in, as the API does.
func (x *worldIndex) groupMembers(group string, recurse bool) []member {
	var out []member
	var walk func(g string)
	walk = func(g string) {
		for _, d := range x.members[g] {
			out = append(out, member{device: d, group: g})
		}
		if recurse {
			for _, c := range x.children[g] {
				walk(c)
			}
		}
	}
	walk(group)
	return out
}

type member struct{ device, group string }
