"""Normalization of Swedish numbers, money amounts and percentages.

Amounts in the reports are written in many ways ("27 mnkr", "8 712,1 mnkr",
"12 000 000 kr", "1,4 mdkr", "−12 mnkr"). Answers compare figures, so every
AMOUNT becomes a float in kronor and every PERCENT a float, following
models/ner/ANNOTATION.md.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from babel.numbers import NumberFormatError, format_decimal, parse_decimal


def format_number(value: float, decimals: int = 1, trim: bool = False) -> str:
    """A number for Swedish readers ("0,87", "1,5"), by Babel's sv_SE rules; `trim` drops
    trailing zero decimals ("27 mnkr", not "27,0 mnkr")."""
    digit = "#" if trim else "0"
    return format_decimal(value, format="0." + digit * decimals if decimals else "0", locale="sv_SE")


# Space characters used as digit-group separators in Swedish text. Each one
# is replaced by a plain space, one character for one, so offsets stay valid.
SPACE_CHARS = "\u00a0\u202f\u2009\u2007\u2002\u2003\u2004\u2005\u2006\u2008\u200a"
_SPACE_TABLE = str.maketrans({char: " " for char in SPACE_CHARS})
# Hyphen-minus, minus sign and en dash all mean "negative" directly before digits.
MINUS_CHARS = "-\u2212\u2013"

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

_NUMBER = re.compile(rf"[{MINUS_CHARS}]?\s*\d[\d ]*(?:[.,]\d+)?")
# Small numbers written as words ("tre miljoner kronor", "en halv miljard",
# "en procent"); Babel parses digits only, so these are listed here.
NUMBER_WORDS = {
    "en halv": 0.5,
    "ett halvt": 0.5,
    "halv": 0.5,
    "noll": 0.0,
    "en": 1.0,
    "ett": 1.0,
    "två": 2.0,
    "tre": 3.0,
    "fyra": 4.0,
    "fem": 5.0,
    "sex": 6.0,
    "sju": 7.0,
    "åtta": 8.0,
    "nio": 9.0,
    "tio": 10.0,
    "elva": 11.0,
    "tolv": 12.0,
    "femton": 15.0,
    "tjugo": 20.0,
    "trettio": 30.0,
    "femtio": 50.0,
    "hundra": 100.0,
}
_NUMBER_WORD = re.compile(
    r"^(" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")(?=\s|$)", re.IGNORECASE
)


class NumberError(ValueError):
    """Raised when a text holds no number we can read."""


def normalize_spaces(text: str) -> str:
    """Replace no-break, thin and other odd spaces by plain spaces (same length)."""
    return text.translate(_SPACE_TABLE)


@lru_cache(maxsize=4096)
def parse_number(text: str) -> float:
    """Parse a Swedish number such as "8 712,1", "12 000 000", "−0,4" or "1.5".

    Babel does the locale work (decimal comma); we only join digit groups
    split by spaces first, because Babel's sv_SE group separator is a
    no-break space and real text uses every kind of space.
    """
    cleaned = normalize_spaces(text).strip()
    negative = bool(cleaned) and cleaned[0] in MINUS_CHARS
    if negative:
        cleaned = cleaned[1:].strip()
    cleaned = re.sub(r"(?<=\d) +(?=\d)", "", cleaned)
    if re.fullmatch(r"\d+\.\d+", cleaned):
        # A point before 1-2 decimals is an English-style decimal point
        # ("1.5 mkr"); babel sv_SE would read it as a group separator.
        cleaned = cleaned.replace(".", ",") if len(cleaned.split(".")[1]) != 3 else cleaned.replace(".", "")
    try:
        value = parse_decimal(cleaned, locale="sv_SE", strict=False)
    except NumberFormatError as error:
        raise NumberError(f"not a number: {text!r}") from error
    number = float(Decimal(value))
    return -number if negative else number


def _first_number(text: str) -> tuple[float, int]:
    """Return the first number in `text` and the offset just after it."""
    text = normalize_spaces(text)
    word = _NUMBER_WORD.match(text.strip())
    if word is not None:
        return NUMBER_WORDS[word.group(1).lower()], len(text) - len(text.lstrip()) + word.end()
    match = _NUMBER.search(text)
    if match is None:
        raise NumberError(f"no number in {text!r}")
    number_text = match.group().rstrip()
    return parse_number(number_text), match.start() + len(number_text)


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
    value, end = _first_number(text)
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
    value, _ = _first_number(text)
    return value
