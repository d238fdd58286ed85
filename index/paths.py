"""Where Rapportsök keeps its files inside a data directory (the directory itself: index/settings.py)."""

from __future__ import annotations

import os
from pathlib import Path

from rapportsok.index.settings import Settings

DB_FILE = "rapportsok.sqlite"


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The data directory: `explicit` (`--data-dir`) wins over the settings. Absolute, not created."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    return Settings.from_env().data_dir


def db_path(directory: Path) -> Path:
    """The SQLite store inside a data directory."""
    return directory / DB_FILE
