package query

import (
	"slices"
	"strings"
	"testing"
)

// want describes one expected problem: its severity and words its summary or detail must contain.
type want struct {
	sev   Severity
	words []string
}

func warn(words ...string) want { return want{ProblemWarning, words} }
func fail(words ...string) want { return want{ProblemError, words} }

// strictly is what the Strict mode makes of wants: each warning an error, with the same words (but
// for "only a warning") and the note that says why.
func strictly(wants []want) []want {
	var out []want
	for _, w := range wants {
		if w.sev == ProblemWarning {
			words := slices.DeleteFunc(slices.Clone(w.words), func(s string) bool { return s == "only a warning" })
			w = fail(append(words, "Strict checking makes this an error")...)
		}
		out = append(out, w)
	}
	return out
}

// assertProblems checks that got holds exactly the wanted problems, in order.
func assertProblems(t *testing.T, input string, got []Problem, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Fatalf("%q: got %d problems, want %d:\n%s", input, len(got), len(wants), dump(got))
	}
	for i, w := range wants {
		p := got[i]
		if p.Severity != w.sev {
			t.Errorf("%q: problem %d is a %s, want a %s:\n%s", input, i, p.Severity, w.sev, dump(got))
		}
		if p.Summary == "" || p.Detail == "" {
			t.Errorf("%q: problem %d lacks a summary or detail: %+v", input, i, p)
		}
		for _, word := range w.words {
			if !strings.Contains(p.Summary+"\n"+p.Detail, word) {
				t.Errorf("%q: problem %d does not mention %q:\n%s", input, i, word, dump(got))
			}
		}
	}
}

func dump(problems []Problem) string {
	var b strings.Builder
	for _, p := range problems {
		b.WriteString(p.Severity.String() + ": " + p.Summary + ": " + p.Detail + "\n")
	}
	return b.String()
}

// docsExamples are the filters of the Filtering section of the API page and of its filter parameter,
// verbatim. Every one of them must pass Check without any problem except the one the docs got wrong.
var docsExamples = []string{
	// Operators for filtering.
	`incident.display_name == "name"`,
	`incident.assignee_uuid != "uuid"`,
	`incident.create_time >= timestamp("2025-10-01T12:30:00+00:00")`,
	`size(incident.device_uuids) >= 10`,
	`incident.device_uuids.size() >= 10`,
	`incident.severity in [INCIDENT_SEVERITY_LEVEL_LOW,INCIDENT_SEVERITY_LEVEL_MEDIUM]`,
	`incident.display_name.contains("xyz")`,
	`has(incident.assignee_uuid)`,
	`incident.create_time >= timestamp("2025-04-07T00:00:00Z") && incident.create_time <= timestamp("2025-04-18T23:59:59Z")`,
	// Status filtering examples.
	`incident.status in [INCIDENT_STATUS_IN_PROGRESS, INCIDENT_STATUS_OPEN]`,
	`incident.status == INCIDENT_STATUS_IN_PROGRESS`,
	// Severity filtering examples.
	`incident.severity in [INCIDENT_SEVERITY_LEVEL_MEDIUM, INCIDENT_SEVERITY_LEVEL_HIGH]`,
	`incident.severity == INCIDENT_SEVERITY_LEVEL_HIGH`,
	// Time filtering examples (the third is docsBadTimestamp).
	`incident.create_time >= timestamp("2025-10-01T12:30:00+00:00")`,
	`incident.create_time <= timestamp("2025-10-01T12:30:00+00:00") - duration('10m')`,
	`incident.create_time >= timestamp("2025-10-01T12:30:00Z")`,
	`incident.create_time <= timestamp("2025-10-01T12:30:00Z") - duration('10m')`,
	`incident.create_time >= timestamp("2025-04-07T00:00:00Z") && incident.create_time <= timestamp("2025-04-18T23:59:59Z")`,
	// UUID filtering examples.
	`!has(incident.assignee_uuid)`,
	`has(incident.assignee_uuid)`,
	`incident.assignee_uuid == "uuid"`,
	`incident.device_uuids.contains("uuid") //an array of device_uuids contains the required uuid`,
	// Display name filtering examples.
	`incident.displayName == "name"`,
	`incident.displayName.contains("abc")`,
	`!incident.displayName.contains("xyz")`,
	`displayName == "name"`,
	`displayName.contains("abc")`,
	`!displayName.contains("xyz")`,
	// The filter query parameter.
	`incident.create_time >= timestamp("2024-10-01T12:41:39+00:00")`,
	`incident.assignee_uuid == "uuid"`,
	`incident.displayName.contains("abc")`,
	`displayName.contains("abc")`,
}

