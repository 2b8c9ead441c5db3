#!/usr/bin/env bash
# Usage: scripts/dev-overrides.sh <plugins dir> <config file> [<namespace/type>...]
# Writes a Terraform/OpenTofu CLI configuration whose dev_overrides make the CLI run the provider binary in
# <plugins dir> (a build of this checkout) instead of downloading one: the demo, the docs and the benchmark
# run offline this way. Further providers named (such as hashicorp/http, for the benchmark) are run from
# the same directory, as terraform-provider-<type>.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: scripts/dev-overrides.sh <plugins dir> <config file> [<namespace/type>...]" >&2; exit 2; }
dir=$1 config=$2
shift 2
# The CLIs read this file as HCL 1: \ and " are escaped; ${ and %{ would start a template and a control
# character ends the string, with no escape that both CLIs read, so such a directory is refused.
case $dir in
  *'${'* | *'%{'* | *[[:cntrl:]]*)
    echo "dev-overrides: the directory $(printf '%q' "$dir") holds \${, %{ or a control character, which a CLI configuration cannot quote: use another directory" >&2
    exit 1 ;;
esac
dir=${dir//\\/\\\\}
dir=${dir//\"/\\\"}
{
  printf 'provider_installation {\n  dev_overrides {\n'
  for provider in eset-community/eset "$@"; do
    printf '    "registry.terraform.io/%s" = "%s"\n    "registry.opentofu.org/%s" = "%s"\n' "$provider" "$dir" "$provider" "$dir"
  done
  printf '  }\n  direct {}\n}\n'
} > "$config"
