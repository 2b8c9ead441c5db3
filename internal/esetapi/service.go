package esetapi

import "strings"

// service is what a call's hints need to know of the API it went to: what it reads, which endpoint setting
// leads there (detections are served by the incidents host), and which arguments select what it reads.
type service struct {
	records   string // as the ESET console's permission names them, e.g. "Incidents"
	setting   string // the provider setting of its endpoint
	env       string // the environment variable of that setting
	arguments string // what a 400 most likely refused
}

var (
	incidentService  = service{"Incidents", "incident_management_endpoint", "ESET_INCIDENT_MANAGEMENT_ENDPOINT", "the filter and order_by arguments"}
	detectionService = service{"Detections", "incident_management_endpoint", "ESET_INCIDENT_MANAGEMENT_ENDPOINT",
		"the arguments that select detections (device uuids, time window, detection uuids)"}
	deviceService = service{"Devices", "device_management_endpoint", "ESET_DEVICE_MANAGEMENT_ENDPOINT",
		"the arguments that select devices (display names, functionality status, group uuid)"}
	tokenService = service{"", "iam_endpoint", "ESET_IAM_ENDPOINT", ""}
	// unknownService words the hints of an APIError made outside the client, which names no service.
	unknownService = service{"the records it reads", "the endpoint settings", "ESET_*_ENDPOINT", "the arguments"}
)

// serviceOf tells the service from the path of a call's URL.
func serviceOf(path string) service {
	switch {
	case strings.Contains(path, "/incidents"):
		return incidentService
	case strings.Contains(path, "/detections"):
		return detectionService
	case strings.Contains(path, "/devices"), strings.Contains(path, "/device_groups"):
		return deviceService
	default:
		return tokenService
	}
}
