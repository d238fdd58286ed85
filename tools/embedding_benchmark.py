"""`rapportsok-dev bench-embed`: passage throughput and single-query latency of the embedder in use."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from rapportsok.index.embedder import Embedder, load_embedder
from rapportsok.index.errors import UserError


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
    threads = _threads(embedder)

    queries = [" ".join(chunk.split()[:8]) for chunk in chunks]
    latencies = []
    for run in range(query_runs):
        start = time.perf_counter()
        embedder.embed_queries([queries[run % len(queries)]])
        latencies.append((time.perf_counter() - start) * 1000)
    return {
        "embedder": embedder.id,
        "backend": embedder.backend,
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


def _threads(embedder: Embedder) -> int:
    workers = getattr(embedder.model, "workers", None)
    if workers is not None:
        return int(workers)
    import torch

    return torch.get_num_threads()


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
        ids = tokenizer(" ".join(words), add_special_tokens=False, verbose=False)["input_ids"]
        ratio = len(ids) / len(words)
        size = max(1, round((chunk_tokens - overhead) / ratio))
        chunks += [" ".join(words[i : i + size]) for i in range(0, len(words) - size + 1, size)]
    return chunks[:: max(1, len(chunks) // limit)][:limit]  # spread over all files
