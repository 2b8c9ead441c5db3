package query

import (
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
// would: it names only documented fields that the list call returns, and only what the documentation
// covers (Check finds nothing in the Strict mode).
func Evaluable(expr string) bool {
	return !NeedsDetails(expr) && !hasError(Check(expr, Strict))
}
