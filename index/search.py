"""Hybrid search: dense (FAISS) and BM25 (FTS5) scores fused per query, with filters.

Why not plain reciprocal-rank fusion: it was no better than dense alone on SweFAQ dev (nDCG@10
0.769 both) and worse than BM25 alone on our set (MRR@10 0.886 vs 0.906), because it gives each
list the same say whatever its scores. We fuse scores instead. Per query:

1. Candidates are the union of both top lists; a lexical-only candidate gets its true cosine
   from the stored vector.
2. The lexical score of a chunk is BM25 × its coverage of the query (`lexical.coverage`: the
   idf-weighted share of the query's words it contains). BM25 alone lets a chunk that repeats
   one rare query word outrank one that holds them all; the product is a soft AND, and it
   makes the lexical side speak up when the query's words are all there (our questions name
   the reports' own terms) and quiet down when only a few are (SweFAQ questions paraphrase).
3. Both score lists are min-max normalized over the candidates and combined as
   `w · dense + (1 − w) · lexical`.
4. A chunk that continues a better one (the chunk before it in its report, in the same section
   or the one it is a subsection of) is lifted part of the way toward that one's score: a
   section cut into chunks names its subject in the first and goes on about it in the next
   ("Systemet X ersätts" in one chunk; "Leverantören … upphandlades" in the next).
5. A year named in the query ("2020") lifts chunks about that year: document date, DATE
   entities or text naming it, and more when their section heading names it.

Every value is in `RankingConfig`, with why; all variants and numbers: `rapportsok eval-search
--variants` (index/search_evaluation.py) and the README ("Sökning").
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np
from rapportsok.index import lexical
from rapportsok.index.faiss_store import PassageEmbedder, VectorIndex, load_vectors, sync_vectors
from rapportsok.index.results import Hit
from rapportsok.index.store import Store
from rapportsok.lang.stems import stems

YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")


class QueryEmbedder(PassageEmbedder, Protocol):
    """What search needs from index/embedder.py's Embedder."""

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...


