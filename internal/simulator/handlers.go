package simulator

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/query"
)

const (
	defaultPageSize = 50
	maxPageSize     = 1000
	// maxCachedQueries bounds the memory kept for the sorted results of recent queries.
	maxCachedQueries = 32
)

// cachedQuery is the filtered, sorted result of one (filter, orderBy) pair, kept so that paging through
// 100,000 incidents filters them once, not once per page.
type cachedQuery struct {
	indexes []int
	used    time.Time
}

// pendingQuery is a list answer held back behind a 202 until readyAt.
type pendingQuery struct {
	url     string
	body    []byte
	created time.Time
	readyAt time.Time
}

// The documented lifetimes of a cached query: a result not fetched within 10 minutes is dropped (404), and
// a query not ready within 120 s ends in 504.
const (
	pendingRetention = 10 * time.Minute
	pendingTimeout   = 120 * time.Second
)

// newRand returns a source of fault decisions safe for concurrent handlers.
func newRand() func() float64 {
	var mu sync.Mutex
	r := rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	return func() float64 {
		mu.Lock()
		defer mu.Unlock()
		return r.Float64()
	}
}

func writeError(w http.ResponseWriter, status int, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"code": code, "message": msg, "details": []any{}})
}

// serveToken is the IAM token endpoint: the password and refresh_token grants, form-encoded only.
func (s *Server) serveToken(w http.ResponseWriter, r *http.Request) {
	s.tokenN.Add(1)
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/x-www-form-urlencoded" {
		writeError(w, http.StatusUnsupportedMediaType, 3, "content type must be application/x-www-form-urlencoded")
		return
	}
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, 3, "malformed form body")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch r.PostForm.Get("grant_type") {
	case "password":
		if r.PostForm.Get("username") != s.opts.Username || r.PostForm.Get("password") != s.opts.Password {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant", "error_description": "Invalid user credentials"})
			return
		}
	case "refresh_token":
		rt := r.PostForm.Get("refresh_token")
		if !s.refresh[rt] {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant", "error_description": "Invalid refresh token"})
			return
		}
		delete(s.refresh, rt)
	default:
		writeError(w, http.StatusBadRequest, 3, "unsupported grant_type")
		return
	}
	access, refresh := "sim-at-"+newSecret(), "sim-rt-"+newSecret()
	s.issued = append(s.issued, access, refresh)
	s.tokens[access] = &token{expires: time.Now().Add(s.opts.TokenLifetime), callsLeft: s.opts.TokenCalls}
	s.refresh[refresh] = true
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"access_token": access, "refresh_token": refresh, "token_type": "Bearer",
		"expires_in": int(s.opts.TokenLifetime / time.Second),
	})
}

func newSecret() string { return strings.ReplaceAll(newID(), "-", "") }

// api wraps an API handler with what every call meets first: latency, the rate limit, transient faults
// and the bearer token check. It counts calls, answers and calls in flight.
func (s *Server) api(next func(http.ResponseWriter, *http.Request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		n := s.inFlight.Add(1)
		defer s.inFlight.Add(-1)
		for {
			m := s.maxIn.Load()
			if n <= m || s.maxIn.CompareAndSwap(m, n) {
				break
			}
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			if rec.status == 0 {
				return
			}
			s.mu.Lock()
			s.status[rec.status]++
			s.mu.Unlock()
		}()
		if s.opts.Latency > 0 {
			select {
			case <-time.After(s.opts.Latency):
			case <-r.Context().Done():
				// The caller left before an answer: there is none to count (not a 200).
				rec.status = 0
				return
			}
		}
		if s.overRateLimit() {
			s.retryAfter(rec)
			writeError(rec, http.StatusTooManyRequests, 8, "Rate limit reached. Try again later.")
			return
		}
		if s.opts.TransientRate > 0 && s.rand() < s.opts.TransientRate {
			statuses := []int{429, 500, 502, 503, 504}
			status := statuses[int(s.rand()*float64(len(statuses)))%len(statuses)]
			s.retryAfter(rec)
			writeError(rec, status, 14, http.StatusText(status)+" (injected fault)")
			return
		}
		if !s.authorized(r) {
			writeError(rec, http.StatusUnauthorized, 16, "Token has expired or is invalid.")
			return
		}
		next(rec, r)
	}
}

func (s *Server) retryAfter(w http.ResponseWriter) {
	if s.opts.RetryAfter != "" {
		w.Header().Set("Retry-After", s.opts.RetryAfter)
	}
}

// overRateLimit counts the call and reports whether it is past the limit in the last second (a sliding
// window, the strictest reading of the documented limit).
func (s *Server) overRateLimit() bool {
	if s.opts.RateLimit <= 0 {
		return false
	}
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	cut := 0
	for cut < len(s.window) && now.Sub(s.window[cut]) >= time.Second {
		cut++
	}
	s.window = s.window[cut:]
	if len(s.window) >= s.opts.RateLimit {
		return true
	}
	s.window = append(s.window, now)
	return false
}

