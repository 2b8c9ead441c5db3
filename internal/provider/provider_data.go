package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

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

// notConfigured reports a read before the provider was configured, which Terraform does not do, but a
// misbehaving client could.
func notConfigured(diags *diag.Diagnostics) {
	diags.AddError("Unconfigured ESET provider", "The data source was read before the provider was configured. Please report this issue to the provider developers.")
}
