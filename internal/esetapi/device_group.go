package esetapi

import (
	"fmt"
	"strings"
)

// DeviceGroup is one group of devices (v1DeviceGroup). The API lists groups flat; ParentGroupUUID, absent
// on the root, rebuilds the tree. Names repeat across the tree (two "Linux" groups under different
// parents), so a group is named by its path.
type DeviceGroup struct {
	UUID            string `json:"uuid"`
	DisplayName     string `json:"displayName"`
	ParentGroupUUID string `json:"parentGroupUuid"`
	// IsSecurityGroup is true for static (access) groups, false for dynamic groups.
	IsSecurityGroup  bool   `json:"isSecurityGroup"`
	LinkedEntityType string `json:"linkedEntityType"`
	Etag             string `json:"etag"`
}

// LinkedEntityTypeUnspecified is the proto3 default of DeviceGroup.LinkedEntityType.
const LinkedEntityTypeUnspecified = "DEVICE_GROUP_ENTITY_TYPE_UNSPECIFIED"

// ApplyDefaults gives an absent enum its *_UNSPECIFIED value.
func (g *DeviceGroup) ApplyDefaults() {
	if g.LinkedEntityType == "" {
		g.LinkedEntityType = LinkedEntityTypeUnspecified
	}
}

// GroupPathSeparator joins the names of a group path, e.g. "All/Servers/Linux". A "/" inside a name is
// written `\/` (and a backslash `\\`), so that a group named "Servers/Linux" under All is
// `All/Servers\/Linux`, not Linux under Servers.
const GroupPathSeparator = "/"

// pathElement escapes a group's name for a path.
var pathElement = strings.NewReplacer(`\`, `\\`, GroupPathSeparator, `\`+GroupPathSeparator)

// GroupPaths returns the path of every group, the names from the root joined by GroupPathSeparator, each
// escaped, keyed by uuid. A group whose parent is not listed starts its own path (the API user may see a
// subtree only). ListDeviceGroups refuses a tree with a cycle or deeper than MaxGroupDepth; here a cycle is
// cut where it is met, and a path is built once from its parent's, in time and memory linear in the paths'
// length.
func GroupPaths(groups []DeviceGroup) map[string]string {
	parent, order, _ := groupOrder(groups)
	path := make([]string, len(groups))
	for _, i := range order {
		path[i] = pathElement.Replace(groups[i].DisplayName)
		if p := parent[i]; p >= 0 {
			path[i] = path[p] + GroupPathSeparator + path[i]
		}
	}
	paths := make(map[string]string, len(groups))
	for i := range groups {
		if _, dup := paths[groups[i].UUID]; !dup {
			paths[groups[i].UUID] = path[i]
		}
	}
	return paths
}

// checkGroupTree refuses a tree ListDeviceGroups cannot pass on: one where a group is its own ancestor,
// whose paths would be made up, or deeper than MaxGroupDepth. Linear in the number of groups.
func checkGroupTree(groups []DeviceGroup) error {
	parent, order, cycle := groupOrder(groups)
	if cycle >= 0 {
		return fmt.Errorf("group %q is its own ancestor (a cycle of parentGroupUuid): the tree cannot be built", groups[cycle].UUID)
	}
	depth := make([]int, len(groups))
	for _, i := range order {
		depth[i] = 1
		if p := parent[i]; p >= 0 {
			depth[i] += depth[p]
		}
		if depth[i] > MaxGroupDepth {
			return fmt.Errorf("group %q is more than %d levels deep, deeper than any tenant's tree: the tree is refused rather than its paths built", groups[i].UUID, MaxGroupDepth)
		}
	}
	return nil
}

// groupOrder returns the index in groups of each group's parent (-1 for a root: no parent, or one not
// listed; the first of groups with one uuid is the parent) and the indexes of groups ordered so that each
// comes after its parent. A cycle of parents is cut where the walk that meets it closes it: that group
// becomes a root, and cycle is its index (-1 when there is none). Each group is walked once.
func groupOrder(groups []DeviceGroup) (parent, order []int, cycle int) {
	index := make(map[string]int, len(groups))
	for i := range groups {
		if _, dup := index[groups[i].UUID]; !dup {
			index[groups[i].UUID] = i
		}
	}
	parent = make([]int, len(groups))
	for i := range groups {
		parent[i] = -1
		if p, ok := index[groups[i].ParentGroupUUID]; ok && groups[i].ParentGroupUUID != "" {
			parent[i] = p
		}
	}
	const (
		unseen = iota
		onWalk
		placed
	)
	state := make([]uint8, len(groups))
	order = make([]int, 0, len(groups))
	cycle = -1
	var walk []int
	for i := range groups {
		// Walk up from i to a root or a group already placed, then place the walk from the top down.
		walk = walk[:0]
		j := i
		for j >= 0 && state[j] == unseen {
			state[j] = onWalk
			walk = append(walk, j)
			j = parent[j]
		}
		if j >= 0 && state[j] == onWalk {
			last := walk[len(walk)-1]
			parent[last] = -1
			if cycle < 0 {
				cycle = last
			}
		}
		for k := len(walk) - 1; k >= 0; k-- {
			state[walk[k]] = placed
			order = append(order, walk[k])
		}
	}
	return parent, order, cycle
}
