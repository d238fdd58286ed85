#!/usr/bin/env bash
# Install Rapportsök into a virtual environment: scripts/install.sh [EXTRAS]   (e.g. "dev")
# Both commands, `rapportsok` and `rapportsok-dev`, are installed; "dev" adds what the tests need.
#
# - The environment is .venv in the project (or $RAPPORTSOK_VENV), made with the first
#   Python >= 3.11 found ($PYTHON, python3.11, python3.12, python3.13, python3).
# - torch is installed first, so sentence-transformers does not pull a CUDA build:
#   $TORCH_SPEC (default torch==2.13.0) from $TORCH_INDEX_URL when set. On a machine whose
#   package index has no CPU-only wheel, run with
#   TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu TORCH_SPEC=torch
# - A stamp per pyproject.toml version and extras skips the pip run when nothing changed.
# - OCR of scanned pages needs the tesseract program with its Swedish model: on Debian/Ubuntu the
#   packages tesseract-ocr and tesseract-ocr-swe are installed with apt-get (sudo when not root)
#   when missing. Elsewhere, or when that fails, a note says what to install; everything else
#   works, and scanned files are reported as not read until Tesseract is there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! { command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx swe; }; then
    if command -v apt-get >/dev/null 2>&1; then
        echo "Installerar Tesseract med svenska (OCR av inskannade sidor) ..."
        SUDO=""
        if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
        { $SUDO apt-get update -qq &&
            DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
                tesseract-ocr tesseract-ocr-swe; } ||
            echo "Kunde inte installera tesseract-ocr och tesseract-ocr-swe; inskannade sidor läses inte förrän de finns." >&2
    else
        echo "Obs: installera Tesseract med svenska språkdata (tesseract-ocr, tesseract-ocr-swe) för att läsa inskannade sidor." >&2
    fi
fi

VENV="${RAPPORTSOK_VENV:-.venv}"
EXTRAS="${1:-}"

find_python() {
    local candidate
    for candidate in ${PYTHON:-} python3.11 python3.12 python3.13 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

if [ ! -x "$VENV/bin/python" ]; then
    if ! PY="$(find_python)"; then
        echo "Rapportsök behöver Python 3.11 eller senare (sätt PYTHON=/sökväg/till/python3.11)." >&2
        exit 2
    fi
    echo "Skapar $VENV med $PY ..."
    "$PY" -m venv "$VENV"
fi

digest="$("$VENV/bin/python" -c 'import hashlib; print(hashlib.sha256(open("pyproject.toml", "rb").read()).hexdigest()[:16])')"
stamp="$VENV/.rapportsok-installed-$digest${EXTRAS:+-$EXTRAS}"
for done_stamp in "$VENV/.rapportsok-installed-$digest"*; do
    # The base install is part of every install with extras.
    if [ "$done_stamp" = "$stamp" ] || { [ -z "$EXTRAS" ] && [ -e "$done_stamp" ]; }; then
        exit 0
    fi
done

if ! "$VENV/bin/python" -c 'import torch' >/dev/null 2>&1; then
    echo "Installerar torch (CPU) ..."
    "$VENV/bin/python" -m pip install "${TORCH_SPEC:-torch==2.13.0}" ${TORCH_INDEX_URL:+--index-url "$TORCH_INDEX_URL"}
fi

echo "Installerar Rapportsök${EXTRAS:+ [$EXTRAS]} ..."
"$VENV/bin/python" -m pip install -e ".${EXTRAS:+[$EXTRAS]}"
touch "$stamp"
