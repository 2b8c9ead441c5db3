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
	terms, err := c.Terms(now, fieldPrefix)
	if err != nil {
		return "", err
	}
	exprs := make([]string, len(terms))
	for i, t := range terms {
		exprs[i] = t.Expr
	}
	return strings.Join(exprs, " && "), nil
}

// Term is one condition of a filter whose conditions are joined with &&.
type Term struct {
	// Expr is the condition in CEL.
	Expr string
	// Devices is set for a condition on the incident's devices: it holds at least one of these canonical
	// uuids. The list call does not return device_uuids, so only the API evaluates such a term.
	Devices []string
	// CreatedFloor is set for a lower bound of create_time (created_after, created_within): Expr is
	// create_time >= CreatedFloor.
	CreatedFloor time.Time
	// Rank guesses how much of a tenant the condition usually leaves out, most first (0): an assignee or
	// a name keeps few incidents, statuses and severities a share, a time bound many. A reader that cannot
	// send every condition sends the lowest ranks first.
	Rank int
}

// Ranks of the typed filters' terms; a user's filter, of unknown reach, ranks after them.
const (
	RankFew = iota
	RankShare
	RankMany
	RankUnknown
)

// Terms compiles the criteria into their terms, in field order, each field named with prefix
// ("incident." as Expression writes them, or "" for the shortest filter the API accepts: its docs allow
// display_name for incident.display_name). Errors are those of Expression.
func (c Criteria) Terms(now time.Time, prefix string) ([]Term, error) {
	var (
		terms []Term
		errs  []error
	)
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	add := func(rank int) func(string, error) {
		return func(expr string, err error) {
			if err != nil {
				errs = append(errs, err)
			} else if expr != "" {
				terms = append(terms, Term{Expr: expr, Rank: rank})
			}
		}
	}

	add(RankShare)(enumTerm("statuses", prefix+"status", c.Statuses, specified(esetapi.Statuses)))
	add(RankShare)(enumTerm("severities", prefix+"severity", c.Severities, specified(esetapi.Severities)))

	var after, before time.Time
	if c.CreatedAfter != "" {
		t, err := time.Parse(time.RFC3339, c.CreatedAfter)
		if err != nil {
			fail("created_after: %q is not an RFC 3339 timestamp%s; write e.g. 2025-04-18T00:00:00Z", c.CreatedAfter, timestampHint(c.CreatedAfter))
		} else {
			after = t
			terms = append(terms, Term{Expr: prefix + "create_time >= timestamp(" + Quote(c.CreatedAfter) + ")", CreatedFloor: t})
		}
	}
	if c.CreatedBefore != "" {
		t, err := time.Parse(time.RFC3339, c.CreatedBefore)
		if err != nil {
			fail("created_before: %q is not an RFC 3339 timestamp%s; write e.g. 2025-04-18T23:59:59Z", c.CreatedBefore, timestampHint(c.CreatedBefore))
		} else {
			before = t
			add(RankMany)(prefix+"create_time < timestamp("+Quote(c.CreatedBefore)+")", nil)
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
			since := now.Add(-d).UTC().Truncate(time.Second)
			terms = append(terms, Term{Expr: prefix + "create_time >= timestamp(" + Quote(since.Format(time.RFC3339)) + ")", CreatedFloor: since})
		}
	}

	switch {
	case c.Unassigned && c.AssigneeUUID != "":
		fail("assignee_uuid and unassigned exclude each other: an incident cannot be assigned to %q and to nobody", c.AssigneeUUID)
	case c.Unassigned:
		add(RankShare)("!has(incident.assignee_uuid)", nil) // has() takes a field selection: the prefix is needed
	case c.AssigneeUUID != "":
		add(RankFew)(prefix+"assignee_uuid == "+Quote(esetapi.CanonicalUUID(c.AssigneeUUID)), nil)
	}

	add(RankFew)(containsAny("tags_any", prefix+"tags", "tag", c.TagsAny))
	if c.DeviceUUID != "" {
		terms = append(terms, DevicesTerm(prefix, []string{c.DeviceUUID}))
	}
	if len(c.DeviceUUIDs) > 0 {
		if _, err := containsAny("device_uuids", "", "device uuid", c.DeviceUUIDs); err != nil {
			errs = append(errs, err)
		} else {
			terms = append(terms, DevicesTerm(prefix, c.DeviceUUIDs))
		}
	}
	if c.DisplayNameContains != "" {
		add(RankFew)(prefix+"display_name.contains("+Quote(c.DisplayNameContains)+")", nil)
	}

	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return terms, nil
}

// DevicesTerm is the term "the incident involves at least one of devices": contains() for one device,
// alternatives joined by || for several, each canonical uuid once, fields named with prefix.
func DevicesTerm(prefix string, devices []string) Term {
	canonical := esetapi.CanonicalUUIDs(devices)
	expr, _ := containsAny("device_uuids", prefix+"device_uuids", "device uuid", canonical)
	var unique []string
	seen := map[string]bool{}
	for _, d := range canonical {
		if !seen[d] {
			seen[d] = true
			unique = append(unique, d)
		}
	}
	return Term{Expr: expr, Devices: unique}
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
