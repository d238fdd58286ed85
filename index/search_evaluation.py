"""Search quality and speed: `rapportsok eval-search`, `bench search` and `bench scale`.

Quality: hit@1/5/10, MRR@10 and nDCG@10 (one relevant passage per question, so nDCG is
1/log2(1 + rank of the first relevant hit)). Two question formats are read:
- our own set (`eval/questions.jsonl`): `question`, `doc` (file name), `passage` (a gold
  substring; whitespace-normalized, case-insensitive) and `answerable`. A hit is a returned
  chunk of the gold document that contains the passage.
- SweFAQ (`eval/swefaq/swefaq_dev.jsonl`, CC BY 4.0, SuperLim 2, Språkbanken Text): all
  candidate answers of the split are indexed as passages of one document in a temporary store,
  and ranked through the same `Ranker` the CLI uses; the labelled answer is the relevant one.
"""

from __future__ import annotations

import json
import math
import os
import re
import resource
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import faiss
import numpy as np

from index import lexical, paths
from index.faiss_store import EXACT_LIMIT, INDEX_FILE, VectorIndex, build_ivf
from index.search import QueryEmbedder, Ranker, RankingConfig, open_ranker
from index.store import Store

SWEFAQ = "swefaq"
QUESTIONS = "questions"


@dataclass
class Metrics:
    """Retrieval quality over a question set."""

    count: int
    hit_at_1: float
    hit_at_5: float
    hit_at_10: float
    mrr_at_10: float
    ndcg_at_10: float

    def to_json(self) -> dict:
        return {
            key: round(value, 4) if isinstance(value, float) else value for key, value in asdict(self).items()
        }


def metrics_from_ranks(ranks: Sequence[int | None]) -> Metrics:
    """Metrics from the 1-based rank of the first relevant hit per question (None = not in top 10)."""
    n = max(len(ranks), 1)
    found = [r for r in ranks if r is not None and r <= 10]
    return Metrics(
        count=len(ranks),
        hit_at_1=sum(r == 1 for r in found) / n,
        hit_at_5=sum(r <= 5 for r in found) / n,
        hit_at_10=len(found) / n,
        mrr_at_10=sum(1 / r for r in found) / n,
        ndcg_at_10=sum(1 / math.log2(r + 1) for r in found) / n,
    )


def load_question_file(path: Path) -> tuple[str, list[dict]]:
    """The rows of a question file and its format (SWEFAQ or QUESTIONS), told apart by their fields."""
    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    if rows and "candidate_answers" in rows[0]:
        return SWEFAQ, rows
    if rows and all(key in rows[0] for key in ("question", "doc", "passage")):
        return QUESTIONS, rows
    raise ValueError(f"{path}: okänt format (varken vår frågeuppsättning eller SweFAQ)")