// docsBadTimestamp is the docs' time filtering example whose timestamp lacks its seconds.
const docsBadTimestamp = `incident.create_time >= timestamp("2025-04-07T00:00:00+00:00") && incident.create_time <= timestamp("2025-04-18T23:59:+00:00")`

func TestCheckDocsExamples(t *testing.T) {
	for _, expr := range docsExamples {
		assertProblems(t, expr, Check(expr, Lenient), nil)
		assertProblems(t, expr, Check(expr, Strict), nil)
	}
	assertProblems(t, docsBadTimestamp, Check(docsBadTimestamp, Strict), []want{
		fail("Invalid timestamp", `"2025-04-18T23:59:+00:00"`, "RFC 3339", `"2025-04-18T23:59:00+00:00"`, "line 1, column 91"),
	})
}

func TestCheck(t *testing.T) {
	tests := []struct {
		expr  string
		wants []want
	}{
		// Valid filters beyond the docs' examples: no problems.
		{``, nil},
		{"  \n\t", nil},
		{`true`, nil},
		{`incident.createTime >= timestamp("2025-01-01T00:00:00.123456789Z")`, nil},
		{`create_time < timestamp("2025-01-01T00:00:00-05:00")`, nil},
		{`updateTime > timestamp("2025-01-01T00:00:00Z") - duration("1h30m")`, nil},
		{`incident.tags.contains("ransomware")`, nil},
		{`"ransomware" in incident.tags`, nil},
		{`incident.metrics.device_count > 3 && incident.metrics.deviceCount < 10`, nil},
		{`has(incident.metrics.device_count)`, nil},
		{`incident.resolve_reason == INCIDENT_RESOLVE_REASON_FALSE_POSITIVE`, nil},
		{`incident.resolveReason != INCIDENT_RESOLVE_REASON_SUSPICIOUS`, nil},
		{`incident.uuid == "a" || incident.description.contains("b")`, nil},
		{`incident.detectionUuids.size() > 0 && size(detection_uuids) < 100`, nil},
		{`incident.triage_duration > duration("1h") || incident.responseDuration < duration("30m")`, nil},
		{`incident.status == "INCIDENT_STATUS_CLOSED"`, nil},
		{`INCIDENT_STATUS_OPEN == incident.status`, nil},
		{`!(incident.status in [INCIDENT_STATUS_CLOSED])`, nil},
		{`has(incident.status)`, nil},
		{`((incident.status == INCIDENT_STATUS_OPEN) && ((has(incident.assignee_uuid)) || (incident.severity in [INCIDENT_SEVERITY_LEVEL_HIGH])))`, nil},
		{`incident.display_name == "say \"hi\" \\ bye\n"`, nil},
		{`incident.display_name == 'it\'s'`, nil},
		{`incident.display_name.contains("Überwachung – 日本 🚨")`, nil},
		{"incident.status == INCIDENT_STATUS_OPEN &&\n  incident.severity == INCIDENT_SEVERITY_LEVEL_HIGH // high only\n", nil},

		// Syntax errors quote the filter and give line and column.
		{`incident.status ==`, []want{fail("Invalid filter syntax", `"incident.status =="`, "line 1, column 19")}},
		{`incident.display_name == "abc`, []want{fail("Invalid filter syntax", "line 1, column 26", "token recognition error")}},
		{`incident.display_name == 'it's'`, []want{fail("Invalid filter syntax", "line 1")}},
		{`(incident.status == INCIDENT_STATUS_OPEN`, []want{fail("Invalid filter syntax", "missing ')'")}},
		{`incident.status === INCIDENT_STATUS_OPEN`, []want{fail("Invalid filter syntax", "column 19")}},
		{`has(assignee_uuid)`, []want{fail("Invalid filter syntax", "invalid argument to has() macro")}},
		{`incident.display_name = "x"`, []want{fail("Invalid filter syntax", "column 23")}},

		// status and severity take only == and in.
		{`incident.status != INCIDENT_STATUS_OPEN`, []want{fail("`!=`", "`status`", "only the == and in operators", "!(incident.status in")}},
		{`incident.status < INCIDENT_STATUS_CLOSED`, []want{fail("`<`", "`status`")}},
		{`incident.severity >= INCIDENT_SEVERITY_LEVEL_MEDIUM`, []want{fail("`>=`", "`severity`", "INCIDENT_SEVERITY_LEVEL_MEDIUM")}},
		{`severity > INCIDENT_SEVERITY_LEVEL_LOW`, []want{fail("`>`", "`severity`")}},
		{`incident.status.contains("OPEN")`, []want{fail("`contains`", "`status`")}},
		{`size(incident.status) > 0`, []want{fail("`size`", "`status`")}},
		{`"INCIDENT_STATUS_OPEN" in incident.status`, []want{fail("`in`", "`status`")}},
		{`incident.status in [INCIDENT_STATUS_OPEN] || incident.status != INCIDENT_STATUS_CLOSED`, []want{fail("`!=`", "line 1, column 62")}},
		{`incident.severity != INCIDENT_SEVERITY_LEVEL_CRITICAL`, []want{
			fail("`!=`", "`severity`"),
			warn("INCIDENT_SEVERITY_LEVEL_CRITICAL", "INCIDENT_SEVERITY_LEVEL_HIGH"),
		}},

		// timestamp() and duration() literals.
		{`incident.create_time > timestamp("2025-04-18")`, []want{fail("Invalid timestamp", `"2025-04-18"`, `"2025-04-18T00:00:00Z"`)}},
		{`incident.create_time > timestamp("2025-04-18T10:00:00")`, []want{fail("Invalid timestamp", `"2025-04-18T10:00:00Z"`)}},
		{`incident.create_time > timestamp("2025-04-18 10:00:00+02:00")`, []want{fail("Invalid timestamp", `"2025-04-18T10:00:00+02:00"`)}},
		{`incident.create_time > timestamp("2025-04-18T10:00Z")`, []want{fail("Invalid timestamp", `"2025-04-18T10:00:00Z"`)}},
		{`incident.create_time > timestamp("yesterday")`, []want{fail("Invalid timestamp", `"yesterday"`, "RFC 3339")}},
		{`incident.create_time > timestamp("2025-13-01T00:00:00Z")`, []want{fail("Invalid timestamp", `"2025-13-01T00:00:00Z"`)}},
		{`incident.create_time > timestamp()`, []want{fail("timestamp()", "exactly one")}},
		{`incident.create_time > timestamp("2025-01-01T00:00:00Z") - duration("7d")`, []want{fail("Invalid duration", `"7d"`, `"168h"`)}},
		{`incident.create_time > timestamp("2025-01-01T00:00:00Z") - duration("10 minutes")`, []want{fail("Invalid duration", `"10 minutes"`)}},
		{"incident.status == INCIDENT_STATUS_OPEN &&\n  incident.create_time > timestamp(\"2025\")", []want{fail("Invalid timestamp", "line 2, column 26")}},

		// Unknown fields are warnings with the closest known field.
		// A warning is given once per filter, however often the filter repeats its cause.
		{`incident.foo == 1 || incident.foo == 2 || foo > 3`, []want{warn("Unknown filter field", "`incident.foo`")}},
		{`incident.severity == INCIDENT_SEVERITY_LEVEL_CRITICAL || incident.severity == INCIDENT_SEVERITY_LEVEL_CRITICAL`, []want{warn("Unknown enum value")}},
		{`incident.display_name.startsWith("a") || incident.display_name.startsWith("b")`, []want{warn("`startsWith`")}},
		{`incident.tags.exists(t, t == "a") || incident.tags.exists(u, u == "b")`, []want{warn("`exists`")}},
		{`incident.display_nam == "x"`, []want{warn("Unknown filter field", "`incident.display_nam`", "did you mean `display_name`?", "only a warning")}},
		{`incident.created_time > timestamp("2025-01-01T00:00:00Z")`, []want{warn("`incident.created_time`", "`create_time`")}},
		{`incident.DisplayName == "x"`, []want{warn("`incident.DisplayName`", "`display_name`")}},
		{`assignee == "x"`, []want{warn("`assignee`", "`assignee_uuid`")}},
		{`incident.metrics.devices > 1`, []want{warn("`incident.metrics.devices`", "`metrics.device_count`")}},
		{`incident.devices.contains("x")`, []want{warn("`incident.devices`", "`device_uuids`")}},

		// Enum values are checked against the documented ones.
		{`incident.severity == INCIDENT_SEVERITY_LEVEL_CRITICAL`, []want{warn("Unknown enum value", "INCIDENT_SEVERITY_LEVEL_CRITICAL", "did you mean `INCIDENT_SEVERITY_LEVEL_HIGH`?", "Critical", "matches no incident", "only a warning")}},
		{`incident.severity in [INCIDENT_SEVERITY_LEVEL_WARNING]`, []want{warn("INCIDENT_SEVERITY_LEVEL_LOW", "Warning")}},
		{`incident.status == INCIDENT_STATUS_NEW`, []want{warn("`INCIDENT_STATUS_OPEN`", "NEW")}},
		{`incident.status == "OPEN"`, []want{warn("`OPEN`", "`INCIDENT_STATUS_OPEN`")}},
		{`incident.status == incident_status_open`, []want{warn("`incident_status_open`", "`INCIDENT_STATUS_OPEN`")}},
		{`incident.status in [INCIDENT_STATUS_OPEN, INCIDENT_STATUS_CLOSD]`, []want{warn("`INCIDENT_STATUS_CLOSD`", "`INCIDENT_STATUS_CLOSED`", "line 1, column 43")}},
		{`incident.status == INCIDENT_SEVERITY_LEVEL_HIGH`, []want{warn("not a documented value of `status`")}},
		{`INCIDENT_STATUS_OPN == incident.status`, []want{warn("`INCIDENT_STATUS_OPN`", "`INCIDENT_STATUS_OPEN`")}},
		// *_UNSPECIFIED is the API's fallback for an absent status or severity, which the docs do not list for
		// filtering, and no message offers it; resolve_reason's is what an incident not resolved has.
		{`incident.status == INCIDENT_STATUS_UNSPECIFIED`, []want{warn("`INCIDENT_STATUS_UNSPECIFIED`", "fallback",
			"The documented values are INCIDENT_STATUS_OPEN, INCIDENT_STATUS_IN_PROGRESS, INCIDENT_STATUS_CLOSED, INCIDENT_STATUS_WAITING_FOR_INPUT.")}},
		{`incident.severity in [INCIDENT_SEVERITY_LEVEL_LOW, INCIDENT_SEVERITY_LEVEL_UNSPECIFIED]`, []want{warn("`INCIDENT_SEVERITY_LEVEL_UNSPECIFIED`", "fallback",
			"The documented values are INCIDENT_SEVERITY_LEVEL_LOW, INCIDENT_SEVERITY_LEVEL_MEDIUM, INCIDENT_SEVERITY_LEVEL_HIGH.")}},
		{`incident.status == INCIDENT_STATUS_OPN`, []want{warn("The documented values are INCIDENT_STATUS_OPEN, INCIDENT_STATUS_IN_PROGRESS,")}},
		{`incident.resolve_reason == INCIDENT_RESOLVE_REASON_UNSPECIFIED`, nil},
		{`incident.resolve_reason == INCIDENT_RESOLVE_REASON_BENIGN`, []want{warn("`INCIDENT_RESOLVE_REASON_BENIGN`", "resolve_reason")}},
		{`incident.tags.contains(INCIDENT_STATUS_CLOSSED)`, []want{warn("`INCIDENT_STATUS_CLOSSED`", "`INCIDENT_STATUS_CLOSED`")}},

		// Undocumented functions and operators are warnings.
		{`incident.display_name.startsWith("x")`, []want{warn("Undocumented filter function", "`startsWith`")}},
		{`incident.display_name.matches("^x")`, []want{warn("`matches`")}},
		{`incident.display_name + "x" == "ax"`, []want{warn("`+`")}},
		{`incident.tags[0] == "x"`, []want{warn("`[]`")}},
		{`incident.status == INCIDENT_STATUS_OPEN ? true : false`, []want{warn("`?:`")}},
		{`contains(incident.display_name, "x")`, []want{warn("`contains`", "x.contains(")}},
		{`incident.create_time > "2025-01-01T00:00:00Z".timestamp()`, []want{warn("`timestamp`")}},
		// Comprehension macros: the macro is undocumented, its bound variable is no field.
		{`incident.tags.exists(t, t == "x")`, []want{warn("Undocumented filter macro", "`exists`")}},
		{`incident.tags.all(tag, tag.contains("x"))`, []want{warn("`all`")}},
		{`incident.tags.exists_one(t, t == "x")`, []want{warn("`exists_one`")}},
		{`incident.tags.map(t, t + "!").size() > 0`, []want{warn("`map`"), warn("`+`")}},
		{`incident.tags.filter(t, t == "x").size() > 0`, []want{warn("`filter`")}},
		{`incident.tags.exists(t, t == "x" && incident.nonsense == 1)`, []want{warn("`exists`"), warn("Unknown filter field", "nonsense")}},
		{`{"a": true}["a"]`, []want{warn("`[]`"), warn("map")}},

		// Type mistakes the API would reject.
		{`incident.create_time > "2025-01-01T00:00:00Z"`, []want{warn("Timestamp compared with a string", `timestamp("2025-01-01T00:00:00Z")`)}},
		{`"abc"`, []want{warn("Filter is not a condition", "a literal value")}},
		{`incident.display_name`, []want{warn("Filter is not a condition", "`display_name`")}},
		{`INCIDENT_STATUS_OPEN`, []want{warn("Filter is not a condition", "an enum value")}},
		{`has(incident.assignee_uuid) && size(incident.tags)`, []want{warn("Filter is not a condition", "`size`", "column 32")}},
		{`[incident.status]`, []want{warn("Filter is not a condition", "a list")}},
	}
	for _, tt := range tests {
		assertProblems(t, tt.expr, Check(tt.expr, Lenient), tt.wants)
		strict := Check(tt.expr, Strict)
		assertProblems(t, tt.expr, strict, strictly(tt.wants))
		for _, p := range strict {
			if strings.Contains(p.Detail, "only a warning") {
				t.Errorf("%q: a strict error says it is only a warning: %s", tt.expr, p.Detail)
			}
		}
	}
	if n := len(tests) + len(docsExamples) + 1; n < 60 {
		t.Errorf("only %d filters tested", n)
	}
}

