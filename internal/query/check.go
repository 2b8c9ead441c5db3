package query

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/ast"
	"github.com/google/cel-go/common/operators"
	"github.com/google/cel-go/common/types"
)

// docsRef points users at the API's filtering documentation in messages.
const docsRef = "the Filtering section of the ESET Connect documentation of GET /v2/incidents"

// allowedCalls lists the functions and operators the docs use in filters. has() is not here: the parser
// turns it into a presence test, not a call.
var allowedCalls = map[string]bool{
	operators.Equals: true, operators.NotEquals: true,
	operators.Less: true, operators.LessEquals: true, operators.Greater: true, operators.GreaterEquals: true,
	operators.In: true, operators.LogicalAnd: true, operators.LogicalOr: true, operators.LogicalNot: true,
	"size": true, "contains": true, "timestamp": true, "duration": true,
	operators.Subtract: true, // timestamp - duration
}

// relational lists the comparison operators.
var relational = map[string]bool{
	operators.Equals: true, operators.NotEquals: true,
	operators.Less: true, operators.LessEquals: true, operators.Greater: true, operators.GreaterEquals: true,
}

// Check validates a filter at plan time. It returns nil for a filter the docs support; an error for a
// filter the API rejects (syntax, bad timestamp or duration literal, an operator other than == and in on
// status or severity); and for what the docs do not cover, which a newer API may accept, a warning in
// the Lenient mode and an error in the Strict one. An empty (or blank) filter means "no filter" and has
// no problems.
func Check(expr string, mode Mode) []Problem {
	problems, _ := check(expr, mode)
	return problems
}

// check is Check that also returns the parsed filter, nil when blank or unparsable, for Compile.
func check(expr string, mode Mode) ([]Problem, *cel.Ast) {
	if strings.TrimSpace(expr) == "" {
		return nil, nil
	}
	parsed, iss := parserEnv.Parse(expr)
	if iss != nil && iss.Err() != nil {
		return []Problem{syntaxProblem(expr, iss.Errors())}, nil
	}
	c := &checker{mode: mode, src: []rune(expr), info: parsed.NativeRep().SourceInfo(), handled: map[int64]bool{}, bound: map[string]int{}, warned: map[string]bool{}}
	root := parsed.NativeRep().Expr()
	c.walk(root)
	c.checkCondition(root)
	return c.problems, parsed
}

// syntaxProblem turns the parser's errors into one problem quoting the expression and each error's line
// and column, with the offending line and a caret under the column.
func syntaxProblem(expr string, errs []*cel.Error) Problem {
	lines := strings.Split(expr, "\n")
	var b strings.Builder
	fmt.Fprintf(&b, "The filter %q is not a valid CEL expression:", expr)
	for i, e := range errs {
		if i == 3 {
			fmt.Fprintf(&b, "\n(%d more syntax errors not shown)", len(errs)-i)
			break
		}
		line, col := e.Location.Line(), e.Location.Column()
		msg := strings.TrimPrefix(e.Message, "Syntax error: ")
		fmt.Fprintf(&b, "\n\nline %d, column %d: %s", line, col+1, msg)
		if line >= 1 && line <= len(lines) {
			text := lines[line-1]
			fmt.Fprintf(&b, "\n  %s\n  %s^", text, strings.Repeat(" ", col))
		}
	}
	fmt.Fprintf(&b, "\n\nSee %s for the syntax.", docsRef)
	return Problem{Severity: ProblemError, Summary: "Invalid filter syntax", Detail: b.String()}
}

// checker walks a parsed filter and collects problems.
type checker struct {
	mode Mode
	// src is the filter, in runes as the parser's offsets count.
	src      []rune
	info     *ast.SourceInfo
	problems []Problem
	// handled marks expressions already checked in context (an enum value compared with status), so the
	// generic walk does not report them again.
	handled map[int64]bool
	// bound counts, by name, the comprehension variables in scope where the walk is: they are no fields.
	bound map[string]int
	// warned keys the problems about what the docs do not cover, so that a filter that repeats their
	// cause gets each once.
	warned map[string]bool
}

// undocumented adds the mode's problem about something the docs do not cover; lenient says why it is
// only a warning (see Mode.undocumented).
func (c *checker) undocumented(summary, lenient, format string, args ...any) {
	c.problems = append(c.problems, c.mode.undocumented(summary, fmt.Sprintf(format, args...), lenient))
}

