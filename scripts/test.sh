#!/usr/bin/env bash
# The README's test command (`npm test`): installs what it needs, then runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/ensure-deps.mjs
echo "== typecheck"
npx tsc --noEmit -p tsconfig.json
echo "== unit, conformance and infra tests"
npx vitest run
