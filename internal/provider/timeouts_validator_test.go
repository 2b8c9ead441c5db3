package provider

import (
	"strings"
	"testing"
)

// timeouts { read } must be a positive duration, on both data sources, at plan time.
func TestAccTimeouts_planTimeErrors(t *testing.T) {
	block := func(head, read string) string {
		return "data " + head + " {\n" + "  timeouts {\n    read = \"" + read + "\"\n  }\n}"
	}
	expectPlanErrors(t, map[string]planError{
		"zero":     {block(`"eset_incidents" "test"`, "0s"), `(?s)timeouts.*"0s".*positive\s+duration`},
		"negative": {block(`"eset_incidents" "test"`, "-5m"), `(?s)timeouts.*"-5m".*positive\s+duration`},
		"incident": {strings.Replace(block(`"eset_incident" "test"`, "0m"), "{\n", "{\n  uuid = \"00000000-0000-4000-8000-000000000001\"\n", 1), `(?s)timeouts.*"0m".*positive\s+duration`},
	})
}
