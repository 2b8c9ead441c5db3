package esetapi

import "net/http"

// integrationName is sent in ESET's 3rd-integration header, which helps ESET support tell callers apart.
const integrationName = "terraform-provider-eset"

// identifyingTransport is the layer that says who calls (see transport.go): it sends the User-Agent and
// ESET's 3rd-integration header with every request.
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
