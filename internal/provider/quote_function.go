package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/eset-community/terraform-provider-eset/internal/query"
)

// Ensure the implementation satisfies the expected interfaces.
var _ function.Function = &QuoteFunction{}

// NewQuoteFunction makes provider::eset::quote.
func NewQuoteFunction() function.Function {
	return &QuoteFunction{}
}

// QuoteFunction quotes a string as a filter string literal, so that a variable put into a filter stays a
// literal whatever it holds: quotes, backslashes and newlines cannot end it early or inject an expression.
type QuoteFunction struct{}

func (f *QuoteFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "quote"
}

func (f *QuoteFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Quote a string for use inside an eset_incidents filter",
		MarkdownDescription: "Returns `value` as a double-quoted string literal of the filter language (CEL), with quotes, " +
			"backslashes and control characters escaped, so that " +
			"`\"incident.display_name.contains(${provider::eset::quote(var.name)})\"` matches the text of `var.name` " +
			"whatever it holds.",
		Parameters: []function.Parameter{
			function.StringParameter{Name: "value", MarkdownDescription: "The text to quote."},
		},
		Return: function.StringReturn{},
	}
}

func (f *QuoteFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var value string
	resp.Error = function.ConcatFuncErrors(req.Arguments.Get(ctx, &value))
	if resp.Error != nil {
		return
	}
	resp.Error = function.ConcatFuncErrors(resp.Result.Set(ctx, query.Quote(value)))
}
