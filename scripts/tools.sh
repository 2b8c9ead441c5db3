#!/usr/bin/env bash
# Finds, or builds and caches, the command-line tools the tests and the demo need, so that a fresh machine
# needs nothing installed by hand.
#
#   scripts/tools.sh TOOL[@VERSION]...      prints each tool's absolute path, one a line, building it first
#                                           if needed (progress goes to stderr)
#   scripts/tools.sh -any terraform|tofu    prints a CLI of any version the provider supports (the matrix's
#                                           oldest or later): PATH's, else the newest cached, else builds the
#                                           matrix's newest (make demo)
#   scripts/tools.sh -matrix                prints the CLIs the acceptance tests run on, as TOOL@VERSION
#   scripts/tools.sh -background TOOL...    builds what is missing in the background (-each) and returns at once
#   scripts/tools.sh -each TOOL...          the first form, but a tool that fails is logged and the rest built
#
# TOOL is terraform, tofu, opa, conftest, goreleaser, golangci-lint or terraform-provider-http (make bench). terraform and tofu take any version the Go
# module proxy serves; without one they are the newest of the matrix below.
#
# Each tool is a binary named by its version, .tools/bin/<tool>-<version> (git-ignored; ESET_TOOLS_DIR
# moves the cache). A terraform, tofu, opa or conftest on PATH is used only when its version command says
# exactly the version asked for (the pinned one for opa and conftest; any supported one with -any), and so
# is a cached CLI: anything else is built, from the Go module proxy (the only registry these machines reach). A lock per tool lets several runs share the cache: a second run waits for a build
# in progress instead of starting another.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cache="${ESET_TOOLS_DIR:-$root/.tools}"
mkdir -p "$cache/bin" "$cache/locks"

# The CLIs every acceptance test runs on, oldest first: the oldest versions the README claims (provider
# functions arrived in Terraform 1.8.0 and OpenTofu 1.7.0) and the newest releases the Go module proxy
# serves. The README's supported-versions line says the same.
TERRAFORM_VERSIONS="1.8.0 1.16.4"
TOFU_VERSIONS="1.7.0 1.12.6"
OPA_VERSION=1.22.2
CONFTEST_VERSION=0.71.1
GORELEASER_VERSION=2.13.0
GOLANGCI_LINT_VERSION=2.15.0

# build_time <terraform|tofu> <version>: how long a first build takes on 2 cores with a cold Go cache, as
# PERFORMANCE.md's "The first commands" gives it (keep the two in step); said before a build starts, so
# that nobody waits blind.
build_time() {
  case "$1@$2" in
    terraform@1.8.0) echo "about 3 minutes (300 CPU seconds)" ;;
    terraform@1.16.4) echo "about 2.5 minutes (250 CPU seconds)" ;;
    tofu@1.7.0) echo "about 3 minutes (280 CPU seconds)" ;;
    tofu@1.12.6) echo "about 4 minutes (390 CPU seconds)" ;;
    *) echo "3 to 4 minutes" ;;
  esac
}

log() { echo "tools: $*" >&2; }

# cli_version <binary>: the first line of `<binary> version` ("Terraform v1.16.4"), or nothing.
cli_version() {
  [ -x "$1" ] || return 0
  CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$1" version 2>/dev/null | sed -n 1p
}

# cli_semver <binary>: the version a terraform or tofu reports, 1.11.4 or 1.9.0-beta1, from `version -json`
# (both CLIs have it since long before the oldest version supported), else from the first line of
# `version`; nothing when it is neither.
cli_semver() {
  [ -x "$1" ] || return 0
  local v
  v=$(CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$1" version -json 2>/dev/null |
    sed -n 's/^ *"\(terraform\|tofu\|opentofu\)_version": *"v\{0,1\}\([^"]*\)".*/\2/p' | sed -n 1p)
  [ -n "$v" ] || v=$(cli_version "$1" | sed -n 's/^[A-Za-z]* v\([0-9][^ ]*\).*/\1/p')
  echo "$v"
}

# at_least <version> <minimum>: whether version is minimum or later; a pre-release (1.8.0-rc1) comes before
# its release, and anything that is not a version fails.
at_least() {
  awk -v v="$1" -v m="$2" 'BEGIN {
    if (v !~ /^[0-9]+\.[0-9]+\.[0-9]+/) exit 1
    pre = v ~ /^[0-9]+\.[0-9]+\.[0-9]+-/
    split(v, a, /[.+-]/); split(m, b, /[.+-]/)
    for (i = 1; i <= 3; i++) { if (a[i] + 0 != b[i] + 0) exit !(a[i] + 0 > b[i] + 0) }
    exit pre
  }'
}

