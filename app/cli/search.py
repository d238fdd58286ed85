"""`rapportsok search`: hybrid search over the passages, with filters."""

from __future__ import annotations

import argparse
import os

from rapportsok.app.cli import common
from rapportsok.app.cli.common import run_queries
from rapportsok.index.errors import UserError
from rapportsok.index.search import SearchFilters


def search(args: argparse.Namespace) -> int:
    if args.year is not None and (args.year_from is not None or args.year_to is not None):
        raise UserError("Ange antingen --year eller --from/--to, inte båda.")
    filters = SearchFilters(
        document=args.document,
        year_from=args.year if args.year is not None else args.year_from,
        year_to=args.year if args.year is not None else args.year_to,
        division=args.division,
        section=args.section,
    )
    engine = common.engine_for(args, need_index=True)

    def handle(query: str) -> dict:
        return {"query": query, "hits": [hit.to_json() for hit in engine.search(query, args.k, filters)]}

    return run_queries(args.query, handle, args.json, print_hits)


def print_hits(result: dict) -> None:
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
