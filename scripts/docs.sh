#!/usr/bin/env bash
# Generates docs/ with tfplugindocs from the provider's schema, templates/ and examples/, offline.
#
#   scripts/docs.sh          regenerate docs/ (make docs, go generate)
#   scripts/docs.sh -check   regenerate into a temporary copy and fail, with a diff, when docs/ is stale
#                            (make docs-check, part of make test)
#
# tfplugindocs would otherwise build the provider and download a Terraform CLI to read its schema. Here the
# provider is built from this checkout, the locally found CLI (scripts/tools.sh terraform) reads its schema
# through dev_overrides, and tfplugindocs gets that schema with --providers-schema: nothing is downloaded.
# tfplugindocs itself is built once from the Go module proxy into .tools/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

TFPLUGINDOCS_VERSION=0.25.0
mode=generate
case "${1:-}" in
  "") ;;
  -check) mode=check ;;
  *) echo "usage: $0 [-check]" >&2; exit 2 ;;
esac

cache="${ESET_TOOLS_DIR:-$root/.tools}"
tfplugindocs="$cache/bin/tfplugindocs-$TFPLUGINDOCS_VERSION"
if [ ! -x "$tfplugindocs" ]; then
  echo "docs: installing tfplugindocs v$TFPLUGINDOCS_VERSION into $cache/bin" >&2
  rm -rf "$tfplugindocs.d"
  GOBIN="$tfplugindocs.d" go install "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs@v$TFPLUGINDOCS_VERSION" >&2
  mv "$tfplugindocs.d/tfplugindocs" "$tfplugindocs" && rm -rf "$tfplugindocs.d"
fi
terraform=$(scripts/tools.sh terraform)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The schema, as `terraform providers schema -json` reports it for the provider built from this checkout.
go build -o "$work/plugins/terraform-provider-eset" .
scripts/dev-overrides.sh "$work/plugins" "$work/cli.tfrc"
mkdir "$work/config"
cat > "$work/config/main.tf" <<'TF'
terraform {
  required_providers {
    eset = {
      source = "eset-community/eset"
    }
  }
}
TF
(cd "$work/config" && TF_CLI_CONFIG_FILE="$work/cli.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 \
  "$terraform" providers schema -json) > "$work/schema.json" 2> "$work/schema.err" || {
  cat "$work/schema.err" >&2
  exit 1
}
# tfplugindocs looks the provider up by its short name (or under registry.terraform.io/hashicorp/).
sed 's|"registry.terraform.io/eset-community/eset":|"eset":|' "$work/schema.json" > "$work/schema-eset.json"
grep -q '"provider_schemas":{"eset":' "$work/schema-eset.json" || {
  echo "docs: the provider's schema is missing from terraform providers schema -json" >&2
  exit 1
}

generate() { # generate <provider dir>
  "$tfplugindocs" generate --provider-dir "$1" --provider-name eset --rendered-provider-name ESET \
    --providers-schema "$work/schema-eset.json" > "$work/generate.log" 2>&1 || {
    cat "$work/generate.log" >&2
    exit 1
  }
  if grep -i "warn\|error" "$work/generate.log" >&2; then
    echo "docs: tfplugindocs warned (above)" >&2
    exit 1
  fi
  "$tfplugindocs" validate --provider-dir "$1" --provider-name eset \
    --providers-schema "$work/schema-eset.json" > "$work/validate.log" 2>&1 || {
    cat "$work/validate.log" >&2
    exit 1
  }
}

if [ "$mode" = generate ]; then
  generate "$root"
  echo "docs: generated docs/ ($(find docs -name '*.md' | wc -l) pages)"
  exit 0
fi

# -check: the same generation in a copy, compared with docs/ as checked in.
mkdir "$work/copy"
cp -r templates examples "$work/copy/"
[ -d docs ] && cp -r docs "$work/copy/"
generate "$work/copy"
if ! diff -ru --label docs/ docs "$work/copy/docs" > "$work/docs.diff" 2>&1; then
  cat "$work/docs.diff"
  echo "docs: docs/ is stale; run 'make docs' and commit the result" >&2
  exit 1
fi
echo "docs: docs/ is up to date"
