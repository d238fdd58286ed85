"""Parse, dispatch and turn errors into Swedish messages and exit codes (both command lines).

Exit codes: 0 all went well, 1 some files failed to ingest (or a target was missed), 2 usage or
user error, 3 unexpected internal error, 130 interrupted. Errors go to stderr in Swedish,
without a traceback; RAPPORTSOK_DEBUG=1 shows it.

Each subcommand's parser names its handler as "module:function" (`handler` default). The module
is imported only when that command runs, so every command loads only what it uses.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from collections.abc import Callable

from rapportsok.app.cli import argparse_sv
from rapportsok.app.cli.common import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    USER_ERRORS,
)
from rapportsok.index.settings import Settings
from rapportsok.ingest.errors import describe_os_error


def add_common(parser: argparse.ArgumentParser, default: object) -> None:
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


def new_parser(prog: str, description: str) -> tuple[argparse.ArgumentParser, argparse._SubParsersAction,
                                                      argparse.ArgumentParser]:
    """A top-level parser, its subparsers and the parent every subcommand takes (`--data-dir`,
    `--json` work before and after the subcommand name)."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    add_common(parser, None)
    common = argparse.ArgumentParser(add_help=False)
    add_common(common, argparse.SUPPRESS)
    subparsers = parser.add_subparsers(title="kommandon", metavar="KOMMANDO", required=True)
    return parser, subparsers, common


def run(build_parser: Callable[[], argparse.ArgumentParser], argv: list[str] | None) -> int:
    """Build the parser (argparse in Swedish), parse `argv`, run the chosen handler and return the
    exit code instead of raising, so tests can call it directly."""
    argparse_sv.install()  # before building: argparse translates its help texts as parsers are made
    parser = build_parser()
    prog = parser.prog
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    debug = Settings.from_env().debug
    try:
        module, function = args.handler.split(":")
        return getattr(importlib.import_module(module), function)(args)
    except KeyboardInterrupt:
        print("Avbrutet.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away; nothing more to say.
        sys.stderr.close()
        return EXIT_OK
    except USER_ERRORS as error:
        _debug_traceback(debug)
        print(f"{prog}: {error}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:
        _debug_traceback(debug)
        where = f" ({error.filename})" if error.filename else ""
        print(f"{prog}: {describe_os_error(error)}{where}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as error:  # noqa: BLE001 - the user gets a Swedish message, never a traceback
        _debug_traceback(debug)
        print(
            f"{prog}: ett oväntat fel inträffade: {type(error).__name__}: {error}\n"
            "Kör igen med RAPPORTSOK_DEBUG=1 för att se detaljer.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _debug_traceback(debug: bool) -> None:
    if debug:
        traceback.print_exc()
