package provider

import (
	"context"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// timeouts { read } must be a positive duration at plan time, on every data source that takes the block.
func TestAccTimeouts_planTimeErrors(t *testing.T) {
	block := func(dataSource, arguments, read string) string {
		return "data " + dataSource + " \"test\" {\n" + arguments + "  timeouts {\n    read = \"" + read + "\"\n  }\n}"
	}
	zero := func(read string) string { return `(?s)timeouts.*"` + read + `".*positive\s+duration` }
	expectPlanErrors(t, map[string]planError{
		"incidents zero":     {block("eset_incidents", "", "0s"), zero("0s")},
		"incidents negative": {block("eset_incidents", "", "-5m"), zero("-5m")},
		"incident zero":      {block("eset_incident", "  uuid = \"00000000-0000-4000-8000-000000000001\"\n", "0m"), zero("0m")},
		"devices zero":       {block("eset_devices", "", "0s"), zero("0s")},
		"device zero":        {block("eset_device", "  display_name = \"host\"\n", "0s"), zero("0s")},
		"device groups zero": {block("eset_device_groups", "", "0s"), zero("0s")},
		"detections zero":    {block("eset_detections", "", "0s"), zero("0s")},
	})
}

// Every data source takes a timeouts block (each read calls the API, and startRead bounds it), with the
// check on it: a block built another way than readTimeoutsBlock would accept a zero timeout again.
func TestTimeoutsValidatedOnEveryDataSource(t *testing.T) {
	ctx := context.Background()
	for _, newDataSource := range (&EsetProvider{}).DataSources(ctx) {
		ds := newDataSource()
		var meta datasource.MetadataResponse
		ds.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "eset"}, &meta)
		var resp datasource.SchemaResponse
		ds.Schema(ctx, datasource.SchemaRequest{}, &resp)
		block, ok := resp.Schema.Blocks["timeouts"].(schema.SingleNestedBlock)
		if !ok {
			t.Errorf("%s has no timeouts block", meta.TypeName)
			continue
		}
		read, _ := block.Attributes["read"].(schema.StringAttribute)
		if !slices.Contains(read.Validators, validator.String(timeoutsValidator{})) {
			t.Errorf("%s's timeouts.read is not checked by timeoutsValidator: build the block with readTimeoutsBlock", meta.TypeName)
		}
	}
}
