package fastpath

import "github.com/eset-community/terraform-provider-eset/internal/provider/record"

// encodeRecord writes rec as Terraform receives it in state: an object with every attribute of its
// shape, in name order, each value read as its record.Kind says. Strings are kept exactly as the API
// sent them.
func encodeRecord[T any](b *writer, attributes []record.Attribute[T], rec *T) {
	b.mapLen(len(attributes))
	for i := range attributes {
		a := &attributes[i]
		b.str(a.Name)
		switch a.Kind {
		case record.String:
			b.str(a.GetString(rec))
		case record.NullableString:
			if s := a.GetPointer(rec); s != nil {
				b.str(*s)
			} else {
				b.null()
			}
		case record.StringList, record.NullableStringList:
			list := a.GetStrings(rec)
			if list == nil && a.Kind == record.NullableStringList {
				b.null()
				continue
			}
			b.arrayLen(len(list))
			for _, s := range list {
				b.str(s)
			}
		case record.Int64:
			b.int(a.GetInt64(rec))
		case record.NullableInt64:
			if n := a.GetIntPtr(rec); n != nil {
				b.int(*n)
			} else {
				b.null()
			}
		case record.Boolean:
			b.bool(a.GetBool(rec))
		case record.NullableBoolean:
			if v := a.GetBoolPtr(rec); v != nil {
				b.bool(*v)
			} else {
				b.null()
			}
		case record.Object:
			encodeRecord(b, a.Attributes, rec)
		}
	}
}
