"""Swedish word stems (Snowball, through PyStemmer): what search indexes and questions match on."""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer
from rapportsok.lang.stopwords import STOP_WORDS

_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("swedish")


def stems(text: str, keep_stop_words: bool = True) -> list[str]:
    """Lower-cased, Snowball-stemmed word tokens of `text` (what FTS5 stores and matches)."""
    words = [w for w in _WORD.findall(text.casefold()) if keep_stop_words or w not in STOP_WORDS]
    return _stemmer().stemWords(words)


def stems_match(a: str, b: str) -> bool:
    """Whether two stems are forms of the same word.

    Snowball leaves some Swedish inflections apart ("psykiatrin"/"psykiatri", "hälsan"/"häls"), so a
    stem that extends the other by at most three letters counts too; the shorter must have four
    letters so that short stems do not match every longer word.
    """
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 4 and len(long_) - len(short) <= 3 and long_.startswith(short)