// undocumentedOnce is undocumented unless a problem with the same summary and key (the field, value or
// function it is about) was added already.
func (c *checker) undocumentedOnce(key, summary, lenient, format string, args ...any) {
	if c.warned[summary+"\x00"+key] {
		return
	}
	c.warned[summary+"\x00"+key] = true
	c.undocumented(summary, lenient, format, args...)
}

// fail adds an error: something the API rejects, whatever the mode.
func (c *checker) fail(summary, format string, args ...any) {
	c.problems = append(c.problems, Problem{Severity: ProblemError, Summary: summary, Detail: fmt.Sprintf(format, args...)})
}

// at describes where an expression starts, 1-based, for messages.
func (c *checker) at(e ast.Expr) string {
	return c.atOffset(c.start(e))
}

// atOperator describes where a call's operator or function (or macro) name is, for messages about the
// operator or function itself: `!=` on status points at the `!=`, not at the field before it.
func (c *checker) atOperator(e ast.Expr) string {
	r, _ := c.info.GetOffsetRange(e.ID())
	off := r.Start
	var fn string
	if e.Kind() == ast.CallKind {
		fn = e.AsCall().FunctionName()
	} else if call, ok := c.info.GetMacroCall(e.ID()); ok && call.Kind() == ast.CallKind {
		fn = call.AsCall().FunctionName()
	}
	if fn != "" && !strings.ContainsAny(fn, "_@") {
		// A function or macro call is recorded at its opening parenthesis: step back over blanks and the name.
		for off > 0 && int(off) <= len(c.src) && unicode.IsSpace(c.src[off-1]) {
			off--
		}
		off -= int32(len(fn))
	}
	return c.atOffset(off)
}

// atOffset describes a position in the filter, 1-based.
func (c *checker) atOffset(off int32) string {
	loc := c.info.GetLocationByOffset(off)
	if loc.Line() < 1 {
		return "in the filter"
	}
	return fmt.Sprintf("at line %d, column %d", loc.Line(), loc.Column()+1)
}

// start returns the offset where an expression's text begins. The parser records a call at its operator
// or opening parenthesis and a selection at its dot, so this takes the leftmost of the expression and its
// operands, and moves a global call back over its function name.
func (c *checker) start(e ast.Expr) int32 {
	r, _ := c.info.GetOffsetRange(e.ID())
	first := r.Start
	var children []ast.Expr
	switch e.Kind() {
	case ast.CallKind:
		call := e.AsCall()
		if fn := call.FunctionName(); !call.IsMemberFunction() && !strings.ContainsAny(fn, "_@") {
			first -= int32(len(fn))
		}
		children = operands(call)
	case ast.SelectKind:
		children = []ast.Expr{e.AsSelect().Operand()}
	case ast.ListKind:
		children = e.AsList().Elements()
	}
	for _, ch := range children {
		first = min(first, c.start(ch))
	}
	return first
}

// path returns the dotted name an identifier or a chain of field selections spells, such as
// "incident.metrics.device_count", and false for anything else.
func path(e ast.Expr) (string, bool) {
	switch e.Kind() {
	case ast.IdentKind:
		return e.AsIdent(), true
	case ast.SelectKind:
		s := e.AsSelect()
		if p, ok := path(s.Operand()); ok {
			return p + "." + s.FieldName(), true
		}
	}
	return "", false
}

// fieldOf returns the field an expression names, if it names a known one.
func fieldOf(e ast.Expr) (int, bool) {
	p, ok := path(e)
	if !ok || isEnumName(p) {
		return 0, false
	}
	return lookupField(p)
}

func (c *checker) walk(e ast.Expr) {
	if c.handled[e.ID()] {
		return
	}
	switch e.Kind() {
	case ast.IdentKind, ast.SelectKind:
		if p, ok := path(e); ok {
			c.name(e, p)
			return
		}
		c.walk(e.AsSelect().Operand())
	case ast.ListKind:
		for _, el := range e.AsList().Elements() {
			c.walk(el)
		}
	case ast.ComprehensionKind, ast.UnspecifiedExprKind:
		// A macro call: the walk follows the call as written, whose nested macros are references by id.
		if call, ok := c.info.GetMacroCall(e.ID()); ok && call.Kind() == ast.CallKind {
			c.macro(e, call.AsCall())
		}
	case ast.MapKind, ast.StructKind:
		c.undocumented("Unsupported filter construct", "",
			"The filter uses a map or message expression %s, which the API documentation does not "+
				"mention for filters; the API may reject it. See %s.", c.at(e), docsRef)
	case ast.CallKind:
		c.call(e)
	}
}