@dataclass
class SearchFilters:
    """Restrictions on which chunks may be returned; None means no restriction."""

    document: str | None = None  # file name or path (suffix match)
    year_from: int | None = None
    year_to: int | None = None
    division: str | None = None
    section: str | None = None  # substring of the section heading, case-insensitive
    document_ids: tuple[int, ...] | None = None  # the reports of an organisation a question names

    def is_empty(self) -> bool:
        return all(
            v is None for v in (
                self.document, self.year_from, self.year_to, self.division, self.section, self.document_ids
            )
        )

    def subquery(self) -> tuple[str, list]:
        """SQL selecting the allowed chunk ids, with its parameters."""
        where: list[str] = []
        params: list = []
        if self.document:
            name = self.document.replace("\\", "/")
            where.append("(d.path = ? OR d.path = ? OR d.path LIKE ? ESCAPE '\\')")
            params += [name, str(Path(name).resolve()), "%/" + _like_escape(name.lstrip("./"))]
        if self.year_from is not None or self.year_to is not None:
            low = str(self.year_from if self.year_from is not None else 0).zfill(4)
            high = str(self.year_to if self.year_to is not None else 9999).zfill(4)
            # Exact on dated reports (a 2020 report mentioning 2021 is not a 2021 report); a
            # report without a date counts by the dates in the passage.
            where.append(
                "(CASE WHEN d.date IS NOT NULL AND d.date != '' THEN substr(d.date, 1, 4) BETWEEN ? AND ?"
                " ELSE EXISTS (SELECT 1 FROM entities e WHERE e.chunk_id = c.id AND e.label = 'DATE'"
                " AND substr(e.value_text, 1, 4) BETWEEN ? AND ?) END)"
            )
            params += [low, high, low, high]
        if self.division:
            where.append(
                "EXISTS (SELECT 1 FROM entities e WHERE e.chunk_id = c.id AND e.label = 'DIVISION'"
                " AND (casefold(e.value_text) = ? OR casefold(e.text) = ?))"
            )
            params += [self.division.casefold()] * 2
        if self.section:
            where.append("instr(casefold(c.section), ?) > 0")
            params.append(self.section.casefold())
        if self.document_ids is not None:
            where.append(f"d.id IN ({','.join('?' * len(self.document_ids)) or 'NULL'})")
            params += list(self.document_ids)
        sql = "SELECT c.id FROM chunks c JOIN documents d ON d.id = c.document_id"
        return (sql + " WHERE " + " AND ".join(where) if where else sql), params


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class RankingConfig:
    """How dense and lexical scores are fused. The defaults are the tuned values; each was chosen
    on SweFAQ dev (text nobody here wrote) and checked on our question set, whose halves were
    tuned and tested against each other (README, "Sökning"), so they do not fit our 136 questions."""

    fusion: str = "convex"  # "convex", "rrf", "dense" or "lexical" (the last three for comparison)
    # Convex: weight of the normalized dense score. On SweFAQ dev nDCG@10 0.784 at 0.60, 0.798 at
    # 0.65, 0.793 at 0.70, 0.789 at 0.75; on our set MRR@10 0.940, 0.941, 0.937, 0.923. 0.65 and
    # 0.70 differ by one question on each set; 0.70 is the better of the two with the int8
    # embedder (SweFAQ 0.795 vs 0.785) and for the answers built on search (eval-qa figure
    # top-1 0.927 vs 0.908, and no answerable question "not found").
    dense_weight: float = 0.7
    # Convex: "minmax" or "z", per query over the candidates. z was within 0.005 on both sets.
    normalization: str = "minmax"
    # Convex: multiply BM25 by `lexical.coverage`. Without it SweFAQ nDCG@10 falls to 0.788 and
    # our MRR@10 to 0.928, and the weight that is best for one set misses the other's target
    # (0.5–0.6 on ours, 0.75–0.8 on SweFAQ).
    coverage: bool = True
    rrf_k: int = 60  # the usual RRF constant, for the comparison variants
    rrf_lexical_weight: float = 1.0
    # Taken from each list before fusion. 100 gave the same numbers on both sets, and the
    # fusion's cost (coverage, normalization) grows with it.
    candidates: int = 50
    # Shares of the query's score range added to chunks about a year the query names, and on top
    # for chunks whose section heading names it (a heading "Resultat 2019" is about 2019; a text
    # that mentions 2019 once may not be). On our set MRR@10 0.925 without, 0.929 with 0.2 for
    # any mention, 0.937 with 0.1 + 0.1; SweFAQ questions name no years, so they cannot tell.
    year_boost: float = 0.1
    year_section_boost: float = 0.1
    # Convex: share of the gap to the chunk it continues that a chunk is lifted by (0: off). With
    # 0.3 the gold passage is among the 5 shown with answers for 191 of 207 dev questions about
    # other organisations' reports instead of 189, no answer changed; our set's hybrid numbers are
    # unchanged and SweFAQ's nDCG@10 0.798 → 0.799 (its answers are single chunks).
    continuation_lift: float = 0.3
    # Share of the query's score range added to a chunk with a table row whose label holds the
    # query's words, times their share ("Antagna studerande 1 056 … 1 708" for "hur många
    # antogs till utbildningen"): one row of a long table is the answer, and neither the
    # table's embedding nor its BM25 over twenty rows says so. 0: off.
    row_label_boost: float = 0.15
    prefix_min: int = lexical.PREFIX_MIN  # see index/lexical.py
    compound_min: int = lexical.COMPOUND_MIN  # see index/lexical.py


