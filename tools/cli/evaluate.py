"""`rapportsok-dev eval-search`, `eval-qa`, `eval-ner`: quality against targets; exit code 1 when
one is missed."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from rapportsok.app.cli.common import EXIT_FAILED_FILES, EXIT_OK, LOCK_WAIT_S, engine_for, print_json
from rapportsok.index.embedder import load_embedder
from rapportsok.index.engine import Engine
from rapportsok.index.errors import UserError
from rapportsok.tools import qa_evaluation
from rapportsok.tools.checkout import CORPUS_DIR, QA_RECORDS, SHARED_PDFS
from rapportsok.tools.ner_evaluation import TARGET_F1, TARGET_VALUE_ACCURACY, evaluate, missed_targets
from rapportsok.tools.search_evaluation import TARGETS, evaluate_file, fusion_shortfalls
from rapportsok.tools.search_evaluation import missed_targets as missed_search_targets


def targets_text(missed: list[str]) -> str:
    """The last lines of every evaluation command: all targets met, or the ones missed."""
    return "Alla mål nådda." if not missed else "Mål som inte nåddes:\n  " + "\n  ".join(missed)


def eval_search(args: argparse.Namespace) -> int:
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
    missed = missed_search_targets(result, given or TARGETS[result["format"]]) + fusion_shortfalls(result)
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
        print(targets_text(missed))
    return EXIT_OK if not missed else EXIT_FAILED_FILES


def eval_qa(args: argparse.Namespace) -> int:
    path = Path(args.file) if args.file else qa_evaluation.DEFAULT_QUESTIONS
    try:
        rows = qa_evaluation.load_qa_questions(path)
        old = qa_evaluation.read_records(Path(args.compare)) if args.compare else None
    except ValueError as error:
        raise UserError(str(error)) from error
    files, skipped = qa_evaluation.documents_needed(rows, CORPUS_DIR, Path(args.shared or SHARED_PDFS))
    with ExitStack() as stack:
        data_dir = args.data_dir or stack.enter_context(tempfile.TemporaryDirectory(prefix="rapportsok-qa-"))
        engine = Engine(data_dir)
        engine.lock_wait_s = LOCK_WAIT_S  # another process may be ingesting into a reused directory
        stack.callback(engine.close)
        print(f"Läser in {len(files)} källor i {engine.data_dir} …", file=sys.stderr)
        report = engine.sync(files, prune=False, force=args.force)
        for failed, reason in report.failed:
            print(f"Kunde inte läsa {failed}: {reason}", file=sys.stderr)
        evaluation = qa_evaluation.evaluate_qa(lambda q: engine.ask(q, summarize=False), rows, skipped)
    records_path = Path(args.records) if args.records else QA_RECORDS
    qa_evaluation.write_records(evaluation.records, records_path)
    changes = qa_evaluation.compare(old, evaluation.records) if old is not None else None
    missed = qa_evaluation.missed_targets(evaluation.records)
    if args.json:
        print_json({**evaluation.to_json(), "records": str(records_path), "compare": changes})
    else:
        print(qa_evaluation.format_report(evaluation))
        if args.failures:
            print("Fel svar:")
            print(qa_evaluation.format_failures(evaluation.records))
        if changes is not None:
            print(f"Jämfört med {args.compare}: rätt nu {len(changes['fixed'])} "
                  f"({', '.join(changes['fixed']) or '–'}), fel nu {len(changes['broken'])} "
                  f"({', '.join(changes['broken']) or '–'})")
        print(f"En rad per fråga: {records_path}")
        print()
        print(targets_text(missed))
    return EXIT_OK if not missed else EXIT_FAILED_FILES


def eval_ner(args: argparse.Namespace) -> int:
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
    print(targets_text(missed))
    return EXIT_OK if not missed else EXIT_FAILED_FILES
