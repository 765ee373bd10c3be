#!/usr/bin/env bash
# The README's test command (`npm test`): installs what it needs, then runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci
npx tsc --noEmit -p tsconfig.json
npx vitest run
