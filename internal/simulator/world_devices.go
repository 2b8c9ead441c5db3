package simulator

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// osInfo is an operating system a device may run.
type osInfo struct {
	name            string
	family, edition int64
	major, minor    int64
	patch           int64
	version         string
	product         string // the ESET product installed on it
}

var (
	osWinServer = osInfo{"Microsoft Windows Server 2022 Standard", 1, 1, 10, 0, 20348, "10.0.20348", "ESET Server Security"}
	osWin11     = osInfo{"Microsoft Windows 11 Enterprise", 1, 2, 10, 0, 22631, "10.0.22631", "ESET Endpoint Security"}
	osWin10     = osInfo{"Microsoft Windows 10 Pro", 1, 2, 10, 0, 19045, "10.0.19045", "ESET Endpoint Security"}
	osUbuntu    = osInfo{"Ubuntu 22.04.4 LTS", 2, 1, 22, 4, 4, "22.04.4", "ESET Server Security for Linux"}
	osRHEL      = osInfo{"Red Hat Enterprise Linux 9.3", 2, 1, 9, 3, 0, "9.3", "ESET Server Security for Linux"}
	osDebian    = osInfo{"Debian GNU/Linux 12 (bookworm)", 2, 1, 12, 5, 0, "12.5", "ESET Server Security for Linux"}
	osUbuntuWS  = osInfo{"Ubuntu 24.04 LTS", 2, 2, 24, 4, 0, "24.04", "ESET Endpoint Antivirus for Linux"}
	osMac       = osInfo{"macOS Sonoma 14.5", 3, 2, 14, 5, 0, "14.5", "ESET Endpoint Security for macOS"}
	osIOS       = osInfo{"iOS 17.5.1", 3, 3, 17, 5, 1, "17.5.1", ""}
	osAndroid   = osInfo{"Android 14", 4, 3, 14, 0, 0, "14", "ESET Endpoint Security for Android"}
	osFreeBSD   = osInfo{"FreeBSD 14.0-RELEASE", 7, 1, 14, 0, 0, "14.0", "ESET Server Security for Linux"}
)

// placement is how devices of one group look: their names, systems, kinds and network.
type placement struct {
	group    int
	weight   int
	name     string // a fmt pattern taking the device's number in its group
	oses     []osInfo
	types    []string
	publicIP string // shared by the group's devices (NAT); "" for one address each
	tags     []string
	maker    [2]string
}

var placements = []placement{
	{groupServersLinux, 14, "srv-lnx-%03d", []osInfo{osUbuntu, osRHEL}, []string{"DEVICE_TYPE_SERVER", "DEVICE_TYPE_VIRTUAL_MACHINE"}, "198.51.100.10", []string{"prod", "pci"}, [2]string{"VMware, Inc.", "VMware7,1"}},
	{groupServersWin, 10, "SRV-WIN-%03d", []osInfo{osWinServer}, []string{"DEVICE_TYPE_SERVER", "DEVICE_TYPE_VIRTUAL_MACHINE"}, "198.51.100.10", []string{"prod"}, [2]string{"Dell Inc.", "PowerEdge R650"}},
	{groupDMZ, 4, "dmz-%02d", []osInfo{osDebian}, []string{"DEVICE_TYPE_SERVER"}, "", []string{"prod", "dmz"}, [2]string{"VMware, Inc.", "VMware7,1"}},
	{groupFinance, 18, "FIN-LAPTOP-%03d", []osInfo{osWin11}, []string{"DEVICE_TYPE_NOTEBOOK"}, "203.0.113.7", []string{"vip", "pci"}, [2]string{"LENOVO", "ThinkPad T14 Gen 4"}},
	{groupHR, 12, "HR-DESKTOP-%03d", []osInfo{osWin11, osWin10}, []string{"DEVICE_TYPE_DESKTOP"}, "203.0.113.77", []string{"vip"}, [2]string{"HP", "EliteDesk 800 G6"}},
	{groupEngLinux, 14, "eng-ws-%03d", []osInfo{osUbuntuWS}, []string{"DEVICE_TYPE_DESKTOP", "DEVICE_TYPE_NOTEBOOK"}, "203.0.113.7", []string{"dev"}, [2]string{"Dell Inc.", "Precision 3680"}},
	{groupEngMac, 10, "DEV-MAC-%03d", []osInfo{osMac}, []string{"DEVICE_TYPE_NOTEBOOK"}, "203.0.113.7", []string{"dev"}, [2]string{"Apple Inc.", "MacBookPro18,3"}},
	{groupMobile, 8, "mobile-%03d", []osInfo{osIOS, osAndroid}, []string{"DEVICE_TYPE_SMARTPHONE", "DEVICE_TYPE_TABLET"}, "", nil, [2]string{"Apple Inc.", "iPhone15,2"}},
	{groupLostAndFound, 3, "", []osInfo{osWin10, osFreeBSD}, []string{"DEVICE_TYPE_DESKTOP"}, "", nil, [2]string{"LENOVO", "ThinkCentre M70q"}},
}

