//go:build examples

// Package examples_test runs every example configuration under examples/ through the real terraform and
// tofu CLIs against the ESET API simulator: `terraform fmt -check`, then for each CLI `validate` and `apply`
// of every example directory, with assertions on what each one must show. The provider under test is
// built from this checkout and reached through dev_overrides, so nothing is downloaded.
//
// Run it with `make examples-check`, or `go test -tags examples ./examples/`. EXAMPLES_CLIS selects the
// CLIs (default "terraform tofu"); scripts/tools.sh finds or builds them, and opa, into .tools/.
package examples_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// The data set every example reads: the simulator's synthetic incidents, the same on every run, with the
// seed, size and credentials `go run ./cmd/eset-simulator` has by default, so that the READMEs' figures are
// those a user sees.
const (
	seed          = 1
	incidentCount = 500
	username      = "demo-api-user@example.com"
	password      = "demo-password"
	// dataAge is how long before the test starts the data ends: the data's 58 hours then lie between 4 and
	// 7 days back, so every open high-severity incident is older than the policy's 72 hours and the report's
	// `period=7d` holds every incident, on whatever day the test runs.
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
	incidents []esetapi.Incident
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
		// Devices without incidents: the change goes ahead.
		e.apply()
		e.expectOutput("blocking_incidents", map[string]any{})
		// A device of an open high-severity incident: the plan fails with the precondition's message,
		// naming the device and the incident, and nothing is changed.
		var blocker *esetapi.Incident
		for i := range e.incidents {
			if inc := &e.incidents[i]; high(inc) && inc.Status != "INCIDENT_STATUS_CLOSED" {
				blocker = inc
				break
			}
		}
		device := blocker.DeviceUUIDs[0]
		// The README names the device and a clean one; its output shows the device's incidents.
		e.readme(map[string]string{"<device uuid>": device, "<clean device uuid>": "00000000-0000-4000-8000-000000000003"},
			`terraform apply -var 'device_uuids=["<clean device uuid>", "<device uuid>"]' -var change_id=CHG-1235`,
			`terraform plan -var 'device_uuids=[]'`)
		out, err := e.try("plan", "-input=false", "-no-color", "-var", `device_uuids=["`+device+`"]`, "-var", "change_id=CHG-2000")
		if err == nil {
			e.t.Fatalf("the plan for a device with an open high-severity incident succeeded:\n%s", out)
		}
		for _, want := range []string{"Change CHG-2000 is blocked", "device " + device, blocker.UUID} {
			if !strings.Contains(out, want) {
				e.t.Errorf("the failed plan does not mention %q:\n%s", want, out)
			}
		}
	},
	"use-cases/msp-report": func(e *env) {
		// The README's commands over three customers' accounts, each served by a simulator of its own with
		// its own credentials and data set; with OpenTofu, whose for_each makes a provider configuration per
		// entry, over twenty too.
		sizes := map[string]int{"acme": 150, "globex": 60, "initech": 240}
		if e.cli == "tofu" {
			e.mspReport(sizes)
			for i := range 17 {
				sizes[fmt.Sprintf("customer-%02d", i+4)] = 20 + 10*i
			}
		}
		e.mspReport(sizes)
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
		if !strings.Contains(out, "no_overdue_high_severity_incidents") {
			e.t.Errorf("the check block did not warn about %d overdue incidents:\n%s", overdue, out)
		}
		var listed []string
		e.output("overdue_incidents", &listed)
		if len(listed) != overdue {
			e.t.Errorf("overdue_incidents lists %d incidents, want %d", len(listed), overdue)
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
				e.t.Errorf("opa over the %s passed; want %d denials", name, overdue)
			}
			if len(denials) != overdue {
				e.t.Errorf("opa over the %s denied %d incidents, want %d: %v", name, len(denials), overdue, denials)
			}
			for _, d := range denials[:min(1, len(denials))] {
				if !strings.Contains(d, "INCIDENT_STATUS_") || !strings.Contains(d, "more than the 72 hours allowed") {
					e.t.Errorf("unexpected denial message %q", d)
				}
			}
			// A threshold past the age of every incident: the policy passes.
			denials, err = e.opaDeny(input, `{"params": {"max_age_hours": 10000000}}`)
			if err != nil || len(denials) != 0 {
				e.t.Errorf("opa over the %s with max_age_hours = 10000000: err %v, denials %v", name, err, denials)
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

		e.apply("-var", "period=7d")
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

		report := e.run("output", "-raw", "report")
		wants := []string{
			"# ESET incident report\n",
			"Incidents created in the last 7d, as of ",
			fmt.Sprintf(": **%d**.", len(e.incidents)),
			"| Severity | Incidents |\n|---|---:|\n",
			fmt.Sprintf("| High | %v |\n| Medium | %v |\n| Low | %v |\n", bySeverity["INCIDENT_SEVERITY_LEVEL_HIGH"],
				bySeverity["INCIDENT_SEVERITY_LEVEL_MEDIUM"], bySeverity["INCIDENT_SEVERITY_LEVEL_LOW"]),
			fmt.Sprintf("| In progress | %v |\n", byStatus["INCIDENT_STATUS_IN_PROGRESS"]),
			fmt.Sprintf("| Waiting for input | %v |\n", byStatus["INCIDENT_STATUS_WAITING_FOR_INPUT"]),
			"| Age | Incidents |\n",
			fmt.Sprintf("| `unassigned` | %v |\n", byAssignee["unassigned"]),
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

	opts := simulator.Options{Username: username, Password: password}
	opts.SetWorld(simulator.GenerateWorld(simulator.WorldSpec{Seed: seed, Incidents: incidentCount, End: time.Now().Add(-dataAge)}))
	baseURL, stop, err := simulator.Listen(simulator.New(opts), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)

	environ := []string{
		"TF_CLI_CONFIG_FILE=" + cliConfig, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
		"ESET_REGION=eu", "ESET_USERNAME=" + username, "ESET_PASSWORD=" + password,
		"ESET_IAM_ENDPOINT=" + baseURL, "ESET_INCIDENT_MANAGEMENT_ENDPOINT=" + baseURL,
	}
	environ = append(environ, callerEnviron()...)

	for _, cli := range clis {
		t.Run(cli, func(t *testing.T) {
			for _, dir := range dirs {
				t.Run(dir, func(t *testing.T) {
					e := &env{t: t, cli: cli, path: paths[cli], dir: filepath.Join(t.TempDir(), "example"),
						environ: environ, incidents: opts.Incidents, opa: opa, conftest: conftest, mirror: mirrorConfig}
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

// mspReport serves each customer's account from a simulator of its own, applies examples/use-cases/msp-report
// over them as its README says, and compares each customer's counts with its data set.
func (e *env) mspReport(sizes map[string]int) {
	e.t.Helper()
	var tfvars strings.Builder
	tfvars.WriteString("customers = {\n")
	passwords := map[string]string{}
	want := map[string]any{}
	openHigh := 0
	seed := uint64(100)
	for _, name := range slices.Sorted(maps.Keys(sizes)) {
		seed++
		incidents := simulator.Generate(seed, sizes[name])
		user, password := "msp-reader@"+name+".example", "password-of-"+name
		baseURL, stop, err := simulator.Listen(simulator.New(simulator.Options{
			Incidents: incidents, Username: user, Password: password,
		}), "127.0.0.1:0")
		if err != nil {
			e.t.Fatal(err)
		}
		e.t.Cleanup(stop)
		fmt.Fprintf(&tfvars, "  %q = { region = \"eu\", username = %q, iam_endpoint = %q, incident_management_endpoint = %q }\n",
			name, user, baseURL, baseURL)
		passwords[name] = password

		open := filter(incidents, func(i *esetapi.Incident) bool { return i.Status != "INCIDENT_STATUS_CLOSED" })
		bySeverity := map[string]any{}
		for _, s := range esetapi.Severities[1:] {
			bySeverity[s] = float64(count(incidents, func(i *esetapi.Incident) bool { return i.Status != "INCIDENT_STATUS_CLOSED" && i.Severity == s }))
		}
		var oldest any
		if len(open) > 0 {
			oldest = open[0].CreateTime // the data set is in creation order
		}
		want[name] = map[string]any{
			"open":        float64(len(open)),
			"by_severity": bySeverity,
			"unassigned":  float64(count(incidents, func(i *esetapi.Incident) bool { return i.Status != "INCIDENT_STATUS_CLOSED" && i.AssigneeUUID == nil })),
			"oldest_open": oldest,
		}
		openHigh += int(bySeverity["INCIDENT_SEVERITY_LEVEL_HIGH"].(float64))
	}
	tfvars.WriteString("}\n")
	writeFile(e.t, filepath.Join(e.dir, "customers.tfvars"), tfvars.String())
	secrets, err := json.Marshal(passwords)
	if err != nil {
		e.t.Fatal(err)
	}
	environ := e.environ
	e.environ = append(slices.Clone(environ), "TF_VAR_customer_passwords="+string(secrets))
	defer func() { e.environ = environ }()

	args := []string{"-var-file=customers.tfvars"}
	if len(sizes) > 10 {
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

	if e.cli == "terraform" {
		// customers.tf reads three customers by name: a fourth in var.customers stops the plan with a
		// message that says to add its provider block, rather than being left out of the report.
		writeFile(e.t, filepath.Join(e.dir, "customers.tfvars"), strings.TrimSuffix(tfvars.String(), "}\n")+
			`  "umbrella" = { region = "eu", username = "u", iam_endpoint = "http://127.0.0.1:1", incident_management_endpoint = "http://127.0.0.1:1" }`+"\n}\n")
		out, err := e.try(append([]string{"plan", "-input=false", "-no-color"}, args...)...)
		if err == nil || !regexp.MustCompile(`(?s)umbrella.*provider\s+block`).MatchString(out) {
			e.t.Errorf("a customer customers.tf does not read: %v, want a plan error naming it and the provider block to add:\n%s", err, out)
		}
	}
}

// opaDeny evaluates the example's policy with the real opa over a `show -json` document, with optional
// extra data, as `opa eval --fail-defined 'data.main.deny[msg]'` does in a pipeline. It returns the deny
// messages, and opa's exit error: an error exactly when some rule denies.
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
