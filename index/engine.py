"""The one object the faces (CLI and app) talk to: a data directory with its store and indexes.

It opens things lazily, so `rapportsok status` never loads a model, and it is the single place
where derived indexes register how they are refreshed after a sync (`refreshers`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from rapportsok.index import paths
from rapportsok.index.errors import UserError
from rapportsok.index.faiss_store import INDEX_FILE, reset_vectors
from rapportsok.index.results import Hit, Reply
from rapportsok.index.search import QueryEmbedder, Ranker, RankingConfig, SearchFilters, open_ranker
from rapportsok.index.store import Store
from rapportsok.index.sync import ProgressCallback, Refresher, SyncReport, sync
from rapportsok.ingest.metadata import save_override

# What `status` shows of each ingested document (PDF page indexes in "unreadable").
_STATUS_KEYS = ("path", "title", "date", "page_count", "chunks", "status", "ocr_pages", "unreadable")


class Engine:
    """Store, sync and (added by the search and answer layers) search and questions for one data dir."""

    def __init__(self, data_dir: str | os.PathLike | None = None) -> None:
        self.data_dir = paths.data_dir(data_dir)
        self._store: Store | None = None
        # Called with the store after every sync (FTS, vectors): derived indexes plug in here.
        self.refreshers: list[Refresher] = [self._refresh_search]
        # Told (done, total) while new chunks are embedded, the slow part of a sync.
        self.embed_progress: Callable[[int, int], None] | None = None
        self._ranker: Ranker | None = None
        # (mtime, size) of vectors.faiss when the ranker was opened: see `refresh_if_changed`.
        self._vectors_stamp: tuple[int, int] | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(paths.db_path(self.data_dir))
        return self._store

    def sync(
        self,
        sources: Iterable[str | os.PathLike],
        prune: bool = True,
        workers: int | None = None,
        force: bool = False,
        on_progress: ProgressCallback | None = None,
    ) -> SyncReport:
        """Ingest files and directories into the store (see `index.sync.sync`)."""
        return sync(
            [Path(s) for s in sources],
            self.store,
            prune=prune,
            workers=workers,
            force=force,
            on_progress=on_progress,
            refreshers=self.refreshers,
        )

    def has_index(self) -> bool:
        """Whether reports have been ingested here; checked without creating a store."""
        if self._store is None and not paths.db_path(self.data_dir).exists():
            return False
        return self.store.counts()["chunks"] > 0

    def status(self) -> dict:
        """Where the data lives and what the store holds, JSON-ready. Creates nothing: a data
        dir without a store reports `database` None and zero counts."""
        if self._store is None and not paths.db_path(self.data_dir).exists():
            counts = dict.fromkeys(("documents", "failed", "chunks", "entities", "figures", "pages"), 0)
            return {"data_dir": str(self.data_dir), "database": None, "schema_version": None,
                    "counts": counts, "documents": [], "failed": []}
        documents = self.store.documents()
        return {
            "data_dir": str(self.data_dir),
            "database": str(self.store.path),
            "schema_version": self.store.schema_version,
            "counts": self.store.counts(),
            "documents": [
                {key: doc[key] for key in _STATUS_KEYS}
                for doc in documents
                if doc["status"] == "ok"
            ],
            "failed": [
                {"path": doc["path"], "error": doc["error"]} for doc in documents if doc["status"] != "ok"
            ],
        }

    def ranker(self) -> Ranker:
        """The hybrid ranker, opened on first use: loads the embedder and brings the FTS table
        and vectors.faiss in step with the chunks (embedding whatever is missing)."""
        if self._ranker is None:
            # Imported here so commands that never search do not pay for loading torch.
            from rapportsok.index.embedder import load_embedder

            self._open_ranker(load_embedder())
        return self._ranker

    def _open_ranker(self, embedder: QueryEmbedder, config: RankingConfig | None = None) -> Ranker:
        """(Re)open the ranker, bringing FTS and vectors in step, and note the vector file's stamp."""
        self._ranker = open_ranker(self.store, self.data_dir, embedder, config, self.embed_progress)
        self._vectors_stamp = self._vectors_file_stamp()
        return self._ranker

    def _refresh_search(self, store: Store) -> None:
        """Refresher run after every sync: FTS rows and vectors for new chunks, stale ones dropped."""
        if self._ranker is None:
            self.ranker()
        else:
            self._open_ranker(self._ranker.embedder, self._ranker.config)

    def search(self, query: str, k: int = 10, filters: SearchFilters | None = None) -> list[Hit]:
        """The k best passages for `query` by hybrid search (index/search.py), optionally filtered."""
        return self.ranker().search(query, k, filters)

    def reindex(self, embeddings: bool = False) -> dict:
        """Rebuild the FTS table, and with `embeddings` all vectors with the current embedder
        (the way out after changing the embedding model)."""
        from rapportsok.index.embedder import load_embedder

        with self.store.conn as conn:
            conn.execute("DELETE FROM chunks_fts")
        if embeddings:
            reset_vectors(self.store.conn, self.data_dir)
        ranker = self._open_ranker(load_embedder())
        return {"chunks": len(ranker.vectors), "embedder": ranker.embedder.id}

    def ask(self, question: str, k: int = 5, summarize: bool = True) -> Reply:
        """Answer a Swedish question with the exact figure (or date, name, division, sentence) and its
        source, or an honest "not found"; `k` passages are shown (index/answer.py scores the figures
        of the top passages of hybrid search). `summarize=False` never calls a configured language
        model (evaluations and benchmarks measure the extractive answer alone)."""
        # Imported here: answers use the figure rules of ingest (spaCy), which `status` does not need.
        from rapportsok.index.answer import CANDIDATE_PASSAGES, build_reply
        from rapportsok.index.generation import add_summary
        from rapportsok.index.question import analyze

        if not question.strip():
            raise UserError("Frågan är tom. Skriv t.ex. ”Hur mycket fick regionen för psykisk hälsa?”")
        hits = self.search(question, k=max(k, CANDIDATE_PASSAGES))
        figures: dict = {}
        for row in self.store.figures(chunk_ids=[hit.chunk_id for hit in hits]):
            figures.setdefault(row["chunk_id"], []).append(Store.figure(row))
        reply = build_reply(analyze(question), hits, figures, k)
        if summarize:
            add_summary(reply)  # a no-op unless RAPPORTSOK_LLM_URL names a language model server
        return reply

    def _vectors_file_stamp(self) -> tuple[int, int] | None:
        try:
            stat = (self.data_dir / INDEX_FILE).stat()
        except FileNotFoundError:
            return None
        return (stat.st_mtime_ns, stat.st_size)

    def refresh_if_changed(self) -> bool:
        """Reopen the search indexes when another process (a CLI `ingest` or `reindex`) has rewritten
        vectors.faiss since they were loaded, so a long-running app sees new reports without a
        restart. One stat() call when nothing changed; the store and FTS table are read live anyway."""
        if self._ranker is None or self._vectors_file_stamp() == self._vectors_stamp:
            return False
        self._refresh_search(self.store)
        return True

    def correct_metadata(self, document_id: int, title: str, date: str | None) -> None:
        """Save a user's correction of a report's title and date: into the sidecar `metadata.toml`
        beside the file, so later syncs keep it, and into the store, so it shows at once.
        `date` None or empty keeps the current date. Raises IngestError (Swedish) for a bad date."""
        row = self.store.conn.execute(
            "SELECT path, date FROM documents WHERE id = ?", (document_id,)
        ).fetchone()
        if row is None:
            raise UserError(f"Dokumentet med id {document_id} finns inte i indexet.")
        title = title.strip()
        if not title:
            raise UserError("Titeln får inte vara tom.")
        date = (date or "").strip() or None
        save_override(Path(row[0]), title=title, date=date)
        self.store.update_metadata(document_id, title, date or row[1])

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
