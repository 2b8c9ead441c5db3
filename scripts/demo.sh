#!/usr/bin/env bash
# make demo: builds the provider, starts the bundled ESET API simulator on loopback, and runs a real
# terraform (or tofu, with DEMO_CLI=tofu) against examples/demo, printing what a user would see.
#
# The CLI is any supported version already at hand (on PATH or built in .tools/), and is built only when
# there is none (scripts/tools.sh -any); DEMO_CLI=terraform@1.8.0 asks for exactly that version.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
spec=${DEMO_CLI:-terraform}
case "$spec" in
  *@*) cli=$("$root/scripts/tools.sh" "$spec") ;;
  *) cli=$("$root/scripts/tools.sh" -any "$spec") ;;
esac
work=$(mktemp -d)
trap 'kill "${sim_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

echo "==> building the provider and the simulator"
# One go command for both, so that their packages compile in parallel on a cold cache, and with the flags
# make install compiles with (-trimpath, -buildvcs=false, no cgo), so that either reuses the other's
# compiled packages; only the link differs (no -buildid= or -X main.version here). On an empty Go cache
# this build is most of the demo's time (the standard library, gRPC, protobuf, cel-go and the framework):
# without cgo and without debug information to link it costs less CPU (PERFORMANCE.md, "The first commands").
mkdir -p "$work/plugins"
(cd "$root" && CGO_ENABLED=0 go build -trimpath -buildvcs=false -ldflags "-s -w" -o "$work/plugins/" . ./cmd/eset-simulator)
mv "$work/plugins/eset-simulator" "$work/"

echo "==> starting the ESET API simulator on loopback"
"$work/eset-simulator" -incidents 2000 -url-file "$work/url" &
sim_pid=$!
for _ in $(seq 50); do [ -s "$work/url" ] && break; kill -0 "$sim_pid" 2>/dev/null || break; sleep 0.1; done
if [ ! -s "$work/url" ]; then
  if kill -0 "$sim_pid" 2>/dev/null; then
    echo "demo: the simulator did not write its URL within 5 s; run 'go run ./cmd/eset-simulator -incidents 2000' to see why" >&2
  else
    echo "demo: the simulator exited before it started serving (its message is above)" >&2
  fi
  exit 1
fi
url=$(cat "$work/url")

"$root/scripts/dev-overrides.sh" "$work/plugins" "$work/cli.tfrc"
cp "$root/examples/demo/main.tf" "$work/"
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1
export ESET_REGION=eu ESET_USERNAME=demo-api-user@example.com ESET_PASSWORD=demo-password
export ESET_IAM_ENDPOINT="$url" ESET_INCIDENT_MANAGEMENT_ENDPOINT="$url" ESET_DEVICE_MANAGEMENT_ENDPOINT="$url"

echo "==> $(basename "$cli") apply (reads incidents, devices and detections through the provider)"
# The CLI's note about dev_overrides is left out of what is shown; a failure shows everything and fails.
rc=0
"$cli" -chdir="$work" apply -auto-approve -input=false -no-color > "$work/apply.log" 2>&1 || rc=$?
if [ "$rc" -ne 0 ]; then
  cat "$work/apply.log"
  echo "demo: $(basename "$cli") apply failed (exit $rc)" >&2
  exit "$rc"
fi
sed '/Warning: Provider development overrides are in effect/,/^releases\.$/d' "$work/apply.log" | cat -s
