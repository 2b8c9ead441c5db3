package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/eset-community/terraform-provider-eset/internal/query"
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

func errorsOnly(problems []query.Problem) []query.Problem {
	var errs []query.Problem
	for _, p := range problems {
		if p.Severity == query.ProblemError {
			errs = append(errs, p)
		}
	}
	return errs
}

// incidentSchemaAttributes describes one incident; eset_incidents lists them, eset_incident reads one.
func incidentSchemaAttributes() map[string]schema.Attribute {
	str := func(desc string) schema.Attribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	list := func(desc string) schema.Attribute {
		return schema.ListAttribute{MarkdownDescription: desc, Computed: true, ElementType: types.StringType}
	}
	count := func(desc string) schema.Attribute {
		return schema.Int64Attribute{MarkdownDescription: desc, Computed: true}
	}
	return map[string]schema.Attribute{
		"uuid":           str("Unique identifier of the incident."),
		"display_name":   str("Human-readable name of the incident."),
		"description":    str("Text describing the incident; `\"\"` when it has none."),
		"assignee_uuid":  str("User responsible for investigating the incident; null when unassigned."),
		"create_time":    str("When the incident was created, an RFC 3339 timestamp exactly as the API sent it."),
		"update_time":    str("When the incident was last updated, an RFC 3339 timestamp exactly as the API sent it."),
		"severity":       str("`INCIDENT_SEVERITY_LEVEL_LOW`, `_MEDIUM`, `_HIGH` (some consoles call it Critical) or `_UNSPECIFIED`; values newer than the docs pass through unchanged."),
		"status":         str("`INCIDENT_STATUS_OPEN`, `_IN_PROGRESS`, `_WAITING_FOR_INPUT`, `_CLOSED` or `_UNSPECIFIED`; newer values pass through unchanged."),
		"resolve_reason": str("Why a closed incident was resolved: `INCIDENT_RESOLVE_REASON_TRUE_POSITIVE`, `_FALSE_POSITIVE`, `_SUSPICIOUS` or `_UNSPECIFIED`."),
		"tags":           list("Tags of the incident; `[]` when it has none."),
		"triage_duration": str("How long the incident remained in triage, a duration such as `\"3600s\"` as the API sent it; " +
			"null when not yet triaged."),
		"response_duration": str("How long it took to respond to the incident, as the API sent it; null when not yet answered."),
		"metrics": schema.SingleNestedAttribute{
			MarkdownDescription: "Counts of what the incident involves.",
			Computed:            true,
			Attributes: map[string]schema.Attribute{
				"device_count":     count("Devices related to the incident."),
				"executable_count": count("Executables related to the incident."),
				"process_count":    count("Processes related to the incident."),
			},
		},
		"device_uuids": list("Devices involved. Read by `GET /v2/incidents/{uuid}` only: null in `eset_incidents` " +
			"unless `include_details` is `true`."),
		"detection_uuids": list("Detections that make up the incident. Read by `GET /v2/incidents/{uuid}` only: null in " +
			"`eset_incidents` unless `include_details` is `true`."),
	}
}