// macro checks a comprehension macro such as tags.exists(t, t == "x"): the macro is not documented for
// filters, which deserves a warning, but the variable it binds is no field and gets none.
func (c *checker) macro(e ast.Expr, call ast.CallExpr) {
	c.undocumentedOnce(call.FunctionName(), "Undocumented filter macro", "",
		"The filter uses the `%s` macro %s, which the API documentation does not mention for filters (it documents "+
			"has, size, contains, timestamp and duration); the API may reject it. See %s.", call.FunctionName(), c.atOperator(e), docsRef)
	if call.IsMemberFunction() {
		c.walk(call.Target())
	}
	args := call.Args()
	var vars []string
	for len(args) > 1 && args[0].Kind() == ast.IdentKind && len(vars) < 2 && (len(vars) == 0 || e.Kind() == ast.ComprehensionKind && e.AsComprehension().HasIterVar2()) {
		vars = append(vars, args[0].AsIdent())
		args = args[1:]
	}
	for _, v := range vars {
		c.bound[v]++
	}
	for _, a := range args {
		c.walk(a)
	}
	for _, v := range vars {
		c.bound[v]--
	}
}

// name checks an identifier or a field path: an enum value, a comprehension's variable, or a field of the
// incident.
func (c *checker) name(e ast.Expr, p string) {
	if root, _, _ := strings.Cut(p, "."); c.bound[root] > 0 {
		return
	}
	if isEnumName(p) {
		c.enumValue(e, p, allEnumValues, "")
		return
	}
	if _, ok := lookupField(p); ok {
		return
	}
	var names []string
	for _, f := range fields {
		names = append(names, f.name)
	}
	bare := strings.TrimPrefix(p, fieldPrefix)
	c.undocumentedOnce(bare, "Unknown filter field", "A newer API may know the field, so this is only a warning.",
		"The filter names the field `%s` %s, which the API documentation does not list for incidents; did you "+
			"mean `%s`? The fields documented for filtering are %s (snake_case or lowerCamelCase, with or without "+
			"the `incident.` prefix).",
		p, c.at(e), closest(bare, names), filteringFieldList())
}

// enumValue checks a bare identifier or string literal used as an enum value against the documented
// values; fieldName names the field it is compared with, "" when none.
func (c *checker) enumValue(e ast.Expr, v string, values []string, fieldName string) {
	if slices.Contains(values, v) {
		return
	}
	what := "an enum value the API documents"
	if fieldName != "" {
		what = "a documented value of `" + fieldName + "`"
	}
	c.undocumentedOnce(v+"\x00"+fieldName, "Unknown enum value", "A newer API may know the value, so this is only a warning.",
		"`%s` %s is not %s; %s The documented values are %s. As written, it matches no incident the docs describe.",
		v, c.at(e), what, suggestEnum(v, values), strings.Join(values, ", "))
}

// operands returns a call's receiver (for member calls) followed by its arguments.
func operands(call ast.CallExpr) []ast.Expr {
	if call.IsMemberFunction() {
		return append([]ast.Expr{call.Target()}, call.Args()...)
	}
	return call.Args()
}

// display returns how a function or operator is written in a filter.
func display(fn string) string {
	if fn == operators.In {
		return "in"
	}
	if d, ok := operators.FindReverse(fn); ok && d != "" {
		return d
	}
	switch fn {
	case operators.Conditional:
		return "?:"
	case operators.Index:
		return "[]"
	case operators.Negate:
		return "-"
	}
	return fn
}

func (c *checker) call(e ast.Expr) {
	call := e.AsCall()
	fn := call.FunctionName()
	ops := operands(call)

	c.restrictedOperators(e, fn, ops)
	c.enumComparison(fn, ops)
	c.timeComparison(e, fn, ops)

	switch {
	case !allowedCalls[fn]:
		c.undocumentedOnce(fn, "Undocumented filter function", "",
			"The filter uses `%s` %s, which is not among the functions and operators the API documents for "+
				"filters (has, size, contains, timestamp, duration, !, &&, ||, ==, !=, <, <=, >, >=, in, and "+
				"subtracting a duration from a timestamp); the API may reject it.", display(fn), c.atOperator(e))
	case (fn == "timestamp" || fn == "duration") && call.IsMemberFunction(),
		fn == "contains" && !call.IsMemberFunction():
		c.undocumented("Undocumented filter function", "",
			"The filter calls `%s` %s in a form the docs do not use: write `x.contains(\"text\")`, "+
				"`timestamp(\"2025-01-01T00:00:00Z\")` and `duration(\"10m\")`.", fn, c.atOperator(e))
	case fn == "timestamp" || fn == "duration":
		c.literalArgument(e, fn, call.Args())
	}
	for _, op := range ops {
		c.walk(op)
	}
}

