"""The dense vector index: FAISS on disk beside the SQLite store, ids = chunk ids.

Index type by size (numbers from `rapportsok bench-scale`, index/scale_benchmark.py, taken on the
busy 2-core machine; table in docs/embeddings.md):
- up to `EXACT_LIMIT` (50 000) vectors: exact search, IndexIDMap2 over IndexFlatIP. At 50 000 × 384
  a query scans 77 MB: 32 ms p50 / 42 ms p95 on one busy core, so there is no reason to approximate.
- above it: IVF with 8-bit scalar quantization (IndexIVFScalarQuantizer, inner product), trained
  on the vectors at hand, nlist ≈ 2·√n and nprobe = `IVF_NPROBE`. SQ8 quarters memory and disk
  (1M × 384: 392 MB instead of 1.5 GB). Measured recall@10 against exact search: 0.986 at 100k,
  0.983 at 1M, with p50 0.5 / 1.4 ms and p95 0.6 / 5.9 ms (exact search: 18 / 287 ms p50).
  The index is retrained when the collection outgrows its cells (see `VectorIndex.add`).
  HNSW was not chosen: FAISS HNSW cannot remove vectors, and documents are replaced all the time.

Vectors are L2-normalized, so inner product is cosine similarity. Writes go to a temporary
file that replaces the old one with `os.replace`, so a crash leaves the previous index whole.
The embedder id and dimension live in the store's `meta` table and a sidecar `vectors.json`;
an index built with another model is refused, never mixed.

Consistency with SQLite: the table `chunk_vectors` (store migration v2) lists the chunk ids
whose vector is in the file. A trigger empties a chunk's row when the chunk is deleted or
changed, so `sync_vectors` can tell which vectors are missing or stale even when SQLite
reuses a deleted chunk's id.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Protocol

import faiss
import numpy as np
from rapportsok.index.atomic_files import write_atomically
from rapportsok.index.errors import UserError
from rapportsok.index.vector_files import INDEX_FILE, SIDECAR_FILE

EXACT_LIMIT = 50_000
IVF_NPROBE = 32
EMBED_BATCH = 32


class PassageEmbedder(Protocol):
    """What the vector index needs from index/embedder.py's Embedder."""

    id: str
    dimension: int

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...


class ModelMismatchError(UserError):
    """The stored vectors come from another embedding model than the one in use."""

    def __init__(self, stored: str, current: str) -> None:
        self.stored = stored
        self.current = current
        super().__init__(
            f"Indexet är byggt med modellen {stored} men nu används {current}. "
            "Vektorer från olika modeller kan inte blandas. Kör `rapportsok reindex --embeddings` "
            "för att räkna om alla vektorer med den nya modellen, eller välj den gamla modellen igen "
            "med RAPPORTSOK_EMBEDDER."
        )


def embedding_text(section: str, text: str) -> str:
    """The passage text we embed for a chunk: its section heading gives the model context."""
    return f"{section}\n{text}" if section else text


def ivf_nlist(count: int) -> int:
    """Number of IVF cells for `count` vectors: about 2·√n (2 000 at 1M), at least 256.

    At 100k synthetic vectors, recall@10 with nprobe 32 was 0.950 for √n cells, 0.985 for 2·√n
    and 0.988 for 4·√n; 4·√n costs four times the k-means training, so 2·√n.
    """
    return max(256, int(2 * math.sqrt(count)))


