package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// startRead is how every data source's read begins, framework Read and fast-path ReadState alike: it
// refuses a read before the provider is configured (which Terraform does not do, but a misbehaving client
// could), masks the provider's secrets in every log the read writes, and bounds the read by its timeouts
// block, DefaultReadTimeout when the block sets none. When ok, the read runs with the returned ctx, calls
// cancel when it ends, and explains a failure with readError(err, timeout); otherwise diags says why.
func startRead(ctx context.Context, data *providerData, t timeouts.Value, diags *diag.Diagnostics) (_ context.Context, timeout time.Duration, cancel context.CancelFunc, ok bool) {
	if data == nil {
		diags.AddError("Unconfigured ESET provider", "The data source was read before the provider was configured. Please report this issue to the provider developers.")
		return ctx, 0, nil, false
	}
	ctx = maskSecrets(ctx, data.secrets)
	timeout, timeoutDiags := t.Read(ctx, DefaultReadTimeout)
	diags.Append(timeoutDiags...)
	if timeoutDiags.HasError() {
		return ctx, 0, nil, false
	}
	ctx, cancel = context.WithTimeout(ctx, timeout)
	return ctx, timeout, cancel, true
}
