package esetapi

import (
	"fmt"
	"strings"
)

// IsUUID reports whether s has the form of every identifier the API uses (incidents, devices,
// detections, users): 8-4-4-4-12 hexadecimal digits, in either case. Only such a value goes into a URL path,
// so that "..", "/" and the like never reach one.
func IsUUID(s string) bool {
	_, ok := KeyOfUUID(s)
	return ok
}

// CanonicalUUID is a uuid as the API writes it, in lower case: the API compares identifiers in filters,
// query parameters and paths as strings, so that an upper-case uuid (which IsUUID accepts, and which
// people copy from tools that print them so) would match nothing.
func CanonicalUUID(s string) string { return strings.ToLower(s) }

// CanonicalUUIDs is CanonicalUUID of each, in a new slice.
func CanonicalUUIDs(uuids []string) []string {
	out := make([]string, len(uuids))
	for i, u := range uuids {
		out[i] = CanonicalUUID(u)
	}
	return out
}

// sameUUID checks that an answer to a call by uuid is about the thing asked for: a server that answers
// about another must not have that one's data stand for the one asked for. Hex digits compare in either case.
func sameUUID(got, asked, noun string) error {
	if !strings.EqualFold(got, asked) {
		return fmt.Errorf("the answer is about %s %q, not the one asked for", noun, got)
	}
	return nil
}
