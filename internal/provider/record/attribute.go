// Package record defines the Terraform shape of each API record once: a table of attributes, each with
// its name, description, kind and how to read its value from the esetapi struct. The schema attributes,
// the framework's type and value, and (in package fastpath) the MessagePack encoding all follow from that
// table, so that a new record is added by writing its table.
package record

import "github.com/hashicorp/terraform-plugin-framework/types"

// Kind is what an attribute holds in Terraform and how its value is read from the record.
type Kind int

const (
	// String is a string that is always set.
	String Kind = iota
	// NullableString is a string read through a pointer; nil is null.
	NullableString
	// StringList is a list of strings; nil reads as an empty list.
	StringList
	// NullableStringList is a list of strings; nil is null (for lists that only some calls send).
	NullableStringList
	// Int64 is a whole number.
	Int64
	// Object is a nested object whose attributes read from the same record.
	Object
	// Boolean is a bool that is always set.
	Boolean
	// NullableBoolean is a bool read through a pointer; nil is null.
	NullableBoolean
	// NullableInt64 is a whole number read through a pointer; nil is null.
	NullableInt64
)

// Attribute is one row of a record's table. The constructors below fill in the reader that its Kind uses.
type Attribute[T any] struct {
	Name        string
	Description string
	Kind        Kind

	GetString  func(*T) string
	GetPointer func(*T) *string
	GetStrings func(*T) []string
	GetInt64   func(*T) int64
	GetBool    func(*T) bool
	GetBoolPtr func(*T) *bool
	GetIntPtr  func(*T) *int64
	Attributes []Attribute[T] // an Object's attributes, sorted by name by New

	objectType types.ObjectType // an Object's type, set by New
}

// Str is an attribute that reads a string.
func Str[T any](name, description string, get func(*T) string) Attribute[T] {
	return Attribute[T]{Name: name, Description: description, Kind: String, GetString: get}
}

// NullableStr is an attribute that reads a string pointer; nil is null.
func NullableStr[T any](name, description string, get func(*T) *string) Attribute[T] {
	return Attribute[T]{Name: name, Description: description, Kind: NullableString, GetPointer: get}
}

// Strings is an attribute that reads a list of strings; nil is an empty list.
func Strings[T any](name, description string, get func(*T) []string) Attribute[T] {
	return Attribute[T]{Name: name, Description: description, Kind: StringList, GetStrings: get}
}

// NullableStrings is an attribute that reads a list of strings; nil is null.
func NullableStrings[T any](name, description string, get func(*T) []string) Attribute[T] {
	return Attribute[T]{Name: name, Description: description, Kind: NullableStringList, GetStrings: get}
}

// Int is an attribute that reads a whole number.
func Int[T any](name, description string, get func(*T) int64) Attribute[T] {
	return Attribute[T]{Name: name, Description: description, Kind: Int64, GetInt64: get}
}

// Bool is an attribute that reads a bool.
func Bool[T any](name, description string, get func(*T) bool) Attribute[T] {
	return Attribute[T]{Name: name, Description: description, Kind: Boolean, GetBool: get}
}

// NullableBool is an attribute that reads a bool pointer; nil is null (for values only some calls send).
func NullableBool[T any](name, description string, get func(*T) *bool) Attribute[T] {
	return Attribute[T]{Name: name, Description: description, Kind: NullableBoolean, GetBoolPtr: get}
}

// NullableInt is an attribute that reads a whole number through a pointer; nil is null.
func NullableInt[T any](name, description string, get func(*T) *int64) Attribute[T] {
	return Attribute[T]{Name: name, Description: description, Kind: NullableInt64, GetIntPtr: get}
}

// Obj is a nested object attribute made of attributes that read the same record.
func Obj[T any](name, description string, attributes ...Attribute[T]) Attribute[T] {
	return Attribute[T]{Name: name, Description: description, Kind: Object, Attributes: attributes}
}
