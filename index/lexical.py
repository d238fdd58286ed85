"""BM25 over Snowball-stemmed Swedish text, in an SQLite FTS5 table beside the chunks.

Why FTS5: it lives in the same SQLite file as the chunks, so filters are plain SQL joins and
there is no second file to keep in step. FTS5 cannot stem Swedish, so we stem in Python
(PyStemmer, Snowball "swedish") and store the stems; queries are built from our own stemmed
tokens, each one quoted, so nothing a user types (quotes, AND, *, NEAR, parentheses, empty
text) can reach the FTS5 query syntax.

Swedish writes compounds as one word ("hyrpersonal", "budgetram"), and a report may say the same
thing with the parts apart ("personal som hyrs in", "ramen i budgeten"). Two cheap halves of
compound matching: a long stem also matches words that start with it (PREFIX_MIN), and a long
query word that splits into two words of the collection also searches for its parts
(`compound_parts`). A query word that no chunk holds is read by a form one or two letters shorter
that some chunk does (`known_forms`: "cyberangreppet" → "cyberangrepp"). A question's past-tense
verb also searches for its supine and action noun ("kostade" → "kostnad*", `verb_forms`).
`coverage` tells the fusion how much of the query a chunk contains.

The table is derived data: rows are added by `refresh()` (after every sync and on open) and
removed by a trigger when their chunk row is deleted, so a reused chunk id never finds an old row.
"""

from __future__ import annotations

import math
import re
import sqlite3
from collections.abc import Iterable, Sequence

from rapportsok.lang.stems import paradigm_words
from rapportsok.lang.stems import stems as word_stems
from rapportsok.lang.stopwords import STOP_WORDS

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

_WORD = re.compile(r"\w+")

# Stems at least this long also match longer words that start with them ("vård" finds
# "vårdcentral"), the cheap half of Swedish compound matching.
PREFIX_MIN = 5
# Query stems at least this long are tried as compounds of two words of the collection, each
# at least COMPOUND_PART_MIN long ("hyrpersonal" → "hyr" + "personal"). Measured on both question
# sets (README, "Sökning"): lexical alone MRR@10 on our set 0.900 → 0.906 (SweFAQ nDCG@10 0.666
# → 0.665); hybrid 0.934 → 0.937 on ours, 0.783 → 0.793 on SweFAQ.
COMPOUND_MIN = 8
COMPOUND_PART_MIN = 3
# Stems in at least half of the chunks are dropped from queries once they are in this many
# chunks; in small collections they still separate matches from non-matches.
COMMON_MIN = 5_000
# bm25() weights for the columns (section, body): a query word in the heading counts double
# (MRR@10 on our set 0.909 → 0.912 against equal weights; 0.5 and 0.25 were worse).
COLUMN_WEIGHTS = (2.0, 1.0)


def match_expression(
    query: str,
    prefix_min: int = PREFIX_MIN,
    conn: sqlite3.Connection | None = None,
    compound_min: int = COMPOUND_MIN,
) -> str | None:
    """An FTS5 MATCH expression for free user text, or None when no searchable word is left.

    Every term is one of our own stems inside double quotes, OR-ed together, so BM25 ranks
    by how many and how rare the query words are in each chunk. With `conn`, the parts of
    compound words are added (`compound_parts`), and stems found in at least half of the chunks
    (and in at least COMMON_MIN) are left out: FTS5's BM25 gives them no weight (idf ≤ 0), and
    at 100k chunks their huge match lists made a query take a second.
    """
    stems = query_stems(query)
    if conn is not None:
        stems = known_forms(conn, stems, prefix_min)
        forms = [form for other in verb_forms(conn, query, prefix_min).values() for form in other]
        stems = list(dict.fromkeys(stems + forms))
    if conn is not None and compound_min:
        parts = [part for stem in stems if len(stem) >= compound_min for part in compound_parts(conn, stem)]
        stems = list(dict.fromkeys(stems + parts))
    exact = cut_stems(query)
    prefixed = {stem: _is_prefix(stem, prefix_min) and stem not in exact for stem in stems}
    if conn is not None and stems:
        stems = [stem for stem in stems if not _too_common(conn, stem, prefixed[stem])]
    terms = ['"' + stem.replace('"', '""') + '"' + ("*" if prefixed[stem] else "") for stem in stems]
    return " OR ".join(terms) if terms else None


