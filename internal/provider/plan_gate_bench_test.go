package provider

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"net/http"
	neturl "net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/query"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// gateStatuses and gateSeverities are the plan-gate example's (examples/use-cases/plan-gate).
var (
	gateStatuses   = []string{"INCIDENT_STATUS_OPEN", "INCIDENT_STATUS_IN_PROGRESS", "INCIDENT_STATUS_WAITING_FOR_INPUT"}
	gateSeverities = []string{"INCIDENT_SEVERITY_LEVEL_HIGH"}
)

// BenchmarkPlanGate is the plan-gate example at fleet scale (issue 24), through the provider's protocol
// server as Terraform runs it, at the default pace against a simulator enforcing the API's 10 calls in
// any one second: eset_devices by the hosts' names, then eset_detections (24 hours, high severity) and
// eset_incidents (open, in progress or waiting, high severity, with details) of their devices at once,
// for 50 and 500 hosts of a tenant of 1,000 devices and 5,000 of one of 5,000. The tenant has 10,000
// detections a day and 5,000 incidents over 24 days, all closed but a few hundred of the newest.
//
// plan=chosen is the gate as the provider plans it; plan=per_device reads eset_incidents once per device
// (for_each, 10 at a time as Terraform's parallelism), as users did before any number of devices fitted
// one read. Both must find exactly the incidents the gate selects (the data's own answer). chosen also
// reports the calls of the cheapest correct plan of the whole gate (min-calls: the devices' name batches,
// or one page of every device when the tenant's devices fit one page; the fewer of the detection window
// and one listing per host; of the incidents' device groups, with the matches' details, and one listing
// without the devices with every candidate's details) and the least time those calls take at the
// provider's default pace (min-s, one spacing of 101.5 ms between overlapping calls), which issue 24 asks
// the gate to stay within 1.1x of, and within the API's limit alone (min-window-s: 10 in any 1.015 s). A
// gate whose read fails reports failed. BENCH_FLEET_HOSTS (e.g. "50 500") picks the sizes,
// BENCH_GATE_PER_DEVICE_HOSTS (default "50 500": 5,000 reads take over 8 minutes at the pace) those
// measured per device.
func BenchmarkPlanGate(b *testing.B) {
	perDeviceHosts := "50 500"
	if v, ok := os.LookupEnv("BENCH_GATE_PER_DEVICE_HOSTS"); ok {
		perDeviceHosts = v
	}
	for _, size := range []struct{ hosts, devices int }{{50, 1000}, {500, 1000}, {5000, 5000}} {
		if only := os.Getenv("BENCH_FLEET_HOSTS"); only != "" && !slices.Contains(strings.Fields(only), fmt.Sprint(size.hosts)) {
			continue
		}
		w := gateWorld(size.devices)
		byUUID := slices.Clone(w.Devices)
		slices.SortFunc(byUUID, func(a, b esetapi.Device) int { return strings.Compare(a.UUID, b.UUID) })
		var names []string // a sample: uuids are random
		for _, d := range byUUID[:size.hosts] {
			if !slices.Contains(names, d.DisplayName) {
				names = append(names, d.DisplayName)
			}
		}
		for _, plan := range []string{"per_device", "chosen"} {
			if plan == "per_device" && !slices.Contains(strings.Fields(perDeviceHosts), fmt.Sprint(size.hosts)) {
				continue
			}
			b.Run(fmt.Sprintf("hosts=%d/plan=%s", size.hosts, plan), func(b *testing.B) {
				for b.Loop() {
					g := newGate(b, w)
					devices, err := g.read("eset_devices", map[string]tftypes.Value{"display_names": stringList(names), "on_missing": tftypes.NewValue(tftypes.String, "error")})
					if err != nil {
						b.Fatal(err)
					}
					want := gateIncidents(w, devices)
					afterDevices := g.stats()
					var found []string
					var detections []string
					var detectionsErr error
					start := time.Now()
					if plan == "per_device" {
						found, err = g.perDevice(devices)
					} else {
						var wg sync.WaitGroup
						wg.Go(func() {
							detections, detectionsErr = g.read("eset_detections", map[string]tftypes.Value{"device_uuids": stringList(devices),
								"occurred_within": tftypes.NewValue(tftypes.String, "24h"), "severities": stringList([]string{"SEVERITY_LEVEL_HIGH"})})
						})
						found, err = g.read("eset_incidents", gateIncidentsConfig(devices))
						wg.Wait()
					}
					if err = cmp.Or(err, detectionsErr); err != nil {
						// A gate that fails is a figure (make bench's thresholds fail on it), not the end of the other sizes.
						b.ReportMetric(1, "failed")
						b.Logf("the gate failed: %.400s", err)
						continue
					}
					elapsed := time.Since(start)
					end := g.stats()
					if !slices.Equal(sortedCopy(found), sortedCopy(want)) {
						b.Fatalf("plan %s found %d incidents, not the %d the gate selects", plan, len(found), len(want))
					}
					calls := func(route string) float64 { return float64(end.Calls[route] - afterDevices.Calls[route]) }
					b.ReportMetric(elapsed.Seconds(), "s/op")
					b.ReportMetric(float64(len(found)), "incidents")
					b.ReportMetric(calls("GET /v2/incidents"), "incident-list-calls")
					b.ReportMetric(calls("GET /v2/incidents/{uuid}"), "incident-detail-calls")
					b.ReportMetric(float64(end.Status[http.StatusTooManyRequests]), "429s")
					if plan == "per_device" {
						continue
					}
					devicesCalls := float64(afterDevices.Calls["GET /v1/devices"])
					b.ReportMetric(devicesCalls, "device-calls")
					b.ReportMetric(calls("GET /v1/detections"), "detection-calls")
					b.ReportMetric(float64(len(detections)), "detections")
					// The whole gate: the devices' read and the rest.
					b.ReportMetric(elapsed.Seconds()+g.devicesTime.Seconds(), "gate-s")
					b.ReportMetric(devicesCalls+calls("GET /v1/detections")+calls("GET /v2/incidents")+calls("GET /v2/incidents/{uuid}"), "gate-calls")
					least := gateLeastCalls(w, g.url, names, devices)
					b.ReportMetric(float64(least.total()), "min-calls")
					b.ReportMetric(float64(least.incidents), "min-incident-calls")
					b.ReportMetric(paceTime(least.total()).Seconds(), "min-s")
					b.ReportMetric(windowFloor(least.total()).Seconds(), "min-window-s")
					b.Logf("cheapest plan: %+v", least)
				}
			})
		}
	}
}

