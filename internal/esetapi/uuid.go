package esetapi

import (
	"fmt"
	"regexp"
	"strings"
)

// uuidPattern is the form of every identifier the API uses (incidents, devices, detections, users):
// 8-4-4-4-12 hexadecimal digits.
var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// IsUUID reports whether s has the form of the API's identifiers. Only such a value goes into a URL path,
// so that "..", "/" and the like never reach one.
func IsUUID(s string) bool { return uuidPattern.MatchString(s) }

// sameUUID checks that an answer to a call by uuid is about the thing asked for: a server that answers
// about another must not have that one's data stand for the one asked for. Hex digits compare in either case.
func sameUUID(got, asked, noun string) error {
	if !strings.EqualFold(got, asked) {
		return fmt.Errorf("the answer is about %s %q, not the one asked for", noun, got)
	}
	return nil
}
