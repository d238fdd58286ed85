"""`rapportsok ask`: the exact figure with its sentence and source, or "not found"."""

from __future__ import annotations

import argparse
import sys

from rapportsok.app.cli import common
from rapportsok.app.cli.common import run_queries
from rapportsok.app.replies import reply_markdown, reply_text
from rapportsok.index.results import Reply


def ask(args: argparse.Namespace) -> int:
    engine = common.engine_for(args, need_index=True)
    render = reply_markdown if args.format == "markdown" else reply_text

    def show(reply: Reply) -> None:
        print(render(reply))
        if reply.generation_note:  # the optional language-model summary failed: say so, aside
            print(reply.generation_note, file=sys.stderr)

    return run_queries(args.question, lambda q: engine.ask(q, k=args.k), args.json, show)
