package esetapi

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"syscall"
)

// ConnectionError is a service that could not be reached at all: its host name does not resolve, or it
// refuses connections. Both come from a wrong region or endpoint far more often than from an outage, so
// they are reported at once rather than retried for a minute.
type ConnectionError struct {
	// Operation says what was being done, e.g. "list incidents" or "get a token".
	Operation string
	Host      string
	Err       error
	// service is the API the call went to, whose endpoint setting the hint names.
	service service
}

func (e *ConnectionError) Error() string {
	return fmt.Sprintf("%s: cannot reach %s: %v. Check the region (or ESET_REGION) and %s (or %s)", e.Operation, e.Host, e.Err, e.service.setting, e.service.env)
}

func (e *ConnectionError) Unwrap() error { return e.Err }

// unreachable returns a *ConnectionError when err says that the host does not resolve or refuses
// connections, and nil otherwise.
func unreachable(op string, err error) *ConnectionError {
	var dnsErr *net.DNSError
	var cause error
	switch {
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		cause = fmt.Errorf("the host name %q does not resolve", dnsErr.Name)
	case errors.Is(err, syscall.ECONNREFUSED):
		cause = errors.New("the connection was refused")
	default:
		return nil
	}
	host, svc := "", tokenService
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		if u, perr := url.Parse(urlErr.URL); perr == nil {
			host, svc = u.Host, serviceOf(u.Path)
		}
	}
	return &ConnectionError{Operation: op, Host: host, Err: cause, service: svc}
}