// gateWorld is the benchmark's tenant: devices devices, 70,000 detections over 7 days, and 5,000 incidents
// 7 minutes apart of which all but the newest 600 are closed (about 360 are left open, in progress or
// waiting for input).
func gateWorld(devices int) simulator.World {
	w := simulator.GenerateWorld(simulator.WorldSpec{Seed: 24, Devices: devices, Detections: 70000, Incidents: 5000, End: time.Now()})
	for i := range w.Incidents[:len(w.Incidents)-600] {
		inc := &w.Incidents[i]
		if inc.Status != "INCIDENT_STATUS_CLOSED" {
			inc.Status, inc.ResolveReason = "INCIDENT_STATUS_CLOSED", "INCIDENT_RESOLVE_REASON_TRUE_POSITIVE"
			inc.ResponseDuration = new("86400s")
			if inc.TriageDuration == nil {
				inc.TriageDuration = new("600s")
			}
		}
	}
	return w
}

// gate is one provider process (one protocol server, one pace) and the simulator it reads.
type gate struct {
	sim         *simulator.Server
	server      tfprotov6.ProviderServer
	schemas     *tfprotov6.GetProviderSchemaResponse
	devicesTime time.Duration
	url         string
}

func newGate(b *testing.B, w simulator.World) *gate {
	opts := simulator.Options{Username: testUsername, Password: testPassword, Faults: simulator.Faults{RateLimit: esetapi.DefaultRequestsPerSecond}}
	opts.SetWorld(w)
	opts.Incidents = slices.Clone(w.Incidents)
	g := &gate{sim: simulator.New(opts), server: NewProtocol6Server("bench")()}
	var stop func()
	var err error
	g.url, stop, err = simulator.Listen(g.sim, "")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(stop)
	g.schemas = configureServer(b, g.server, g.url, esetapi.DefaultRequestsPerSecond)
	return g
}

