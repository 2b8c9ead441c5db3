package record

import (
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Tally works a summary out page by page: it keeps the figures, never the records, so that it holds one
// page at a time and grows only with the distinct values it counts by (the client's listing keeps each
// record's uuid besides, to tell duplicates).
type Tally[T any] struct {
	attributes []SummaryAttribute[T]
	values     []SummaryValue
	typ        types.ObjectType
}

// SummaryValue is one attribute's figure so far; which field holds it depends on Kind.
type SummaryValue struct {
	Name   string
	Kind   SummaryKind
	Count  int64            // SummaryCount
	Counts map[string]int64 // SummaryCountBy, SummaryCountByEach; a value that no record has is absent
	Time   *string          // SummaryEarliest, SummaryLatest: as sent; nil when no record has one

	// The time so far, as sent and parsed; Values points Time at it. Kept by value, so that taking a
	// newer time (for each record, when they come in time order) allocates nothing.
	sent  string
	at    time.Time
	found bool
}

// Tally starts a tally of this summary: every figure zero, empty or null.
func (s *Summary[T]) Tally() *Tally[T] {
	values := make([]SummaryValue, len(s.attributes))
	for i, a := range s.attributes {
		values[i] = SummaryValue{Name: a.Name, Kind: a.Kind}
		if a.Kind == SummaryCountBy || a.Kind == SummaryCountByEach {
			values[i].Counts = map[string]int64{}
		}
	}
	return &Tally[T]{attributes: s.attributes, values: values, typ: s.typ}
}

// Add counts a page of records.
func (t *Tally[T]) Add(page []T) {
	for i := range page {
		rec := &page[i]
		for j := range t.attributes {
			a, v := &t.attributes[j], &t.values[j]
			if a.Keep != nil && !a.Keep(rec) {
				continue
			}
			switch a.Kind {
			case SummaryCount:
				v.Count++
			case SummaryCountBy:
				v.Counts[a.GetKey(rec)]++
			case SummaryCountByEach:
				keys := a.GetKeys(rec)
				for k, key := range keys {
					if !slices.Contains(keys[:k], key) {
						v.Counts[key]++
					}
				}
			case SummaryEarliest, SummaryLatest:
				v.see(a.GetKey(rec))
			}
		}
	}
}

// see takes the time s if it is earlier (SummaryEarliest) or later (SummaryLatest) than the one so far. A
// time that does not parse as RFC 3339 (an absent one reads as "") is left out; of equal instants the first
// read is kept.
func (v *SummaryValue) see(s string) {
	at, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return
	}
	if !v.found || (v.Kind == SummaryEarliest && at.Before(v.at)) || (v.Kind == SummaryLatest && at.After(v.at)) {
		v.sent, v.at, v.found = s, at, true
	}
}

// Values are the figures, in name order.
func (t *Tally[T]) Values() []SummaryValue {
	for i := range t.values {
		if v := &t.values[i]; v.found {
			v.Time = &v.sent
		}
	}
	return t.values
}

// Object is the summary as a framework value.
func (t *Tally[T]) Object() (types.Object, diag.Diagnostics) {
	values := make(map[string]attr.Value, len(t.values))
	for _, v := range t.Values() {
		switch v.Kind {
		case SummaryCount:
			values[v.Name] = types.Int64Value(v.Count)
		case SummaryCountBy, SummaryCountByEach:
			counts := make(map[string]attr.Value, len(v.Counts))
			for key, n := range v.Counts {
				counts[key] = types.Int64Value(n)
			}
			values[v.Name] = types.MapValueMust(types.Int64Type, counts)
		case SummaryEarliest, SummaryLatest:
			values[v.Name] = types.StringPointerValue(v.Time)
		}
	}
	return types.ObjectValue(t.typ.AttrTypes, values)
}
