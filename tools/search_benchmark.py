"""Warm query latency of search over one data directory: `rapportsok bench-search`.

Every query goes through `Ranker.search`, the path of `rapportsok search` and the app: embedding
the query, dense search (FAISS), BM25 (FTS5), fusion (coverage, normalization, year boost) and
the hits with their citation fields. The first queries warm up the model, the SQLite page cache
and FAISS before anything is timed; each query is then timed `repeats` times.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from rapportsok.index.search import Ranker
from rapportsok.tools.checkout import EVAL_QUESTIONS

STAGES = ("embed", "dense", "lexical", "fusion", "hits")
WARMUP = 5
DEFAULT_QUERIES = EVAL_QUESTIONS


def load_queries(path: Path) -> list[str]:
    """The queries of a file: JSONL rows with a `question` (our set, SweFAQ) or plain lines."""
    lines = [line.strip() for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    if lines and lines[0].startswith("{"):
        rows = [json.loads(line) for line in lines]
        if not all(isinstance(row, dict) and isinstance(row.get("question"), str) for row in rows):
            raise ValueError("varje rad i JSONL-filen behöver fältet question")
        lines = [row["question"] for row in rows]
    if not lines:
        raise ValueError("inga frågor i filen")
    return lines


def _percentiles(values: Sequence[float]) -> dict[str, float]:
    return {
        "p50_ms": round(float(np.percentile(values, 50)), 2),
        "p95_ms": round(float(np.percentile(values, 95)), 2),
    }


def bench_search(ranker: Ranker, queries: Sequence[str], k: int = 10, repeats: int = 3) -> dict:
    """p50/p95 in milliseconds of whole searches and of each stage (STAGES), warm.

    The stage times come from `Ranker.rank`'s own stopwatch; the total is timed around the call.
    """
    if not queries:
        raise ValueError("inga frågor")
    for query in queries[:WARMUP]:
        ranker.search(query, k)
    totals: list[float] = []
    stages: dict[str, list[float]] = {stage: [] for stage in STAGES}
    for _ in range(repeats):
        for query in queries:
            timings: dict[str, float] = {}
            start = time.perf_counter()
            ranker.search(query, k, timings=timings)
            totals.append((time.perf_counter() - start) * 1000)
            for stage in STAGES:
                stages[stage].append(timings.get(stage, 0.0))
    return {
        "queries": len(queries),
        "searches": len(totals),
        "k": k,
        "chunks": len(ranker.vectors),
        "embedder": ranker.embedder.id,
        "cpu_count": os.cpu_count(),
        **_percentiles(totals),
        "stages": {stage: _percentiles(values) for stage, values in stages.items()},
    }
