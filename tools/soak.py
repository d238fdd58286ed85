"""Soak benchmark: readers and one writer on the same data directory, for N minutes.

Two processes ask and search in a loop while a third adds, changes and deletes report files and
ingests them; every error is counted, and at the end the store, the word index (FTS) and the
vector file must agree. Everything runs on this machine in a temporary folder (no network).

    python -m rapportsok.tools.soak --minutes 3

Prints queries served, errors, ingests, and p50/p95 query latency overall and during ingests.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import tempfile
import time
from pathlib import Path

import numpy as np

TOPICS = (
    "psykisk hälsa", "kollektivtrafik", "tandvård", "äldreomsorg", "barnhälsovård",
    "ambulanssjukvård", "primärvård", "kulturmiljö", "vägunderhåll", "digitalisering",
)
QUESTIONS = (
    "hur mycket fick regionen för {topic} 2020",
    "vad kostade {topic}",
    "{topic}",
    "hur mycket pengar gick till {topic} under 2021",
)


def report_text(topic: str, version: int) -> str:
    """A small Swedish report about `topic`; `version` changes its figures."""
    amount = 10 + version % 40
    return (
        f"# Rapport om {topic}\n\n## Ekonomi\n\n"
        f"Regionen fick {amount} mnkr för {topic} under 2020. Arbetet med {topic} fortsätter.\n\n"
        f"## Uppföljning\n\nUnder 2021 användes {amount // 2} mnkr till {topic} i länet.\n"
    )


def _reader(data_dir: str, seconds: float, seed: int, ready, out: multiprocessing.Queue) -> None:
    from rapportsok.index.engine import Engine

    engine = Engine(data_dir)
    engine.ask(QUESTIONS[0].format(topic=TOPICS[0]), summarize=False)  # warm-up: models loaded
    ready.wait()
    until = time.time() + seconds
    rng = random.Random(seed)
    served, errors, samples = 0, [], []
    while time.time() < until:
        question = rng.choice(QUESTIONS).format(topic=rng.choice(TOPICS))
        started = time.time()
        try:
            if rng.random() < 0.5:
                engine.ask(question, summarize=False)
            else:
                engine.search(question)
            served += 1
            samples.append((started, time.time() - started))
        except Exception as error:  # noqa: BLE001 - counting every failure is the point
            errors.append(f"{type(error).__name__}: {error}"[:300])
    out.put({"served": served, "errors": errors, "samples": samples})


def _writer(data_dir: str, corpus: str, seconds: float, ready, out: multiprocessing.Queue) -> None:
    import rapportsok.ingest.pipeline  # noqa: F401 - warm-up: loaded before the clock starts
    from rapportsok.index.embedder import load_embedder
    from rapportsok.index.engine import Engine

    engine = Engine(data_dir)
    engine.lock_wait_s = 600
    load_embedder()
    ready.wait()
    until = time.time() + seconds
    rng = random.Random(7)
    folder = Path(corpus)
    ingests, errors, intervals, version = 0, [], [], 0
    while time.time() < until:
        version += 1
        files = sorted(folder.glob("*.md"))
        action = rng.choice(("add", "change", "delete")) if len(files) > 3 else "add"
        if action == "delete":
            rng.choice(files).unlink()
        elif action == "change":
            rng.choice(files).write_text(report_text(rng.choice(TOPICS), version), encoding="utf-8")
        else:
            (folder / f"rapport_{version:05d}.md").write_text(
                report_text(rng.choice(TOPICS), version), encoding="utf-8"
            )
        started = time.time()
        try:
            engine.sync([folder], workers=1)
            ingests += 1
        except Exception as error:  # noqa: BLE001
            errors.append(f"{type(error).__name__}: {error}"[:300])
        intervals.append((started, time.time()))
    out.put({"ingests": ingests, "errors": errors, "intervals": intervals})


def consistency(data_dir: Path) -> dict:
    """Whether chunks, FTS rows, vector markers and the vector file hold the same chunk ids."""
    from rapportsok.index.engine import Engine
    from rapportsok.index.faiss_store import INDEX_FILE, VectorIndex

    engine = Engine(data_dir)
    conn = engine.store.conn
    chunks = {row[0] for row in conn.execute("SELECT id FROM chunks")}
    fts = {row[0] for row in conn.execute("SELECT rowid FROM chunks_fts")}
    marked = {row[0] for row in conn.execute("SELECT chunk_id FROM chunk_vectors")}
    dimension = int(engine.store.get_meta("embedder_dimension") or 0)
    in_file = set(VectorIndex.load(data_dir / INDEX_FILE, dimension).ids().tolist()) if dimension else set()
    return {
        "chunks": len(chunks),
        "fts_agrees": fts == chunks,
        "vector_markers_agree": marked == chunks,
        "vector_file_agrees": in_file == chunks,
        "temporary_files": sorted(p.name for p in data_dir.glob(".*.tmp")),
    }


def run(minutes: float, start_files: int = 20) -> dict:
    """Run the soak for `minutes` and return its figures."""
    from rapportsok.index.engine import Engine

    with tempfile.TemporaryDirectory(prefix="rapportsok-soak-") as tmp:
        corpus, data_dir = Path(tmp) / "corpus", Path(tmp) / "data"
        corpus.mkdir()
        for i in range(start_files):
            text = report_text(TOPICS[i % len(TOPICS)], i)
            (corpus / f"start_{i:03d}.md").write_text(text, encoding="utf-8")
        Engine(data_dir).sync([corpus], workers=1)
        seconds = minutes * 60
        context = multiprocessing.get_context("spawn")  # clean processes, like separate commands
        queue = context.Queue()
        ready = context.Barrier(3)  # the clock starts when all three have loaded their models
        processes = [
            context.Process(target=_reader, args=(str(data_dir), seconds, seed, ready, queue))
            for seed in (1, 2)
        ] + [context.Process(target=_writer, args=(str(data_dir), str(corpus), seconds, ready, queue))]
        for process in processes:
            process.start()
        results = [queue.get() for _ in processes]
        for process in processes:
            process.join()
        Engine(data_dir).sync([corpus], workers=1)  # the final ingest embeds whatever is left
        readers = [r for r in results if "served" in r]
        writer = next(r for r in results if "ingests" in r)
        samples = [s for r in readers for s in r["samples"]]
        during = [
            seconds for started, seconds in samples
            if any(a <= started <= b for a, b in writer["intervals"])
        ]
        errors = [e for r in results for e in r["errors"]]

        def percentiles(values: list[float]) -> dict:
            if not values:
                return {"p50_ms": None, "p95_ms": None}
            return {
                "p50_ms": round(float(np.percentile(values, 50)) * 1000, 1),
                "p95_ms": round(float(np.percentile(values, 95)) * 1000, 1),
            }

        return {
            "minutes": minutes,
            "queries_served": sum(r["served"] for r in readers),
            "errors": len(errors),
            "error_examples": sorted(set(errors))[:5],
            "ingests": writer["ingests"],
            "latency_all": percentiles([s for _, s in samples]),
            "latency_during_ingest": {"queries": len(during), **percentiles(during)},
            "consistency": consistency(data_dir),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description="Soak-test: två läsare och en skrivare i N minuter.")
    parser.add_argument("--minutes", type=float, default=3.0, help="hur länge (standard 3)")
    args = parser.parse_args()
    print(json.dumps(run(args.minutes), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
