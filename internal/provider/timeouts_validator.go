package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// timeoutsValidator checks timeouts { read } at plan time: the timeouts package accepts any duration, and
// zero or a negative one would end every read before its first call.
type timeoutsValidator struct{}

func (timeoutsValidator) Description(context.Context) string {
	return "timeouts.read must be a positive duration"
}

func (v timeoutsValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (timeoutsValidator) ValidateDataSource(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	at := path.Root("timeouts").AtName("read")
	var read types.String
	if diags := req.Config.GetAttribute(ctx, at, &read); diags.HasError() || read.IsNull() || read.IsUnknown() {
		return
	}
	d, err := time.ParseDuration(read.ValueString())
	if err != nil || d <= 0 {
		resp.Diagnostics.AddAttributeError(at, "Invalid read timeout",
			fmt.Sprintf("timeouts { read = %q } must be a positive duration such as \"30m\" or \"1h\"; leave it out for the default of %s.",
				read.ValueString(), shortDuration(DefaultReadTimeout)))
	}
}

// Both data sources take a timeouts block.

func (d *IncidentsDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{timeoutsValidator{}}
}

func (d *IncidentDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{timeoutsValidator{}}
}
