package esetapi

import (
	"encoding/hex"
	"regexp"
	"strings"
	"testing"
)

// uuidForm is the API's identifier form as the documents write it: what KeyOfUUID must accept, exactly.
var uuidForm = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// FuzzKeyOfUUID: KeyOfUUID accepts exactly the strings of the identifier form, and its key is the uuid's
// 16 bytes, the same in either letter case.
func FuzzKeyOfUUID(f *testing.F) {
	for _, s := range []string{
		"4b0c9e2a-7f31-4d6e-9a55-1c2d3e4f5a6b", "4B0C9E2A-7F31-4D6E-9A55-1C2D3E4F5A6B", "", "..",
		"4b0c9e2a-7f31-4d6e-9a55-1c2d3e4f5a6", "4b0c9e2a-7f31-4d6e-9a55-1c2d3e4f5a6bb", "4b0c9e2a_7f31-4d6e-9a55-1c2d3e4f5a6b",
		"4b0c9e2a-7f31-4d6e-9a55-1c2d3e4f5a6g", "4b0c9e2a7f314d6e9a551c2d3e4f5a6b0000", "-b0c9e2a-7f31-4d6e-9a55-1c2d3e4f5a6b",
		"4b0c9e2a-7f31-4d6e-9a55-1c2d3e4f5a6\u00e9",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		key, ok := KeyOfUUID(s)
		if want := uuidForm.MatchString(s); ok != want || IsUUID(s) != want {
			t.Fatalf("%q: KeyOfUUID says %v, the form says %v", s, ok, want)
		}
		if !ok {
			return
		}
		if got := hex.EncodeToString(key[:]); got != strings.ToLower(strings.ReplaceAll(s, "-", "")) {
			t.Fatalf("%q: key %s", s, got)
		}
	})
}