@dataclass
class Ranker:
    """Ranks chunk ids for a query over one store and its vector index.

    The CLI, the app and the evaluations (our question set and SweFAQ) all rank through here.
    """

    store: Store
    vectors: VectorIndex
    embedder: QueryEmbedder
    config: RankingConfig = field(default_factory=RankingConfig)

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's store connection (with the store's Unicode-aware `casefold()`)."""
        return self.store.conn

    def rank(
        self,
        query: str,
        k: int = 10,
        filters: SearchFilters | None = None,
        query_vector: np.ndarray | None = None,
        timings: dict[str, float] | None = None,
    ) -> list[tuple[int, float]]:
        """Best k (chunk id, fused score) for `query`, highest first.

        `timings`, when given, receives the milliseconds spent in each stage ("embed", "dense",
        "lexical", "fusion"), for `rapportsok bench-search`.
        """
        config = self.config
        clock = _Stopwatch(timings)
        conn = self.conn
        restrict_sql, restrict_params = (None, [])
        allowed = None
        if filters is not None and not filters.is_empty():
            restrict_sql, restrict_params = filters.subquery()
            allowed = np.array([row[0] for row in conn.execute(restrict_sql, restrict_params)], np.int64)
            if not allowed.size:
                return []
        dense: dict[int, float] = {}
        if config.fusion != "lexical" and query.strip():
            if query_vector is None:
                query_vector = self.embedder.embed_queries([query])[0]
                clock.lap("embed")
            dense = dict(self.vectors.search(query_vector, config.candidates, allowed)[0])
            clock.lap("dense")
        lex: dict[int, float] = {}
        if config.fusion != "dense":
            lex = dict(
                lexical.search(
                    conn,
                    query,
                    config.candidates,
                    restrict_sql,
                    restrict_params,
                    config.prefix_min,
                    config.compound_min,
                )
            )
            clock.lap("lexical")
        needles: list[tuple[list[str], float]] = []
        if config.fusion == "dense":
            fused = dense
        elif config.fusion == "lexical":
            fused = lex
        elif config.fusion == "rrf":
            fused = _rrf(dense, lex, config.rrf_k, config.rrf_lexical_weight)
        else:
            needles = lexical.query_needles(conn, query, config.prefix_min)
            fused = self._convex(conn, query, dense, lex, query_vector, config, needles)
            if config.continuation_lift:
                _lift_continuations(conn, fused, config.continuation_lift)
        if fused and (config.year_boost or config.year_section_boost):
            self._boost_years(conn, query, fused, config)
        if fused and config.row_label_boost and needles:
            _boost_row_labels(conn, fused, needles, config.row_label_boost)
        ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:k]
        clock.lap("fusion")
        return ranked

    def _convex(
        self,
        conn: sqlite3.Connection,
        query: str,
        dense: dict[int, float],
        lex: dict[int, float],
        query_vector: np.ndarray | None,
        config: RankingConfig,
        needles: list[tuple[list[str], float]],
    ) -> dict[int, float]:
        lexical_only = [cid for cid in lex if cid not in dense]
        if lexical_only and query_vector is not None:
            # A chunk whose vector is not there yet (an ingest in another process is still
            # embedding it) keeps dense score 0 and is found by its words alone.
            found, stored = self.vectors.reconstruct_known(lexical_only)
            dense.update(zip(found, (stored @ query_vector).tolist(), strict=True))
        # Chunks outside the BM25 list: no query word at all (0) unless the list was cut off.
        lex_floor = min(lex.values()) if len(lex) >= config.candidates else 0.0
        ids = list(dense.keys() | lex.keys())
        lex_scores = np.array([lex.get(i, lex_floor) for i in ids])
        if config.coverage and lex:
            shares = lexical.coverage(conn, query, ids, config.prefix_min, needles)
            lex_scores *= np.array([shares.get(i, 0.0) for i in ids])
        dense_norm = _normalize(np.array([dense.get(i, 0.0) for i in ids]), config.normalization)
        lex_norm = _normalize(lex_scores, config.normalization)
        w = config.dense_weight
        return dict(zip(ids, (w * dense_norm + (1 - w) * lex_norm).tolist(), strict=True))

    def _boost_years(
        self, conn: sqlite3.Connection, query: str, fused: dict[int, float], config: RankingConfig
    ) -> None:
        years = set(YEAR.findall(query))
        if not years:
            return
        ids = list(fused)
        placeholders = ",".join("?" * len(ids))
        lifts: dict[int, float] = {}
        for year in years:
            rows = conn.execute(
                "SELECT c.id, instr(c.section, ?) > 0 FROM chunks c JOIN documents d ON d.id = c.document_id"
                f" WHERE c.id IN ({placeholders})"
                " AND (substr(d.date, 1, 4) = ? OR instr(c.section, ?) > 0 OR instr(c.text, ?) > 0"
                " OR EXISTS (SELECT 1 FROM entities e WHERE e.chunk_id = c.id AND e.label = 'DATE'"
                " AND substr(e.value_text, 1, 4) = ?))",
                [year, *ids, year, year, year, year],
            )
            for cid, in_section in rows:
                lift = config.year_boost + (config.year_section_boost if in_section else 0.0)
                lifts[cid] = max(lifts.get(cid, 0.0), lift)
        spread = _spread(fused)
        for cid, lift in lifts.items():
            fused[cid] += lift * spread

    def query_vector(self, query: str) -> np.ndarray | None:
        """The query's embedding, for several searches of one query (None when ranking by words only)."""
        if self.config.fusion == "lexical" or not query.strip():
            return None
        return self.embedder.embed_queries([query])[0]

    def search(
        self,
        query: str,
        k: int = 10,
        filters: SearchFilters | None = None,
        query_vector: np.ndarray | None = None,
        timings: dict[str, float] | None = None,
    ) -> list[Hit]:
        """Ranked hits with everything a citation needs (`timings`: see `rank`, plus "hits")."""
        ranked = self.rank(query, k, filters, query_vector, timings)
        clock = _Stopwatch(timings)
        hits = hits_for(self.store, ranked)
        clock.lap("hits")
        return hits