class VectorIndex:
    """A FAISS index keyed by chunk id that switches from exact to IVF-SQ8 above EXACT_LIMIT."""

    def __init__(self, dimension: int, index: faiss.Index | None = None, nprobe: int = IVF_NPROBE) -> None:
        self.dimension = dimension
        self.nprobe = nprobe
        self.index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
        self._id_set: set[int] | None = None  # cache for `reconstruct_known`, reset on every change

    @property
    def is_exact(self) -> bool:
        return faiss.try_extract_index_ivf(self.index) is None

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def ids(self) -> np.ndarray:
        """All chunk ids in the index."""
        ivf = faiss.try_extract_index_ivf(self.index)
        if ivf is None:
            return faiss.vector_to_array(self.index.id_map).astype(np.int64)
        lists = ivf.invlists
        parts = [
            faiss.rev_swig_ptr(lists.get_ids(i), lists.list_size(i)).copy()
            for i in range(lists.nlist)
            if lists.list_size(i)
        ]
        return np.concatenate(parts).astype(np.int64) if parts else np.empty(0, np.int64)

    def reconstruct(self, ids: Sequence[int]) -> np.ndarray:
        """The stored vectors of these chunk ids (approximate under SQ8)."""
        return self.index.reconstruct_batch(np.asarray(ids, dtype=np.int64))

    def reconstruct_known(self, ids: Sequence[int]) -> tuple[list[int], np.ndarray]:
        """The ids among `ids` that have a vector here, and their vectors. FAISS raises for an
        unknown id, and a reader's index may lag the store by the chunks an ingest is adding."""
        if self._id_set is None:
            self._id_set = set(self.ids().tolist())
        found = [i for i in ids if i in self._id_set]
        if not found:
            return [], np.empty((0, self.dimension), np.float32)
        return found, self.reconstruct(found)

    def remove(self, ids: Iterable[int]) -> int:
        """Drop the vectors of these chunk ids (unknown ids are ignored)."""
        array = np.fromiter(ids, dtype=np.int64)
        self._id_set = None
        return int(self.index.remove_ids(array)) if array.size else 0

    @classmethod
    def build(cls, ids: np.ndarray, vectors: np.ndarray, dimension: int) -> VectorIndex:
        """A new index over all of `vectors` at once, of the type their number calls for."""
        if len(ids) > EXACT_LIMIT:
            return cls(dimension, build_ivf(vectors, ids, dimension))
        index = cls(dimension)
        index.add(ids, vectors)
        return index

    def add(self, ids: Iterable[int], vectors: np.ndarray) -> None:
        """Add or replace the vectors of these chunk ids.

        Crossing EXACT_LIMIT turns the exact index into IVF-SQ8; an IVF index whose cells were
        trained for a quarter of the vectors it now holds (nlist below half of `ivf_nlist`) is
        retrained, so cells stay small and recall stays up as the collection grows.
        """
        array = np.fromiter(ids, dtype=np.int64)
        if not array.size:
            return
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.shape != (array.size, self.dimension):
            raise ValueError(
                f"expected {array.size} vectors of dimension {self.dimension}, got {vectors.shape}"
            )
        self.remove(array)
        self.index.add_with_ids(vectors, array)
        self._id_set = None
        if self.is_exact and len(self) > EXACT_LIMIT:
            self._rebuild_ivf(self.ids(), self.index.index.reconstruct_n(0, len(self)))
        elif not self.is_exact and 2 * faiss.extract_index_ivf(self.index).nlist < ivf_nlist(len(self)):
            ids = self.ids()
            self._rebuild_ivf(ids, self.reconstruct(ids))

    def _rebuild_ivf(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Rebuild as IVF-SQ8 trained on the current vectors (8-bit decoded ones when retraining:
        re-quantizing them adds about one quantization step of error, far below what changes a
        ranking)."""
        self.index = build_ivf(vectors, ids, self.dimension)

    def search(
        self, queries: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> list[list[tuple[int, float]]]:
        """Top-k (chunk id, cosine) per query; `allowed` restricts the ids (the search filters)."""
        queries = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        if k <= 0 or not len(self) or (allowed is not None and not allowed.size):
            return [[] for _ in range(len(queries))]
        k = min(k, len(self))
        selector = faiss.IDSelectorBatch(allowed.astype(np.int64)) if allowed is not None else None
        if self.is_exact:
            params = faiss.SearchParameters(sel=selector) if selector is not None else None
        else:
            nlist = faiss.extract_index_ivf(self.index).nlist
            # A narrow filter leaves few candidates per cell, so look into more cells.
            widen = 1 if allowed is None else max(1, math.ceil(len(self) / max(allowed.size, 1)))
            params = faiss.SearchParametersIVF(sel=selector, nprobe=min(nlist, self.nprobe * widen))
        scores, ids = self.index.search(queries, k, params=params)
        return [
            [(int(i), float(s)) for i, s in zip(row_ids, row_scores, strict=True) if i >= 0]
            for row_ids, row_scores in zip(ids, scores, strict=True)
        ]

    def save(self, path: Path) -> None:
        """Write atomically: a temporary file in the same folder replaces the old index."""
        write_atomically(path, lambda tmp: faiss.write_index(self.index, str(tmp)))

    @classmethod
    def load(cls, path: Path, dimension: int) -> VectorIndex:
        index = faiss.read_index(str(path))
        if index.d != dimension:
            raise ValueError(f"{path}: dimension {index.d}, expected {dimension}")
        return cls(dimension, index)


def build_ivf(vectors: np.ndarray, ids: np.ndarray, dimension: int, nlist: int | None = None) -> faiss.Index:
    """An IVF-SQ8 inner-product index over `vectors`, trained on (a sample of) them."""
    nlist = nlist or ivf_nlist(len(vectors))
    quantizer = faiss.IndexFlatIP(dimension)
    index = faiss.IndexIVFScalarQuantizer(
        quantizer, dimension, nlist, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
    )
    # 64 points per cell and 10 k-means rounds are plenty for coarse cells and keep training
    # to seconds at 1M (FAISS's defaults, 256 points and 25 rounds, take minutes on two cores).
    sample = vectors
    if len(vectors) > 64 * nlist:
        rows = np.random.default_rng(0).choice(len(vectors), 64 * nlist, replace=False)
        sample = vectors[np.sort(rows)]
    index.cp.max_points_per_centroid = 64
    index.cp.niter = 10
    index.train(sample)
    index.set_direct_map_type(faiss.DirectMap.Hashtable)
    index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids.astype(np.int64))
    return index


def describe(vectors: VectorIndex) -> str:
    """The index type in words, for benchmarks and `vectors.json`."""
    if vectors.is_exact:
        return "exact (IndexFlatIP)"
    return f"ivf-sq8 nlist={faiss.extract_index_ivf(vectors.index).nlist} nprobe={vectors.nprobe}"


def _meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def check_model(conn: sqlite3.Connection, embedder_id: str) -> None:
    """Refuse to use vectors made by another model than `embedder_id` (ModelMismatchError)."""
    stored = _meta(conn, "embedder")
    if stored is not None and stored != embedder_id:
        raise ModelMismatchError(stored, embedder_id)


def load_vectors(conn: sqlite3.Connection, data_dir: Path, embedder: PassageEmbedder) -> VectorIndex:
    """The vector file as it is on disk (empty when there is none), for readers: writes nothing."""
    check_model(conn, embedder.id)
    path = Path(data_dir) / INDEX_FILE
    try:
        return VectorIndex.load(path, embedder.dimension)
    except RuntimeError:  # no file yet (FAISS reports a missing file as a RuntimeError)
        if path.exists():
            raise
        return VectorIndex(embedder.dimension)


def sync_vectors(
    conn: sqlite3.Connection,
    data_dir: Path,
    embedder: PassageEmbedder,
    progress: Callable[[int, int], None] | None = None,
) -> VectorIndex:
    """Open `vectors.faiss` and bring it in step with the chunks table.

    Vectors of chunks that are gone or changed are removed, chunks without a vector are
    embedded and added, and the file is saved only when something changed. `progress(done,
    total)` is called after each embedded batch.
    """
    check_model(conn, embedder.id)
    remove_stale_temporaries(Path(data_dir))
    path = Path(data_dir) / INDEX_FILE
    vectors = VectorIndex.load(path, embedder.dimension) if path.exists() else VectorIndex(embedder.dimension)
    in_file = set(vectors.ids().tolist())
    marked = {row[0] for row in conn.execute("SELECT chunk_id FROM chunk_vectors")}
    valid = in_file & marked
    stale = in_file - valid
    missing = conn.execute(
        "SELECT id, section, text FROM chunks WHERE id NOT IN (SELECT chunk_id FROM chunk_vectors)"
        " OR id IN (SELECT value FROM json_each(?)) ORDER BY id",
        (json.dumps(sorted(marked - in_file)),),
    ).fetchall()
    if not stale and not missing and path.exists():
        return vectors
    vectors.remove(stale)
    for start in range(0, len(missing), EMBED_BATCH):
        rows = missing[start : start + EMBED_BATCH]
        embedded = embedder.embed_passages([embedding_text(section, text) for _, section, text in rows])
        vectors.add([cid for cid, _, _ in rows], embedded)
        if progress:
            progress(min(start + EMBED_BATCH, len(missing)), len(missing))
    vectors.save(path)
    write_atomically(
        path.parent / SIDECAR_FILE,
        lambda tmp: tmp.write_text(
            json.dumps(
                {
                    "embedder": embedder.id,
                    "dimension": embedder.dimension,
                    "count": len(vectors),
                    "kind": describe(vectors),
                },
                ensure_ascii=False,
            ),
            encoding="utf-8",
        ),
    )
    # The file is saved; now record which chunk ids it holds (a crash before this commit only
    # means those chunks are embedded again next time).
    with conn:
        conn.execute(
            "DELETE FROM chunk_vectors WHERE chunk_id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(marked - valid)),),
        )
        conn.executemany(
            "INSERT OR IGNORE INTO chunk_vectors(chunk_id) VALUES (?)", [(row[0],) for row in missing]
        )
        for key, value in (("embedder", embedder.id), ("embedder_dimension", str(embedder.dimension))):
            conn.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
    return vectors


def remove_stale_temporaries(data_dir: Path) -> None:
    """Delete temporary files a killed write left behind; called by the writer, which holds the
    write lock, so no temporary file can belong to a live write."""
    for name in (INDEX_FILE, SIDECAR_FILE):
        for tmp in data_dir.glob(f".{name}.*.tmp"):
            tmp.unlink(missing_ok=True)


def reset_vectors(conn: sqlite3.Connection, data_dir: Path) -> None:
    """Forget all vectors and the recorded model, so the next sync re-embeds with the current one."""
    with conn:
        conn.execute("DELETE FROM chunk_vectors")
        conn.execute("DELETE FROM meta WHERE key IN ('embedder', 'embedder_dimension')")
    for name in (INDEX_FILE, SIDECAR_FILE):
        (Path(data_dir) / name).unlink(missing_ok=True)
