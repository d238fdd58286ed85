"""Search at scale on synthetic data: `rapportsok bench-scale`.

The sample corpus has a few hundred chunks; the issue asks how search behaves at 100k and 1M.
Real embeddings of that many chunks would take days to compute on two cores, so the vector side
uses synthetic vectors with the same shape and a similar structure, and the lexical side uses
synthetic Swedish-looking texts with a Zipf word distribution:

- Vectors: 384-dim float32, L2-normalized. Chunks cluster by topic (reports about the same
  subject), so every vector is a topic centre plus Gaussian noise of the same norm (cosine about
  0.5 within a topic, about 0 between topics), with one topic per `TOPIC_SIZE` chunks. Queries
  are further draws from the same distribution, not copies of indexed vectors.
- Texts: 40 words from a 50 000-word vocabulary of Swedish syllables, word frequency ~ 1/rank.

For each size the vector index is built the way the store builds it (`VectorIndex.build`: exact
up to EXACT_LIMIT, IVF-SQ8 above) and measured on single queries (k=10), warm: build time,
memory (the index's own size, and the growth of resident memory while building, which
undercounts for small sizes where freed heap memory is reused), file size, p50/p95 latency and
recall@10 against exact search (brute-force matrix products in blocks), plus the latency exact
search (IndexFlatIP) would have at that size.
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import faiss
import numpy as np
from rapportsok.index import lexical, paths
from rapportsok.index.faiss_store import INDEX_FILE, VectorIndex, describe
from rapportsok.index.store import Store

DIMENSION = 384
TOPIC_SIZE = 500
QUERIES = 200
EXACT_QUERIES = 50
K = 10
LEXICAL_WORDS = 40


def synthetic_vectors(count: int, dimension: int = DIMENSION, seed: int = 0) -> np.ndarray:
    """`count` clustered unit vectors (see the module docstring), generated in blocks."""
    rng = np.random.default_rng(seed)
    topics = max(10, count // TOPIC_SIZE)
    centres = rng.normal(size=(topics, dimension)).astype(np.float32)
    out = np.empty((count, dimension), np.float32)
    for start in range(0, count, 100_000):
        n = min(100_000, count - start)
        block = centres[rng.integers(0, topics, n)] + rng.normal(size=(n, dimension)).astype(np.float32)
        out[start : start + n] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def exact_top_k(base: np.ndarray, queries: np.ndarray, k: int = K, block: int = 100_000) -> np.ndarray:
    """Row indices of the exact top-k inner products, by blocked matrix products (ground truth)."""
    best_scores = np.full((len(queries), 0), -np.inf, np.float32)
    best_ids = np.zeros((len(queries), 0), np.int64)
    for start in range(0, len(base), block):
        scores = queries @ base[start : start + block].T
        top = np.argpartition(-scores, min(k, scores.shape[1] - 1), axis=1)[:, :k]
        best_scores = np.hstack([best_scores, np.take_along_axis(scores, top, axis=1)])
        best_ids = np.hstack([best_ids, top + start])
        keep = np.argsort(-best_scores, axis=1)[:, :k]
        best_scores = np.take_along_axis(best_scores, keep, axis=1)
        best_ids = np.take_along_axis(best_ids, keep, axis=1)
    return best_ids


def synthetic_texts(count: int, seed: int = 0, batch: int = 50_000) -> Iterator[list[str]]:
    """Batches of pseudo-Swedish chunk texts (see the module docstring)."""
    rng = np.random.default_rng(seed)
    parts = np.array(
        "berg sjuk vård kost nad ing hus plan reg ion tal ar lön bud get för del ning läk are".split()
    )
    vocabulary = np.array(
        ["".join(rng.choice(parts, size=rng.integers(2, 5))) + "abcdefg"[i % 7] for i in range(50_000)]
    )
    weights = 1 / np.arange(1, len(vocabulary) + 1)
    weights /= weights.sum()
    for start in range(0, count, batch):
        words = rng.choice(len(vocabulary), size=(min(batch, count - start), LEXICAL_WORDS), p=weights)
        yield [" ".join(vocabulary[row]) for row in words]


def _rss_mb() -> float:
    """Current resident memory of this process (Linux /proc), in MiB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _percentiles(times_ms: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(float(np.percentile(times_ms, 50)), 2),
        "p95_ms": round(float(np.percentile(times_ms, 95)), 2),
    }


def _time_queries(search: Callable[[int], object], count: int) -> list[float]:
    for row in range(min(3, count)):  # warm-up
        search(row)
    times = []
    for row in range(count):
        start = time.perf_counter()
        search(row)
        times.append((time.perf_counter() - start) * 1000)
    return times


