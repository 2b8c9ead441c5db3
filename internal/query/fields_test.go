package query

import "testing"

func TestNeedsDetails(t *testing.T) {
	for expr, want := range map[string]bool{
		`incident.status == INCIDENT_STATUS_OPEN`:                               false,
		`display_name.contains("device_uuids")`:                                 false,
		`incident.device_uuids.contains("x")`:                                   true,
		`deviceUuids.contains("x") || status == INCIDENT_STATUS_OPEN`:           true,
		`size(incident.detection_uuids) >= 2`:                                   true,
		`incident.tags.exists(t, t == "a") && incident.device_uuids.size() > 0`: true,
		`incident.status ==`:                                                    true,
	} {
		if got := NeedsDetails(expr); got != want {
			t.Errorf("NeedsDetails(%q) = %v, want %v", expr, got, want)
		}
	}
}
