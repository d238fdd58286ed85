#!/usr/bin/env bash
# Install Rapportsök with its development tools into .venv, then run ruff and the tests.
# Extra arguments go to pytest (e.g. -k sync).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
VENV="${RAPPORTSOK_VENV:-.venv}"

bash scripts/install.sh dev
"$VENV/bin/ruff" check .
# -rs prints the reason of every skipped test, so a skip is never silent.
"$VENV/bin/pytest" -q -rs "$@"
