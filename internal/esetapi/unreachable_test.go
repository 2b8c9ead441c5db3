package esetapi_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// TestUnreachable: a host that does not resolve, or refuses connections, is reported at once as "cannot
// reach <host>" with a hint at the region and endpoint settings, not retried for a minute and not called
// an authentication failure.
func TestUnreachable(t *testing.T) {
	t.Parallel()
	for name, dial := range map[string]func(ctx context.Context, network, addr string) (net.Conn, error){
		"does not resolve": func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, _ := net.SplitHostPort(addr)
			return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
		},
		"refuses connections": func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, "127.0.0.1:1")
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var dials atomic.Int32
			cfg := fastConfig()
			cfg.IAMEndpoint, cfg.IncidentManagementEndpoint = "https://xx.business-account.iam.eset.systems", "https://xx.incident-management.eset.systems"
			cfg.Transport = &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				dials.Add(1)
				return dial(ctx, network, addr)
			}}
			c, err := esetapi.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = listAll(testContext(t, 10*time.Second), c, esetapi.IncidentListOptions{})
			var connErr *esetapi.ConnectionError
			if !errors.As(err, &connErr) || !strings.Contains(err.Error(), "get a token: cannot reach xx.business-account.iam.eset.systems") ||
				!strings.Contains(err.Error(), "region") || strings.Contains(err.Error(), "authentication failed") {
				t.Fatalf("got %T: %v", err, err)
			}
			if n := dials.Load(); n != 1 {
				t.Errorf("%d dials, want 1", n)
			}
		})
	}
}

// TestListNotFoundHint: a 404 to the list call (an endpoint with a path appended) hints at the endpoint.
func TestListNotFoundHint(t *testing.T) {
	t.Parallel()
	e := newEnv(t, simulator.Options{}, fastConfig(), apiOverride(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
	}))
	_, _, err := listAll(testContext(t, 10*time.Second), e.client, esetapi.IncidentListOptions{})
	_ = assertAPIError(t, err, http.StatusNotFound, "", 1)
	if !strings.Contains(err.Error(), "incident_management_endpoint") {
		t.Errorf("no hint at the endpoint: %v", err)
	}
}

// TestUnreachableNamesTheService: a device endpoint that refuses connections is reported with the device
// endpoint's setting, not the incident one's.
func TestUnreachableNamesTheService(t *testing.T) {
	t.Parallel()
	e := newEnv(t, simulator.Options{}, fastConfig(), nil)
	cfg := fastConfig()
	cfg.IAMEndpoint, cfg.IncidentManagementEndpoint, cfg.DeviceManagementEndpoint = e.url, e.url, "http://127.0.0.1:1"
	c, err := esetapi.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = listDevices(testContext(t, 10*time.Second), c, esetapi.DeviceListOptions{})
	var connErr *esetapi.ConnectionError
	if !errors.As(err, &connErr) || !strings.Contains(err.Error(), "device_management_endpoint") || !strings.Contains(err.Error(), "ESET_DEVICE_MANAGEMENT_ENDPOINT") ||
		strings.Contains(err.Error(), "incident_management_endpoint") {
		t.Errorf("got %T: %v", err, err)
	}
}
