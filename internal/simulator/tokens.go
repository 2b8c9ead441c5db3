package simulator

// IssuedTokens returns every access and refresh token the server has handed out and still knows, so that
// tests can check that none of them leaked into logs or state.
func (s *Server) IssuedTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	tokens := make([]string, 0, len(s.tokens)+len(s.refresh))
	for t := range s.tokens {
		tokens = append(tokens, t)
	}
	for t := range s.refresh {
		tokens = append(tokens, t)
	}
	return tokens
}
