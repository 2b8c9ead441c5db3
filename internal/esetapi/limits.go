package esetapi

import (
	"fmt"
	"io"
	"time"
)

// Bounds on what a server can make the client do. The API documents none of these cases; a server that
// meets them is broken or hostile, and the read fails with an error that says which bound it met.
const (
	// DefaultMaxBodyBytes bounds one answer's body: a full page of 1,000 incidents is about 1 MiB.
	DefaultMaxBodyBytes = 64 << 20
	// maxPolls bounds the 202 answers to one query, about 4 minutes at the longest poll interval: twice
	// the 120 s the API keeps a cached query.
	maxPolls = 30
	// MaxRetryAfter is the longest Retry-After the client waits for; a longer one is reported at once.
	MaxRetryAfter = 10 * time.Minute
)

// BodyTooLargeError is an answer whose body passed the client's limit.
type BodyTooLargeError struct{ Limit int64 }

func (e *BodyTooLargeError) Error() string {
	return fmt.Sprintf("the answer's body is larger than the limit of %s; it was not read further", byteSize(e.Limit))
}

func byteSize(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// limitedBody reads at most limit bytes of r, then fails with a *BodyTooLargeError rather than end
// quietly as io.LimitReader does, which would pass a cut body for a short one.
type limitedBody struct {
	r    io.Reader
	left int64
	max  int64
}

func (l *limitedBody) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// One byte more tells a body of exactly the limit from a larger one.
		var one [1]byte
		n, err := l.r.Read(one[:])
		if n > 0 {
			return 0, &BodyTooLargeError{Limit: l.max}
		}
		return 0, err
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// The published limits of GET /v2/incidents' parameters (ESET's OpenAPI document of the Incident
// Management API: maxLength), counted in characters; the gateway refuses a longer value with a 400.
const (
	MaxFilterChars  = 200
	MaxOrderByChars = 100
)

// MaxPageSize is the largest page the API serves; larger requests are coerced to it.
const MaxPageSize = 1000

// MaxListed is the most items one listing returns: DefaultMaxPages full pages. It fits an int on every
// platform, 32-bit ones included.
const MaxListed = DefaultMaxPages * MaxPageSize

// maxPageTokenBytes bounds a page token as the client sends it back, escaped: the published limit of
// 128 characters (pageToken's maxLength), each escaped into three bytes at worst, which is the room
// pageTokenRoom keeps in a URL. A longer token would be refused by the API itself, or make the URL pass
// MaxURLBytes; refusing it here names the fault rather than send it.
const maxPageTokenBytes = 3 * 128

// MaxURLBytes bounds the length of a list call's URL, page token included, when display names are sent:
// 8 KiB is the smallest request-line limit of common servers and proxies (Apache's 8,190 bytes, nginx's
// 8 KiB header buffers), so a longer list of names is split over several calls rather than risk a 414.
const MaxURLBytes = 8 << 10
