"""The sidecar `metadata.toml` beside report files: users' corrections of titles and dates.

Apart from the title and date rules (ingest/metadata.py) so that a sync can compare sidecars
with the store, and the app save a correction, without loading the readers.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import tomli_w
from rapportsok.ingest.errors import IngestError

SIDECAR = "metadata.toml"
ISO_PREFIX_RE = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$")
BAD_DATE = "Datum måste skrivas ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD"


def sidecar_path(path: Path) -> Path:
    return path.parent / SIDECAR


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
    """The sidecar entry for one file: a dict with optional "title" and "date"."""
    return load_overrides(path.parent).get(path.name, {})


def save_override(path: Path | str, title: str | None = None, date: str | None = None) -> None:
    """Write a corrected title and/or date for one file into the sidecar beside it."""
    path = Path(path)
    if date is not None and not ISO_PREFIX_RE.match(date):
        raise IngestError(BAD_DATE, str(path))
    entries = load_overrides(path.parent)
    entry = dict(entries.get(path.name, {}))
    if title is not None:
        entry["title"] = title
    if date is not None:
        entry["date"] = date
    entries[path.name] = entry
    sidecar_path(path).write_text(tomli_w.dumps(entries), encoding="utf-8")
