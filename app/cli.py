"""The `rapportsok` command line.

Conventions every subcommand follows (later subcommands reuse the helpers below):
- `--data-dir DIR` (or $RAPPORTSOK_DATA_DIR) picks the data directory, before or after the
  subcommand name.
- `--json` prints one JSON object (`print_json`).
- A query argument `-` reads one query per line from stdin and prints one JSON object per line,
  in order (`run_queries`).
- Errors go to stderr in Swedish, without a traceback (`main`); RAPPORTSOK_DEBUG=1 shows it.

Exit codes: 0 all went well, 1 some files failed to ingest, 2 usage or user error,
3 unexpected internal error, 130 interrupted.

To add a subcommand: write `_add_NAME(subparsers)` that sets `func=` on its parser, and list it
in `SUBCOMMANDS`.
"""

from __future__ import annotations

import argparse
import gettext
import json
import os
import sys
import traceback
from collections.abc import Callable
from typing import Any

from rapportsok.index.engine import Engine
from rapportsok.index.errors import UserError
from rapportsok.index.results import Reply
from rapportsok.index.sync import SyncReport, unreadable_note
from rapportsok.ingest.amounts import format_number
from rapportsok.ingest.errors import IngestError, describe_os_error

EXIT_OK, EXIT_FAILED_FILES, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

# Exceptions whose message is meant for the user (Swedish): exit code 2, no "unexpected" prefix.
USER_ERRORS: tuple[type[BaseException], ...] = (UserError, IngestError)

# Python ships no Swedish catalog for argparse, so its user-facing strings are translated here.
_ARGPARSE_SV = {
    "usage: ": "användning: ",
    "positional arguments": "argument",
    "options": "flaggor",
    "show this help message and exit": "visa den här hjälpen och avsluta",
    "argument %(argument_name)s: %(message)s": "argumentet %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "följande argument krävs: %s",
    "unrecognized arguments: %s": "okända argument: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ogiltigt val: %(value)r (välj bland %(choices)s)",
    "invalid %(type)s value: %(value)r": "ogiltigt värde (%(type)s): %(value)r",
    "expected one argument": "ett värde krävs",
    "expected at most one argument": "högst ett värde är tillåtet",
    "expected at least one argument": "minst ett värde krävs",
    "ambiguous option: %(option)s could match %(matches)s": (
        "tvetydig flagga: %(option)s kan vara %(matches)s"
    ),
    "not allowed with argument %s": "går inte att kombinera med %s",
    "one of the arguments %s is required": "ett av argumenten %s krävs",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
}


def _swedish(message: str) -> str:
    return _ARGPARSE_SV.get(message, message)


def _swedish_plural(singular: str, plural: str, n: int) -> str:
    return _swedish(gettext.ngettext(singular, plural, n))


argparse._ = _swedish  # type: ignore[attr-defined]
argparse.ngettext = _swedish_plural  # type: ignore[attr-defined]


# -- shared helpers for every subcommand ------------------------------------------------------


def print_json(obj: Any, lines: bool = False) -> None:
    """Print `obj` as JSON with Swedish characters as they are; `lines=True` keeps it on one line."""
    print(json.dumps(obj, ensure_ascii=False, indent=None if lines else 2), flush=lines)


def _jsonable(result: Any) -> Any:
    return result.to_json() if hasattr(result, "to_json") else result


def run_queries(
    query: str,
    handle: Callable[[str], Any],
    as_json: bool,
    show: Callable[[Any], None],
) -> int:
    """Run `handle` for one query, or for each stdin line when `query` is `-`.

    `-` prints one JSON object per non-empty input line, in order; a query that fails with a
    user error prints `{"query": ..., "error": ...}` on its line, so lines stay aligned.
    Otherwise prints `handle(query)` as JSON (`--json`) or through `show`. Results may be dicts
    or objects with `to_json()`.
    """
    if query != "-":
        result = handle(query)
        if as_json:
            print_json(_jsonable(result))
        else:
            show(result)
        return EXIT_OK
    for line in sys.stdin:
        text = line.strip()
        if not text:
            continue
        try:
            print_json(_jsonable(handle(text)), lines=True)
        except USER_ERRORS as error:
            print_json({"query": text, "error": str(error)}, lines=True)
    return EXIT_OK


def _targets_text(missed: list[str]) -> str:
    """The last lines of every evaluation command: all targets met, or the ones missed."""
    return "Alla mål nådda." if not missed else "Mål som inte nåddes:\n  " + "\n  ".join(missed)


def year(value: str) -> int:
    """argparse type: a year such as 2020, with a Swedish message otherwise."""
    if not value.isdigit() or len(value) != 4:
        raise argparse.ArgumentTypeError(f"måste vara ett årtal, t.ex. 2020, inte {value!r}")
    return int(value)