// TestCheckSyntaxPosition pins the line and column of syntax errors in multi-line and non-ASCII
// filters, and the caret under the offending column.
func TestCheckSyntaxPosition(t *testing.T) {
	tests := []struct {
		expr, position, caret string
	}{
		{"incident.status == INCIDENT_STATUS_OPEN &&\n  incident.severity = INCIDENT_SEVERITY_LEVEL_HIGH", "line 2, column 21",
			"  incident.severity = INCIDENT_SEVERITY_LEVEL_HIGH\n                      ^"},
		{"displayName == \"日本\" &&\n\n)", "line 3, column 1", "  )\n  ^"},
		{"displayName == \"日本\" && )", "line 1, column 24", "  displayName == \"日本\" && )\n                         ^"},
	}
	for _, tt := range tests {
		problems := Check(tt.expr, Lenient)
		assertProblems(t, tt.expr, problems, []want{fail("Invalid filter syntax", tt.position, tt.caret)})
	}
}

// TestCheckOperatorPosition pins where a problem with an operator or a function points: at the operator
// or the function's name, not at the start of the expression it is in.
func TestCheckOperatorPosition(t *testing.T) {
	tests := []struct {
		expr, position string
	}{
		{`incident.status != INCIDENT_STATUS_OPEN`, "column 17"},
		{`incident.severity > INCIDENT_SEVERITY_LEVEL_LOW`, "column 19"},
		{"incident.status == INCIDENT_STATUS_OPEN &&\n  incident.severity >= INCIDENT_SEVERITY_LEVEL_LOW", "line 2, column 21"},
		{`incident.create_time > "2025-01-01T00:00:00Z"`, "column 22"},
		{`incident.display_name.startsWith("x")`, "column 23"},
		{`incident.display_name.startsWith ("x")`, "column 23"},
		{`incident.display_name + "x" == "y"`, "column 23"},
		{`!(incident.tags.exists(t, t == "x"))`, "column 17"},
		{`"日本" + incident.display_name == "y"`, "column 6"},
		{`contains(incident.tags, "x")`, "column 1"},
	}
	for _, tt := range tests {
		problems := Check(tt.expr, Lenient)
		if len(problems) == 0 || !strings.Contains(problems[0].Detail, "at line 1, "+tt.position) && !strings.Contains(problems[0].Detail, "at "+tt.position) {
			t.Errorf("%q: want the first problem at %s:\n%s", tt.expr, tt.position, dump(problems))
		}
	}
}
