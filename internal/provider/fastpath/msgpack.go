package fastpath

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"slices"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// writer writes MessagePack, the encoding in which Terraform receives state.
type writer []byte

func (b *writer) null() { *b = append(*b, 0xc0) }

func (b *writer) bool(v bool) {
	if v {
		*b = append(*b, 0xc3)
	} else {
		*b = append(*b, 0xc2)
	}
}

func (b *writer) str(s string) {
	switch n := len(s); {
	case n < 32:
		*b = append(*b, 0xa0|byte(n))
	case n <= math.MaxUint8:
		*b = append(*b, 0xd9, byte(n))
	case n <= math.MaxUint16:
		*b = binary.BigEndian.AppendUint16(append(*b, 0xda), uint16(n))
	default:
		*b = binary.BigEndian.AppendUint32(append(*b, 0xdb), uint32(n))
	}
	*b = append(*b, s...)
}

func (b *writer) int(n int64) {
	if n >= -32 && n <= 127 {
		*b = append(*b, byte(n))
		return
	}
	*b = binary.BigEndian.AppendUint64(append(*b, 0xd3), uint64(n))
}

func (b *writer) float(f float64) {
	*b = binary.BigEndian.AppendUint64(append(*b, 0xcb), math.Float64bits(f))
}

func (b *writer) arrayLen(n int) { b.header(n, 0x90, 0xdc, 0xdd) }

func (b *writer) mapLen(n int) { b.header(n, 0x80, 0xde, 0xdf) }

func (b *writer) header(n int, fix, len16, len32 byte) {
	switch {
	case n < 16:
		*b = append(*b, fix|byte(n))
	case n <= math.MaxUint16:
		*b = binary.BigEndian.AppendUint16(append(*b, len16), uint16(n))
	default:
		*b = binary.BigEndian.AppendUint32(append(*b, len32), uint32(n))
	}
}

// value writes a known value of any type Terraform state holds; object attributes in name order.
func (b *writer) value(v tftypes.Value) error {
	if !v.IsKnown() {
		return fmt.Errorf("unknown value of type %s in state", v.Type())
	}
	if v.IsNull() {
		b.null()
		return nil
	}
	switch t := v.Type(); {
	case t.Is(tftypes.String):
		var s string
		_ = v.As(&s)
		b.str(s)
	case t.Is(tftypes.Bool):
		var x bool
		_ = v.As(&x)
		b.bool(x)
	case t.Is(tftypes.Number):
		f := new(big.Float)
		_ = v.As(&f)
		if i, acc := f.Int64(); acc == big.Exact {
			b.int(i)
		} else {
			x, _ := f.Float64()
			b.float(x)
		}
	case t.Is(tftypes.List{}), t.Is(tftypes.Set{}), t.Is(tftypes.Tuple{}):
		var elems []tftypes.Value
		_ = v.As(&elems)
		b.arrayLen(len(elems))
		for _, e := range elems {
			if err := b.value(e); err != nil {
				return err
			}
		}
	case t.Is(tftypes.Map{}), t.Is(tftypes.Object{}):
		var attrs map[string]tftypes.Value
		_ = v.As(&attrs)
		b.mapLen(len(attrs))
		return b.attributes(attrs)
	default:
		return fmt.Errorf("cannot encode a value of type %s", t)
	}
	return nil
}

// attributes writes the entries of an object or map, in name order, without its header.
func (b *writer) attributes(attrs map[string]tftypes.Value) error {
	names := make([]string, 0, len(attrs))
	for name := range attrs {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		b.str(name)
		if err := b.value(attrs[name]); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}
