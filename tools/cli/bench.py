"""`rapportsok-dev bench-*`: speed and memory of ingest, NER, embeddings, search, answers and scale."""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

from rapportsok.app.cli.common import EXIT_OK, engine_for, print_json, require_chunks
from rapportsok.index.errors import UserError
from rapportsok.index.paths import DB_FILE
from rapportsok.index.store import Store
from rapportsok.index.sync import SyncReport, default_workers, find_files, sync
from rapportsok.lang.numbers import format_number
from rapportsok.tools import qa_evaluation, scale_benchmark, search_benchmark
from rapportsok.tools.checkout import CORPUS_DIR
from rapportsok.tools.embedding_benchmark import benchmark_embedding
from rapportsok.tools.ner_benchmark import benchmark_ner


def bench_ingest(args: argparse.Namespace) -> int:
    files, _ = find_files(args.paths)
    if not files:
        raise UserError("Inga filer att läsa in under de angivna sökvägarna.")

    def best_run(workers: int) -> SyncReport:
        runs = []
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory() as tmp:
                store = Store(Path(tmp) / DB_FILE)
                runs.append(sync(files, store, prune=False, workers=workers))
                store.close()
        return min(runs, key=lambda report: report.seconds)

    with tempfile.TemporaryDirectory() as tmp:  # warm-up: imports and the NER model, not timed
        store = Store(Path(tmp) / DB_FILE)
        sync(files[:1], store, workers=1)
        store.close()
    rows = []
    for mode, workers in (("sekventiellt", 1), ("parallellt", args.workers or default_workers())):
        report = best_run(workers)
        rows.append(
            {
                "mode": mode,
                "workers": report.workers,
                "files": len(report.added),
                "failed": len(report.failed),
                "pages": report.pages,
                "chunks": report.chunks,
                "seconds": round(report.seconds, 3),
                "pages_per_s": round(report.pages / report.seconds, 2),
                "chunks_per_s": round(report.chunks / report.seconds, 1),
            }
        )
    if args.json:
        print_json({"cpu_count": os.cpu_count(), "runs": rows})
        return EXIT_OK
    print(f"{len(files)} filer, {os.cpu_count()} kärnor, bästa av {args.repeat} körningar:")
    for row in rows:
        print(
            f"  {row['mode']:13} {row['workers']} proc  {format_number(row['seconds'])} s  "
            f"{row['pages']} sidor  "
            f"{row['chunks']} avsnitt  {row['pages_per_s']:.1f} sidor/s  {row['chunks_per_s']:.0f} avsnitt/s"
            + (f"  ({row['failed']} misslyckade)" if row["failed"] else "")
        )
    return EXIT_OK


def bench_ner(args: argparse.Namespace) -> int:
    files, _ = find_files(args.paths or [CORPUS_DIR])
    if not files:
        raise UserError("Inga filer att märka under de angivna sökvägarna.")
    result = benchmark_ner(files, repeat=args.repeat, rules_only=args.rules_only)
    if args.json:
        print_json(result)
        return EXIT_OK
    mode = "bara regler" if result["rules_only"] else "regler + modell"
    print(
        f"{result['files']} filer, {result['chunks']} avsnitt, {result['words']} ord, {result['entities']} "
        f"entiteter, {result['figures']} siffror ({mode}, en process, bästa av {args.repeat}):\n"
        f"  {format_number(result['seconds'])} s  {result['words_per_s']} ord/s  "
        f"(CPU-tid {format_number(result['cpu_seconds'])} s: {result['words_per_cpu_s']} ord per CPU-sekund)"
        + (f"  ({result['failed']} filer kunde inte läsas)" if result["failed"] else "")
    )
    return EXIT_OK


