package simulator

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// Generate makes n realistic incidents, the same for the same seed: a mix of severities and statuses
// weighted as a real tenant's, closed incidents with resolve reasons and durations, some unassigned, and
// device and detection uuids that only the detail call returns. Incidents are created a few minutes apart,
// ending at a fixed time, so that time filters give the same answer on every run.
func Generate(seed uint64, n int) []esetapi.Incident {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	analysts := make([]string, 6)
	for i := range analysts {
		analysts[i] = newUUID(rng)
	}
	devices := make([]string, max(n/4, 8))
	for i := range devices {
		devices[i] = newUUID(rng)
	}
	end := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	step := 7 * time.Minute
	incidents := make([]esetapi.Incident, n)
	for i := range incidents {
		created := end.Add(-time.Duration(n-i) * step).Add(time.Duration(rng.IntN(300)) * time.Second)
		updated := created.Add(time.Duration(rng.IntN(72*3600)) * time.Second)
		inc := esetapi.Incident{
			UUID:          newUUID(rng),
			DisplayName:   fmt.Sprintf("%s on %s", pick(rng, threats), pick(rng, hosts)),
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
		for range 1 + rng.IntN(3) {
			inc.DeviceUUIDs = append(inc.DeviceUUIDs, devices[rng.IntN(len(devices))])
		}
		for range 1 + rng.IntN(5) {
			inc.DetectionUUIDs = append(inc.DetectionUUIDs, newUUID(rng))
		}
		inc.Metrics = esetapi.IncidentMetrics{
			DeviceCount:     esetapi.Int64(len(inc.DeviceUUIDs)),
			ExecutableCount: esetapi.Int64(rng.IntN(12)),
			ProcessCount:    esetapi.Int64(rng.IntN(40)),
		}
		incidents[i] = inc
	}
	return incidents
}

var (
	threats      = []string{"Ransomware behaviour", "Credential dumping", "Suspicious PowerShell", "Lateral movement", "Malicious macro", "Cryptominer", "Unusual outbound traffic", "Persistence via scheduled task"}
	hosts        = []string{"FIN-LAPTOP-12", "web-01", "db-prod-3", "HR-DESKTOP-7", "build-agent-2", "dc-01", "mail-gw", "DEV-MAC-4"}
	descriptions = []string{"Detected by ESET Inspect rule.", "Correlated from several detections on one device.", "", "Raised by ESET LiveGuard analysis.", "Escalated by the MDR team."}
	tagPool      = []string{"mdr", "vip", "server", "workstation", "false-positive-candidate"}
)

func pick(rng *rand.Rand, from []string) string { return from[rng.IntN(len(from))] }

func weighted(rng *rand.Rand, values []string, weights []int) string {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := rng.IntN(total)
	for i, w := range weights {
		if n < w {
			return values[i]
		}
		n -= w
	}
	return values[len(values)-1]
}

func ptr[T any](v T) *T { return &v }

// newUUID makes an RFC 4122 version 4 uuid from rng, so that data sets are reproducible.
func newUUID(rng interface{ Uint64() uint64 }) string {
	hi, lo := rng.Uint64(), rng.Uint64()
	hi = hi&^0xf000 | 0x4000
	lo = lo&^(0xc<<60) | 0x8<<60
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", hi>>32, hi>>16&0xffff, hi&0xffff, lo>>48, lo&0xffffffffffff)
}
