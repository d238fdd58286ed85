"""`rapportsok-dev`: evaluations (exit code 1 when a target is missed), benchmarks and NER
training and debugging, run from the checkout. Same conventions as `rapportsok` (app/cli/)."""

from __future__ import annotations

from rapportsok.app.cli.runner import run
from rapportsok.tools.cli.parser import build_parser


def main(argv: list[str] | None = None) -> int:
    """Run the developer CLI; returns the exit code instead of raising."""
    return run(build_parser, argv)
