"""The FAISS vector file: incremental add/replace/remove in step with SQLite, atomic saves, model check."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import faiss
import numpy as np
import pytest
from embedding_double import WordHashEmbedder
from rapportsok.index import faiss_store
from rapportsok.index.faiss_store import INDEX_FILE, ModelMismatchError, VectorIndex, sync_vectors
from rapportsok.index.store import Store


def make_db(path: Path) -> sqlite3.Connection:
    """A real store (all migrations) with one document; chunks are written with plain SQL."""
    conn = Store(path).conn
    with conn:
        conn.execute(
            "INSERT INTO documents(id, path, sha256, status, ingested_at)"
            " VALUES (1, '/a.txt', 'x', 'ok', 'n')"
        )
    return conn


def add_chunks(conn: sqlite3.Connection, texts: dict[int, str]) -> None:
    with conn:
        conn.executemany(
            "INSERT INTO chunks(id, document_id, ordinal, text, page_start, page_end, char_start, char_end)"
            " VALUES (?, 1, ?, ?, 1, 1, 0, 0)",
            [(cid, cid, text) for cid, text in texts.items()],
        )


def stored_ids(data_dir: Path) -> set[int]:
    return set(VectorIndex.load(data_dir / INDEX_FILE, WordHashEmbedder.dimension).ids().tolist())


def test_sync_adds_replaces_and_removes_incrementally(tmp_path: Path) -> None:
    conn = make_db(tmp_path / "store.db")
    embedder = WordHashEmbedder()
    add_chunks(conn, {1: "budget för regionen", 2: "hyrläkare kostar", 3: "ambulansflyg i norr"})
    vectors = sync_vectors(conn, tmp_path, embedder)
    assert set(vectors.ids().tolist()) == {1, 2, 3} == stored_ids(tmp_path)
    assert len(embedder.calls) == 3

    embedder.calls.clear()
    assert set(sync_vectors(conn, tmp_path, embedder).ids().tolist()) == {1, 2, 3}
    assert embedder.calls == []  # nothing changed, nothing embedded

    with conn:
        conn.execute("DELETE FROM chunks WHERE id = 3")  # removed document part
        conn.execute("UPDATE chunks SET text = 'tandvård för unga' WHERE id = 2")  # replaced text
    add_chunks(conn, {3: "sjukfrånvaro bland personal", 4: "nya vårdplatser"})  # id 3 reused
    vectors = sync_vectors(conn, tmp_path, embedder)
    assert sorted(embedder.calls) == sorted(
        ["tandvård för unga", "sjukfrånvaro bland personal", "nya vårdplatser"]
    )
    assert set(vectors.ids().tolist()) == {1, 2, 3, 4} == stored_ids(tmp_path)
    chunk_ids = {row[0] for row in conn.execute("SELECT id FROM chunks")}
    marked = {row[0] for row in conn.execute("SELECT chunk_id FROM chunk_vectors")}
    assert marked == chunk_ids
    query = embedder.embed_queries(["sjukfrånvaro bland personal"])[0]
    assert vectors.search(query, 1)[0][0][0] == 3
    assert vectors.search(embedder.embed_queries(["tandvård för unga"])[0], 1)[0][0][0] == 2


def test_missing_file_is_rebuilt_and_stray_vectors_dropped(tmp_path: Path) -> None:
    conn = make_db(tmp_path / "store.db")
    embedder = WordHashEmbedder()
    add_chunks(conn, {1: "ett", 2: "två"})
    sync_vectors(conn, tmp_path, embedder)
    (tmp_path / INDEX_FILE).unlink()
    assert set(sync_vectors(conn, tmp_path, embedder).ids().tolist()) == {1, 2}
    # A vector the store never recorded (e.g. a crash before the commit) is dropped and re-embedded.
    with conn:
        conn.execute("DELETE FROM chunk_vectors WHERE chunk_id = 2")
    embedder.calls.clear()
    assert set(sync_vectors(conn, tmp_path, embedder).ids().tolist()) == {1, 2}
    assert embedder.calls == ["två"]


def test_crash_during_save_keeps_old_file_loadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vectors = VectorIndex(4)
    vectors.add([7], np.array([[1, 0, 0, 0]], np.float32))
    path = tmp_path / INDEX_FILE
    vectors.save(path)
    vectors.add([8], np.array([[0, 1, 0, 0]], np.float32))

    def crash(index: faiss.Index, name: str) -> None:
        Path(name).write_bytes(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(faiss_store.faiss, "write_index", crash)
    with pytest.raises(OSError):
        vectors.save(path)
    monkeypatch.undo()
    assert VectorIndex.load(path, 4).ids().tolist() == [7]
    assert [p.name for p in tmp_path.iterdir()] == [INDEX_FILE]  # no temporary file left behind


def test_other_model_is_refused_until_reset(tmp_path: Path) -> None:
    conn = make_db(tmp_path / "store.db")
    add_chunks(conn, {1: "ett"})
    sync_vectors(conn, tmp_path, WordHashEmbedder("modell-a"))
    with pytest.raises(ModelMismatchError) as error:
        sync_vectors(conn, tmp_path, WordHashEmbedder("modell-b"))
    assert "modell-a" in str(error.value) and "modell-b" in str(error.value)
    assert "rapportsok reindex --embeddings" in str(error.value)
    faiss_store.reset_vectors(conn, tmp_path)
    other = WordHashEmbedder("modell-b")
    assert set(sync_vectors(conn, tmp_path, other).ids().tolist()) == {1}
    assert other.calls == ["ett"]


def test_filtered_search_and_switch_to_ivf(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(1)
    data = rng.normal(size=(3000, 16)).astype(np.float32)
    data /= np.linalg.norm(data, axis=1, keepdims=True)
    ids = np.arange(100, 3100)
    monkeypatch.setattr(faiss_store, "EXACT_LIMIT", 1000)
    vectors = VectorIndex(16, nprobe=256)
    vectors.add(ids[:900], data[:900])
    assert vectors.is_exact
    vectors.add(ids[900:], data[900:])
    assert not vectors.is_exact and len(vectors) == 3000
    assert sorted(vectors.ids().tolist()) == ids.tolist()
    top = vectors.search(data[5], 3)[0]
    assert top[0][0] == 105
    allowed = np.array([2000, 2500, 3000])
    assert {cid for cid, _ in vectors.search(data[5], 10, allowed)[0]} == {2000, 2500, 3000}
    vectors.remove([105])
    assert 105 not in {cid for cid, _ in vectors.search(data[5], 3)[0]}
    np.testing.assert_allclose(vectors.reconstruct([106])[0], data[6], atol=0.02)


def _unit_vectors(count: int, dimension: int, seed: int = 2) -> np.ndarray:
    data = np.random.default_rng(seed).normal(size=(count, dimension)).astype(np.float32)
    return data / np.linalg.norm(data, axis=1, keepdims=True)


def test_build_picks_type_by_size_and_ivf_retrains_when_outgrown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(faiss_store, "EXACT_LIMIT", 500)
    data = _unit_vectors(70_000, 8)
    assert VectorIndex.build(np.arange(400), data[:400], 8).is_exact
    vectors = VectorIndex.build(np.arange(1000), data[:1000], 8)
    assert faiss_store.describe(vectors) == f"ivf-sq8 nlist=256 nprobe={faiss_store.IVF_NPROBE}"
    # The cells are kept while ivf_nlist(n) ≤ 2·nlist (n ≤ 65 536 here), then retrained.
    vectors.add(np.arange(1000, 60_000), data[1000:60_000])
    assert faiss.extract_index_ivf(vectors.index).nlist == 256
    vectors.add(np.arange(60_000, 70_000), data[60_000:])
    assert faiss.extract_index_ivf(vectors.index).nlist == faiss_store.ivf_nlist(70_000) > 512
    assert sorted(vectors.ids().tolist()) == list(range(70_000))
    np.testing.assert_allclose(vectors.reconstruct([5]), data[5:6], atol=0.03)


def test_exact_top_k_and_synthetic_data_for_the_scale_benchmark() -> None:
    from rapportsok.tools.scale_benchmark import exact_top_k, synthetic_texts, synthetic_vectors

    data = synthetic_vectors(3000, 16)
    assert data.shape == (3000, 16) and data.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(data, axis=1), 1, atol=1e-5)
    queries = synthetic_vectors(5, 16, seed=1)
    expected = np.argsort(-(queries @ data.T), axis=1)[:, :10]
    np.testing.assert_array_equal(exact_top_k(data, queries, block=700), expected)
    texts = next(synthetic_texts(3))
    assert len(texts) == 3 and all(len(text.split()) == 40 for text in texts)


def test_bench_scale_command_reports_every_number(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from rapportsok.tools.cli import main

    monkeypatch.setattr(faiss_store, "EXACT_LIMIT", 1000)
    argv = ["bench-scale", "--sizes", "500", "3000", "--lexical-max", "500", "--queries", "20", "--json"]
    assert main(argv) == 0
    result = json.loads(capsys.readouterr().out)
    small, large = result["sizes"]
    assert small["vectors"]["index"].startswith("exact") and large["vectors"]["index"].startswith("ivf-sq8")
    assert small["vectors"]["recall_at_10"] == 1.0 and large["vectors"]["recall_at_10"] >= 0.8
    for row in (small["vectors"], large["vectors"], small["lexical"]):
        assert row["p95_ms"] >= row["p50_ms"] > 0 and row["disk_mb"] >= 0
    assert "lexical" not in large and large["vectors"]["build_s"] >= 0
