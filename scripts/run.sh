#!/usr/bin/env bash
# One command on a fresh machine: install, ingest the sample reports in corpus/, start the app.
# Extra arguments go to `streamlit run` (e.g. --server.port 8502).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
VENV="${RAPPORTSOK_VENV:-.venv}"

bash scripts/install.sh
# Exit code 1 only means some file failed (it is named above); the rest is ingested.
"$VENV/bin/rapportsok" ingest corpus/ || [ $? -eq 1 ]

# `rapportsok app` starts Streamlit on the installed app with its shipped settings.
exec "$VENV/bin/rapportsok" app -- "$@"