def positive_int(value: str) -> int:
    """argparse type: an integer ≥ 1, with a Swedish message otherwise."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"måste vara ett heltal större än noll, inte {value!r}")
    return number


def engine_for(args: argparse.Namespace, need_index: bool = False) -> Engine:
    """The engine of the chosen data dir; with `need_index`, a Swedish error when nothing is
    ingested there yet (instead of creating an empty store and finding nothing)."""
    engine = Engine(args.data_dir)
    if need_index and not engine.has_index():
        raise UserError(
            f"Det finns inga inlästa rapporter i {engine.data_dir}. "
            "Läs in dem först: rapportsok ingest MAPP"
        )
    return engine


# -- ingest -----------------------------------------------------------------------------------


def _add_ingest(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "ingest",
        parents=[common],
        help="läs in rapporter (filer och mappar) i indexet",
        description="Läser in PDF, DOCX, TXT och Markdown. Nya filer läggs till, ändrade ersätts, "
        "oförändrade hoppas över och dokument vars filer försvunnit ur en angiven mapp tas bort.",
    )
    parser.add_argument("paths", nargs="+", metavar="SÖKVÄG", help="fil eller mapp att läsa in")
    parser.add_argument("--no-prune", action="store_true", help="behåll dokument vars filer har försvunnit")
    parser.add_argument("--workers", type=positive_int, metavar="N", help="antal parallella processer")
    parser.add_argument("--force", action="store_true", help="läs om även oförändrade filer")
    parser.set_defaults(func=cmd_ingest)


def cmd_ingest(args: argparse.Namespace) -> int:
    engine = engine_for(args)
    bar = None

    def progress(done: int, total: int, report: SyncReport) -> None:
        nonlocal bar
        if bar is None:
            from tqdm import tqdm

            bar = tqdm(total=total, unit="fil", desc="Läser in", file=sys.stderr, dynamic_ncols=True)
        bar.n = done
        bar.set_postfix_str(
            f"nya {len(report.added)}, ändrade {len(report.updated)}, fel {len(report.failed)}"
        )

    embed_bar = None

    def embed_progress(done: int, total: int) -> None:
        nonlocal embed_bar
        if embed_bar is None:
            from tqdm import tqdm

            embed_bar = tqdm(total=total, unit="avsnitt", desc="Beräknar vektorer", file=sys.stderr,
                             dynamic_ncols=True)
        embed_bar.update(done - embed_bar.n)

    show_bar = not args.json and sys.stderr.isatty()
    if show_bar:
        engine.embed_progress = embed_progress
    try:
        report = engine.sync(
            args.paths,
            prune=not args.no_prune,
            workers=args.workers,
            force=args.force,
            on_progress=progress if show_bar else None,
        )
    finally:
        for open_bar in (bar, embed_bar):
            if open_bar is not None:
                open_bar.close()
    if args.json:
        print_json({"data_dir": str(engine.data_dir), **report.to_json()})
    else:
        _print_ingest_summary(report, engine)
    return EXIT_OK if report.ok else EXIT_FAILED_FILES


def _print_ingest_summary(report: SyncReport, engine: Engine) -> None:
    print(
        # A tally ("nya: 1"), so the adjectives need no singular/plural agreement with the counts.
        f"Klart på {format_number(report.seconds)} s. Filer nya: {len(report.added)}, "
        f"ändrade: {len(report.updated)}, oförändrade: {len(report.unchanged)}, "
        f"borttagna: {len(report.removed)}, misslyckade: {len(report.failed)}."
    )
    if report.added or report.updated:
        print(f"Inläst: {report.pages} sidor, {report.chunks} textavsnitt ({report.workers} processer).")
    if report.ocr_pages:
        print(f"Lästa med OCR: {report.ocr_pages} sidor.")
    for path, pages in report.unreadable:
        print(f"  {path}: {unreadable_note(pages)}")
    if report.failed:
        print("Filer som inte kunde läsas in:")
        for path, error in report.failed:
            print(f"  {path}: {error}")
    print(f"Data: {engine.data_dir}")


# -- status -----------------------------------------------------------------------------------


def _add_status(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "status", parents=[common], help="visa vad indexet innehåller och var data finns"
    )
    parser.set_defaults(func=cmd_status)


def cmd_status(args: argparse.Namespace) -> int:
    status = engine_for(args).status()
    if args.json:
        print_json(status)
        return EXIT_OK
    counts = status["counts"]
    print(f"Datakatalog: {status['data_dir']}")
    if status["database"] is None:
        print("Här finns inget index ännu. Läs in rapporter med: rapportsok ingest MAPP")
        return EXIT_OK
    print(f"Databas:     {status['database']} (schemaversion {status['schema_version']})")
    print(
        f"Dokument:    {counts['documents']} inlästa ({counts['pages']} sidor), "
        f"misslyckade: {counts['failed']}"
    )
    print(
        f"Innehåll:    {counts['chunks']} textavsnitt, {counts['entities']} entiteter, "
        f"{counts['figures']} belopp/andelar"
    )
    for doc in status["documents"]:
        print(
            f"  {doc['date'] or '–':10}  {doc['title']}  "
            f"({doc['chunks']} avsnitt, {os.path.basename(doc['path'])})"
        )
        if doc["unreadable"]:
            print(f"              {unreadable_note(doc['unreadable'])}")
    if status["failed"]:
        print("Misslyckade filer:")
        for failed in status["failed"]:
            print(f"  {failed['path']}: {failed['error']}")
    return EXIT_OK


# -- bench-ingest -----------------------------------------------------------------------------


def _add_bench_ingest(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "bench-ingest",
        parents=[common],
        help="mät inläsningens hastighet (sidor/s, textavsnitt/s)",
        description="Läser in SÖKVÄG i en tillfällig datakatalog, först i en process och sedan parallellt, "
        "och skriver ut sidor/s och textavsnitt/s (läsning, rensning, styckning och NER, utan inbäddningar). "
        "Den bästa av --repeat körningar räknas; en uppvärmning före mätningen laddar NER-modellen.",
    )
    parser.add_argument("paths", nargs="+", metavar="SÖKVÄG", help="fil eller mapp")
    parser.add_argument(
        "--workers", type=positive_int, metavar="N", help="processer i den parallella körningen"
    )
    parser.add_argument("--repeat", type=positive_int, default=3, metavar="N", help="körningar per läge (3)")
    parser.set_defaults(func=cmd_bench_ingest)


def cmd_bench_ingest(args: argparse.Namespace) -> int:
    import tempfile
    from pathlib import Path

    from rapportsok.index.paths import DB_FILE
    from rapportsok.index.store import Store
    from rapportsok.index.sync import default_workers, find_files, sync

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


# -- bench-embed and bench-scale -------------------------------------------------------------


def _add_bench_embed(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "bench-embed",
        parents=[common],
        help="mät inbäddningsmodellens hastighet (avsnitt/s, svarstid per fråga)",
        description="Skär texterna (*.txt) i MAPP (standard: corpus/) i avsnitt om ungefär --tokens token, "
        "beräknar vektorer för dem med den inbäddningsmodell som används och skriver ut avsnitt/s, samt "
        "svarstiden (p50/p95) för en ensam fråga. En uppvärmning görs före mätningen.",
    )
    parser.add_argument("folder", nargs="?", metavar="MAPP", help="mapp med .txt-filer (standard: corpus/)")
    parser.add_argument("--chunks", type=positive_int, default=64, metavar="N", help="antal avsnitt (64)")
    parser.add_argument(
        "--tokens", type=positive_int, default=250, metavar="N", help="token per avsnitt (250)"
    )
    parser.set_defaults(func=cmd_bench_embed)


def cmd_bench_embed(args: argparse.Namespace) -> int:
    from pathlib import Path

    from rapportsok.index.embedder import benchmark_embedding
    from rapportsok.ingest.ner_training import CORPUS_DIR

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


def _add_bench_scale(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "bench-scale",
        parents=[common],
        help="mät sökning i stora samlingar med syntetiska vektorer och texter",
        description="Bygger vektorindexet (och ordindexet upp till --lexical-max avsnitt) för syntetiska "
        "samlingar av de angivna storlekarna och skriver ut byggtid, minne, diskstorlek, svarstid (p50/p95, "
        "k=10) och recall@10 mot exakt sökning. 1M avsnitt tar några minuter och ungefär 3 GB minne.",
    )
    parser.add_argument(
        "--sizes", type=positive_int, nargs="+", default=[100_000, 1_000_000], metavar="N",
        help="antal avsnitt (100000 1000000)",
    )
    parser.add_argument(
        "--lexical-max", type=int, default=100_000, metavar="N",
        help="mät ordindexet (FTS5/BM25) bara upp till så många avsnitt (100000; 0 = aldrig)",
    )
    parser.add_argument(
        "--queries", type=positive_int, default=200, metavar="N", help="frågor per storlek (200)"
    )
    parser.add_argument("--threads", type=positive_int, metavar="N", help="trådar för FAISS (standard: alla)")
    parser.set_defaults(func=cmd_bench_scale)


def cmd_bench_scale(args: argparse.Namespace) -> int:
    from rapportsok.index.scale_benchmark import bench_scale

    result = bench_scale(args.sizes, lexical_max=args.lexical_max, queries=args.queries, threads=args.threads)
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


# -- ask and eval-qa --------------------------------------------------------------------------


def _add_ask(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "ask",
        parents=[common],
        help="ställ en fråga och få den exakta siffran med mening och källa",
        description="Svarar med siffran (eller datum, namn, division, mening) ur rapporterna, meningen den "
        "står i och källan, eller ”hittar ingen uppgift”. Andra uppgifter om samma sak visas bredvid.",
    )
    parser.add_argument("question", metavar="FRÅGA", help="frågan, eller - för en fråga per rad från stdin")
    parser.add_argument(
        "--format", choices=("text", "markdown"), default="text",
        help="text (standard) eller markdown: ett citerbart svar med fullständiga källor",
    )
    parser.add_argument("-k", type=positive_int, default=5, metavar="N", help="antal avsnitt som visas (5)")
    parser.set_defaults(func=cmd_ask)


def cmd_ask(args: argparse.Namespace) -> int:
    from rapportsok.index.answer import reply_markdown, reply_text

    engine = engine_for(args, need_index=True)
    render = reply_markdown if args.format == "markdown" else reply_text

    def show(reply: Reply) -> None:
        print(render(reply))
        if reply.generation_note:  # the optional language-model summary failed: say so, aside
            print(reply.generation_note, file=sys.stderr)

    return run_queries(args.question, lambda q: engine.ask(q, k=args.k), args.json, show)


def _add_eval_qa(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "eval-qa",
        parents=[common],
        help="mät svarens träffsäkerhet på en frågeuppsättning",
        description="Ställer varje fråga i FIL (eval/questions.jsonl) till indexet och skriver ut andelen "
        "rätt bästa svar, rätt bland de tre första och precision/täckning för ”hittar inget”. Avslutar med "
        "kod 1 om målen inte nås.",
    )
    parser.add_argument("file", metavar="FIL", help="frågefil i JSONL (question, answerable, answer_value …)")
    parser.set_defaults(func=cmd_eval_qa)


def cmd_eval_qa(args: argparse.Namespace) -> int:
    from rapportsok.index.qa_evaluation import evaluate_qa, format_report, load_qa_questions

    try:
        rows = load_qa_questions(args.file)
    except ValueError as error:
        raise UserError(str(error)) from error
    engine = engine_for(args, need_index=True)
    report = evaluate_qa(lambda q: engine.ask(q, summarize=False), rows)
    missed = report.missed_targets()
    if args.json:
        print_json({**report.to_json(), "missed_targets": missed})
    else:
        print(format_report(report))
        print()
        print(_targets_text(missed))
    return EXIT_OK if not missed else EXIT_FAILED_FILES


# -- bench-ask --------------------------------------------------------------------------------


def _add_bench_ask(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "bench-ask",
        parents=[common],
        help="mät svarstiden per fråga (p50/p95, varm)",
        description="Ställer varje fråga i FIL (standard eval/questions.jsonl) --repeat gånger till indexet, "
        "efter en uppvärmning som laddar modellerna, och skriver ut svarstidens median (p50) och p95 i ms "
        "(frågeanalys, hybridsökning, belopp och poängsättning).",
    )
    parser.add_argument("file", nargs="?", metavar="FIL", help="frågefil i JSONL (eval/questions.jsonl)")
    parser.add_argument("--repeat", type=positive_int, default=3, metavar="N", help="varv över frågorna (3)")
    parser.set_defaults(func=cmd_bench_ask)


def cmd_bench_ask(args: argparse.Namespace) -> int:
    from pathlib import Path

    from rapportsok.index.qa_evaluation import DEFAULT_QUESTIONS, bench_ask, load_qa_questions

    path = Path(args.file) if args.file else DEFAULT_QUESTIONS
    try:
        questions = [row["question"] for row in load_qa_questions(path)]
    except ValueError as error:
        raise UserError(str(error)) from error
    engine = engine_for(args, need_index=True)
    if not engine.store.counts()["chunks"]:
        raise UserError(f"Indexet i {engine.data_dir} är tomt. Läs in rapporter: rapportsok ingest MAPP")
    result = bench_ask(lambda q: engine.ask(q, summarize=False), questions, repeats=args.repeat)
    if args.json:
        print_json(result)
        return EXIT_OK
    print(f"{result['questions']} frågor ({len(questions)} × {args.repeat}), varm:")
    print(f"  hela svaret  p50 {result['p50_ms']:.1f} ms  p95 {result['p95_ms']:.1f} ms  (mål p50 < 150 ms)")
    return EXIT_OK


# -- search, eval-search, reindex --------------------------------------------------------------


def _add_search(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "search",
        parents=[common],
        help="sök avsnitt i rapporterna (ord och betydelse)",
        description="Hybridsökning: BM25 över svenska ordstammar och semantisk sökning med e5, "
        "sammanvägda. Ett årtal i frågan lyfter avsnitt om det året.",
    )
    parser.add_argument("query", metavar="FRÅGA", help="sökfrågan, eller - för en fråga per rad från stdin")
    parser.add_argument("-k", type=positive_int, default=10, metavar="N", help="antal träffar (10)")
    parser.add_argument("--document", metavar="FIL", help="sök bara i den här rapporten (filnamn)")
    parser.add_argument("--year", type=year, metavar="ÅR", help="bara avsnitt om det här året")
    parser.add_argument("--from", dest="year_from", type=year, metavar="ÅR", help="från och med år")
    parser.add_argument("--to", dest="year_to", type=year, metavar="ÅR", help="till och med år")
    parser.add_argument("--division", metavar="NAMN", help="bara avsnitt som nämner divisionen")
    parser.add_argument("--section", metavar="TEXT", help="bara avsnitt vars rubrik innehåller TEXT")
    parser.set_defaults(func=cmd_search)


def cmd_search(args: argparse.Namespace) -> int:
    from rapportsok.index.search import SearchFilters

    if args.year is not None and (args.year_from is not None or args.year_to is not None):
        raise UserError("Ange antingen --year eller --from/--to, inte båda.")
    filters = SearchFilters(
        document=args.document,
        year_from=args.year if args.year is not None else args.year_from,
        year_to=args.year if args.year is not None else args.year_to,
        division=args.division,
        section=args.section,
    )
    engine = engine_for(args, need_index=True)

    def handle(query: str) -> dict:
        return {"query": query, "hits": [hit.to_json() for hit in engine.search(query, args.k, filters)]}

    return run_queries(args.query, handle, args.json, _print_hits)


def _print_hits(result: dict) -> None:
    hits = result["hits"]
    if not hits:
        print("Inga träffar.")
        return
    for rank, hit in enumerate(hits, start=1):
        page = hit["page_label"] or hit["page"]
        parts = (hit["title"] or os.path.basename(hit["file"]), hit["date"], f"s. {page}")
        source = ", ".join(part for part in parts if part)
        print(f"{rank}. {source} ({os.path.basename(hit['file'])}), poäng {hit['score']:.3f}")
        if hit["section"]:
            print(f"   Avsnitt: {hit['section']}")
        text = " ".join(hit["text"].split())
        print(f"   {text[:300]}{'…' if len(text) > 300 else ''}\n")


def _add_eval_search(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "eval-search",
        parents=[common],
        help="mät sökningens träffsäkerhet (hit@k, MRR, nDCG)",
        description="FIL är vår frågeuppsättning (eval/questions.jsonl, söks i datakatalogens index, som ska "
        "innehålla corpus/) eller SweFAQ (eval/swefaq/swefaq_dev.jsonl, indexeras tillfälligt). Avslutar med "
        "kod 1 om ett mål inte nås (standard: vår uppsättning hit@5 ≥ 0,98 och MRR@10 ≥ 0,92, "
        "SweFAQ nDCG@10 ≥ 0,78).",
    )
    parser.add_argument("file", metavar="FIL", help="frågefil i JSONL")
    for name, label in (("hit1", "hit@1"), ("hit5", "hit@5"), ("hit10", "hit@10"), ("mrr", "MRR@10"),
                        ("ndcg", "nDCG@10")):
        parser.add_argument(f"--min-{name}", type=float, metavar="X", help=f"lägsta godkända {label}")
    parser.add_argument(
        "--mode", choices=["hybrid", "dense", "lexical", "all"], default="hybrid",
        help="hybrid (standard), bara semantisk (dense), bara ord (lexical) eller alla tre; med all "
        "räknas det också som ett missat mål om hybrid är sämre än dense eller lexical",
    )
    parser.add_argument("--variants", action="store_true", help="mät även alla varianter av sammanvägningen")
    parser.set_defaults(func=cmd_eval_search)


def cmd_eval_search(args: argparse.Namespace) -> int:
    from rapportsok.index.embedder import load_embedder
    from rapportsok.index.search_evaluation import TARGETS, evaluate_file, fusion_shortfalls, missed_targets

    engine = engine_for(args)

    def corpus_ranker():
        if not engine.store.counts()["chunks"]:
            raise UserError(
                f"Indexet i {engine.data_dir} är tomt. Läs först in exempelrapporterna: "
                "rapportsok ingest corpus"
            )
        return engine.ranker()

    try:
        modes = ("hybrid", "dense", "lexical") if args.mode == "all" else (args.mode,)
        result = evaluate_file(args.file, corpus_ranker, load_embedder, variants=args.variants, modes=modes)
    except (ValueError, KeyError, json.JSONDecodeError) as error:
        raise UserError(f"Kan inte läsa frågefilen {args.file}: {error}") from error
    given = {
        metric: value
        for metric, value in (("hit_at_1", args.min_hit1), ("hit_at_5", args.min_hit5),
                              ("hit_at_10", args.min_hit10), ("mrr_at_10", args.min_mrr),
                              ("ndcg_at_10", args.min_ndcg))
        if value is not None
    }
    missed = missed_targets(result, given or TARGETS[result["format"]]) + fusion_shortfalls(result)
    if args.json:
        print_json({**result, "missed_targets": missed})
    else:
        columns = (("hit_at_1", "hit@1"), ("hit_at_5", "hit@5"), ("hit_at_10", "hit@10"),
                   ("mrr_at_10", "MRR@10"), ("ndcg_at_10", "nDCG@10"))
        print(f"{result['file']} ({'SweFAQ' if result['format'] == 'swefaq' else 'vår frågeuppsättning'}, "
              f"{result['metrics']['count']} frågor)")
        print(f"  {'':8} " + "  ".join(f"{label:>7}" for _, label in columns))
        for mode, values in result["modes"].items():
            print(f"  {mode:8} " + "  ".join(f"{values[name]:7.3f}" for name, _ in columns))
        for variant, values in (result["variants"] or {}).items():
            print(f"  {variant:14} " + "  ".join(f"{key} {values[key]:.3f}" for key in
                                                 ("hit_at_1", "hit_at_5", "mrr_at_10", "ndcg_at_10")))
        print(_targets_text(missed))
    return EXIT_OK if not missed else EXIT_FAILED_FILES


def _add_bench_search(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "bench-search",
        parents=[common],
        help="mät sökningens svarstid (p50/p95 i ms, varm)",
        description="Söker med varje fråga i --queries (standard: eval/questions.jsonl) i datakatalogens "
        "index, efter en uppvärmning, och skriver ut p50 och p95 i millisekunder för hela sökningen och för "
        "varje steg (frågevektor, vektorsökning, BM25, sammanvägning, träffar).",
    )
    parser.add_argument(
        "--queries", metavar="FIL",
        help="frågor: JSONL med fältet question (som eval/questions.jsonl) eller en fråga per rad",
    )
    parser.add_argument("-k", type=positive_int, default=10, metavar="N", help="antal träffar (10)")
    parser.add_argument("--repeat", type=positive_int, default=3, metavar="N", help="varv över frågorna (3)")
    parser.set_defaults(func=cmd_bench_search)


def cmd_bench_search(args: argparse.Namespace) -> int:
    from pathlib import Path

    from rapportsok.index.search_benchmark import DEFAULT_QUERIES, bench_search, load_queries

    engine = engine_for(args, need_index=True)
    if not engine.store.counts()["chunks"]:
        raise UserError(f"Indexet i {engine.data_dir} är tomt. Läs in rapporter: rapportsok ingest MAPP")
    path = Path(args.queries) if args.queries else DEFAULT_QUERIES
    try:
        queries = load_queries(path)
    except (ValueError, json.JSONDecodeError) as error:
        raise UserError(f"Kan inte läsa frågefilen {path}: {error}") from error
    result = bench_search(engine.ranker(), queries, k=args.k, repeats=args.repeat)
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


def _add_reindex(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "reindex",
        parents=[common],
        help="bygg om sökindexen (och med --embeddings alla vektorer)",
        description="Bygger om ordindexet (FTS5). Med --embeddings räknas alla vektorer om med den modell "
        "som används nu, t.ex. efter byte av inbäddningsmodell.",
    )
    parser.add_argument("--embeddings", action="store_true", help="räkna om alla vektorer")
    parser.set_defaults(func=cmd_reindex)


def cmd_reindex(args: argparse.Namespace) -> int:
    result = engine_for(args).reindex(embeddings=args.embeddings)
    if args.json:
        print_json(result)
    else:
        print(f"Klart: {result['chunks']} avsnitt indexerade med modellen {result['embedder']}.")
    return EXIT_OK


# -- ner, train-ner, eval-ner -----------------------------------------------------------------


def _add_ner(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "ner",
        parents=[common],
        help="märk belopp, andelar, datum och divisioner i en text",
        description="Kör Rapportsöks svenska NER (regler + tränad modell) och skriver ut varje entitet "
        "med etikett, text, teckenpositioner i TEXT och normaliserat värde (kronor, procent, ISO-datum, "
        "division).",
    )
    parser.add_argument("text", metavar="TEXT", help="texten, eller - för en text per rad från stdin")
    parser.add_argument("--rules-only", action="store_true", help="bara reglerna, utan den tränade modellen")
    parser.set_defaults(func=cmd_ner)


def _entity_json(entity: Any) -> dict:
    row = {"label": entity.label, "text": entity.text, "start": entity.start, "end": entity.end,
           "value": entity.value}
    if entity.period_start or entity.period_end:
        row.update(period_start=entity.period_start, period_end=entity.period_end)
    return row


def cmd_ner(args: argparse.Namespace) -> int:
    from rapportsok.ingest.ner import tag_text

    def handle(text: str) -> dict:
        return {"entities": [_entity_json(e) for e in tag_text(text, rules_only=args.rules_only)]}

    def show(result: dict) -> None:
        if not result["entities"]:
            print("Inga entiteter.")
        for row in result["entities"]:
            print(f"{row['label']:9} {row['text']!r:32} {row['start']}–{row['end']}  {row['value']}")

    return run_queries(args.text, handle, args.json, show)


def _add_train_ner(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "train-ner",
        parents=[common],
        help="träna om NER-modellen i models/ner/model från de incheckade data och config",
        description="Bygger silverdata med reglerna ur träningsdokumenten (000, 002, 003), tränar "
        "ner-komponenten med models/ner/config.cfg på guldträningsdata + silver och sparar regler + modell "
        "i models/ner/model.",
    )
    parser.add_argument("--corpus", metavar="MAPP", help="mappen med exempelrapporterna (standard: corpus/)")
    parser.add_argument("--output", metavar="MAPP", help="var modellen sparas (standard: models/ner/model)")
    parser.set_defaults(func=cmd_train_ner)


def cmd_train_ner(args: argparse.Namespace) -> int:
    from pathlib import Path

    from rapportsok.ingest.ner_training import CORPUS_DIR, train

    result = train(Path(args.corpus) if args.corpus else CORPUS_DIR,
                   **({"output": Path(args.output)} if args.output else {}))
    if args.json:
        print_json(result)
    else:
        print(f"Klart: modellen sparad i {result['output']} ({result['train_examples']} träningsexempel, "
              f"varav {result['silver_examples']} silver; F1 på utvecklingsdelen {result['dev_f1']:.3f}).")
    return EXIT_OK


def _add_eval_ner(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "eval-ner",
        parents=[common],
        help="mät NER mot en guldfil (precision, täckning, F1, värdeprecision)",
        description="Märker varje exempel i FIL (JSONL: text, spans) och skriver ut precision, täckning "
        "och F1 per etikett, strikt (exakt spann) och överlappande, samt andelen rätt normaliserade värden. "
        "Avslutar med kod 1 om ett mål missas (standard: AMOUNT/PERCENT F1 ≥ 0,95, DATE ≥ 0,92, "
        "DIVISION ≥ 0,90, värden ≥ 0,98).",
    )
    parser.add_argument("file", metavar="FIL", help="guldfil i JSONL (models/ner/gold/test.jsonl)")
    parser.add_argument("--rules-only", action="store_true", help="mät bara reglerna")
    parser.add_argument("--model", metavar="MAPP", help="annan modellmapp än models/ner/model")
    parser.add_argument("--min-f1", type=float, metavar="X", help="lägsta strikta F1 för alla etiketter")
    parser.add_argument("--min-value-accuracy", type=float, metavar="X", help="lägsta värdeprecision")
    parser.add_argument("--errors", action="store_true", help="visa varje fel")
    parser.set_defaults(func=cmd_eval_ner)


def cmd_eval_ner(args: argparse.Namespace) -> int:
    from pathlib import Path

    from rapportsok.ingest.ner_evaluation import TARGET_F1, TARGET_VALUE_ACCURACY, evaluate, missed_targets

    try:
        result = evaluate(Path(args.file), rules_only=args.rules_only, model=args.model)
    except (ValueError, KeyError, json.JSONDecodeError) as error:
        raise UserError(f"Kan inte läsa guldfilen {args.file}: {error}") from error
    targets = {label: args.min_f1 for label in TARGET_F1} if args.min_f1 is not None else TARGET_F1
    accuracy = args.min_value_accuracy if args.min_value_accuracy is not None else TARGET_VALUE_ACCURACY
    missed = missed_targets(result, targets, accuracy)
    if args.json:
        print_json({**result, "missed_targets": missed})
        return EXIT_OK if not missed else EXIT_FAILED_FILES
    print(f"{args.file} ({'bara regler' if args.rules_only else 'regler + modell'})")
    print(f"{'etikett':9} {'guld':>5} {'funna':>5}   strikt P / R / F1       överlapp P / R / F1")
    for label, row in result["labels"].items():
        strict, relaxed = row["strict"], row["relaxed"]
        print(f"{label:9} {row['gold']:5} {row['predicted']:5}   "
              f"{strict['precision']:.3f} / {strict['recall']:.3f} / {strict['f1']:.3f}   "
              f"{relaxed['precision']:.3f} / {relaxed['recall']:.3f} / {relaxed['f1']:.3f}")
    print(f"Värdeprecision: {result['value_accuracy']:.3f} ({result['values_checked']} värden)")
    if args.errors:
        for error in result["errors"]:
            print("  " + json.dumps(error, ensure_ascii=False))
    print(_targets_text(missed))
    return EXIT_OK if not missed else EXIT_FAILED_FILES


def _add_bench_ner(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "bench-ner",
        parents=[common],
        help="mät NER-stegets hastighet (ord/s för NER + siffror)",
        description="Läser och styckar SÖKVÄG (standard: corpus/) utan tidtagning och mäter sedan i en "
        "process hur många ord per sekund NER-märkningen och siffrorna tar, som vid inläsning. "
        "Den bästa av --repeat körningar räknas, efter en uppvärmning.",
    )
    parser.add_argument("paths", nargs="*", metavar="SÖKVÄG", help="fil eller mapp (standard: corpus/)")
    parser.add_argument("--repeat", type=positive_int, default=3, metavar="N", help="körningar (3)")
    parser.add_argument("--rules-only", action="store_true", help="bara reglerna, utan den tränade modellen")
    parser.set_defaults(func=cmd_bench_ner)


def cmd_bench_ner(args: argparse.Namespace) -> int:
    from rapportsok.index.sync import find_files
    from rapportsok.ingest.ner_benchmark import benchmark_ner
    from rapportsok.ingest.ner_training import CORPUS_DIR

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


# -- parser and entry point -------------------------------------------------------------------

SUBCOMMANDS = [
    _add_ingest, _add_status, _add_bench_ingest, _add_bench_embed, _add_bench_scale,
    _add_search, _add_ask, _add_eval_search, _add_bench_search, _add_eval_qa, _add_bench_ask,
    _add_reindex, _add_ner, _add_train_ner, _add_eval_ner, _add_bench_ner,
]


def _add_common(parser: argparse.ArgumentParser, default: Any) -> None:
    """`--data-dir` and `--json`. Sub-parsers get `default=SUPPRESS`, so a value given before the
    subcommand name is not overwritten by the sub-parser's default."""
    parser.add_argument(
        "--data-dir",
        metavar="MAPP",
        default=default,
        help="datakatalog (annars $RAPPORTSOK_DATA_DIR eller ~/.local/share/rapportsok)",
    )
    parser.add_argument(
        "--json", action="store_true", default=False if default is None else default, help="skriv ut JSON"
    )


