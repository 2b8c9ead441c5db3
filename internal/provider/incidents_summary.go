package provider

import (
	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/provider/record"
)

// incidentsSummary is eset_incidents' summary: counts and times over every incident read, worked out page
// by page, so that a report needs neither the incidents in state nor `for` expressions over them. Its size
// grows with the number of distinct severities, statuses, assignees and tags, never with the incidents'.
// There is no count by device: the list call does not send device uuids.
var incidentsSummary = record.NewSummary(
	record.Count[esetapi.Incident]("total", "Number of incidents read.", nil),
	record.Count("open", "Incidents that are not closed: any `status` but `INCIDENT_STATUS_CLOSED`.", notClosed),
	record.CountBy("by_severity", "Incidents per `severity`, e.g. `{ INCIDENT_SEVERITY_LEVEL_HIGH = 12 }`.", nil,
		func(i *esetapi.Incident) string { return i.Severity }),
	record.CountBy("open_by_severity", "Incidents that are not closed, per `severity`.", notClosed,
		func(i *esetapi.Incident) string { return i.Severity }),
	record.CountBy("by_status", "Incidents per `status`.", nil,
		func(i *esetapi.Incident) string { return i.Status }),
	record.CountBy("by_assignee", "Incidents per `assignee_uuid`; those nobody is assigned to under `unassigned`.", nil,
		func(i *esetapi.Incident) string {
			if i.AssigneeUUID == nil {
				return "unassigned"
			}
			return *i.AssigneeUUID
		}),
	record.CountByEach("by_tag", "Incidents per tag: an incident counts once under each of its tags; untagged ones under none.", nil,
		func(i *esetapi.Incident) []string { return i.Tags }),
	record.Earliest("oldest_create_time", "The earliest `create_time`, as the API sent it; null when no incident was read.", nil,
		func(i *esetapi.Incident) string { return i.CreateTime }),
	record.Latest("newest_create_time", "The latest `create_time`, as the API sent it; null when no incident was read.", nil,
		func(i *esetapi.Incident) string { return i.CreateTime }),
	record.Earliest("oldest_update_time", "The earliest `update_time`, as the API sent it; null when no incident was read.", nil,
		func(i *esetapi.Incident) string { return i.UpdateTime }),
	record.Latest("newest_update_time", "The latest `update_time`, as the API sent it; null when no incident was read.", nil,
		func(i *esetapi.Incident) string { return i.UpdateTime }),
	record.Earliest("oldest_open_create_time", "The `create_time` of the oldest incident that is not closed; null when every "+
		"incident read is closed. With `plantimestamp()` and `timecmp()` it answers \"is anything open older than N days?\".", notClosed,
		func(i *esetapi.Incident) string { return i.CreateTime }),
)

func notClosed(i *esetapi.Incident) bool { return i.Status != "INCIDENT_STATUS_CLOSED" }