def bench_vectors(size: int, queries: int = QUERIES, dimension: int = DIMENSION) -> dict:
    """Build, save and query the vector index for `size` synthetic chunks."""
    data = synthetic_vectors(size + queries, dimension)
    base, probes = data[:size], data[size:]
    truth = exact_top_k(base, probes)
    ids = np.arange(1, size + 1, dtype=np.int64)  # chunk ids start at 1, as in SQLite
    rss_before = _rss_mb()
    start = time.perf_counter()
    vectors = VectorIndex.build(ids, base, dimension)
    build_s = time.perf_counter() - start
    rss_delta = _rss_mb() - rss_before
    exact = faiss.IndexFlatIP(dimension)  # what exact search would cost at this size
    exact.add(base)
    del data, base
    exact_times = _time_queries(lambda row: exact.search(probes[row : row + 1], K), EXACT_QUERIES)
    times = _time_queries(lambda row: vectors.search(probes[row], K), queries)
    found = sum(
        len({cid - 1 for cid, _ in got} & set(truth[row].tolist()))
        for row, got in enumerate(vectors.search(probes, K))
    )
    with tempfile.TemporaryDirectory(prefix="rapportsok-scale-") as tmp:
        path = Path(tmp) / INDEX_FILE
        start = time.perf_counter()
        vectors.save(path)
        save_s = time.perf_counter() - start
        disk_mb = path.stat().st_size / 2**20
        start = time.perf_counter()
        VectorIndex.load(path, dimension)
        load_s = time.perf_counter() - start
    return {
        "chunks": size,
        "index": describe(vectors),
        "build_s": round(build_s, 1),
        "index_mb": round(faiss.serialize_index(vectors.index).nbytes / 2**20),
        "rss_growth_mb": round(rss_delta),
        "disk_mb": round(disk_mb),
        "save_s": round(save_s, 2),
        "load_s": round(load_s, 2),
        **_percentiles(times),
        "recall_at_10": round(found / (K * queries), 4),
        **{f"exact_{key}": value for key, value in _percentiles(exact_times).items()},
    }


def bench_lexical(size: int, queries: int = QUERIES) -> dict:
    """Fill a temporary store with `size` synthetic chunks, build FTS5 and time BM25 queries."""
    with tempfile.TemporaryDirectory(prefix="rapportsok-scale-") as tmp:
        store = Store(paths.db_path(Path(tmp)))
        conn = store.conn
        with conn:
            conn.execute(
                "INSERT INTO documents(id, path, sha256, title, status, ingested_at)"
                " VALUES (1, 'synthetic', '', 'Syntetisk', 'ok', '')"
            )
        query_texts: list[str] = []
        every = max(1, size // queries)
        next_id = 1
        start = time.perf_counter()
        for batch in synthetic_texts(size):
            with conn:
                conn.executemany(
                    "INSERT INTO chunks(id, document_id, ordinal, text, section, page_start, page_end,"
                    " char_start, char_end) VALUES (?, 1, ?, ?, '', 1, 1, 0, 0)",
                    [(next_id + i, next_id + i, text) for i, text in enumerate(batch)],
                )
            # Four words of every size/queries-th chunk: each query has at least one good match.
            query_texts += [" ".join(text.split()[::10]) for text in batch[::every]]
            next_id += len(batch)
        store_s = time.perf_counter() - start
        start = time.perf_counter()
        lexical.refresh(conn, batch_size=5000)
        fts_s = time.perf_counter() - start
        query_texts = query_texts[:queries]
        times = _time_queries(lambda row: lexical.search(conn, query_texts[row], K), len(query_texts))
        store.close()
        disk_mb = sum(f.stat().st_size for f in Path(tmp).iterdir()) / 2**20
    return {
        "chunks": size,
        "store_build_s": round(store_s, 1),
        "fts_build_s": round(fts_s, 1),
        "disk_mb": round(disk_mb),
        **_percentiles(times),
    }


def bench_scale(
    sizes: list[int], lexical_max: int = 100_000, queries: int = QUERIES, threads: int | None = None
) -> dict:
    """Vector results for every size, lexical results for sizes up to `lexical_max`."""
    if threads:
        faiss.omp_set_num_threads(threads)
    rows = []
    for size in sizes:
        row = {"vectors": bench_vectors(size, queries)}
        if size <= lexical_max:
            row["lexical"] = bench_lexical(size, queries)
        rows.append(row)
    return {
        "threads": faiss.omp_get_max_threads(),
        "queries": queries,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "sizes": rows,
    }
