package simulator

import (
	"bytes"
	"encoding/json"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// wireDetectionV1 is a detection as GET /v1/detections writes it, in proto3 JSON.
type wireDetectionV1 struct {
	wireDetectionCommon
	Context   *wireContext        `json:"context,omitempty"`
	Responses []wireResponse      `json:"responses,omitempty"`
	Mitre     []map[string]string `json:"mitreAttackTechniques,omitempty"` // newer than the docs
}

// wireDetectionCommon holds the fields v1 and v2 write alike (esetapi.DetectionCommon).
type wireDetectionCommon struct {
	UUID           string `json:"uuid,omitempty"`
	DisplayName    string `json:"displayName,omitempty"`
	TypeName       string `json:"typeName,omitempty"`
	Category       string `json:"category,omitempty"`
	SeverityLevel  string `json:"severityLevel,omitempty"`
	OccurTime      string `json:"occurTime,omitempty"`
	ObjectName     string `json:"objectName,omitempty"`
	ObjectTypeName string `json:"objectTypeName,omitempty"`
	ObjectURL      string `json:"objectUrl,omitempty"`
	ObjectHashSHA1 string `json:"objectHashSha1,omitempty"`
}

// wireCommon writes the shared fields of d with category (which v1 names differently).
func (s *Server) wireCommon(d *esetapi.DetectionDetails, category string) wireDetectionCommon {
	return wireDetectionCommon{
		UUID: d.UUID, DisplayName: d.DisplayName, TypeName: d.TypeName,
		Category:      omitDefault(category, esetapi.DetectionCategoryUnspecified),
		SeverityLevel: s.severity(d.SeverityLevel), OccurTime: d.OccurTime,
		ObjectName: d.ObjectName, ObjectTypeName: d.ObjectTypeName, ObjectURL: d.ObjectURL, ObjectHashSHA1: d.ObjectHashSHA1,
	}
}

type wireContext struct {
	DeviceUUID    string       `json:"deviceUuid,omitempty"`
	UserName      string       `json:"userName,omitempty"`
	Circumstances string       `json:"circumstances,omitempty"`
	Process       *wireProcess `json:"process,omitempty"`
}

type wireProcess struct {
	Path        string `json:"path,omitempty"`
	CommandLine string `json:"commandLine,omitempty"`
	UUID        string `json:"uuid,omitempty"`
}

type wireResponse struct {
	DisplayName           string `json:"displayName,omitempty"`
	Description           string `json:"description,omitempty"`
	ProtectionName        string `json:"protectionName,omitempty"`
	DeviceRestartRequired bool   `json:"deviceRestartRequired,omitempty"`
	ActionType            string `json:"actionType,omitempty"`
}

// wireDetectionV2 is a detection as the v2 calls write it.
type wireDetectionV2 struct {
	wireDetectionCommon
	Device        *wireDevice2        `json:"device,omitempty"`
	UserName      string              `json:"userName,omitempty"`
	Circumstances string              `json:"circumstances,omitempty"`
	Process       *wireProcess        `json:"process,omitempty"`
	Resolved      bool                `json:"resolved,omitempty"`
	SeverityScore any                 `json:"severityScore,omitempty"`
	ObjectSize    string              `json:"objectSizeBytes,omitempty"`
	Note          string              `json:"note,omitempty"`
	EdrRuleUUID   string              `json:"edrRuleUuid,omitempty"`
	ScanUUID      string              `json:"scanUuid,omitempty"`
	Responses     []wireResponse      `json:"responses,omitempty"`
	Mitre         []map[string]string `json:"mitreAttackTechniques,omitempty"` // newer than the docs
}

type wireDevice2 struct {
	UUID        string `json:"uuid,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
}

func (s *Server) encodeDetectionV1(buf *bytes.Buffer, d *esetapi.DetectionDetails) {
	w := wireDetectionV1{
		wireDetectionCommon: s.wireCommon(d, v1Category(d.Category)),
		// v1 sends only the process path.
		Context:   &wireContext{DeviceUUID: d.Device.UUID, UserName: d.UserName, Circumstances: d.Circumstances, Process: process(esetapi.DetectionProcess{Path: d.Process.Path})},
		Responses: responses(d.Responses, false),
	}
	if *w.Context == (wireContext{}) {
		w.Context = nil
	}
	if s.opts.UnknownFields {
		w.Mitre = []map[string]string{{"id": "T1059"}}
	}
	b, _ := json.Marshal(w)
	buf.Write(b)
}

func (s *Server) encodeDetectionV2(buf *bytes.Buffer, d *esetapi.DetectionDetails) {
	w := wireDetectionV2{
		wireDetectionCommon: s.wireCommon(d, d.Category),
		UserName:            d.UserName, Circumstances: d.Circumstances, Process: process(d.Process), Resolved: d.Resolved,
		SeverityScore: s.int64(d.SeverityScore), ObjectSize: uint64Text(d.ObjectSizeBytes),
		Note: d.Note, EdrRuleUUID: d.EdrRuleUUID, ScanUUID: d.ScanUUID, Responses: responses(d.Responses, true),
	}
	if d.Device != (esetapi.DetectionDevice{}) {
		w.Device = &wireDevice2{UUID: d.Device.UUID, DisplayName: d.Device.DisplayName}
	}
	if s.opts.UnknownFields {
		w.Mitre = []map[string]string{{"id": "T1059"}}
	}
	b, _ := json.Marshal(w)
	buf.Write(b)
}

// severity writes a severity level, or with UnknownFields a level newer than the docs for the high ones.
func (s *Server) severity(level string) string {
	if s.opts.UnknownFields && level == "SEVERITY_LEVEL_HIGH" {
		return "SEVERITY_LEVEL_CRITICAL"
	}
	return omitDefault(level, esetapi.DetectionSeverityUnspecified)
}

func process(p esetapi.DetectionProcess) *wireProcess {
	if p == (esetapi.DetectionProcess{}) {
		return nil
	}
	return &wireProcess{Path: p.Path, CommandLine: p.CommandLine, UUID: p.UUID}
}

// responses writes what protections did; v1 has no action type.
func responses(rs []esetapi.DetectionResponse, v2 bool) []wireResponse {
	var out []wireResponse
	for _, r := range rs {
		w := wireResponse{DisplayName: r.DisplayName, Description: r.Description, ProtectionName: r.ProtectionName, DeviceRestartRequired: r.DeviceRestartRequired}
		if v2 {
			w.ActionType = r.ActionType
		}
		out = append(out, w)
	}
	return out
}
