// Command eset-simulator serves the ESET Connect API simulator (incidents, detections, devices, device
// groups) on loopback, for the demo and for trying the provider without an ESET account. It prints the base
// URL to use for every endpoint, the credentials it accepts and the time span its data covers.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// The credentials the simulator accepts unless told others: a demo's, printed on start.
const (
	defaultUser     = "demo-api-user@example.com"
	defaultPassword = "demo-password"
)

func main() {
	var (
		opts       simulator.Options
		addr       = flag.String("addr", "127.0.0.1:0", "loopback address to listen on")
		count      = flag.Int("incidents", 500, "number of synthetic incidents")
		devices    = flag.Int("devices", 0, "number of synthetic devices (default max(40, incidents/10))")
		detections = flag.Int("detections", 0, "number of synthetic detections besides the incidents' own (default 3 per device)")
		seed       = flag.Uint64("seed", 1, "seed of the synthetic data set")
		end        = flag.String("end", "", "RFC 3339 time the data ends at, for reproducible data (default: when the simulator starts)")
		urlFile    = flag.String("url-file", "", "also write the base URL to this file")
		failUUIDs  = flag.String("fail-uuids", "", "answer the calls that name these uuids (incident and device details, detection batch gets, group members, a device's detections) with an error: uuid=status,... (status defaults to 500)")
	)
	flag.StringVar(&opts.Username, "username", defaultUser, "API user name the token endpoint accepts")
	flag.StringVar(&opts.Password, "password", defaultPassword, "API user password the token endpoint accepts")
	flag.DurationVar(&opts.TokenLifetime, "token-lifetime", 0, "announced access token lifetime (default 60m)")
	flag.Float64Var(&opts.TransientRate, "transient-rate", 0, "fraction of API calls answered with a random 429/500/502/503/504")
	flag.StringVar(&opts.RetryAfter, "retry-after", "", "Retry-After header sent with 429 and injected faults")
	flag.IntVar(&opts.RateLimit, "rate-limit", 0, "answer 429 past this many API calls in any one second (0: none)")
	flag.Float64Var(&opts.SlowRate, "slow-rate", 0, "fraction of list queries answered 202 with a response-id")
	flag.DurationVar(&opts.SlowReady, "slow-ready", 0, "how long a 202 query takes to become ready")
	flag.DurationVar(&opts.SlowTimeout, "slow-timeout", 0, "answer 504 to a 202 query not ready within this long (default 120s)")
	flag.IntVar(&opts.TokenCalls, "token-calls", 0, "access tokens expire after this many API calls (0: only by time)")
	flag.BoolVar(&opts.Int64AsStrings, "int64-as-strings", false, "write int64 fields as JSON strings")
	flag.BoolVar(&opts.UnknownFields, "unknown-fields", false, "add fields and enum values newer than the docs")
	flag.BoolVar(&opts.RepeatPageToken, "repeat-page-token", false, "send the same next-page token on every page after the first")
	flag.DurationVar(&opts.Latency, "latency", 0, "delay every API answer")
	contract := flag.Bool("contract", true, "refuse with 400 (code 3) the calls ESET's published OpenAPI documents refuse (a filter over 200 characters, a malformed uuid); -contract=false serves them")
	flag.Float64Var(&opts.MalformedRate, "malformed-rate", 0, "fraction of answers whose body is cut short")
	flag.IntVar(&opts.Churn.PerCall, "churn", 0, "after each list call, make this many changes of what it listed, seeded by -seed: close incidents already sent, reopen, reassign, re-rate, create and delete incidents; move, enroll and remove devices; add late detections (0: none)")
	flag.Usage = func() {
		out := flag.CommandLine.Output()
		fmt.Fprintf(out, `Usage: eset-simulator [flags]

Serves ESET Connect's token, incident, detection, device and device group APIs on loopback with
synthetic data. Point every endpoint of the provider at the printed URL (any region), and sign in
with the -username and -password given (by default user %q, password %q).

The data ends when the simulator starts, unless -end fixes the time: incidents are created about
7 minutes apart before it, and the detections of devices that sync cover the incidents' span or the
last 7 days, whichever is longer; a device that stopped syncing (in Lost & Found) has its detections
from the days before its last sync, weeks earlier. The banner gives each range. The same -seed and
-end give the same data.

Flags:
`, defaultUser, defaultPassword)
		flag.PrintDefaults()
	}
	flag.Parse()

	spec := simulator.WorldSpec{Seed: *seed, Incidents: *count, Devices: *devices, Detections: *detections}
	if *end != "" {
		t, err := time.Parse(time.RFC3339, *end)
		if err != nil {
			log.Fatalf("-end %q: want an RFC 3339 time such as 2026-11-01T00:00:00Z", *end)
		}
		spec.End = t
	}
	opts.NoContract = !*contract
	world := simulator.GenerateWorld(spec)
	opts.Churn.Seed = *seed
	opts.SetWorld(world)
	if *failUUIDs != "" {
		opts.FailUUIDs = map[string]int{}
		for _, item := range strings.Split(*failUUIDs, ",") {
			uuid, code, _ := strings.Cut(strings.TrimSpace(item), "=")
			status, err := strconv.Atoi(code)
			if code == "" {
				status, err = http.StatusInternalServerError, nil
			}
			if err != nil || status < 400 || status > 599 {
				log.Fatalf("-fail-uuids: %q: want uuid=status with an HTTP error status", item)
			}
			opts.FailUUIDs[uuid] = status
		}
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		log.Fatalf("-addr %q: %v", *addr, err)
	}
	if !esetapi.IsLoopback(host) {
		log.Fatalf("refusing to listen on %s: the simulator serves plain HTTP and listens on loopback only", *addr)
	}
	srv := simulator.New(opts)
	baseURL, stop, err := simulator.Listen(withStats(srv), *addr)
	if err != nil {
		log.Fatal(err)
	}
	defer stop()
	if *urlFile != "" {
		if err := os.WriteFile(*urlFile, []byte(baseURL+"\n"), 0o600); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Printf("ESET API simulator at %s (every endpoint, any region)\n", baseURL)
	fmt.Printf("sign in as: user %q, password %q\n", opts.Username, opts.Password)
	fmt.Print(dataSummary(world))

	fmt.Printf("counters: GET %s%s\n", baseURL, statsPath)
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	<-signals
}

// dataSummary is the banner's account of the data: how much there is and the times it spans, each range
// worked out from the records themselves, so that it holds whatever the generator makes. The detections'
// range is wider than the incidents': a device that stopped syncing has its detections from before its
// last sync.
func dataSummary(w simulator.World) string {
	var created, occurred []time.Time
	for _, inc := range w.Incidents {
		if t, err := time.Parse(time.RFC3339Nano, inc.CreateTime); err == nil {
			created = append(created, t)
		}
	}
	for _, d := range w.Detections {
		if t, err := time.Parse(time.RFC3339Nano, d.OccurTime); err == nil {
			occurred = append(occurred, t)
		}
	}
	note := ""
	if len(occurred) > 0 && slices.MinFunc(occurred, time.Time.Compare).Before(w.Start) {
		note = " (the oldest are of devices that stopped syncing, in Lost & Found)"
	}
	return fmt.Sprintf("data: %d devices in %d groups\n      %d incidents created %s\n      %d detections occurred %s%s\n",
		len(w.Devices), len(w.DeviceGroups), len(w.Incidents), span(created), len(w.Detections), span(occurred), note)
}

// span is "from <earliest> to <latest>" of times, to the second, or "" when there are none.
func span(times []time.Time) string {
	if len(times) == 0 {
		return ""
	}
	return fmt.Sprintf("from %s to %s", slices.MinFunc(times, time.Time.Compare).UTC().Format(time.RFC3339),
		slices.MaxFunc(times, time.Time.Compare).UTC().Format(time.RFC3339))
}

// statsPath serves the simulator's counters (calls, answers by status, most calls in flight) as JSON, for
// scripts/bench.sh. It lies outside the API's paths.
const statsPath = "/_simulator/stats"

func withStats(srv *simulator.Server) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", srv)
	mux.HandleFunc("GET "+statsPath, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(srv.Stats())
	})
	return mux
}
