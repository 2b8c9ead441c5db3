package query

import (
	"strings"
	"time"

	"github.com/google/cel-go/common/ast"
	"github.com/google/cel-go/common/operators"
)

// TimeBound is a condition `create_time OP timestamp("T")`, as a read by key ends its filters with.
type TimeBound struct {
	Op   string // ">=", ">", "<=", "<" or "=="
	Time time.Time
}

// boundOps maps CEL's relational functions to the operators a TimeBound holds.
var boundOps = map[string]string{
	operators.GreaterEquals: ">=", operators.Greater: ">",
	operators.LessEquals: "<=", operators.Less: "<", operators.Equals: "==",
}

// Admits reports whether a create_time that compares c with the bound's time (negative: earlier, as
// time.Time.Compare returns) satisfies the bound.
func (b TimeBound) Admits(c int) bool {
	switch b.Op {
	case ">=":
		return c >= 0
	case ">":
		return c > 0
	case "<=":
		return c <= 0
	case "<":
		return c < 0
	}
	return c == 0
}

// SplitTimeBound splits a filter whose last top-level && operand is a TimeBound, `X && create_time >=
// timestamp("T")` (create_time spelt in any accepted way, the operand possibly in parentheses), into X's
// text and the bound; a filter that is the bound alone gives "". Since && is associative and commutative
// in CEL, even with errors, the filter matches exactly what X does and the bound admits. ok is false for
// any other filter, and for a timestamp CEL would not evaluate (not RFC 3339, or out of its range), so that
// the caller evaluates such a filter whole and fails as it does.
func SplitTimeBound(expr string) (base string, bound TimeBound, ok bool) {
	parsed, iss := parserEnv.Parse(expr)
	if iss != nil && iss.Err() != nil {
		return "", TimeBound{}, false
	}
	root := parsed.NativeRep().Expr()
	if !isAnd(root) {
		bound, ok = timeBoundOf(root)
		return "", bound, ok
	}
	// The parser balances a chain of && as a tree: the last operand hangs off the rightmost && node.
	last := root
	for isAnd(last.AsCall().Args()[1]) {
		last = last.AsCall().Args()[1]
	}
	r, found := parsed.NativeRep().SourceInfo().GetOffsetRange(last.ID())
	src := []rune(expr) // the parser's offsets count runes
	if !found || r.Start < 0 || int(r.Start)+2 > len(src) || string(src[r.Start:r.Start+2]) != "&&" {
		return "", TimeBound{}, false
	}
	// The text after that && must be the bound alone: were the && inside parentheses, a ")" would follow
	// the bound and the text would not parse.
	rest, iss := parserEnv.Parse(string(src[r.Start+2:]))
	if iss != nil && iss.Err() != nil {
		return "", TimeBound{}, false
	}
	if bound, ok = timeBoundOf(rest.NativeRep().Expr()); !ok {
		return "", TimeBound{}, false
	}
	return strings.TrimSpace(string(src[:r.Start])), bound, true
}

func isAnd(e ast.Expr) bool {
	return e.Kind() == ast.CallKind && e.AsCall().FunctionName() == operators.LogicalAnd && len(e.AsCall().Args()) == 2
}

// timeBoundOf reads `create_time OP timestamp("T")`.
func timeBoundOf(e ast.Expr) (TimeBound, bool) {
	if e.Kind() != ast.CallKind {
		return TimeBound{}, false
	}
	call := e.AsCall()
	op, ok := boundOps[call.FunctionName()]
	if !ok || len(call.Args()) != 2 {
		return TimeBound{}, false
	}
	field, ts := call.Args()[0], call.Args()[1]
	if field.Kind() == ast.SelectKind && field.AsSelect().IsTestOnly() {
		return TimeBound{}, false
	}
	if id, ok := fieldOf(field); !ok || id != fCreateTime {
		return TimeBound{}, false
	}
	if ts.Kind() != ast.CallKind || ts.AsCall().FunctionName() != "timestamp" || ts.AsCall().IsMemberFunction() || len(ts.AsCall().Args()) != 1 {
		return TimeBound{}, false
	}
	s, ok := stringLiteral(ts.AsCall().Args()[0])
	if !ok {
		return TimeBound{}, false
	}
	// CEL's timestamp() parses RFC 3339 and refuses instants outside years 1 to 9999 (UTC).
	t, err := time.Parse(time.RFC3339, s)
	if err != nil || t.UTC().Year() < 1 || t.UTC().Year() > 9999 {
		return TimeBound{}, false
	}
	return TimeBound{Op: op, Time: t}, true
}
