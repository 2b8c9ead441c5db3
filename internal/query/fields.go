package query

import (
	"strings"

	"github.com/google/cel-go/common/ast"
)

// NeedsDetails reports whether a filter names a field the list call leaves out of its answer
// (device_uuids, detection_uuids): only the API can evaluate such a filter on listed incidents, so a
// reader cannot move it from the filter it sends into its own evaluation. A filter that does not parse
// needs the API too.
func NeedsDetails(expr string) bool {
	parsed, iss := parserEnv.Parse(expr)
	if iss != nil && iss.Err() != nil {
		return true
	}
	needs := false
	ast.PostOrderVisit(parsed.NativeRep().Expr(), ast.NewExprVisitor(func(e ast.Expr) {
		if e.Kind() != ast.IdentKind && e.Kind() != ast.SelectKind {
			return
		}
		if id, ok := fieldOf(e); ok && (id == fDeviceUUIDs || id == fDetectionUUIDs) {
			needs = true
		}
	}))
	return needs
}

// Evaluable reports whether the provider can evaluate a filter on listed incidents exactly as the API
// would: it names only fields the docs list for filtering that the list call returns (not the durations,
// whose unset value the API's evaluation may read otherwise than Match's null), and only what the
// documentation covers (Check finds nothing in the Strict mode).
func Evaluable(expr string) bool {
	if hasError(Check(expr, Strict)) {
		return false
	}
	parsed, iss := parserEnv.Parse(expr)
	if iss != nil && iss.Err() != nil {
		return false
	}
	ok := true
	ast.PostOrderVisit(parsed.NativeRep().Expr(), ast.NewExprVisitor(func(e ast.Expr) {
		if e.Kind() != ast.IdentKind && e.Kind() != ast.SelectKind {
			return
		}
		if id, known := fieldOf(e); known && (!fields[id].filtering || id == fDeviceUUIDs) {
			ok = false
		}
	}))
	return ok
}

// NeedsParens reports whether a condition must be put in parentheses to be joined to others with &&: its
// top is || or ?:, which bind less tightly, and it is not already one parenthesised group. What does not
// parse needs them too. CEL's parser decides, so that string literals of every kind (raw, triple-quoted,
// escaped) cannot mislead it.
func NeedsParens(expr string) bool {
	loose := func(e string) (bool, bool) {
		parsed, iss := parserEnv.Parse(e)
		if iss != nil && iss.Err() != nil {
			return false, false
		}
		root := parsed.NativeRep().Expr()
		if root.Kind() != ast.CallKind {
			return false, true
		}
		fn := root.AsCall().FunctionName()
		return fn == "_||_" || fn == "_?_:_", true
	}
	needs, ok := loose(expr)
	if !ok {
		return true
	}
	if !needs {
		return false
	}
	// "(a || b)" parses to the same top as "a || b": it is one group if what is inside its outer
	// parentheses parses on its own ("(a) || (b)" does not: "a) || (b").
	if inner, found := strings.CutPrefix(strings.TrimSpace(expr), "("); found && strings.HasSuffix(inner, ")") {
		if _, ok := loose(inner[:len(inner)-1]); ok {
			return false
		}
	}
	return true
}
