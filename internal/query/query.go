// Package query implements the filter language (CEL, following AIP-160) and the ordering syntax
// (AIP-132) of the Incident Management API's GET /v2/incidents call.
//
// The provider uses it to validate filter and order_by values at plan time, and the in-repo API
// simulator uses it to evaluate them. Keeping both in one package means the provider never accepts a
// filter that the simulator would reject, or the other way round.
//
// Problems come in two severities. An error is a filter the API is documented to reject (a syntax error,
// an invalid timestamp, a forbidden operator). What the docs do not cover (an unknown field, an
// undocumented function, an unknown enum value) is a warning in the Lenient mode, since a newer API may
// accept it, and an error in the Strict mode, for queries that must fail closed: a gate whose filter
// matches nothing because of a typo passes.
package query

import (
	"fmt"
	"slices"
	"strings"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// Severity says whether a Problem blocks the query (ProblemError) or only deserves attention
// (ProblemWarning).
type Severity int

const (
	// ProblemError marks a query the API rejects. It is the zero value so that a Problem built without
	// a severity errs on the side of blocking.
	ProblemError Severity = iota
	// ProblemWarning marks something the docs do not cover; the API may still accept it.
	ProblemWarning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	if s == ProblemWarning {
		return "warning"
	}
	return "error"
}

// Mode says what Check and CheckOrderBy make of what the docs do not cover.
type Mode int

const (
	// Lenient reports what the docs do not cover as warnings: a newer API may accept it.
	Lenient Mode = iota
	// Strict reports it as errors, with the same text and suggestion.
	Strict
)

// strictNote ends the detail of a problem that only the Strict mode makes an error.
const strictNote = "Strict checking makes this an error rather than a warning: a query the docs do not cover may match " +
	"nothing, or not what it says, and a check that relies on its result would pass. Correct it, or turn strict checking " +
	"off if the API is known to accept it."

// undocumented is the problem for something the docs do not cover. Lenient makes it a warning whose
// detail ends with lenient (why it is only a warning; may be empty), Strict an error whose detail ends
// with strictNote instead.
func (m Mode) undocumented(summary, detail, lenient string) Problem {
	if m == Strict {
		return Problem{Severity: ProblemError, Summary: summary, Detail: detail + " " + strictNote}
	}
	if lenient != "" {
		detail += " " + lenient
	}
	return Problem{Severity: ProblemWarning, Summary: summary, Detail: detail}
}

// Problem is one finding about a filter or an ordering. Summary is a short title; Detail is full prose a
// Terraform user can act on (what is wrong, where, and what to write instead), shaped to become a
// Terraform diagnostic as is.
type Problem struct {
	Severity Severity
	Summary  string
	Detail   string
}

// hasError reports whether any problem is an error.
func hasError(problems []Problem) bool {
	for _, p := range problems {
		if p.Severity == ProblemError {
			return true
		}
	}
	return false
}

// errorText joins the details of the errors among problems, for the error values of Compile and
// ParseOrderBy.
func errorText(problems []Problem) string {
	var details []string
	for _, p := range problems {
		if p.Severity == ProblemError {
			details = append(details, p.Detail)
		}
	}
	return strings.Join(details, "\n")
}

// field describes one field of the incident that a filter can name.
type field struct {
	name      string   // canonical snake_case path, e.g. "metrics.device_count"
	camel     string   // lowerCamelCase path, e.g. "metrics.deviceCount"
	enum      []string // documented values of an enum field, nil for other fields
	time      bool     // a timestamp, compared with timestamp("…")
	filtering bool     // listed by the docs as supported for filtering
}

// Field ids, indexes into fields.
const (
	fUUID = iota
	fDisplayName
	fDescription
	fAssigneeUUID
	fCreateTime
	fUpdateTime
	fSeverity
	fStatus
	fResolveReason
	fTags
	fTriageDuration
	fResponseDuration
	fMetrics
	fDeviceCount
	fExecutableCount
	fProcessCount
	fDeviceUUIDs
	fDetectionUUIDs
)

// fields lists every incident field a filter may name, indexed by field id.
var fields = []field{
	fUUID:             {name: "uuid", camel: "uuid"},
	fDisplayName:      {name: "display_name", camel: "displayName", filtering: true},
	fDescription:      {name: "description", camel: "description"},
	fAssigneeUUID:     {name: "assignee_uuid", camel: "assigneeUuid", filtering: true},
	fCreateTime:       {name: "create_time", camel: "createTime", time: true, filtering: true},
	fUpdateTime:       {name: "update_time", camel: "updateTime", time: true, filtering: true},
	fSeverity:         {name: "severity", camel: "severity", enum: specified(esetapi.Severities), filtering: true},
	fStatus:           {name: "status", camel: "status", enum: specified(esetapi.Statuses), filtering: true},
	fResolveReason:    {name: "resolve_reason", camel: "resolveReason", enum: esetapi.ResolveReasons},
	fTags:             {name: "tags", camel: "tags", filtering: true},
	fTriageDuration:   {name: "triage_duration", camel: "triageDuration"},
	fResponseDuration: {name: "response_duration", camel: "responseDuration"},
	fMetrics:          {name: "metrics", camel: "metrics"},
	fDeviceCount:      {name: "metrics.device_count", camel: "metrics.deviceCount"},
	fExecutableCount:  {name: "metrics.executable_count", camel: "metrics.executableCount"},
	fProcessCount:     {name: "metrics.process_count", camel: "metrics.processCount"},
	fDeviceUUIDs:      {name: "device_uuids", camel: "deviceUuids", filtering: true},
	fDetectionUUIDs:   {name: "detection_uuids", camel: "detectionUuids"},
}

// fieldPrefix is the optional qualifier of field names: incident.display_name and display_name are the
// same field.
const fieldPrefix = "incident."

// fieldByName maps both spellings of every field path, with and without the incident. prefix, to its id.
var fieldByName = func() map[string]int {
	m := make(map[string]int, 4*len(fields))
	for id, f := range fields {
		for _, n := range []string{f.name, f.camel} {
			m[n] = id
			m[fieldPrefix+n] = id
		}
	}
	return m
}()

// lookupField resolves a dotted field path in any accepted spelling.
func lookupField(path string) (int, bool) {
	id, ok := fieldByName[path]
	return id, ok
}

// filteringFieldList is the docs' list of filtering fields, for messages.
func filteringFieldList() string {
	var names []string
	for _, f := range fields {
		if f.filtering {
			names = append(names, f.name)
		}
	}
	return strings.Join(names, ", ")
}

// closest returns the candidate nearest to s, ignoring case and underscores so that displayname,
// DisplayName and display_Name all find display_name. Nearness is the edit distance less the length of
// the common prefix, because a misspelt name usually starts right (devices means device_uuids, not
// metrics, though metrics is fewer edits away).
func closest(s string, candidates []string) string {
	norm := func(x string) string { return strings.ReplaceAll(strings.ToLower(x), "_", "") }
	ns := norm(s)
	best, bestScore := "", 0
	for i, c := range candidates {
		nc := norm(c)
		prefix := 0
		for prefix < len(ns) && prefix < len(nc) && ns[prefix] == nc[prefix] {
			prefix++
		}
		if score := editDistance(ns, nc) - prefix; i == 0 || score < bestScore {
			best, bestScore = c, score
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, counted in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// enumAliases maps the words some ESET GUIs (and the docs) use for a value to the documented value, so
// that INCIDENT_SEVERITY_LEVEL_CRITICAL suggests INCIDENT_SEVERITY_LEVEL_HIGH rather than the merely
// nearest spelling.
var enumAliases = map[string]string{
	"INCIDENT_SEVERITY_LEVEL_CRITICAL": "INCIDENT_SEVERITY_LEVEL_HIGH",
	"INCIDENT_SEVERITY_LEVEL_WARNING":  "INCIDENT_SEVERITY_LEVEL_LOW",
	"INCIDENT_SEVERITY_LEVEL_ERROR":    "INCIDENT_SEVERITY_LEVEL_MEDIUM",
	"INCIDENT_SEVERITY_LEVEL_THREAT":   "INCIDENT_SEVERITY_LEVEL_MEDIUM",
	"INCIDENT_STATUS_NEW":              "INCIDENT_STATUS_OPEN",
}

// aliasNotes explains the aliases in enumAliases, quoting the docs.
var aliasNotes = map[string]string{
	"INCIDENT_SEVERITY_LEVEL_CRITICAL": "the level some ESET GUIs call Critical is INCIDENT_SEVERITY_LEVEL_HIGH",
	"INCIDENT_SEVERITY_LEVEL_WARNING":  "the level some ESET GUIs call Warning is INCIDENT_SEVERITY_LEVEL_LOW",
	"INCIDENT_SEVERITY_LEVEL_ERROR":    "the level some ESET GUIs call Error or Threat is INCIDENT_SEVERITY_LEVEL_MEDIUM",
	"INCIDENT_SEVERITY_LEVEL_THREAT":   "the level some ESET GUIs call Error or Threat is INCIDENT_SEVERITY_LEVEL_MEDIUM",
	"INCIDENT_STATUS_NEW":              "the status also known as NEW is INCIDENT_STATUS_OPEN",
}

// specified is an enum's values without its *_UNSPECIFIED one: the API's fallback for an absent value,
// which the docs do not list among the statuses and severities to filter by (a typed filter on it would
// match nothing). resolve_reason keeps its own: an incident not resolved has it.
func specified(values []string) []string {
	return slices.DeleteFunc(slices.Clone(values), isUnspecified)
}

func isUnspecified(v string) bool { return strings.HasSuffix(v, "_UNSPECIFIED") }

// suggestEnum returns a sentence suggesting the documented value meant by v among values: an alias from
// the docs first, then v completed with the values' common prefix (OPEN -> INCIDENT_STATUS_OPEN), then
// the nearest spelling. A *_UNSPECIFIED value that values leave out gets why instead: no spelling of it
// is meant.
func suggestEnum(v string, values []string) string {
	up := strings.ToUpper(v)
	if isUnspecified(up) && !slices.Contains(values, up) {
		return "it is the API's fallback for a value that is absent, not one to filter by: list the values meant."
	}
	for _, cand := range []string{up, "INCIDENT_STATUS_" + up, "INCIDENT_SEVERITY_LEVEL_" + up, "INCIDENT_RESOLVE_REASON_" + up} {
		if alias, ok := enumAliases[cand]; ok && slices.Contains(values, alias) {
			return fmt.Sprintf("did you mean `%s`? (%s)", alias, aliasNotes[cand])
		}
		if cand != v && slices.Contains(values, cand) {
			return fmt.Sprintf("did you mean `%s`?", cand)
		}
	}
	return fmt.Sprintf("did you mean `%s`?", closest(v, values))
}

// allEnumValues lists every documented enum value, for bare identifiers not compared with a field.
var allEnumValues = func() []string {
	var all []string
	all = append(all, esetapi.Severities...)
	all = append(all, esetapi.Statuses...)
	return append(all, esetapi.ResolveReasons...)
}()

// isEnumName reports whether an identifier is written as an enum value of this API (INCIDENT_…, in any
// case), as opposed to a field name.
func isEnumName(name string) bool {
	return strings.HasPrefix(strings.ToUpper(name), "INCIDENT_") && !strings.Contains(name, ".")
}
