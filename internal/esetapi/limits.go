package esetapi

import (
	"fmt"
	"io"
	"time"
)

// Every bound the client enforces is here, with the reason for its value: the API's published limits,
// what a server can make the client do, and what the pace ledger's files can. The defaults of Config
// fields that are not bounds are in config.go; the pace's and the token's tuning stays beside their code.

// The limits of the API, and of the servers and proxies on the way to it, which the client keeps to rather
// than be refused.
const (
	// MaxFilterChars and MaxOrderByChars are the published limits of GET /v2/incidents' parameters (ESET's
	// OpenAPI document of the Incident Management API: maxLength), counted in characters; the gateway
	// refuses a longer value with a 400.
	MaxFilterChars  = 200
	MaxOrderByChars = 100
	// MaxPageSize is the largest page the API serves; larger requests are coerced to it.
	MaxPageSize = 1000
	// MaxDetectionBatch is the most detection uuids BatchGetDetections sends in one call: the API
	// recommends at most 100 and may answer 500 above.
	MaxDetectionBatch = 100
	// MaxURLBytes bounds the length of a list call's URL, page token included, when display names are
	// sent: 8 KiB is the smallest request-line limit of common servers and proxies (Apache's 8,190 bytes,
	// nginx's 8 KiB header buffers), so a longer list of names is split over several calls rather than
	// risk a 414.
	MaxURLBytes = 8 << 10
	// pageTokenRoom keeps room in a URL for "&pageToken=" and the longest token the pager follows.
	pageTokenRoom = len("&pageToken=") + maxPageTokenBytes
)

// Bounds on what a server can make the client do. The API documents none of these cases; a server that
// meets them is broken or hostile, and the read fails with an error that says which bound it met.
const (
	// DefaultMaxBodyBytes bounds one answer's body: a full page of 1,000 incidents is about 1 MiB.
	DefaultMaxBodyBytes = 64 << 20
	// maxErrorBody bounds how much of an error body is read: messages are short, and a proxy's HTML page
	// must not flood a diagnostic.
	maxErrorBody = 64 << 10
	// maxQuoted bounds how much of a value from the server an error quotes: enough to recognise it, while
	// a value of megabytes does not flood a diagnostic.
	maxQuoted = 64
	// DefaultMaxPages stops a listing that goes on past this many pages, which only a broken API would
	// send (Config.MaxPages).
	DefaultMaxPages = 10000
	// MaxListed is the most items one listing returns: DefaultMaxPages full pages. It fits an int on every
	// platform, 32-bit ones included.
	MaxListed = DefaultMaxPages * MaxPageSize
	// maxPageTokenBytes bounds a page token as the client sends it back, escaped: the published limit of
	// 128 characters (pageToken's maxLength), each escaped into three bytes at worst, which is the room
	// pageTokenRoom keeps in a URL. A longer token would be refused by the API itself, or make the URL
	// pass MaxURLBytes; refusing it here names the fault rather than send it.
	maxPageTokenBytes = 3 * 128
	// MaxGroupDepth bounds the levels of the group tree ListDeviceGroups accepts, the root included.
	// Trees in ESET PROTECT are organisational: All, Companies, a company, its sites and their departments
	// are a dozen levels, MSP hierarchies a few more. The bound makes a path at most that many names, so
	// the paths of every group together hold at most MaxGroupDepth times the names' bytes, where a chain of
	// n groups would hold n²/2 names (20,000 groups: 200 million names).
	MaxGroupDepth = 64

	// maxPolls bounds the 202 answers to one query, about 4 minutes at the longest poll interval: twice
	// the 120 s the API keeps a cached query.
	maxPolls = 30
	// maxPollInterval bounds the wait between two polls of a 202's cached result, however long
	// Config.PollInterval: the API keeps a cached query for 120 s.
	maxPollInterval = 10 * time.Second
	// maxResends bounds how often a query is sent anew after the API dropped its cached result (404 or 504
	// to a response-id).
	maxResends = 5
	// maxRenewals bounds the token renewals of one call: a token service that hands out tokens the API
	// refuses must not make a call renew for ever.
	maxRenewals = 3
	// MaxRetryAfter is the longest Retry-After the client waits for; a longer one is reported at once.
	MaxRetryAfter = 10 * time.Minute
	// minTokenLifetime is the shortest lifetime a token is taken to have, however short the announced one:
	// a few seconds would make nearly every call renew first; a 401 still renews a token that expired.
	minTokenLifetime = 30 * time.Second
)

// Bounds on what the pace ledger's files, or another process that writes them, can make the client do.
const (
	// ledgerWait bounds one update of the ledger: waiting for the process's queue and another process's
	// lock, reading and writing. Past it the pacer gives the ledger up for a while.
	ledgerWait = 3 * time.Second
	// ledgerLockWait bounds the wait for another process's lock, held for a read and a write of a few
	// hundred bytes, within ledgerWait.
	ledgerLockWait = 2 * time.Second
	// ledgerOpenTries is how many times a file of the ledger is opened when its name is replaced meanwhile:
	// the processes that keep the ledger replace it only under the lock, so more is something else's work.
	ledgerOpenTries = 3
	// maxLedgerBytes bounds the ledger read: 1,000 send times (the highest pace the provider allows) take
	// 21 KiB; a larger file is not a ledger.
	maxLedgerBytes = 64 << 10
	// inFlightBound is how long another process's call in flight counts as going out now: longer than a
	// connection takes to be set up (a TLS handshake), short enough that the calls of a process killed
	// mid-call do not hold the next one back for long. Past it the call counts from then.
	inFlightBound = 5 * time.Second
	// ledgerStallWindows is how many windows a call may be held back through the ledger by times that do
	// not behave as sends before the pacer gives it up (see ledgerWatch): times rewritten rather than
	// added to are a file written by something else. Times that other processes add as they send hold a
	// call back as long as they take the turns; pacing alone would not give this process more of the limit.
	ledgerStallWindows = 4
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
