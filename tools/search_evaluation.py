"""Search quality: `rapportsok eval-search`.

Quality: hit@1/5/10, MRR@10 and nDCG@10 (one relevant passage per question, so nDCG is
1/log2(1 + rank of the first relevant hit)). Two question formats are read:
- our own set (`eval/questions.jsonl`): `question`, `doc` (file name), `passage` (a gold
  substring; whitespace-normalized, case-insensitive) and `answerable`. A hit is a returned
  chunk of the gold document that contains the passage.
- SweFAQ (`eval/swefaq/swefaq_dev.jsonl`, CC BY 4.0, SuperLim 2, Språkbanken Text): all
  candidate answers of the split are indexed as passages of one document in a temporary store,
  and ranked through the same `Ranker` the CLI uses; the labelled answer is the relevant one.

Every mode (dense only, lexical only, hybrid) ranks through the same `Ranker`; only
`RankingConfig.fusion` differs, so filters and the year boost are the same for all three.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
from rapportsok.index import paths
from rapportsok.index.search import QueryEmbedder, Ranker, RankingConfig, open_ranker
from rapportsok.index.store import Store

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


def passage_in(passage: str, text: str) -> bool:
    """Whether a gold passage stands in a hit's text (whitespace-normalized, case-insensitive)."""
    return _normalized(passage) in _normalized(text)


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
    rows = conn.execute(
        "SELECT c.id, d.path, c.text FROM chunks c JOIN documents d ON d.id = c.document_id"
        f" WHERE c.id IN ({','.join('?' * len(candidates))})",
        candidates,
    )
    return {
        cid for cid, path, text in rows if Path(path).name == Path(doc).name and passage_in(passage, text)
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


# The three ways to rank that `eval-search --mode` compares.
MODES: dict[str, RankingConfig] = {
    "dense": RankingConfig(fusion="dense"),
    "lexical": RankingConfig(fusion="lexical"),
    "hybrid": RankingConfig(),
}

# The tuning table (`eval-search --variants`): every choice in RankingConfig against its alternatives.
FUSION_VARIANTS: dict[str, RankingConfig] = {
    **{name: config for name, config in MODES.items() if name != "hybrid"},
    "rrf": RankingConfig(fusion="rrf"),
    "rrf-lexical-x0.5": RankingConfig(fusion="rrf", rrf_lexical_weight=0.5),
    **{f"w{w}": RankingConfig(dense_weight=w) for w in (0.5, 0.6, 0.7, 0.75, 0.8)},
    **{f"z-w{w}": RankingConfig(dense_weight=w, normalization="z") for w in (0.6, 0.65, 0.7)},
    **{f"no-coverage-w{w}": RankingConfig(coverage=False, dense_weight=w) for w in (0.6, 0.65, 0.7, 0.8)},
    "no-compounds": RankingConfig(compound_min=0),
    "no-prefix": RankingConfig(prefix_min=0),
    "no-year-boost": RankingConfig(year_boost=0.0, year_section_boost=0.0),
    "year-boost-0.2-any": RankingConfig(year_boost=0.2, year_section_boost=0.0),
    "candidates-100": RankingConfig(candidates=100),
    "no-continuation-lift": RankingConfig(continuation_lift=0.0),
    "default": RankingConfig(),
}


def rank_with(
    ranker: Ranker, rows: Sequence[dict], fmt: str, gold: Sequence[int], configs: dict[str, RankingConfig]
) -> dict[str, Metrics]:
    """Metrics of each config on one question set; the queries are embedded once for all of them."""
    if fmt != SWEFAQ:
        rows = answerable(rows)
    vectors = ranker.embedder.embed_queries([row["question"] for row in rows])
    out = {}
    for name, config in configs.items():
        if fmt == SWEFAQ:
            ranks = rank_swefaq(ranker, rows, gold, config, vectors)
        else:
            ranks = rank_questions(ranker, rows, config, vectors)
        out[name] = metrics_from_ranks(ranks)
    return out


# Quality targets from the issue, per question-file format.
TARGETS: dict[str, dict[str, float]] = {
    QUESTIONS: {"hit_at_5": 0.98, "mrr_at_10": 0.92},
    SWEFAQ: {"ndcg_at_10": 0.78},
}


# The metric by which fusion must be at least as good as the better single method, per format.
MAIN_METRIC = {QUESTIONS: "mrr_at_10", SWEFAQ: "ndcg_at_10"}


def evaluate_file(
    path: Path,
    corpus_ranker: Callable[[], Ranker],
    embedder: Callable[[], QueryEmbedder],
    variants: bool = False,
    modes: Sequence[str] = ("hybrid",),
) -> dict:
    """Evaluate search on a question file of either format.

    Our own set is ranked over the user's store (`corpus_ranker()`, which must hold corpus/);
    SweFAQ over a temporary store of its answers embedded with `embedder()`. `modes` picks
    which of MODES to measure; `metrics` holds the first one's. With `variants`, every config in
    FUSION_VARIANTS is measured too.
    """
    fmt, rows = load_question_file(path)
    configs = {f"mode:{mode}": MODES[mode] for mode in modes}
    if variants:
        configs |= FUSION_VARIANTS
    if fmt == SWEFAQ:
        with swefaq_ranker(rows, embedder()) as (ranker, gold):
            results = rank_with(ranker, rows, fmt, gold, configs)
    else:
        results = rank_with(corpus_ranker(), rows, fmt, [], configs)
    by_mode = {mode: results[f"mode:{mode}"].to_json() for mode in modes}
    return {
        "file": str(path),
        "format": fmt,
        "mode": modes[0],
        "metrics": by_mode[modes[0]],
        "modes": by_mode,
        "variants": {name: results[name].to_json() for name in FUSION_VARIANTS} if variants else None,
    }


def fusion_shortfalls(result: dict) -> list[str]:
    """Where hybrid is worse than dense or lexical alone on the format's main metric (in Swedish);
    empty unless `evaluate_file` measured all three modes."""
    modes = result.get("modes") or {}
    if not all(mode in modes for mode in MODES):
        return []
    metric = MAIN_METRIC[result["format"]]
    hybrid = modes["hybrid"][metric]
    return [
        f"hybrid {metric} {hybrid:.3f} < {single} {modes[single][metric]:.3f}"
        for single in ("dense", "lexical")
        if hybrid < modes[single][metric]
    ]


def missed_targets(result: dict, targets: dict[str, float] | None = None) -> list[str]:
    """The targets (default: the format's) that `evaluate_file`'s result misses, in Swedish."""
    targets = TARGETS[result["format"]] if targets is None else targets
    return [
        f"{name} {result['metrics'][name]:.3f} < {target:.3f}"
        for name, target in targets.items()
        if result["metrics"][name] < target
    ]
