package esetapi

import "net/http"

// identifyingTransport sends the User-Agent and ESET's 3rd-integration header with every request.
type identifyingTransport struct {
	base      http.RoundTripper
	userAgent string
}

func (t *identifyingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	if t.userAgent != "" {
		req.Header.Set("User-Agent", t.userAgent)
	}
	req.Header.Set("3rd-integration", integrationName)
	return t.base.RoundTrip(req)
}
