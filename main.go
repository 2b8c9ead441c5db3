// Command terraform-provider-eset is the Terraform and OpenTofu provider for ESET Connect's Incident
// Management API. Terraform starts it; run with -debug to attach a debugger.
package main

import (
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/eset-community/terraform-provider-eset/internal/provider"
)

// Generate the documentation from the schema, templates/ and examples/ (see GNUmakefile's docs target,
// which runs tfplugindocs with a locally found CLI so that it never downloads one).
//go:generate sh scripts/docs.sh

// version is set by goreleaser at release time.
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "set to true to run the provider with support for debuggers like delve")
	flag.Parse()

	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	// The framework's server, except that the reads of eset_incidents, eset_devices and eset_detections go
	// past the framework's conversions, which cost more than the API client's own work (PERFORMANCE.md's
	// framework columns): see package internal/provider/fastpath.
	if err := tf6server.Serve(provider.Address, provider.NewProtocol6Server(version), opts...); err != nil {
		log.Fatal(err.Error())
	}
}
