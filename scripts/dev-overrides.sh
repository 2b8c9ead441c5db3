#!/usr/bin/env bash
# Usage: scripts/dev-overrides.sh <plugins dir> <config file>
# Writes a Terraform/OpenTofu CLI configuration whose dev_overrides make the CLI run the provider binary in
# <plugins dir> (a build of this checkout) instead of downloading one: the demo, the docs and the benchmark
# run offline this way.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: scripts/dev-overrides.sh <plugins dir> <config file>" >&2; exit 2; }
dir=$1
# The CLIs read this file as HCL 1: \ and " are escaped; ${ and %{ would start a template and a control
# character ends the string, with no escape that both CLIs read, so such a directory is refused.
case $dir in
  *'${'* | *'%{'* | *[[:cntrl:]]*)
    echo "dev-overrides: the directory $(printf '%q' "$dir") holds \${, %{ or a control character, which a CLI configuration cannot quote: use another directory" >&2
    exit 1 ;;
esac
dir=${dir//\\/\\\\}
dir=${dir//\"/\\\"}
cat > "$2" <<TFRC
provider_installation {
  dev_overrides {
    "registry.terraform.io/eset-community/eset" = "$dir"
    "registry.opentofu.org/eset-community/eset" = "$dir"
  }
  direct {}
}
TFRC
