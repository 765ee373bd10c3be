#!/usr/bin/env bash
# Builds the project-local Python virtualenv (.venv) from requirements-dev.txt (cfn-lint, the
# MiniStack emulator); a quiet no-op when it is already up to date (the stamp holds the
# requirements' checksum). Safe to run concurrently: test workers share one install via a lock.
#   bash scripts/python-venv.sh && .venv/bin/cfn-lint --version
set -euo pipefail
cd "$(dirname "$0")/.."
command -v python3 >/dev/null || { echo "python3 is not installed (needed for cfn-lint and the MiniStack emulator)" >&2; exit 1; }
sum=$(sha256sum requirements-dev.txt | cut -d' ' -f1)
stamp=.venv/.requirements-sha256
up_to_date() { [ -x .venv/bin/python ] && [ "$(cat "$stamp" 2>/dev/null)" = "$sum" ]; }
up_to_date && exit 0

mkdir -p .venv
install() {
  up_to_date && return 0 # another process finished the install while we waited for the lock
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
  echo "$sum" > "$stamp"
}
if command -v flock >/dev/null; then
  exec 9>.venv/.lock
  flock 9
fi
install
