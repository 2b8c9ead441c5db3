// Package provider is the Terraform layer of terraform-provider-eset: the provider configuration, its data
// sources and functions, as a thin typed layer over the esetapi client.
package provider

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// Ensure the implementation satisfies the expected interfaces.
var (
	_ provider.Provider              = &EsetProvider{}
	_ provider.ProviderWithFunctions = &EsetProvider{}
)

// EsetProvider is the eset provider.
type EsetProvider struct {
	// version is "dev" for local builds, the release version when built by goreleaser, "test" in tests.
	version string
	// data is what Configure made, kept for the fast path's reads (see fastDataSource in fast_path.go),
	// which run on other goroutines than Configure.
	data atomic.Pointer[providerData]
}

// New returns a function that makes the provider, as providerserver expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &EsetProvider{version: version}
	}
}

// EsetProviderModel describes the provider configuration.
type EsetProviderModel struct {
	Region                     types.String  `tfsdk:"region"`
	Username                   types.String  `tfsdk:"username"`
	Password                   types.String  `tfsdk:"password"`
	IAMEndpoint                types.String  `tfsdk:"iam_endpoint"`
	IncidentManagementEndpoint types.String  `tfsdk:"incident_management_endpoint"`
	DeviceManagementEndpoint   types.String  `tfsdk:"device_management_endpoint"`
	RequestsPerSecond          types.Float64 `tfsdk:"requests_per_second"`
	MaxRetries                 types.Int64   `tfsdk:"max_retries"`
	MaxConcurrency             types.Int64   `tfsdk:"max_concurrency"`
	PaceLedger                 types.Bool    `tfsdk:"pace_ledger"`
}

func (p *EsetProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "eset"
	resp.Version = p.version
}

func (p *EsetProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The ESET provider reads devices, device groups, incidents and detections from ESET Connect's APIs " +
			"(ESET Inspect / ESET PROTECT). It authenticates as an ESET Connect API user with the OAuth2 password grant.",
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				MarkdownDescription: "ESET Connect region of the account: one of `" + strings.Join(esetapi.Regions, "`, `") +
					"`. Use the region of the customer's ESET PROTECT server: credentials of one region fail in another. " +
					"Can also be set with the `ESET_REGION` environment variable.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(esetapi.Regions...)},
			},
			"username": schema.StringAttribute{
				MarkdownDescription: "User name of the ESET Connect API user (created in ESET PROTECT Hub or ESET Business Account " +
					"with Integrations access). Can also be set with the `ESET_USERNAME` environment variable.",
				Optional: true,
			},
			"password": schema.StringAttribute{
				MarkdownDescription: "Password of the API user. Prefer the `ESET_PASSWORD` environment variable to keep it out of " +
					"configuration files. It never appears in state, logs or error messages.",
				Optional:  true,
				Sensitive: true,
			},
			"iam_endpoint": schema.StringAttribute{
				MarkdownDescription: "Base URL of the ESET token service. Defaults to `https://<region>.business-account.iam.eset.systems`. " +
					"Must be `https://`, except on loopback hosts (`127.0.0.0/8`, `::1`, `localhost`), with no user name, password, " +
					"query or fragment. Can also be set with the `ESET_IAM_ENDPOINT` environment variable.",
				Optional:   true,
				Validators: []validator.String{endpointValidator{}},
			},
			"incident_management_endpoint": schema.StringAttribute{
				MarkdownDescription: "Base URL of the Incident Management API. Defaults to `https://<region>.incident-management.eset.systems`. " +
					"Must be `https://`, except on loopback hosts, with no user name, password, query or fragment. " +
					"Can also be set with the `ESET_INCIDENT_MANAGEMENT_ENDPOINT` environment variable.",
				Optional:   true,
				Validators: []validator.String{endpointValidator{}},
			},
			"device_management_endpoint": schema.StringAttribute{
				MarkdownDescription: "Base URL of the Device Management API (devices and device groups). Defaults to " +
					"`https://<region>.device-management.eset.systems`. Must be `https://`, except on loopback hosts, with no user name, password, query or fragment. The same token " +
					"and the same pace serve it. Can also be set with the `ESET_DEVICE_MANAGEMENT_ENDPOINT` environment variable.",
				Optional:   true,
				Validators: []validator.String{endpointValidator{}},
			},
			"requests_per_second": schema.Float64Attribute{
				MarkdownDescription: "Pace of calls to the ESET APIs, shared by every data source of this provider and by every " +
					"provider process of this machine calling as the same user (see Rate limiting). The API allows 10 calls in any " +
					"one-second window per credentials; the provider sends at most this many calls in any window of one second and " +
					"15 ms (9.85 calls/s at 10), in the order data sources asked. " + requestsPerSecondSetting.docs(),
				Optional:   true,
				Validators: []validator.Float64{requestsPerSecondSetting},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: "Retries of one API call after a transient failure (429, 500, 502, 503, 504, a reset " +
					"connection or a timed-out attempt), with exponential backoff that honours `Retry-After` (up to " +
					shortDuration(esetapi.MaxRetryAfter) + "); `0` turns retries off. " + maxRetriesSetting.docs(),
				Optional:   true,
				Validators: []validator.Int64{maxRetriesSetting},
			},
			"max_concurrency": schema.Int64Attribute{
				MarkdownDescription: "Most detail calls in flight at once when `eset_incidents` reads details " +
					"(`include_details`). All calls still keep the `requests_per_second` pace. " + maxConcurrencySetting.docs(),
				Optional:   true,
				Validators: []validator.Int64{maxConcurrencySetting},
			},
			"pace_ledger": schema.BoolAttribute{
				MarkdownDescription: "Whether the provider processes of this machine that call as the same OS user and API user " +
					"count each other's calls through a small file in the user's cache directory (see Rate limiting). Defaults to " +
					"`true`. With `false` each process paces alone and, not knowing the calls of a process just before it, holds " +
					"its first call for one window (1.015 s at 10 calls/s). Can also be set with the `ESET_PACE_LEDGER` environment " +
					"variable (`0` or `false` turns it off).",
				Optional: true,
			},
		},
	}
}

