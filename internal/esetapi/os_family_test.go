package esetapi_test

import (
	"slices"
	"testing"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// TestOSFamily names the documented family ids as ESET's spec does (2 Linux, 3 Apple) and passes newer
// ones through.
func TestOSFamily(t *testing.T) {
	t.Parallel()
	for id, want := range map[esetapi.Int64]string{0: "unknown", 1: "windows", 2: "linux", 3: "apple", 4: "android", 5: "windows_mobile", 6: "symbian", 7: "unix", 8: "family_8", -1: "family_-1"} {
		if got := esetapi.OSFamily(id); got != want {
			t.Errorf("OSFamily(%d) = %q, want %q", id, got, want)
		}
	}
	if got := esetapi.OSFamilies(); !slices.Equal(got, []string{"unknown", "windows", "linux", "apple", "android", "windows_mobile", "symbian", "unix"}) {
		t.Errorf("OSFamilies() = %v", got)
	}
}
