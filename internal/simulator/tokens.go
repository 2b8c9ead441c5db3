package simulator

import "slices"

// IssuedTokens returns every access and refresh token the server has handed out, used up ones included,
// so that tests can check that none of them leaked into logs or state.
func (s *Server) IssuedTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.issued)
}