def query_stems(query: str) -> list[str]:
    """The distinct stems of a query's words, stop words left out, in query order."""
    return list(dict.fromkeys(word_stems(query, keep_stop_words=False)))


# A query stem no chunk holds is tried without its last one or two letters, down to this length.
TRIMMED_MIN = 5
TRIM_MAX = 2


def known_forms(conn: sqlite3.Connection, stems: Sequence[str], prefix_min: int = PREFIX_MIN) -> list[str]:
    """The stems with each one that no chunk holds replaced by its longest form one or two letters
    shorter that some chunk does hold: Snowball leaves some Swedish definite endings on
    ("cyberangreppet", "penetrationstestet", "kameran"), so a question in the definite form never
    meets a report that writes the word bare or in another form. A stem the collection holds
    stays, so this only gives a word that would find nothing a chance to count."""
    def held(stem: str) -> bool:
        return document_frequency(conn, stem, _is_prefix(stem, prefix_min)) > 0

    out = []
    for stem in stems:
        shorter = [stem[:-cut] for cut in range(1, TRIM_MAX + 1) if len(stem) - cut >= TRIMMED_MIN]
        out.append(stem if held(stem) else next((form for form in shorter if held(form)), stem))
    return list(dict.fromkeys(out))


# Forms of a verb shorter than this are left out ("tog" → "tag" would find the word "tag").
FORM_MIN = 4


def verb_forms(conn: sqlite3.Connection, query: str, prefix_min: int = PREFIX_MIN) -> dict[str, list[str]]:
    """Per stem of a past-tense verb of the query, the stems of its supine, action noun or
    participle that some chunk holds (`lang.stems.paradigm_words`): "ökade" → "ökat", "ökning";
    "kostade" → "kostnad" (as a prefix, "kostnaderna"); "antogs" → "antag" ("antagna"). Snowball
    leaves a past tense apart from the words a report states the same fact with ("har ökat med
    3 procent", "Antagna studerande"). Only these forms, not every word starting with the
    verb's root: "tjänade" must not find "tjänster"."""
    forms: dict[str, list[str]] = {}
    for word in _WORD.findall(query.casefold()):
        if word in STOP_WORDS:
            continue
        found = [
            form
            for other in paradigm_words(word)
            for form in word_stems(other)[:1]
            if len(form) >= FORM_MIN and document_frequency(conn, form, _is_prefix(form, prefix_min)) > 0
        ]
        stem = word_stems(word)[0]
        # a form the verb's own stem finds as a prefix ("betal*" finds "betalning") would count twice
        found = [form for form in found if not form.startswith(stem) or not _is_prefix(stem, prefix_min)]
        if found:
            forms.setdefault(stem, []).extend(form for form in found if form != stem)
    return forms


# Suffixes that Snowball cuts off after a linking "s" ("brotts|ligheten"); an inflection cut after a
# stem's own "s" ("process|erna", "resurs|erna") leaves a stem that compounds may start with.
_DERIVATION = ("lig", "lös", "mässig")


def cut_stems(query: str) -> frozenset[str]:
    """Stems of the query that Snowball cut back to a compound's linking "s" ("brottsligheten" →
    "brotts"): matched as whole words, not as prefixes. The stored text holds the same stem for
    "brottslighet" and "brottsliga"; as a prefix it would also find every compound that starts
    with "brotts-" ("brottsområde", "brottsförebyggande"), which is not what the word means."""
    words = [word for word in _WORD.findall(query.casefold()) if word not in STOP_WORDS]
    return frozenset(
        stem for word, stem in zip(words, word_stems(" ".join(words)), strict=True)
        if stem.endswith("s") and word[len(stem) :].startswith(_DERIVATION)
    )


