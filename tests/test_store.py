"""The SQLite store: migrations, one transaction per document, reads for citations."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from rapportsok.index import store as store_module
from rapportsok.index.store import MIGRATIONS, Store
from rapportsok.index.table_answers import cell_measure
from rapportsok.ingest.records import AMOUNT, DATE, Block, Chunk, Document, Entity, Figure
from rapportsok.ingest.tables import read_table


def make_document(path: str, version: str, n_chunks: int = 3) -> tuple[Document, list[Chunk]]:
    """A document whose every text names `version`, with one entity and one figure per chunk."""
    blocks = [Block("paragraph", f"{version} stycke {i} kostade 27 mnkr år 2020.") for i in range(n_chunks)]
    doc = Document(path=path, title=f"Rapport {version}", date="2020-01-28", page_count=2, blocks=blocks)
    doc.sha256 = f"sha-{version}"
    chunks = []
    offset = 0
    for i, block in enumerate(blocks):
        chunk = Chunk(block.text, f"Ekonomi › {version}", 1, 2, offset, offset + len(block.text))
        start = block.text.index("27 mnkr")
        chunk.entities = [
            Entity(AMOUNT, "27 mnkr", start, start + 7, 27e6),
            Entity(DATE, "2020", block.text.index("2020"), block.text.index("2020") + 4, "2020"),
        ]
        chunk.figures = [Figure(AMOUNT, 27e6, "kr", "27 mnkr", block.text, start, start + 7, period="2020")]
        chunks.append(chunk)
        offset += len(block.text) + 2 * (i < n_chunks - 1)
    return doc, chunks


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store(tmp_path / "store.sqlite")
    yield opened
    opened.close()


def test_new_store_is_at_newest_schema_with_wal_and_foreign_keys(store: Store) -> None:
    assert store.schema_version == len(MIGRATIONS)
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    tables = {row[0] for row in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"documents", "chunks", "entities", "figures", "meta", "schema_version"} <= tables


def test_reopening_applies_only_new_migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "store.sqlite"
    first = Store(path)
    first.replace_document(*make_document("/r/a.txt", "v1"))
    first.close()
    monkeypatch.setattr(store_module, "MIGRATIONS", [*MIGRATIONS, "CREATE TABLE extra (x INTEGER);"])
    upgraded = Store(path)
    assert upgraded.schema_version == len(MIGRATIONS) + 1
    assert upgraded.conn.execute("SELECT COUNT(*) FROM extra").fetchone()[0] == 0
    assert upgraded.counts()["chunks"] == 3
    assert upgraded.conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == 1
    upgraded.close()


def test_failing_migration_leaves_the_previous_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "store.sqlite"
    Store(path).close()
    broken = "CREATE TABLE half (x INTEGER); INSERT INTO no_such_table VALUES (1);"
    monkeypatch.setattr(store_module, "MIGRATIONS", [*MIGRATIONS, broken])
    with pytest.raises(sqlite3.OperationalError):
        Store(path)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version FROM schema_version").fetchall() == [(len(MIGRATIONS),)]
    assert conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half'").fetchone()[0] == 0
    conn.close()


def test_store_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    Store(path).close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE schema_version SET version = ?", (len(MIGRATIONS) + 5,))
    conn.close()
    with pytest.raises(RuntimeError, match="schemaversion"):
        Store(path)


def test_replace_document_round_trip(store: Store) -> None:
    doc, chunks = make_document("/r/a.txt", "v1")
    document_id = store.replace_document(doc, chunks)
    assert all(c.id is not None for c in chunks)
    assert all(f.chunk_id == c.id for c in chunks for f in c.figures)

    rows = store.chunks([chunks[2].id, chunks[0].id, 999_999])
    assert [r["id"] for r in rows] == [chunks[2].id, chunks[0].id]
    assert (
        rows[0]["title"] == "Rapport v1" and rows[0]["date"] == "2020-01-28" and rows[0]["path"] == "/r/a.txt"
    )
    assert rows[0]["section"] == "Ekonomi › v1"
    assert store.document_text(document_id)[rows[0]["char_start"] : rows[0]["char_end"]] == rows[0]["text"]

    entities = store.entities([chunks[0].id])[chunks[0].id]
    assert [(e.label, e.value) for e in entities] == [(AMOUNT, 27e6), (DATE, "2020")]

    figures = store.figures(chunk_ids=[chunks[1].id])
    assert len(figures) == 1
    assert figures[0]["document_id"] == document_id and figures[0]["page"] == 1
    assert figures[0]["section"] == "Ekonomi › v1" and figures[0]["title"] == "Rapport v1"
    figure = Store.figure(figures[0])
    assert (figure.value, figure.unit, figure.period, figure.chunk_id) == (27e6, "kr", "2020", chunks[1].id)

    assert store.counts() == {
        "documents": 1,
        "failed": 0,
        "chunks": 3,
        "entities": 6,
        "figures": 3,
        "pages": 2,
    }


def test_exception_while_writing_keeps_the_previous_version(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.replace_document(*make_document("/r/a.txt", "v1"))
    before = store.documents()
    original = Store._insert_chunk
    calls = 0

    def failing_insert(conn: sqlite3.Connection, document_id: int, chunk: Chunk) -> int:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("disk full, simulated")
        return original(conn, document_id, chunk)

    monkeypatch.setattr(Store, "_insert_chunk", staticmethod(failing_insert))
    with pytest.raises(RuntimeError, match="simulated"):
        store.replace_document(*make_document("/r/a.txt", "v2", n_chunks=4))

    assert calls == 2
    assert store.documents() == before
    texts = [r[0] for r in store.conn.execute("SELECT text FROM chunks ORDER BY ordinal")]
    assert len(texts) == 3 and all(t.startswith("v1 ") for t in texts)
    assert store.counts()["entities"] == 6 and store.counts()["figures"] == 3
    assert not store.conn.in_transaction


def test_replacing_keeps_document_id_and_drops_old_chunks(store: Store) -> None:
    first = store.replace_document(*make_document("/r/a.txt", "v1"))
    second = store.replace_document(*make_document("/r/a.txt", "v2", n_chunks=2))
    assert first == second
    assert store.counts() == {
        "documents": 1,
        "failed": 0,
        "chunks": 2,
        "entities": 4,
        "figures": 2,
        "pages": 2,
    }
    assert store.documents()[0]["sha256"] == "sha-v2"


def test_failure_keeps_the_previous_version_and_removal_cascades(store: Store) -> None:
    store.replace_document(*make_document("/r/a.txt", "v1"))
    store.replace_document(*make_document("/r/b.txt", "v1"))
    store.record_failure("/r/a.txt", "sha-bad", "Filen är skadad och kan inte läsas som PDF")
    store.record_failure("/r/new.txt", "sha-new", "Filen är tom")
    kept = {d["path"]: (d["status"], d["sha256"], d["error"], d["chunks"]) for d in store.documents()}
    assert kept["/r/a.txt"] == ("ok", "sha-v1", "Filen är skadad och kan inte läsas som PDF", 3)
    assert kept["/r/new.txt"] == ("failed", "sha-new", "Filen är tom", 0)
    assert store.remove_document("/r/b.txt") is True
    assert store.remove_document("/r/b.txt") is False
    assert store.counts() == {
        "documents": 1,
        "failed": 1,
        "chunks": 3,
        "entities": 6,
        "figures": 3,
        "pages": 2,
    }


def test_metadata_correction_and_meta(store: Store) -> None:
    document_id = store.replace_document(*make_document("/r/a.txt", "v1"))
    store.update_metadata(document_id, "Rättad titel", "2021-05-05")
    assert store.chunks([1])[0]["title"] == "Rättad titel"
    assert store.documents()[0]["date"] == "2021-05-05"
    assert store.get_meta("embedder") is None
    store.set_meta("embedder", "e5")
    store.set_meta("embedder", "e5-v2")
    assert store.get_meta("embedder") == "e5-v2"


def test_each_thread_gets_its_own_connection(store: Store) -> None:
    store.replace_document(*make_document("/r/a.txt", "v1"))
    seen: dict[str, object] = {}

    def read() -> None:
        seen["conn"] = store.conn
        seen["counts"] = store.counts()

    worker = threading.Thread(target=read)
    worker.start()
    worker.join()
    assert seen["conn"] is not store.conn
    assert seen["counts"] == store.counts()


def test_connections_of_ended_threads_are_closed(store: Store) -> None:
    """Streamlit runs every script run in a new thread; their connections must not pile up."""
    opened: list[sqlite3.Connection] = []

    def read() -> None:
        opened.append(store.conn)
        store.counts()

    for _ in range(20):
        worker = threading.Thread(target=read)
        worker.start()
        worker.join()
    store.conn  # noqa: B018 - opening one more connection sweeps the ended threads' ones
    assert len(store._connections) <= 2
    with pytest.raises(sqlite3.ProgrammingError):
        opened[0].execute("SELECT 1")


def test_a_table_cell_is_read_with_its_caption_and_the_label_over_its_rows(store: Store) -> None:
    """Ingest heads a cell with its passage's section; read with its table, the caption the reader
    did not make a heading and a header cell that names the rows' subject frame it again."""
    grids = [
        (["Assistansersättning", "2011", "2012"], "Tabell 35 Nyckeltal per förmån"),
        (["Mnkr", "2011", "2012"], ""),  # a unit over the row labels names no subject
    ]
    doc, chunks = make_document("/r/t.txt", "v1", n_chunks=1)
    for ordinal, (header, caption) in enumerate(grids):
        table = read_table([header, ["Styckkostnader, kr", "13 142", "18 950"], ["Totalt", "1", "2"]],
                           caption=caption, ordinal=ordinal)
        assert table is not None
        for figure in table.figures:
            figure.section = "Ekonomi › v1"
        doc.tables.append(table)
        chunks[0].figures += table.figures
    store.replace_document(doc, chunks)

    cells = [Store.figure(row) for row in store.figures(with_tables=True) if row["table"] is not None]
    first = next(c for c in cells if c.table == 0 and c.row == "Styckkostnader, kr")
    assert first.section == "Ekonomi › v1 › Tabell 35 Nyckeltal per förmån"
    assert first.measure == "Assistansersättning › Styckkostnader, kr"
    unit = next(c for c in cells if c.table == 1 and c.row == "Styckkostnader, kr")
    assert (unit.section, unit.measure) == ("Ekonomi › v1", "Styckkostnader, kr")
    # A sum row still measures what the caption names, past the label over the rows.
    total = next(c for c in cells if c.table == 0 and c.row == "Totalt")
    assert cell_measure(total) == "Tabell 35 Nyckeltal per förmån › Assistansersättning › Totalt"
    # Read without their tables (the figures tab's prose), figures keep the stored fields.
    assert all(row["table"] is None for row in store.figures())