# A table row as the text holds it: a short label, then only numbers to the end of the line, two
# groups at least ("Antagna studerande 1 056 1 032 1 708", "• Kostnader för lokaler -1 808 830
# -1 676 277"); a prose line with numbers ("Regionen hade 7 200 anställda") goes on with words.
_ROW = re.compile(r"\s*(?:[•\-–]\s*)?([^\W\d][^\d.!?]{2,60}?)(?:\s+[-−–]?\d[\d,.]*\s?%?){2,}\s*$")
# Lines longer than this are prose that happens to start with words and hold numbers.
_ROW_MAX = 160


def row_labels(text: str) -> list[str]:
    """The labels of the lines of `text` that read as table rows."""
    rows = (_ROW.match(line) for line in text.splitlines() if len(line) <= _ROW_MAX)
    return [row.group(1) for row in rows if row]


def _boost_row_labels(
    conn: sqlite3.Connection, fused: dict[int, float], needles: list[tuple[list[str], float]], boost: float
) -> None:
    """Lift each candidate with a table row labelled by the query's words by `boost` of
    the score range, times the share of the query its best label holds. Why: the answer to "hur
    många antogs till utbildningen" is one row of a long table ("Antagna studerande");
    the table's embedding is about twenty rows, and BM25 and coverage count its words anywhere in
    it, so a prose passage that names the topic in passing ranks above it. `needles`: the query's
    words (`lexical.query_needles`)."""
    if not needles:
        return
    ids = list(fused)
    lifts = {}
    rows = conn.execute(f"SELECT id, text FROM chunks WHERE id IN ({','.join('?' * len(ids))})", ids)
    for cid, text in rows:
        labels = row_labels(text)
        if labels:
            lifts[cid] = max(lexical.share_in(needles, " ".join(stems(label))) for label in labels)
    spread = _spread(fused)
    for cid, share in lifts.items():
        fused[cid] += boost * share * spread


def _spread(fused: dict[int, float]) -> float:
    """The range of a query's scores, the unit its lifts are measured in (1 when all are equal)."""
    values = list(fused.values())
    return (max(values) - min(values)) or 1.0


