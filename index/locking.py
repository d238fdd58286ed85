"""One writer at a time per data directory: an advisory lock file (fcntl) beside the store.

Readers (searches, questions, the app's views) never take it: SQLite's WAL mode and the atomic
replacement of vectors.faiss give them a consistent view. Writers (ingest, reindex, deletions,
corrections) hold it for their whole change, so two ingests never interleave their vector files.
The kernel drops the lock when its process dies, so a killed ingest never leaves a stale lock.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rapportsok.index.errors import UserError

LOCK_FILE = "write.lock"
POLL_S = 0.2


class LockBusyError(UserError):
    """Another process is changing the index and did not finish within the wait."""


@contextmanager
def write_lock(
    data_dir: Path, wait_s: float = 0.0, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold the data directory's write lock; wait up to `wait_s` seconds for it (0: refuse at once).

    `on_wait` is called once when the lock is busy, so a face can say that it waits.
    Raises LockBusyError (Swedish) when the lock stays busy.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(data_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait_s
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockBusyError(
                        "En annan process ändrar indexet just nu (t.ex. `rapportsok ingest`). "
                        "Försök igen när den är klar; sökningar fungerar under tiden."
                    ) from None
                if on_wait and not told:
                    on_wait()
                    told = True
                time.sleep(POLL_S)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
