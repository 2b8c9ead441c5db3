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
// Its errors never show the value they refuse, which may hold a password or key (in the user part, the
// query, or after a missing scheme, where Go reads "admin" of admin:pw@host as the scheme): at most
// scheme://host of a URL that parsed.
func CheckEndpoint(raw string) error {
	if holdsUserInfo(raw) {
		return errors.New("the value holds a user name or password before @: give credentials as username and password, never in the URL")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return errors.New("it is not a URL: write it as https://host[:port]")
	}
	if u.Host == "" {
		return errors.New("the value is not an absolute URL: write it as https://host[:port]")
	}
	base := u.Scheme + "://" + u.Host
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(raw, "#") {
		return fmt.Errorf("%q has a query or a fragment: write the base URL only, as https://host[:port]", base)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if IsLoopback(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("%q uses http, which would send credentials and tokens in clear text: use https (plain http is allowed only for loopback hosts such as 127.0.0.1, ::1 or localhost)", base)
	default:
		return fmt.Errorf("%q has scheme %q: use https", base, u.Scheme)
	}
}

// holdsUserInfo reports an @ before the first / after the scheme (with or without its //): the place of
// user:password in a URL, whether or not Go would parse it as one.
func holdsUserInfo(raw string) bool {
	rest := raw
	if i := strings.Index(rest, "://"); i >= 0 {
		rest = rest[i+len("://"):]
	}
	if i := strings.Index(rest, "/"); i >= 0 {
		rest = rest[:i]
	}
	return strings.Contains(rest, "@")
}

// IsLoopback reports whether host names this machine only: localhost, 127.0.0.0/8 or ::1.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
