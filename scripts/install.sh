#!/usr/bin/env bash
# `make install`: builds the provider for this machine and installs it where `terraform init` and
# `tofu init` find it with no CLI configuration at all: their implied local mirror directory
# ~/.terraform.d/plugins, in the unpacked layout <host>/<namespace>/<type>/<version>/<os>_<arch>/.
#
# Both CLIs search ~/.terraform.d/plugins on every Unix (Linux, macOS, the BSDs) when the CLI configuration
# has no provider_installation block: Terraform documents it under "Implied Local Mirror Directories";
# OpenTofu 1.12.6 adds filepath.Join(dir, "plugins") for each of cliconfig.DataDirs() in
# implicitProviderSource (cmd/tofu/provider_source.go), and dataDirs() starts with $HOME/.terraform.d
# (internal/command/cliconfig/config_unix.go). Terraform resolves `eset-community/eset` on
# registry.terraform.io and OpenTofu on registry.opentofu.org, so the build goes under both hosts.
#
# The version comes from git: a clean checkout exactly at a tag vX.Y.Z installs X.Y.Z; anything else
# (untagged, past a tag, uncommitted changes) installs 0.0.0-dev, a pre-release that no constraint such as
# `~> 0.1` selects: a configuration asks for it with `version = "0.0.0-dev"`. The binary reports
# 0.0.0-dev+<git describe> so that the build stays identifiable. Each install replaces the previous build
# of the same version, and the lock file pins a build's checksum: after reinstalling 0.0.0-dev, delete the
# provider's block from .terraform.lock.hcl and run init again (init -upgrade keeps the recorded checksum).
#
# Windows keeps its implied mirror in %APPDATA%\terraform.d\plugins: use scripts/mirror.sh's recipe there.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

namespace=eset-community
type=eset

version=0.0.0-dev
if tag=$(git describe --tags --exact-match --match 'v[0-9]*.[0-9]*.[0-9]*' 2>/dev/null) &&
  [ -z "$(git status --porcelain)" ]; then
  version=${tag#v}
fi
build_version=$version
if [ "$version" = 0.0.0-dev ]; then
  build_version="$version+$(git describe --tags --always --dirty 2>/dev/null || echo unknown)"
fi

platform="$(go env GOOS)_$(go env GOARCH)"
plugins="${HOME:?HOME must be set}/.terraform.d/plugins"

binary=$(mktemp -d)/terraform-provider-${type}_v$version
trap 'rm -rf "$(dirname "$binary")"' EXIT
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$build_version" -o "$binary" .

for host in registry.terraform.io registry.opentofu.org; do
  dir="$plugins/$host/$namespace/$type/$version/$platform"
  # Emptied first: the CLIs hash the whole directory into the lock file, so nothing of an earlier build may stay.
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$binary" "$dir/"
  echo "installed $host/$namespace/$type $build_version ($platform) into $dir"
done
if [ "$version" = 0.0.0-dev ]; then
  echo "ask for this build with version = \"0.0.0-dev\" in required_providers; after a reinstall, delete the" \
    "provider's block from .terraform.lock.hcl and run init again"
fi