func (g *gate) stats() simulator.Stats { return g.sim.Stats() }

// read reads typeName with attrs and returns its ids.
func (g *gate) read(typeName string, attrs map[string]tftypes.Value) ([]string, error) {
	start := time.Now()
	schema := g.schemas.DataSourceSchemas[typeName]
	config, err := tfprotov6.NewDynamicValue(schema.ValueType(), configValue(schema, attrs))
	if err != nil {
		return nil, err
	}
	resp, err := g.server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: typeName, Config: &config})
	if err != nil {
		return nil, err
	}
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return nil, fmt.Errorf("%s: %s: %s", typeName, d.Summary, d.Detail)
		}
	}
	state, err := resp.State.Unmarshal(schema.ValueType())
	if err != nil {
		return nil, err
	}
	var values map[string]tftypes.Value
	var list []tftypes.Value
	if err := state.As(&values); err != nil {
		return nil, err
	}
	if err := values["ids"].As(&list); err != nil {
		return nil, err
	}
	ids := make([]string, len(list))
	for i, v := range list {
		_ = v.As(&ids[i])
	}
	if typeName == "eset_devices" {
		g.devicesTime = time.Since(start)
	}
	return ids, nil
}

// perDevice reads the gate's incidents one device at a time, 10 reads at once, and returns every incident
// found, each once.
func (g *gate) perDevice(devices []string) ([]string, error) {
	var mu sync.Mutex
	var failed error
	seen := map[string]bool{}
	var found []string
	turns := make(chan struct{}, 10)
	var wg sync.WaitGroup
	for _, d := range devices {
		turns <- struct{}{}
		wg.Go(func() {
			defer func() { <-turns }()
			ids, err := g.read("eset_incidents", gateIncidentsConfig([]string{d}))
			mu.Lock()
			defer mu.Unlock()
			failed = cmp.Or(failed, err)
			for _, id := range ids {
				if !seen[id] {
					seen[id] = true
					found = append(found, id)
				}
			}
		})
	}
	wg.Wait()
	return found, failed
}

// gateIncidentsConfig is the example's eset_incidents.
func gateIncidentsConfig(devices []string) map[string]tftypes.Value {
	return map[string]tftypes.Value{
		"device_uuids": stringList(devices), "statuses": stringList(gateStatuses), "severities": stringList(gateSeverities),
		"order_by": tftypes.NewValue(tftypes.String, "create_time"), "include_details": tftypes.NewValue(tftypes.Bool, true),
		"strict": tftypes.NewValue(tftypes.Bool, true),
	}
}

func stringList(values []string) tftypes.Value {
	elems := make([]tftypes.Value, len(values))
	for i, v := range values {
		elems[i] = tftypes.NewValue(tftypes.String, v)
	}
	return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, elems)
}

func sortedCopy(values []string) []string { return slices.Sorted(slices.Values(values)) }

// isCandidate reports whether inc passes the gate's conditions but the devices.
func isCandidate(inc *esetapi.Incident) bool {
	return slices.Contains(gateStatuses, inc.Status) && slices.Contains(gateSeverities, inc.Severity)
}

// gateIncidents is what the gate must find: the candidates involving one of devices.
func gateIncidents(w simulator.World, devices []string) []string {
	var out []string
	for i := range w.Incidents {
		if inc := &w.Incidents[i]; isCandidate(inc) && slices.ContainsFunc(inc.DeviceUUIDs, func(d string) bool { return slices.Contains(devices, d) }) {
			out = append(out, inc.UUID)
		}
	}
	return out
}

