"""Helpers every subcommand shares (`rapportsok` and `rapportsok-dev`): exit codes, JSON output,
stdin queries, argument types and the engine of the chosen data directory."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from rapportsok.index.errors import UserError
from rapportsok.ingest.errors import IngestError

if TYPE_CHECKING:
    from rapportsok.index.engine import Engine

EXIT_OK, EXIT_FAILED_FILES, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
# How long `ingest` and `reindex` wait for another process's write lock before giving up.
LOCK_WAIT_S = 3600.0

# Exceptions whose message is meant for the user (Swedish): exit code 2, no "unexpected" prefix.
USER_ERRORS: tuple[type[BaseException], ...] = (UserError, IngestError)


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
        result = handle(checked_text(query))
        if as_json:
            print_json(_jsonable(result))
        else:
            show(result)
        return EXIT_OK
    for line in stdin_lines():
        text = line.strip()
        if not text:
            continue
        try:
            print_json(_jsonable(handle(checked_text(text))), lines=True)
        except USER_ERRORS as error:
            print_json({"query": printable(text), "error": str(error)}, lines=True)
    return EXIT_OK


def stdin_lines() -> Iterable[str]:
    """Stdin line by line, invalid UTF-8 kept as surrogate escapes, so one bad line is refused
    on its own (`checked_text`) instead of ending the batch with a decode error."""
    binary = getattr(sys.stdin, "buffer", None)
    if binary is None:  # a text stream (tests)
        yield from sys.stdin
        return
    for raw in binary:
        yield raw.decode("utf-8", errors="surrogateescape")


def checked_text(text: str) -> str:
    """`text` when it is valid Unicode; UserError (Swedish) for bytes that were not UTF-8
    (surrogate escapes from stdin or argv)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise UserError(
            "Texten innehåller tecken som inte är giltig UTF-8. Spara frågorna som UTF-8 och försök igen."
        ) from None
    return text


def printable(text: str) -> str:
    """`text` with undecodable bytes shown as U+FFFD, so it can be printed and written as JSON."""
    return text.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace")


def one_line(name: str) -> str:
    """A file name on one line: control characters (a newline in a name) shown escaped."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in printable(name))


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
    # Imported on first use: `rapportsok app`, `--help` and usage errors need no index code.
    from rapportsok.index.engine import Engine

    engine = Engine(args.data_dir)
    if need_index and not engine.has_index():
        raise UserError(
            f"Det finns inga inlästa rapporter i {engine.data_dir}. "
            "Läs in dem först: rapportsok ingest MAPP"
        )
    return engine


def writer_engine(args: argparse.Namespace) -> Engine:
    """The engine for a command that changes the index: it waits for another writer's lock
    (up to LOCK_WAIT_S) and says so on stderr."""
    engine = engine_for(args)
    engine.lock_wait_s = LOCK_WAIT_S
    engine.on_lock_wait = lambda: print(
        "En annan process ändrar indexet just nu; väntar tills den är klar …", file=sys.stderr
    )
    return engine


def require_chunks(engine: Engine) -> None:
    """A Swedish error when the index holds no text (benchmarks need some)."""
    if not engine.store.counts()["chunks"]:
        raise UserError(f"Indexet i {engine.data_dir} är tomt. Läs in rapporter: rapportsok ingest MAPP")