// restrictedOperators enforces the docs' rule that status and severity take only == and in.
func (c *checker) restrictedOperators(e ast.Expr, fn string, ops []ast.Expr) {
	for i, op := range ops {
		id, ok := fieldOf(op)
		if !ok || (id != fStatus && id != fSeverity) {
			continue
		}
		if fn == operators.Equals || (fn == operators.In && i == 0) {
			continue
		}
		f := fields[id]
		example := "INCIDENT_STATUS_OPEN, INCIDENT_STATUS_IN_PROGRESS"
		if id == fSeverity {
			example = "INCIDENT_SEVERITY_LEVEL_MEDIUM, INCIDENT_SEVERITY_LEVEL_HIGH"
		}
		first := strings.SplitN(example, ",", 2)[0]
		c.fail("Operator not allowed on "+f.name,
			"The filter applies `%s` to `%s` %s, but the API accepts only the == and in operators on %s "+
				"(\"Filter by %s using only the in or == operator\"). Write `incident.%s == %s` or `incident.%s in [%s]`; "+
				"to exclude values, list the others with in, or negate a whole test: `!(incident.%s in [%s])`.",
			display(fn), f.name, c.atOperator(e), f.name, f.name, f.name, first, f.name, example, f.name, first)
	}
}

// enumComparison checks the values an enum field is compared with: the other side of ==, != and the
// elements of a list after in.
func (c *checker) enumComparison(fn string, ops []ast.Expr) {
	if len(ops) != 2 {
		return
	}
	switch fn {
	case operators.Equals, operators.NotEquals:
		for i := range 2 {
			if id, ok := fieldOf(ops[i]); ok && fields[id].enum != nil {
				c.enumOperand(ops[1-i], id)
			}
		}
	case operators.In:
		if id, ok := fieldOf(ops[0]); ok && fields[id].enum != nil && ops[1].Kind() == ast.ListKind {
			for _, el := range ops[1].AsList().Elements() {
				c.enumOperand(el, id)
			}
		}
	}
}

// enumOperand checks one value compared with the enum field id, if it is a literal or an identifier.
func (c *checker) enumOperand(e ast.Expr, id int) {
	f := fields[id]
	if s, ok := stringLiteral(e); ok {
		c.handled[e.ID()] = true
		c.enumValue(e, s, f.enum, f.name)
		return
	}
	if p, ok := path(e); ok && e.Kind() == ast.IdentKind && isEnumName(p) {
		c.handled[e.ID()] = true
		c.enumValue(e, p, f.enum, f.name)
	}
}

// stringLiteral returns the value of a string literal.
func stringLiteral(e ast.Expr) (string, bool) {
	if e.Kind() != ast.LiteralKind {
		return "", false
	}
	s, ok := e.AsLiteral().(types.String)
	return string(s), ok
}

// timeComparison warns when a time field is compared with a plain string, which CEL does not convert.
func (c *checker) timeComparison(e ast.Expr, fn string, ops []ast.Expr) {
	if !relational[fn] || len(ops) != 2 {
		return
	}
	for i := range 2 {
		id, ok := fieldOf(ops[i])
		if !ok || !fields[id].time {
			continue
		}
		if s, ok := stringLiteral(ops[1-i]); ok {
			c.undocumented("Timestamp compared with a string", "",
				"The filter compares `%s` with the string %q %s; CEL does not convert strings to timestamps, "+
					"so write `timestamp(%q)` instead.", fields[id].name, s, c.atOperator(e), s)
		}
	}
}

