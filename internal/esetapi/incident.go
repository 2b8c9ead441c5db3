package esetapi

// Incident is one incident as the Incident Management API describes it (v2Incident).
//
// The API speaks proto3 JSON, which omits fields that hold their default value. Decoding therefore leaves
// an absent string empty, an absent list nil and an absent number zero; the three fields whose absence
// means something (unassigned, not yet triaged, not yet answered) are pointers, nil when absent.
// Strings such as timestamps, durations and enum names are kept exactly as sent.
type Incident struct {
	UUID             string          `json:"uuid"`
	DisplayName      string          `json:"displayName"`
	Description      string          `json:"description"`
	AssigneeUUID     *string         `json:"assigneeUuid"`
	CreateTime       string          `json:"createTime"`
	UpdateTime       string          `json:"updateTime"`
	Severity         string          `json:"severity"`
	Status           string          `json:"status"`
	ResolveReason    string          `json:"resolveReason"`
	Tags             []string        `json:"tags"`
	TriageDuration   *string         `json:"triageDuration"`
	ResponseDuration *string         `json:"responseDuration"`
	Metrics          IncidentMetrics `json:"metrics"`
	// DeviceUUIDs and DetectionUUIDs are sent only by GET /v2/incidents/{uuid}; the list call leaves
	// them out.
	DeviceUUIDs    []string `json:"deviceUuids"`
	DetectionUUIDs []string `json:"detectionUuids"`
}

// IncidentMetrics counts what an incident involves.
type IncidentMetrics struct {
	DeviceCount     Int64 `json:"deviceCount"`
	ExecutableCount Int64 `json:"executableCount"`
	ProcessCount    Int64 `json:"processCount"`
}

// Enum values the API documents. Values outside these lists are newer than the docs and pass through.
const (
	SeverityUnspecified = "INCIDENT_SEVERITY_LEVEL_UNSPECIFIED"
	StatusUnspecified   = "INCIDENT_STATUS_UNSPECIFIED"
	ResolveUnspecified  = "INCIDENT_RESOLVE_REASON_UNSPECIFIED"
)

var (
	// Severities lists the documented severity levels, lowest first.
	Severities = []string{SeverityUnspecified, "INCIDENT_SEVERITY_LEVEL_LOW", "INCIDENT_SEVERITY_LEVEL_MEDIUM", "INCIDENT_SEVERITY_LEVEL_HIGH"}
	// Statuses lists the documented incident statuses.
	Statuses = []string{StatusUnspecified, "INCIDENT_STATUS_OPEN", "INCIDENT_STATUS_IN_PROGRESS", "INCIDENT_STATUS_CLOSED", "INCIDENT_STATUS_WAITING_FOR_INPUT"}
	// ResolveReasons lists the documented reasons an incident was resolved for.
	ResolveReasons = []string{ResolveUnspecified, "INCIDENT_RESOLVE_REASON_TRUE_POSITIVE", "INCIDENT_RESOLVE_REASON_FALSE_POSITIVE", "INCIDENT_RESOLVE_REASON_SUSPICIOUS"}
)

// ApplyDefaults fills in the proto3 defaults that the wire format leaves out, so that an absent enum reads
// as its *_UNSPECIFIED value. Lists stay nil: callers decide whether nil means empty or not sent.
func (i *Incident) ApplyDefaults() {
	if i.Severity == "" {
		i.Severity = SeverityUnspecified
	}
	if i.Status == "" {
		i.Status = StatusUnspecified
	}
	if i.ResolveReason == "" {
		i.ResolveReason = ResolveUnspecified
	}
}
