package query

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// Criteria are typed filter helpers for users who would rather not write CEL. Expression compiles them
// into a filter, so the API (and the simulator) only ever see CEL. Zero values mean "no condition".
type Criteria struct {
	// Statuses and Severities keep incidents having one of the listed documented enum values, such as
	// INCIDENT_STATUS_OPEN or INCIDENT_SEVERITY_LEVEL_HIGH.
	Statuses, Severities []string
	// CreatedAfter and CreatedBefore are RFC 3339 timestamps bounding create_time: CreatedAfter
	// inclusively, CreatedBefore exclusively, so that consecutive windows neither overlap nor leave gaps.
	CreatedAfter, CreatedBefore string
	// CreatedWithin keeps incidents created at most this long before now (inclusive). It is a Go
	// duration ("24h", "90m", "1h30m"), optionally starting with whole days ("7d", "1d12h"), because
	// days are what users think in; a day is 24 hours.
	CreatedWithin string
	// AssigneeUUID keeps incidents assigned to this user.
	AssigneeUUID string
	// Unassigned keeps incidents assigned to nobody.
	Unassigned bool
	// TagsAny keeps incidents carrying at least one of these tags.
	TagsAny []string
	// DeviceUUID keeps incidents involving this device.
	DeviceUUID string
	// DeviceUUIDs keeps incidents involving at least one of these devices.
	DeviceUUIDs []string
	// DisplayNameContains keeps incidents whose display name contains this text (case-sensitive).
	DisplayNameContains string
}

// Expression compiles the criteria into a filter: one term per set helper, in field order, joined with
// " && ", each passing Check without problems in either mode. It returns "" when no helper is set. now anchors
// CreatedWithin. Invalid input gives an error naming the helper in snake_case (as the Terraform
// attributes are named), such as `created_after`.
func (c Criteria) Expression(now time.Time) (string, error) {
	var (
		terms []string
		errs  []error
	)
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	if t, err := enumTerm("statuses", "incident.status", c.Statuses, specified(esetapi.Statuses)); err != nil {
		errs = append(errs, err)
	} else if t != "" {
		terms = append(terms, t)
	}
	if t, err := enumTerm("severities", "incident.severity", c.Severities, specified(esetapi.Severities)); err != nil {
		errs = append(errs, err)
	} else if t != "" {
		terms = append(terms, t)
	}

	var after, before time.Time
	if c.CreatedAfter != "" {
		t, err := time.Parse(time.RFC3339, c.CreatedAfter)
		if err != nil {
			fail("created_after: %q is not an RFC 3339 timestamp%s; write e.g. 2025-04-18T00:00:00Z", c.CreatedAfter, timestampHint(c.CreatedAfter))
		} else {
			after = t
			terms = append(terms, "incident.create_time >= timestamp("+Quote(c.CreatedAfter)+")")
		}
	}
	if c.CreatedBefore != "" {
		t, err := time.Parse(time.RFC3339, c.CreatedBefore)
		if err != nil {
			fail("created_before: %q is not an RFC 3339 timestamp%s; write e.g. 2025-04-18T23:59:59Z", c.CreatedBefore, timestampHint(c.CreatedBefore))
		} else {
			before = t
			terms = append(terms, "incident.create_time < timestamp("+Quote(c.CreatedBefore)+")")
		}
	}
	if !after.IsZero() && !before.IsZero() && !after.Before(before) {
		fail("created_after (%s) must be earlier than created_before (%s), or no incident can match", c.CreatedAfter, c.CreatedBefore)
	}
	if c.CreatedWithin != "" {
		d, err := parseWithin(c.CreatedWithin)
		if err != nil {
			fail("created_within: %v", err)
		} else {
			since := now.Add(-d).UTC().Truncate(time.Second).Format(time.RFC3339)
			terms = append(terms, "incident.create_time >= timestamp("+Quote(since)+")")
		}
	}

	switch {
	case c.Unassigned && c.AssigneeUUID != "":
		fail("assignee_uuid and unassigned exclude each other: an incident cannot be assigned to %q and to nobody", c.AssigneeUUID)
	case c.Unassigned:
		terms = append(terms, "!has(incident.assignee_uuid)")
	case c.AssigneeUUID != "":
		terms = append(terms, "incident.assignee_uuid == "+Quote(esetapi.CanonicalUUID(c.AssigneeUUID)))
	}

	if t, err := containsAny("tags_any", "incident.tags", "tag", c.TagsAny); err != nil {
		errs = append(errs, err)
	} else if t != "" {
		terms = append(terms, t)
	}
	if c.DeviceUUID != "" {
		terms = append(terms, "incident.device_uuids.contains("+Quote(esetapi.CanonicalUUID(c.DeviceUUID))+")")
	}
	if t, err := containsAny("device_uuids", "incident.device_uuids", "device uuid", esetapi.CanonicalUUIDs(c.DeviceUUIDs)); err != nil {
		errs = append(errs, err)
	} else if t != "" {
		terms = append(terms, t)
	}
	if c.DisplayNameContains != "" {
		terms = append(terms, "incident.display_name.contains("+Quote(c.DisplayNameContains)+")")
	}

	if len(errs) > 0 {
		return "", errors.Join(errs...)
	}
	return strings.Join(terms, " && "), nil
}

