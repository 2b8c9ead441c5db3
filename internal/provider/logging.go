package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// secretFieldKeys are log field names whose values are always masked, whatever logs them.
var secretFieldKeys = []string{"password", "access_token", "refresh_token", "token", "authorization", "Authorization"}

// maskSecrets makes every log written with ctx mask the given secrets, the fields that hold credentials,
// and bearer tokens, in messages and field values alike.
func maskSecrets(ctx context.Context, secrets []string) context.Context {
	ctx = tflog.MaskFieldValuesWithFieldKeys(ctx, secretFieldKeys...)
	ctx = tflog.MaskLogRegexes(ctx, esetapi.BearerPattern)
	var nonEmpty []string
	for _, s := range secrets {
		if s != "" {
			nonEmpty = append(nonEmpty, s)
		}
	}
	if len(nonEmpty) > 0 {
		ctx = tflog.MaskAllFieldValuesStrings(ctx, nonEmpty...)
		ctx = tflog.MaskMessageStrings(ctx, nonEmpty...)
	}
	return ctx
}

// tfLogger passes the API client's messages to Terraform's provider log.
type tfLogger struct{}

func (tfLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(ctx, msg, fields)
}

func (tfLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	tflog.Warn(ctx, msg, fields)
}