// literalArgument validates the string literal given to timestamp() or duration().
func (c *checker) literalArgument(e ast.Expr, fn string, args []ast.Expr) {
	if len(args) != 1 {
		c.fail("Invalid "+fn+" call",
			"`%s()` %s takes exactly one string argument, such as %s.", fn, c.at(e), example(fn))
		return
	}
	s, ok := stringLiteral(args[0])
	if !ok {
		return
	}
	if fn == "timestamp" {
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			c.fail("Invalid timestamp",
				"The filter contains `timestamp(%q)` %s, but %q is not an RFC 3339 timestamp%s. Write a full date "+
					"and time with a UTC offset, such as %s.", s, c.at(e), s, timestampHint(s), example(fn))
		}
		return
	}
	if _, err := time.ParseDuration(s); err != nil {
		c.fail("Invalid duration",
			"The filter contains `duration(%q)` %s, but %q is not a CEL duration%s. A duration is a number with "+
				"a unit among h, m, s, ms, us and ns, such as %s.", s, c.at(e), s, durationHint(s), example(fn))
	}
}

func example(fn string) string {
	if fn == "timestamp" {
		return `timestamp("2025-04-18T23:59:59Z") or timestamp("2025-04-18T23:59:59+02:00")`
	}
	return `duration("10m"), duration("24h") or duration("1h30m")`
}

var (
	// noSeconds matches a time of day whose seconds are missing, as in the docs' own example
	// 2025-04-18T23:59:+00:00.
	noSeconds = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}):?([Zz]|[+-]\d{2}:\d{2})$`)
	// noZone matches a date and time without a UTC offset.
	noZone = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?$`)
	// dateOnly matches a bare date.
	dateOnly = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	// spaceSeparated matches a date and time separated by a space.
	spaceSeparated = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2}) (.*)$`)
	// days matches a leading number of days, which CEL durations do not support.
	days = regexp.MustCompile(`^(\d+)d(.*)$`)
)

// timestampHint suggests the likely fix of a malformed timestamp, as a clause starting with "; ".
func timestampHint(s string) string {
	fix := ""
	switch {
	case noSeconds.MatchString(s):
		fix = noSeconds.ReplaceAllString(s, "${1}:00${2}")
	case noZone.MatchString(s):
		fix = strings.Replace(s, " ", "T", 1) + "Z"
	case dateOnly.MatchString(s):
		fix = s + "T00:00:00Z"
	case spaceSeparated.MatchString(s):
		fix = spaceSeparated.ReplaceAllString(s, "${1}T${2}")
	}
	if fix == "" {
		return ""
	}
	if _, err := time.Parse(time.RFC3339, fix); err != nil {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", fix)
}

// durationHint suggests hours for a duration given in days, as a clause starting with " (".
func durationHint(s string) string {
	m := days.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return ""
	}
	fix := fmt.Sprintf("%dh%s", 24*n, m[2])
	if _, err := time.ParseDuration(fix); err != nil {
		return ""
	}
	return fmt.Sprintf(" (CEL durations have no day unit: did you mean %q?)", fix)
}

// checkCondition warns when the filter, or an operand of &&, || or !, cannot be a boolean condition.
func (c *checker) checkCondition(e ast.Expr) {
	if e.Kind() == ast.CallKind {
		call := e.AsCall()
		switch call.FunctionName() {
		case operators.LogicalAnd, operators.LogicalOr, operators.LogicalNot:
			for _, a := range call.Args() {
				c.checkCondition(a)
			}
			return
		}
	}
	if what := nonBoolean(e); what != "" {
		c.undocumented("Filter is not a condition", "",
			"The filter part %s is %s, not a condition that is true or false for an incident; the API "+
				"may reject it. Compare it with something, e.g. `incident.display_name.contains(\"abc\")` or "+
				"`incident.status == INCIDENT_STATUS_OPEN`.", c.at(e), what)
	}
}

// nonBoolean describes an expression that certainly is not a bool ("a string literal"), or returns ""
// when it is or may be one.
func nonBoolean(e ast.Expr) string {
	switch e.Kind() {
	case ast.LiteralKind:
		if _, ok := e.AsLiteral().(types.Bool); ok {
			return ""
		}
		return "a literal value"
	case ast.ListKind:
		return "a list"
	case ast.MapKind:
		return "a map"
	case ast.IdentKind, ast.SelectKind:
		if e.Kind() == ast.SelectKind && e.AsSelect().IsTestOnly() {
			return ""
		}
		if p, ok := path(e); ok {
			if isEnumName(p) {
				return "an enum value"
			}
			if id, ok := lookupField(p); ok {
				return "the field `" + fields[id].name + "`"
			}
		}
	case ast.CallKind:
		switch fn := e.AsCall().FunctionName(); fn {
		case "size", "timestamp", "duration", operators.Subtract:
			return "a `" + display(fn) + "` value"
		}
	}
	return ""
}
