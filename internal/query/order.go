package query

import (
	"cmp"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// orderFields lists the fields the docs allow in orderBy, with the lowerCamelCase spelling an older
// edition of the docs accepted.
var orderFields = []struct{ name, camel string }{
	{"display_name", "displayName"},
	{"create_time", "createTime"},
	{"update_time", "updateTime"},
	{"severity", "severity"},
	{"status", "status"},
	{"device_uuids.count", "deviceUuids.count"},
	{"detection_uuids.count", "detectionUuids.count"},
}

// OrderKey is one item of an orderBy value: a field in its canonical snake_case spelling, ascending
// unless Desc.
type OrderKey struct {
	Field string
	Desc  bool
}

// CheckOrderBy validates an orderBy value at plan time (AIP-132): comma-separated fields from the docs'
// ordering list, each optionally followed by " desc". An unknown field or direction is an error. What the
// docs do not cover is a warning in the Lenient mode and an error in the Strict one: " asc", the
// camelCase spelling of a valid field (only an older edition of the docs accepted it), a repeated field.
// An empty value has no problems.
func CheckOrderBy(orderBy string, mode Mode) []Problem {
	_, problems := parseOrderBy(orderBy, mode)
	return problems
}

// ParseOrderBy parses an orderBy value into keys with canonical field names, accepting the camelCase
// spellings CheckOrderBy warns about. It fails exactly when CheckOrderBy reports an error in the Lenient
// mode, with the errors' details as the message. An empty value gives nil: the API's default order.
func ParseOrderBy(s string) ([]OrderKey, error) {
	keys, problems := parseOrderBy(s, Lenient)
	if hasError(problems) {
		return nil, errors.New(errorText(problems))
	}
	return keys, nil
}

func parseOrderBy(s string, mode Mode) ([]OrderKey, []Problem) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var (
		keys     []OrderKey
		problems []Problem
		seen     = map[string]bool{}
		valid    []string
	)
	for _, f := range orderFields {
		valid = append(valid, f.name)
	}
	validList := strings.Join(valid, ", ")
	fail := func(summary, format string, args ...any) {
		problems = append(problems, Problem{Severity: ProblemError, Summary: summary, Detail: fmt.Sprintf(format, args...)})
	}
	undocumented := func(summary, format string, args ...any) {
		problems = append(problems, mode.undocumented(summary, fmt.Sprintf(format, args...), ""))
	}
	for i, item := range strings.Split(s, ",") {
		words := strings.Fields(item)
		if len(words) == 0 {
			fail("Empty order_by item",
				"Item %d of the ordering %q is empty. Separate fields with single commas, such as "+
					"`display_name, severity desc`, without a trailing comma.", i+1, s)
			continue
		}
		name := words[0]
		canonical, ok := "", false
		for _, f := range orderFields {
			switch name {
			case f.name:
				canonical, ok = f.name, true
			case f.camel:
				canonical, ok = f.name, true
				undocumented("camelCase order_by field",
					"The ordering names `%s`; the API documentation asks for snake_case field names in orderBy, "+
						"so write `%s` (only an older edition of the docs accepted camelCase).", name, f.name)
			}
		}
		if !ok {
			fail("Unknown order_by field",
				"The ordering names `%s`, which is not a field the API can order incidents by; did you mean `%s`? "+
					"Valid fields are %s, each optionally followed by ` desc`.",
				name, closest(strings.TrimPrefix(name, fieldPrefix), valid), validList)
			continue
		}
		key := OrderKey{Field: canonical}
		switch {
		case len(words) > 2:
			fail("Invalid order_by item",
				"The ordering item %q has more than a field and a direction; write each item as a field optionally "+
					"followed by ` desc`, separated by commas, such as `display_name, severity desc`.",
				strings.TrimSpace(item))
			continue
		case len(words) == 2 && words[1] == "desc":
			key.Desc = true
		case len(words) == 2 && words[1] == "asc":
			// AIP-132 and the API's docs know only " desc"; ascending is the default.
			undocumented("Undocumented order_by direction",
				"The ordering item %q ends in ` asc`, which the API documentation does not mention: ascending is the "+
					"default, so write `%s` alone, which the API surely accepts.", strings.TrimSpace(item), words[0])
		case len(words) == 2:
			hint := ""
			if strings.EqualFold(words[1], "desc") || strings.EqualFold(words[1], "asc") {
				hint = fmt.Sprintf(" (write it in lower case: `%s`)", strings.ToLower(words[1]))
			}
			fail("Invalid order_by direction",
				"The ordering item %q has the direction `%s`, but only `desc` is allowed (ascending is the default)%s. Valid fields "+
					"are %s.", strings.TrimSpace(item), words[1], hint, validList)
			continue
		}
		if seen[canonical] {
			undocumented("Repeated order_by field",
				"The ordering lists `%s` more than once; only its first occurrence has an effect.", canonical)
		}
		seen[canonical] = true
		keys = append(keys, key)
	}
	return keys, problems
}

// Compare orders two incidents by keys, for sorting: negative when a comes first. Severity and status
// follow the documented enum order (an empty value counts as *_UNSPECIFIED, undocumented values come
// after the documented ones), times compare as parsed RFC 3339 times (unparsable ones after valid ones),
// *.count fields by list length and display_name lexically. Incidents equal on every key compare 0:
// the caller breaks ties with a stable sort and the uuid. Keys are those ParseOrderBy returns; a field it
// would not return compares equal.
func Compare(a, b *esetapi.Incident, keys []OrderKey) int {
	for _, k := range keys {
		c := compareField(a, b, k.Field)
		if k.Desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

func compareField(a, b *esetapi.Incident, name string) int {
	switch name {
	case "display_name":
		return strings.Compare(a.DisplayName, b.DisplayName)
	case "create_time":
		return compareTimes(a.CreateTime, b.CreateTime)
	case "update_time":
		return compareTimes(a.UpdateTime, b.UpdateTime)
	case "severity":
		return compareEnum(orDefault(a.Severity, esetapi.SeverityUnspecified), orDefault(b.Severity, esetapi.SeverityUnspecified), esetapi.Severities)
	case "status":
		return compareEnum(orDefault(a.Status, esetapi.StatusUnspecified), orDefault(b.Status, esetapi.StatusUnspecified), esetapi.Statuses)
	case "device_uuids.count":
		return cmp.Compare(len(a.DeviceUUIDs), len(b.DeviceUUIDs))
	case "detection_uuids.count":
		return cmp.Compare(len(a.DetectionUUIDs), len(b.DetectionUUIDs))
	}
	return 0
}

func compareTimes(a, b string) int {
	ta, errA := time.Parse(time.RFC3339, a)
	tb, errB := time.Parse(time.RFC3339, b)
	switch {
	case errA == nil && errB == nil:
		return ta.Compare(tb)
	case errA == nil:
		return -1
	case errB == nil:
		return 1
	}
	return strings.Compare(a, b)
}

func compareEnum(a, b string, order []string) int {
	rank := func(v string) int {
		for i, x := range order {
			if x == v {
				return i
			}
		}
		return len(order)
	}
	if c := cmp.Compare(rank(a), rank(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}
