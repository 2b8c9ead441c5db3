package fastpath

import (
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/eset-community/terraform-provider-eset/internal/provider/record"
)

// State is a data source's state, encoded as it is built: the attributes known from the configuration
// first, then the computed ones in any order (MessagePack maps need no key order). Parts are kept apart
// and joined once, in one allocation of the exact size: growing one buffer page by page would leave a
// trail of ever larger copies for the garbage collector, which for 100,000 records shows in the peak RSS.
type State struct {
	parts   [][]byte
	missing int // computed attributes yet to be added
}

// NewState starts the state of a data source whose configuration is config: the object's header, for all
// its attributes, and every attribute except the computed ones, exactly as configured. The computed ones
// must follow, each once.
func NewState(config tftypes.Value, computed ...string) (*State, error) {
	var attrs map[string]tftypes.Value
	if err := config.As(&attrs); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(attrs))
	for name := range attrs {
		if !slices.Contains(computed, name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	var head writer
	head.mapLen(len(attrs))
	missing := len(attrs) - len(names)
	for _, name := range names {
		head.str(name)
		if err := head.value(attrs[name]); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return &State{parts: [][]byte{head}, missing: missing}, nil
}

// String adds a computed string attribute.
func (s *State) String(name, value string) {
	var b writer
	b.str(name)
	b.str(value)
	s.add(b)
}

// Bool adds a computed bool attribute.
func (s *State) Bool(name string, value bool) {
	var b writer
	b.str(name)
	b.bool(value)
	s.add(b)
}

// List adds a computed list attribute whose elements were encoded into l.
func (s *State) List(name string, l *List) {
	var b writer
	b.str(name)
	b.arrayLen(l.n)
	s.add(append([][]byte{b}, l.pages...)...)
	l.pages = nil
}

// Null adds a computed attribute that is null.
func (s *State) Null(name string) {
	var b writer
	b.str(name)
	b.null()
	s.add(b)
}

// Summary adds a computed summary object with the given figures (record.Tally's Values).
func (s *State) Summary(name string, values []record.SummaryValue) {
	var b writer
	b.str(name)
	encodeSummary(&b, values)
	s.add(b)
}

// add adds one attribute's parts.
func (s *State) add(parts ...[]byte) {
	s.parts = append(s.parts, parts...)
	s.missing--
}

// Bytes joins the parts: the encoded state. Each part can go as soon as it is copied. A computed
// attribute added too often or not at all would make the object's header lie, so it is an error.
func (s *State) Bytes() ([]byte, error) {
	if s.missing != 0 {
		return nil, fmt.Errorf("the state's computed attributes were not each added once (%d missing)", s.missing)
	}
	size := 0
	for _, p := range s.parts {
		size += len(p)
	}
	encoded := make([]byte, 0, size)
	for i, p := range s.parts {
		encoded = append(encoded, p...)
		s.parts[i] = nil
	}
	return encoded, nil
}

// List is the encoded elements of a list attribute, added page by page as the API returns them, so that
// no decoded page outlives its encoding.
type List struct {
	n, size int // elements and bytes so far
	pages   [][]byte
}

// AddRecords encodes a page of records of the given shape.
func AddRecords[T any](l *List, shape *record.Shape[T], page []T) {
	b := l.page(len(page))
	for i := range page {
		encodeRecord(&b, shape.Attributes(), &page[i])
	}
	l.add(b, len(page))
}

// AddStrings encodes one string per record of a page, read by get.
func AddStrings[T any](l *List, page []T, get func(*T) string) {
	b := l.page(len(page))
	for i := range page {
		b.str(get(&page[i]))
	}
	l.add(b, len(page))
}

// page starts the encoding of n elements, sized after the elements so far: a buffer grown by doubling
// would copy each page about twice and leave the copies to the garbage collector.
func (l *List) page(n int) writer {
	if l.n == 0 {
		return nil
	}
	return make(writer, 0, n*(l.size/l.n+8))
}

func (l *List) add(b writer, n int) {
	l.n += n
	l.size += len(b)
	l.pages = append(l.pages, b)
}
