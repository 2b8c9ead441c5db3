package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

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

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: provider.Address,
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
