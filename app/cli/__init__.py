"""The `rapportsok` command line: what a user does with the reports.

- `--data-dir DIR` (or $RAPPORTSOK_DATA_DIR) picks the data directory, before or after the
  subcommand name; `--json` prints one JSON object (`common.print_json`).
- A query argument `-` reads one query per line from stdin and prints one JSON object per line,
  in order (`common.run_queries`).
- Errors and exit codes: app/cli/runner.py.

To add a subcommand: describe it in app/cli/parser.py (`handler="module:function"`) and write the
handler in its own module here, importing only what it needs.
"""

from __future__ import annotations

from rapportsok.app.cli.parser import build_parser
from rapportsok.app.cli.runner import run


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code instead of raising, so tests can call it directly."""
    return run(build_parser, argv)
