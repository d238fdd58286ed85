"""Swedish money amounts and percentages as numbers: "27 mnkr" -> 27e6 kronor, "6,6 %" -> 6.6.

Amounts in the reports are written in many ways ("27 mnkr", "8 712,1 mnkr",
"12 000 000 kr", "1,4 mdkr", "−12 mnkr", "tre och en halv miljon kronor"). Answers compare
figures, so every AMOUNT becomes a float in kronor and every PERCENT a float, following
models/ner/ANNOTATION.md.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapportsok.lang.numbers import MINUS_CHARS, NumberError, first_number, normalize_spaces

# Unit word (lower-cased) -> multiplier in kronor.
UNIT_MULTIPLIERS: dict[str, float] = {
    "kr": 1.0,
    "kr.": 1.0,
    "kronor": 1.0,
    "kronors": 1.0,
    "sek": 1.0,
    ":-": 1.0,
    "tkr": 1e3,
    "tsek": 1e3,
    "kkr": 1e3,
    "tusen": 1e3,
    "mkr": 1e6,
    "mnkr": 1e6,
    "msek": 1e6,
    "mn": 1e6,
    "milj": 1e6,
    "milj.": 1e6,
    "miljon": 1e6,
    "miljoner": 1e6,
    "miljonkronor": 1e6,
    "mdkr": 1e9,
    "mdr": 1e9,
    "mdsek": 1e9,
    "md": 1e9,
    "miljard": 1e9,
    "miljarder": 1e9,
}


def unit_multiplier(unit: str) -> float | None:
    """Kronor per unit for a unit word ("mnkr" -> 1e6); None when it is not a money unit."""
    word = unit.strip().lower()
    if word in UNIT_MULTIPLIERS:
        return UNIT_MULTIPLIERS[word]
    if word.startswith("miljon"):
        return 1e6
    if word.startswith("miljard"):
        return 1e9
    return None


@lru_cache(maxsize=4096)
def parse_amount(text: str) -> float:
    """Value in kronor of an AMOUNT span: "27 mnkr" -> 27e6, "831 tkr" -> 831e3, "1,4 mdkr" -> 1.4e9.

    A range ("10–15 mnkr") takes its first number, as the guide says. The unit
    is the first word after the numbers; "miljoner kronor" counts as millions.
    """
    value, end = first_number(text)
    rest = normalize_spaces(text[end:])
    rest = re.sub(rf"^\s*[{MINUS_CHARS}/]\s*\d[\d ]*(?:[.,]\d+)?", "", rest)
    words = re.findall(r"[A-Za-zÅÄÖåäö]+\.?|:-", rest)
    if not words or unit_multiplier(words[-1]) is None:
        raise NumberError(f"no unit at the end of {text!r}")
    multiplier = unit_multiplier(words[0])
    if multiplier is None:
        raise NumberError(f"unknown unit {words[0]!r} in {text!r}")
    return value * multiplier


@lru_cache(maxsize=4096)
def parse_percent(text: str) -> float:
    """Value of a PERCENT span: "80,1 procent" -> 80.1, "6,6 %" -> 6.6, "−0,4 %" -> -0.4.

    The span must end with "%" or "procent"; anything else is not a percentage.
    """
    if not re.search(r"(?:%|procent)$", text.rstrip(), re.IGNORECASE):
        raise NumberError(f"no percent sign in {text!r}")
    value, _ = first_number(text)
    return value
