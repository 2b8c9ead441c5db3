package fastpath

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/eset-community/terraform-provider-eset/internal/provider/record"
)

// A summary with every record.SummaryKind, in an order other than its names'.
var sampleSummary = record.NewSummary(
	record.Count[sample]("total", "", nil),
	record.CountBy("by_name", "", nil, func(s *sample) string { return s.name }),
	record.CountByEach("by_tag", "", func(s *sample) bool { return s.count > 0 }, func(s *sample) []string { return s.tags }),
	record.Latest("latest", "", nil, func(s *sample) string { return s.name }),
	record.Earliest("earliest", "", nil, func(s *sample) string { return s.name }),
)

// encodeSummary writes what the framework makes of the same tally: empty, and with counts past
// MessagePack's small integers, many map entries and long keys.
func TestEncodeSummaryMatchesFramework(t *testing.T) {
	ctx := context.Background()
	typ := sampleSummary.Type().TerraformType(ctx)
	many := make([]sample, 300)
	for i := range many {
		many[i] = sample{name: "2026-01-01T00:00:00Z", tags: []string{strings.Repeat("t", i%40), string(rune('a' + i%20))}, count: 1}
	}
	many[7].name = "2025-12-31T23:59:59+01:00"
	for _, pages := range [][][]sample{nil, {many[:100], many[100:]}} {
		tally := sampleSummary.Tally()
		for _, p := range pages {
			tally.Add(p)
		}
		var b writer
		encodeSummary(&b, tally.Values())
		got, err := tftypes.ValueFromMsgPack(b, typ) //nolint:staticcheck // a test may decode with it
		if err != nil {
			t.Fatal(err)
		}
		object, diags := tally.Object()
		if diags.HasError() {
			t.Fatal(diags)
		}
		want, _ := object.ToTerraformValue(ctx)
		if diffs, _ := got.Diff(want); len(diffs) > 0 {
			t.Errorf("%d pages: the encoding differs from the framework's value at %s", len(pages), diffs[0].Path)
		}
	}
}
