#!/usr/bin/env bash
# Runs the acceptance tests once per CLI: the real terraform and the real OpenTofu, each found on PATH or
# built into .tools/ by scripts/tools.sh. A CLI that can be neither found nor built fails the run.
# ACC_CLIS selects the CLIs (default "terraform tofu"); extra arguments go to go test.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# An empty CLI configuration, so that a user's ~/.terraformrc (or a TF_CLI_CONFIG_FILE naming a missing
# file) cannot change what the tests see.
mkdir -p .tools && : > .tools/empty.tfrc
export TF_CLI_CONFIG_FILE="$root/.tools/empty.tfrc" TF_ACC=1 TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1

for cli in ${ACC_CLIS:-terraform tofu}; do
  path=$(scripts/tools.sh "$cli")
  echo "==> acceptance tests with $("$path" version | head -1) ($path)"
  if [ "$cli" = tofu ]; then
    # terraform-plugin-testing names the provider under test registry.opentofu.org/hashicorp/eset for tofu.
    TF_ACC_TERRAFORM_PATH="$path" TF_ACC_PROVIDER_HOST=registry.opentofu.org TF_ACC_PROVIDER_NAMESPACE=hashicorp \
      go test ./internal/provider/... -run '^TestAcc' -count=1 -timeout 30m "$@"
  else
    TF_ACC_TERRAFORM_PATH="$path" go test ./internal/provider/... -run '^TestAcc' -count=1 -timeout 30m "$@"
  fi
done