def _is_prefix(stem: str, prefix_min: int) -> bool:
    return bool(prefix_min) and len(stem) >= prefix_min


def _vocabulary(conn: sqlite3.Connection) -> str:
    """Name of a (per-connection, temporary) fts5vocab table: document frequency per indexed stem."""
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.chunks_fts_vocab USING fts5vocab(main, chunks_fts, row)"
    )
    return "temp.chunks_fts_vocab"


def document_frequency(conn: sqlite3.Connection, stem: str, prefix: bool = False) -> int:
    """In how many chunks `stem` occurs; with `prefix`, the most frequent word starting with it
    (a lower bound of the prefix query's count that needs one index range scan, not a full match)."""
    table = _vocabulary(conn)
    if prefix:
        row = conn.execute(
            f"SELECT MAX(doc) FROM {table} WHERE term >= ? AND term < ?", (stem, stem + "\U0010ffff")
        ).fetchone()
    else:
        row = conn.execute(f"SELECT doc FROM {table} WHERE term = ?", (stem,)).fetchone()
    return row[0] if row and row[0] else 0


def compound_parts(conn: sqlite3.Connection, stem: str) -> tuple[str, ...]:
    """Head and tail of `stem` read as a compound of two indexed words, or () when it is none.

    Hand-written because no Swedish decompounder is packaged for Python; the collection's own
    vocabulary is the dictionary. Every split point is tried; the head may end in a linking
    "s" ("insats|kapital", "sjukskrivning|s|process"); the longest tail wins, since the tail
    (the head word of a Swedish compound) carries its meaning.
    """
    table = _vocabulary(conn)

    def known(word: str) -> bool:
        return conn.execute(f"SELECT 1 FROM {table} WHERE term = ?", (word,)).fetchone() is not None

    for cut in range(COMPOUND_PART_MIN, len(stem) - COMPOUND_PART_MIN + 1):
        head, tail = stem[:cut], stem[cut:]
        if not known(tail):
            continue
        if known(head):
            return (head, tail)
        if head.endswith("s") and len(head) > COMPOUND_PART_MIN and known(head[:-1]):
            return (head[:-1], tail)
    return ()


def _too_common(conn: sqlite3.Connection, stem: str, prefix: bool) -> bool:
    """Whether `stem` (or the most frequent word it is a prefix of) is in half the chunks or more."""
    documents = document_frequency(conn, stem, prefix)
    return (
        documents >= COMMON_MIN and 2 * documents >= conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
    )


def query_needles(
    conn: sqlite3.Connection, query: str, prefix_min: int = PREFIX_MIN
) -> list[tuple[list[str], float]]:
    """The query's words as they are found in stored stems: per word, its forms as substrings of
    space-joined stems (" stem " a word, " stem" a word that starts with it) and its idf weight.
    The idf is FTS5's own, log((N − n + 0.5) / (n + 0.5)), floored at 1e-6 as FTS5 does; words in
    no chunk weigh nothing and are left out. A verb is found in any of its forms ("ökade" in
    "ökat" or "ökningen") and weighs as its most frequent form."""
    stems = known_forms(conn, query_stems(query), prefix_min)
    if not stems:
        return []
    groups = {stem: [stem] for stem in stems}
    exact = cut_stems(query)

    def prefix(form: str) -> bool:
        return _is_prefix(form, prefix_min) and form not in exact

    for stem, forms in verb_forms(conn, query, prefix_min).items():
        if stem in groups:
            groups[stem] += forms
    # chunks, not chunks_fts: an FTS5 count reads every row, and the two are in step once the
    # ranker is open (`open_ranker`).
    total = conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
    needles = []
    for forms in groups.values():
        found = max(document_frequency(conn, form, prefix(form)) for form in forms)
        if found:
            weight = max(math.log((total - found + 0.5) / (found + 0.5)), 1e-6)
            needles.append(([f" {form}" if prefix(form) else f" {form} " for form in forms], weight))
    return needles


