package esetapi

import "testing"

// TestUint64 decodes uint64 fields written as numbers, as strings and as null.
func TestUint64(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want Uint64
		ok   bool
	}{
		{`0`, 0, true},
		{`"2814749767126908"`, 2814749767126908, true},
		{`18446744073709551615`, 18446744073709551615, true},
		{`"18446744073709551615"`, 18446744073709551615, true},
		{`null`, 0, true},
		{`18446744073709551616`, 0, false},
		{`-1`, 0, false},
		{`""`, 0, false},
		{`1.5`, 0, false},
		{`"x"`, 0, false},
	} {
		n := Uint64(99)
		err := n.UnmarshalJSON([]byte(tc.in))
		if (err == nil) != tc.ok || (tc.ok && n != tc.want) {
			t.Errorf("%s: got %d, %v; want %d, ok=%v", tc.in, n, err, tc.want, tc.ok)
		}
	}
}

// TestInt64 decodes int64 fields written as numbers, as strings and as null.
func TestInt64(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want Int64
		ok   bool
	}{
		{`0`, 0, true},
		{`42`, 42, true},
		{`-42`, -42, true},
		{`"42"`, 42, true},
		{`"-9223372036854775808"`, -9223372036854775808, true},
		{`9223372036854775807`, 9223372036854775807, true},
		{`null`, 0, true},
		{` 7 `, 7, true},
		{`"\u0037"`, 7, true},
		{`9223372036854775808`, 0, false},
		{`1.0`, 0, false},
		{`1e3`, 0, false},
		{`""`, 0, false},
		{`"null"`, 0, false},
		{`"12`, 0, false},
		{`true`, 0, false},
		{`[1]`, 0, false},
	} {
		n := Int64(99)
		err := n.UnmarshalJSON([]byte(tc.in))
		if (err == nil) != tc.ok || (tc.ok && n != tc.want) {
			t.Errorf("%s: got %d, %v; want %d, ok=%v", tc.in, n, err, tc.want, tc.ok)
		}
	}
}
