// Command eset-simulator serves the ESET Incident Management API simulator on loopback, for the demo and
// for trying the provider without an ESET account. It prints the base URL to use for both endpoints.
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
	"strconv"
	"strings"
	"syscall"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

func main() {
	var (
		opts      simulator.Options
		addr      = flag.String("addr", "127.0.0.1:0", "loopback address to listen on")
		count     = flag.Int("incidents", 500, "number of synthetic incidents")
		seed      = flag.Uint64("seed", 1, "seed of the synthetic data set")
		urlFile   = flag.String("url-file", "", "also write the base URL to this file")
		failUUIDs = flag.String("fail-uuids", "", "answer the detail calls of these incidents with an error: uuid=status,... (status defaults to 500)")
	)
	flag.StringVar(&opts.Username, "username", "demo-api-user@example.com", "API user name the token endpoint accepts")
	flag.StringVar(&opts.Password, "password", "demo-password", "API user password the token endpoint accepts")
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
	flag.Float64Var(&opts.MalformedRate, "malformed-rate", 0, "fraction of answers whose body is cut short")
	flag.Parse()

	opts.Incidents = simulator.Generate(*seed, *count)
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
	fmt.Printf("ESET API simulator: %d incidents at %s (user %q)\n", len(opts.Incidents), baseURL, opts.Username)

	fmt.Printf("counters: GET %s%s\n", baseURL, statsPath)
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	<-signals
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
