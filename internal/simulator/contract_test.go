package simulator

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// contractServer serves a small world with the contract on (the default) and answers validated.
func contractServer(t *testing.T, change func(*Options)) (*Server, World) {
	t.Helper()
	w := GenerateWorld(WorldSpec{Seed: 5, Incidents: 60, End: testEnd})
	opts := Options{Username: "u", Password: "p", ValidateResponses: true}
	opts.SetWorld(w)
	if change != nil {
		change(&opts)
	}
	return New(opts), w
}

// The calls the documents refuse get the gateway's answer: 400, code 3, a message naming the parameter, a
// request-id; the same calls one character shorter pass.
func TestContractRefusesWhatTheDocumentsRefuse(t *testing.T) {
	srv, w := contractServer(t, nil)
	device := w.Devices[0].UUID
	// A filter of 200 characters, counted as characters: "é" is two bytes.
	filter := func(n int) string {
		return url.QueryEscape(`incident.display_name.contains("` + strings.Repeat("é", n-len(`incident.display_name.contains("")`)) + `")`)
	}
	for _, tc := range []struct {
		name, target, param string
		refused             bool
	}{
		{"filter of 200 characters", "/v2/incidents?filter=" + filter(200), "", false},
		{"filter of 201 characters", "/v2/incidents?filter=" + filter(201), "filter", true},
		{"orderBy of 100 characters", "/v2/incidents?orderBy=" + strings.Repeat("x", 100), "", false},
		{"orderBy of 101 characters", "/v2/incidents?orderBy=" + strings.Repeat("x", 101), "orderBy", true},
		{"pageToken of 129 characters", "/v2/incidents?pageToken=" + strings.Repeat("x", 129), "pageToken", true},
		{"pageSize over 99999", "/v2/incidents?pageSize=100000", "pageSize", true},
		{"malformed incident uuid", "/v2/incidents/not-a-uuid", "incidentUuid", true},
		{"upper-case uuid", "/v2/incidents/" + strings.ToUpper(w.Incidents[0].UUID), "", false},
		{"malformed device uuid of detections", "/v1/detections?deviceUuid=web-01", "deviceUuid", true},
		{"detections of a device", "/v1/detections?deviceUuid=" + device, "", false},
		{"time without seconds", "/v1/detections?endTime=2026-10-31T12:00Z", "endTime", true},
		{"undocumented enum value", "/v1/devices?functionalityStatus=DEVICE_FUNCTIONALITY_STATUS_CRITICAL", "functionalityStatus", true},
		{"isMuted not a boolean", "/v1/devices?isMuted=maybe", "isMuted", true},
		{"recurseSubgroups not a boolean", "/v1/device_groups/" + w.DeviceGroups[0].UUID + "/devices?recurseSubgroups=yes", "recurseSubgroups", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body, header := call(t, srv, tc.target)
			var answer struct {
				Code    int
				Message string
				Details []any
			}
			_ = json.Unmarshal([]byte(body), &answer)
			switch {
			case header.Get("request-id") == "":
				t.Error("no request-id")
			case !tc.refused && status >= 400 && strings.Contains(answer.Message, "invalid argument"):
				t.Errorf("refused: %d %s", status, body)
			case tc.refused && (status != 400 || answer.Code != 3 || answer.Details == nil || !strings.Contains(answer.Message, tc.param)):
				t.Errorf("got %d %s; want 400 with code 3, details [] and a message naming %s", status, body, tc.param)
			}
		})
	}
}

func TestNoContractServesWhatTheDocumentsRefuse(t *testing.T) {
	srv, _ := contractServer(t, func(o *Options) { o.NoContract = true })
	long := url.QueryEscape(`incident.display_name.contains("` + strings.Repeat("x", 200) + `")`)
	if status, body, _ := call(t, srv, "/v2/incidents?filter="+long); status != 200 {
		t.Errorf("status %d %s; want the 201-character filter served", status, body)
	}
	if v := srv.Violations(); len(v) != 0 {
		t.Errorf("violations without the contract: %q", v)
	}
}

