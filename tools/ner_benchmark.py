"""Speed of the NER + figure step of ingest, in words per second (`rapportsok bench-ner`).

The files are read, cleaned and chunked first (not timed); the timed part is
exactly what ingest runs per document after chunking: `tag_chunks` (NER over
chunks and section headings with `nlp.pipe`, normalization, figures). One
process, so the number is per core. Besides wall-clock time the CPU time of the
process is reported: on a machine busy with other work, words per CPU second is
the steadier estimate of one free core.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from rapportsok.ingest.errors import IngestError
from rapportsok.ingest.ner import load_pipeline
from rapportsok.ingest.pipeline import read_and_chunk
from rapportsok.ingest.records import Chunk, Document
from rapportsok.ingest.tagging import tag_chunks


def _timed_run(documents: Sequence[tuple[Document, list[Chunk]]], rules_only: bool) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of tagging every document once."""
    wall, cpu = time.perf_counter(), time.process_time()
    for doc, chunks in documents:
        tag_chunks(doc, chunks, rules_only=rules_only)
    return time.perf_counter() - wall, time.process_time() - cpu


def benchmark_ner(paths: Sequence[Path | str], repeat: int = 3, rules_only: bool = False) -> dict:
    """Words/s of NER + figures over the chunks of `paths` (best of `repeat` runs, after a warm-up).

    Unreadable files are counted as failed and left out, as ingest would.
    """
    documents = []
    failed = 0
    for path in paths:
        try:
            documents.append(read_and_chunk(path))
        except IngestError:
            failed += 1
    load_pipeline()
    _timed_run(documents[:1], rules_only)  # warm-up: first pipe call, caches
    seconds, cpu_seconds = min(_timed_run(documents, rules_only) for _ in range(max(1, repeat)))
    chunks = [chunk for _, doc_chunks in documents for chunk in doc_chunks]
    words = sum(len(chunk.text.split()) for chunk in chunks)
    return {
        "files": len(documents),
        "failed": failed,
        "chunks": len(chunks),
        "words": words,
        "entities": sum(len(chunk.entities) for chunk in chunks),
        "figures": sum(len(chunk.figures) for chunk in chunks),
        "rules_only": rules_only,
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu_seconds, 3),
        "words_per_s": round(words / seconds) if seconds else None,
        "words_per_cpu_s": round(words / cpu_seconds) if cpu_seconds else None,
    }
