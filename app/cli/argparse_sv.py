"""Swedish messages for argparse: Python ships no Swedish catalog for it, so its user-facing
strings are translated here. `install()` is called by the command lines' `main`, not at import."""

from __future__ import annotations

import argparse
import gettext

MESSAGES = {
    "usage: ": "användning: ",
    "positional arguments": "argument",
    "options": "flaggor",
    "show this help message and exit": "visa den här hjälpen och avsluta",
    "argument %(argument_name)s: %(message)s": "argumentet %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "följande argument krävs: %s",
    "unrecognized arguments: %s": "okända argument: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ogiltigt val: %(value)r (välj bland %(choices)s)",
    "invalid %(type)s value: %(value)r": "ogiltigt värde (%(type)s): %(value)r",
    "expected one argument": "ett värde krävs",
    "expected at most one argument": "högst ett värde är tillåtet",
    "expected at least one argument": "minst ett värde krävs",
    "ambiguous option: %(option)s could match %(matches)s": (
        "tvetydig flagga: %(option)s kan vara %(matches)s"
    ),
    "not allowed with argument %s": "går inte att kombinera med %s",
    "one of the arguments %s is required": "ett av argumenten %s krävs",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
}


def _swedish(message: str) -> str:
    return MESSAGES.get(message, message)


def _swedish_plural(singular: str, plural: str, n: int) -> str:
    return _swedish(gettext.ngettext(singular, plural, n))


def install() -> None:
    """Make argparse speak Swedish. argparse looks its strings up through the module-level `_`
    and `ngettext` names, so replacing those is the one hook it offers."""
    argparse._ = _swedish  # type: ignore[attr-defined]
    argparse.ngettext = _swedish_plural  # type: ignore[attr-defined]
