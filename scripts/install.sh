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
# The version: a clean checkout exactly at a tag vX.Y.Z installs X.Y.Z; any other checkout installs the
# release it is working towards, the first version heading of CHANGELOG.md (0.1.0 before the first
# release), so that a configuration's `version = "~> 0.1"` selects it as it will select the release. The
# binary itself reports X.Y.Z-dev then.
#
# The build is reproducible: the same source and Go toolchain give the same bytes (-trimpath, no VCS
# stamp, no build id, no commit in the version), so reinstalling an unchanged checkout keeps every
# .terraform.lock.hcl valid. When the bytes do change, the lock files that recorded the earlier build's
# checksum no longer match (init -upgrade does not help: it checks the new package against the recorded
# checksums); the script then prints the one command that adds the new checksum in a working directory.
#
# Windows keeps its implied mirror in %APPDATA%\terraform.d\plugins: use scripts/mirror.sh's recipe there.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

namespace=eset-community
type=eset

if tag=$(git describe --tags --exact-match --match 'v[0-9]*.[0-9]*.[0-9]*' 2>/dev/null) &&
  [ -z "$(git status --porcelain)" ]; then
  version=${tag#v}
  build_version=$version
else
  version=$(sed -n 's/^## \([0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*\)\( .*\)\{0,1\}$/\1/p' CHANGELOG.md | sed -n 1p)
  [ -n "$version" ] || { echo "install: CHANGELOG.md has no heading \"## X.Y.Z\" to take the version from" >&2; exit 1; }
  build_version=$version-dev
fi

platform="$(go env GOOS)_$(go env GOARCH)"
plugins="${HOME:?HOME must be set}/.terraform.d/plugins"
name=terraform-provider-${type}_v$version

binary=$(mktemp -d)/$name
trap 'rm -rf "$(dirname "$binary")"' EXIT
CGO_ENABLED=0 go build -trimpath -buildvcs=false -ldflags "-s -w -buildid= -X main.version=$build_version" \
  -o "$binary" .

sum() { # the SHA-256 of a file, with whichever tool the system has (macOS and the BSDs lack sha256sum)
  if command -v sha256sum >/dev/null; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}
changed=
for host in registry.terraform.io registry.opentofu.org; do
  dir="$plugins/$host/$namespace/$type/$version/$platform"
  if [ -f "$dir/$name" ] && [ "$(sum "$dir/$name")" != "$(sum "$binary")" ]; then changed=1; fi
  # Emptied first: the CLIs hash the whole directory into the lock file, so nothing of an earlier build may stay.
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$binary" "$dir/"
  echo "installed $host/$namespace/$type $version (build $build_version, $platform) into $dir"
done
echo "sha256 $(sum "$binary")"
if [ -n "$changed" ]; then
  echo "This build differs from the one it replaced, so a working directory that used that one fails its" \
    "checksum check in .terraform.lock.hcl. In each such directory, add this build's checksum with:"
  echo "  terraform providers lock -fs-mirror=$plugins $namespace/$type"
  echo "or, with OpenTofu:"
  echo "  tofu providers lock -fs-mirror=$plugins $namespace/$type"
fi
