package query

import (
	"testing"
	"time"
)

func TestSplitTimeBound(t *testing.T) {
	at := time.Date(2026, 11, 2, 3, 4, 5, 600000000, time.UTC)
	const ts = `timestamp("2026-11-02T03:04:05.6Z")`
	for _, tc := range []struct {
		filter, base, op string
		ok               bool
	}{
		{"create_time >= " + ts, "", ">=", true},
		{"status == INCIDENT_STATUS_OPEN && create_time > " + ts, "status == INCIDENT_STATUS_OPEN", ">", true},
		{"a == \"é\" && b == 1 && c == 2 && incident.create_time <= " + ts, "a == \"é\" && b == 1 && c == 2", "<=", true},
		{"(x || y) && createTime < " + ts, "(x || y)", "<", true},
		{"tags.exists(t, t == \"a&&b\") && (create_time == " + ts + ")", "tags.exists(t, t == \"a&&b\")", "==", true},
		{"x == 1 &&\n  incident.createTime >= " + ts, "x == 1", ">=", true},
		// Not a trailing bound on create_time.
		{"x == 1 && (y == 2 && create_time >= " + ts + ")", "", "", false},
		{"x == 1 || create_time >= " + ts, "", "", false},
		{"create_time >= " + ts + " && x == 1", "", "", false},
		{"update_time >= " + ts, "", "", false},
		{"x == 1 && create_time != " + ts, "", "", false},
		{"x == 1 && create_time >= timestamp(\"2026-11-02\")", "", "", false},
		{"x == 1 && create_time >= timestamp(\"9999-12-31T23:59:59-01:00\")", "", "", false},
		{"x == 1 && " + ts + " <= create_time", "", "", false},
		{"x == 1 && create_time >= " + ts + " + duration(\"1s\")", "", "", false},
		{"x == && create_time >= " + ts, "", "", false},
	} {
		base, bound, ok := SplitTimeBound(tc.filter)
		if ok != tc.ok || base != tc.base || bound.Op != tc.op || ok && !bound.Time.Equal(at) {
			t.Errorf("SplitTimeBound(%q) = %q, %+v, %v; want %q, %s, %v", tc.filter, base, bound, ok, tc.base, tc.op, tc.ok)
		}
	}
}

func TestTimeBoundAdmits(t *testing.T) {
	want := map[string][3]bool{ // earlier, equal, later
		">=": {false, true, true}, ">": {false, false, true}, "<=": {true, true, false}, "<": {true, false, false}, "==": {false, true, false},
	}
	for op, w := range want {
		for c := -1; c <= 1; c++ {
			if got := (TimeBound{Op: op}).Admits(c); got != w[c+1] {
				t.Errorf("%s admits %d: %v, want %v", op, c, got, w[c+1])
			}
		}
	}
}
