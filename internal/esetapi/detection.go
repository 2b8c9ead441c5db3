package esetapi

// Detection is one endpoint detection as GET /v1/detections lists it (ESET PROTECT and ESET Inspect). As for
// incidents, proto3 JSON leaves default values out; ApplyDefaults gives the absent top-level enums their
// *_UNSPECIFIED value, and enum values newer than the docs pass through. v1 has no device name, resolved
// flag or score: DetectionDetails (v2, by uuid) has them.
type Detection struct {
	DetectionCommon
	Context              DetectionContext     `json:"context"`
	NetworkCommunication NetworkCommunication `json:"networkCommunication"`
	Responses            []DetectionResponse  `json:"responses"`
}

// DetectionCommon holds the fields v1 (Detection) and v2 (DetectionDetails) detections share, with the
// same names and meaning.
type DetectionCommon struct {
	UUID        string `json:"uuid"`
	DisplayName string `json:"displayName"`
	// TypeName is deprecated; real records hold the literal "nil".
	TypeName string `json:"typeName"`
	// Category is deprecated by ESET but still sent.
	Category      string `json:"category"`
	SeverityLevel string `json:"severityLevel"`
	// OccurTime is RFC 3339 as sent, possibly with fractional seconds.
	OccurTime      string `json:"occurTime"`
	ObjectName     string `json:"objectName"`
	ObjectTypeName string `json:"objectTypeName"`
	ObjectURL      string `json:"objectUrl"`
	ObjectHashSHA1 string `json:"objectHashSha1"`
}

// DetectionContext is where a v1 detection happened.
type DetectionContext struct {
	// DeviceUUID is the uuid of the device in the device API.
	DeviceUUID    string           `json:"deviceUuid"`
	UserName      string           `json:"userName"`
	Circumstances string           `json:"circumstances"`
	Process       DetectionProcess `json:"process"`
}

// DetectionProcess is the process a detection involved; v1 sends only its path.
type DetectionProcess struct {
	Path        string `json:"path"`
	CommandLine string `json:"commandLine"`
	UUID        string `json:"uuid"`
}

// NetworkCommunication is the connection of a v1 network detection; ports of 0 and empty strings mean unset.
type NetworkCommunication struct {
	Direction       string `json:"direction"`
	LocalIPAddress  string `json:"localIpAddress"`
	LocalPort       Int64  `json:"localPort"`
	RemoteIPAddress string `json:"remoteIpAddress"`
	RemotePort      Int64  `json:"remotePort"`
	ProtocolName    string `json:"protocolName"`
}

// DetectionResponse is what a protection did about a detection; ActionType is sent by v2 only.
type DetectionResponse struct {
	DisplayName           string `json:"displayName"`
	Description           string `json:"description"`
	ProtectionName        string `json:"protectionName"`
	DeviceRestartRequired bool   `json:"deviceRestartRequired"`
	ActionType            string `json:"actionType"`
}

// DetectionDetails is the richer v2 record of a detection, read by uuid (any detection, endpoint ones
// included). ECOS-only parts (file, email, triggering event) are not decoded.
type DetectionDetails struct {
	DetectionCommon
	Device         DetectionDevice  `json:"device"`
	UserName       string           `json:"userName"`
	Circumstances  string           `json:"circumstances"`
	Process        DetectionProcess `json:"process"`
	NetworkTraffic NetworkTraffic   `json:"networkTraffic"`
	// Resolved is false when absent.
	Resolved bool `json:"resolved"`
	// SeverityScore is 1 to 49 for low, 50 to 59 medium, 60 to 100 high; 0 when absent.
	SeverityScore         Int64               `json:"severityScore"`
	ObjectSizeBytes       Uint64              `json:"objectSizeBytes"`
	Note                  string              `json:"note"`
	EdrRuleUUID           string              `json:"edrRuleUuid"`
	ScanUUID              string              `json:"scanUuid"`
	CloudOfficeTenantUUID string              `json:"cloudOfficeTenantUuid"`
	Responses             []DetectionResponse `json:"responses"`
}

// DetectionDevice names the device of a v2 detection; empty for ECOS detections.
type DetectionDevice struct {
	UUID        string `json:"uuid"`
	DisplayName string `json:"displayName"`
}

// NetworkTraffic is the connection of a v2 network detection.
type NetworkTraffic struct {
	Direction        string `json:"direction"`
	LocalIPAddress   string `json:"localIpAddress"`
	LocalMacAddress  string `json:"localMacAddress"`
	LocalPort        Int64  `json:"localPort"`
	RemoteIPAddress  string `json:"remoteIpAddress"`
	RemoteMacAddress string `json:"remoteMacAddress"`
	RemotePort       Int64  `json:"remotePort"`
	ProtocolKeyword  string `json:"protocolKeyword"`
}

// Enum values of detections the API documents (incidents use other severity names). Values outside these
// lists are newer than the docs and pass through.
const (
	DetectionSeverityUnspecified = "SEVERITY_LEVEL_UNSPECIFIED"
	DetectionCategoryUnspecified = "DETECTION_CATEGORY_UNSPECIFIED"
)

var (
	// DetectionSeverities lists the documented detection severity levels, lowest first.
	DetectionSeverities = []string{DetectionSeverityUnspecified, "SEVERITY_LEVEL_DIAGNOSTIC", "SEVERITY_LEVEL_INFORMATIONAL", "SEVERITY_LEVEL_LOW", "SEVERITY_LEVEL_MEDIUM", "SEVERITY_LEVEL_HIGH"}
	// DetectionCategories lists the documented categories of v1 detections; v2 says
	// DETECTION_CATEGORY_EDR_RULE where v1 says DETECTION_CATEGORY_CORRELATION_RULE.
	DetectionCategories = []string{DetectionCategoryUnspecified, "DETECTION_CATEGORY_CORRELATION_RULE", "DETECTION_CATEGORY_FIREWALL_RULE", "DETECTION_CATEGORY_ANTIVIRUS", "DETECTION_CATEGORY_HIPS", "DETECTION_CATEGORY_NETWORK_INTRUSION", "DETECTION_CATEGORY_HIPS_RULE", "DETECTION_CATEGORY_WEB_ACCESS", "DETECTION_CATEGORY_VULNERABILITY", "DETECTION_CATEGORY_APPLICATION_PATCH", "DETECTION_CATEGORY_SUSPICIOUS_ACTIVITY"}
)

// ApplyDefaults gives absent top-level enums their *_UNSPECIFIED value; Detection and DetectionDetails
// have it by embedding.
func (d *DetectionCommon) ApplyDefaults() {
	d.Category = orUnspecified(d.Category, DetectionCategoryUnspecified)
	d.SeverityLevel = orUnspecified(d.SeverityLevel, DetectionSeverityUnspecified)
}

func orUnspecified(v, unspecified string) string {
	if v == "" {
		return unspecified
	}
	return v
}
