#!/usr/bin/env bash
# scripts/mirror.sh [--unsigned] [--key <fingerprint>] <release dir> <mirror dir>: installs a release's
# platform zips, as goreleaser builds them (.goreleaser.yml: terraform-provider-eset_<version>_<os>_<arch>.zip
# beside terraform-provider-eset_<version>_SHA256SUMS), into a filesystem mirror that terraform and tofu
# install from without a registry: an air-gapped machine, a CI runner, or ~/.terraform.d/plugins (the
# implied mirror both CLIs search with no CLI configuration).
#
# Nothing is copied unless every zip in <release dir> is listed in SHA256SUMS with its checksum, and gpg
# verifies SHA256SUMS.sig with a key in the keyring; with --key (or ESET_RELEASE_KEY) the signature must be
# by that key's fingerprint. A release without SHA256SUMS.sig is refused unless --unsigned is given: the
# checksums then prove only that the zips are whole, not who built them. The zips go into the packed layout
# <mirror>/<host>/eset-community/eset/, under registry.terraform.io (terraform's default host for
# `eset-community/eset`) and registry.opentofu.org (tofu's).
set -euo pipefail

fail() { echo "mirror: $*" >&2; exit 1; }
usage="usage: scripts/mirror.sh [--unsigned] [--key <fingerprint>] <release dir> <mirror dir>"
unsigned=false key=${ESET_RELEASE_KEY:-}
while [ $# -gt 0 ]; do
  case $1 in
    --unsigned) unsigned=true; shift ;;
    --key) [ $# -ge 2 ] || fail "$usage"; key=$2; shift 2 ;;
    --) shift; break ;;
    -*) fail "unknown option $1; $usage" ;;
    *) break ;;
  esac
done
[ $# -eq 2 ] || fail "$usage"
release=$1 mirror=$2
key=$(printf '%s' "$key" | tr -d ' ' | tr '[:lower:]' '[:upper:]')
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
  status=$(gpg --batch --status-fd 1 --verify "$sums.sig" "$sums" 2>/dev/null) ||
    fail "gpg could not verify $sums.sig against a key in the keyring"
  if [ -n "$key" ]; then
    # VALIDSIG <signing key fingerprint> ... <primary key fingerprint>: either may be the one given.
    awk -v k="$key" '$2 == "VALIDSIG" && ($3 == k || $NF == k) { found = 1 } END { exit !found }' <<<"$status" ||
      fail "$(basename "$sums").sig is valid but not signed by the key $key"
  fi
elif $unsigned; then
  echo "mirror: no $(basename "$sums").sig and --unsigned given: checking the zips against SHA256SUMS only, which proves they are whole, not who built them" >&2
else
  fail "no $(basename "$sums").sig in $release: a release without a signature is refused; give --unsigned to accept checksums only (integrity, not origin)"
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
