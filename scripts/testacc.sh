#!/usr/bin/env bash
# Runs every acceptance test once per CLI of the matrix: the oldest claimed and the newest Terraform and
# OpenTofu (scripts/tools.sh -matrix), each found on PATH or built into .tools/ by scripts/tools.sh.
# ACC_CLIS selects the CLIs instead ("terraform", "tofu@1.7.0", ...; a bare name is the newest of the
# matrix); extra arguments go to go test.
#
# A failing CLI does not stop the run: the others still run, each failure is reported as
# "FAIL: acceptance tests on <cli> <version>", again together at the end, and the script then fails. A CLI
# that can be neither found nor built fails the same way.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# An empty CLI configuration, so that a user's ~/.terraformrc (or a TF_CLI_CONFIG_FILE naming a missing
# file) cannot change what the tests see.
mkdir -p .tools && : > .tools/empty.tfrc
export TF_CLI_CONFIG_FILE="$root/.tools/empty.tfrc" TF_ACC=1 TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1

failed=()
for spec in ${ACC_CLIS:-$(scripts/tools.sh -matrix)}; do
  cli=${spec%@*}
  if ! path=$(scripts/tools.sh "$spec"); then
    echo "FAIL: acceptance tests on $spec: scripts/tools.sh could neither find nor build it"
    failed+=("$spec (not built)")
    continue
  fi
  version=$("$path" version | sed -n 1p) # "Terraform v1.16.4", "OpenTofu v1.7.0"
  name="$cli ${version##* v}"
  echo "==> acceptance tests on $name ($path)"
  vars=(TF_ACC_TERRAFORM_PATH="$path")
  if [ "$cli" = tofu ]; then
    # terraform-plugin-testing names the provider under test registry.opentofu.org/hashicorp/eset for tofu.
    vars+=(TF_ACC_PROVIDER_HOST=registry.opentofu.org TF_ACC_PROVIDER_NAMESPACE=hashicorp)
  fi
  if env "${vars[@]}" go test ./internal/provider/... -run '^TestAcc' -count=1 -timeout 30m "$@"; then
    echo "ok: acceptance tests on $name"
  else
    echo "FAIL: acceptance tests on $name"
    failed+=("$name")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  for f in "${failed[@]}"; do echo "FAIL: acceptance tests on $f"; done
  exit 1
fi
