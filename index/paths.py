"""Where Rapportsök keeps its data and its model cache.

One function per directory, so every command (CLI and app) resolves them the same way:
the explicit `--data-dir` wins, then the environment variable, then the XDG default.
"""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_ENV = "RAPPORTSOK_DATA_DIR"
CACHE_DIR_ENV = "RAPPORTSOK_CACHE_DIR"
APP_NAME = "rapportsok"

DB_FILE = "rapportsok.sqlite"


def _xdg(variable: str, fallback: str) -> Path:
    value = os.environ.get(variable)
    return Path(value) if value else Path.home() / fallback


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The data directory: `explicit` > $RAPPORTSOK_DATA_DIR > $XDG_DATA_HOME/rapportsok
    (default ~/.local/share/rapportsok). Returned absolute, not created."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    if os.environ.get(DATA_DIR_ENV):
        return Path(os.environ[DATA_DIR_ENV]).expanduser().resolve()
    return (_xdg("XDG_DATA_HOME", ".local/share") / APP_NAME).resolve()


def cache_dir() -> Path:
    """The model cache (converted embedding weights): $RAPPORTSOK_CACHE_DIR >
    $XDG_CACHE_HOME/rapportsok (default ~/.cache/rapportsok). Not created."""
    if os.environ.get(CACHE_DIR_ENV):
        return Path(os.environ[CACHE_DIR_ENV]).expanduser().resolve()
    return (_xdg("XDG_CACHE_HOME", ".cache") / APP_NAME).resolve()


def db_path(directory: Path) -> Path:
    """The SQLite store inside a data directory."""
    return directory / DB_FILE
