"""Batch sync: bring the store in step with report files on disk.

New files are added, changed ones (by SHA-256 of their bytes) replaced, unchanged ones
skipped, and documents whose files have gone from a synced directory removed. Parsing is
CPU-bound, so files run through `process_file` in a process pool, while every result is
written by this process in its own transaction as soon as it arrives: a batch killed half-way
leaves a consistent store, and the next run skips what was already written.

Failed files (unreadable, encrypted, empty, no text layer) are recorded with their Swedish
reason and never stop the batch. They are retried on every run: a retry costs one read of the
file, and it picks up a fixed file or a better reader without a `--force`.
"""

from __future__ import annotations

import errno
import hashlib
import multiprocessing
import multiprocessing.queues
import os
import queue
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from rapportsok.index.errors import UserError
from rapportsok.index.store import Store
from rapportsok.ingest.errors import IngestError, describe_os_error
from rapportsok.ingest.formats import SUPPORTED_SUFFIXES
from rapportsok.ingest.organisation import detect_organisation
from rapportsok.ingest.records import BLOCK_SEPARATOR, PAGE_OCR, PAGE_UNREADABLE, Chunk, Document
from rapportsok.ingest.sidecar import SIDECAR, load_overrides

MAX_DEFAULT_WORKERS = 4

ProgressCallback = Callable[[int, int, "SyncReport"], None]
Refresher = Callable[[Store], object]


@dataclass
class SyncReport:
    """What one sync did. Paths are absolute; `failed` holds (path, Swedish reason)."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    unreadable: list[tuple[str, list[int]]] = field(default_factory=list)  # (path, PDF page indexes)
    pages: int = 0
    ocr_pages: int = 0
    chunks: int = 0
    workers: int = 1
    # Progress counted in pages (a PDF's page count, 1 for other files) of the files to read,
    # so that a long OCR file moves a progress bar as far as its pages weigh.
    pages_todo: int = 0
    pages_done: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_json(self) -> dict:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "failed": [{"path": path, "error": error} for path, error in self.failed],
            "skipped": [{"path": path, "reason": reason} for path, reason in self.skipped],
            "unreadable": [{"path": path, "pages": pages} for path, pages in self.unreadable],
            "pages": self.pages,
            "ocr_pages": self.ocr_pages,
            "chunks": self.chunks,
            "workers": self.workers,
            "seconds": round(self.seconds, 3),
        }


def unreadable_note(pages: list[int]) -> str:
    """Swedish words for the pages of a report that OCR could not read (PDF page indexes)."""
    if not pages:
        return ""
    listed = ", ".join(str(page) for page in pages)
    pages_word, searchable = ("sidan", "sökbar") if len(pages) == 1 else ("sidorna", "sökbara")
    return f"{pages_word} {listed} kunde inte läsas (för osäker OCR) och är inte {searchable}"


def default_workers() -> int:
    """min(CPU count, 4): more processes than cores only add start-up time."""
    return max(1, min(os.cpu_count() or 1, MAX_DEFAULT_WORKERS))


def find_files(
    paths: Iterable[Path | str], skipped: list[tuple[str, str]] | None = None
) -> tuple[list[Path], list[Path]]:
    """Supported regular files under `paths` (sorted, absolute, no duplicates) and the directories walked.

    Hidden files and folders and Office lock files (`~$…`) are skipped; a file named directly
    is taken whatever its suffix, so an unsupported one is reported instead of ignored.
    Symbolic links are followed once (a folder reached twice, e.g. through a link loop, is walked
    once); dangling links, link loops, FIFOs, sockets and devices are left out and appended to
    `skipped` as (path, Swedish reason), so one odd entry never stops or hangs the batch.
    Raises UserError for a path that does not exist.
    """
    files: dict[Path, None] = {}
    directories: list[Path] = []
    seen_dirs: set[tuple[int, int]] = set()
    for given in paths:
        path = Path(given).expanduser().absolute()
        if not os.path.lexists(path):
            raise UserError(f"Sökvägen finns inte: {given}")
        kind, reason = _entry_kind(path)
        if kind == "file":
            files[_resolved(path)] = None
        elif kind == "dir":
            directories.append(_resolved(path))
            for found in _walk(_resolved(path), seen_dirs, skipped):
                files[found] = None
        elif skipped is not None:
            skipped.append((str(path), reason))
    return sorted(files), directories


def _resolved(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _entry_kind(path: Path) -> tuple[str, str]:
    """"file", "dir" or "skip" for `path` (links followed), with the Swedish reason for a skip.

    Why by hand: `Path.is_file()` hides link loops and dangling links as plain False, and a FIFO
    that passes a suffix filter blocks the first read forever.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "skip", "Symbolisk länk i en slinga (pekar till slut på sig själv)"
        if os.path.islink(path):
            return "skip", "Symbolisk länk som pekar på något som inte finns"
        return "skip", f"Kan inte läsas: {describe_os_error(error)}"
    if stat.S_ISREG(mode):
        return "file", ""
    if stat.S_ISDIR(mode):
        return "dir", ""
    if stat.S_ISFIFO(mode):
        return "skip", "Ingen vanlig fil utan en namngiven rörledning (FIFO)"
    if stat.S_ISSOCK(mode):
        return "skip", "Ingen vanlig fil utan en socket"
    return "skip", "Ingen vanlig fil utan en enhetsfil"


