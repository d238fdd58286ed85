"""`rapportsok-dev ner` (tag a text, for debugging the rules and model) and `train-ner`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rapportsok.app.cli.common import EXIT_OK, print_json, run_queries
from rapportsok.ingest.ner import tag_text
from rapportsok.tools.checkout import CORPUS_DIR
from rapportsok.tools.ner_training import train


def _entity_json(entity: Any) -> dict:
    row = {"label": entity.label, "text": entity.text, "start": entity.start, "end": entity.end,
           "value": entity.value}
    if entity.period_start or entity.period_end:
        row.update(period_start=entity.period_start, period_end=entity.period_end)
    return row


def ner(args: argparse.Namespace) -> int:
    def handle(text: str) -> dict:
        return {"entities": [_entity_json(e) for e in tag_text(text, rules_only=args.rules_only)]}

    def show(result: dict) -> None:
        if not result["entities"]:
            print("Inga entiteter.")
        for row in result["entities"]:
            print(f"{row['label']:9} {row['text']!r:32} {row['start']}–{row['end']}  {row['value']}")

    return run_queries(args.text, handle, args.json, show)


def train_ner(args: argparse.Namespace) -> int:
    result = train(Path(args.corpus) if args.corpus else CORPUS_DIR,
                   **({"output": Path(args.output)} if args.output else {}))
    if args.json:
        print_json(result)
    else:
        print(f"Klart: modellen sparad i {result['output']} ({result['train_examples']} träningsexempel, "
              f"varav {result['silver_examples']} silver; F1 på utvecklingsdelen {result['dev_f1']:.3f}).")
    return EXIT_OK
