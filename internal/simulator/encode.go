package simulator

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// wireIncident is an incident as proto3 JSON writes it: fields holding their default value are left out.
type wireIncident struct {
	UUID             string       `json:"uuid,omitempty"`
	DisplayName      string       `json:"displayName,omitempty"`
	Description      string       `json:"description,omitempty"`
	AssigneeUUID     *string      `json:"assigneeUuid,omitempty"`
	CreateTime       string       `json:"createTime,omitempty"`
	UpdateTime       string       `json:"updateTime,omitempty"`
	Severity         string       `json:"severity,omitempty"`
	Status           string       `json:"status,omitempty"`
	ResolveReason    string       `json:"resolveReason,omitempty"`
	Tags             []string     `json:"tags,omitempty"`
	TriageDuration   *string      `json:"triageDuration,omitempty"`
	ResponseDuration *string      `json:"responseDuration,omitempty"`
	Metrics          *wireMetrics `json:"metrics,omitempty"`
	DeviceUUIDs      []string     `json:"deviceUuids,omitempty"`
	DetectionUUIDs   []string     `json:"detectionUuids,omitempty"`
	// Fields newer than the docs, sent when Faults.UnknownFields is on.
	RiskScore *int              `json:"riskScore,omitempty"`
	Labels    map[string]string `json:"labels,omitempty"`
}

// wireMetrics holds numbers or strings: proto3 JSON may write int64 either way.
type wireMetrics struct {
	DeviceCount     any `json:"deviceCount,omitempty"`
	ExecutableCount any `json:"executableCount,omitempty"`
	ProcessCount    any `json:"processCount,omitempty"`
}

func (s *Server) encodePage(indexes []int, next string) []byte {
	var buf bytes.Buffer
	buf.Grow(len(indexes) * 700)
	buf.WriteString(`{"incidents":[`)
	for n, i := range indexes {
		if n > 0 {
			buf.WriteByte(',')
		}
		s.encodeIncident(&buf, &s.opts.Incidents[i], false)
	}
	buf.WriteString("]")
	if next != "" {
		buf.WriteString(`,"nextPageToken":`)
		buf.WriteString(strconv.Quote(next))
	}
	buf.WriteString("}")
	return buf.Bytes()
}

// encodeIncident writes inc; the list call leaves out device and detection uuids, the detail call sends them.
func (s *Server) encodeIncident(buf *bytes.Buffer, inc *esetapi.Incident, details bool) {
	w := wireIncident{
		UUID: inc.UUID, DisplayName: inc.DisplayName, Description: inc.Description, AssigneeUUID: inc.AssigneeUUID,
		CreateTime: inc.CreateTime, UpdateTime: inc.UpdateTime, Tags: inc.Tags,
		Severity:         omitDefault(inc.Severity, esetapi.SeverityUnspecified),
		Status:           omitDefault(inc.Status, esetapi.StatusUnspecified),
		ResolveReason:    omitDefault(inc.ResolveReason, esetapi.ResolveUnspecified),
		TriageDuration:   inc.TriageDuration,
		ResponseDuration: inc.ResponseDuration,
	}
	if m := inc.Metrics; m != (esetapi.IncidentMetrics{}) {
		w.Metrics = &wireMetrics{s.int64(m.DeviceCount), s.int64(m.ExecutableCount), s.int64(m.ProcessCount)}
	}
	if details {
		w.DeviceUUIDs, w.DetectionUUIDs = inc.DeviceUUIDs, inc.DetectionUUIDs
	}
	if s.opts.UnknownFields {
		score := len(inc.UUID) * 2
		w.RiskScore = &score
		w.Labels = map[string]string{"source": "simulator"}
		if inc.Severity == "INCIDENT_SEVERITY_LEVEL_HIGH" {
			w.Severity = "INCIDENT_SEVERITY_LEVEL_CRITICAL"
		}
	}
	b, _ := json.Marshal(w)
	buf.Write(b)
}

func omitDefault(v, def string) string {
	if v == def {
		return ""
	}
	return v
}

// int64 writes n the way the server is set to: a number, or a string; nil (left out) when zero.
func (s *Server) int64(n esetapi.Int64) any {
	switch {
	case n == 0:
		return nil
	case s.opts.Int64AsStrings:
		return strconv.FormatInt(int64(n), 10)
	default:
		return int64(n)
	}
}