def bench_embed(args: argparse.Namespace) -> int:
    result = benchmark_embedding(
        Path(args.folder) if args.folder else CORPUS_DIR, chunk_tokens=args.tokens, max_chunks=args.chunks
    )
    if args.json:
        print_json(result)
        return EXIT_OK
    print(
        f"{result['embedder']} ({result['backend']}, {result['threads']} trådar, {os.cpu_count()} kärnor):\n"
        f"  {result['chunks']} avsnitt à {result['mean_tokens']:.0f} token på "
        f"{format_number(result['seconds'])} s: {result['chunks_per_s']} avsnitt/s "
        f"(räknat på CPU-tid: {result['chunks_per_s_cpu_bound']} avsnitt/s)\n"
        f"  en fråga: p50 {result['query_ms_p50']} ms, p95 {result['query_ms_p95']} ms"
    )
    return EXIT_OK


def bench_search(args: argparse.Namespace) -> int:
    engine = engine_for(args, need_index=True)
    require_chunks(engine)
    path = Path(args.queries) if args.queries else search_benchmark.DEFAULT_QUERIES
    try:
        queries = search_benchmark.load_queries(path)
    except (ValueError, json.JSONDecodeError) as error:
        raise UserError(f"Kan inte läsa frågefilen {path}: {error}") from error
    result = search_benchmark.bench_search(engine.ranker(), queries, k=args.k, repeats=args.repeat)
    if args.json:
        print_json(result)
        return EXIT_OK
    print(f"{result['searches']} sökningar ({result['queries']} frågor × {args.repeat}), k={result['k']}, "
          f"{result['chunks']} avsnitt, {result['cpu_count']} kärnor, varm:")
    print(f"  hela sökningen  p50 {result['p50_ms']:.1f} ms  p95 {result['p95_ms']:.1f} ms")
    labels = {"embed": "frågevektor", "dense": "vektorsökning", "lexical": "BM25", "fusion": "sammanvägning",
              "hits": "träffar"}
    for stage, values in result["stages"].items():
        print(f"  {labels[stage]:15} p50 {values['p50_ms']:.1f} ms  p95 {values['p95_ms']:.1f} ms")
    return EXIT_OK


def bench_ask(args: argparse.Namespace) -> int:
    path = Path(args.file) if args.file else qa_evaluation.DEFAULT_QUESTIONS
    try:
        questions = [row["question"] for row in qa_evaluation.load_qa_questions(path)]
    except ValueError as error:
        raise UserError(str(error)) from error
    engine = engine_for(args, need_index=True)
    require_chunks(engine)
    result = qa_evaluation.bench_ask(lambda q: engine.ask(q, summarize=False), questions, repeats=args.repeat)
    if args.json:
        print_json(result)
        return EXIT_OK
    print(f"{result['questions']} frågor ({len(questions)} × {args.repeat}), varm:")
    print(f"  hela svaret  p50 {result['p50_ms']:.1f} ms  p95 {result['p95_ms']:.1f} ms  (mål p50 < 150 ms)")
    return EXIT_OK


def bench_scale(args: argparse.Namespace) -> int:
    result = scale_benchmark.bench_scale(
        args.sizes, lexical_max=args.lexical_max, queries=args.queries, threads=args.threads
    )
    if args.json:
        print_json(result)
        return EXIT_OK
    print(f"{result['queries']} frågor per storlek, k=10, {result['threads']} trådar:")
    for row in result["sizes"]:
        vec = row["vectors"]
        print(
            f"  {vec['chunks']:>9} vektorer  {vec['index']}: bygge {format_number(vec['build_s'])} s, "
            f"minne {vec['index_mb']} MB (RSS +{vec['rss_growth_mb']} MB), disk {vec['disk_mb']} MB, "
            f"p50 {vec['p50_ms']} ms, "
            f"p95 {vec['p95_ms']} ms, recall@10 {vec['recall_at_10']:.3f} "
            f"(exakt sökning: p50 {vec['exact_p50_ms']} ms, p95 {vec['exact_p95_ms']} ms)"
        )
        if "lexical" in row:
            lex = row["lexical"]
            print(
                f"  {lex['chunks']:>9} texter    FTS5/BM25: bygge "
                f"{format_number(lex['store_build_s'] + lex['fts_build_s'])} s, "
                f"disk {lex['disk_mb']} MB, p50 {lex['p50_ms']} ms, p95 {lex['p95_ms']} ms"
            )
    print(f"Högsta minnesanvändning: {result['peak_rss_mb']} MB")
    return EXIT_OK
