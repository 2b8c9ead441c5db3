#!/usr/bin/env bash
# Fetches ESET's live OpenAPI documents and prints the differences that matter to the provider (operations it
# calls, parameters, limits, enum values, fields) against the kept trimmed copy; exits 1 when there are some.
# Without access to ESET it says so and exits 0. CONTRACT_FROM=DIR reads the documents from DIR instead.
set -euo pipefail
cd "$(dirname "$0")/.."
exec go run ./internal/simulator/openapi/contracttool check -timeout "${CONTRACT_TIMEOUT:-10s}" ${CONTRACT_FROM:+-from "$CONTRACT_FROM"}
