package fastpath

import (
	"maps"
	"slices"

	"github.com/eset-community/terraform-provider-eset/internal/provider/record"
)

// encodeSummary writes a summary's figures as Terraform receives them in state: an object with every
// attribute, in name order (the order record.Tally keeps them in), and map entries in key order.
func encodeSummary(b *writer, values []record.SummaryValue) {
	b.mapLen(len(values))
	for i := range values {
		v := &values[i]
		b.str(v.Name)
		switch v.Kind {
		case record.SummaryCount:
			b.int(v.Count)
		case record.SummaryCountBy, record.SummaryCountByEach:
			b.mapLen(len(v.Counts))
			for _, key := range slices.Sorted(maps.Keys(v.Counts)) {
				b.str(key)
				b.int(v.Counts[key])
			}
		case record.SummaryEarliest, record.SummaryLatest:
			if v.Time == nil {
				b.null()
			} else {
				b.str(*v.Time)
			}
		}
	}
}