// containsAny builds the term for "the list field holds at least one of values": contains() for one
// value, alternatives joined by || for several, each value once. An empty value is an error: it can only
// be a mistake.
func containsAny(helper, fieldPath, noun string, values []string) (string, error) {
	var alts []string
	seen := map[string]bool{}
	for _, v := range values {
		if v == "" {
			return "", fmt.Errorf("%s: a %s is empty; list the values incidents must hold at least one of", helper, noun)
		}
		if !seen[v] {
			seen[v] = true
			alts = append(alts, fieldPath+".contains("+Quote(v)+")")
		}
	}
	switch len(alts) {
	case 0:
		return "", nil
	case 1:
		return alts[0], nil
	}
	return "(" + strings.Join(alts, " || ") + ")", nil
}

// enumTerm builds the term for a list of enum values: == for one, in for several. documented leaves out
// the *_UNSPECIFIED value, which would match nothing.
func enumTerm(helper, fieldPath string, values, documented []string) (string, error) {
	var kept []string
	for _, v := range values {
		if !slices.Contains(documented, v) {
			return "", fmt.Errorf("%s: %q is not a documented value; %s Valid values are %s", helper, v, suggestEnum(v, documented), strings.Join(documented, ", "))
		}
		if !slices.Contains(kept, v) {
			kept = append(kept, v)
		}
	}
	switch len(kept) {
	case 0:
		return "", nil
	case 1:
		return fieldPath + " == " + kept[0], nil
	}
	return fieldPath + " in [" + strings.Join(kept, ", ") + "]", nil
}

// maxWithin is the longest CreatedWithin: 100000 days (about 273 years), well inside time.Duration's
// 292 years, so that no sum of days and hours overflows into a negative duration.
const maxWithin = 100000 * 24 * time.Hour

// goDuration is the syntax time.ParseDuration accepts, to tell a value too large for it from a typo.
var goDuration = regexp.MustCompile(`^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$`)

// parseWithin parses CreatedWithin: a positive Go duration, optionally starting with whole days, of at
// most maxWithin.
func parseWithin(s string) (time.Duration, error) {
	tooLong := fmt.Errorf("%q is too long: at most 100000d (about 273 years)", s)
	var d time.Duration
	rest := s
	if m := days.FindStringSubmatch(s); m != nil {
		var n int64
		if _, err := fmt.Sscan(m[1], &n); err != nil || n > int64(maxWithin/(24*time.Hour)) {
			return 0, tooLong
		}
		d, rest = time.Duration(n)*24*time.Hour, m[2]
	}
	if rest != "" {
		r, err := time.ParseDuration(rest)
		switch {
		case d > 0 && (rest[0] == '-' || rest[0] == '+'):
			// "7d-1h" would mean 6d23h to time.ParseDuration's sign: a typo as likely as not.
			return 0, fmt.Errorf("%q has a sign after the days; write the whole duration without one, e.g. 6d23h or 7d1h", s)
		case err != nil && goDuration.MatchString(rest):
			return 0, tooLong // past time.Duration's 292 years
		case err != nil:
			return 0, fmt.Errorf("%q is not a duration; write e.g. 24h, 90m, 1h30m or 7d", s)
		case r > maxWithin-d:
			return 0, tooLong
		}
		d += r
	}
	if d <= 0 {
		return 0, fmt.Errorf("%q must be a positive duration such as 24h, 90m or 7d", s)
	}
	return d, nil
}
