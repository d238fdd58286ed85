"""`rapportsok ingest` and `rapportsok reindex`: bring the index in step with report files."""

from __future__ import annotations

import argparse
import sys

from rapportsok.app.cli import common
from rapportsok.app.cli.common import EXIT_FAILED_FILES, EXIT_OK, print_json
from rapportsok.index.engine import Engine
from rapportsok.index.sync import SyncReport, unreadable_note
from rapportsok.lang.numbers import format_number


def ingest(args: argparse.Namespace) -> int:
    engine = common.writer_engine(args)
    bar = None

    def progress(done: int, total: int, report: SyncReport) -> None:
        # Counted in pages, so a long scanned report moves the bar as far as its pages weigh.
        nonlocal bar
        if bar is None:
            from tqdm import tqdm

            bar = tqdm(
                total=report.pages_todo, unit="sida", desc="Läser in", file=sys.stderr, dynamic_ncols=True
            )
        bar.update(report.pages_done - bar.n)
        bar.set_postfix_str(
            f"fil {done} av {total}, nya {len(report.added)}, ändrade {len(report.updated)}, "
            f"fel {len(report.failed)}"
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
        _print_summary(report, engine)
    return EXIT_OK if report.ok else EXIT_FAILED_FILES


def _print_summary(report: SyncReport, engine: Engine) -> None:
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
        print(f"  {common.one_line(path)}: {unreadable_note(pages)}")
    if report.failed:
        print("Filer som inte kunde läsas in:")
        for path, error in report.failed:
            print(f"  {common.one_line(path)}: {error}")
    if report.skipped:
        print("Överhoppade (inga vanliga filer):")
        for path, reason in report.skipped:
            print(f"  {common.one_line(path)}: {reason}")
    print(f"Data: {engine.data_dir}")


def reindex(args: argparse.Namespace) -> int:
    result = common.writer_engine(args).reindex(embeddings=args.embeddings)
    if args.json:
        print_json(result)
    else:
        print(f"Klart: {result['chunks']} avsnitt indexerade med modellen {result['embedder']}.")
    return EXIT_OK
