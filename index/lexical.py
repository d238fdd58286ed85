"""BM25 over Snowball-stemmed Swedish text, in an SQLite FTS5 table beside the chunks.

Why FTS5: it lives in the same SQLite file as the chunks, so filters are plain SQL joins and
there is no second file to keep in step. FTS5 cannot stem Swedish, so we stem in Python
(PyStemmer, Snowball "swedish") and store the stems; queries are built from our own stemmed
tokens, each one quoted, so nothing a user types (quotes, AND, *, NEAR, parentheses, empty
text) can reach the FTS5 query syntax.

The table is derived data: rows are added by `refresh()` (after every sync and on open) and
removed by a trigger when their chunk row is deleted, so a reused chunk id never finds an old row.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from functools import lru_cache

import Stemmer

# Store migration v2 (applied by index/store.py): the FTS table (rowid = chunk id) and the
# triggers that drop derived rows together with their chunk. `chunk_vectors` marks the chunk ids
# whose current vector is in vectors.faiss (see index/faiss_store.py).
DERIVED_INDEX_SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    section, body, tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TABLE IF NOT EXISTS chunk_vectors (chunk_id INTEGER PRIMARY KEY);
CREATE TRIGGER IF NOT EXISTS chunks_derived_delete AFTER DELETE ON chunks BEGIN
    DELETE FROM chunks_fts WHERE rowid = old.id;
    DELETE FROM chunk_vectors WHERE chunk_id = old.id;
END;
CREATE TRIGGER IF NOT EXISTS chunks_derived_update AFTER UPDATE OF text, section ON chunks BEGIN
    DELETE FROM chunks_fts WHERE rowid = old.id;
    DELETE FROM chunk_vectors WHERE chunk_id = old.id;
END;
"""

# The Snowball project's Swedish stop word list (snowballstem.org/algorithms/swedish/stop.txt).
# Written out because PyStemmer ships no stop lists, and spaCy's Swedish list contains content
# words ("beslut", "dag") and takes seconds to import.
STOP_WORDS = frozenset(
    """och det att i en jag hon som han på den med var sig för så till är men ett om hade de av
    icke mig du henne då sin nu har inte hans honom skulle hennes där min man ej vid kunde något
    från ut när efter upp vi dem vara vad över än dig kan sina här ha mot alla under någon eller
    allt mycket sedan ju denna själv detta åt utan varit hur ingen mitt ni bli blev oss din dessa
    några deras blir mina samma vilken er sådan vår blivit dess inom mellan sådant varför varje
    vilka ditt vem vilket sitta sådana vart dina vars vårt våra ert era vilkas""".split()
)

_WORD = re.compile(r"\w+")
# Stems at least this long also match longer words that start with them ("vård" finds
# "vårdcentral"), the cheap half of Swedish compound matching.
PREFIX_MIN = 5
# Stems in at least half of the chunks are dropped from queries once they are in this many
# chunks; in small collections they still separate matches from non-matches.
COMMON_MIN = 5_000
# bm25() weights for the columns (section, body): a query word in the heading counts double
# (MRR@10 on our set 0.909 → 0.912 against equal weights; 0.5 and 0.25 were worse).
COLUMN_WEIGHTS = (2.0, 1.0)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("swedish")


def analyze(text: str, keep_stop_words: bool = True) -> list[str]:
    """Lower-cased, Snowball-stemmed word tokens of `text` (what FTS5 stores and matches)."""
    words = [w for w in _WORD.findall(text.casefold()) if keep_stop_words or w not in STOP_WORDS]
    return _stemmer().stemWords(words)


def match_expression(
    query: str, prefix_min: int = PREFIX_MIN, conn: sqlite3.Connection | None = None
) -> str | None:
    """An FTS5 MATCH expression for free user text, or None when no searchable word is left.

    Every term is one of our own stems inside double quotes, OR-ed together, so BM25 ranks
    by how many and how rare the query words are in each chunk. With `conn`, stems found in
    at least half of the chunks (and in at least COMMON_MIN) are left out: FTS5's BM25 gives them
    no weight (idf ≤ 0), and at 100k chunks their huge match lists made a query take a second.
    """
    stems = list(dict.fromkeys(analyze(query, keep_stop_words=False)))
    prefixed = {stem: bool(prefix_min) and len(stem) >= prefix_min for stem in stems}
    if conn is not None and stems:
        stems = [stem for stem in stems if not _too_common(conn, stem, prefixed[stem])]
    terms = ['"' + stem.replace('"', '""') + '"' + ("*" if prefixed[stem] else "") for stem in stems]
    return " OR ".join(terms) if terms else None


def _too_common(conn: sqlite3.Connection, stem: str, prefix: bool) -> bool:
    """Whether `stem` (or the most frequent word it is a prefix of) is in half the chunks or more."""
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.chunks_fts_vocab USING fts5vocab(main, chunks_fts, row)"
    )
    if prefix:
        row = conn.execute(
            "SELECT MAX(doc) FROM temp.chunks_fts_vocab WHERE term >= ? AND term < ?",
            (stem, stem + "\U0010ffff"),
        ).fetchone()
    else:
        row = conn.execute("SELECT doc FROM temp.chunks_fts_vocab WHERE term = ?", (stem,)).fetchone()
    documents = row[0] if row and row[0] else 0
    return (
        documents >= COMMON_MIN and 2 * documents >= conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
    )


def refresh(conn: sqlite3.Connection, batch_size: int = 500) -> int:
    """Index every chunk that has no FTS row yet; returns how many were added.

    Deleted or changed chunks lose their rows through the triggers, so only additions are left.
    """
    missing = conn.execute(
        "SELECT id, section, text FROM chunks WHERE id NOT IN (SELECT rowid FROM chunks_fts)"
    ).fetchall()
    for start in range(0, len(missing), batch_size):
        rows = missing[start : start + batch_size]
        conn.executemany(
            "INSERT INTO chunks_fts(rowid, section, body) VALUES (?, ?, ?)",
            [(cid, " ".join(analyze(section)), " ".join(analyze(text))) for cid, section, text in rows],
        )
    conn.commit()
    return len(missing)


def search(
    conn: sqlite3.Connection,
    query: str,
    limit: int,
    restrict_sql: str | None = None,
    restrict_params: Iterable = (),
    prefix_min: int = PREFIX_MIN,
) -> list[tuple[int, float]]:
    """Best chunks for `query` by BM25 as (chunk id, score), highest score first.

    `restrict_sql` is an optional subquery yielding the allowed chunk ids (the search filters).
    """
    expression = match_expression(query, prefix_min, conn)
    if expression is None or limit <= 0:
        return []
    sql = (
        f"SELECT rowid, -bm25(chunks_fts, {COLUMN_WEIGHTS[0]}, {COLUMN_WEIGHTS[1]}) AS score "
        "FROM chunks_fts WHERE chunks_fts MATCH ?"
    )
    params: list = [expression]
    if restrict_sql:
        sql += f" AND rowid IN ({restrict_sql})"
        params.extend(restrict_params)
    sql += " ORDER BY score DESC LIMIT ?"
    params.append(limit)
    return [(int(cid), float(score)) for cid, score in conn.execute(sql, params)]
