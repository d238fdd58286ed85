"""Cue phrases: what kind of figure a Swedish sentence states (received, planned, result, cost, budget).

A figure's cue is the cue phrase nearest it (by characters between them); at equal distance the
order is received, planned, result, cost, budget. Planned phrases contain their verb ("kan få",
"möjlighet att få"), so the longer planned phrase beats a received word inside it. What a
comparison names ("bättre än budget") is no cue of the figure. Questions use the same phrases, so
a question's "fick" and a sentence's "fick" are one cue by construction.
"""

from __future__ import annotations

import re

RECEIVED = "received"
PLANNED = "planned"
BUDGET = "budget"
RESULT = "result"
COST = "cost"

_WORD = r"[a-zåäöéü]*"
# A budget frame ("ramen", "investeringsramen"), never the idiom "inom ramen för" (within the scope of).
FRAME = r"(?:budget|investerings|drift|kostnads)?(?<!inom )ram(?:en|ar|arna)?"
# Cue phrases, in tie-break order. Matched case-insensitively on whole words.
CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE))
    for name, pattern in (
        (
            RECEIVED,
            r"fick|erhöll|erhållit|erhållits|erhåller|tilldelats|tilldelades|tilldelas|tilldelat"
            r"|rekvirerade|rekvirerat|rekvirerats|fått|beviljades|beviljats|beviljat|utbetalats",
        ),
        (
            PLANNED,
            r"kan\s+(?:\w+\s+){0,2}(?:få|erhålla|rekvirera|söka)"
            r"|möjlighet\s+att\s+(?:få|erhålla|söka)|planeras|planerade?|beräknas|förväntas"
            rf"|prognos{_WORD}|föreslås",
        ),
        (RESULT, rf"{_WORD}resultat{_WORD}|överskott{_WORD}|underskott{_WORD}"),
        (COST, rf"{_WORD}kostnad{_WORD}|kostar|kostade|utgift{_WORD}"),
        (
            BUDGET,
            rf"{_WORD}budget{_WORD}|{_WORD}anslag{_WORD}"
            rf"|{FRAME}"
            rf"|avsätt{_WORD}|avsatt{_WORD}|avsatte",
        ),
    )
)
# Verbs that questions use for a received figure but report sentences rarely do ("hur mycket får
# regionen").
QUESTION_RECEIVED = re.compile(r"\b(?:får|gav)\b", re.IGNORECASE)
# The past of "kan få" that questions use and reports do not ("hur mycket kunde regionen få").
QUESTION_PLANNED = re.compile(r"\bkunde\s+(?:\w+\s+){0,2}(?:få|erhålla|söka)\b", re.IGNORECASE)
# A verb in the past tense ("betalade", "tjänade", "fick"): the question asks what happened.
QUESTION_PAST = re.compile(r"\b(?:\w{2,}ade|fick|hade|gav|gjorde|tog|blev|var|uppgick)\b", re.IGNORECASE)
# A question for a date still to come ("När ska utredningen vara klar?", "När beräknas ...").
QUESTION_PLANNED_DATE = re.compile(
    r"^\W*när\s+(?:ska|skall|planeras|beräknas|väntas|förväntas)\b", re.IGNORECASE
)
# A sentence that sets a date to come: a deadline or a plan ("ska redovisas senast den 30 september").
PLANNED_DATE = re.compile(
    r"\b(?:senast|ska|skall|planeras|planerad\w*|beräknas|väntas|förväntas)\b", re.IGNORECASE
)

# A bound a question asks for ("hur mycket kan en familj få som mest") and the one written right
# before a figure ("högst 75 000 kronor per familj", "minst 40 procent").
UPPER = "upper"
LOWER = "lower"
_BOUNDS = ((UPPER, r"högst|maximalt|max|som\s+mest|som\s+högst|upp\s+till"),
           (LOWER, r"minst|lägst|som\s+minst|som\s+lägst|åtminstone"))
_BOUND_ASKED = tuple((name, re.compile(rf"\b(?:{words})\b", re.IGNORECASE)) for name, words in _BOUNDS)
_BOUND_BEFORE = tuple((name, re.compile(rf"\b(?:{words})\s*$", re.IGNORECASE)) for name, words in _BOUNDS)

_COMPARED_WITH = re.compile(r"\b(?:än|jämfört med)\s+(?:\w+\s+){0,2}?\w+", re.IGNORECASE)


def distance(start: int, end: int, other_start: int, other_end: int) -> int:
    """Characters between two spans (0 when they touch or overlap)."""
    return max(0, other_start - end, start - other_end)


def find_cue(sentence: str, start: int, end: int) -> str | None:
    """The cue of a figure at sentence[start:end]: the nearest cue phrase (see module docstring).

    What a comparison names is skipped: in "42 mnkr, vilket är 26 mnkr bättre än budget" the
    budget is what 42 mnkr is compared with, not what it is.
    """
    blanked = _COMPARED_WITH.sub(lambda match: " " * len(match.group()), sentence)
    best: tuple[int, int, str] | None = None
    for rank, (name, pattern) in enumerate(CUES):
        for match in pattern.finditer(blanked):
            if match.start() < end and start < match.end():
                continue
            candidate = (distance(start, end, match.start(), match.end()), rank, name)
            if best is None or candidate < best:
                best = candidate
    return best[2] if best else None


def bound_asked(text: str) -> str | None:
    """UPPER for a question about a most ("som mest", "maximalt"), LOWER for a least, else None."""
    return next((name for name, pattern in _BOUND_ASKED if pattern.search(text)), None)


def bound_before(sentence: str, start: int) -> str | None:
    """The bound written right before the figure at `start` ("högst 75 000 kronor"), or None."""
    return next((name for name, pattern in _BOUND_BEFORE if pattern.search(sentence[:start])), None)


def asks_past(text: str) -> bool:
    """Whether a question's verb is in the past tense ("Hur mycket betalade kommunen ut 2025?"):
    it asks what happened, so a budget figure beside the outcome is not its answer."""
    return bool(QUESTION_PAST.search(text))


def question_cue(text: str) -> str | None:
    """The figure cue a question's verb or noun points to ("fick" → received), or None."""
    if QUESTION_PLANNED.search(text) or QUESTION_PLANNED_DATE.search(text):
        return PLANNED
    for cue, pattern in CUES:
        if pattern.search(text):
            return cue
    return RECEIVED if QUESTION_RECEIVED.search(text) else None
