package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// providerData is what the provider hands its data sources: one client, so that they share one token and
// one pace, and the secrets their logs must mask.
type providerData struct {
	client         *esetapi.Client
	maxConcurrency int
	secrets        []string
}

// configuredData type-checks what the provider's Configure handed a data source. It is nil before the
// provider is configured (during validation), which data sources must tolerate.
func configuredData(configured any, diags *diag.Diagnostics) *providerData {
	if configured == nil {
		return nil
	}
	data, ok := configured.(*providerData)
	if !ok {
		diags.AddError("Unexpected data source configure type",
			fmt.Sprintf("Expected *provider.providerData, got: %T. Please report this issue to the provider developers.", configured))
		return nil
	}
	return data
}
