package esetapi

import "strings"

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
// subtree only). ListDeviceGroups refuses a tree with a cycle; here one only stops the walk.
func GroupPaths(groups []DeviceGroup) map[string]string {
	byUUID := make(map[string]*DeviceGroup, len(groups))
	for i := range groups {
		byUUID[groups[i].UUID] = &groups[i]
	}
	paths := make(map[string]string, len(groups))
	for i := range groups {
		var names []string
		onPath := map[string]bool{}
		for g := &groups[i]; g != nil && !onPath[g.UUID]; g = byUUID[g.ParentGroupUUID] {
			onPath[g.UUID] = true
			names = append(names, pathElement.Replace(g.DisplayName))
		}
		for l, r := 0, len(names)-1; l < r; l, r = l+1, r-1 {
			names[l], names[r] = names[r], names[l]
		}
		paths[groups[i].UUID] = strings.Join(names, GroupPathSeparator)
	}
	return paths
}

// groupCycle returns the uuid of a group that is its own ancestor, "" when there is none.
func groupCycle(groups []DeviceGroup) string {
	parent := make(map[string]string, len(groups))
	for i := range groups {
		parent[groups[i].UUID] = groups[i].ParentGroupUUID
	}
	for i := range groups {
		// A walk longer than the number of groups has met one twice.
		g := groups[i].UUID
		for steps := 0; g != ""; steps++ {
			if steps > len(groups) {
				return groups[i].UUID
			}
			g = parent[g]
		}
	}
	return ""
}