// pinnedDevice is a device every world has, so that tests and examples can name it.
type pinnedDevice struct {
	name      string
	placement int // index in placements
	os        osInfo
	status    string // "" for OK
	muted     bool
	stale     bool
}

// pinnedDevices come first in every world. web-01 has a high-severity detection 3 hours before End;
// print-srv-01 has no detection and no incident; FIN-LAPTOP-12 names two devices (the old one in
// Lost & Found); dc-01 needs attention; build-agent-2 is muted; CEO-iPhone has no local IP address.
var pinnedDevices = []pinnedDevice{
	{"web-01", 0, osUbuntu, "", false, false},
	{"db-prod-3", 0, osRHEL, "", false, false},
	{"dc-01", 1, osWinServer, "DEVICE_FUNCTIONALITY_STATUS_ATTENTION_REQUIRED", false, false},
	{"print-srv-01", 1, osWinServer, "", false, false},
	{"mail-gw", 2, osDebian, "", false, false},
	{"FIN-LAPTOP-12", 3, osWin11, "", false, false},
	{"HR-DESKTOP-7", 4, osWin11, "", false, false},
	{"build-agent-2", 5, osUbuntuWS, "", true, false},
	{"DEV-MAC-4", 6, osMac, "", false, false},
	{"CEO-iPhone", 7, osIOS, "", false, false},
	{"FIN-LAPTOP-12", 8, osWin10, "DEVICE_FUNCTIONALITY_STATUS_ATTENTION_REQUIRED", false, true},
}

// hotDevices are the pinned devices that draw most incidents.
var hotDevices = []string{"FIN-LAPTOP-12", "web-01", "db-prod-3", "HR-DESKTOP-7", "build-agent-2", "dc-01", "mail-gw", "DEV-MAC-4"}

// staleAge is how long a device that stopped syncing has been silent at least.
const staleAge = 30 * 24 * time.Hour

// isStale reports whether d stopped syncing before end.
func isStale(d *esetapi.Device, end time.Time) bool {
	sync, err := time.Parse(time.RFC3339, d.LastSyncTime)
	return err == nil && end.Sub(sync) >= staleAge
}

// Names of pinned devices with a role in the data.
const (
	quietDevice   = "print-srv-01"
	alertedDevice = "web-01"
)

func generateDevices(rng *rand.Rand, groups []esetapi.DeviceGroup, n int, end time.Time) []esetapi.Device {
	n = max(n, len(pinnedDevices))
	devices := make([]esetapi.Device, 0, n)
	counts := make([]int, len(placements))
	add := func(p int, name string, os osInfo, status string, muted, stale bool) {
		counts[p]++
		devices = append(devices, newDevice(rng, groups, p, counts[p], name, os, status, muted, stale, end))
	}
	for _, pd := range pinnedDevices {
		add(pd.placement, pd.name, pd.os, pd.status, pd.muted, pd.stale)
	}
	weights := make([]int, len(placements))
	for i, p := range placements {
		weights[i] = p.weight
	}
	for len(devices) < n {
		p := weightedIndex(rng, weights)
		pl := placements[p]
		status := weighted(rng, esetapi.FunctionalityStatuses[1:], []int{80, 13, 7})
		stale := p == groupPlacement(groupLostAndFound)
		if stale {
			status = "DEVICE_FUNCTIONALITY_STATUS_ATTENTION_REQUIRED"
		}
		name := ""
		if pl.name != "" {
			name = fmt.Sprintf(pl.name, counts[p]+1)
		}
		add(p, name, pl.oses[rng.IntN(len(pl.oses))], status, rng.IntN(20) == 0, stale)
	}
	return devices
}

func groupPlacement(group int) int {
	for i, p := range placements {
		if p.group == group {
			return i
		}
	}
	return -1
}

