//go:build examples

// Package examples_test runs every example configuration under examples/ through the real terraform and
// tofu CLIs against the ESET API simulator: `terraform fmt -check`, then for each CLI `validate` and `apply`
// of every example directory, with assertions on what each one must show. The provider under test is
// built from this checkout and reached through dev_overrides, so nothing is downloaded.
//
// Run it with `make examples-check`, or `go test -tags examples ./examples/`. EXAMPLES_CLIS selects the
// CLIs (default "terraform tofu": the newest of each that scripts/tools.sh tests; "terraform@1.8.0" names a
// version); scripts/tools.sh finds or builds them, and opa, into .tools/. Each CLI's subtest is named with
// the version it reports, so a failure says which one failed.
package examples_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// The data set every example reads: the simulator's world (devices, detections, incidents), the same on
// every run, with the seed, size and credentials `go run ./cmd/eset-simulator` has by default, so that the
// READMEs' figures are those a user sees.
const (
	seed          = 1
	incidentCount = 500
	username      = "demo-api-user@example.com"
	password      = "demo-password"
	// dataAge is how long before the test starts the aged world's data ends: its incidents' 58 hours then
	// lie between 4 and 7 days back, so every open high-severity incident is older than the policy's 72
	// hours and the report's `period=7d` holds every incident, on whatever day the test runs.
	dataAge = 96 * time.Hour
	// mirrorVersion is the provider's version in the READMEs' runs: a release's, as the examples, which
	// name no version, select it (a build of an untagged checkout, 0.0.0-dev, is selected only by name).
	mirrorVersion = "0.1.0"
)

// env is what the test knows about its set-up, handed to each example's checks.
type env struct {
	t         *testing.T
	cli       string // "terraform" or "tofu"
	path      string // the CLI's executable
	dir       string // the example's working copy
	environ   []string
	incidents []esetapi.Incident // world.Incidents
	world     simulator.World
	opa       func() string
	conftest  func() string
	mirror    string // a CLI configuration that installs the provider from a local mirror, for `init`
	readmeRun bool   // the check ran the example's README.md (readmes_test.go)
}

