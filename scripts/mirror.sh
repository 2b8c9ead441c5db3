#!/usr/bin/env bash
# scripts/mirror.sh --key <fingerprint> [--key-file <public key>] <release dir> <mirror dir>
# scripts/mirror.sh --unsigned <release dir> <mirror dir>
# installs a release's platform zips, as goreleaser builds them (.goreleaser.yml:
# terraform-provider-eset_<version>_<os>_<arch>.zip beside terraform-provider-eset_<version>_SHA256SUMS and its
# .sig), into a filesystem mirror that terraform and tofu install from without a registry: an air-gapped
# machine, a CI runner, or ~/.terraform.d/plugins (the implied mirror both CLIs search with no CLI
# configuration).
#
# The release's files are read once: copied into a private temporary directory, where anything that is not a
# regular file (a symlink, a FIFO, a device) is refused, and only the copies are verified and installed, so a
# release directory that changes meanwhile cannot slip other bytes in. Nothing is installed unless every zip is
# listed in SHA256SUMS with its checksum and, with --key (or ESET_RELEASE_KEY), SHA256SUMS.sig is a good
# signature by the key with that primary-key fingerprint, neither revoked nor expired, nor the signature
# expired. gpg verifies in a temporary GNUPGHOME that holds only that key: from --key-file (the public key as
# `gpg --export` writes it), else exported from the user's keyring by its fingerprint, so no other key and no
# trust setting of the user's counts. The project publishes no signing key yet, so there is no default
# fingerprint: one must be given. --unsigned, without a key, accepts the checksums alone, which prove only
# that the zips are whole, not who built them. The zips go into the packed layout
# <mirror>/<host>/eset-community/eset/, under registry.terraform.io (terraform's default host for
# `eset-community/eset`) and registry.opentofu.org (tofu's), each written under a temporary name and renamed.
set -euo pipefail

fail() { echo "mirror: $*" >&2; exit 1; }
usage="usage: scripts/mirror.sh --key <fingerprint> [--key-file <public key>] <release dir> <mirror dir>, or scripts/mirror.sh --unsigned <release dir> <mirror dir>"
unsigned=false key=${ESET_RELEASE_KEY:-} key_file=
while [ $# -gt 0 ]; do
  case $1 in
    --unsigned) unsigned=true; shift ;;
    --key) [ $# -ge 2 ] || fail "$usage"; key=$2; shift 2 ;;
    --key-file) [ $# -ge 2 ] || fail "$usage"; key_file=$2; shift 2 ;;
    --) shift; break ;;
    -*) fail "unknown option $1; $usage" ;;
    *) break ;;
  esac