// leastCalls are the calls of the cheapest correct plan of each part of the gate.
type leastCalls struct{ devices, detections, incidents int }

func (l leastCalls) total() int { return l.devices + l.detections + l.incidents }

// gateLeastCalls works out the cheapest correct plan of the gate from the data, for the names asked (sent
// to url's /v1/devices) and the devices they found. It assumes every listing reads 1,000 a page, and a
// listing by key of n incidents ceil((n-1)/999) calls.
func gateLeastCalls(w simulator.World, url string, names, devices []string) leastCalls {
	pages := func(n int) int { return max(1, int(math.Ceil(float64(n)/1000))) }
	keyed := func(n int) int { return max(1, int(math.Ceil(float64(n-1)/999))) }
	var l leastCalls
	// The names: their URL batches, or one page of every device when the tenant's devices fit one page (a
	// consistent snapshot). A listing of several pages is no correct plan: paging by position can skip a
	// named device while others change.
	l.devices = nameBatches(url+"/v1/devices", names)
	if len(w.Devices) <= esetapi.MaxPageSize {
		l.devices = 1
	}
	window := 0
	since := w.End.Add(-24 * time.Hour)
	for _, d := range w.Detections {
		if at, _ := time.Parse(time.RFC3339Nano, d.OccurTime); !at.Before(since) {
			window++
		}
	}
	l.detections = min(pages(window), len(devices))

	// Incidents: one listing without the device condition and a detail call per candidate, or the device
	// groups, as many devices to a filter as fit in 200 characters (the statuses and severity evaluated
	// by the provider), and a detail call per match.
	candidates, matches := 0, len(gateIncidents(w, devices))
	for i := range w.Incidents {
		if isCandidate(&w.Incidents[i]) {
			candidates++
		}
	}
	lookup := keyed(candidates) + candidates
	perFilter := 0
	for perFilter < len(devices) && len([]rune(query.DevicesTerm("", devices[:perFilter+1]).Expr)) <= esetapi.MaxFilterChars {
		perFilter++
	}
	groups := matches
	for start := 0; start < len(devices); start += perFilter {
		group := devices[start:min(start+perFilter, len(devices))]
		n := 0
		for i := range w.Incidents {
			if slices.ContainsFunc(w.Incidents[i].DeviceUUIDs, func(d string) bool { return slices.Contains(group, d) }) {
				n++
			}
		}
		groups += keyed(n)
	}
	l.incidents = min(lookup, groups)
	return l
}

// nameBatches counts the list calls that send names as displayNames, each URL within esetapi.MaxURLBytes
// with room for the longest page token (128 characters escaped) and a full page's size: worked out here from
// the bound, not by the client's code it checks.
func nameBatches(base string, names []string) int {
	room := esetapi.MaxURLBytes - len("&pageToken=") - 3*128 - len(base+"?") - len("&pageSize=1000")
	batches, used := 0, room
	for _, name := range names {
		size := len("&displayNames=") + len(neturl.QueryEscape(name))
		if used+size > room {
			batches, used = batches+1, 0
		}
		used += size
	}
	return batches
}

// paceTime is the least time calls take at the provider's default pace: one spacing, 101.5 ms, between
// calls that overlap, as the detail calls of a lookup and the pages of the reads that run at once do (a
// read's pages alone may go at once while the window has room: windowFloor).
func paceTime(calls int) time.Duration {
	return time.Duration(max(0, calls-1)) * 101500 * time.Microsecond
}

// windowFloor is the least time calls take within the API's limit, 10 in any second (the pace's 1.015 s
// window): the k-th call goes no sooner than floor((k-1)/10) windows after the first.
func windowFloor(calls int) time.Duration {
	return time.Duration(max(0, calls-1)/esetapi.DefaultRequestsPerSecond) * 1015 * time.Millisecond
}