def _lift_continuations(conn: sqlite3.Connection, fused: dict[int, float], lift: float) -> None:
    """Lift each candidate that continues a better-scored one by `lift` of the gap between them.

    A chunk continues the chunk before it (same report, previous ordinal) when it is in the same
    section or in a subsection of it (text without headings is one section: a scan, a plain
    letter). Why: a long section is cut into chunks, and the later ones
    go on about what the first names without naming it again, so neither the embedding nor the
    words of the question find them; their predecessor's score says what they are about. Only
    candidates of this query count, so it costs one lookup of their positions.
    """
    if len(fused) < 2:
        return
    ids = list(fused)
    rows = conn.execute(
        f"SELECT id, document_id, ordinal, section FROM chunks WHERE id IN ({','.join('?' * len(ids))})", ids
    )
    place = {cid: (document, ordinal, section or "") for cid, document, ordinal, section in rows}
    at = {(document, ordinal): cid for cid, (document, ordinal, _) in place.items()}
    lifted = {}
    for cid, (document, ordinal, section) in place.items():
        before = at.get((document, ordinal - 1))
        if before is None or fused[before] <= fused[cid]:
            continue
        heading = place[before][2]
        if section == heading or section.startswith(heading + " › "):
            lifted[cid] = fused[cid] + lift * (fused[before] - fused[cid])
    fused.update(lifted)


class _Stopwatch:
    """Adds the milliseconds since the previous lap to `timings[stage]` (nothing when None)."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        if self.timings is None:
            return
        now = time.perf_counter()
        self.timings[stage] = self.timings.get(stage, 0.0) + (now - self.last) * 1000
        self.last = now


def _rrf(dense: dict[int, float], lex: dict[int, float], k: int, lexical_weight: float) -> dict[int, float]:
    fused: dict[int, float] = {}
    for weight, scores in ((1.0, dense), (lexical_weight, lex)):
        for rank, cid in enumerate(sorted(scores, key=scores.__getitem__, reverse=True), start=1):
            fused[cid] = fused.get(cid, 0.0) + weight / (k + rank)
    return fused


def _normalize(values: np.ndarray, how: str) -> np.ndarray:
    if not values.size:
        return values
    if how == "z":
        spread = values.std()
        return (values - values.mean()) / spread if spread > 0 else np.zeros_like(values)
    spread = values.max() - values.min()
    return (values - values.min()) / spread if spread > 0 else np.zeros_like(values)


def hits_for(store: Store, ranked: Sequence[tuple[int, float]]) -> list[Hit]:
    """Turn ranked chunk ids into `Hit`s (file, title, date, organisation, page, section, text,
    entities)."""
    ids = [cid for cid, _ in ranked]
    rows = {row["id"]: row for row in store.chunks(ids)}
    entities = store.entities(ids)
    return [
        Hit(
            chunk_id=cid,
            file=rows[cid]["path"],
            title=rows[cid]["title"],
            date=rows[cid]["date"],
            page=rows[cid]["page_start"],
            section=rows[cid]["section"],
            text=rows[cid]["text"],
            score=round(score, 6),
            entities=entities.get(cid, []),
            page_label=rows[cid]["page_label"],
            boxes=rows[cid]["boxes"],
            organisation=rows[cid]["organisation"] or None,
        )
        for cid, score in ranked
        if cid in rows
    ]


def load_ranker(
    store: Store, data_dir: Path, embedder: QueryEmbedder, config: RankingConfig | None = None
) -> Ranker:
    """A Ranker over the vector file as it is, for readers: writes nothing and embeds no passage.

    Chunks without a vector yet are found by their words; the next `ingest` (the writer, under
    the write lock) embeds them.
    """
    return Ranker(store, load_vectors(store.conn, data_dir, embedder), embedder, config or RankingConfig())


def open_ranker(
    store: Store,
    data_dir: Path,
    embedder: QueryEmbedder,
    config: RankingConfig | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Ranker:
    """Bring the FTS table and the vector file in step with the chunks, then return a Ranker.
    Writes: only a writer holding the write lock (index/locking.py) should call it."""
    lexical.refresh(store.conn)
    vectors = sync_vectors(store.conn, data_dir, embedder, progress)
    return Ranker(store, vectors, embedder, config or RankingConfig())