func newDevice(rng *rand.Rand, groups []esetapi.DeviceGroup, p, number int, name string, os osInfo, status string, muted, stale bool, end time.Time) esetapi.Device {
	pl := placements[p]
	if name == "" {
		name = "WIN-" + randomText(rng, "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", 10)
	}
	if status == "" {
		status = "DEVICE_FUNCTIONALITY_STATUS_OK"
	}
	d := esetapi.Device{
		UUID:                newUUID(rng),
		DisplayName:         name,
		OriginalDisplayName: originalName(rng, name, os),
		ParentGroupUUID:     groups[pl.group].UUID,
		PublicIPAddress:     pl.publicIP,
		FunctionalityStatus: status,
		IsMuted:             muted,
		IsMobile:            os.edition == 3,
		DeviceType:          pl.types[rng.IntN(len(pl.types))],
		EnrollmentStatus:    "DEVICE_ENROLLMENT_STATUS_FINISHED",
		OperatingSystem: esetapi.OperatingSystem{
			DisplayName: os.name, FamilyID: esetapi.Int64(os.family), EditionID: esetapi.Int64(os.edition), Bitness: 64,
			Version: esetapi.Version{Name: os.version, ID: esetapi.Uint64(os.major<<48 | os.minor<<32 | os.patch),
				Major: esetapi.Int64(os.major), Minor: esetapi.Int64(os.minor), Patch: esetapi.Int64(os.patch)},
		},
		OwnerUUID: "7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
		Etag:      fmt.Sprintf(`"%06x"`, rng.IntN(1<<24)),
	}
	if d.IsMobile {
		d.OperatingSystem.Bitness = 0 // not reported by mobile systems
	}
	if status != "DEVICE_FUNCTIONALITY_STATUS_OK" {
		d.FunctionalityProblemCount = esetapi.Int64(1 + rng.IntN(3))
	}
	if os.family != 3 || os.edition != 3 { // iOS reports no local address
		d.PrimaryLocalIPAddress = fmt.Sprintf("10.%d.%d.%d", 10+p, number/250, number%250+1)
	}
	if d.PublicIPAddress == "" {
		d.PublicIPAddress = fmt.Sprintf("192.0.2.%d", 1+rng.IntN(254))
		if d.IsMobile {
			d.PublicIPAddress = fmt.Sprintf("100.64.%d.%d", rng.IntN(256), 1+rng.IntN(254))
		}
	}
	for _, tag := range pl.tags {
		if rng.IntN(3) == 0 {
			d.Tags = append(d.Tags, tag)
		}
	}
	if rng.IntN(6) == 0 {
		d.Description = "Owner: " + pick(rng, owners)
	}
	sync := end.Add(-time.Duration(rng.IntN(90*60)) * time.Second)
	if stale {
		sync = end.Add(-staleAge - time.Duration(rng.IntN(60*24*3600))*time.Second)
		d.EnrollmentStatus = weighted(rng, esetapi.EnrollmentStatuses[1:], []int{1, 3, 1})
	}
	d.LastSyncTime = sync.Format(time.RFC3339)
	d.DeployedComponents = []esetapi.DeployedComponent{{Name: "ESET_MANAGEMENT_AGENT", DisplayName: "ESET Management Agent", ID: 1,
		Version: esetapi.Version{Name: "11.1.2039.0", ID: 11<<48 | 1<<32 | 2039<<16}}}
	if os.product != "" {
		d.DeployedComponents = append(d.DeployedComponents, esetapi.DeployedComponent{
			Name: strings.ToUpper(strings.ReplaceAll(os.product, " ", "_")), DisplayName: os.product, ID: esetapi.Uint64(4237381130 + os.family),
			Version: esetapi.Version{Name: "11.1.12010.0", ID: 11<<48 | 1<<32 | 12010<<16}})
	}
	hw := esetapi.HardwareProfile{Manufacturer: pl.maker[0], Model: pl.maker[1]}
	for i := range 1 + rng.IntN(2) {
		hw.NetworkAdapters = append(hw.NetworkAdapters, esetapi.NetworkAdapter{
			Caption:    []string{"Ethernet adapter", "Wi-Fi adapter"}[i],
			MacAddress: fmt.Sprintf("00:50:56:%02X:%02X:%02X", rng.IntN(256), rng.IntN(256), rng.IntN(256)),
		})
	}
	d.HardwareProfiles = []esetapi.HardwareProfile{hw}
	return d
}

// originalName is the name the system first reported: a NetBIOS name for Windows (a generated one for a
// machine renamed in the console, one in four), the host name with a DNS suffix for some others.
func originalName(rng *rand.Rand, name string, os osInfo) string {
	switch {
	case os.family == 1 && rng.IntN(4) == 0:
		return "DESKTOP-" + randomText(rng, "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", 7)
	case os.family == 1:
		return strings.ToUpper(name[:min(len(name), 15)])
	case rng.IntN(3) == 0:
		return strings.ToLower(name) + ".corp.example.com"
	default:
		return strings.ToLower(name)
	}
}

func randomText(rng *rand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return string(b)
}

func weightedIndex(rng *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := rng.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

var owners = []string{"J. Doe", "A. Martin", "K. Novak", "finance team", "platform team"}
