package simulator

import (
	"encoding/json"
	"mime"
	"net/http"
	"strings"
	"time"
)

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
