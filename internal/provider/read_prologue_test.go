package provider

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// A read before Configure stops with an error, not a nil dereference.
func TestStartReadUnconfigured(t *testing.T) {
	var diags diag.Diagnostics
	_, _, _, ok := startRead(context.Background(), nil, timeouts.Value{}, &diags)
	if ok || !diags.HasError() || diags[0].Summary() != "Unconfigured ESET provider" {
		t.Fatalf("startRead without provider data: ok %v, diagnostics %v", ok, diags)
	}
}

// The read's context ends at its timeouts block's read timeout, or DefaultReadTimeout without one.
func TestStartReadBoundsTheRead(t *testing.T) {
	block := func(read attr.Value) timeouts.Value {
		return timeouts.Value{Object: types.ObjectValueMust(map[string]attr.Type{"read": types.StringType}, map[string]attr.Value{"read": read})}
	}
	for _, tc := range []struct {
		name    string
		block   timeouts.Value
		timeout time.Duration
	}{
		{"no block", timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{"read": types.StringType})}, DefaultReadTimeout},
		{"no read", block(types.StringNull()), DefaultReadTimeout},
		{"read 90s", block(types.StringValue("90s")), 90 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var diags diag.Diagnostics
				ctx, timeout, cancel, ok := startRead(context.Background(), &providerData{}, tc.block, &diags)
				if !ok {
					t.Fatal(diags)
				}
				defer cancel()
				deadline, _ := ctx.Deadline()
				if timeout != tc.timeout || time.Until(deadline) != tc.timeout {
					t.Errorf("timeout %s, deadline in %s; want both %s", timeout, time.Until(deadline), tc.timeout)
				}
			})
		})
	}
}