def build_parser() -> argparse.ArgumentParser:
    """The full parser; `--data-dir` and `--json` work before and after the subcommand."""
    parser = argparse.ArgumentParser(
        prog="rapportsok", description="Rapportsök: sök och få svar med källa i svenska offentliga rapporter."
    )
    _add_common(parser, None)
    common = argparse.ArgumentParser(add_help=False)
    _add_common(common, argparse.SUPPRESS)
    subparsers = parser.add_subparsers(title="kommandon", metavar="KOMMANDO", required=True)
    for add in SUBCOMMANDS:
        add(subparsers, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code instead of raising, so tests can call it directly."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("Avbrutet.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away; nothing more to say.
        sys.stderr.close()
        return EXIT_OK
    except USER_ERRORS as error:
        _debug_traceback()
        print(f"rapportsok: {error}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:
        _debug_traceback()
        where = f" ({error.filename})" if error.filename else ""
        print(f"rapportsok: {describe_os_error(error)}{where}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as error:  # noqa: BLE001 - the user gets a Swedish message, never a traceback
        _debug_traceback()
        print(
            f"rapportsok: ett oväntat fel inträffade: {type(error).__name__}: {error}\n"
            "Kör igen med RAPPORTSOK_DEBUG=1 för att se detaljer.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _debug_traceback() -> None:
    if os.environ.get("RAPPORTSOK_DEBUG") == "1":
        traceback.print_exc()


if __name__ == "__main__":
    sys.exit(main())
