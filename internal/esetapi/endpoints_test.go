package esetapi_test

import (
	"strings"
	"testing"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// TestCheckEndpoint: https anywhere, plain http only on loopback, and nothing that is not an absolute URL.
func TestCheckEndpoint(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		url  string
		want string // a part of the error; "" for none
	}{
		{"https://eu.incident-management.eset.systems", ""},
		{"https://10.0.0.5:8443", ""},
		{"http://127.0.0.1:8080", ""},
		{"http://127.5.5.5", ""},
		{"http://[::1]:9000", ""},
		{"http://localhost:9000", ""},
		{"http://LOCALHOST", ""},
		{"http://eu.incident-management.eset.systems", "clear text"},
		{"http://10.0.0.5:8080", "clear text"},
		{"http://[::2]:80", "clear text"},
		{"http://localhost.evil.example", "clear text"},
		{"http://127.0.0.1.nip.io", "clear text"},
		{"ftp://eu.incident-management.eset.systems", "use https"},
		{"eu.incident-management.eset.systems", "not an absolute URL"},
		{"/v2/incidents", "not an absolute URL"},
		{"", "not an absolute URL"},
		{"https://", "not an absolute URL"},
		{"https://exa mple.com", "not a URL"},
		{"http://[::1", "not a URL"},
		{"::::", "not a URL"},
		{"https://user:hunter2@eu.incident-management.eset.systems", "user name or password"},
		{"https://hunter2@eu.incident-management.eset.systems", "user name or password"},
		{"https://user:hunter2 x@eu.incident-management.eset.systems", "user name or password"},
		{"https://eu.incident-management.eset.systems?tenant=1", "query or a fragment"},
		{"https://eu.incident-management.eset.systems?", "query or a fragment"},
		{"https://eu.incident-management.eset.systems#x", "query or a fragment"},
		{"https://eu.incident-management.eset.systems#", "query or a fragment"},
		// Without a scheme Go reads "admin" as the scheme and the rest as opaque: u.User is nil.
		{"admin:S3cretPw@eu.business-account.iam.eset.systems", "user name or password"},
		{"admin:S3cretPw@127.0.0.1:8080", "user name or password"},
		{"https:admin:S3cretPw@eu.business-account.iam.eset.systems", "user name or password"},
		{"admin:S3cretPw", "not an absolute URL"},
		{"https://eu.incident-management.eset.systems?api_key=S3cretKey", "query or a fragment"},
		{"https://eu.incident-management.eset.systems#S3cretKey", "query or a fragment"},
		{"https://eu.incident-management.eset.systems:S3cretKey", "not a URL"},
		{"https://eu.incident-management.eset.systems/%zzS3cret", "not a URL"},
		{"ftp://eu.incident-management.eset.systems/S3cret", "use https"},
		{"http://10.0.0.5/S3cret", "clear text"},
	} {
		err := esetapi.CheckEndpoint(tc.url)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q: unexpected error %v", tc.url, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%q: error %v, want one saying %q", tc.url, err, tc.want)
		case err != nil && (strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "S3cret")):
			t.Errorf("%q: the error shows the password: %v", tc.url, err)
		}
	}
}

// TestNewRefusesBadConfig: New checks both endpoints and the credentials before any call.
func TestNewRefusesBadConfig(t *testing.T) {
	t.Parallel()
	good := esetapi.Config{IAMEndpoint: "https://iam.example", IncidentManagementEndpoint: "https://im.example", Username: "u", Password: "p"}
	if _, err := esetapi.New(good); err != nil {
		t.Fatal(err)
	}
	for name, mutate := range map[string]func(*esetapi.Config){
		"IAM endpoint":                  func(c *esetapi.Config) { c.IAMEndpoint = "http://iam.example" },
		"incident management endpoint":  func(c *esetapi.Config) { c.IncidentManagementEndpoint = "im.example" },
		"device management endpoint":    func(c *esetapi.Config) { c.DeviceManagementEndpoint = "http://dm.example" },
		"username and password":         func(c *esetapi.Config) { c.Password = "" },
		"username and password are req": func(c *esetapi.Config) { c.Username = "" },
	} {
		cfg := good
		mutate(&cfg)
		if _, err := esetapi.New(cfg); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: got %v", name, err)
		}
	}
}

// TestDefaultEndpoints: every service of a region has its host.
func TestDefaultEndpoints(t *testing.T) {
	t.Parallel()
	for _, region := range esetapi.Regions {
		for _, u := range []string{esetapi.DefaultIAMEndpoint(region), esetapi.DefaultIncidentManagementEndpoint(region), esetapi.DefaultDeviceManagementEndpoint(region)} {
			if err := esetapi.CheckEndpoint(u); err != nil || !strings.HasPrefix(u, "https://"+region+".") {
				t.Errorf("%s: %q %v", region, u, err)
			}
		}
	}
	if got := esetapi.DefaultDeviceManagementEndpoint("jpn"); got != "https://jpn.device-management.eset.systems" {
		t.Errorf("got %q", got)
	}
}
