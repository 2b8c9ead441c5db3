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

func TestEvaluable(t *testing.T) {
	for expr, want := range map[string]bool{
		`incident.status == INCIDENT_STATUS_OPEN && display_name.contains("x")`: true,
		`incident.create_time >= timestamp("2026-01-01T00:00:00Z")`:             true,
		`incident.triage_duration > duration("1h")`:                             false,
		`incident.device_uuids.contains("x")`:                                   false,
		`incident.display_name.startsWith("x")`:                                 false,
		`incident.severity == INCIDENT_SEVERITY_LEVEL_CRITICAL`:                 false,
	} {
		if got := Evaluable(expr); got != want {
			t.Errorf("Evaluable(%q) = %v, want %v", expr, got, want)
		}
	}
}
