// Package openapi holds the part of ESET's published OpenAPI documents the provider uses: the operations it
// calls, trimmed to paths, parameters, schemas and limits (no prose), with their origin in ORIGIN.md. The
// simulator checks every request and answer against them; Trim makes them from the full documents and
// Diff compares them with the live ones (scripts/contract-trim.sh, scripts/contract-check.sh).
package openapi

import (
	"embed"
	"fmt"
)

//go:embed *.json
var files embed.FS

// Operation is one call the provider makes, as the documents name it.
type Operation struct {
	Service, Method, Path string
}

// Operations are the calls the provider makes, by service. The token endpoint (POST /oauth/token) is
// ESET's identity service, which publishes no document.
var Operations = []Operation{
	{"incident-management", "get", "/v2/incidents"},
	{"incident-management", "get", "/v2/incidents/{incidentUuid}"},
	{"incident-management", "get", "/v1/detections"},
	{"incident-management", "post", "/v2/detections:batchGet"},
	{"device-management", "get", "/v1/devices"},
	{"device-management", "get", "/v1/devices/{deviceUuid}"},
	{"device-management", "get", "/v1/device_groups"},
	{"device-management", "get", "/v1/device_groups/{groupUuid}/devices"},
}

// Services are the services whose documents are kept, in a fixed order.
var Services = []string{"incident-management", "device-management"}

// SourceURL is where ESET publishes a service's document.
func SourceURL(service string) string {
	return "https://eu.esetconnect.eset.systems/swagger/api/" + service + ".json"
}

// Kept returns the trimmed document of a service as the project keeps it.
func Kept(service string) ([]byte, error) {
	b, err := files.ReadFile(service + ".json")
	if err != nil {
		return nil, fmt.Errorf("no trimmed document for service %q: %w", service, err)
	}
	return b, nil
}
