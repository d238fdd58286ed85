"""Why a passage matched: the query's words, their inflections and compound parts marked in it.

Pure functions (no Streamlit). Matching follows the search itself (lang/stems.py): a word counts
when its Snowball stem is a form of a query word's stem, or when it is a compound containing a
query word's stem ("psykiatrikostnader" for "psykiatri", "budgetram" for "ram" is too short to
count: stems under COMPOUND_MIN letters match whole words only).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from rapportsok.lang.stems import stems, stems_match
from rapportsok.lang.stopwords import STOP_WORDS

COMPOUND_MIN = 4  # letters a query stem needs to be found inside a longer word
WEAK_SHARE = 0.5  # a passage without query words is shown only with this share of the top score
_WORD = re.compile(r"\w+")
MARK_STYLE = "background:#fff3a3;border-bottom:2px solid #d4a72c;padding:0 1px"


def query_stems(query: str) -> list[str]:
    """The stems of the query's words, stop words and bare numbers left out."""
    words = [w for w in _WORD.findall(query.casefold()) if w not in STOP_WORDS and not w.isdigit()]
    return list(dict.fromkeys(stems(" ".join(words))))


def word_matches(word: str, wanted: Sequence[str]) -> bool:
    """Whether `word` is a form of a query word or a compound containing one."""
    folded = word.casefold()
    if folded in STOP_WORDS:
        return False
    stem = stems(folded)[0] if folded else ""
    return any(
        stems_match(stem, want) or (len(want) >= COMPOUND_MIN and want in folded) for want in wanted
    )


def match_spans(text: str, wanted: Sequence[str]) -> list[tuple[int, int]]:
    """(start, end) of every word in `text` that matches a query word."""
    if not wanted:
        return []
    return [m.span() for m in _WORD.finditer(text) if word_matches(m.group(), wanted)]


def mark_words(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """`text` escaped, with each span in a <mark>; line breaks kept."""
    parts, cursor = [], 0
    for start, end in spans:
        if start < cursor:
            continue
        parts.append(html.escape(text[cursor:start]))
        parts.append(f'<mark style="{MARK_STYLE}">{html.escape(text[start:end])}</mark>')
        cursor = end
    parts.append(html.escape(text[cursor:]))
    return "".join(parts).replace("\n", "<br>")


def worth_showing(has_words: bool, score: float, top_score: float) -> bool:
    """A passage with none of the query's words is shown among the best only when it is about as
    similar as the best passage (meaning without the same words); otherwise it is noise."""
    return has_words or score >= WEAK_SHARE * top_score
