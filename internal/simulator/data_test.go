package simulator

import "testing"

// Generate is deterministic for a seed, so the tests' expectations hold on every machine.
func TestGenerateDeterministic(t *testing.T) {
	a, b := Generate(9, 300), Generate(9, 300)
	for i := range a {
		if a[i].UUID != b[i].UUID || a[i].DisplayName != b[i].DisplayName || a[i].CreateTime != b[i].CreateTime {
			t.Fatalf("incident %d differs between two runs with the same seed", i)
		}
	}
	if Generate(10, 1)[0].UUID == a[0].UUID {
		t.Error("another seed gives the same data")
	}
}
