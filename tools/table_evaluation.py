"""Table evaluation: are the cells of hand-checked tables read with the right value, unit and column?

`python -m rapportsok.tools.table_evaluation eval/tables/tables.jsonl --pdfs DIR --corpus DIR`

Each line of the gold file is one table: its source file (a PDF's file name and page, or a corpus
text file), and the expected cells, quoted as printed ("11 251") with the row label, the value
normalized by the table's unit (kronor for amounts), the unit ("kr", "%", "antal" or ""), and the
column's meaning (period, basis). A cell counts as right when a figure of a table on that page has
the same row label and printed text and the same value, unit, period and basis. Sources missing
from the given folders are skipped and named. Exits 1 when cell accuracy is below --threshold.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from rapportsok.ingest.errors import IngestError
from rapportsok.ingest.pipeline import read_and_chunk
from rapportsok.ingest.records import Figure

THRESHOLD = 0.95


def load_gold(path: Path) -> list[dict]:
    """The gold tables, one JSON object a line (blank lines skipped)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def cell_right(expected: dict, figure: Figure) -> bool:
    """Value (to a thousandth), unit and column meaning (period, basis) as the gold says."""
    return (
        math.isclose(figure.value, float(expected["value"]), rel_tol=1e-9, abs_tol=1e-3)
        and figure.unit == expected["unit"]
        and figure.period == expected.get("period")
        and figure.basis == expected.get("basis")
    )


def _source(entry: dict, pdfs: Path | None, corpus: Path | None) -> Path | None:
    folder = pdfs if entry["source"].lower().endswith(".pdf") else corpus
    path = folder / entry["source"] if folder else None
    return path if path and path.exists() else None


def evaluate(gold: list[dict], pdfs: Path | None, corpus: Path | None) -> dict:
    """Cell accuracy over the gold tables whose sources are present; the misses for reading."""
    figures_of: dict[Path, list[Figure]] = {}
    cells = right = 0
    skipped: set[str] = set()
    misses: list[str] = []
    for entry in gold:
        path = _source(entry, pdfs, corpus)
        if path is None:
            skipped.add(entry["source"])
            continue
        if path not in figures_of:
            try:
                doc, _ = read_and_chunk(path)
            except IngestError:
                doc = None
            figures_of[path] = [f for table in (doc.tables if doc else []) for f in table.figures]
        page = entry.get("page")
        found = [f for f in figures_of[path] if page is None or f.page == page]
        for expected in entry["cells"]:
            cells += 1
            same = [f for f in found if f.row == expected["row"] and f.text == expected["text"]]
            if any(cell_right(expected, f) for f in same):
                right += 1
                continue
            got = [(f.value, f.unit, f.period, f.basis, f.column) for f in same] or "ingen cell"
            misses.append(f"{entry['source']} s. {page}: {expected['row']} / {expected['text']}: {got}")
    return {
        "tables": len(gold) - sum(1 for e in gold if e["source"] in skipped),
        "cells": cells,
        "right": right,
        "accuracy": round(right / cells, 3) if cells else 0.0,
        "skipped": sorted(skipped),
        "misses": misses,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Cellträffsäkerhet för tabeller mot en guldfil.")
    parser.add_argument("gold", type=Path)
    parser.add_argument("--pdfs", type=Path, help="mapp med PDF-filerna")
    parser.add_argument("--corpus", type=Path, help="mapp med textfilerna")
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    args = parser.parse_args(argv)
    result = evaluate(load_gold(args.gold), args.pdfs, args.corpus)
    for miss in result["misses"]:
        print("FEL:", miss)
    for source in result["skipped"]:
        print(f"Hoppar över {source}: filen saknas i den angivna mappen")
    print(
        f"Tabeller {result['tables']}, celler {result['cells']}, rätt {result['right']}, "
        f"träffsäkerhet {result['accuracy']:.3f} (tröskel {args.threshold})"
    )
    return 0 if result["cells"] and result["accuracy"] >= args.threshold else 1


if __name__ == "__main__":
    sys.exit(main())
