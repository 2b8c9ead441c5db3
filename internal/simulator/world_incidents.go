package simulator

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// incidentStep is the time between two incidents' creation.
const incidentStep = 7 * time.Minute

// generateIncidents makes n realistic incidents on the world's devices: a mix of severities and statuses
// weighted as a real tenant's, closed incidents with resolve reasons and durations, some unassigned. Each
// involves 1 to 3 devices (the first names it) and 1 to 5 detections on them from the hours before it,
// made with g. Incidents are created about 7 minutes apart, the last one just before end.
func generateIncidents(rng *rand.Rand, g *detectionGenerator, n int, end time.Time) []esetapi.Incident {
	analysts := make([]string, 6)
	for i := range analysts {
		analysts[i] = newUUID(rng)
	}
	incidents := make([]esetapi.Incident, n)
	for i := range incidents {
		created := end.Add(-time.Duration(n-i) * incidentStep).Add(time.Duration(rng.IntN(300)) * time.Second)
		updated := created.Add(time.Duration(rng.IntN(72*3600)) * time.Second)
		devices := []*esetapi.Device{g.pickIncidentDevice()}
		for range rng.IntN(3) {
			if d := g.pickDevice(true); !containsDevice(devices, d) {
				devices = append(devices, d)
			}
		}
		inc := esetapi.Incident{
			UUID:          newUUID(rng),
			DisplayName:   fmt.Sprintf("%s on %s", pick(rng, threats), devices[0].DisplayName),
			Description:   pick(rng, descriptions),
			CreateTime:    created.Format(time.RFC3339),
			UpdateTime:    updated.Format(time.RFC3339Nano),
			Severity:      weighted(rng, esetapi.Severities[1:], []int{50, 35, 15}),
			Status:        weighted(rng, esetapi.Statuses[1:], []int{30, 20, 40, 10}),
			ResolveReason: esetapi.ResolveUnspecified,
		}
		if rng.IntN(10) < 7 {
			inc.AssigneeUUID = &analysts[rng.IntN(len(analysts))]
		}
		if inc.Status != "INCIDENT_STATUS_OPEN" {
			inc.TriageDuration = ptr(fmt.Sprintf("%ds", 60+rng.IntN(6*3600)))
		}
		if inc.Status == "INCIDENT_STATUS_CLOSED" {
			inc.ResolveReason = weighted(rng, esetapi.ResolveReasons[1:], []int{50, 35, 15})
			inc.ResponseDuration = ptr(fmt.Sprintf("%d.%03ds", 600+rng.IntN(48*3600), rng.IntN(1000)))
		}
		for _, tag := range tagPool {
			if rng.IntN(5) == 0 {
				inc.Tags = append(inc.Tags, tag)
			}
		}
		for _, d := range devices {
			inc.DeviceUUIDs = append(inc.DeviceUUIDs, d.UUID)
		}
		inc.DetectionUUIDs = g.forIncident(devices, created, 1+rng.IntN(5), detectionSeverity[inc.Severity])
		inc.Metrics = esetapi.IncidentMetrics{
			DeviceCount:     esetapi.Int64(len(inc.DeviceUUIDs)),
			ExecutableCount: esetapi.Int64(rng.IntN(12)),
			ProcessCount:    esetapi.Int64(rng.IntN(40)),
		}
		incidents[i] = inc
	}
	return incidents
}

// detectionSeverity is the severity of an incident's first detection.
var detectionSeverity = map[string]string{
	"INCIDENT_SEVERITY_LEVEL_LOW":    "SEVERITY_LEVEL_LOW",
	"INCIDENT_SEVERITY_LEVEL_MEDIUM": "SEVERITY_LEVEL_MEDIUM",
	"INCIDENT_SEVERITY_LEVEL_HIGH":   "SEVERITY_LEVEL_HIGH",
}

func containsDevice(devices []*esetapi.Device, d *esetapi.Device) bool {
	for _, have := range devices {
		if have == d {
			return true
		}
	}
	return false
}

var (
	threats      = []string{"Ransomware behaviour", "Credential dumping", "Suspicious PowerShell", "Lateral movement", "Malicious macro", "Cryptominer", "Unusual outbound traffic", "Persistence via scheduled task"}
	descriptions = []string{"Detected by ESET Inspect rule.", "Correlated from several detections on one device.", "", "Raised by ESET LiveGuard analysis.", "Escalated by the MDR team."}
	tagPool      = []string{"mdr", "vip", "server", "workstation", "false-positive-candidate"}
)

func pick(rng *rand.Rand, from []string) string { return from[rng.IntN(len(from))] }

func weighted(rng *rand.Rand, values []string, weights []int) string {
	return values[weightedIndex(rng, weights)]
}

func ptr[T any](v T) *T { return &v }

// newUUID makes an RFC 4122 version 4 uuid from rng, so that data sets are reproducible.
func newUUID(rng interface{ Uint64() uint64 }) string {
	hi, lo := rng.Uint64(), rng.Uint64()
	hi = hi&^0xf000 | 0x4000
	lo = lo&^(0xc<<60) | 0x8<<60
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", hi>>32, hi>>16&0xffff, hi&0xffff, lo>>48, lo&0xffffffffffff)
}
