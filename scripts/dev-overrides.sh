#!/usr/bin/env bash
# Usage: scripts/dev-overrides.sh <plugins dir> <config file>
# Writes a Terraform/OpenTofu CLI configuration whose dev_overrides make the CLI run the provider binary in
# <plugins dir> (a build of this checkout) instead of downloading one: the demo, the docs and the benchmark
# run offline this way.
set -euo pipefail
cat > "$2" <<TFRC
provider_installation {
  dev_overrides {
    "registry.terraform.io/eset-community/eset" = "$1"
    "registry.opentofu.org/eset-community/eset" = "$1"
  }
  direct {}
}
TFRC