func (s *Server) authorized(r *http.Request) bool {
	bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tokens[bearer]
	if t == nil || time.Now().After(t.expires) {
		return false
	}
	if s.opts.TokenCalls > 0 {
		if t.callsLeft <= 0 {
			return false
		}
		t.callsLeft--
	}
	return true
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

// serveList is GET /v2/incidents.
func (s *Server) serveList(w http.ResponseWriter, r *http.Request) {
	s.listN.Add(1)
	if id := r.Header.Get("response-id"); id != "" {
		s.servePending(w, r, id)
		return
	}
	q := r.URL.Query()
	pageSize := defaultPageSize
	if v := q.Get("pageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, 3, fmt.Sprintf("invalid pageSize %q: must be a non-negative integer", v))
			return
		}
		if n > 0 {
			pageSize = min(n, maxPageSize)
		}
	}
	filter, orderBy := q.Get("filter"), q.Get("orderBy")
	key := queryKey(filter, orderBy)
	offset := 0
	if tok := q.Get("pageToken"); tok != "" {
		var ok bool
		if offset, ok = parsePageToken(tok, key); !ok {
			writeError(w, http.StatusBadRequest, 3, "invalid page token: it does not belong to this filter and orderBy")
			return
		}
	}
	indexes, err := s.query(filter, orderBy, key)
	if err != nil {
		writeError(w, http.StatusBadRequest, 3, err.Error())
		return
	}
	end := min(offset+pageSize, len(indexes))
	next := ""
	if end < len(indexes) {
		next = pageToken(key, end)
		if s.opts.RepeatPageToken && offset > 0 {
			next = pageToken(key, pageSize)
		}
	}
	body := s.encodePage(indexes[min(offset, end):end], next)
	if s.opts.SlowRate > 0 && s.rand() < s.opts.SlowRate {
		id := newID()
		s.mu.Lock()
		s.pending[id] = &pendingQuery{url: r.URL.RawQuery, body: body, created: time.Now(), readyAt: time.Now().Add(s.opts.SlowReady)}
		s.mu.Unlock()
		w.Header().Set("response-id", id)
		w.WriteHeader(http.StatusAccepted)
		return
	}
	s.writeBody(w, body)
}

// servePending answers a query resent with a response-id: 202 while not ready, the cached answer once,
// then 404, as the API does; 504 for a query not ready within SlowTimeout, 404 after 10 minutes unfetched.
func (s *Server) servePending(w http.ResponseWriter, r *http.Request, id string) {
	now := time.Now()
	s.mu.Lock()
	p := s.pending[id]
	ready := p != nil && p.url == r.URL.RawQuery && !now.Before(p.readyAt)
	timedOut := p != nil && !ready && now.Sub(p.created) >= s.opts.SlowTimeout
	if p != nil && now.Sub(p.created) >= pendingRetention {
		p = nil
	}
	if ready || timedOut || p == nil {
		delete(s.pending, id)
	}
	s.mu.Unlock()
	switch {
	case p == nil || p.url != r.URL.RawQuery:
		writeError(w, http.StatusNotFound, 5, "no cached response for this response-id")
	case timedOut:
		writeError(w, http.StatusGatewayTimeout, 4, "Action took too long; timeout reached")
	case !ready:
		w.Header().Set("response-id", id)
		w.WriteHeader(http.StatusAccepted)
	default:
		s.writeBody(w, p.body)
	}
}

func (s *Server) writeBody(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	if s.opts.MalformedRate > 0 && s.rand() < s.opts.MalformedRate {
		body = body[:len(body)/2]
	}
	_, _ = w.Write(body)
}

// query returns the indexes of the incidents matching filter in orderBy's order, from the cache when the
// same query was answered before.
func (s *Server) query(filter, orderBy, key string) ([]int, error) {
	s.mu.Lock()
	if c := s.queries[key]; c != nil {
		c.used = time.Now()
		s.mu.Unlock()
		return c.indexes, nil
	}
	s.mu.Unlock()

	keys, err := query.ParseOrderBy(orderBy)
	if err != nil {
		return nil, fmt.Errorf("invalid orderBy: %v", err)
	}
	var program *query.Program
	if filter != "" {
		if program, err = query.Compile(filter); err != nil {
			return nil, fmt.Errorf("invalid filter: %v", err)
		}
	}
	indexes := make([]int, 0, len(s.opts.Incidents))
	for i := range s.opts.Incidents {
		if program != nil {
			ok, err := program.Match(&s.opts.Incidents[i])
			if err != nil {
				return nil, fmt.Errorf("invalid filter: %v", err)
			}
			if !ok {
				continue
			}
		}
		indexes = append(indexes, i)
	}
	if len(keys) > 0 {
		slices.SortStableFunc(indexes, func(a, b int) int {
			return query.Compare(&s.opts.Incidents[a], &s.opts.Incidents[b], keys)
		})
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.queries) >= maxCachedQueries {
		oldest := ""
		for k, c := range s.queries {
			if oldest == "" || c.used.Before(s.queries[oldest].used) {
				oldest = k
			}
		}
		delete(s.queries, oldest)
	}
	s.queries[key] = &cachedQuery{indexes: indexes, used: time.Now()}
	return indexes, nil
}

func queryKey(filter, orderBy string) string {
	sum := sha256.Sum256([]byte(filter + "\x00" + orderBy))
	return base64.RawURLEncoding.EncodeToString(sum[:9])
}

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

// serveGet is GET /v2/incidents/{uuid}.
func (s *Server) serveGet(w http.ResponseWriter, r *http.Request) {
	s.getN.Add(1)
	uuid := r.PathValue("uuid")
	if status := s.opts.FailUUIDs[uuid]; status != 0 {
		writeError(w, status, 13, fmt.Sprintf("injected failure for incident %s", uuid))
		return
	}
	i, ok := s.byID[uuid]
	if !ok {
		writeError(w, http.StatusNotFound, 5, "Requested resource not found.")
		return
	}
	var buf bytes.Buffer
	buf.WriteString(`{"incident":`)
	s.encodeIncident(&buf, &s.opts.Incidents[i], true)
	buf.WriteString("}")
	s.writeBody(w, buf.Bytes())
}
