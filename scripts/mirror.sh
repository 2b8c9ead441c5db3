#!/usr/bin/env bash
# scripts/mirror.sh <release dir> <mirror dir>: installs a release's platform zips, as goreleaser builds them
# (.goreleaser.yml: terraform-provider-eset_<version>_<os>_<arch>.zip beside
# terraform-provider-eset_<version>_SHA256SUMS), into a filesystem mirror that terraform and tofu install
# from without a registry: an air-gapped machine, a CI runner, or ~/.terraform.d/plugins (the implied
# mirror both CLIs search with no CLI configuration).
#
# Nothing is copied unless every zip in <release dir> is listed in SHA256SUMS with its checksum; when
# SHA256SUMS.sig is there too, gpg must verify it with a key in the keyring. The zips go into the packed
# layout <mirror>/<host>/eset-community/eset/, under registry.terraform.io (terraform's default host for
# `eset-community/eset`) and registry.opentofu.org (tofu's).
set -euo pipefail

fail() { echo "mirror: $*" >&2; exit 1; }
[ $# -eq 2 ] || fail "usage: scripts/mirror.sh <release dir> <mirror dir>"
release=$1 mirror=$2
name=terraform-provider-eset

sha256() { # the SHA-256 of a file, with whichever tool the system has (macOS and the BSDs lack sha256sum)
  if command -v sha256sum >/dev/null; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

shopt -s nullglob
sums=("$release"/${name}_*_SHA256SUMS)
[ ${#sums[@]} -eq 1 ] || fail "want exactly one ${name}_<version>_SHA256SUMS in $release, found ${#sums[@]}"
sums=${sums[0]}
if [ -e "$sums.sig" ]; then
  command -v gpg >/dev/null || fail "$sums.sig is there but gpg is not installed to verify it"
  gpg --batch --verify "$sums.sig" "$sums" || fail "gpg could not verify $sums.sig against a key in the keyring"
else
  echo "mirror: no $(basename "$sums").sig: checking the zips against SHA256SUMS only" >&2
fi

zips=("$release"/${name}_*_*_*.zip)
[ ${#zips[@]} -gt 0 ] || fail "no ${name}_<version>_<os>_<arch>.zip in $release"
for zip in "${zips[@]}"; do
  file=$(basename "$zip")
  want=$(awk -v f="$file" '$2 == f { print $1 }' "$sums")
  [ -n "$want" ] || fail "$file is not listed in $(basename "$sums")"
  [ "$(sha256 "$zip")" = "$want" ] || fail "$file does not match its checksum in $(basename "$sums")"
done

for host in registry.terraform.io registry.opentofu.org; do
  dir="$mirror/$host/eset-community/eset"
  mkdir -p "$dir"
  cp "${zips[@]}" "$dir/"
done
echo "mirror: ${#zips[@]} verified zip(s) installed under $mirror/{registry.terraform.io,registry.opentofu.org}/eset-community/eset"
