#!/usr/bin/env bash
# Finds, or builds and caches, the command-line tools the tests and the demo need, so that a fresh machine
# needs nothing installed by hand. Usage: scripts/tools.sh terraform|tofu|opa|conftest|goreleaser|golangci-lint
# prints the absolute path of the tool on stdout (progress goes to stderr).
#
# Tools come from PATH when present, else they are built with the Go toolchain from the Go module proxy
# (the only registry these machines reach) into .tools/, which git ignores.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cache="${ESET_TOOLS_DIR:-$root/.tools}"
mkdir -p "$cache/bin"

# Versions are pinned so that every machine tests against the same CLIs.
TERRAFORM_VERSION=1.11.4
TOFU_VERSION=1.12.6
OPA_VERSION=1.22.2
CONFTEST_VERSION=0.71.1
GORELEASER_VERSION=2.13.0
GOLANGCI_LINT_VERSION=2.15.0

log() { echo "tools: $*" >&2; }

# build_module_cmd <module> <version> <package dir> <output>: builds a command of a module that
# `go install` refuses (replace directives) inside a writable copy of the module.
build_module_cmd() {
  local module=$1 version=$2 pkg=$3 out=$4
  log "building $module@$version ($pkg); this takes a few minutes once, then it is cached"
  local dir
  dir=$(cd "$cache" && GOFLAGS=-mod=mod go mod download -json "$module@v$version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  local work="$cache/src/$(basename "$module")-$version"
  rm -rf "$work" && mkdir -p "$(dirname "$work")" && cp -r "$dir" "$work" && chmod -R u+w "$work"
  (cd "$work" && CGO_ENABLED=0 go build -trimpath -o "$out.tmp" "$pkg") && mv "$out.tmp" "$out"
  rm -rf "$work"
}

go_install() { # go_install <module/cmd path> <version> <name>
  local pkg=$1 version=$2 name=$3
  log "installing $pkg@v$version"
  GOBIN="$cache/bin/$name-$version.d" go install "$pkg@v$version" >&2
  # The command is named after the last path element that is not a major version suffix (.../v2).
  local bin
  bin=$(basename "$pkg")
  case "$bin" in v[0-9]*) bin=$(basename "$(dirname "$pkg")") ;; esac
  mv "$cache/bin/$name-$version.d/$bin" "$cache/bin/$name-$version"
  rm -rf "$cache/bin/$name-$version.d"
}

find_tool() {
  local name=$1
  case "$name" in
    terraform)
      if command -v terraform >/dev/null; then command -v terraform; return; fi
      local out="$cache/bin/terraform-$TERRAFORM_VERSION"
      [ -x "$out" ] || build_module_cmd github.com/hashicorp/terraform "$TERRAFORM_VERSION" . "$out"
      echo "$out" ;;
    tofu)
      if command -v tofu >/dev/null; then command -v tofu; return; fi
      local out="$cache/bin/tofu-$TOFU_VERSION"
      [ -x "$out" ] || build_module_cmd github.com/opentofu/opentofu "$TOFU_VERSION" ./cmd/tofu "$out"
      echo "$out" ;;
    opa)
      if command -v opa >/dev/null; then command -v opa; return; fi
      local out="$cache/bin/opa-$OPA_VERSION"
      [ -x "$out" ] || go_install github.com/open-policy-agent/opa "$OPA_VERSION" opa
      echo "$out" ;;
    conftest)
      if command -v conftest >/dev/null; then command -v conftest; return; fi
      local out="$cache/bin/conftest-$CONFTEST_VERSION"
      [ -x "$out" ] || go_install github.com/open-policy-agent/conftest "$CONFTEST_VERSION" conftest
      echo "$out" ;;
    goreleaser)
      local out="$cache/bin/goreleaser-$GORELEASER_VERSION"
      [ -x "$out" ] || go_install github.com/goreleaser/goreleaser/v2 "$GORELEASER_VERSION" goreleaser
      echo "$out" ;;
    golangci-lint)
      local out="$cache/bin/golangci-lint-$GOLANGCI_LINT_VERSION"
      [ -x "$out" ] || go_install github.com/golangci/golangci-lint/v2/cmd/golangci-lint "$GOLANGCI_LINT_VERSION" golangci-lint
      echo "$out" ;;
    terraform-provider-http)
      # hashicorp/http for make bench's hand-made page chain: v1.2.0 is the newest the Go module proxy
      # serves under this module path (v3's path is not), and its data source names the body `body`.
      local out="$cache/bin/terraform-provider-http-1.2.0"
      [ -x "$out" ] || go_install github.com/terraform-providers/terraform-provider-http 1.2.0 terraform-provider-http
      echo "$out" ;;
    *) echo "tools: unknown tool $name" >&2; return 2 ;;
  esac
}

for tool in "$@"; do find_tool "$tool"; done
