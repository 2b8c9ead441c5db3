package query

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/common/types/traits"
	"github.com/google/cel-go/interpreter"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// parserEnv parses and evaluates filters with CEL's standard macros: has(), which the docs use, and the
// comprehension macros (all, exists, exists_one, map, filter), which they do not but CEL filters may use.
// Macro calls are kept in the source info, so that Check names the macro as written and knows the
// variables it binds. It adds contains() on lists, which the docs use (incident.device_uuids.contains("uuid"))
// but standard CEL lacks.
var parserEnv = func() *cel.Env {
	env, err := cel.NewEnv(
		cel.EnableMacroCallTracking(),
		cel.Function("contains",
			cel.MemberOverload("list_contains_dyn", []*cel.Type{cel.ListType(cel.DynType), cel.DynType}, cel.BoolType,
				cel.BinaryBinding(func(list, elem ref.Val) ref.Val {
					return list.(traits.Lister).Contains(elem)
				}))),
	)
	if err != nil {
		panic(err) // the options above are fixed: failing here is a programming error
	}
	return env
}()

// Program is a compiled filter, ready to evaluate against many incidents. It is safe for concurrent use.
type Program struct {
	prg cel.Program // nil for an empty filter, which matches every incident
}

// Compile compiles a filter for evaluation. It fails exactly when Check reports an error in the Lenient
// mode, with the errors' details as the message, so the simulator rejects what the provider would have
// rejected at plan time, and evaluates what a newer API may accept. An empty filter matches every incident.
func Compile(expr string) (*Program, error) {
	problems, parsed := check(expr, Lenient)
	if hasError(problems) {
		return nil, errors.New(errorText(problems))
	}
	if parsed == nil {
		return &Program{}, nil
	}
	prg, err := parserEnv.Program(parsed, cel.EvalOptions(cel.OptOptimize))
	if err != nil {
		return nil, fmt.Errorf("compiling filter %q: %w", expr, err)
	}
	return &Program{prg: prg}, nil
}

// Match evaluates the filter against one incident.
//
// Fields read as follows, under both spellings and with or without the incident. prefix: create_time and
// update_time as timestamps; severity, status and resolve_reason as their enum names (an empty one as
// *_UNSPECIFIED); tags, device_uuids and detection_uuids as lists of strings; metrics counts as ints;
// triage_duration and response_duration as durations when they parse as Go/CEL durations ("3600s"),
// else as strings; an absent assignee_uuid, triage_duration or response_duration as null, which equals no
// string. has() follows proto3: false for a nil pointer and for a field holding its default value.
// Identifiers such as INCIDENT_STATUS_OPEN read as their own names. An unknown field (a warning for
// Check) makes Match fail, as does a timestamp field that is not RFC 3339.
func (p *Program) Match(inc *esetapi.Incident) (bool, error) {
	if p.prg == nil {
		return true, nil
	}
	out, _, err := p.prg.Eval(newActivation(inc))
	if err != nil {
		return false, fmt.Errorf("evaluating the filter on incident %s: %w", inc.UUID, err)
	}
	b, ok := out.(types.Bool)
	if !ok {
		return false, fmt.Errorf("the filter evaluates to %v (%s) on incident %s, not to true or false", out.Value(), out.Type().TypeName(), inc.UUID)
	}
	return bool(b), nil
}

// rootNames maps the field names that can stand alone (no dot) to field ids. Dotted names are not
// resolved as a whole: CEL then resolves their first segment and selects the rest through object, which
// is what makes has(incident.assignee_uuid) a presence test rather than a value.
var rootNames = func() map[string]int {
	m := map[string]int{}
	for id, f := range fields {
		if !strings.Contains(f.name, ".") {
			m[f.name] = id
			m[f.camel] = id
		}
	}
	return m
}()

// activation resolves the names of a filter lazily against one incident, so evaluating a filter reads
// only the fields it names. It is one allocation per Match.
type activation struct {
	root    object // the incident, for incident.… and has(incident.…)
	metrics object // incident.metrics
}

func newActivation(inc *esetapi.Incident) *activation {
	a := &activation{}
	a.root = object{inc: inc, metrics: &a.metrics}
	a.metrics = object{inc: inc, prefix: "metrics.", metrics: &a.metrics}
	return a
}

// ResolveName implements interpreter.Activation.
func (a *activation) ResolveName(name string) (any, bool) {
	if name == "incident" {
		return &a.root, true
	}
	if id, ok := rootNames[name]; ok {
		return a.root.value(id), true
	}
	if isEnumName(name) {
		return types.String(name), true
	}
	return nil, false
}

// Parent implements interpreter.Activation.
func (a *activation) Parent() interpreter.Activation { return nil }

// objectType is the CEL type of the incident and its metrics as filters see them.
var objectType = types.NewObjectType("eset.incident_management.v2.Incident", traits.IndexerType|traits.FieldTesterType)

// object exposes the incident (prefix "") or its metrics (prefix "metrics.") to CEL field selection and
// has() presence tests.
type object struct {
	inc     *esetapi.Incident
	prefix  string
	metrics *object
}

func (o *object) lookup(key ref.Val) (int, ref.Val) {
	name, ok := key.(types.String)
	if !ok {
		return 0, types.NewErr("no such field %v", key)
	}
	id, ok := lookupField(o.prefix + string(name))
	if !ok || strings.Contains(string(name), ".") { // one segment at a time: incident["metrics.device_count"] is no field
		return 0, types.NewErr("no such field '%s%s' in the incident", o.prefix, name)
	}
	return id, nil
}

