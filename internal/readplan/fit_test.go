package readplan

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/query"
)

// Every filter fit makes is within the API's 200 characters; three devices fit one filter alone and two
// beside the longest key; conditions the provider can evaluate give way to devices; what only the API can
// evaluate is sent or refused, never dropped.
func TestFit(t *testing.T) {
	devices := make([]string, 10)
	for i := range devices {
		devices[i] = fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
	}
	status := term{expr: "status in [INCIDENT_STATUS_OPEN, INCIDENT_STATUS_IN_PROGRESS]", local: true}
	key := key{t: time.Date(2026, 12, 7, 0, 0, 0, 123456789, time.UTC)}.clause(false)
	for _, tc := range []struct {
		name           string
		terms          []term
		clause         string
		groups, locals int
	}{
		{"devices alone", []term{{expr: devicesExpr(devices), devices: devices}}, "", 4, 0},
		{"devices beside a key", []term{{expr: devicesExpr(devices), devices: devices}}, key, 5, 0},
		{"devices and a status", []term{status, {expr: devicesExpr(devices), devices: devices}}, "", 4, 1},
		{"one device and a status", []term{status, {expr: devicesExpr(devices[:1]), devices: devices[:1]}}, "", 1, 0},
		{"a status beside a key", []term{status}, key, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			units, err := fit(tc.terms, tc.clause)
			if err != nil {
				t.Fatal(err)
			}
			locals := 0
			if units[0].local != nil {
				locals = 1
			}
			if len(units) != tc.groups || locals != tc.locals {
				t.Errorf("%d units, %d evaluated by the provider; want %d and %d", len(units), locals, tc.groups, tc.locals)
			}
			for _, u := range units {
				if f := joinTerms(append(u.sent, tc.clause)); chars(f) > 200 {
					t.Errorf("a filter of %d characters: %s", chars(f), f)
				}
			}
		})
	}
	raw := term{expr: `incident.device_uuids.size() >= 2 && incident.display_name.contains("` + strings.Repeat("x", 120) + `")`}
	if _, err := fit([]term{raw, {expr: devicesExpr(devices), devices: devices}}, ""); err == nil {
		t.Error("a condition only the API evaluates, too long to leave room for a device, was not refused")
	}
}

// Conditions are parenthesised only where && would bind to part of them.
func TestJoinTerms(t *testing.T) {
	got := joinTerms([]string{"status == INCIDENT_STATUS_OPEN", `(tags.contains("a") || tags.contains("b"))`, `a || b`, "x // note", ""})
	want := "status == INCIDENT_STATUS_OPEN && (tags.contains(\"a\") || tags.contains(\"b\")) && (a || b) && (x // note\n)"
	if got != want {
		t.Errorf("joinTerms = %q, want %q", got, want)
	}
	if got := joinTerms([]string{"a || b"}); got != "a || b" {
		t.Errorf("one condition: %q", got)
	}
	if got := joinTerms([]string{"(a) || (b)", `(x.contains(")(") || y)`, "c"}); got != `((a) || (b)) && (x.contains(")(") || y) && c` {
		t.Errorf("groups: %q", got)
	}
	raw := `(display_name == r'\') || (display_name != 'x\'y')`
	if got := joinTerms([]string{"status == INCIDENT_STATUS_OPEN", raw}); got != "status == INCIDENT_STATUS_OPEN && ("+raw+")" {
		t.Errorf("a raw string's backslash: %q", got)
	}
	_ = query.And
}