// checks are the runs and assertions of each example directory beyond validate. A directory that is not
// listed is applied without assertions; a listed directory that does not exist fails the test.
var checks = map[string]func(e *env){
	"demo": func(e *env) {
		e.apply()
		if n := e.outputNumber("incident_count"); n == 0 {
			e.t.Errorf("incident_count is 0")
		}
		// The device-based query: each device of the names once, its open incidents and the last day's
		// detections counted (web-01 has both, print-srv-01 neither), the unknown name reported.
		e.expectOutput("unknown_hosts", []any{"web-02"})
		var hosts map[string]struct {
			OpenIncidents int `json:"open_incidents"`
			Detections    int `json:"detections_24h"`
			High          int `json:"high_24h"`
		}
		e.output("hosts", &hosts)
		want := map[string]int{"web-01": 1, "db-prod-3": 1, "print-srv-01": 1, "FIN-LAPTOP-12": 2}
		got := map[string]int{}
		for key, h := range hosts {
			name, prefix, _ := strings.Cut(key, " ")
			got[name]++
			open := count(e.incidents, func(i *esetapi.Incident) bool {
				return i.Status != "INCIDENT_STATUS_CLOSED" && slices.ContainsFunc(i.DeviceUUIDs, func(u string) bool {
					return strings.HasPrefix(u, prefix) && e.isDevice(name)(u)
				})
			})
			if h.OpenIncidents != open {
				e.t.Errorf("hosts[%q].open_incidents is %d, want %d", key, h.OpenIncidents, open)
			}
			if (name == "web-01" && (h.High == 0 || h.OpenIncidents == 0)) ||
				(name == "print-srv-01" && h.Detections+h.OpenIncidents != 0) {
				e.t.Errorf("hosts[%q] is %+v: web-01 has open incidents and high-severity detections, print-srv-01 neither", key, h)
			}
		}
		if !reflect.DeepEqual(got, want) {
			e.t.Errorf("hosts has devices %v, want %v", got, want)
		}
	},
	"provider": func(e *env) {
		e.apply()
		want := count(e.incidents, openHigh)
		e.expectOutput("open_high_incidents", float64(want))
	},
	"data-sources/eset_incidents": func(e *env) {
		e.apply()
		selected := filter(e.incidents, openHigh)
		var got []string
		e.output("open_high", &got)
		if want := min(50, len(selected)); len(got) != want {
			e.t.Errorf("open_high has %d incidents, want %d", len(got), want)
		}
		newest := selected[len(selected)-1] // the data set is in creation order; the example sorts newest first
		if len(got) > 0 && got[0] != newest.CreateTime+" "+newest.DisplayName {
			e.t.Errorf("open_high[0] is %q, want the newest, %q", got[0], newest.CreateTime+" "+newest.DisplayName)
		}
		e.expectOutput("open_high_truncated", len(selected) > 50)
		unassigned := count(e.incidents, func(i *esetapi.Incident) bool {
			return i.Status == "INCIDENT_STATUS_OPEN" && i.AssigneeUUID == nil &&
				(i.Severity == "INCIDENT_SEVERITY_LEVEL_MEDIUM" || high(i)) &&
				(slices.Contains(i.Tags, "server") || slices.Contains(i.Tags, "vip"))
		})
		var ids []string
		e.output("unassigned_servers", &ids)
		if len(ids) != unassigned {
			e.t.Errorf("unassigned_servers has %d incidents, want %d", len(ids), unassigned)
		}
		bySeverity := map[string]any{}
		for _, i := range filter(e.incidents, func(i *esetapi.Incident) bool {
			return i.Status == "INCIDENT_STATUS_OPEN" || i.Status == "INCIDENT_STATUS_IN_PROGRESS"
		}) {
			n, _ := bySeverity[i.Severity].(float64)
			bySeverity[i.Severity] = n + 1
		}
		e.expectOutput("active_by_severity", bySeverity)
		e.expectOutput("unassigned_servers_filter", `incident.status == INCIDENT_STATUS_OPEN && `+
			`incident.severity in [INCIDENT_SEVERITY_LEVEL_MEDIUM, INCIDENT_SEVERITY_LEVEL_HIGH] && `+
			`!has(incident.assignee_uuid) && (incident.tags.contains("server") || incident.tags.contains("vip"))`)
	},
	"data-sources/eset_incident": func(e *env) {
		e.apply()
		highs := filter(e.incidents, high)
		newest := highs[len(highs)-1]
		var got struct {
			Name       string   `json:"name"`
			Status     string   `json:"status"`
			Devices    []string `json:"devices"`
			Detections int      `json:"detections"`
		}
		e.output("latest_high", &got)
		if got.Name != newest.DisplayName || got.Status != newest.Status || !reflect.DeepEqual(got.Devices, newest.DeviceUUIDs) ||
			got.Detections != len(newest.DetectionUUIDs) {
			e.t.Errorf("latest_high is %+v, want incident %s with devices %v", got, newest.UUID, newest.DeviceUUIDs)
		}
	},
	"functions/quote": func(e *env) {
		e.apply()
		e.expectOutput("quoted", `"PowerShell \"-enc\""`)
		e.expectOutput("filter", `incident.display_name.contains("PowerShell \"-enc\"")`)
	},
	"use-cases/plan-gate": func(e *env) {
		// A host without incidents or detections: the change goes ahead.
		e.apply("-var", `hosts=["print-srv-01"]`)
		e.expectOutput("findings", []any{})
		e.readme(nil,
			`terraform apply -var 'hosts=["print-srv-01", "web-01"]' -var change_id=CHG-1235`,
			`terraform plan -var 'hosts=["print-srv-01", "web-02"]'`,
			`terraform plan -var 'hosts=[]'`)

		// web-01's open high-severity incidents and its recent high-severity detections are each named, with
		// their times, and nothing is changed.
		out, err := e.try("plan", "-input=false", "-no-color", "-var", `hosts=["web-01"]`, "-var", "change_id=CHG-2000")
		if err == nil {
			e.t.Fatalf("the plan for web-01 succeeded:\n%s", out)
		}
		out = strings.Join(strings.Fields(diagnosticBox.ReplaceAllString(out, "")), " ")
		wants := []string{"Change CHG-2000 is blocked"}
		web01 := e.isDevice("web-01")
		for i := range e.incidents {
			if inc := &e.incidents[i]; high(inc) && inc.Status != "INCIDENT_STATUS_CLOSED" && slices.ContainsFunc(inc.DeviceUUIDs, web01) {
				wants = append(wants, fmt.Sprintf("web-01: open high-severity incident %q (%s, %s) since %s",
					inc.DisplayName, inc.UUID, inc.Status, inc.CreateTime))
			}
		}
		incidents := len(wants) - 1
		// Detections near the window's start may leave it while the test runs: only those of the last 23 hours
		// must be named; none older than 25 hours may be.
		recent := 0
		for _, d := range e.world.Detections {
			occurred, _ := time.Parse(time.RFC3339, d.OccurTime)
			if d.SeverityLevel != "SEVERITY_LEVEL_HIGH" || !web01(d.Device.UUID) {
				continue
			}
			named := strings.Contains(out, d.UUID)
			switch age := time.Since(occurred); {
			case age < 23*time.Hour && !named:
				e.t.Errorf("the failed plan does not name web-01's detection %s of %s", d.UUID, d.OccurTime)
			case age < 23*time.Hour:
				recent++
				wants = append(wants, fmt.Sprintf("web-01: high-severity detection %q (%s) at %s", d.DisplayName, d.UUID, d.OccurTime))
			case age > 25*time.Hour && named:
				e.t.Errorf("the failed plan names web-01's detection %s of %s, older than 24 hours", d.UUID, d.OccurTime)
			}
		}
		if incidents == 0 || recent == 0 {
			e.t.Errorf("web-01 has %d open high-severity incidents and %d recent high-severity detections: "+
				"the gate cannot be shown to name both", incidents, recent)
		}
		for _, want := range wants {
			if !strings.Contains(out, want) {
				e.t.Errorf("the failed plan does not say %q:\n%s", want, out)
			}
		}

		// Ten hosts (the published 200-character filter holds three devices): the gate reads, within the
		// contract the simulator enforces, and blocks or passes on what the hosts have, never on the filter.
		var ten []string
		for _, d := range e.world.Devices {
			if name := strconv.Quote(d.DisplayName); len(ten) < 10 && !slices.Contains(ten, name) {
				ten = append(ten, name)
			}
		}
		out, _ = e.try("plan", "-input=false", "-no-color", "-var", "hosts=["+strings.Join(ten, ", ")+"]")
		if out = strings.Join(strings.Fields(diagnosticBox.ReplaceAllString(out, "")), " "); strings.Contains(out, "Unable to read") || strings.Contains(out, "HTTP 400") {
			e.t.Errorf("the plan for ten hosts failed to read:\n%s", out)
		}

		// A host unknown to ESET fails the plan at eset_devices (on_missing = "error"), naming it, beside a known
		// host or alone, before any incident or detection is read.
		for _, hosts := range []string{`hosts=["web-01", "no-such-host"]`, `hosts=["no-such-host"]`} {
			out, err = e.try("plan", "-input=false", "-no-color", "-var", hosts)
			out = strings.Join(strings.Fields(diagnosticBox.ReplaceAllString(out, "")), " ")
			if err == nil || !strings.Contains(out, `display_names "no-such-host"`) || strings.Contains(out, "is blocked") {
				e.t.Errorf("the plan for %s: err %v\n%s", hosts, err, out)
			}
		}
	},
	"use-cases/msp-report": func(e *env) {
		// The README's commands over its three customers' accounts, each served by a simulator of its own
		// with its own credentials and data set, as its table starts them; its customers.tfvars is the
		// README's with the simulators' endpoints added, and its passwords are the simulators'.
		sizes := map[string]int{"acme": 150, "globex": 60, "initech": 240}
		accounts := e.mspAccounts(sizes)
		readme := readFile(e.t, filepath.Join(e.dir, "README.md"))
		for name, a := range accounts {
			started := fmt.Sprintf("| %s | `go run ./cmd/eset-simulator -addr 127.0.0.1:", name)
			flags := fmt.Sprintf(" -incidents %d -seed %d -username %s -password %s` |", sizes[name], mspSeed(name), a.username, a.password)
			if !regexp.MustCompile(regexp.QuoteMeta(started) + `\d+` + regexp.QuoteMeta(flags)).MatchString(readme) {
				e.t.Errorf("README.md does not start %s's simulator as the test does:%s", name, flags)
			}
		}
		tfvars := e.mspTfvars(readmeBlock(e.t, readme, "hcl", "customers = {"), accounts)
		writeFile(e.t, filepath.Join(e.dir, "customers.tfvars"), tfvars)
		passwords := map[string]string{}
		for name, a := range accounts {
			passwords["<"+name+" password>"] = a.password
		}
		e.readme(passwords)
		e.mspReport(accounts, tfvars)

		// Any set of customers: two of them, and three of other names.
		two := map[string]mspAccount{"acme": accounts["acme"], "globex": accounts["globex"]}
		e.mspReport(two, e.mspTfvars(mspCustomers(two), two))
		others := e.mspAccounts(map[string]int{"hooli": 80, "pied-piper": 30, "wayne-enterprises": 120})
		e.mspReport(others, e.mspTfvars(mspCustomers(others), others))

		if e.cli == "terraform" {
			// customers.tf has ten slots: an eleventh customer stops the plan with a message that names it and
			// says to add a slot, rather than being left out of the report. Every customer is acme's account.
			eleven := map[string]mspAccount{}
			for i := range 11 {
				eleven[fmt.Sprintf("customer-%02d", i+1)] = accounts["acme"]
			}
			environ := e.environ
			e.writeMspPasswords(eleven)
			writeFile(e.t, filepath.Join(e.dir, "customers.tfvars"), e.mspTfvars(mspCustomers(eleven), eleven))
			out, err := e.try("plan", "-input=false", "-no-color", "-var-file=customers.tfvars")
			if err == nil || !regexp.MustCompile(`(?s)leaving\s+out\s+\[customer-11\].*add\s+a\s+slot`).MatchString(out) {
				e.t.Errorf("an eleventh customer: %v, want a plan error naming it and the slot to add:\n%s", err, out)
			}
			e.environ = environ
		}

		// With OpenTofu, whose for_each makes a provider configuration per entry, twenty customers.
		if e.cli == "tofu" {
			sizes := map[string]int{}
			for i := range 17 {
				sizes[fmt.Sprintf("customer-%02d", i+4)] = 20 + 10*i
			}
			maps.Copy(accounts, e.mspAccounts(sizes))
			e.mspReport(accounts, e.mspTfvars(mspCustomers(accounts), accounts))
		}
	},
	"use-cases/policy-as-code": func(e *env) {
		// The policy compiles in strict mode and is formatted as `opa fmt` writes it.
		policy := filepath.Join(e.dir, "policy")
		for _, args := range [][]string{{"check", "--strict", policy}, {"fmt", "--list", "--fail", policy}} {
			if out, err := exec.Command(e.opa(), args...).CombinedOutput(); err != nil {
				e.t.Errorf("opa %s: %v\n%s", strings.Join(args, " "), err, out)
			}
		}
		out := e.apply()
		now := time.Now()
		overdue := count(e.incidents, func(i *esetapi.Incident) bool {
			created, _ := time.Parse(time.RFC3339, i.CreateTime)
			return high(i) && i.Status != "INCIDENT_STATUS_CLOSED" && now.Sub(created) > 72*time.Hour
		})
		if overdue == 0 {
			e.t.Fatalf("no open high-severity incident of the data set is older than 72h: the policy cannot be shown to fire")
		}
		// The high-severity detections of the last 30 days that are not resolved after 72 hours.
		overdueDetections := 0
		for _, d := range e.world.Detections {
			occurred, _ := time.Parse(time.RFC3339, d.OccurTime)
			age := now.Sub(occurred)
			if d.SeverityLevel == "SEVERITY_LEVEL_HIGH" && !d.Resolved && age > 72*time.Hour && age < 30*24*time.Hour {
				overdueDetections++
			}
		}
		if overdueDetections == 0 {
			e.t.Fatalf("no high-severity detection of the data set is unresolved after 72h: the policy cannot be shown to fire")
		}
		for _, check := range []string{"no_overdue_high_severity_incidents", "no_overdue_high_severity_detections"} {
			if !strings.Contains(out, check) {
				e.t.Errorf("the check block %s did not warn:\n%s", check, out)
			}
		}
		for name, want := range map[string]int{"overdue_incidents": overdue, "overdue_detections": overdueDetections} {
			var listed []string
			e.output(name, &listed)
			if len(listed) != want {
				e.t.Errorf("%s lists %d, want %d", name, len(listed), want)
			}
		}

		e.readme(nil,
			"opa eval --fail-defined --format raw -d policy/ -i show.json 'data.main.deny[msg]'",
			"conftest test --policy policy/ show.json")

		// The policy over the state, and over a saved plan (whose prior state holds the data sources).
		state := e.showJSON()
		e.run("plan", "-input=false", "-no-color", "-out=tfplan")
		plan := e.showJSON("tfplan")
		for name, input := range map[string]string{"state": state, "plan": plan} {
			denials, err := e.opaDeny(input, "")
			if err == nil {
				e.t.Errorf("opa over the %s passed; want %d denials", name, overdue+overdueDetections)
			}
			incidents := slices.DeleteFunc(slices.Clone(denials), func(d string) bool { return !strings.HasPrefix(d, "incident ") })
			if len(incidents) != overdue || len(denials) != overdue+overdueDetections {
				e.t.Errorf("opa over the %s denied %d incidents and %d in all, want %d and %d", name, len(incidents), len(denials),
					overdue, overdue+overdueDetections)
			}
			for _, d := range denials {
				if !strings.Contains(d, "more than the 72 hours allowed") {
					e.t.Errorf("unexpected denial message %q", d)
				}
			}
			// A threshold past the age of every incident and detection: the policy passes.
			denials, err = e.opaDeny(input, `{"params": {"max_age_hours": 10000000}}`)
			if err != nil || len(denials) != 0 {
				e.t.Errorf("opa over the %s with max_age_hours = 10000000: err %v, denials %v", name, err, denials)
			}
		}
		// Fail closed: an input without the data sources (a state before the first apply, the wrong file) is
		// denied, and so are detections whose resolved flag was not read.
		// So are a summary_only read and a list that is null (nothing to check is not nothing found), and an
		// item whose time cannot be parsed (its age is unknown).
		edit := func(typ string, change func(values map[string]any)) string {
			return editSources(e.t, state, typ, change)
		}
		for input, want := range map[string]string{
			`{"format_version": "1.0"}`: "the input holds no eset_detections data source",
			strings.Replace(state, `"include_details":true`, `"include_details":false`, 1):                                  "was read without include_details = true",
			edit("eset_incidents", func(v map[string]any) { v["summary_only"], v["incidents"], v["ids"] = true, nil, nil }): "was read with summary_only = true",
			edit("eset_incidents", func(v map[string]any) { v["incidents"] = nil }):                                         "holds no list of incidents",
			edit("eset_detections", func(v map[string]any) { v["detections"] = nil }):                                       "holds no list of detections",
			edit("eset_incidents", func(v map[string]any) {
				for _, i := range v["incidents"].([]any) {
					i.(map[string]any)["create_time"] = "yesterday"
				}
			}): `a create_time that cannot be parsed ("yesterday")`,
			edit("eset_detections", func(v map[string]any) {
				for _, d := range v["detections"].([]any) {
					d.(map[string]any)["occur_time"] = nil
				}
			}): "an occur_time that cannot be parsed (null)",
		} {
			denials, err := e.opaDeny(input, `{"params": {"max_age_hours": 10000000}}`)
			if err == nil || !slices.ContainsFunc(denials, func(d string) bool { return strings.Contains(d, want) }) {
				e.t.Errorf("opa did not deny with %q: err %v, denials %v", want, err, denials)
			}
		}
	},
	"use-cases/report": func(e *env) {
		e.readme(nil)
		// A period without incidents (the data ends days before the test starts): zeros, and "None.".
		e.apply("-var", "period=1h")
		e.expectOutput("total", 0.0)
		if report := e.run("output", "-raw", "report"); !strings.Contains(report, "## Open high-severity incidents (0)\n\nNone.\n") {
			e.t.Errorf("the report of a period without incidents does not say None.:\n%s", report)
		}

		e.apply("-var", "period=30d")
		bySeverity := map[string]any{}
		for _, s := range esetapi.Severities[1:] {
			bySeverity[s] = float64(count(e.incidents, func(i *esetapi.Incident) bool { return i.Severity == s }))
		}
		byStatus := map[string]any{}
		for _, s := range esetapi.Statuses[1:] {
			byStatus[s] = float64(count(e.incidents, func(i *esetapi.Incident) bool { return i.Status == s }))
		}
		byAssignee := map[string]any{}
		for i := range e.incidents {
			a := "unassigned"
			if e.incidents[i].AssigneeUUID != nil {
				a = *e.incidents[i].AssigneeUUID
			}
			n, _ := byAssignee[a].(float64)
			byAssignee[a] = n + 1
		}
		e.expectOutput("total", float64(len(e.incidents)))
		e.expectOutput("by_severity", bySeverity)
		e.expectOutput("by_status", byStatus)
		e.expectOutput("by_assignee", byAssignee)
		var byAge map[string]float64
		e.output("by_age", &byAge)
		total := 0.0
		for _, n := range byAge {
			total += n
		}
		if len(byAge) != 4 || total != float64(len(e.incidents)) {
			e.t.Errorf("by_age %v does not share the %d incidents among 4 buckets", byAge, len(e.incidents))
		}

		// Detections of the last 30 days per device and per group path of the device's group, counted here.
		byDevice, byGroup := map[string]any{}, map[string]any{}
		parent, name := map[string]string{}, map[string]string{}
		for _, g := range e.world.DeviceGroups {
			parent[g.UUID], name[g.UUID] = g.ParentGroupUUID, g.DisplayName
		}
		groupOf := map[string]string{}
		for _, d := range e.world.Devices {
			path := ""
			for g := d.ParentGroupUUID; g != ""; g = parent[g] {
				path = strings.TrimSuffix(name[g]+"/"+path, "/")
			}
			groupOf[d.UUID] = path
		}
		since := time.Now().Add(-30 * 24 * time.Hour)
		for _, d := range e.world.Detections {
			if at, _ := time.Parse(time.RFC3339Nano, d.OccurTime); !at.Before(since) {
				n, _ := byDevice[d.Device.UUID].(float64)
				byDevice[d.Device.UUID] = n + 1
				n, _ = byGroup[groupOf[d.Device.UUID]].(float64)
				byGroup[groupOf[d.Device.UUID]] = n + 1
			}
		}
		for _, path := range groupOf {
			if _, ok := byGroup[path]; !ok {
				byGroup[path] = 0.0 // a group whose devices had no detection
			}
		}
		e.expectOutput("detections_by_device", byDevice)
		e.expectOutput("detections_by_group", byGroup)

		report := e.run("output", "-raw", "report")
		wants := []string{
			"# ESET incident report\n",
			"Incidents created in the last 30d, as of ",
			fmt.Sprintf(": **%d**.", len(e.incidents)),
			"| Severity | Incidents |\n|---|---:|\n",
			fmt.Sprintf("| High | %v |\n| Medium | %v |\n| Low | %v |\n", bySeverity["INCIDENT_SEVERITY_LEVEL_HIGH"],
				bySeverity["INCIDENT_SEVERITY_LEVEL_MEDIUM"], bySeverity["INCIDENT_SEVERITY_LEVEL_LOW"]),
			fmt.Sprintf("| In progress | %v |\n", byStatus["INCIDENT_STATUS_IN_PROGRESS"]),
			fmt.Sprintf("| Waiting for input | %v |\n", byStatus["INCIDENT_STATUS_WAITING_FOR_INPUT"]),
			"| Age | Incidents |\n",
			fmt.Sprintf("| `unassigned` | %v |\n", byAssignee["unassigned"]),
			"## Detections by device group\n",
			"| Group | Devices | Detections |\n",
			"## Devices with the most detections\n",
			"## Open high-severity incidents (",
			"| Created | Age | Status | Incident |\n|---|---|---|---|\n",
			"more.\n",
		}
		for _, want := range wants {
			if !strings.Contains(report, want) {
				e.t.Errorf("the report lacks %q:\n%s", want, report)
			}
		}
		if strings.Contains(report, "%{") || strings.Contains(report, "${") {
			e.t.Errorf("the report holds unrendered template syntax:\n%s", report)
		}
	},
}

