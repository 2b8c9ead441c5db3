package simulator

import (
	"fmt"
	"math/rand/v2"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// groupTree is the device group tree of every world. Names repeat under different parents (two "Linux"
// groups), "Lost & Found" holds characters a URL must escape, and the last two are dynamic groups, whose
// members also have a static parent group.
var groupTree = []struct {
	name   string
	parent int // index in groupTree; -1 for the root
	static bool
}{
	{"All", -1, true},
	{"Lost & Found", 0, true},
	{"Servers", 0, true},
	{"Linux", 2, true},
	{"Windows", 2, true},
	{"DMZ", 2, true},
	{"Workstations", 0, true},
	{"Finance", 6, true},
	{"HR", 6, true},
	{"Engineering", 6, true},
	{"Linux", 9, true},
	{"macOS", 9, true},
	{"Mobile", 0, true},
	{"Windows computers", 0, false},
	{"Needs attention", 0, false},
}

// Indexes in groupTree of the groups devices are placed in, and of the dynamic groups.
const (
	groupLostAndFound = 1
	groupServersLinux = 3
	groupServersWin   = 4
	groupDMZ          = 5
	groupFinance      = 7
	groupHR           = 8
	groupEngLinux     = 10
	groupEngMac       = 11
	groupMobile       = 12
	groupWindows      = 13
	groupAttention    = 14
)

func generateGroups(rng *rand.Rand) []esetapi.DeviceGroup {
	groups := make([]esetapi.DeviceGroup, len(groupTree))
	for i, g := range groupTree {
		groups[i] = esetapi.DeviceGroup{
			UUID: newUUID(rng), DisplayName: g.name, IsSecurityGroup: g.static,
			LinkedEntityType: esetapi.LinkedEntityTypeUnspecified, Etag: fmt.Sprintf(`"%06x"`, rng.IntN(1<<24)),
		}
		if g.parent >= 0 {
			groups[i].ParentGroupUUID = groups[g.parent].UUID
		}
	}
	groups[0].LinkedEntityType = "DEVICE_GROUP_ENTITY_TYPE_COMPANY"
	return groups
}

// dynamicMembers fills the dynamic groups: Windows computers by OS family, Needs attention by
// functionality status.
func dynamicMembers(groups []esetapi.DeviceGroup, devices []esetapi.Device) map[string][]string {
	members := map[string][]string{groups[groupWindows].UUID: {}, groups[groupAttention].UUID: {}}
	for _, d := range devices {
		if d.OperatingSystem.FamilyID == 1 {
			members[groups[groupWindows].UUID] = append(members[groups[groupWindows].UUID], d.UUID)
		}
		if d.FunctionalityStatus != "DEVICE_FUNCTIONALITY_STATUS_OK" {
			members[groups[groupAttention].UUID] = append(members[groups[groupAttention].UUID], d.UUID)
		}
	}
	return members
}
