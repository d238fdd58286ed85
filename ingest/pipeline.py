"""One file in, one document and its chunks out: read, clean, metadata, chunk, tag."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from rapportsok.ingest.chunking import chunk_document
from rapportsok.ingest.errors import IngestError
from rapportsok.ingest.metadata import apply_metadata
from rapportsok.ingest.positions import place_chunks, place_figures
from rapportsok.ingest.readers import read_document
from rapportsok.ingest.records import Chunk, Document
from rapportsok.ingest.tables import date_tables
from rapportsok.ingest.tagging import tag_chunks


def read_and_chunk(
    path: Path | str, override: dict | None = None, on_page: Callable[[], None] | None = None
) -> tuple[Document, list[Chunk]]:
    """Read, clean, add metadata and chunk one file, without tagging (structure tests, speed runs).
    `override` is the title/date correction to use instead of reading the sidecar; `on_page()`
    is called as each page of a PDF is read (progress inside a long scan)."""
    path = Path(path)
    doc = apply_metadata(read_document(path, on_page), path, override)
    date_tables(doc.tables, doc.date)
    return doc, chunk_document(doc)


def process_file(
    path: Path | str, override: dict | None = None, on_page: Callable[[], None] | None = None
) -> tuple[Document, list[Chunk]]:
    """Ingest one file; raises ingest.errors.IngestError (Swedish message) for unusable files.
    `on_page()` is called as each page of a PDF is read.

    Chunks and figures get their printed page numbers and boxes; the pages' word lists are
    dropped afterwards (they are large, and the store keeps only the boxes).
    """
    doc, chunks = read_and_chunk(path, override, on_page)
    place_chunks(doc, chunks)
    tag_chunks(doc, chunks)
    place_figures(doc, chunks)
    for page in doc.pages:
        page.words = []
    return doc, chunks


def measure_ingest(paths: Iterable[Path | str]) -> dict:
    """Ingest speed without tagging or embeddings, for the benchmark command: pages/s and chunks/s."""
    files = failed = pages = chunks = 0
    start = time.perf_counter()
    for path in paths:
        files += 1
        try:
            doc, doc_chunks = read_and_chunk(path)
        except IngestError:
            failed += 1
            continue
        pages += doc.page_count
        chunks += len(doc_chunks)
    seconds = time.perf_counter() - start
    return {
        "files": files,
        "failed": failed,
        "pages": pages,
        "chunks": chunks,
        "seconds": round(seconds, 3),
        "pages_per_s": round(pages / seconds, 1) if seconds else 0.0,
        "chunks_per_s": round(chunks / seconds, 1) if seconds else 0.0,
    }