# any_cli <terraform|tofu>: prints a CLI the provider supports without building one when any is at hand:
# the one on PATH if its version is the matrix's oldest or later, else the newest such build in the cache;
# else builds the matrix's newest.
any_cli() {
  local name=$1 oldest newest product path v best= bestv=
  case "$name" in
    terraform) oldest=${TERRAFORM_VERSIONS%% *} newest=${TERRAFORM_VERSIONS##* } product=Terraform ;;
    tofu) oldest=${TOFU_VERSIONS%% *} newest=${TOFU_VERSIONS##* } product=OpenTofu ;;
    *) log "-any takes terraform or tofu, not $name"; return 2 ;;
  esac
  if path=$(command -v "$name"); then
    v=$(cli_semver "$path")
    # A tofu installed under the name terraform (or the reverse) would not be the CLI asked for.
    if [ -n "$v" ] && at_least "$v" "$oldest" && [ "$(cli_version "$path" | cut -d' ' -f1)" = "$product" ]; then
      echo "$path"
      return
    fi
    log "$path says \"$(cli_version "$path")\", not $product $oldest or later"
  fi
  for path in "$cache/bin/$name"-[0-9]*; do
    case "$path" in *.tmp.*) continue ;; esac
    v=$(cli_semver "$path")
    [ -n "$v" ] && at_least "$v" "$oldest" || continue
    if [ -z "$best" ] || at_least "$v" "$bestv"; then best=$path bestv=$v; fi
  done
  if [ -n "$best" ]; then echo "$best"; return; fi
  log "no $product $oldest or later on PATH or in $cache/bin: put one on PATH to skip this build"
  cli "$name" "$newest"
}

