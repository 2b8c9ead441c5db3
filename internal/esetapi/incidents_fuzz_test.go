package esetapi

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

const realisticPage = `{"incidents":[
{"uuid":"0f8e3c1a-5d2b-4c7e-9a41-2b6d8e0f1c3a","displayName":"Ransomware behaviour on FIN-LAPTOP-12","description":"Detected by ESET Inspect rule.",
 "assigneeUuid":"7c9e6679-7425-40de-944b-e07fc1f90ae7","createTime":"2026-10-30T08:12:44Z","updateTime":"2026-10-31T17:02:09.123456789Z",
 "severity":"INCIDENT_SEVERITY_LEVEL_HIGH","status":"INCIDENT_STATUS_CLOSED","resolveReason":"INCIDENT_RESOLVE_REASON_TRUE_POSITIVE",
 "tags":["mdr","vip"],"triageDuration":"3600s","responseDuration":"7200.250s",
 "metrics":{"deviceCount":2,"executableCount":5,"processCount":17}},
{"uuid":"1a2b3c4d-0000-4000-8000-000000000001","displayName":"Cryptominer on web-01","createTime":"2026-10-30T09:00:00Z",
 "updateTime":"2026-10-30T09:00:00Z","severity":"INCIDENT_SEVERITY_LEVEL_LOW","status":"INCIDENT_STATUS_OPEN","metrics":{"deviceCount":1}}
],"nextPageToken":"djE6YWJjZGVmOjEwMDA"}`

// FuzzDecodePage feeds arbitrary bodies to the decoding ListIncidents does (decodeJSON into
// incidentListPage, with Int64's UnmarshalJSON for the metrics) and to Int64.UnmarshalJSON alone. Neither
// may panic; decodeJSON must agree with json.Unmarshal on what is one well-formed page; Int64 must accept
// every JSON number that fits an int64, with its value.
//
//	go test -run='^$' -fuzz=FuzzDecodePage -fuzztime=10s ./internal/esetapi
func FuzzDecodePage(f *testing.F) {
	f.Add([]byte(realisticPage))
	f.Add([]byte(`{"incidents":[{"uuid":"only-uuid"},{}]}`))
	f.Add([]byte(`{"incidents":[{"uuid":"a","metrics":{"deviceCount":"9223372036854775807","executableCount":"-3","processCount":null}}],"nextPageToken":""}`))
	f.Add([]byte(realisticPage[:len(realisticPage)/2]))
	f.Add([]byte(realisticPage + ` {"incidents":[]}`))
	f.Add([]byte(realisticPage + "\n<html>502</html>"))
	f.Add([]byte(`{"incidents":[{"uuid":"a","riskScore":7,"labels":{"k":"v"},"severity":"INCIDENT_SEVERITY_LEVEL_CRITICAL","extension":` +
		strings.Repeat(`{"x":[`, 300) + `1` + strings.Repeat(`]}`, 300) + `}]}`))
	f.Add([]byte(strings.Repeat(`[`, 10001) + strings.Repeat(`]`, 10001)))
	f.Add([]byte(`{"incidents":null,"nextPageToken":null}`))
	f.Add([]byte(`{"incidents":[{"metrics":{"deviceCount":1e3}}]}`))
	f.Add([]byte(`"12"`))
	f.Add([]byte(`-9223372036854775808`))
	f.Add([]byte(``))

	f.Fuzz(func(t *testing.T, data []byte) {
		var page incidentListPage
		err := decodeJSON(bytes.NewReader(data), &page)
		var want incidentListPage
		wantErr := json.Unmarshal(data, &want)
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("decodeJSON error %v, json.Unmarshal error %v", err, wantErr)
		}
		if err == nil {
			if !reflect.DeepEqual(page, want) {
				t.Fatalf("decodeJSON and json.Unmarshal disagree:\n%+v\n%+v", page, want)
			}
			for i := range page.Incidents {
				inc := &page.Incidents[i]
				inc.ApplyDefaults()
				if inc.Severity == "" || inc.Status == "" || inc.ResolveReason == "" {
					t.Fatalf("defaults not applied: %+v", inc)
				}
			}
		}

		var n Int64
		nerr := n.UnmarshalJSON(data)
		var ref int64
		if json.Unmarshal(data, &ref) == nil {
			if nerr != nil || int64(n) != ref {
				t.Fatalf("Int64 of %q = %d, %v; json says %d", data, n, nerr, ref)
			}
		}
		if nerr == nil {
			// Whatever was accepted reads back the same, as a number and as a string.
			for _, form := range []string{strconv.FormatInt(int64(n), 10), strconv.Quote(strconv.FormatInt(int64(n), 10))} {
				var back Int64
				if err := back.UnmarshalJSON([]byte(form)); err != nil || back != n {
					t.Fatalf("Int64 %d does not read back from %s: %d, %v", n, form, back, err)
				}
			}
		}
	})
}
