package simulator

import (
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"
)

// The middleware every API call meets first, and the error and body writers every handler shares.

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

// api wraps an API handler with what every call meets first: latency, the rate limit, transient faults,
// the bearer token check and ESET's published contract. It counts calls, answers and calls in flight.
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
		// The rate limit counts a call when it arrives, as a gateway in front of the service does; the
		// latency is the service's. Counted after it, a call's count time would also carry the jitter of a
		// 200 ms timer on a loaded machine, and the limit would measure the simulator, not its caller.
		if s.overRateLimit() {
			s.retryAfter(rec)
			writeError(rec, http.StatusTooManyRequests, 8, "Rate limit reached. Try again later.")
			return
		}
		if s.opts.Latency > 0 {
			select {
			case <-time.After(s.opts.Latency):
			case <-r.Context().Done():
				// The caller left before an answer: there is none to count (not a 200).
				rec.status = 0
				return
			}
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
		// The gateway checks a call against the published contract after its token, before the service.
		if serve := s.checkContract(rec, r, next); serve != nil {
			serve(rec, r)
		}
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

func (s *Server) writeBody(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	if s.opts.MalformedRate > 0 && s.rand() < s.opts.MalformedRate {
		body = body[:len(body)/2]
	}
	_, _ = w.Write(body)
}
