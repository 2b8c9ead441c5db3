package fastpath

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/eset-community/terraform-provider-eset/internal/provider/record"
)

type sample struct {
	name     string
	optional *string
	tags     []string
	sent     []string
	count    int64
	flag     bool
	score    *int64
	resolved *bool
}

// A shape with every record.Kind, in an order other than its names'.
var sampleShape = record.New(
	record.Str("name", "", func(s *sample) string { return s.name }),
	record.NullableStr("optional", "", func(s *sample) *string { return s.optional }),
	record.Strings("tags", "", func(s *sample) []string { return s.tags }),
	record.Obj("nested", "",
		record.Int("count", "", func(s *sample) int64 { return s.count }),
		record.NullableStrings("sent", "", func(s *sample) []string { return s.sent }),
	),
	record.NullableStrings("sent", "", func(s *sample) []string { return s.sent }),
	record.Int("count", "", func(s *sample) int64 { return s.count }),
	record.Bool("flag", "", func(s *sample) bool { return s.flag }),
	record.NullableInt("score", "", func(s *sample) *int64 { return s.score }),
	record.NullableBool("resolved", "", func(s *sample) *bool { return s.resolved }),
)

// encodeRecord writes what the framework makes of the same record: the shape's type, and the value of
// every kind, whether set, empty or absent.
func TestEncodeRecordMatchesFramework(t *testing.T) {
	ctx := context.Background()
	text, yes, no, score, zero := "x", true, false, int64(-70000), int64(0)
	typ := sampleShape.Type().TerraformType(ctx)
	for _, rec := range []sample{
		{},
		{name: strings.Repeat("n", 70000), optional: &text, tags: []string{"a", ""}, sent: []string{}, count: -33},
		{name: "é", tags: []string{strings.Repeat("t", 300)}, sent: []string{"s"}, count: 1 << 40},
		{count: 127}, {count: 128}, {count: -32},
		{flag: true, score: &score, resolved: &yes}, {score: &zero, resolved: &no},
	} {
		var b writer
		encodeRecord(&b, sampleShape.Attributes(), &rec)
		got, err := tftypes.ValueFromMsgPack(b, typ) //nolint:staticcheck // a test may decode with it
		if err != nil {
			t.Fatalf("%+v: %v", rec, err)
		}
		object, diags := sampleShape.Object(ctx, &rec, nil)
		if diags.HasError() {
			t.Fatal(diags)
		}
		want, _ := object.ToTerraformValue(ctx)
		if diffs, _ := got.Diff(want); len(diffs) > 0 {
			t.Errorf("count %d: the encoding differs from the framework's value at %s", rec.count, diffs[0].Path)
		}
	}
}
