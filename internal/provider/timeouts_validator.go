package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// timeoutsValidator checks timeouts { read } at plan time: the timeouts package accepts any duration, and
// zero or a negative one would end every read before its first call. readTimeoutsBlock puts it on the
// block's read attribute, so that no data source has the block without the check.
type timeoutsValidator struct{}

func (timeoutsValidator) Description(context.Context) string {
	return "timeouts.read must be a positive duration"
}

func (v timeoutsValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (timeoutsValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	read := req.ConfigValue.ValueString()
	if d, err := time.ParseDuration(read); err != nil || d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid read timeout",
			fmt.Sprintf("timeouts { read = %q } must be a positive duration such as \"30m\" or \"1h\"; leave it out for the default of %s.",
				read, shortDuration(DefaultReadTimeout)))
	}
}
