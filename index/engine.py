"""The one object the faces (CLI and app) talk to: a data directory with its store and indexes.

It opens things lazily, and it is the single place where derived indexes register how they are
refreshed after a sync (`refreshers`). Search (FAISS, the embedder) and answers (the answer rules)
are imported by the methods that use them, so `status` and a sync that changed nothing load
neither, and each CLI command starts in the time its own work needs.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from rapportsok.index import lexical, paths
from rapportsok.index.corrections import load_corrections, save_correction
from rapportsok.index.errors import UserError
from rapportsok.index.locking import write_lock
from rapportsok.index.results import Hit, Reply
from rapportsok.index.store import Store
from rapportsok.index.sync import ProgressCallback, Refresher, SyncReport, sync
from rapportsok.index.vector_files import INDEX_FILE, missing_vectors, vectors_current

if TYPE_CHECKING:
    from rapportsok.index.question import Question
    from rapportsok.index.search import QueryEmbedder, Ranker, RankingConfig, SearchFilters

# What `status` shows of each ingested document (PDF page indexes in "unreadable").
_STATUS_KEYS = (
    "path", "title", "date", "organisation", "page_count", "chunks", "status", "ocr_pages", "unreadable"
)


# Where a report removed in the app goes: a folder beside it that sync never reads (hidden).
REMOVED_FOLDER = ".borttagna"


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
        # How long a change waits for another process's write lock (0: refuse at once, the
        # app), and what to call when it has to wait (the CLI says so).
        self.lock_wait_s = 0.0
        self.on_lock_wait: Callable[[], None] | None = None

    def write_lock(self):
        """The data directory's write lock (index/locking.py), with this engine's wait policy."""
        return write_lock(self.data_dir, self.lock_wait_s, self.on_lock_wait)

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
        """Ingest files and directories into the store (see `index.sync.sync`), holding the
        write lock; the data directory's title/date corrections win over sidecars."""
        with self.write_lock():
            return sync(
                [Path(s) for s in sources],
                self.store,
                prune=prune,
                workers=workers,
                force=force,
                on_progress=on_progress,
                refreshers=self.refreshers,
                corrections=load_corrections(self.data_dir),
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
                    "counts": counts, "without_vectors": 0, "documents": [], "failed": [], "stale": []}
        documents = self.store.documents()
        return {
            "data_dir": str(self.data_dir),
            "database": str(self.store.path),
            "schema_version": self.store.schema_version,
            "counts": self.store.counts(),
            # Chunks an interrupted (or running) ingest has not embedded yet: found by words
            # only until the next `rapportsok ingest` embeds them; a query never does.
            "without_vectors": missing_vectors(self.store.conn),
            "documents": [
                {key: doc[key] for key in _STATUS_KEYS}
                for doc in documents
                if doc["status"] == "ok"
            ],
            "failed": [
                {"path": doc["path"], "error": doc["error"]} for doc in documents if doc["status"] != "ok"
            ],
            # Reports whose file could not be read the last time: their previous version is kept.
            "stale": [
                {"path": doc["path"], "error": doc["error"]}
                for doc in documents
                if doc["status"] == "ok" and doc["error"]
            ],
        }

    def ranker(self) -> Ranker:
        """The hybrid ranker, opened on first use as a reader: loads the embedder and the vector
        file as it is. It never embeds passages: chunks without a vector are found by words until
        the next ingest (the writer) embeds them."""
        if self._ranker is None:
            # Imported here so commands that never search do not pay for loading torch.
            from rapportsok.index.embedder import load_embedder

            self._load_ranker(load_embedder())
        return self._ranker

    def _load_ranker(self, embedder: QueryEmbedder, config: RankingConfig | None = None) -> Ranker:
        """(Re)load the ranker as a reader. The stamp is taken before loading, so a file replaced
        in between is noticed by the next `refresh_if_changed`, never missed."""
        from rapportsok.index.search import load_ranker

        self._vectors_stamp = self._vectors_file_stamp()
        self._ranker = load_ranker(self.store, self.data_dir, embedder, config)
        return self._ranker

    def _open_ranker(self, embedder: QueryEmbedder, config: RankingConfig | None = None) -> Ranker:
        """(Re)open the ranker as the writer, bringing FTS and vectors in step (under the lock)."""
        from rapportsok.index.search import open_ranker

        self._ranker = open_ranker(self.store, self.data_dir, embedder, config, self.embed_progress)
        self._vectors_stamp = self._vectors_file_stamp()  # this process wrote it
        return self._ranker

    def _refresh_search(self, store: Store) -> None:
        """Refresher run after every sync: FTS rows and vectors for new chunks, stale ones dropped.
        Without an open ranker, vectors that are already current are confirmed from SQLite alone,
        so a sync that changed nothing loads neither FAISS nor the embedding model."""
        if self._ranker is None:
            from rapportsok.index.embedder import load_embedder
            from rapportsok.index.embedder_choice import embedder_id

            if vectors_current(store.conn, self.data_dir, embedder_id()):
                lexical.refresh(store.conn)
                return
            self._open_ranker(load_embedder())
        else:
            self._open_ranker(self._ranker.embedder, self._ranker.config)

    def search(self, query: str, k: int = 10, filters: SearchFilters | None = None) -> list[Hit]:
        """The k best passages for `query` by hybrid search (index/search.py), optionally filtered.
        A vector file another process has replaced since the last query is picked up first."""
        self.refresh_if_changed()
        return self.ranker().search(query, k, filters)

    def count_matching(self, query: str, filters: SearchFilters | None = None) -> int:
        """How many passages contain any of the query's words at all (within `filters`)."""
        restrict_sql, params = filters.subquery() if filters and not filters.is_empty() else (None, [])
        return lexical.count_matching(self.store.conn, query, restrict_sql, params)

    def remove_report(self, document_id: int) -> Path:
        """Take a report out of the index and move its file aside into `.borttagna/` in its folder
        (never deleted: a wrong click is undone by moving it back and syncing). Holds the write
        lock; returns the file's new place. Raises UserError (Swedish) for an unknown report."""
        row = self.store.conn.execute("SELECT path FROM documents WHERE id = ?", (document_id,)).fetchone()
        if row is None:
            raise UserError(f"Dokumentet med id {document_id} finns inte i indexet.")
        source = Path(row[0])
        aside = source.parent / REMOVED_FOLDER
        target = aside / source.name
        counter = 1
        while target.exists():  # an earlier report of the same name was moved aside already
            target = aside / f"{source.stem}-{counter}{source.suffix}"
            counter += 1
        with self.write_lock():
            if source.exists():
                aside.mkdir(exist_ok=True)
                source.replace(target)
            self.store.remove_document(str(source))
            for refresh in self.refreshers:
                refresh(self.store)
        return target

    def reindex(self, embeddings: bool = False) -> dict:
        """Rebuild the FTS table, and with `embeddings` all vectors with the current embedder
        (the way out after changing the embedding model)."""
        from rapportsok.index.embedder import load_embedder
        from rapportsok.index.faiss_store import reset_vectors

        with self.write_lock():
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
        from rapportsok.index.answer import build_reply
        from rapportsok.index.generation import add_summary
        from rapportsok.index.question import analyze, with_known_organisations

        if not question.strip():
            raise UserError(
                "Frågan är tom. Skriv vad du vill veta, t.ex. ”Hur mycket kostade verksamheten förra året?”"
            )
        analysed = with_known_organisations(analyze(question), *self._organisation_words())
        hits = self._answer_passages(analysed, k)
        figures: dict = {}
        rows = self.store.figures(chunk_ids=[hit.chunk_id for hit in hits], with_tables=True)
        for row in rows:
            figures.setdefault(row["chunk_id"], []).append(Store.figure(row))
        reply = build_reply(analysed, hits, figures, k)
        reply.question = question  # as asked, not as analysed
        self._complete_name(analysed, reply)
        self._add_table_columns(reply, rows)
        if summarize:
            add_summary(reply)  # a no-op unless RAPPORTSOK_LLM_URL names a language model server
        return reply

    def _complete_name(self, question: Question, reply: Reply) -> None:
        """A name answered by its surname alone ("statsråden Björkman") gets the given name the
        same report prints with it elsewhere ("Per Björkman"), where it prints only one."""
        from rapportsok.index.candidates import asks_person, full_name

        answer = reply.answer
        if answer is None or not asks_person(question, answer.kind):
            return
        chunk = self.store.chunks([answer.chunk_id])
        if chunk and (name := full_name(answer.text, self.store.document_text(chunk[0]["document_id"]))):
            answer.text = name

    def _organisation_words(self) -> tuple[set[str], set[str]]:
        """Stems of the words that name the indexed reports' organisations (their places and file
        names) and of the organisations that are one word ("Försäkringskassan"), which
        `with_known_organisations` reads a question's names against."""
        from rapportsok.index.evidence import organisation_words, stems

        words: set[str] = set()
        names: set[str] = set()
        for organisation, path in self.store.conn.execute("SELECT organisation, path FROM documents"):
            words |= organisation_words(organisation, path)
            if organisation and len(organisation.split()) == 1:
                names |= set(stems(organisation))
        return words, names

    def _answer_passages(self, question: Question, k: int) -> list[Hit]:
        """The passages answers are taken from. A question that names an organisation of the index
        searches that organisation's reports too, and their passages take two of every three places
        (a named organisation steers retrieval, not only the choice among the passages found). The
        third stays with the best passages of all reports, so a report whose organisation was read
        wrong at ingest is still found."""
        from rapportsok.index.answer_config import DEFAULT_CONFIG
        from rapportsok.index.evidence import names_report, report_identity
        from rapportsok.index.search import SearchFilters

        k = max(k, DEFAULT_CONFIG.candidate_passages)
        self.refresh_if_changed()
        ranker = self.ranker()
        own = tuple(
            document_id
            for document_id, organisation, title, path in self.store.conn.execute(
                "SELECT id, organisation, title, path FROM documents"
            )
            if names_report(question, report_identity(organisation, title, path))
        )
        if not own:
            hits = ranker.search(question.text, k)
        else:
            vector = ranker.query_vector(question.text)
            steered = ranker.search(question.text, k, SearchFilters(document_ids=own), query_vector=vector)
            everywhere = ranker.search(question.text, k, query_vector=vector)
            hits = interleave(steered, everywhere, k)
        hits = self._with_role_passages(question, own or None, hits)
        return hits + self._table_passages(question, own or None, hits)

    def _with_role_passages(
        self, question: Question, document_ids: tuple[int, ...] | None, hits: list[Hit]
    ) -> list[Hit]:
        """The hits with passages that name the holder of the role a "vem" question asks for
        ("Ordförande: Charlotta Wasteson") put after the first five: a report's front page lists
        its chairman and director in a few words that passage search ranks below the prose about
        the same body. Found by the role noun alone, in the named organisation's reports when the
        question names one; they take the places of the lowest search hits."""
        from rapportsok.index.answer_config import DEFAULT_CONFIG
        from rapportsok.index.candidates import person_candidates
        from rapportsok.index.evidence import asked_roles, names_role
        from rapportsok.index.question import PERSON
        from rapportsok.index.search import SearchFilters, hits_for

        roles = asked_roles(question) if question.kind == PERSON else ()
        if not roles:
            return hits
        restrict, params = (None, []) if document_ids is None else SearchFilters(
            document_ids=document_ids).subquery()
        query = " ".join(roles)
        seen = {hit.chunk_id for hit in hits}
        ranked = [(cid, 0.0) for cid, _ in lexical.search(self.store.conn, query, 20, restrict, params)
                  if cid not in seen]
        found = [
            hit for hit in hits_for(self.store, ranked)
            if any(c.measure and names_role(question, c) for c in person_candidates(hit, 0))
        ][: DEFAULT_CONFIG.role_passages]
        if not found:
            return hits
        keep = DEFAULT_CONFIG.role_passages_after
        return (hits[:keep] + found + hits[keep:])[: len(hits)]

    def _table_passages(
        self, question: Question, document_ids: tuple[int, ...] | None, hits: list[Hit]
    ) -> list[Hit]:
        """Table passages whose row labels name the question's topic, read after those of search
        (in the named organisation's reports when it names one)."""
        from rapportsok.index.answer_config import DEFAULT_CONFIG
        from rapportsok.index.search import hits_for
        from rapportsok.index.table_answers import lookup_words, tables_to_read

        words = lookup_words(question)
        if not words:
            return []
        rows = self.store.table_rows_naming(words, document_ids)
        chunks = tables_to_read(question, rows, {hit.chunk_id for hit in hits}, DEFAULT_CONFIG.table_passages)
        return hits_for(self.store, [(chunk, 0.0) for chunk in chunks])

    def _add_table_columns(self, reply: Reply, rows: list[dict]) -> None:
        """Give every answer read from a table cell its table's column labels, so a face can show
        the whole row under its headers."""
        answers = [a for a in ([reply.answer] if reply.answer else []) + reply.alternatives if a is not None]
        answers += [other for a in list(answers) for other in a.also_in]
        for answer in answers:
            if answer.row is None:
                continue
            row = next((r for r in rows if r["chunk_id"] == answer.chunk_id and r["row"] == answer.row
                        and r["column"] == answer.column), None)
            if row is None:
                continue
            tables = {t["ordinal"]: t for t in self.store.tables(row["document_id"])}
            table = tables.get(row["table"])
            if table is not None:
                answer.columns = [column["label"] for column in table["columns"]]

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
        self._load_ranker(self._ranker.embedder, self._ranker.config)
        return True

    def correct_metadata(
        self, document_id: int, title: str, date: str | None, organisation: str | None = None
    ) -> None:
        """Save a user's correction of a report's title, date and organisation: into the data
        directory's corrections file (never beside the report: its folder may be read-only input),
        so later syncs keep it, and into the store, so it shows at once. Holds the write lock.
        `date` or `organisation` None or empty keeps the current one. Raises IngestError (Swedish)
        for a bad date."""
        row = self.store.conn.execute(
            "SELECT path, date FROM documents WHERE id = ?", (document_id,)
        ).fetchone()
        if row is None:
            raise UserError(f"Dokumentet med id {document_id} finns inte i indexet.")
        title = title.strip()
        if not title:
            raise UserError("Titeln får inte vara tom.")
        date = (date or "").strip() or None
        organisation = (organisation or "").strip() or None
        with self.write_lock():
            save_correction(self.data_dir, row[0], title=title, date=date, organisation=organisation)
            self.store.update_metadata(document_id, title, date or row[1], organisation)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def interleave(first: list[Hit], rest: list[Hit], k: int, every: int = 3) -> list[Hit]:
    """Up to `k` distinct passages: two of `first` for every one of `rest`, each list in its order;
    when one runs out, the other fills up."""
    queues, out, seen = [list(first), list(rest)], [], set()
    while len(out) < k and any(queues):
        queue = queues[1] if (len(out) % every == every - 1 and queues[1]) or not queues[0] else queues[0]
        hit = queue.pop(0)
        if hit.chunk_id not in seen:
            seen.add(hit.chunk_id)
            out.append(hit)
    return out