def share_in(needles: list[tuple[list[str], float]], stemmed: str) -> float:
    """The weighted share of the query's words (`query_needles`) found in space-joined stems."""
    whole = sum(weight for _, weight in needles)
    text = f" {stemmed} "
    found = sum(weight for forms, weight in needles if any(form in text for form in forms))
    return found / whole if whole else 0.0


def coverage(
    conn: sqlite3.Connection,
    query: str,
    chunk_ids: Sequence[int],
    prefix_min: int = PREFIX_MIN,
    needles: list[tuple[list[str], float]] | None = None,
) -> dict[int, float]:
    """Share of the query each chunk contains: the idf-weighted fraction of the query's stems
    found in its heading or text (1.0 = every query word is there), per chunk id.

    Why: BM25 rewards a chunk that repeats one rare query word as much as one that holds all of
    them; the fusion multiplies BM25 by this share, a soft AND (README, "Sökning"). Computed in
    Python over the candidates' stored stems, so the cost grows with the number of candidates,
    not with the collection. `needles`: the query's `query_needles`, when the caller has them.
    """
    if not chunk_ids:
        return {}
    if needles is None:
        needles = query_needles(conn, query, prefix_min)
    if not needles:
        return {} if not query_stems(query) else dict.fromkeys(map(int, chunk_ids), 0.0)
    ids = list(dict.fromkeys(int(cid) for cid in chunk_ids))
    rows = conn.execute(
        f"SELECT rowid, section, body FROM chunks_fts WHERE rowid IN ({','.join('?' * len(ids))})", ids
    )
    # Stored text is stems joined by single spaces: substring tests in C, no tokenizing per chunk.
    shares = dict.fromkeys(ids, 0.0)
    for cid, section, body in rows:
        shares[cid] = share_in(needles, f"{section} {body}")
    return shares


def refresh(conn: sqlite3.Connection, batch_size: int = 500) -> int:
    """Index every chunk that has no FTS row yet; returns how many were added.

    Deleted or changed chunks lose their rows through the triggers, so only additions are left.
    """
    missing = conn.execute(
        "SELECT id, section, text FROM chunks WHERE id NOT IN (SELECT rowid FROM chunks_fts)"
    ).fetchall()
    for start in range(0, len(missing), batch_size):
        index_chunks(conn, missing[start : start + batch_size])
    conn.commit()
    return len(missing)


def index_chunks(conn: sqlite3.Connection, rows: Iterable[tuple[int, str, str]]) -> None:
    """Add FTS rows for (chunk id, section, text), in the caller's transaction."""
    conn.executemany(
        "INSERT INTO chunks_fts(rowid, section, body) VALUES (?, ?, ?)",
        [(cid, " ".join(word_stems(section)), " ".join(word_stems(text))) for cid, section, text in rows],
    )


def search(
    conn: sqlite3.Connection,
    query: str,
    limit: int,
    restrict_sql: str | None = None,
    restrict_params: Iterable = (),
    prefix_min: int = PREFIX_MIN,
    compound_min: int = COMPOUND_MIN,
) -> list[tuple[int, float]]:
    """Best chunks for `query` by BM25 as (chunk id, score), highest score first.

    `restrict_sql` is an optional subquery yielding the allowed chunk ids (the search filters).
    `prefix_min` and `compound_min` 0 turn prefix and compound matching off.
    """
    expression = match_expression(query, prefix_min, conn, compound_min)
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


def count_matching(
    conn: sqlite3.Connection, query: str, restrict_sql: str | None = None, restrict_params: Iterable = ()
) -> int:
    """How many chunks contain any of the query's words (their forms and compound parts) at all,
    so a search can say how many passages there are beyond the few it shows."""
    expression = match_expression(query, PREFIX_MIN, conn, COMPOUND_MIN)
    if expression is None:
        return 0
    sql = "SELECT COUNT(*) FROM chunks_fts WHERE chunks_fts MATCH ?"
    params: list = [expression]
    if restrict_sql:
        sql += f" AND rowid IN ({restrict_sql})"
        params.extend(restrict_params)
    return int(conn.execute(sql, params).fetchone()[0])
