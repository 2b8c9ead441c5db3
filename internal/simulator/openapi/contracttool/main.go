// Command contracttool keeps the project's trimmed copy of ESET's OpenAPI documents (internal/simulator/openapi)
// in step with ESET's:
//
//	go run ./internal/simulator/openapi/contracttool trim -from DIR -date YYYY-MM-DD
//	go run ./internal/simulator/openapi/contracttool check [-from DIR] [-timeout 10s]
//
// trim regenerates the trimmed documents and ORIGIN.md from full documents in DIR (named <service>.json, as
// ESET publishes them). check fetches the live documents (or reads them from DIR) and prints the differences
// that matter to the provider; it exits 1 when there are some, and 0 with a note when ESET cannot be reached.
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/simulator/openapi"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	switch os.Args[1] {
	case "trim":
		os.Exit(trimCmd(os.Args[2:]))
	case "check":
		os.Exit(checkCmd(os.Args[2:]))
	default:
		usage()
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: contracttool trim -from DIR [-to DIR] [-date YYYY-MM-DD] | check [-from DIR] [-timeout D]")
	os.Exit(2)
}

func trimCmd(args []string) int {
	fs := flag.NewFlagSet("trim", flag.ExitOnError)
	from := fs.String("from", "", "directory of the full documents, <service>.json")
	to := fs.String("to", "internal/simulator/openapi", "directory of the trimmed documents and ORIGIN.md")
	date := fs.String("date", time.Now().UTC().Format(time.DateOnly), "the day the full documents were published or fetched")
	_ = fs.Parse(args)
	if *from == "" {
		fmt.Fprintln(os.Stderr, "trim: -from is required")
		return 2
	}
	var origin strings.Builder
	origin.WriteString(originHeader)
	for _, service := range openapi.Services {
		full, err := os.ReadFile(filepath.Join(*from, service+".json"))
		if err != nil {
			fmt.Fprintln(os.Stderr, "trim:", err)
			return 1
		}
		trimmed, err := openapi.Trim(full, service)
		if err != nil {
			fmt.Fprintln(os.Stderr, "trim:", err)
			return 1
		}
		if err := os.WriteFile(filepath.Join(*to, service+".json"), trimmed, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "trim:", err)
			return 1
		}
		sum := sha256.Sum256(full)
		fmt.Fprintf(&origin, "| %s.json | %s | %s | %s |\n", service, openapi.SourceURL(service), *date, hex.EncodeToString(sum[:]))
	}
	if err := os.WriteFile(filepath.Join(*to, "ORIGIN.md"), []byte(origin.String()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "trim:", err)
		return 1
	}
	return 0
}

const originHeader = `# Origin of the trimmed documents

ESET's published OpenAPI documents (ESET's material, reference data), trimmed by
` + "`scripts/contract-trim.sh`" + ` (internal/simulator/openapi/contracttool) to the operations the provider calls,
their parameters, schemas and limits, without prose. Do not edit the JSON files by hand: regenerate them.
The sha256 is that of the full document trimmed.

| file | source | date | sha256 of the source |
|---|---|---|---|
`

func checkCmd(args []string) int {
	fs := flag.NewFlagSet("check", flag.ExitOnError)
	from := fs.String("from", "", "read the live documents from this directory instead of fetching them")
	timeout := fs.Duration("timeout", 10*time.Second, "how long to wait for each document")
	base := fs.String("base", "", "fetch <base>/<service>.json instead of ESET's URL (for tests)")
	_ = fs.Parse(args)
	differs := false
	for _, service := range openapi.Services {
		live, err := liveDocument(service, *from, *base, *timeout)
		if err != nil {
			if *from != "" {
				fmt.Fprintln(os.Stderr, "contract-check:", err)
				return 1
			}
			fmt.Printf("contract-check: ESET's documents cannot be reached (%v): the contract was not checked.\n", err)
			return 0
		}
		kept, err := openapi.Kept(service)
		if err != nil {
			fmt.Fprintln(os.Stderr, "contract-check:", err)
			return 1
		}
		lines, err := openapi.Diff(service, kept, live)
		if err != nil {
			fmt.Fprintln(os.Stderr, "contract-check:", err)
			return 1
		}
		if len(lines) == 0 {
			fmt.Printf("%s: the operations the provider calls are as kept\n", service)
			continue
		}
		differs = true
		fmt.Printf("%s: %d differences that matter to the provider (- kept only, + live only, ~ changed):\n", service, len(lines))
		for _, l := range lines {
			fmt.Println("  " + l)
		}
	}
	if differs {
		fmt.Println("contract-check: review the differences, then scripts/contract-trim.sh with the new documents and the tests.")
		return 1
	}
	return 0
}

// liveDocument reads a service's document from dir, or else fetches it from base or ESET.
func liveDocument(service, dir, base string, timeout time.Duration) ([]byte, error) {
	if dir != "" {
		return os.ReadFile(filepath.Join(dir, service+".json"))
	}
	source := openapi.SourceURL(service)
	if base != "" {
		source = base + "/" + service + ".json"
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, source, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s answered %s", source, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 32<<20))
}