// Get implements traits.Indexer.
func (o *object) Get(key ref.Val) ref.Val {
	id, err := o.lookup(key)
	if err != nil {
		return err
	}
	return o.value(id)
}

// IsSet implements traits.FieldTester with proto3 presence.
func (o *object) IsSet(key ref.Val) ref.Val {
	id, err := o.lookup(key)
	if err != nil {
		return err
	}
	return types.Bool(present(o.inc, id))
}

// value returns a field of the incident as a CEL value.
func (o *object) value(id int) ref.Val {
	inc := o.inc
	switch id {
	case fUUID:
		return types.String(inc.UUID)
	case fDisplayName:
		return types.String(inc.DisplayName)
	case fDescription:
		return types.String(inc.Description)
	case fAssigneeUUID:
		if inc.AssigneeUUID == nil {
			return types.NullValue
		}
		return types.String(*inc.AssigneeUUID)
	case fCreateTime:
		return timestampValue(fields[id].name, inc.CreateTime)
	case fUpdateTime:
		return timestampValue(fields[id].name, inc.UpdateTime)
	case fSeverity:
		return types.String(orDefault(inc.Severity, esetapi.SeverityUnspecified))
	case fStatus:
		return types.String(orDefault(inc.Status, esetapi.StatusUnspecified))
	case fResolveReason:
		return types.String(orDefault(inc.ResolveReason, esetapi.ResolveUnspecified))
	case fTags:
		return types.NewStringList(types.DefaultTypeAdapter, inc.Tags)
	case fTriageDuration:
		return durationValue(inc.TriageDuration)
	case fResponseDuration:
		return durationValue(inc.ResponseDuration)
	case fMetrics:
		return o.metrics
	case fDeviceCount:
		return types.Int(inc.Metrics.DeviceCount)
	case fExecutableCount:
		return types.Int(inc.Metrics.ExecutableCount)
	case fProcessCount:
		return types.Int(inc.Metrics.ProcessCount)
	case fDeviceUUIDs:
		return types.NewStringList(types.DefaultTypeAdapter, inc.DeviceUUIDs)
	case fDetectionUUIDs:
		return types.NewStringList(types.DefaultTypeAdapter, inc.DetectionUUIDs)
	}
	return types.NewErr("no such field %q", fields[id].name)
}

// present reports proto3 field presence: set and not the default value.
func present(inc *esetapi.Incident, id int) bool {
	switch id {
	case fUUID:
		return inc.UUID != ""
	case fDisplayName:
		return inc.DisplayName != ""
	case fDescription:
		return inc.Description != ""
	case fAssigneeUUID:
		return inc.AssigneeUUID != nil
	case fCreateTime:
		return inc.CreateTime != ""
	case fUpdateTime:
		return inc.UpdateTime != ""
	case fSeverity:
		return orDefault(inc.Severity, esetapi.SeverityUnspecified) != esetapi.SeverityUnspecified
	case fStatus:
		return orDefault(inc.Status, esetapi.StatusUnspecified) != esetapi.StatusUnspecified
	case fResolveReason:
		return orDefault(inc.ResolveReason, esetapi.ResolveUnspecified) != esetapi.ResolveUnspecified
	case fTags:
		return len(inc.Tags) > 0
	case fTriageDuration:
		return inc.TriageDuration != nil
	case fResponseDuration:
		return inc.ResponseDuration != nil
	case fMetrics:
		return true
	case fDeviceCount:
		return inc.Metrics.DeviceCount != 0
	case fExecutableCount:
		return inc.Metrics.ExecutableCount != 0
	case fProcessCount:
		return inc.Metrics.ProcessCount != 0
	case fDeviceUUIDs:
		return len(inc.DeviceUUIDs) > 0
	case fDetectionUUIDs:
		return len(inc.DetectionUUIDs) > 0
	}
	return false
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func timestampValue(name, s string) ref.Val {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return types.NewErr("the incident's %s %q is not an RFC 3339 timestamp", name, s)
	}
	return types.Timestamp{Time: t}
}

func durationValue(s *string) ref.Val {
	if s == nil {
		return types.NullValue
	}
	if d, err := time.ParseDuration(*s); err == nil {
		return types.Duration{Duration: d}
	}
	return types.String(*s)
}

// ConvertToNative implements ref.Val; the incident has no native CEL representation.
func (o *object) ConvertToNative(typeDesc reflect.Type) (any, error) {
	return nil, fmt.Errorf("the incident cannot be converted to %v", typeDesc)
}

// ConvertToType implements ref.Val.
func (o *object) ConvertToType(typeVal ref.Type) ref.Val {
	if typeVal == types.TypeType {
		return objectType
	}
	return types.NewErr("the incident cannot be converted to %s", typeVal.TypeName())
}

// Equal implements ref.Val: an incident equals only itself.
func (o *object) Equal(other ref.Val) ref.Val {
	p, ok := other.(*object)
	return types.Bool(ok && p.inc == o.inc && p.prefix == o.prefix)
}

// Type implements ref.Val.
func (o *object) Type() ref.Type { return objectType }

// Value implements ref.Val.
func (o *object) Value() any { return o.inc }
