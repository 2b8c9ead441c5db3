package record

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

type event struct {
	kind string
	tags []string
	at   string
}

var eventSummary = NewSummary(
	Count[event]("total", "", nil),
	Count("alerts", "", isAlert),
	CountBy("by_kind", "", nil, func(e *event) string { return e.kind }),
	CountByEach("by_tag", "", nil, func(e *event) []string { return e.tags }),
	Earliest("first", "", nil, func(e *event) string { return e.at }),
	Latest("last", "", nil, func(e *event) string { return e.at }),
	Earliest("first_alert", "", isAlert, func(e *event) string { return e.at }),
)

func isAlert(e *event) bool { return e.kind == "alert" }

// A tally counts across pages, counts a record once per distinct list value, compares times as instants
// (not as text), keeps them as sent, and leaves out times that do not parse.
func TestTally(t *testing.T) {
	tally := eventSummary.Tally()
	tally.Add([]event{
		{kind: "alert", tags: []string{"a", "b", "a"}, at: "2026-01-01T10:00:00+02:00"}, // 08:00Z
		{kind: "info", at: "2026-01-01T09:00:00Z"},
	})
	tally.Add(nil)
	tally.Add([]event{
		{kind: "info", tags: []string{"b"}, at: "2026-01-01T07:59:59.5Z"},
		{kind: "alert", at: ""},
		{kind: "alert", at: "not a time"},
		{kind: "info", at: "2026-01-01T09:00:00.000Z"}, // the same instant as the latest: the first one stays
	})
	object, diags := tally.Object()
	if diags.HasError() {
		t.Fatal(diags)
	}
	counts := func(m map[string]int64) types.Map {
		v, _ := types.MapValueFrom(context.Background(), types.Int64Type, m)
		return v
	}
	want := map[string]attr.Value{
		"total": types.Int64Value(6), "alerts": types.Int64Value(3),
		"by_kind": counts(map[string]int64{"alert": 3, "info": 3}), "by_tag": counts(map[string]int64{"a": 1, "b": 2}),
		"first": types.StringValue("2026-01-01T07:59:59.5Z"), "last": types.StringValue("2026-01-01T09:00:00Z"),
		"first_alert": types.StringValue("2026-01-01T10:00:00+02:00"),
	}
	if got := object.Attributes(); len(got) != len(want) {
		t.Fatalf("the summary has %d attributes, want %d", len(got), len(want))
	}
	for name, v := range object.Attributes() {
		if !v.Equal(want[name]) {
			t.Errorf("%s = %s, want %s", name, v, want[name])
		}
	}
}

// An empty tally: zero counts, empty maps, null times; the schema attribute has the tally's type.
func TestTallyEmpty(t *testing.T) {
	object, diags := eventSummary.Tally().Object()
	if diags.HasError() {
		t.Fatal(diags)
	}
	attrs := object.Attributes()
	if !attrs["total"].Equal(types.Int64Value(0)) || len(attrs["by_kind"].(types.Map).Elements()) != 0 || !attrs["first"].IsNull() {
		t.Errorf("empty tally: %s", object)
	}
	got := schema.Schema{Attributes: map[string]schema.Attribute{"s": eventSummary.SchemaAttribute("")}}.Type()
	if want := (types.ObjectType{AttrTypes: map[string]attr.Type{"s": object.Type(context.Background())}}); !got.Equal(want) {
		t.Errorf("schema type %s, tally type %s", got, want)
	}
}
