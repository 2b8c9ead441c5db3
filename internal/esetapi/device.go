package esetapi

import "slices"

// Device is one managed device as the Device Management API describes it (v1Device). As for incidents,
// proto3 JSON leaves default values out: absent strings read empty, absent lists nil, absent numbers zero
// and absent booleans false; ApplyDefaults gives absent enums their *_UNSPECIFIED value. Enum values and
// OS family ids newer than the docs pass through unchanged.
type Device struct {
	UUID string `json:"uuid"`
	// DisplayName is the name set in the console, what users call the host name.
	DisplayName string `json:"displayName"`
	// OriginalDisplayName is the name the operating system first reported (e.g. a NetBIOS name).
	OriginalDisplayName string   `json:"originalDisplayName"`
	Description         string   `json:"description"`
	Tags                []string `json:"tags"`
	// ParentGroupUUID is the one static group that owns the device.
	ParentGroupUUID string `json:"parentGroupUuid"`
	// PrimaryLocalIPAddress is one address picked on the device (absent on iOS); PublicIPAddress the one the
	// server saw, which many devices behind one NAT share.
	PrimaryLocalIPAddress     string `json:"primaryLocalIpAddress"`
	PublicIPAddress           string `json:"publicIpAddress"`
	LastSyncTime              string `json:"lastSyncTime"`
	FunctionalityStatus       string `json:"functionalityStatus"`
	FunctionalityProblemCount Int64  `json:"functionalityProblemCount"`
	IsMuted                   bool   `json:"isMuted"`
	IsMobile                  bool   `json:"isMobile"`
	// IsMaster marks the source image of VDI clones.
	IsMaster           bool                `json:"isMaster"`
	DeviceType         string              `json:"deviceType"`
	EnrollmentStatus   string              `json:"enrollmentStatus"`
	OperatingSystem    OperatingSystem     `json:"operatingSystem"`
	DeployedComponents []DeployedComponent `json:"deployedComponents"`
	HardwareProfiles   []HardwareProfile   `json:"hardwareProfiles"`
	ManagementDomain   string              `json:"managementDomain"`
	// OwnerUUID is the tenant's uuid.
	OwnerUUID string `json:"ownerUuid"`
	Etag      string `json:"etag"`
}

// OperatingSystem describes a device's system. FamilyID has no enum names in the API: OSFamily names it.
type OperatingSystem struct {
	DisplayName string  `json:"displayName"`
	FamilyID    Int64   `json:"familyId"`
	EditionID   Int64   `json:"editionId"`
	Bitness     Int64   `json:"bitness"`
	Version     Version `json:"version"`
}

// Version is the API's version object: Name is the human text (e.g. "10.0.22631"), ID a sortable number.
type Version struct {
	Name  string `json:"name"`
	ID    Uint64 `json:"id"`
	Major Int64  `json:"major"`
	Minor Int64  `json:"minor"`
	Patch Int64  `json:"patch"`
}

// DeployedComponent is an installed ESET part, such as the management agent or a security product.
type DeployedComponent struct {
	Name        string  `json:"name"`
	DisplayName string  `json:"displayName"`
	ID          Uint64  `json:"id"`
	Version     Version `json:"version"`
}

// HardwareProfile holds what the device's hardware inventory reports that the provider uses: its maker,
// model and network adapters (the only source of MAC addresses; the API lists no other IP addresses).
type HardwareProfile struct {
	Manufacturer    string           `json:"manufacturer"`
	Model           string           `json:"model"`
	NetworkAdapters []NetworkAdapter `json:"networkAdapters"`
}

// NetworkAdapter is one network interface of a device.
type NetworkAdapter struct {
	Caption    string `json:"caption"`
	MacAddress string `json:"macAddress"`
}

// Enum values the device API documents. Values outside these lists are newer than the docs and pass through.
const (
	FunctionalityStatusUnspecified = "DEVICE_FUNCTIONALITY_STATUS_UNSPECIFIED"
	DeviceTypeUnspecified          = "DEVICE_TYPE_UNSPECIFIED"
	EnrollmentStatusUnspecified    = "DEVICE_ENROLLMENT_STATUS_UNSPECIFIED"
)

var (
	// FunctionalityStatuses lists the documented functionality statuses, best first after UNSPECIFIED.
	FunctionalityStatuses = []string{FunctionalityStatusUnspecified, "DEVICE_FUNCTIONALITY_STATUS_OK", "DEVICE_FUNCTIONALITY_STATUS_ATTENTION_RECOMMENDED", "DEVICE_FUNCTIONALITY_STATUS_ATTENTION_REQUIRED"}
	// EnrollmentStatuses lists the documented enrollment statuses.
	EnrollmentStatuses = []string{EnrollmentStatusUnspecified, "DEVICE_ENROLLMENT_STATUS_PENDING", "DEVICE_ENROLLMENT_STATUS_FINISHED", "DEVICE_ENROLLMENT_STATUS_FAILED"}
)

// ApplyDefaults fills in the proto3 defaults that the wire format leaves out, so that an absent enum reads
// as its *_UNSPECIFIED value. Lists stay nil.
func (d *Device) ApplyDefaults() {
	if d.FunctionalityStatus == "" {
		d.FunctionalityStatus = FunctionalityStatusUnspecified
	}
	if d.DeviceType == "" {
		d.DeviceType = DeviceTypeUnspecified
	}
	if d.EnrollmentStatus == "" {
		d.EnrollmentStatus = EnrollmentStatusUnspecified
	}
}

// MacAddresses returns the MAC addresses of every network adapter of every hardware profile, in the API's
// order, each once. A device has a few adapters, so a linear search beats a set (and allocates nothing
// more), which counts when 10,000 devices are read.
func (d *Device) MacAddresses() []string {
	var out []string
	for _, hp := range d.HardwareProfiles {
		for _, na := range hp.NetworkAdapters {
			if na.MacAddress != "" && !slices.Contains(out, na.MacAddress) {
				out = append(out, na.MacAddress)
			}
		}
	}
	return out
}