def _normalized(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def answerable(rows: Sequence[dict]) -> list[dict]:
    """The questions of our set that have a gold passage (the others test "not found")."""
    return [row for row in rows if row.get("answerable", True)]


def rank_questions(
    ranker: Ranker,
    rows: Sequence[dict],
    config: RankingConfig | None = None,
    query_vectors: np.ndarray | None = None,
) -> list[int | None]:
    """Rank of the first gold chunk per answerable question of our own set."""
    rows = answerable(rows)
    ranker = replace(ranker, config=config) if config else ranker
    if query_vectors is None:
        query_vectors = ranker.embedder.embed_queries([row["question"] for row in rows])
    ranks: list[int | None] = []
    for row, vector in zip(rows, query_vectors, strict=True):
        ranked = ranker.rank(row["question"], 10, query_vector=vector)
        gold = _gold_chunks(ranker.conn, row["doc"], row["passage"], [cid for cid, _ in ranked])
        ranks.append(next((i for i, (cid, _) in enumerate(ranked, start=1) if cid in gold), None))
    return ranks


def _gold_chunks(conn: sqlite3.Connection, doc: str, passage: str, candidates: list[int]) -> set[int]:
    if not candidates:
        return set()
    wanted = _normalized(passage)
    rows = conn.execute(
        "SELECT c.id, d.path, c.text FROM chunks c JOIN documents d ON d.id = c.document_id"
        f" WHERE c.id IN ({','.join('?' * len(candidates))})",
        candidates,
    )
    return {
        cid for cid, path, text in rows if Path(path).name == Path(doc).name and wanted in _normalized(text)
    }


@contextmanager
def swefaq_ranker(rows: Sequence[dict], embedder: QueryEmbedder) -> Iterator[tuple[Ranker, list[int]]]:
    """A temporary store holding every SweFAQ candidate answer as a chunk, and the gold chunk ids."""
    answers = sorted({answer for row in rows for answer in row["candidate_answers"]})
    chunk_of = {answer: i for i, answer in enumerate(answers, start=1)}
    with tempfile.TemporaryDirectory(prefix="rapportsok-swefaq-") as tmp:
        store = Store(paths.db_path(Path(tmp)))
        with store.conn as conn:
            conn.execute(
                "INSERT INTO documents(id, path, sha256, title, status, ingested_at)"
                " VALUES (1, 'swefaq_dev.jsonl', '', 'SweFAQ dev', 'ok', '')"
            )
            conn.executemany(
                "INSERT INTO chunks(id, document_id, ordinal, text, section, page_start, page_end,"
                " char_start, char_end) VALUES (?, 1, ?, ?, '', 1, 1, 0, ?)",
                [(cid, cid, answer, len(answer)) for answer, cid in chunk_of.items()],
            )
        try:
            yield (
                open_ranker(store, Path(tmp), embedder),
                [chunk_of[row["candidate_answers"][row["label"]]] for row in rows],
            )
        finally:
            store.close()


def rank_swefaq(
    ranker: Ranker,
    rows: Sequence[dict],
    gold: Sequence[int],
    config: RankingConfig | None = None,
    query_vectors: np.ndarray | None = None,
) -> list[int | None]:
    """Rank of the labelled answer per SweFAQ question."""
    ranker = replace(ranker, config=config) if config else ranker
    if query_vectors is None:
        query_vectors = ranker.embedder.embed_queries([row["question"] for row in rows])
    ranks: list[int | None] = []
    for row, vector, answer in zip(rows, query_vectors, gold, strict=True):
        ids = [cid for cid, _ in ranker.rank(row["question"], 10, query_vector=vector)]
        ranks.append(ids.index(answer) + 1 if answer in ids else None)
    return ranks


FUSION_VARIANTS: dict[str, RankingConfig] = {
    "dense": RankingConfig(fusion="dense"),
    "bm25": RankingConfig(fusion="lexical"),
    "rrf": RankingConfig(fusion="rrf"),
    "rrf-bm25x0.5": RankingConfig(fusion="rrf", rrf_lexical_weight=0.5),
    "rrf-bm25x0.3": RankingConfig(fusion="rrf", rrf_lexical_weight=0.3),
    **{f"minmax-w{w}": RankingConfig(dense_weight=w) for w in (0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9)},
    **{f"z-w{w}": RankingConfig(dense_weight=w, normalization="z") for w in (0.6, 0.7, 0.8)},
    "minmax-w0.7-no-prefix": RankingConfig(prefix_min=0),
    "minmax-w0.7-no-year-boost": RankingConfig(year_boost=0.0),
    "default": RankingConfig(),
}


def compare_variants(
    ranker: Ranker, rows: Sequence[dict], fmt: str, gold: Sequence[int] = ()
) -> dict[str, dict]:
    """Metrics of every fusion variant on one question set (the tuning table in the report)."""
    if fmt != SWEFAQ:
        rows = answerable(rows)
    vectors = ranker.embedder.embed_queries([row["question"] for row in rows])
    out = {}
    for name, config in FUSION_VARIANTS.items():
        if fmt == SWEFAQ:
            ranks = rank_swefaq(ranker, rows, gold, config, vectors)
        else:
            ranks = rank_questions(ranker, rows, config, vectors)
        out[name] = metrics_from_ranks(ranks).to_json()
    return out


def bench_latency(ranker: Ranker, queries: Sequence[str], repeats: int = 3) -> dict:
    """Warm query latency (embedding + both searches + fusion + hits), in milliseconds."""
    for query in queries[:3]:
        ranker.search(query, 10)
    times = []
    for _ in range(repeats):
        for query in queries:
            start = time.perf_counter()
            ranker.search(query, 10)
            times.append((time.perf_counter() - start) * 1000)
    return {
        "queries": len(times),
        "p50_ms": round(float(np.percentile(times, 50)), 2),
        "p95_ms": round(float(np.percentile(times, 95)), 2),
    }


def synthetic_vectors(count: int, dimension: int, seed: int = 0) -> np.ndarray:
    """Clustered unit vectors: real embeddings cluster by topic, uniform noise would not.

    2 000 topic centres, each vector = centre + noise of about equal norm, then normalized.
    """
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(2000, dimension)).astype(np.float32)
    out = np.empty((count, dimension), np.float32)
    step = 100_000
    for start in range(0, count, step):
        n = min(step, count - start)
        block = centres[rng.integers(0, len(centres), n)] + rng.normal(size=(n, dimension)).astype(np.float32)
        out[start : start + n] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic_texts(count: int, seed: int = 0) -> Iterator[list[str]]:
    """Batches of 40-word pseudo-Swedish chunks with a Zipf-like word distribution (as real text).

    Words are built from Swedish-looking syllables; the vocabulary has 50 000 words.
    """
    rng = np.random.default_rng(seed)
    syllables = [
        "berg",
        "sjuk",
        "vård",
        "kost",
        "nad",
        "ing",
        "hus",
        "plan",
        "reg",
        "ion",
        "tal",
        "ar",
        "lön",
        "bud",
        "get",
        "för",
        "del",
        "ning",
        "cent",
        "ral",
        "läk",
        "are",
        "års",
        "mål",
    ]
    vocabulary = np.array(
        ["".join(rng.choice(syllables, size=rng.integers(2, 5))) + str(i % 7) for i in range(50_000)]
    )
    weights = 1 / np.arange(1, len(vocabulary) + 1)
    weights /= weights.sum()
    step = 50_000
    for start in range(0, count, step):
        words = rng.choice(len(vocabulary), size=(min(step, count - start), 40), p=weights)
        yield [" ".join(vocabulary[row]) for row in words]


