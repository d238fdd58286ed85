"""The SQLite store: documents, chunks, entities and figures of every ingested report.

Why SQLite: one file beside the vector index, no server, transactions, and SQL joins for the
search filters. The database runs in WAL mode so readers (the app, a search) never block the
writer (a sync) and a killed writer leaves the last committed state.

Schema versions: `MIGRATIONS[i]` is the SQL script that brings the store to version i + 1.
Version 1 is `index/schema.sql`. A new version is appended to the list, never edited in place;
each script runs in one transaction together with the new number in `schema_version`.

Threads: each thread gets its own connection (`Store.conn`), so a Streamlit session thread can
read while another thread writes, and one thread's open transaction never swallows another's
statements. Connections are opened with `check_same_thread=False` only so `close()` can close
them all from one thread; code should not hand a connection to another thread.

Writes: a document is always written in one transaction (`replace_document`,
`record_failure`, `remove_document`), so a crash between documents leaves each one either in
its old or its new version, never half written.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from rapportsok.index.lexical import DERIVED_INDEX_SCHEMA, index_chunks
from rapportsok.ingest.records import (
    PAGE_UNREADABLE,
    Box,
    Chunk,
    Document,
    Entity,
    Figure,
    Table,
)
from rapportsok.ingest.tables import framed_cell

MIGRATIONS: list[str] = [
    resources.files("rapportsok.index").joinpath("schema.sql").read_text(encoding="utf-8"),
    # v2: the search layer's derived tables (FTS5 rows, vector markers) and their triggers.
    DERIVED_INDEX_SCHEMA,
    # v3: the audit log: every change made in the app (who: session id, when, what).
    """CREATE TABLE IF NOT EXISTS audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        session TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT ''
    );""",
    # v4: PDF pages (printed number, how the text was read) and where chunks and figures stand.
    """
    CREATE TABLE IF NOT EXISTS pages (
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        page INTEGER NOT NULL,          -- PDF page index, 1 = first
        label TEXT,                     -- the page number printed on the page
        status TEXT NOT NULL,           -- 'text', 'ocr' or 'unreadable'
        confidence REAL,                -- Tesseract's mean word confidence (0-100), OCR'd pages
        PRIMARY KEY (document_id, page)
    );
    ALTER TABLE chunks ADD COLUMN page_label TEXT;
    ALTER TABLE chunks ADD COLUMN boxes TEXT;   -- JSON [[start, end, page, x0, y0, x1, y1], ...]
    ALTER TABLE figures ADD COLUMN page_label TEXT;
    ALTER TABLE figures ADD COLUMN boxes TEXT;  -- the same, offsets into the sentence
    """,
    # v5: tables as data; a figure read from a table cell names its table, row and column.
    """
    CREATE TABLE IF NOT EXISTS tables (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        caption TEXT NOT NULL DEFAULT '',
        unit TEXT,
        page INTEGER,
        header TEXT NOT NULL DEFAULT '[]',   -- JSON: header rows of cell texts
        columns TEXT NOT NULL DEFAULT '[]',  -- JSON: [{label, period, basis, unit}]
        UNIQUE (document_id, ordinal)
    );
    ALTER TABLE figures ADD COLUMN measure TEXT;
    ALTER TABLE figures ADD COLUMN basis TEXT;
    ALTER TABLE figures ADD COLUMN table_ordinal INTEGER;
    ALTER TABLE figures ADD COLUMN row_label TEXT;
    ALTER TABLE figures ADD COLUMN column_label TEXT;
    """,
    # v6: the organisation behind each report (ingest/organisation.py or the user's correction).
    "ALTER TABLE documents ADD COLUMN organisation TEXT;",
]

BUSY_TIMEOUT_S = 30.0

_DOCUMENT_COLUMNS = (
    "d.id, d.path, d.sha256, d.title, d.date, d.organisation, d.page_count, d.status, d.error, d.ingested_at"
)
_FIGURE_FIELDS = (
    "kind",
    "value",
    "unit",
    "text",
    "sentence",
    "start",
    "end",
    "period",
    "division",
    "cue",
    "page",
    "section",
    "page_label",
)
# Figure field -> figures column for the table reference (table, row and column are SQL words).
_TABLE_FIGURE_COLUMNS = {
    "measure": "measure",
    "basis": "basis",
    "table": "table_ordinal",
    "row": "row_label",
    "column": "column_label",
}


def _boxes_json(boxes: list[Box]) -> str | None:
    """Boxes as compact JSON rows: offsets, PDF page index, corners (fractions of the page)."""
    if not boxes:
        return None
    return json.dumps(
        [[b.start, b.end, b.page, *(round(v, 4) for v in (b.x0, b.y0, b.x1, b.y1))] for b in boxes],
        separators=(",", ":"),
    )


def load_boxes(value: str | None) -> list[Box]:
    """The stored JSON boxes of a chunk or figure as `Box` records."""
    return [Box(*row) for row in json.loads(value)] if value else []


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """An open store at `path` (created and migrated to the newest schema when needed)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._connections: list[tuple[threading.Thread, sqlite3.Connection]] = []
        self._lock = threading.Lock()
        self._migrate()

    # -- connections and schema -------------------------------------------------------------

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection (opened on first use)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
            # SQLite's lower() folds ASCII only: "Ö" would not match "ö" in the filters and lookups.
            conn.create_function("casefold", 1, _casefold, deterministic=True)
            self._local.conn = conn
            with self._lock:
                # Streamlit runs each script run in a new thread: close the connections of threads
                # that have ended, or open files grow with every click.
                for thread, old in self._connections:
                    if not thread.is_alive():
                        old.close()
                self._connections = [item for item in self._connections if item[0].is_alive()]
                self._connections.append((threading.current_thread(), conn))
        return conn

    def close(self) -> None:
        """Close every connection this store opened (in any thread)."""
        with self._lock:
            for _, conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    @property
    def schema_version(self) -> int:
        """The schema version the database is at (0 for an empty file)."""
        exists = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
        ).fetchone()
        if not exists:
            return 0
        row = self.conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return row[0] or 0

    def _migrate(self) -> None:
        """Apply the migrations the database lacks, each in its own transaction."""
        conn = self.conn
        current = self.schema_version
        if current > len(MIGRATIONS):
            raise RuntimeError(
                f"Databasen {self.path} har schemaversion {current}, men den här versionen av "
                f"Rapportsök känner bara till version {len(MIGRATIONS)}. Uppdatera programmet."
            )
        for version in range(current + 1, len(MIGRATIONS) + 1):
            script = (
                "BEGIN IMMEDIATE;\n"
                + MIGRATIONS[version - 1]
                + f"\n;DELETE FROM schema_version; INSERT INTO schema_version(version) VALUES ({version});"
                "\nCOMMIT;"
            )
            try:
                conn.executescript(script)
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    # -- writing ----------------------------------------------------------------------------

    def replace_document(self, doc: Document, chunks: list[Chunk]) -> int:
        """Store `doc` (keyed by its path) with its chunks, entities and figures, replacing any
        earlier version, in one transaction. Sets `chunk.id` and `figure.chunk_id`; returns the
        document id, which stays the same across versions of a path."""
        with self.conn as conn:
            document_id = self._upsert_document(
                conn, doc.path, doc.sha256, doc.title, doc.date, doc.page_count, "ok", None, doc.text,
                doc.organisation or "",  # "" = looked for, none found; NULL = stored before v6
            )
            conn.execute("DELETE FROM chunks WHERE document_id = ?", (document_id,))
            conn.execute("DELETE FROM pages WHERE document_id = ?", (document_id,))
            conn.executemany(
                "INSERT INTO pages(document_id, page, label, status, confidence) VALUES (?, ?, ?, ?, ?)",
                [(document_id, p.number, p.label, p.status, p.confidence) for p in doc.pages],
            )
            self._insert_tables(conn, document_id, doc.tables)
            for ordinal, chunk in enumerate(chunks):
                chunk.ordinal = ordinal
                chunk.id = self._insert_chunk(conn, document_id, chunk)
                self._insert_entities(conn, chunk.id, chunk.entities)
                self._insert_figures(conn, document_id, chunk, chunk.figures)
            # Word index rows in the same transaction: a reader finds a new chunk by its words
            # as soon as it exists, before (or without) its vector.
            index_chunks(conn, [(c.id, c.section, c.text) for c in chunks])
        return document_id

    def record_failure(self, path: str, sha256: str, error: str) -> int:
        """Note that `path` could not be read this time, with a Swedish reason.

        Failures never delete good data: a report stored before keeps its previous version
        (text, chunks, title, date and hash, so the next sync tries again) and only gets the
        error beside it. A file never read successfully is stored as 'failed' without content.
        """
        with self.conn as conn:
            updated = conn.execute(
                "UPDATE documents SET error = ? WHERE path = ? AND status = 'ok' RETURNING id",
                (error, path),
            ).fetchone()
            if updated is not None:
                return updated[0]
            return self._upsert_document(conn, path, sha256, Path(path).stem, None, 0, "failed", error, "")

    def remove_document(self, path: str) -> bool:
        """Remove a document and everything derived from it; False when it was not stored."""
        with self.conn as conn:
            return conn.execute("DELETE FROM documents WHERE path = ?", (path,)).rowcount > 0

    def update_metadata(
        self, document_id: int, title: str, date: str | None, organisation: str | None = None
    ) -> None:
        """Correct a document's title, date and (when given) organisation (the app's correction)."""
        with self.conn as conn:
            conn.execute(
                "UPDATE documents SET title = ?, date = ?, organisation = COALESCE(?, organisation)"
                " WHERE id = ?",
                (title, date, organisation, document_id),
            )

    def set_organisation(self, document_id: int, organisation: str) -> None:
        """Store a detected organisation ("" when none was found) for a report stored before v6."""
        with self.conn as conn:
            conn.execute("UPDATE documents SET organisation = ? WHERE id = ?", (organisation, document_id))

    def log_change(self, session: str, action: str, detail: str = "") -> None:
        """Append one change made in the app to the audit log."""
        with self.conn as conn:
            conn.execute(
                "INSERT INTO audit_log(at, session, action, detail) VALUES (?, ?, ?, ?)",
                (_now(), session, action, detail),
            )

    def audit_log(self, limit: int = 200) -> list[dict]:
        """The latest changes made in the app, newest first."""
        return self._dicts(
            "SELECT at, session, action, detail FROM audit_log ORDER BY id DESC LIMIT ?", (limit,)
        )

    def set_meta(self, key: str, value: str) -> None:
        with self.conn as conn:
            conn.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    @staticmethod
    def _upsert_document(
        conn: sqlite3.Connection,
        path: str,
        sha256: str,
        title: str,
        date: str | None,
        page_count: int,
        status: str,
        error: str | None,
        text: str,
        organisation: str | None = None,
    ) -> int:
        row = conn.execute(
            "INSERT INTO documents(path, sha256, title, date, page_count, status, error, text, ingested_at,"
            " organisation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(path) DO UPDATE SET sha256 = excluded.sha256, title = excluded.title,"
            " date = excluded.date, page_count = excluded.page_count, status = excluded.status,"
            " error = excluded.error, text = excluded.text, ingested_at = excluded.ingested_at,"
            " organisation = excluded.organisation RETURNING id",
            (path, sha256, title, date, page_count, status, error, text, _now(), organisation),
        ).fetchone()
        return row[0]

    @staticmethod
    def _insert_chunk(conn: sqlite3.Connection, document_id: int, chunk: Chunk) -> int:
        cursor = conn.execute(
            "INSERT INTO chunks(document_id, ordinal, text, section, page_start, page_end,"
            " char_start, char_end, page_label, boxes)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                document_id,
                chunk.ordinal,
                chunk.text,
                chunk.section,
                chunk.page_start,
                chunk.page_end,
                chunk.char_start,
                chunk.char_end,
                chunk.page_label,
                _boxes_json(chunk.boxes),
            ),
        )
        return cursor.lastrowid

    @staticmethod
    def _insert_entities(conn: sqlite3.Connection, chunk_id: int, entities: list[Entity]) -> None:
        conn.executemany(
            'INSERT INTO entities(chunk_id, label, text, start, "end", value_num, value_text,'
            " period_start, period_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    chunk_id,
                    e.label,
                    e.text,
                    e.start,
                    e.end,
                    float(e.value) if isinstance(e.value, int | float) else None,
                    e.value if isinstance(e.value, str) else None,
                    e.period_start,
                    e.period_end,
                )
                for e in entities
            ],
        )

    @staticmethod
    def _insert_tables(conn: sqlite3.Connection, document_id: int, tables: list[Table]) -> None:
        conn.execute("DELETE FROM tables WHERE document_id = ?", (document_id,))
        conn.executemany(
            "INSERT INTO tables(document_id, ordinal, caption, unit, page, header, columns)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    document_id,
                    t.ordinal,
                    t.caption,
                    t.unit,
                    t.page,
                    json.dumps(t.header, ensure_ascii=False),
                    json.dumps([asdict(c) for c in t.columns], ensure_ascii=False),
                )
                for t in tables
            ],
        )

    def tables(self, document_id: int) -> list[dict]:
        """The tables of a document in order: caption, unit, page, header rows and columns."""
        rows = self._dicts(
            "SELECT ordinal, caption, unit, page, header, columns FROM tables"
            " WHERE document_id = ? ORDER BY ordinal",
            (document_id,),
        )
        for row in rows:
            row["header"] = json.loads(row["header"])
            row["columns"] = json.loads(row["columns"])
        return rows

    @staticmethod
    def _insert_figures(
        conn: sqlite3.Connection, document_id: int, chunk: Chunk, figures: list[Figure]
    ) -> None:
        for figure in figures:
            figure.chunk_id = chunk.id
        conn.executemany(
            'INSERT INTO figures(chunk_id, document_id, kind, value, unit, text, sentence, start, "end",'
            " period, division, cue, page, section, page_label, boxes,"
            " measure, basis, table_ordinal, row_label, column_label)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    chunk.id,
                    document_id,
                    f.kind,
                    f.value,
                    f.unit,
                    f.text,
                    f.sentence,
                    f.start,
                    f.end,
                    f.period,
                    f.division,
                    f.cue,
                    f.page if f.page is not None else chunk.page_start,
                    f.section or chunk.section,
                    f.page_label if f.page is not None else chunk.page_label,
                    _boxes_json(f.boxes),
                    f.measure,
                    f.basis,
                    f.table,
                    f.row,
                    f.column,
                )
                for f in figures
            ],
        )

    # -- reading ----------------------------------------------------------------------------

    def documents(self, status: str | None = None) -> list[dict]:
        """Every stored document (without its text) with its chunk count, ordered by path."""
        sql = (
            f"SELECT {_DOCUMENT_COLUMNS},"
            " (SELECT COUNT(*) FROM chunks c WHERE c.document_id = d.id) AS chunks,"
            " (SELECT COUNT(*) FROM pages p WHERE p.document_id = d.id AND p.status = 'ocr') AS ocr_pages,"
            " (SELECT GROUP_CONCAT(p.page, ',') FROM pages p WHERE p.document_id = d.id"
            f" AND p.status = '{PAGE_UNREADABLE}') AS unreadable"
            " FROM documents d"
        )
        params: tuple = ()
        if status:
            sql += " WHERE d.status = ?"
            params = (status,)
        rows = self._dicts(sql + " ORDER BY d.path", params)
        for row in rows:
            listed = row["unreadable"]
            row["unreadable"] = sorted(int(page) for page in listed.split(",")) if listed else []
        return rows

    def pages(self, document_id: int) -> list[dict]:
        """Every PDF page of a document: index, printed number, status and OCR confidence."""
        return self._dicts(
            "SELECT page, label, status, confidence FROM pages WHERE document_id = ? ORDER BY page",
            (document_id,),
        )

    def document_text(self, document_id: int) -> str:
        """The cleaned text of a document (chunk offsets point into it)."""
        row = self.conn.execute("SELECT text FROM documents WHERE id = ?", (document_id,)).fetchone()
        return row[0] if row else ""

    def chunks(self, ids: Iterable[int]) -> list[dict]:
        """Chunks by id, in the order asked, each with its document's path, title, date and
        organisation for citations. Unknown ids are left out."""
        wanted = list(ids)
        rows = self._dicts(
            "SELECT c.id, c.document_id, c.ordinal, c.text, c.section, c.page_start, c.page_end,"
            " c.char_start, c.char_end, c.page_label, c.boxes, d.path, d.title, d.date, d.organisation"
            " FROM chunks c"
            " JOIN documents d ON d.id = c.document_id WHERE c.id IN (SELECT value FROM json_each(?))",
            (_json_ids(wanted),),
        )
        by_id = {row["id"]: row for row in rows}
        for row in rows:
            row["boxes"] = load_boxes(row["boxes"])
        return [by_id[i] for i in wanted if i in by_id]

    def entities(self, chunk_ids: Iterable[int]) -> dict[int, list[Entity]]:
        """The entities of each chunk, in text order (chunks without entities are left out)."""
        found: dict[int, list[Entity]] = {}
        for (
            chunk_id,
            label,
            text,
            start,
            end,
            value_num,
            value_text,
            period_start,
            period_end,
        ) in self.conn.execute(
            'SELECT chunk_id, label, text, start, "end", value_num, value_text, period_start, period_end'
            " FROM entities WHERE chunk_id IN (SELECT value FROM json_each(?)) ORDER BY chunk_id, start",
            (_json_ids(chunk_ids),),
        ):
            value = value_num if value_num is not None else value_text
            found.setdefault(chunk_id, []).append(
                Entity(label, text, start, end, value, period_start, period_end)
            )
        return found

    def figures(
        self,
        chunk_ids: Iterable[int] | None = None,
        document_id: int | None = None,
        kind: str | None = None,
        with_tables: bool = False,
    ) -> list[dict]:
        """Figures with their document's path, title and date, optionally restricted to some
        chunks, one document or one kind (AMOUNT/PERCENT); newest document first.

        Figures read from table cells only with `with_tables` (answers and the figures tab ask for them;
        index/table_answers.py decides which cells may answer).
        """
        where: list[str] = [] if with_tables else ["f.table_ordinal IS NULL"]
        params: list = []
        if chunk_ids is not None:
            where.append("f.chunk_id IN (SELECT value FROM json_each(?))")
            params.append(_json_ids(chunk_ids))
        if document_id is not None:
            where.append("f.document_id = ?")
            params.append(document_id)
        if kind is not None:
            where.append("f.kind = ?")
            params.append(kind)
        columns = ", ".join(f'f."{name}"' for name in _FIGURE_FIELDS) + "".join(
            f', f.{column} AS "{name}"'
            for name, column in _TABLE_FIGURE_COLUMNS.items()
        )
        sql = (
            f"SELECT f.id, f.chunk_id, f.document_id, {columns}, f.boxes, d.path, d.title, d.date"
            + (", t.caption AS table_caption, t.header AS table_header" if with_tables else "")
            + " FROM figures f JOIN documents d ON d.id = f.document_id"
            + (" LEFT JOIN tables t ON t.document_id = f.document_id AND t.ordinal = f.table_ordinal"
               if with_tables else "")
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self._dicts(sql + " ORDER BY d.date DESC, f.document_id, f.chunk_id, f.start", params)
        for row in rows:
            row["boxes"] = load_boxes(row["boxes"])
        return rows

    def table_rows_naming(
        self, words: Sequence[str], document_ids: Iterable[int] | None = None, limit: int = 400
    ) -> list[dict]:
        """Table rows (chunk, row label, measure, the section heading, the periods of their cells)
        whose row label or measure holds one of `words` (casefolded stems), those holding the most
        words first (the `limit` keeps them): answers reach a table this way even when passage
        search ranks its numbers low."""
        if not words:
            return []
        # Each label is casefolded once (a materialized CTE), not once per word and test: the
        # Python `casefold()` over every table cell was most of this query's time.
        where = "table_ordinal IS NOT NULL"
        params: list = []
        if document_ids is not None:
            where += " AND document_id IN (SELECT value FROM json_each(?))"
            params.append(_json_ids(document_ids))
        tests = ["(instr(label, ?) > 0)" for _ in words]
        folded = [w.casefold() for w in words]
        sql = (
            "WITH cells AS MATERIALIZED (SELECT chunk_id, row_label, measure, section, period,"
            f" casefold(coalesce(measure, row_label)) AS label FROM figures WHERE {where})"
            " SELECT chunk_id, row_label AS row, measure, section, group_concat(DISTINCT period) AS periods,"
            f" {' + '.join(tests)} AS named FROM cells WHERE {' OR '.join(tests)}"
            " GROUP BY chunk_id, row_label, measure, section ORDER BY named DESC LIMIT ?"
        )
        return self._dicts(sql, [*params, *folded, *folded, limit])

    @staticmethod
    def figure(row: dict) -> Figure:
        """A `figures()` row as the shared `Figure` record; a table cell read with its table
        (`with_tables`) gets the words that frame it (`ingest.tables.framed_cell`)."""
        names = (*_FIGURE_FIELDS, *_TABLE_FIGURE_COLUMNS)
        fields = {name: row[name] for name in names}
        if row.get("table_header") is not None:
            fields["section"], fields["measure"] = framed_cell(
                fields["section"] or "", fields["measure"], row.get("table_caption") or "",
                json.loads(row["table_header"]),
            )
        return Figure(chunk_id=row["chunk_id"], boxes=row.get("boxes", []), **fields)

    def counts(self) -> dict[str, int]:
        """How much the store holds: documents (ok and failed), chunks, entities, figures."""
        row = self.conn.execute(
            "SELECT (SELECT COUNT(*) FROM documents WHERE status = 'ok'),"
            " (SELECT COUNT(*) FROM documents WHERE status = 'failed'),"
            " (SELECT COUNT(*) FROM chunks), (SELECT COUNT(*) FROM entities), (SELECT COUNT(*) FROM figures),"
            " (SELECT COALESCE(SUM(page_count), 0) FROM documents WHERE status = 'ok')"
        ).fetchone()
        return dict(zip(("documents", "failed", "chunks", "entities", "figures", "pages"), row, strict=True))

    def _dicts(self, sql: str, params: Iterable = ()) -> list[dict]:
        cursor = self.conn.execute(sql, tuple(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]


def _casefold(text: str | None) -> str | None:
    return text.casefold() if text else text


def _json_ids(ids: Iterable[int]) -> str:
    """Ids as a JSON array for `json_each(?)`: one parameter however many ids there are."""
    return "[" + ",".join(str(int(i)) for i in ids) + "]"
