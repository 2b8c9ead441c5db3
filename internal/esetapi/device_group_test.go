package esetapi

import (
	"fmt"
	"strings"
	"testing"
)

// TestCheckGroupTreeLong: a chain and a cycle of 20,000 groups, which took 15.7 s to check and 70 s and
// 3.4 GiB to give paths, are refused at once, each with an error that names the group and the bound. The
// walk visits each group once: BenchmarkGroupTrees shows the time and memory linear in the groups.
func TestCheckGroupTreeLong(t *testing.T) {
	t.Parallel()
	const n = 20000
	chain := make([]DeviceGroup, n)
	for i := range chain {
		chain[i] = DeviceGroup{UUID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), DisplayName: "g"}
		if i > 0 {
			chain[i].ParentGroupUUID = chain[i-1].UUID
		}
	}
	err := checkGroupTree(chain)
	if want := fmt.Sprintf("group %q is more than %d levels deep", chain[MaxGroupDepth].UUID, MaxGroupDepth); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("a chain of %d: got %v, want %q", n, err, want)
	}
	cycle := append([]DeviceGroup(nil), chain...)
	cycle[0].ParentGroupUUID = cycle[n-1].UUID
	if err := checkGroupTree(cycle); err == nil || !strings.Contains(err.Error(), "its own ancestor (a cycle of parentGroupUuid)") {
		t.Errorf("a cycle of %d: got %v", n, err)
	}
}
