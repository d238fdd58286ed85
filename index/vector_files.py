"""The vector index's files in a data directory and a check that they are current, without FAISS.

`vectors.faiss` holds one vector per chunk; `vectors.json` beside it says which model made them
and how many there are; the `chunk_vectors` table marks the chunks whose vector is in the file
(index/faiss_store.py writes all three). Apart from FAISS so that a sync which changed nothing
can confirm the index is current from SQLite and the small JSON file alone.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

INDEX_FILE = "vectors.faiss"
SIDECAR_FILE = "vectors.json"


def vectors_current(conn: sqlite3.Connection, data_dir: Path, embedder_id: str) -> bool:
    """Whether vectors.faiss holds exactly one vector, made by `embedder_id`, for every chunk.

    Every chunk marked, as many marks as chunks and as many vectors in the file: deleted or
    changed chunks lose their marks (triggers), new ones have none, so any change shows here.
    """
    try:
        sidecar = json.loads((Path(data_dir) / SIDECAR_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not (Path(data_dir) / INDEX_FILE).is_file() or sidecar.get("embedder") != embedder_id:
        return False
    stored = conn.execute("SELECT value FROM meta WHERE key = 'embedder'").fetchone()
    unmarked, marks, chunks = conn.execute(
        "SELECT (SELECT COUNT(*) FROM chunks WHERE id NOT IN (SELECT chunk_id FROM chunk_vectors)),"
        " (SELECT COUNT(*) FROM chunk_vectors), (SELECT COUNT(*) FROM chunks)"
    ).fetchone()
    current = stored is not None and stored[0] == embedder_id
    return current and unmarked == 0 and marks == chunks == sidecar.get("count")


def missing_vectors(conn: sqlite3.Connection) -> int:
    """How many chunks have no vector yet (an ingest was interrupted or is running)."""
    return conn.execute(
        "SELECT COUNT(*) FROM chunks WHERE id NOT IN (SELECT chunk_id FROM chunk_vectors)"
    ).fetchone()[0]