# drop_missing_replaces: in the module of the current directory, drops each `replace M => ./path` whose
# path is not in the module zip (Terraform's nested modules of the azure, consul, cos, gcs, kubernetes,
# oci, oss, pg and s3 state backends, and internal/legacy, which only those use), and removes those
# backends' imports and registrations from internal/backend/init/init.go. The proxy serves none of
# them, so the build cannot have them; local, remote, cloud, http and inmem stay.
drop_missing_replaces() {
  local init=internal/backend/init/init.go old new alias
  go mod edit -json | awk '
    /"Old": \{/ { side = "old" }
    /"New": \{/ { side = "new" }
    /"Path":/ {
      p = $2; gsub(/[",]/, "", p)
      if (side == "old") old = p
      else if (side == "new" && p ~ /^\.\.?\//) print old, p
      side = ""
    }' |
    while read -r old new; do
      [ -d "$new" ] && continue
      log "  dropping $old (not in the module zip)"
      go mod edit -dropreplace="$old" -droprequire="$old"
      [ -f "$init" ] || continue
      alias=$(sed -n "s|^[[:space:]]*\([A-Za-z0-9_]*\)[[:space:]]*\"${old//./\\.}\"\$|\1|p" "$init")
      [ -n "$alias" ] || continue
      sed -i -e "\|\"${old//./\\.}\"\$|d" -e "/[^A-Za-z0-9_]$alias\./d" "$init"
    done
}

# build_cli <module> <version> <package> <output>: builds a CLI whose go.mod has replace directives, which
# `go install` refuses, inside a writable temporary copy of the module, then moves it into place. The copy
# goes to the system's temporary directory: under .tools/, make vet's `gofmt -l .` would read its sources.
build_cli() {
  local module=$1 version=$2 pkg=$3 out=$4 dir work
  log "building $(basename "$module") $version from source: $(build_time "$(basename "${out%-*}")" "$version") on 2 cores with an empty Go cache, once; then cached as $out"
  dir=$(cd / && go mod download -json "$module@v$version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [ -n "$dir" ] || { log "go mod download $module@v$version failed"; return 1; }
  work=$(mktemp -d "${TMPDIR:-/tmp}/eset-tools-$(basename "$out").XXXXXX")
  (
    trap 'rm -rf "$work"' EXIT
    cp -r "$dir" "$work/module" && chmod -R u+w "$work/module" && cd "$work/module"
    drop_missing_replaces
    # version.dev=no: without it the CLI calls itself a pre-release (v1.16.4-dev).
    CGO_ENABLED=0 go build -mod=readonly -trimpath -ldflags "-s -w -X '$module/version.dev=no'" \
      -o "$work/bin" "$pkg" >&2
    # A rename within bin/: the cached binary appears whole or not at all.
    mv "$work/bin" "$out.tmp.$$" && mv "$out.tmp.$$" "$out"
  )
}

# cli <terraform|tofu> <version>: prints the path of that exact version, from PATH, the cache or a build.
cli() {
  local name=$1 version=$2 module pkg want onpath out
  case "$name" in
    terraform) module=github.com/hashicorp/terraform pkg=. want="Terraform v$version" ;;
    tofu) module=github.com/opentofu/opentofu pkg=./cmd/tofu want="OpenTofu v$version" ;;
  esac
  onpath=$(command -v "$name" || true)
  if [ -n "$onpath" ] && [ "$(cli_version "$onpath")" = "$want" ]; then echo "$onpath"; return; fi
  out="$cache/bin/$name-$version"
  (
    flock 9
    if [ "$(cli_version "$out")" != "$want" ]; then
      [ ! -e "$out" ] || log "$out says \"$(cli_version "$out")\", not \"$want\": rebuilding it"
      build_cli "$module" "$version" "$pkg" "$out"
      local got
      got=$(cli_version "$out")
      [ "$got" = "$want" ] || { log "the build of $name $version says \"$got\", not \"$want\""; exit 1; }
    fi
  ) 9>"$cache/locks/$name-$version"
  echo "$out"
}

go_install() { # go_install <module/cmd path> <version> <name>
  local pkg=$1 version=$2 name=$3
  local out="$cache/bin/$name-$version"
  (
    flock 9
    [ -x "$out" ] && exit 0
    log "installing $pkg@v$version"
    rm -rf "$out.d"
    GOBIN="$out.d" go install "$pkg@v$version" >&2
    # The command is named after the last path element that is not a major version suffix (.../v2).
    local bin
    bin=$(basename "$pkg")
    case "$bin" in v[0-9]*) bin=$(basename "$(dirname "$pkg")") ;; esac
    mv "$out.d/$bin" "$out" && rm -rf "$out.d"
  ) 9>"$cache/locks/$name-$version"
  echo "$out"
}

# on_path <name> <version> <version command> <prefix>: prints the tool on PATH when the line of its version
# command that starts with prefix names exactly that version ("Version: 1.22.2"); fails otherwise, so that
# another version on PATH is never used in place of the pinned one.
on_path() {
  local path got
  path=$(command -v "$1") || return 1
  got=$($3 2>/dev/null | sed -n "s/^$4//p" | sed -n 1p)
  [ "$got" = "$2" ] || { log "$path is version \"$got\", not $2: using the pinned build instead"; return 1; }
  echo "$path"
}

find_tool() {
  local name=${1%@*} version=
  [ "$name" = "$1" ] || version=${1#*@}
  case "$name" in
    terraform) cli terraform "${version:-${TERRAFORM_VERSIONS##* }}" ;;
    tofu) cli tofu "${version:-${TOFU_VERSIONS##* }}" ;;
    opa)
      on_path opa "${version:-$OPA_VERSION}" 'opa version' 'Version: ' && return
      go_install github.com/open-policy-agent/opa "${version:-$OPA_VERSION}" opa ;;
    conftest)
      on_path conftest "${version:-$CONFTEST_VERSION}" 'conftest --version' 'Conftest: ' && return
      go_install github.com/open-policy-agent/conftest "${version:-$CONFTEST_VERSION}" conftest ;;
    goreleaser) go_install github.com/goreleaser/goreleaser/v2 "${version:-$GORELEASER_VERSION}" goreleaser ;;
    golangci-lint)
      go_install github.com/golangci/golangci-lint/v2/cmd/golangci-lint "${version:-$GOLANGCI_LINT_VERSION}" golangci-lint ;;
    terraform-provider-http)
      # hashicorp/http for make bench's hand-made page chain: v1.2.0 is the newest the Go module proxy
      # serves under this module path (v3's path is not), and its data source names the body `body`.
      go_install github.com/terraform-providers/terraform-provider-http "${version:-1.2.0}" terraform-provider-http ;;
    *) log "unknown tool $1"; return 2 ;;
  esac
}

case "${1:-}" in
  -any)
    shift
    for tool in "$@"; do any_cli "$tool"; done ;;
  -matrix)
    for v in $TERRAFORM_VERSIONS; do echo "terraform@$v"; done
    for v in $TOFU_VERSIONS; do echo "tofu@$v"; done ;;
  -background)
    # One after the other, in the order given, each build using every core; a run that needs a tool
    # sooner builds it itself, and the lock keeps the two from building the same one.
    shift
    log "building $* in the background if missing (log: $cache/background.log)"
    nohup "$0" -each "$@" >>"$cache/background.log" 2>&1 </dev/null &
    ;;
  -each)
    # Each tool in its own run, so that one failed build is logged and the others are still built.
    shift
    for tool in "$@"; do "$0" "$tool" || log "FAIL: $tool could be neither found nor built; going on with the rest"; done ;;
  *) for tool in "$@"; do find_tool "$tool"; done ;;
esac
