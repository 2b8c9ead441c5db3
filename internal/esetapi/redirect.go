package esetapi

import (
	"fmt"
	"net/http"
	"net/url"
)

// RedirectError is a 3xx answer. The API and its token service document no redirects, and following one
// would resend the password form (307, 308) or the bearer token (same host, even from https to http) to
// wherever it points: the call fails instead, and nothing is sent there.
type RedirectError struct {
	// Operation says what was being done, e.g. "list incidents" or "get a token".
	Operation  string
	StatusCode int
	// Location is the origin (scheme://host[:port]) the answer pointed to; never its path or query.
	Location  string
	RequestID string
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("%s: the server answered HTTP %d %s, a redirect to %s (request-id: %s). The client follows no redirects, which "+
		"the API does not use, so that credentials never go to another origin: check the region and the endpoint settings",
		e.Operation, e.StatusCode, http.StatusText(e.StatusCode), e.Location, orUnknown(e.RequestID))
}

// refuseRedirect is the http.Client's CheckRedirect: it stops before the redirected request is sent.
func refuseRedirect(req *http.Request, _ []*http.Request) error {
	e := &RedirectError{Location: origin(req.URL)}
	if resp := req.Response; resp != nil {
		e.StatusCode = resp.StatusCode
		e.RequestID = resp.Header.Get(HeaderRequestID)
	}
	return e
}

func origin(u *url.URL) string {
	return (&url.URL{Scheme: u.Scheme, Host: u.Host}).String()
}