def bench_scale(
    sizes: Sequence[int] = (100_000, 1_000_000), dimension: int = 384, queries: int = 200
) -> list[dict]:
    """Search at scale over synthetic vectors and texts, through the same `Ranker` as the CLI.

    For each size: a temporary store with that many chunks (synthetic texts, FTS5 rows), the
    vector index type the size calls for, built from synthetic clustered vectors. Reports build
    times, peak resident memory of the process, disk size of the store and of vectors.faiss,
    p50/p95 of a dense-only query and of a full hybrid query (BM25 + vectors + fusion + hits,
    query embedding excluded), and recall@10 of the vector index against exact search.
    """
    results = []
    for size in sizes:
        data = synthetic_vectors(size + queries, dimension)
        base, probes = data[:size], data[size:]
        ids = np.arange(1, size + 1, dtype=np.int64)
        start = time.perf_counter()
        if size > EXACT_LIMIT:
            vectors = VectorIndex(dimension, build_ivf(base, ids, dimension))
        else:
            vectors = VectorIndex(dimension)
            vectors.add(ids, base)
        vector_build_s = time.perf_counter() - start
        exact = faiss.IndexFlatIP(dimension)
        exact.add(base)
        _, truth = exact.search(probes, 10)
        del exact, data, base
        with tempfile.TemporaryDirectory(prefix="rapportsok-scale-") as tmp:
            vectors.save(Path(tmp) / INDEX_FILE)
            store = Store(paths.db_path(Path(tmp)))
            start = time.perf_counter()
            query_texts = _fill_store(store, size, queries)
            text_build_s = time.perf_counter() - start
            dense_ms, hybrid_ms, found = [], [], 0
            ranker = Ranker(store, vectors, embedder=None)  # query vectors are given
            for row, (probe, text) in enumerate(zip(probes, query_texts, strict=True)):
                t0 = time.perf_counter()
                got = vectors.search(probe, 10)[0]
                dense_ms.append((time.perf_counter() - t0) * 1000)
                found += len({cid - 1 for cid, _ in got} & set(truth[row].tolist()))
                t0 = time.perf_counter()
                ranker.search(text, 10, query_vector=probe)
                hybrid_ms.append((time.perf_counter() - t0) * 1000)
            store.close()
            results.append(
                {
                    "chunks": size,
                    "index": _describe(vectors),
                    "vector_build_s": round(vector_build_s, 1),
                    "text_build_s": round(text_build_s, 1),
                    "peak_rss_mb": round(_rss_mb()),
                    "vectors_mb": round(os.path.getsize(Path(tmp) / INDEX_FILE) / 2**20),
                    "store_mb": round(sum(f.stat().st_size for f in Path(tmp).glob("*.sqlite*")) / 2**20),
                    "dense_p50_ms": round(float(np.percentile(dense_ms, 50)), 2),
                    "dense_p95_ms": round(float(np.percentile(dense_ms, 95)), 2),
                    "hybrid_p50_ms": round(float(np.percentile(hybrid_ms, 50)), 2),
                    "hybrid_p95_ms": round(float(np.percentile(hybrid_ms, 95)), 2),
                    "recall_at_10": round(found / (10 * len(probes)), 4),
                }
            )
        del vectors
    return results