// setting is one provider attribute with its environment variable.
type setting struct {
	attribute, env string
	value          types.String
}

// resolve returns the configured value, else the environment's. Config wins over environment.
func (s setting) resolve() string {
	if !s.value.IsNull() {
		return s.value.ValueString()
	}
	return os.Getenv(s.env)
}

func (p *EsetProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config EsetProviderModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	region := setting{"region", "ESET_REGION", config.Region}
	username := setting{"username", "ESET_USERNAME", config.Username}
	password := setting{"password", "ESET_PASSWORD", config.Password}
	iam := setting{"iam_endpoint", "ESET_IAM_ENDPOINT", config.IAMEndpoint}
	im := setting{"incident_management_endpoint", "ESET_INCIDENT_MANAGEMENT_ENDPOINT", config.IncidentManagementEndpoint}
	dm := setting{"device_management_endpoint", "ESET_DEVICE_MANAGEMENT_ENDPOINT", config.DeviceManagementEndpoint}

	for _, s := range []setting{region, username, password, iam, im, dm} {
		if s.value.IsUnknown() {
			resp.Diagnostics.AddAttributeError(path.Root(s.attribute), "Unknown ESET provider "+s.attribute,
				fmt.Sprintf("The provider cannot read incidents while %s is unknown: set it to a value known at plan time, or use the %s environment variable.", s.attribute, s.env))
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	var missing []string
	for _, s := range []setting{region, username, password} {
		if s.resolve() == "" {
			missing = append(missing, fmt.Sprintf("  - %s (or the %s environment variable)", s.attribute, s.env))
		}
	}
	if len(missing) > 0 {
		resp.Diagnostics.AddError("Missing ESET provider configuration",
			"The eset provider needs the region and the credentials of an ESET Connect API user. Set:\n"+strings.Join(missing, "\n"))
		return
	}

	regionValue := region.resolve()
	if !slices.Contains(esetapi.Regions, regionValue) {
		resp.Diagnostics.AddAttributeError(path.Root("region"), "Invalid ESET region",
			fmt.Sprintf("Region %q (from %s) is not an ESET Connect region: use one of %s.", regionValue, region.env, strings.Join(esetapi.Regions, ", ")))
		return
	}
	iamURL := resolveEndpoint(iam, esetapi.DefaultIAMEndpoint(regionValue), &resp.Diagnostics)
	imURL := resolveEndpoint(im, esetapi.DefaultIncidentManagementEndpoint(regionValue), &resp.Diagnostics)
	dmURL := resolveEndpoint(dm, esetapi.DefaultDeviceManagementEndpoint(regionValue), &resp.Diagnostics)

	for name, v := range map[string]attr.Value{"requests_per_second": config.RequestsPerSecond, "max_retries": config.MaxRetries, "max_concurrency": config.MaxConcurrency, "pace_ledger": config.PaceLedger} {
		if v.IsUnknown() {
			resp.Diagnostics.AddAttributeError(path.Root(name), "Unknown ESET provider "+name,
				fmt.Sprintf("The provider cannot pace or retry its calls while %s is unknown: set it to a value known at plan time.", name))
		}
	}
	rps := requestsPerSecondSetting.resolve(config.RequestsPerSecond.ValueFloat64Pointer(), &resp.Diagnostics)
	retries := maxRetriesSetting.resolve(int64AsFloat(config.MaxRetries), &resp.Diagnostics)
	concurrency := maxConcurrencySetting.resolve(int64AsFloat(config.MaxConcurrency), &resp.Diagnostics)
	ledger := resolvePaceLedger(config.PaceLedger, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	maxRetries := int(retries)
	if maxRetries == 0 {
		maxRetries = -1 // the client reads 0 as "default"; the user said "none"
	}

	secret := password.resolve()
	ctx = maskSecrets(ctx, []string{secret})
	client, err := esetapi.New(esetapi.Config{
		IAMEndpoint:                iamURL,
		IncidentManagementEndpoint: imURL,
		DeviceManagementEndpoint:   dmURL,
		Username:                   username.resolve(),
		Password:                   secret,
		UserAgent:                  fmt.Sprintf("terraform-provider-eset/%s (+https://registry.terraform.io/providers/eset-community/eset)", p.version),
		RequestsPerSecond:          rps,
		PaceDir:                    paceDir(ctx, ledger),
		MaxRetries:                 maxRetries,
		Logger:                     tfLogger{},
		Transport:                  clientTransport(),
	})
	if err != nil {
		resp.Diagnostics.AddError("Unable to configure the ESET client", err.Error())
		return
	}
	tflog.Debug(ctx, "configured the ESET client", map[string]any{
		"region": regionValue, "incident_management_endpoint": imURL, "device_management_endpoint": dmURL, "requests_per_second": rps, "max_retries": retries,
		"pace_ledger": ledger,
	})
	data := &providerData{client: client, maxConcurrency: int(concurrency), secrets: []string{secret}}
	p.data.Store(data)
	resp.DataSourceData = data
}

// clientTransport makes the transport of the client Configure makes: nil, the client's own. It is for
// the tests, which note through theirs when the provider's calls went out (helpers_test.go).
var clientTransport = func() http.RoundTripper { return nil }

// paceCacheDir is the directory paceDir puts the pace ledger under: the user's cache directory, or in
// tests a directory of their own.
var paceCacheDir = os.UserCacheDir

// paceDir is where the provider processes of this machine share the send times of each API user's calls
// (esetapi's paceLedger), or "" when the ledger is off: they pace alone. Without a cache directory too.
func paceDir(ctx context.Context, on bool) string {
	if !on {
		return ""
	}
	dir, err := paceCacheDir()
	if err != nil {
		tflog.Warn(ctx, "pacing without other processes' calls, and so slower: no cache directory for the pace ledger", map[string]any{"error": err.Error()})
		return ""
	}
	return filepath.Join(dir, "terraform-provider-eset", "pace")
}

// resolvePaceLedger returns whether the pace ledger is on: as configured, else as ESET_PACE_LEDGER says
// (strconv.ParseBool's words: 0, false, 1, true...), else on. A value that is not a truth value is an error
// naming the variable.
func resolvePaceLedger(configured types.Bool, diags *diag.Diagnostics) bool {
	if !configured.IsNull() {
		return configured.ValueBool()
	}
	raw := os.Getenv("ESET_PACE_LEDGER")
	if raw == "" {
		return true
	}
	on, err := strconv.ParseBool(raw)
	if err != nil {
		diags.AddError("Invalid ESET_PACE_LEDGER", fmt.Sprintf("The environment variable ESET_PACE_LEDGER is %q: set it to 0 or false to turn the pace ledger off, 1 or true to keep it.", raw))
		return true
	}
	return on
}

// resolveEndpoint returns the endpoint the setting names, else def, after checking that credentials sent
// to it cannot travel in clear text.
func resolveEndpoint(s setting, def string, diags *diag.Diagnostics) string {
	v := strings.TrimRight(s.resolve(), "/")
	if v == "" {
		v = def
	}
	if err := esetapi.CheckEndpoint(v); err != nil {
		diags.AddAttributeError(path.Root(s.attribute), "Invalid ESET endpoint", fmt.Sprintf("%s (or %s): %v", s.attribute, s.env, err))
	}
	return v
}

func int64AsFloat(v types.Int64) *float64 {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	f := float64(v.ValueInt64())
	return &f
}

func (p *EsetProvider) Resources(context.Context) []func() resource.Resource { return nil }

func (p *EsetProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewIncidentsDataSource, NewIncidentDataSource, NewDevicesDataSource, NewDeviceDataSource, NewDeviceGroupsDataSource, NewDetectionsDataSource}
}

func (p *EsetProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{NewQuoteFunction}
}

// Address is the provider's registry address.
const Address = "registry.terraform.io/eset-community/eset"
