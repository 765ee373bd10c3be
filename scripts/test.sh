#!/usr/bin/env bash
# The README's test command (`npm test`): installs what it needs (npm packages; the Python
# virtualenv with the pinned emulator and cfn-lint), then runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/ensure-deps.mjs
if command -v python3 >/dev/null 2>&1; then
  bash scripts/python-venv.sh
fi
echo "== typecheck"
npx tsc --noEmit -p tsconfig.json
echo "== unit, conformance and infra tests"
npx vitest run
echo "== integration tests (CDK app deployed to the MiniStack emulator)"
npx vitest run --config test/integration/vitest.config.ts