def _describe(vectors: VectorIndex) -> str:
    if vectors.is_exact:
        return "exact (IndexFlatIP)"
    return f"ivf-sq8 nlist={faiss.extract_index_ivf(vectors.index).nlist} nprobe={vectors.nprobe}"


def _fill_store(store: Store, size: int, queries: int) -> list[str]:
    """Write `size` synthetic chunks (ids 1..size) and their FTS rows; returns query texts
    (four words from every chunk-th text, so every query has lexical matches)."""
    query_texts: list[str] = []
    every = max(1, size // queries)
    with store.conn as conn:
        conn.execute(
            "INSERT INTO documents(id, path, sha256, title, status, ingested_at)"
            " VALUES (1, 'synthetic', '', 'Syntetisk', 'ok', '')"
        )
    next_id = 1
    for batch in synthetic_texts(size):
        with store.conn as conn:
            conn.executemany(
                "INSERT INTO chunks(id, document_id, ordinal, text, section, page_start, page_end,"
                " char_start, char_end) VALUES (?, 1, ?, ?, '', 1, 1, 0, 0)",
                [(next_id + i, next_id + i, text) for i, text in enumerate(batch)],
            )
        query_texts += [" ".join(batch[i].split()[::10]) for i in range(0, len(batch), every)]
        next_id += len(batch)
    lexical.refresh(store.conn, batch_size=5000)
    return query_texts[:queries]


# Quality targets from the issue, per question-file format.
TARGETS: dict[str, dict[str, float]] = {
    QUESTIONS: {"hit_at_5": 0.98, "mrr_at_10": 0.92},
    SWEFAQ: {"ndcg_at_10": 0.78},
}


def evaluate_file(
    path: Path,
    corpus_ranker: Callable[[], Ranker],
    embedder: Callable[[], QueryEmbedder],
    variants: bool = False,
) -> dict:
    """Evaluate search on a question file of either format.

    Our own set is ranked over the user's store (`corpus_ranker()`, which must hold corpus/);
    SweFAQ over a temporary store of its answers embedded with `embedder()`. With `variants`,
    every fusion variant in FUSION_VARIANTS is measured too.
    """
    fmt, rows = load_question_file(path)
    table = None
    if fmt == SWEFAQ:
        with swefaq_ranker(rows, embedder()) as (ranker, gold):
            metrics = metrics_from_ranks(rank_swefaq(ranker, rows, gold))
            if variants:
                table = compare_variants(ranker, rows, fmt, gold)
    else:
        ranker = corpus_ranker()
        metrics = metrics_from_ranks(rank_questions(ranker, rows))
        if variants:
            table = compare_variants(ranker, rows, fmt)
    return {"file": str(path), "format": fmt, "metrics": metrics.to_json(), "variants": table}


def missed_targets(result: dict, targets: dict[str, float] | None = None) -> list[str]:
    """The targets (default: the format's) that `evaluate_file`'s result misses, in Swedish."""
    targets = TARGETS[result["format"]] if targets is None else targets
    return [
        f"{name} {result['metrics'][name]:.3f} < {target:.3f}"
        for name, target in targets.items()
        if result["metrics"][name] < target
    ]
