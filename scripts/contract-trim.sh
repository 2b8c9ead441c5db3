#!/usr/bin/env bash
# Regenerates the project's trimmed copy of ESET's OpenAPI documents (internal/simulator/openapi/*.json and
# ORIGIN.md) from full documents: scripts/contract-trim.sh DIR [YYYY-MM-DD], DIR holding incident-management.json
# and device-management.json as ESET publishes them (curl -sO https://eu.esetconnect.eset.systems/swagger/api/<service>.json),
# the date being the day they were fetched. Review `git diff`, then run the tests: the simulator checks against it.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:?usage: scripts/contract-trim.sh DIR-OF-FULL-DOCUMENTS [YYYY-MM-DD]}
exec go run ./internal/simulator/openapi/contracttool trim -from "$dir" ${2:+-date "$2"}