done
[ $# -eq 2 ] || fail "$usage"
release=$1 mirror=$2
name=terraform-provider-eset
key=$(printf '%s' "$key" | tr -d ' ' | tr '[:lower:]' '[:upper:]')
# A short key id names any key that happens to share its last digits; only the full fingerprint names one.
[ -z "$key" ] || [[ $key =~ ^([0-9A-F]{40}|[0-9A-F]{64})$ ]] ||
  fail "--key (or ESET_RELEASE_KEY) takes the signing key's full primary-key fingerprint, as \`gpg --fingerprint\` prints it, not \"$key\""
[ -z "$key_file" ] || [ -n "$key" ] || fail "--key-file needs --key <fingerprint> too: the fingerprint is what the signature must match"
[ -n "$key" ] || $unsigned ||
  fail "give the signing key's fingerprint with --key <fingerprint> (or ESET_RELEASE_KEY) to verify the release's signature; --unsigned accepts checksums only (integrity, not origin)"

sha256() { # the SHA-256 of a file, with whichever tool the system has (macOS and the BSDs lack sha256sum)
  if command -v sha256sum >/dev/null; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

work=$(mktemp -d "${TMPDIR:-/tmp}/eset-mirror.XXXXXX")
chmod 700 "$work"
partial=
cleanup() {
  if [ -n "$partial" ]; then rm -f "$partial"; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

shopt -s nullglob
sums=("$release"/${name}_*_SHA256SUMS)
[ ${#sums[@]} -eq 1 ] || fail "want exactly one ${name}_<version>_SHA256SUMS in $release, found ${#sums[@]}"
sums_name=$(basename "${sums[0]}")
zips=("$release"/${name}_*_*_*.zip)
[ ${#zips[@]} -gt 0 ] || fail "no ${name}_<version>_<os>_<arch>.zip in $release"
files=("${sums[0]}" "${zips[@]}")
if [ -e "${sums[0]}.sig" ] || [ -L "${sums[0]}.sig" ]; then files+=("${sums[0]}.sig"); fi
mkdir "$work/release"
for file in "${files[@]}"; do
  copy="$work/release/$(basename "$file")"
  # cp -R -P copies a symlink as a link and a FIFO or device as a new one, never following or reading it
  # (POSIX), so what is not a regular file shows in the copy, and nothing blocks on a FIFO.
  cp -R -P "$file" "$copy" || fail "could not copy $file"
  { [ -f "$copy" ] && [ ! -L "$copy" ]; } ||
    fail "$file is not a regular file (a symlink, FIFO, device or directory): put the release's files themselves in $release"
done
sums="$work/release/$sums_name"

if [ -n "$key" ]; then
  [ -e "$sums.sig" ] || fail "no $sums_name.sig in $release: a signed release is asked for (--key or ESET_RELEASE_KEY)"
  command -v gpg >/dev/null || fail "gpg is not installed to verify $sums_name.sig"
  home="$work/gnupg"
  mkdir -m 700 "$home"
  if [ -z "$key_file" ]; then
    key_file="$work/key.gpg"
    gpg --batch --export "$key" >"$key_file" 2>/dev/null || true
    [ -s "$key_file" ] ||
      fail "the key $key is not in your keyring: import it (gpg --import) or give its public key with --key-file"
  fi
  # --no-autostart: importing and verifying public keys needs no gpg-agent, which would outlive this script.
  # gpg's exit status says nothing here: it fails an import that worked when it cannot reach an agent (the
  # socket's path is too long under a long TMPDIR); the listing is what counts.
  gpg --homedir "$home" --batch --no-autostart --quiet --import "$key_file" >/dev/null 2>&1 || true
  primary=$(gpg --homedir "$home" --batch --no-autostart --with-colons --list-keys "$key" 2>/dev/null |
    awk -F: '$1 == "fpr" { print $10; exit }') || true
  [ -n "$primary" ] || fail "$key_file holds no public key with the fingerprint $key"
  [ "$primary" = "$key" ] ||
    fail "$key is a subkey of $primary: give the primary key's fingerprint, the one \`gpg --fingerprint\` prints first"
  status=$(gpg --homedir "$home" --batch --no-autostart --status-fd 1 --verify "$sums.sig" "$sums" 2>/dev/null) || true
  # gpg exits 0 for a good signature by a revoked or expired key, and prints VALIDSIG for it too: the status
  # lines decide. Every signature in the file (NEWSIG) must be GOODSIG with a VALIDSIG whose primary-key
  # fingerprint (field 12; the subkey that signed is field 3) is the key given. KEYEXPIRED and KEYREVOKED are
  # not reasons to refuse: gpg prints them for any expired or revoked subkey, also one that did not sign.
  reason=$(awk -v k="$key" '
    $1 != "[GNUPG:]" { next }
    $2 == "NEWSIG" { sigs++ }
    $2 == "GOODSIG" { good++ }
    $2 == "VALIDSIG" { if (NF >= 12 && $12 == k) valid++; else other = $12 }
    $2 == "REVKEYSIG" { bad = "is by a revoked key" }
    $2 == "EXPKEYSIG" { bad = "is by an expired key" }
    $2 == "EXPSIG" { bad = "has expired" }
    $2 == "BADSIG" { bad = "does not match the file: it or the file was changed" }
    $2 == "ERRSIG" || $2 == "NO_PUBKEY" { bad = "is not by the key " k " (or gpg cannot check it)" }
    END {
      if (bad != "") print bad
      else if (other != "") print "is by the key " other ", not " k
      else if (sigs == 0 || good != sigs || valid != sigs) print "is not a good signature by the key " k
    }' <<<"$status")
  [ -z "$reason" ] || fail "$sums_name.sig $reason"
elif [ -e "$sums.sig" ]; then
  echo "mirror: --unsigned and no --key: $sums_name.sig is not checked, and the checksums prove only that the zips are whole, not who built them" >&2
else
  echo "mirror: no $sums_name.sig and --unsigned given: checking the zips against $sums_name only, which proves they are whole, not who built them" >&2
fi

for zip in "${zips[@]}"; do
  file=$(basename "$zip")
  want=$(awk -v f="$file" '$2 == f { print $1 }' "$sums")
  [ -n "$want" ] || fail "$file is not listed in $sums_name"
  [ "$(sha256 "$work/release/$file")" = "$want" ] || fail "$file does not match its checksum in $sums_name"
done

# Each zip is written under a temporary name beside its place and renamed over it: a CLI reading the mirror
# meanwhile sees the old zip or the new one, never part of one.
mode=$(printf '%o' $((0666 & ~0$(umask))))
for host in registry.terraform.io registry.opentofu.org; do
  dir="$mirror/$host/eset-community/eset"
  mkdir -p "$dir"
  for zip in "${zips[@]}"; do
    file=$(basename "$zip")
    [ ! -d "$dir/$file" ] || fail "$dir/$file is a directory: remove it"
    partial=$(mktemp "$dir/.$file.XXXXXX")
    cp "$work/release/$file" "$partial"
    chmod "$mode" "$partial"
    mv -f "$partial" "$dir/$file"
    partial=
  done
done
echo "mirror: ${#zips[@]} verified zip(s) installed under $mirror/{registry.terraform.io,registry.opentofu.org}/eset-community/eset"
