#!/usr/bin/env bash
# One command on a fresh machine: install, ingest the sample reports in corpus/, start the app.
# Extra arguments go to `streamlit run` (e.g. --server.port 8502).
# The app listens on this machine only (127.0.0.1). To serve it on the network, set an admin
# password hash and the address: RAPPORTSOK_ADDRESS=0.0.0.0 RAPPORTSOK_ADMIN_PASSWORD_HASH=... scripts/run.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
VENV="${RAPPORTSOK_VENV:-.venv}"

bash scripts/install.sh
# Exit code 1 only means some file failed (it is named above); the rest is ingested.
"$VENV/bin/rapportsok" ingest corpus/ || [ $? -eq 1 ]

# The sample reports answer this question, so the app offers it as a one-click example.
export RAPPORTSOK_EXAMPLE_QUESTION="${RAPPORTSOK_EXAMPLE_QUESTION-hur mycket fick regionen för psykisk hälsa 2020}"

# `rapportsok app` starts Streamlit on the installed app with its shipped settings, on this
# machine only unless RAPPORTSOK_ADDRESS says otherwise (README, "Säkerhet").
exec "$VENV/bin/rapportsok" app -- --server.address "${RAPPORTSOK_ADDRESS:-127.0.0.1}" "$@"
