package simulator

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

const (
	defaultPageSize = 50
	maxPageSize     = 1000
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

// pageOf reads a list call's pageSize and pageToken for a result of n items of the query key, and returns
// the bounds of the page to send and the next page's token ("" on the last). It answers a bad page size
// or a token of another query with 400 itself and returns ok false.
func (s *Server) pageOf(w http.ResponseWriter, q url.Values, key string, n int) (from, to int, next string, ok bool) {
	pageSize := defaultPageSize
	if v := q.Get("pageSize"); v != "" {
		size, err := strconv.Atoi(v)
		if err != nil || size < 0 {
			writeError(w, http.StatusBadRequest, 3, fmt.Sprintf("invalid pageSize %q: must be a non-negative integer", v))
			return 0, 0, "", false
		}
		if size > 0 {
			pageSize = min(size, maxPageSize)
		}
	}
	if tok := q.Get("pageToken"); tok != "" {
		if from, ok = parsePageToken(tok, key); !ok {
			writeError(w, http.StatusBadRequest, 3, "invalid page token: it does not belong to this query")
			return 0, 0, "", false
		}
	}
	to = min(from+pageSize, n)
	from = min(from, to)
	if to < n {
		next = pageToken(key, to)
		if s.opts.RepeatPageToken && from > 0 {
			next = pageToken(key, pageSize)
		}
	}
	return from, to, next, true
}

// listKey names a list query by its path and parameters, paging ones aside, for its page tokens.
func listKey(r *http.Request) string {
	q := r.URL.Query()
	q.Del("pageSize")
	q.Del("pageToken")
	return queryKey(r.URL.Path, q.Encode())
}
