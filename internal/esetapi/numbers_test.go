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
