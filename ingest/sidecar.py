"""The sidecar `metadata.toml` beside report files: users' corrections of titles, dates and
organisations.

Apart from the title and date rules (ingest/metadata.py) so that a sync can compare sidecars
with the store without loading the readers. The app never writes here: its corrections go to
the data directory (index/corrections.py).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from rapportsok.ingest.errors import IngestError

SIDECAR = "metadata.toml"
ISO_PREFIX_RE = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$")
BAD_DATE = "Datum måste skrivas ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD"


def load_overrides(folder: Path) -> dict[str, dict]:
    """All entries of the folder's `metadata.toml` (empty when there is none)."""
    sidecar = folder / SIDECAR
    if not sidecar.is_file():
        return {}
    try:
        with sidecar.open("rb") as handle:
            data = tomllib.load(handle)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise IngestError(f"{sidecar} är felaktig och kan inte läsas: {error}", str(sidecar)) from error
    return {name: entry for name, entry in data.items() if isinstance(entry, dict)}


def load_override(path: Path) -> dict:
    """The sidecar entry for one file: a dict with optional "title", "date" and "organisation"."""
    return load_overrides(path.parent).get(path.name, {})


def check_date(date: str, path: str) -> None:
    """Raise IngestError (Swedish) unless `date` is an ISO prefix (ÅÅÅÅ, ÅÅÅÅ-MM, ÅÅÅÅ-MM-DD)."""
    if not ISO_PREFIX_RE.match(date):
        raise IngestError(BAD_DATE, path)