func TestExamples(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dirs := exampleDirs(t)
	for dir := range checks {
		if !slices.Contains(dirs, dir) {
			t.Errorf("examples/%s is checked here but does not exist (or holds no .tf file)", dir)
		}
	}
	clis := selectedCLIs()
	paths := map[string]string{}
	for _, cli := range clis {
		paths[cli] = tool(t, root, cli)
	}
	opa, conftest := lazyTool(t, root, "opa"), lazyTool(t, root, "conftest")

	// Formatting does not depend on the CLI: the first one checks it.
	if out, err := exec.Command(paths[clis[0]], "fmt", "-check", "-recursive", "-diff", ".").CombinedOutput(); err != nil {
		t.Errorf("%s fmt -check found unformatted examples (run make fmt):\n%s", clis[0], out)
	}

	work := t.TempDir()
	plugins := filepath.Join(work, "plugins")
	build := exec.Command("go", "build", "-o", filepath.Join(plugins, "terraform-provider-eset"), ".")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	cliConfig := filepath.Join(work, "cli.tfrc")
	writeFile(t, cliConfig, fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/eset-community/eset" = %[1]q
    "registry.opentofu.org/eset-community/eset" = %[1]q
  }
  direct {}
}
`, plugins))

	// The READMEs' commands run `terraform init` as a user with the provider installed does, from a local
	// mirror laid out as scripts/install.sh and scripts/mirror.sh lay theirs out.
	mirror := filepath.Join(work, "mirror")
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		dir := filepath.Join(mirror, host, "eset-community", "eset", mirrorVersion, runtime.GOOS+"_"+runtime.GOARCH)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Link(filepath.Join(plugins, "terraform-provider-eset"), filepath.Join(dir, "terraform-provider-eset")); err != nil {
			t.Fatal(err)
		}
	}
	mirrorConfig := filepath.Join(work, "mirror.tfrc")
	writeFile(t, mirrorConfig, fmt.Sprintf(`provider_installation {
  filesystem_mirror {
    path    = %q
    include = ["registry.terraform.io/eset-community/eset", "registry.opentofu.org/eset-community/eset"]
  }
  direct {
    exclude = ["registry.terraform.io/eset-community/eset", "registry.opentofu.org/eset-community/eset"]
  }
}
`, mirror))

	// Two simulators of the same world at two times: aged, its data ending dataAge before the test starts,
	// and present, ending when the test starts as a simulator a user starts does (the plan gate's 24-hour
	// window of detections and the demo read the present).
	now := time.Now()
	aged := startSimulator(t, cliConfig, now.Add(-dataAge))
	present := startSimulator(t, cliConfig, now)
	presentDirs := []string{"demo", "use-cases/plan-gate"}

	for _, cli := range clis {
		name, _, _ := strings.Cut(cli, "@")
		t.Run(name+"@"+version(t, paths[cli], aged.environ), func(t *testing.T) {
			for _, dir := range dirs {
				t.Run(dir, func(t *testing.T) {
					data := aged
					if slices.Contains(presentDirs, dir) {
						data = present
					}
					e := &env{t: t, cli: name, path: paths[cli], dir: filepath.Join(t.TempDir(), "example"),
						environ: data.environ, incidents: data.world.Incidents, world: data.world, opa: opa, conftest: conftest,
						mirror: mirrorConfig}
					if err := os.CopyFS(e.dir, os.DirFS(dir)); err != nil {
						t.Fatal(err)
					}
					e.run("validate", "-no-color")
					if check, ok := checks[dir]; ok {
						check(e)
					} else {
						e.apply()
					}
					if _, err := os.Stat(filepath.Join(dir, "README.md")); err == nil && !e.readmeRun {
						t.Errorf("examples/%s/README.md shows commands that its check does not run (e.readme)", dir)
					}
				})
			}
		})
	}
}

// simulated is a simulator the examples run against: its world, and the CLIs' environment that reaches it.
type simulated struct {
	world   simulator.World
	environ []string
}

// serveSimulator serves opts on loopback until the test ends, and fails the test if a CLI's provider sent
// a call, or the simulator gave an answer, that ESET's published documents refuse.
func serveSimulator(t *testing.T, opts simulator.Options) string {
	t.Helper()
	opts.ValidateResponses = true
	srv := simulator.New(opts)
	simulator.FailOnViolations(t, srv)
	baseURL, stop, err := simulator.Listen(srv, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return baseURL
}

// startSimulator serves the examples' world, its data ending at end, until the test ends.
func startSimulator(t *testing.T, cliConfig string, end time.Time) simulated {
	t.Helper()
	world := simulator.GenerateWorld(simulator.WorldSpec{Seed: seed, Incidents: incidentCount, End: end})
	opts := simulator.Options{Username: username, Password: password}
	opts.SetWorld(world)
	baseURL := serveSimulator(t, opts)
	environ := []string{
		"TF_CLI_CONFIG_FILE=" + cliConfig, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
		"ESET_REGION=eu", "ESET_USERNAME=" + username, "ESET_PASSWORD=" + password,
		"ESET_IAM_ENDPOINT=" + baseURL, "ESET_INCIDENT_MANAGEMENT_ENDPOINT=" + baseURL,
		"ESET_DEVICE_MANAGEMENT_ENDPOINT=" + baseURL,
	}
	return simulated{world: world, environ: append(environ, callerEnviron()...)}
}

// exampleDirs lists the directories under examples/ that hold a configuration, in a stable order.
func exampleDirs(t *testing.T) []string {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && p != "." {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".tf") && !slices.Contains(dirs, filepath.Dir(p)) {
			dirs = append(dirs, filepath.ToSlash(filepath.Dir(p)))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) == 0 {
		t.Fatal("no example directories found")
	}
	slices.Sort(dirs)
	return dirs
}

// selectedCLIs are the CLIs EXAMPLES_CLIS names, by default both.
func selectedCLIs() []string {
	if clis := strings.Fields(os.Getenv("EXAMPLES_CLIS")); len(clis) > 0 {
		return clis
	}
	return []string{"terraform", "tofu"}
}

// callerEnviron is the test's environment without its TF_ and ESET_ variables, so that nothing of the
// caller's Terraform or ESET set-up leaks into the CLIs the tests run.
func callerEnviron() []string {
	var environ []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TF_") && !strings.HasPrefix(kv, "ESET_") {
			environ = append(environ, kv)
		}
	}
	return environ
}

// lazyTool finds or builds a tool the first time a check asks for it.
func lazyTool(t *testing.T, root, name string) func() string {
	var path string
	return func() string {
		if path == "" {
			path = tool(t, root, name)
		}
		return path
	}
}

// tool finds or builds a CLI with scripts/tools.sh.
func tool(t *testing.T, root, name string) string {
	t.Helper()
	cmd := exec.Command(filepath.Join(root, "scripts", "tools.sh"), name)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("scripts/tools.sh %s: %v", name, err)
	}
	return strings.TrimSpace(string(out))
}

// version is the version a CLI reports: "1.16.4" from "Terraform v1.16.4".
func version(t *testing.T, path string, environ []string) string {
	t.Helper()
	cmd := exec.Command(path, "version")
	cmd.Env = environ
	out, err := cmd.Output()
	for line := range strings.Lines(string(out)) {
		for _, prefix := range []string{"Terraform v", "OpenTofu v"} {
			if v, ok := strings.CutPrefix(strings.TrimSpace(line), prefix); ok && err == nil {
				return v
			}
		}
	}
	t.Fatalf("%s version: %v\n%s", path, err, out)
	return ""
}

// run runs the CLI in the example's directory and fails the test when it fails. It returns stdout and
// stderr together, except for `output`, whose stdout is the value.
func (e *env) run(args ...string) string {
	e.t.Helper()
	out, err := e.try(args...)
	if err != nil {
		e.t.Fatalf("%s %s: %v\n%s", e.cli, strings.Join(args, " "), err, out)
	}
	return out
}

// try runs the CLI and returns its error, for runs that are meant to fail.
func (e *env) try(args ...string) (string, error) {
	e.t.Helper()
	cmd := exec.Command(e.path, args...)
	cmd.Dir = e.dir
	cmd.Env = e.environ
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if args[0] == "output" && err == nil {
		return stdout.String(), nil
	}
	return stdout.String() + stderr.String(), err
}

func (e *env) apply(vars ...string) string {
	e.t.Helper()
	return e.run(append([]string{"apply", "-auto-approve", "-input=false", "-no-color"}, vars...)...)
}

func (e *env) showJSON(args ...string) string {
	e.t.Helper()
	cmd := exec.Command(e.path, append([]string{"show", "-json"}, args...)...)
	cmd.Dir, cmd.Env = e.dir, e.environ
	out, err := cmd.Output()
	if err != nil {
		e.t.Fatalf("%s show -json %v: %v", e.cli, args, err)
	}
	return string(out)
}

// output decodes a root module output.
func (e *env) output(name string, into any) {
	e.t.Helper()
	out := e.run("output", "-json", name)
	if err := json.Unmarshal([]byte(out), into); err != nil {
		e.t.Fatalf("output %s: %v\n%s", name, err, out)
	}
}

func (e *env) outputNumber(name string) float64 {
	e.t.Helper()
	var n float64
	e.output(name, &n)
	return n
}

func (e *env) expectOutput(name string, want any) {
	e.t.Helper()
	var got any
	e.output(name, &got)
	if m, ok := want.(map[string]any); ok && len(m) == 0 && got != nil {
		if g, ok := got.(map[string]any); ok && len(g) == 0 {
			return
		}
	}
	if !reflect.DeepEqual(got, want) {
		e.t.Errorf("output %s is %#v, want %#v", name, got, want)
	}
}

// mspAccount is a customer's ESET account in the msp-report runs: a simulator of its own, with its own
// credentials and data set.
type mspAccount struct {
	username, password, baseURL string
	incidents                   []esetapi.Incident
}

// mspAccounts serves an account per customer, with as many incidents as sizes gives, until the test ends.
// Each data set is the world of a seed of the customer's name, ending when the examples' data ends, so that
// the README's figures are the same on every run.
func (e *env) mspAccounts(sizes map[string]int) map[string]mspAccount {
	e.t.Helper()
	accounts := map[string]mspAccount{}
	for name, size := range sizes {
		world := simulator.GenerateWorld(simulator.WorldSpec{Seed: mspSeed(name), Incidents: size, End: e.world.End})
		a := mspAccount{username: "msp-reader@" + name + ".example", password: "password-of-" + name, incidents: world.Incidents}
		opts := simulator.Options{Username: a.username, Password: a.password}
		opts.SetWorld(world)
		a.baseURL = serveSimulator(e.t, opts)
		accounts[name] = a
	}
	return accounts
}

// mspSeed is the seed of a customer's data set: the FNV-1a hash of its name, as the README says.
func mspSeed(name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return h.Sum64()
}

// mspCustomers is a customers.tfvars that lists the accounts, for mspTfvars to add their endpoints to.
func mspCustomers(accounts map[string]mspAccount) string {
	var b strings.Builder
	b.WriteString("customers = {\n")
	for _, name := range slices.Sorted(maps.Keys(accounts)) {
		fmt.Fprintf(&b, "  %q = { region = \"eu\", username = %q }\n", name, accounts[name].username)
	}
	b.WriteString("}\n")
	return b.String()
}

// writeMspPasswords passes the accounts' passwords in TF_VAR_customer_passwords, as the README does, in a
// copy of the environment: the caller restores e.environ.
func (e *env) writeMspPasswords(accounts map[string]mspAccount) {
	e.t.Helper()
	passwords := map[string]string{}
	for name, a := range accounts {
		passwords[name] = a.password
	}
	secrets, err := json.Marshal(passwords)
	if err != nil {
		e.t.Fatal(err)
	}
	e.environ = append(slices.Clone(e.environ), "TF_VAR_customer_passwords="+string(secrets))
}

// mspTfvars is a customers.tfvars (the README's, say) with the endpoints of each customer's simulator added
// to its line, `name = { … }`. Every account must have a line, and every line an account.
func (e *env) mspTfvars(tfvars string, accounts map[string]mspAccount) string {
	e.t.Helper()
	customer := regexp.MustCompile(`(?m)^(\s*"?([\w-]+)"?\s*=\s*\{.*?)\s*\}$`)
	named := map[string]bool{}
	tfvars = customer.ReplaceAllStringFunc(tfvars, func(line string) string {
		m := customer.FindStringSubmatch(line)
		a, ok := accounts[m[2]]
		if !ok {
			e.t.Errorf("customers.tfvars names %s, which the test does not serve:\n%s", m[2], tfvars)
			return line
		}
		named[m[2]] = true
		return fmt.Sprintf("%s, iam_endpoint = %q, incident_management_endpoint = %q }", m[1], a.baseURL, a.baseURL)
	})
	if len(named) != len(accounts) {
		e.t.Errorf("customers.tfvars names %v, want the %d customers %v:\n%s", slices.Sorted(maps.Keys(named)),
			len(accounts), slices.Sorted(maps.Keys(accounts)), tfvars)
	}
	return tfvars
}

// mspReport applies examples/use-cases/msp-report over the accounts with this customers.tfvars and the
// passwords in TF_VAR_customer_passwords, and compares each customer's counts with its data set.
func (e *env) mspReport(accounts map[string]mspAccount, tfvars string) {
	e.t.Helper()
	writeFile(e.t, filepath.Join(e.dir, "customers.tfvars"), tfvars)
	want := map[string]any{}
	openHigh := 0
	for name, a := range accounts {
		notClosed := func(i *esetapi.Incident) bool { return i.Status != "INCIDENT_STATUS_CLOSED" }
		open := filter(a.incidents, notClosed)
		bySeverity := map[string]any{}
		for _, s := range esetapi.Severities[1:] {
			bySeverity[s] = float64(count(a.incidents, func(i *esetapi.Incident) bool { return notClosed(i) && i.Severity == s }))
		}
		var oldest any
		if len(open) > 0 {
			oldest = open[0].CreateTime // the data set is in creation order
		}
		want[name] = map[string]any{
			"open":        float64(len(open)),
			"by_severity": bySeverity,
			"unassigned":  float64(count(a.incidents, func(i *esetapi.Incident) bool { return notClosed(i) && i.AssigneeUUID == nil })),
			"oldest_open": oldest,
		}
		openHigh += int(bySeverity["INCIDENT_SEVERITY_LEVEL_HIGH"].(float64))
	}
	environ := e.environ
	e.writeMspPasswords(accounts)
	defer func() { e.environ = environ }()

	args := []string{"-var-file=customers.tfvars"}
	if len(accounts) > 10 {
		args = append(args, "-parallelism=20") // as the README says for twenty customers
	}
	e.apply(args...)
	e.expectOutput("customers", want)
	e.expectOutput("open_high", float64(openHigh))
	out := e.run("output", "needs_attention")
	for name, c := range want {
		if high := c.(map[string]any)["by_severity"].(map[string]any)["INCIDENT_SEVERITY_LEVEL_HIGH"].(float64); high > 0 &&
			!strings.Contains(out, fmt.Sprintf("%q = %v", name, high)) {
			e.t.Errorf("needs_attention does not show %s with %v open high-severity incidents:\n%s", name, high, out)
		}
	}
}

// opaDeny evaluates the example's policy with the real opa over a `show -json` document, with optional
// extra data, as `opa eval --fail-defined 'data.main.deny[msg]'` does in a pipeline. It returns the deny
// messages, and opa's exit error: an error exactly when some rule denies.
// editSources is the `terraform show -json` document doc with change applied to the values of each of its
// data sources of type typ.
func editSources(t *testing.T, doc, typ string, change func(values map[string]any)) string {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		t.Fatal(err)
	}
	edited := 0
	values, _ := v["values"].(map[string]any)
	root, _ := values["root_module"].(map[string]any)
	resources, _ := root["resources"].([]any)
	for _, r := range resources {
		if r := r.(map[string]any); r["mode"] == "data" && r["type"] == typ {
			change(r["values"].(map[string]any))
			edited++
		}
	}
	if edited == 0 {
		t.Fatalf("no %s data source to edit", typ)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func (e *env) opaDeny(input, data string) ([]string, error) {
	e.t.Helper()
	dir := e.t.TempDir()
	writeFile(e.t, filepath.Join(dir, "input.json"), input)
	args := []string{"eval", "--fail-defined", "--format", "json", "-d", filepath.Join(e.dir, "policy"),
		"-i", filepath.Join(dir, "input.json")}
	if data != "" {
		writeFile(e.t, filepath.Join(dir, "params.json"), data)
		args = append(args, "-d", filepath.Join(dir, "params.json"))
	}
	args = append(args, "data.main.deny[msg]")
	cmd := exec.Command(e.opa(), args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var result struct {
		Result []struct {
			Bindings struct {
				Msg string `json:"msg"`
			} `json:"bindings"`
		} `json:"result"`
	}
	if jerr := json.Unmarshal(out, &result); jerr != nil {
		e.t.Fatalf("opa %v: %v, %v\n%s%s", args, err, jerr, out, stderr.String())
	}
	var msgs []string
	for _, r := range result.Result {
		msgs = append(msgs, r.Bindings.Msg)
	}
	if err != nil && len(msgs) == 0 {
		e.t.Fatalf("opa %v failed without denials: %v\n%s%s", args, err, out, stderr.String())
	}
	return msgs, err
}

// isDevice tells whether a uuid is that of a device of the world with this name.
func (e *env) isDevice(name string) func(string) bool {
	var uuids []string
	for _, d := range e.world.Devices {
		if d.DisplayName == name {
			uuids = append(uuids, d.UUID)
		}
	}
	return func(uuid string) bool { return slices.Contains(uuids, uuid) }
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func high(i *esetapi.Incident) bool { return i.Severity == "INCIDENT_SEVERITY_LEVEL_HIGH" }

// openHigh is what the README's and the provider example's open_high selects.
func openHigh(i *esetapi.Incident) bool {
	return high(i) && (i.Status == "INCIDENT_STATUS_OPEN" || i.Status == "INCIDENT_STATUS_IN_PROGRESS")
}

func filter(incidents []esetapi.Incident, keep func(*esetapi.Incident) bool) []*esetapi.Incident {
	var kept []*esetapi.Incident
	for i := range incidents {
		if keep(&incidents[i]) {
			kept = append(kept, &incidents[i])
		}
	}
	return kept
}

func count(incidents []esetapi.Incident, keep func(*esetapi.Incident) bool) int {
	return len(filter(incidents, keep))
}
