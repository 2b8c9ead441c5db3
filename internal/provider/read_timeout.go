package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
)

// DefaultReadTimeout bounds a read when its timeouts block sets none.
const DefaultReadTimeout = 20 * time.Minute

// readTimeoutsBlock is every data source's timeouts block: a read timeout only, described by what it
// bounds, with the default the reads apply, and checked at plan time by timeoutsValidator.
func readTimeoutsBlock(ctx context.Context, bounds string) schema.Block {
	block := timeouts.BlockWithOpts(ctx, timeouts.Opts{
		ReadDescription: fmt.Sprintf("%s Defaults to `%s`.", bounds, shortDuration(DefaultReadTimeout)),
	}).(schema.SingleNestedBlock)
	read := block.Attributes["read"].(schema.StringAttribute)
	read.Validators = append(read.Validators, timeoutsValidator{})
	block.Attributes["read"] = read
	return block
}

// shortDuration writes d without zero units: 20m rather than 20m0s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// readError explains a failed read; a read cut off by its timeout says which timeout and how to raise it.
func readError(err error, timeout time.Duration) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Sprintf("%v\n\nThe read did not finish within its read timeout of %s. Raise it with a timeouts block, e.g. timeouts { read = \"60m\" }, or narrow the filter.", err, timeout)
	}
	if errors.Is(err, context.Canceled) {
		return fmt.Sprintf("%v\n\nThe read was cancelled.", err)
	}
	return err.Error()
}