// Every endpoint's answers, as the simulator writes them in each of its wire forms, fit the documents'
// response schemas, closed to fields they do not list.
func TestAnswersFitTheDocuments(t *testing.T) {
	for _, form := range []struct {
		name   string
		change func(*Options)
	}{
		{"int64 as numbers", nil},
		{"int64 as strings", func(o *Options) { o.Int64AsStrings = true }},
		{"a newer service", func(o *Options) { o.UnknownFields = true }},
		{"answers held back", func(o *Options) { o.SlowRate = 1 }},
	} {
		t.Run(form.name, func(t *testing.T) {
			srv, w := contractServer(t, form.change)
			batch, _ := json.Marshal(map[string][]string{"detectionUuids": {w.Detections[0].UUID, w.Detections[1].UUID}})
			for _, c := range []struct{ method, target, body string }{
				{"GET", "/v2/incidents?pageSize=1000", ""},
				{"GET", "/v2/incidents?pageSize=10&orderBy=create_time%20desc", ""},
				{"GET", "/v2/incidents/" + w.Incidents[0].UUID, ""},
				{"GET", "/v2/incidents/" + unknownUUID, ""},
				{"GET", "/v1/devices?pageSize=1000", ""},
				{"GET", "/v1/devices/" + w.Devices[0].UUID, ""},
				{"GET", "/v1/device_groups?pageSize=1000", ""},
				{"GET", "/v1/device_groups/" + w.DeviceGroups[0].UUID + "/devices?recurseSubgroups=true&pageSize=1000", ""},
				{"GET", "/v1/detections?pageSize=1000", ""},
				{"POST", "/v2/detections:batchGet", string(batch)},
			} {
				if status, body, _ := send(t, srv, c.method, c.target, c.body); status >= 500 {
					t.Errorf("%s %s: %d %.200s", c.method, c.target, status, body)
				}
			}
			for _, v := range srv.Violations() {
				t.Error(v)
			}
		})
	}
}

// The answer check refuses a field the documents do not list and an undocumented enum value, unless the
// simulator plays a newer service, takes int64 fields as numbers or strings, and checks the request-id's uuid.
func TestAnswerCheck(t *testing.T) {
	_, w := contractServer(t, nil)
	inc := w.Incidents[0].UUID
	for _, tc := range []struct {
		name, body string
		requestID  string
		strict     string // "" when valid, else a word of the violation
		newer      bool   // valid for a newer service
	}{
		{"documented", `{"incidents":[{"uuid":"` + inc + `","severity":"INCIDENT_SEVERITY_LEVEL_HIGH","metrics":{"deviceCount":2}}]}`, unknownUUID, "", true},
		{"int64 as a string", `{"incidents":[{"metrics":{"deviceCount":"2"}}],"nextPageToken":"x"}`, unknownUUID, "", true},
		{"int64 as a word", `{"incidents":[{"metrics":{"deviceCount":"two"}}]}`, unknownUUID, "deviceCount", false},
		{"an invented field", `{"incidents":[{"uuid":"` + inc + `","riskScore":3}]}`, unknownUUID, "riskScore", true},
		{"a misnamed field", `{"incidents":[{"incidentUuid":"` + inc + `"}]}`, unknownUUID, "incidentUuid", true},
		{"an undocumented enum value", `{"incidents":[{"severity":"INCIDENT_SEVERITY_LEVEL_CRITICAL"}]}`, unknownUUID, "severity", true},
		{"a malformed request-id", `{}`, "42", "request-id", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, newer := range []bool{false, true} {
				c := contractFor(newer)
				req := httptest.NewRequest("GET", "/v2/incidents", nil)
				in, _, err := c.request(req)
				if err != nil {
					t.Fatal(err)
				}
				err = c.response(in, 200, map[string][]string{"Content-Type": {"application/json"}, "Request-Id": {tc.requestID}}, []byte(tc.body))
				wantValid := tc.strict == ""
				if newer {
					wantValid = tc.newer
				}
				switch {
				case wantValid && err != nil:
					t.Errorf("newer=%v: refused: %v", newer, err)
				case !wantValid && (err == nil || !strings.Contains(err.Error(), tc.strict)):
					t.Errorf("newer=%v: err = %v, want one naming %s", newer, err, tc.strict)
				}
			}
		})
	}
}

type fakeTB struct {
	cleanups []func()
	errors   []string
}

func (f *fakeTB) Helper()          {}
func (f *fakeTB) Cleanup(c func()) { f.cleanups = append(f.cleanups, c) }
func (f *fakeTB) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

// A test whose client sends a call the documents refuse fails when it ends.
func TestFailOnViolations(t *testing.T) {
	srv, _ := contractServer(t, nil)
	tb := &fakeTB{}
	FailOnViolations(tb, srv)
	call(t, srv, "/v2/incidents?orderBy="+strings.Repeat("x", 101))
	call(t, srv, "/v2/incidents")
	for _, c := range tb.cleanups {
		c()
	}
	if len(tb.errors) != 1 || !strings.Contains(tb.errors[0], "orderBy") {
		t.Errorf("errors at cleanup: %q, want one naming orderBy", tb.errors)
	}
}
