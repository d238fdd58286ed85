"""Title, date and organisation corrections made in the app, kept in the data directory.

Corrections are never written beside the reports: the folders ingested may be read-only input
(the sample corpus in the git checkout, a shared drive). They live in `corrections.toml` in the
data directory, keyed by the report's absolute path, and win over the folder's `metadata.toml`
at every sync (index/sync.py).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import tomli_w
from rapportsok.index.atomic_files import write_atomically
from rapportsok.index.errors import UserError
from rapportsok.ingest.sidecar import check_date

CORRECTIONS_FILE = "corrections.toml"


def load_corrections(data_dir: Path) -> dict[str, dict]:
    """Every correction: {absolute path: {"title": ..., "date": ..., "organisation": ...}} (empty
    without a file)."""
    path = data_dir / CORRECTIONS_FILE
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise UserError(
            f"{path} är felaktig och kan inte läsas: {error}. Rätta eller ta bort filen."
        ) from error
    return {name: entry for name, entry in data.items() if isinstance(entry, dict)}


def save_correction(
    data_dir: Path,
    report: str,
    title: str | None = None,
    date: str | None = None,
    organisation: str | None = None,
) -> None:
    """Record a corrected title, date and/or organisation for the report at `report` (written
    atomically)."""
    if date is not None:
        check_date(date, report)
    entries = load_corrections(data_dir)
    entry = dict(entries.get(report, {}))
    if title is not None:
        entry["title"] = title
    if date is not None:
        entry["date"] = date
    if organisation is not None:
        entry["organisation"] = organisation
    entries[report] = entry
    write_atomically(
        data_dir / CORRECTIONS_FILE, lambda tmp: tmp.write_text(tomli_w.dumps(entries), encoding="utf-8")
    )
