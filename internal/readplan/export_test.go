package readplan

import "testing"

// SetMaxListCalls bounds the list calls of the reads of t to n, for a test of the bound that need not make
// ten thousand calls. The tests that use it do not run in parallel.
func SetMaxListCalls(t testing.TB, n int64) {
	old := maxListCalls
	maxListCalls = n
	t.Cleanup(func() { maxListCalls = old })
}
