"""`rapportsok ask`: the exact figure with its sentence and source, or "not found"."""

from __future__ import annotations

import argparse
import contextlib
import sys
import threading

from rapportsok.app.cli import common
from rapportsok.app.cli.common import run_queries
from rapportsok.index.results import Reply


def ask(args: argparse.Namespace) -> int:
    engine = common.engine_for(args, need_index=True)
    # The embedder loads in another thread while this one imports the answering code: ONNX
    # Runtime opens the model without holding the GIL, so a cold `ask` overlaps the two.
    threading.Thread(target=_load_embedder, name="embedder").start()
    from rapportsok.app.replies import reply_markdown, reply_text

    render = reply_markdown if args.format == "markdown" else reply_text

    def show(reply: Reply) -> None:
        print(render(reply))
        if reply.generation_note:  # the optional language-model summary failed: say so, aside
            print(reply.generation_note, file=sys.stderr)

    return run_queries(args.question, lambda q: engine.ask(q, k=args.k), args.json, show)


def _load_embedder() -> None:
    """Load the embedder for the first question; a failure is left to the question's own load,
    which raises it again with the user's message."""
    with contextlib.suppress(Exception):
        from rapportsok.index.embedder import load_embedder

        load_embedder()
