package esetapi

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Regions lists the ESET Connect regions, each with its own token service, incidents API (which also serves
// detections) and device API. One token serves every service of a region.
var Regions = []string{"eu", "de", "us", "ca", "jpn"}

// DefaultIAMEndpoint is the base URL of a region's token service.
func DefaultIAMEndpoint(region string) string {
	return "https://" + region + ".business-account.iam.eset.systems"
}

// DefaultIncidentManagementEndpoint is the base URL of a region's incidents API.
func DefaultIncidentManagementEndpoint(region string) string {
	return "https://" + region + ".incident-management.eset.systems"
}

// DefaultDeviceManagementEndpoint is the base URL of a region's device API (devices and device groups).
func DefaultDeviceManagementEndpoint(region string) string {
	return "https://" + region + ".device-management.eset.systems"
}

// CheckEndpoint accepts an absolute https URL, or an http URL whose host is loopback: credentials and
// tokens must never cross a network in clear text, but the simulator and tests serve plain HTTP on loopback.
func CheckEndpoint(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			err = urlErr.Err // without the URL, which may hold a password
		}
		return fmt.Errorf("it is not a URL: %v", err)
	}
	if u.User != nil {
		// The message must not show what it refuses: the part before @ may be a password.
		return fmt.Errorf("%q holds a user name or password before @: give credentials as username and password, never in the URL", u.Scheme+"://***@"+u.Host)
	}
	if u.Host == "" {
		return fmt.Errorf("%q is not an absolute URL: write it as https://host[:port]", raw)
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(raw, "#") {
		return fmt.Errorf("%q has a query or a fragment: write the base URL only, as https://host[:port]", raw)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if IsLoopback(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("%q uses http, which would send credentials and tokens in clear text: use https (plain http is allowed only for loopback hosts such as 127.0.0.1, ::1 or localhost)", raw)
	default:
		return fmt.Errorf("%q has scheme %q: use https", raw, u.Scheme)
	}
}

// IsLoopback reports whether host names this machine only: localhost, 127.0.0.0/8 or ::1.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
