package simulator

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// Page tokens are opaque to callers; inside they name the query they belong to and the next offset.
func pageToken(key string, offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("v1:" + key + ":" + strconv.Itoa(offset)))
}

func parsePageToken(tok, key string) (int, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, false
	}
	rest, ok := strings.CutPrefix(string(raw), "v1:"+key+":")
	if !ok {
		return 0, false
	}
	offset, err := strconv.Atoi(rest)
	return offset, err == nil && offset >= 0
}