def _split_gone(paths: Iterable[Path | str], known: dict) -> tuple[list[Path | str], list[Path]]:
    """The given paths that exist, and the missing ones the store still holds documents of.

    A file or folder that was ingested and then deleted is pruned like a vanished file in a
    walked folder; otherwise a failed single file could never leave the store. A missing path
    the store knows nothing of is left in, so `find_files` reports it.
    """
    present: list[Path | str] = []
    gone: list[Path] = []
    for given in paths:
        path = Path(os.path.realpath(Path(given).expanduser()))
        if not os.path.lexists(path) and any(Path(stored).is_relative_to(path) for stored in known):
            gone.append(path)
        else:
            present.append(given)
    return present, gone


def _walk(
    directory: Path, seen_dirs: set[tuple[int, int]], skipped: list[tuple[str, str]] | None
) -> Iterator[Path]:
    """Supported regular files under `directory`, following links to folders once each."""
    for root, dirs, names in os.walk(directory, followlinks=True):
        try:
            info = os.stat(root)
        except OSError:  # the folder went away during the walk
            dirs[:] = []
            continue
        if (info.st_dev, info.st_ino) in seen_dirs:
            dirs[:] = []
            continue
        seen_dirs.add((info.st_dev, info.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith((".", "~$")) or Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            path = Path(root) / name
            kind, reason = _entry_kind(path)
            if kind == "file":
                yield _resolved(path)
            elif kind == "skip" and skipped is not None:
                skipped.append((str(path), reason))


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


# How often the parent looks for page steps from the pool's workers while it waits for files.
PAGE_POLL_SECONDS = 0.2
# In a pool worker: where it sends a file's path each time one of its pages is read (None when
# nobody follows the progress).
_page_steps: multiprocessing.queues.Queue | None = None


def _start_worker(ocr_threads: int, page_steps: multiprocessing.queues.Queue | None) -> None:
    """Pool worker initializer: its share of the cores for OCR and its page-step queue."""
    from rapportsok.ingest.ocr import set_threads  # imported with the pipeline, see `sync`

    global _page_steps
    set_threads(ocr_threads)
    _page_steps = page_steps
    if page_steps is not None:
        # A step still in the pipe when the worker exits is only a late tick of the bar: never
        # wait for it at exit (the parent may have stopped reading).
        page_steps.cancel_join_thread()


def _process(
    path: str, entry: dict, on_page: Callable[[], None] | None = None
) -> tuple[Document, list[Chunk]] | str:
    """Read one file: the parsed file, or the Swedish reason it failed.

    Errors come back as text because not every exception survives pickling between processes.
    An exception from `on_page` (the caller's progress callback) is the caller's and is raised.
    """
    from rapportsok.ingest.pipeline import process_file  # see the import in `sync`

    raised: list[BaseException] = []

    def step() -> None:
        try:
            on_page()
        except BaseException as error:
            raised.append(error)
            raise

    try:
        return process_file(path, entry, step if on_page else None)
    except Exception as error:  # noqa: BLE001 - any bug in a reader must not stop the batch
        if raised:
            raise raised[0] from None
        if isinstance(error, IngestError):
            return str(error)
        return f"Oväntat fel vid inläsning ({type(error).__name__}: {error})"


def _process_in_worker(path: str, entry: dict) -> tuple[Document, list[Chunk]] | str:
    """Pool worker entry point: `_process`, with each page read sent to the parent."""
    steps = _page_steps
    return _process(path, entry, None if steps is None else lambda: steps.put(path))


def sync(
    paths: Iterable[Path | str],
    store: Store,
    prune: bool = True,
    workers: int | None = None,
    force: bool = False,
    on_progress: ProgressCallback | None = None,
    refreshers: Iterable[Refresher] = (),
    corrections: Mapping[str, dict] | None = None,
) -> SyncReport:
    """Ingest the supported files under `paths` into `store` and return what happened.

    `force` re-reads unchanged files too (after a reader or NER model update).
    `on_progress(done, total, report)` is called before the first file that needs work, after
    each page of a PDF is read (also in pool workers: a long scan moves the bar page by page)
    and after each file; `done` and `total` count files, `report.pages_done` and
    `report.pages_todo` the same in pages.
    `refreshers` are called with the store after the batch, to bring derived indexes (FTS,
    vectors) in step; they also run when nothing changed, so an interrupted refresh is redone.
    `corrections` maps absolute paths to title/date entries that win over the sidecar (the
    corrections file of the data directory, for folders that must stay read-only).

    Failures never delete good data: a file that cannot be read this time keeps its previous
    version (marked with the error). A broken `metadata.toml` is reported once; the files of
    its folder keep their stored version, and new or changed ones are read with the title and
    date found in their text.
    """
    started = time.perf_counter()
    report = SyncReport()
    known = {doc["path"]: doc for doc in store.documents()}
    paths, gone = _split_gone(paths, known)
    files, directories = find_files(paths, report.skipped)
    hashes: dict[str, str] = {}
    sidecars: dict[Path, dict | None] = {}
    todo: list[tuple[str, dict]] = []
    unreadable: list[tuple[str, str]] = []
    for path in files:
        key = str(path)
        stored = known.get(key)
        try:
            hashes[key] = file_sha256(path)
        except OSError as error:
            unreadable.append((key, f"Filen kan inte läsas: {describe_os_error(error)}"))
            continue
        entry = _correction(path, sidecars, corrections or {}, report)
        fresh = stored is not None and (stored["sha256"], stored["status"], stored["error"]) == (
            hashes[key],
            "ok",
            None,
        )
        if entry is None:  # broken sidecar: a stored report keeps its title and date
            entry = {} if stored is None else {key: stored[key] for key in _ENTRY_KEYS}
            entry = {name: value for name, value in entry.items() if value}
        if not force and fresh and not _entry_differs(entry, stored):
            report.unchanged.append(key)
            if stored["organisation"] is None:  # stored before organisations were detected
                _backfill_organisation(store, stored)
        else:
            todo.append((key, entry))

    if prune:
        found = set(hashes) | {path for path, _ in unreadable}
        for path in sorted(known):
            if path not in found and any(Path(path).is_relative_to(d) for d in [*directories, *gone]):
                store.remove_document(path)
                report.removed.append(path)

    weights: dict[str, int] = {}
    reading: dict[str, int] = {}  # pages already counted of the files being read

    def files_done() -> int:
        return len(report.added) + len(report.updated) + len(report.failed)

    def page_read(path: str) -> None:
        # A step that comes after its file was written (late from a worker's pipe) is dropped.
        if path in reading and reading[path] < weights.get(path, 0):
            reading[path] += 1
            report.pages_done += 1
            if on_progress:
                on_progress(files_done(), len(todo), report)

    def write(path: str, outcome: tuple[Document, list[Chunk]] | str) -> None:
        report.pages_done += weights.get(path, 0) - reading.pop(path, 0)
        if isinstance(outcome, str):
            store.record_failure(path, hashes.get(path, ""), outcome)
            report.failed.append((path, outcome))
        else:
            doc, chunks = outcome
            doc.path = path  # doc.sha256 is the hash of the bytes the reader actually read
            store.replace_document(doc, chunks)
            (report.updated if path in known else report.added).append(path)
            report.pages += doc.page_count
            report.chunks += len(chunks)
            report.ocr_pages += sum(page.status == PAGE_OCR for page in doc.pages)
            unreadable = [page.number for page in doc.pages if page.status == PAGE_UNREADABLE]
            if unreadable:
                report.unreadable.append((path, unreadable))
        if on_progress:
            on_progress(files_done(), len(todo), report)

    for path, reason in unreadable:
        write(path, reason)
    if todo:
        # The pipeline (spaCy) takes seconds to import: only when there is work, not with this
        # module (`status` never needs it), and before the pool forks, so workers inherit it.
        import rapportsok.ingest.pipeline  # noqa: F401
        from rapportsok.ingest.ocr import set_threads

        weights = {path: _page_weight(path) for path, _ in todo}
        reading = dict.fromkeys(weights, 0)
        report.pages_todo = sum(weights.values())
    report.workers = min(workers or default_workers(), len(todo)) or 1
    if on_progress and todo:
        on_progress(0, len(todo), report)
    if report.workers > 1:
        # Files read at once share the cores for their OCR pages: no more tesseracts than cores.
        ocr_threads = max(1, (os.cpu_count() or 1) // report.workers)
        context = _pool_context()
        page_steps = context.Queue() if on_progress else None
        with ProcessPoolExecutor(
            max_workers=report.workers,
            mp_context=context,
            initializer=_start_worker,
            initargs=(ocr_threads, page_steps),
        ) as pool:
            futures = {pool.submit(_process_in_worker, path, entry): path for path, entry in todo}
            pending = set(futures)
            try:
                while pending:
                    done, pending = wait(pending, timeout=PAGE_POLL_SECONDS, return_when=FIRST_COMPLETED)
                    for path in _drain(page_steps):
                        page_read(path)
                    for future in done:
                        write(futures[future], _result(future))
            finally:
                pool.shutdown(cancel_futures=True)
                if page_steps is not None:
                    page_steps.close()
    elif todo:
        set_threads(None)  # one file at a time: its OCR pages may use every core
        for path, entry in todo:
            write(path, _process(path, entry, (lambda path=path: page_read(path)) if on_progress else None))

    for refresh in refreshers:
        refresh(store)
    report.seconds = time.perf_counter() - started
    return report


def _drain(steps: multiprocessing.queues.Queue | None) -> Iterator[str]:
    """The page steps the workers have sent so far, without waiting for more."""
    while steps is not None:
        try:
            yield steps.get_nowait()
        except queue.Empty:
            return


def _page_weight(path: str) -> int:
    """A file's weight in the progress count: its pages for a PDF, else 1 (also for a PDF
    whose page tree cannot be read; the reader reports why)."""
    from rapportsok.ingest.pdf import page_count  # imported with the pipeline, see `sync`

    return max(1, page_count(Path(path))) if path.lower().endswith(".pdf") else 1


def _pool_context() -> multiprocessing.context.BaseContext:
    """Fork where the platform has it: workers inherit the imported pipeline for free and need
    no `if __name__ == "__main__"` guard in the caller, which spawn and forkserver do (they
    re-import the caller's main module). Workers only parse files and never touch the
    caller's threads or models, so forking a threaded caller (the app) is safe enough here."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _result(future: Future) -> tuple[Document, list[Chunk]] | str:
    """A worker's outcome; a worker that died (killed, out of memory) becomes a failure."""
    try:
        return future.result()
    except Exception as error:  # noqa: BLE001 - e.g. BrokenProcessPool: record it, go on
        return f"Bearbetningen avbröts oväntat ({type(error).__name__}: {error})"


def _correction(
    path: Path, sidecars: dict[Path, dict | None], corrections: Mapping[str, dict], report: SyncReport
) -> dict | None:
    """The title/date entry for `path`: its sidecar entry with the data directory's correction
    over it; None when the folder's sidecar is broken (named once in `report.failed`)."""
    folder = path.parent
    if folder not in sidecars:
        try:
            sidecars[folder] = load_overrides(folder)
        except IngestError as error:
            sidecars[folder] = None
            report.failed.append((str(folder / SIDECAR), str(error)))
    entries = sidecars[folder]
    correction = corrections.get(str(path), {})
    if entries is None:
        return None if not correction else dict(correction)
    return {**entries.get(path.name, {}), **correction}


# What a sidecar or correction entry may set.
_ENTRY_KEYS = ("title", "date", "organisation")


def _entry_differs(entry: dict, stored: dict) -> bool:
    """Whether a title/date/organisation entry names another value than stored.

    Such a file is read again rather than patched in place, so the pipeline's own validation of
    the entry applies; only edited entries cost a re-read.
    """
    return any(key in entry and str(entry[key]) != (stored[key] or "") for key in _ENTRY_KEYS)


def _backfill_organisation(store: Store, stored: dict) -> None:
    """Detect the organisation of a report stored before the store had the column, from its
    stored title and text (the blocks joined by BLOCK_SEPARATOR), without reading the file again."""
    blocks = store.document_text(stored["id"]).split(BLOCK_SEPARATOR)
    store.set_organisation(stored["id"], detect_organisation(stored["title"], blocks) or "")
