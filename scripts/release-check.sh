#!/usr/bin/env bash
# make release-check: validates .goreleaser.yml and builds a snapshot release of every platform into dist/
# (not signed, not published), then checks and lists what a registry would receive.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
goreleaser=$(scripts/tools.sh goreleaser)

"$goreleaser" check
"$goreleaser" release --snapshot --clean --skip=sign,publish

version=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' dist/metadata.json | head -1)
name=terraform-provider-eset
echo "==> artifacts of $name $version in dist/"
(cd dist && ls -l "${name}_${version}"_*)

# What the registry needs: a zip per platform holding the binary, every zip in SHA256SUMS, the manifest.
fail() { echo "release-check: $*" >&2; exit 1; }
sums="dist/${name}_${version}_SHA256SUMS"
[ -s "$sums" ] || fail "missing $sums"
# The manifest is uploaded by the release step (skipped here) under its release name; SHA256SUMS lists it.
manifest_sum=$(sha256sum terraform-registry-manifest.json | cut -d' ' -f1)
grep -qx "$manifest_sum  ${name}_${version}_manifest.json" "$sums" || fail "SHA256SUMS lacks ${name}_${version}_manifest.json"
zips=0
for platform in darwin_amd64 darwin_arm64 freebsd_386 freebsd_amd64 freebsd_arm freebsd_arm64 linux_386 linux_amd64 \
  linux_arm linux_arm64 windows_386 windows_amd64 windows_arm64; do
  zip="${name}_${version}_${platform}.zip"
  [ -s "dist/$zip" ] || fail "missing dist/$zip"
  grep -q " $zip\$" "$sums" || fail "$zip is not in SHA256SUMS"
  # Not grep -q: it stops reading early, and under pipefail unzip's SIGPIPE would fail the check.
  unzip -l "dist/$zip" | grep "${name}_v${version}" >/dev/null || fail "$zip lacks the ${name}_v${version} binary"
  zips=$((zips + 1))
done
cp terraform-registry-manifest.json "dist/${name}_${version}_manifest.json"
(cd dist && sha256sum --quiet -c "$(basename "$sums")") || fail "SHA256SUMS does not match the files"
lines=$(wc -l < "$sums")
[ "$lines" -eq $((zips + 1)) ] || fail "SHA256SUMS has $lines lines, want $((zips + 1)) (the zips and the manifest)"
echo "==> $zips platform zips, SHA256SUMS and the manifest check out; a release signs SHA256SUMS with gpg --detach-sign"
