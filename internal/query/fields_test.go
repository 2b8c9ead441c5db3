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

func TestNeedsParens(t *testing.T) {
	for expr, want := range map[string]bool{
		`status == INCIDENT_STATUS_OPEN`:             false,
		`(tags.contains("a") || tags.contains("b"))`: false,
		`a || b`:     true,
		`(a) || (b)`: true,
		`(display_name == r'\') || (display_name != 'x\'y')`: true,
		`x.contains(")(") || y`:                              true,
		`(x.contains(")(") || y)`:                            false,
		`a ? b : c`:                                          true,
		`!has(incident.assignee_uuid)`:                       false,
		`x // note`:                                          false,
		"incident.status ==":                                 true,
	} {
		if got := NeedsParens(expr); got != want {
			t.Errorf("NeedsParens(%q) = %v, want %v", expr, got, want)
		}
	}
}
