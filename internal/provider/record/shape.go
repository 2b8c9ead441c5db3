package record

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Shape is a record's table, with what follows from it: its schema attributes, its type and its values.
type Shape[T any] struct {
	attributes []Attribute[T]
	typ        types.ObjectType
}

// New makes a record's shape from its table. Attributes are kept in name order, the order in which
// Terraform encodes an object's attributes.
func New[T any](attributes ...Attribute[T]) *Shape[T] {
	attributes, typ := prepare(attributes)
	return &Shape[T]{attributes: attributes, typ: typ}
}

// prepare sorts attributes by name, recursively, and works out their object type.
func prepare[T any](attributes []Attribute[T]) ([]Attribute[T], types.ObjectType) {
	attributes = slices.Clone(attributes)
	slices.SortFunc(attributes, func(a, b Attribute[T]) int { return strings.Compare(a.Name, b.Name) })
	attrTypes := make(map[string]attr.Type, len(attributes))
	for i, a := range attributes {
		switch a.Kind {
		case String, NullableString:
			attrTypes[a.Name] = types.StringType
		case StringList, NullableStringList:
			attrTypes[a.Name] = stringList
		case Int64, NullableInt64:
			attrTypes[a.Name] = types.Int64Type
		case Boolean, NullableBoolean:
			attrTypes[a.Name] = types.BoolType
		case Object:
			attributes[i].Attributes, attributes[i].objectType = prepare(a.Attributes)
			attrTypes[a.Name] = attributes[i].objectType
		default:
			panic(fmt.Sprintf("record: attribute %s has no kind", a.Name))
		}
	}
	return attributes, types.ObjectType{AttrTypes: attrTypes}
}

var stringList = types.ListType{ElemType: types.StringType}

// Attributes are the table's rows, in name order.
func (s *Shape[T]) Attributes() []Attribute[T] { return s.attributes }

// Type is the record's object type.
func (s *Shape[T]) Type() types.ObjectType { return s.typ }

// SchemaAttributes are the record's attributes as computed schema attributes: a new map on each call, which
// a data source may complete with its own arguments.
func (s *Shape[T]) SchemaAttributes() map[string]schema.Attribute {
	return schemaAttributes(s.attributes)
}

func schemaAttributes[T any](attributes []Attribute[T]) map[string]schema.Attribute {
	out := make(map[string]schema.Attribute, len(attributes))
	for _, a := range attributes {
		switch a.Kind {
		case String, NullableString:
			out[a.Name] = schema.StringAttribute{MarkdownDescription: a.Description, Computed: true}
		case StringList, NullableStringList:
			out[a.Name] = schema.ListAttribute{MarkdownDescription: a.Description, Computed: true, ElementType: types.StringType}
		case Int64, NullableInt64:
			out[a.Name] = schema.Int64Attribute{MarkdownDescription: a.Description, Computed: true}
		case Boolean, NullableBoolean:
			out[a.Name] = schema.BoolAttribute{MarkdownDescription: a.Description, Computed: true}
		case Object:
			out[a.Name] = schema.SingleNestedAttribute{MarkdownDescription: a.Description, Computed: true, Attributes: schemaAttributes(a.Attributes)}
		}
	}
	return out
}

// Object is the record as a framework value. extra adds attributes that are not the record's, such as the
// arguments of a data source that reads one record.
func (s *Shape[T]) Object(ctx context.Context, rec *T, extra map[string]attr.Value) (types.Object, diag.Diagnostics) {
	if len(extra) == 0 {
		return types.ObjectValue(s.typ.AttrTypes, values(s.attributes, rec))
	}
	vals, attrTypes := values(s.attributes, rec), maps.Clone(s.typ.AttrTypes)
	for name, v := range extra {
		vals[name], attrTypes[name] = v, v.Type(ctx)
	}
	return types.ObjectValue(attrTypes, vals)
}

func values[T any](attributes []Attribute[T], rec *T) map[string]attr.Value {
	out := make(map[string]attr.Value, len(attributes))
	for _, a := range attributes {
		switch a.Kind {
		case String:
			out[a.Name] = types.StringValue(a.GetString(rec))
		case NullableString:
			out[a.Name] = types.StringPointerValue(a.GetPointer(rec))
		case StringList, NullableStringList:
			out[a.Name] = stringListValue(a.GetStrings(rec), a.Kind == NullableStringList)
		case Int64:
			out[a.Name] = types.Int64Value(a.GetInt64(rec))
		case NullableInt64:
			out[a.Name] = types.Int64PointerValue(a.GetIntPtr(rec))
		case Boolean:
			out[a.Name] = types.BoolValue(a.GetBool(rec))
		case NullableBoolean:
			out[a.Name] = types.BoolPointerValue(a.GetBoolPtr(rec))
		case Object:
			out[a.Name] = types.ObjectValueMust(a.objectType.AttrTypes, values(a.Attributes, rec))
		}
	}
	return out
}

func stringListValue(list []string, nilIsNull bool) types.List {
	if list == nil && nilIsNull {
		return types.ListNull(types.StringType)
	}
	elems := make([]attr.Value, len(list))
	for i, s := range list {
		elems[i] = types.StringValue(s)
	}
	return types.ListValueMust(types.StringType, elems)
}
