"""Swedish numbers: digits with any kind of space or decimal comma, number words and halves.

Babel does the locale work (decimal comma, sv_SE formatting). Number words ("tre", "en halv",
"tre och en halv") are listed here because Babel parses digits only.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from babel.numbers import NumberFormatError, format_decimal, parse_decimal

# Space characters used as digit-group separators in Swedish text. Each one
# is replaced by a plain space, one character for one, so offsets stay valid.
SPACE_CHARS = "\u00a0\u202f\u2009\u2007\u2002\u2003\u2004\u2005\u2006\u2008\u200a"
_SPACE_TABLE = str.maketrans({char: " " for char in SPACE_CHARS})
# Hyphen-minus, minus sign and en dash all mean "negative" directly before digits.
MINUS_CHARS = "-\u2212\u2013"

# Whole numbers written as words, in order from zero ("ett" is added as the neuter of "en").
_WHOLE_WORDS = (
    "noll en två tre fyra fem sex sju åtta nio tio elva tolv tretton fjorton femton sexton sjutton "
    "arton nitton tjugo"
).split()
_TENS = {"tjugo": 20, "trettio": 30, "fyrtio": 40, "femtio": 50, "sextio": 60, "sjuttio": 70,
         "åttio": 80, "nittio": 90}
# Number words and their values ("en halv miljard", "tre miljoner kronor", "en procent",
# "tjugotvå lärare": tens and ones are written as one word).
NUMBER_WORDS: dict[str, float] = {
    "en halv": 0.5,
    "ett halvt": 0.5,
    "halv": 0.5,
    **{word: float(value) for value, word in enumerate(_WHOLE_WORDS)},
    "ett": 1.0,
    **{tens: float(value) for tens, value in _TENS.items()},
    **{tens + one: float(value + ones) for tens, value in _TENS.items()
       for ones, one in enumerate(_WHOLE_WORDS[1:10], start=1)},
    **{tens + "ett": float(value + 1) for tens, value in _TENS.items()},
    "hundra": 100.0,
}
# Whole numbers of one word from one on: what stands before "och en halv" ("tjugotvå och en halv
# miljon"), in the tagger's patterns (tools/ner_training.py) and in `first_number` alike.
WHOLE_NUMBER_WORDS: tuple[str, ...] = tuple(
    word for word, value in NUMBER_WORDS.items() if " " not in word and value >= 1 and value.is_integer()
)
# Words that count things ("tio sårbarheter", "sex möten"): whole numbers from two on;
# "en"/"ett" are mostly articles, not counts.
COUNT_WORDS: dict[str, int] = {
    word: int(value) for word, value in NUMBER_WORDS.items() if value >= 2 and value.is_integer()
}
COUNT_WORD = re.compile(rf"\b(?:{'|'.join(COUNT_WORDS)})\b", re.IGNORECASE)
# Fractions written as words, as a percentage: reports write shares so ("hälften av eleverna",
# "var tredje anställd", "två tredjedelar av kostnaden").
_PARTS = {"tredjedel": 3, "fjärdedel": 4, "femtedel": 5, "sjättedel": 6, "åttondel": 8,
          "tiondel": 10}
# From the third: "var andra" is mostly "was other" ("det var andra faktorer"); reports write "varannan".
_ORDINALS = {"tredje": 3, "fjärde": 4, "femte": 5, "sjätte": 6, "sjunde": 7, "åttonde": 8,
             "nionde": 9, "tionde": 10}
SHARE_WORDS: dict[str, float] = {
    "hälften": 50.0,
    **{f"{count} {part}{'ar' if n > 1 else ''}": 100.0 * n / parts
       for part, parts in _PARTS.items()
       for count, n in (("en", 1), ("två", 2), ("tre", 3), ("fyra", 4))
       if n < parts},
    **{f"{each} {ordinal}": 100.0 / n for ordinal, n in _ORDINALS.items() for each in ("var", "vart")},
    "varannan": 50.0,
    "vartannat": 50.0,
}
SHARE_WORD = re.compile(rf"\b(?:{'|'.join(sorted(SHARE_WORDS, key=len, reverse=True))})\b", re.IGNORECASE)
# A scale word after a count ("20 miljoner beslut", "3 tusen besök"); before "kronor" it is money.
# Its factor is the money unit's (`lang.amounts.unit_multiplier`).
COUNT_SCALE = re.compile(
    r"\s+(tusen|miljon(?:er)?|miljard(?:er)?)\b(?!\s+(?:kr|kronor|sek)\b)", re.IGNORECASE
)
_WHOLE = "|".join(sorted(WHOLE_NUMBER_WORDS, key=len, reverse=True))
_NUMBER_WORD = re.compile(
    rf"^(?:({_WHOLE})\s+och\s+(?:en|ett)\s+halvt?"
    r"|(" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r"))(?=\s|$)",
    re.IGNORECASE,
)
_NUMBER = re.compile(rf"[{MINUS_CHARS}]?\s*\d[\d ]*(?:[.,]\d+)?")


class NumberError(ValueError):
    """Raised when a text holds no number we can read."""


def normalize_spaces(text: str) -> str:
    """Replace no-break, thin and other odd spaces by plain spaces (same length)."""
    return text.translate(_SPACE_TABLE)


def format_number(value: float, decimals: int = 1, trim: bool = False) -> str:
    """A number for Swedish readers ("0,87", "1,5"), by Babel's sv_SE rules; `trim` drops
    trailing zero decimals ("27 mnkr", not "27,0 mnkr")."""
    digit = "#" if trim else "0"
    return format_decimal(value, format="0." + digit * decimals if decimals else "0", locale="sv_SE")


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


def first_number(text: str) -> tuple[float, int]:
    """The first number in `text` (digits or words: "tre och en halv" -> 3.5) and the offset after it."""
    text = normalize_spaces(text)
    word = _NUMBER_WORD.match(text.strip())
    if word is not None:
        offset = len(text) - len(text.lstrip()) + word.end()
        if word.group(1):
            return NUMBER_WORDS[word.group(1).lower()] + 0.5, offset
        return NUMBER_WORDS[word.group(2).lower()], offset
    match = _NUMBER.search(text)
    if match is None:
        raise NumberError(f"no number in {text!r}")
    number_text = match.group().rstrip()
    return parse_number(number_text), match.start() + len(number_text)
