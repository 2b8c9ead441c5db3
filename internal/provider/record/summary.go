package record

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// SummaryKind is what a summary attribute holds and how it is worked out from the records.
type SummaryKind int

const (
	// SummaryCount is the number of records kept.
	SummaryCount SummaryKind = iota
	// SummaryCountBy maps each value of a string of the records kept to the number of records with it.
	SummaryCountBy
	// SummaryCountByEach maps each value of a list of strings of the records kept to the number of records
	// whose list holds it (a record counts once per value, however often its list repeats it).
	SummaryCountByEach
	// SummaryEarliest is the earliest of an RFC 3339 time of the records kept, as sent; null when none has one.
	SummaryEarliest
	// SummaryLatest is the latest of an RFC 3339 time of the records kept, as sent; null when none has one.
	SummaryLatest
)

// SummaryAttribute is one row of a summary's table: a figure worked out over every record a data source
// reads. Keep, when set, selects the records it is worked out over.
type SummaryAttribute[T any] struct {
	Name        string
	Description string
	Kind        SummaryKind

	Keep    func(*T) bool
	GetKey  func(*T) string   // SummaryCountBy's key; the time of SummaryEarliest and SummaryLatest
	GetKeys func(*T) []string // SummaryCountByEach's keys
}

// Count is the number of records kept; keep nil keeps every record.
func Count[T any](name, description string, keep func(*T) bool) SummaryAttribute[T] {
	return SummaryAttribute[T]{Name: name, Description: description, Kind: SummaryCount, Keep: keep}
}

// CountBy counts the records kept by the value key reads.
func CountBy[T any](name, description string, keep func(*T) bool, key func(*T) string) SummaryAttribute[T] {
	return SummaryAttribute[T]{Name: name, Description: description, Kind: SummaryCountBy, Keep: keep, GetKey: key}
}

// CountByEach counts the records kept by each of the values keys reads.
func CountByEach[T any](name, description string, keep func(*T) bool, keys func(*T) []string) SummaryAttribute[T] {
	return SummaryAttribute[T]{Name: name, Description: description, Kind: SummaryCountByEach, Keep: keep, GetKeys: keys}
}

// Earliest is the earliest time, read by at, of the records kept.
func Earliest[T any](name, description string, keep func(*T) bool, at func(*T) string) SummaryAttribute[T] {
	return SummaryAttribute[T]{Name: name, Description: description, Kind: SummaryEarliest, Keep: keep, GetKey: at}
}

// Latest is the latest time, read by at, of the records kept.
func Latest[T any](name, description string, keep func(*T) bool, at func(*T) string) SummaryAttribute[T] {
	return SummaryAttribute[T]{Name: name, Description: description, Kind: SummaryLatest, Keep: keep, GetKey: at}
}

// Summary is a summary's table, with what follows from it: its schema attribute, its type, and the tally
// that works it out page by page.
type Summary[T any] struct {
	attributes []SummaryAttribute[T]
	typ        types.ObjectType
}

// NewSummary makes a summary's shape from its table, kept in name order.
func NewSummary[T any](attributes ...SummaryAttribute[T]) *Summary[T] {
	attributes = slices.Clone(attributes)
	slices.SortFunc(attributes, func(a, b SummaryAttribute[T]) int { return strings.Compare(a.Name, b.Name) })
	attrTypes := make(map[string]attr.Type, len(attributes))
	for _, a := range attributes {
		attrTypes[a.Name] = summaryType(a.Kind)
	}
	return &Summary[T]{attributes: attributes, typ: types.ObjectType{AttrTypes: attrTypes}}
}

var countMap = types.MapType{ElemType: types.Int64Type}

func summaryType(kind SummaryKind) attr.Type {
	switch kind {
	case SummaryCount:
		return types.Int64Type
	case SummaryCountBy, SummaryCountByEach:
		return countMap
	case SummaryEarliest, SummaryLatest:
		return types.StringType
	}
	panic(fmt.Sprintf("record: summary kind %d", kind))
}

// Type is the summary's object type.
func (s *Summary[T]) Type() types.ObjectType { return s.typ }

// SchemaAttribute is the summary as a computed nested attribute described by description.
func (s *Summary[T]) SchemaAttribute(description string) schema.SingleNestedAttribute {
	attributes := make(map[string]schema.Attribute, len(s.attributes))
	for _, a := range s.attributes {
		switch a.Kind {
		case SummaryCount:
			attributes[a.Name] = schema.Int64Attribute{MarkdownDescription: a.Description, Computed: true}
		case SummaryCountBy, SummaryCountByEach:
			attributes[a.Name] = schema.MapAttribute{MarkdownDescription: a.Description, Computed: true, ElementType: types.Int64Type}
		case SummaryEarliest, SummaryLatest:
			attributes[a.Name] = schema.StringAttribute{MarkdownDescription: a.Description, Computed: true}
		}
	}
	return schema.SingleNestedAttribute{MarkdownDescription: description, Computed: true, Attributes: attributes}
}
