"""Figures: every AMOUNT and PERCENT as a typed fact with its sentence and context.

A figure carries its value, the sentence it stands in, the period it refers
to, the division it concerns and a cue saying what kind of figure it is.
Everything here is a pure function of a text, its entities and the chunk's
context (section heading, document date), so it is easy to test.

Rules (documented in README, "NER", "Figures"):
- period: the DATE in the sentence nearest the figure; else a year in the
  section heading; else the document's date. A date without a year ("per
  mars") takes the year of the heading or document ("2021-03").
- division: the DIVISION in the sentence nearest the figure, else the first in
  the section heading.
- cue: the cue phrase nearest the figure (by characters between them) wins;
  at equal distance the order is received, planned, result, cost, budget.
  Planned phrases contain their verb ("kan få", "möjlighet att få"), so the
  longer planned phrase beats a received word inside it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapportsok.ingest.dates import year_of
from rapportsok.ingest.records import AMOUNT, DATE, DIVISION, PERCENT, Entity, Figure

_WORD = r"[a-zåäöéü]*"
# Cue phrases, in tie-break order. Matched case-insensitively on whole words.
CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE))
    for name, pattern in (
        (
            "received",
            r"fick|erhöll|erhållit|erhållits|erhåller|tilldelats|tilldelades|tilldelas|tilldelat"
            r"|rekvirerade|rekvirerat|rekvirerats|fått|beviljades|beviljats|beviljat|utbetalats",
        ),
        (
            "planned",
            r"kan\s+(?:\w+\s+){0,2}(?:få|erhålla|rekvirera|söka)"
            r"|möjlighet\s+att\s+(?:få|erhålla|söka)|planeras|planerade?|beräknas|förväntas"
            rf"|prognos{_WORD}|föreslås",
        ),
        ("result", rf"{_WORD}resultat{_WORD}|överskott{_WORD}|underskott{_WORD}"),
        ("cost", rf"{_WORD}kostnad{_WORD}|kostar|kostade|utgift{_WORD}"),
        (
            "budget",
            rf"{_WORD}budget{_WORD}|{_WORD}anslag{_WORD}"
            r"|(?:budget|investerings|drift)?ram(?:en|ar|arna)?"
            rf"|avsätt{_WORD}|avsatt{_WORD}|avsatte",
        ),
    )
)

# Abbreviations whose period does not end a sentence (compared lower-cased, without the final period).
ABBREVIATIONS = frozenset(
    "ca bl.a t.ex m.m m.fl dvs d.v.s s.k fr.o.m t.o.m o.s.v osv resp jfr inkl exkl ev enl tel kl nr "
    "st mån milj p.g.a pga f.d o.d etc ff kap prop dnr proc obs vs".split()
)
_BOUNDARY = re.compile(r"[.!?…]+[\"”')\]]*(?=\s+[\"”'(\[]?[A-ZÅÄÖ0-9–•-])|\n+")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each Swedish sentence in `text`, whitespace trimmed.

    Hand-written because no Swedish sentence model is installed: it splits
    at ., ! or ? before a capital or digit, and at line breaks (table rows,
    headings), but not after abbreviations ("ca.", "bl.a.") or inside numbers
    ("8 712,1", "1.5").
    """
    sentences = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if match.group().startswith((".", "…")) and "\n" not in match.group():
            word = re.search(r"(\S+)$", text[start : match.start()])
            if word and (word.group(1).lower().rstrip(".") in ABBREVIATIONS or len(word.group(1)) == 1):
                continue
        end = match.end()
        sentences.append((start, end))
        start = end
    sentences.append((start, len(text)))
    trimmed = []
    for begin, end in sentences:
        while begin < end and text[begin].isspace():
            begin += 1
        while end > begin and text[end - 1].isspace():
            end -= 1
        if begin < end:
            trimmed.append((begin, end))
    return trimmed


def _distance(start: int, end: int, other_start: int, other_end: int) -> int:
    """Characters between two spans (0 when they touch or overlap)."""
    return max(0, other_start - end, start - other_end)


_COMPARED_WITH = re.compile(r"\b(?:än|jämfört med)\s+(?:\w+\s+){0,2}?\w+", re.IGNORECASE)


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
            candidate = (_distance(start, end, match.start(), match.end()), rank, name)
            if best is None or candidate < best:
                best = candidate
    return best[2] if best else None


def _with_year(value: str, year: str | None) -> str:
    """Give a date without a year ("--03", "--03-16") the year of its context."""
    if not year:
        return value
    return "/".join(year + part[1:] if part.startswith("--") else part for part in value.split("/"))


def find_period(
    sentence_dates: Sequence[Entity], start: int, end: int, section: str, document_date: str | None
) -> str | None:
    """Nearest date in the sentence, else a year in the section heading, else the document date."""
    section_year = _YEAR.search(section)
    context_year = section_year.group() if section_year else year_of(document_date)
    if sentence_dates:
        nearest = min(sentence_dates, key=lambda e: _distance(start, end, e.start, e.end))
        value = str(nearest.value)
        if not value.startswith("W"):
            return _with_year(value, context_year)
    if section_year:
        return section_year.group()
    return document_date


def figures_from_text(
    text: str,
    entities: Sequence[Entity] | None = None,
    section: str = "",
    document_date: str | None = None,
    section_entities: Sequence[Entity] = (),
    page: int | None = None,
    chunk_id: int | None = None,
) -> list[Figure]:
    """Every AMOUNT and PERCENT of `text` as a Figure (entities are tagged here when not given)."""
    # Imported here: the sentence and cue helpers above serve answers, which need no spaCy.
    from rapportsok.ingest.ner import tag_text

    if entities is None:
        entities = tag_text(text)
    if not any(e.label in (AMOUNT, PERCENT) for e in entities):
        return []
    section_division = next((str(e.value) for e in section_entities if e.label == DIVISION), None)
    figures = []
    for sentence_start, sentence_end in split_sentences(text):
        inside = [e for e in entities if sentence_start <= e.start and e.end <= sentence_end]
        sentence = text[sentence_start:sentence_end]
        dates = [_shift(e, sentence_start) for e in inside if e.label == DATE]
        divisions = [_shift(e, sentence_start) for e in inside if e.label == DIVISION]
        for entity in inside:
            if entity.label not in (AMOUNT, PERCENT) or not isinstance(entity.value, float):
                continue
            start, end = entity.start - sentence_start, entity.end - sentence_start
            division = (
                str(min(divisions, key=lambda d: _distance(start, end, d.start, d.end)).value)
                if divisions
                else section_division
            )
            figures.append(
                Figure(
                    kind=entity.label,
                    value=float(entity.value),
                    unit="kr" if entity.label == AMOUNT else "%",
                    text=entity.text,
                    sentence=sentence,
                    start=start,
                    end=end,
                    period=find_period(dates, start, end, section, document_date),
                    division=division,
                    cue=find_cue(sentence, start, end),
                    page=page,
                    section=section,
                    chunk_id=chunk_id,
                )
            )
    return figures


def _shift(entity: Entity, offset: int) -> Entity:
    return Entity(
        entity.label,
        entity.text,
        entity.start - offset,
        entity.end - offset,
        entity.value,
        entity.period_start,
        entity.period_end,
    )
