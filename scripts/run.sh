#!/usr/bin/env bash
# One command on a fresh machine: install, ingest the sample reports in corpus/, start the app.
# Extra arguments go to `streamlit run` (e.g. --server.port 8502).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
VENV="${RAPPORTSOK_VENV:-.venv}"

bash scripts/install.sh
# Exit code 1 only means some file failed (it is named above); the rest is ingested.
"$VENV/bin/rapportsok" ingest corpus/ || [ $? -eq 1 ]

if [ -f app/streamlit_app.py ]; then
    exec "$VENV/bin/streamlit" run app/streamlit_app.py --browser.gatherUsageStats false "$@"
fi

# Until the app exists: a short CLI demo.
"$VENV/bin/rapportsok" status
if "$VENV/bin/rapportsok" search --help >/dev/null 2>&1; then
    "$VENV/bin/rapportsok" search "hur mycket fick regionen för psykisk hälsa 2020" -k 3
fi
