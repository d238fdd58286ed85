"""Figures: every AMOUNT and PERCENT as a typed fact with its sentence and context.

A figure carries its value, the sentence it stands in, the period it refers
to, the division it concerns and a cue saying what kind of figure it is.
Everything here is a pure function of a text, its entities and the chunk's
context (section heading, document date), so it is easy to test.

Rules (documented in docs/ner.md, "Figures"):
- period: the DATE in the sentence nearest the figure; else a year in the
  section heading; else the document's date. A date without a year ("per
  mars") takes the year of the heading or document ("2021-03").
- division: the DIVISION in the sentence nearest the figure, else the first in
  the section heading.
- cue: the cue phrase nearest the figure (lang/cues.py).
- measure, basis, sign (lang/measures.py): the noun phrase the figure quantifies ("egna
  kapitalet"), what it is (utfall, budget, prognos, plan, avvikelse, förändring, andel), and a
  value made negative when the sentence says so in words ("ett underskott på 12 mnkr").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapportsok.ingest.records import AMOUNT, DATE, DIVISION, PERCENT, Entity, Figure
from rapportsok.lang.cues import distance, find_cue
from rapportsok.lang.dates import YEAR, year_of
from rapportsok.lang.measures import figure_basis, figure_measure, is_negative
from rapportsok.lang.sentences import split_sentences

_YEAR = re.compile(rf"\b{YEAR}\b")


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
        nearest = min(sentence_dates, key=lambda e: distance(start, end, e.start, e.end))
        value = str(nearest.value)
        if not value.startswith("W"):
            return _with_year(value, context_year)
    if section_year:
        return section_year.group()
    return document_date


def figures_from_text(
    text: str,
    entities: Sequence[Entity],
    section: str = "",
    document_date: str | None = None,
    section_entities: Sequence[Entity] = (),
    page: int | None = None,
    chunk_id: int | None = None,
) -> list[Figure]:
    """Every AMOUNT and PERCENT of `text` (its `entities`, from ingest/ner.py) as a Figure."""
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
                str(min(divisions, key=lambda d: distance(start, end, d.start, d.end)).value)
                if divisions
                else section_division
            )
            value = float(entity.value)
            if value > 0 and is_negative(sentence, start, end):
                value = -value
            figures.append(
                Figure(
                    kind=entity.label,
                    value=value,
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
                    measure=figure_measure(sentence, start, end),
                    basis=figure_basis(sentence, start, end, percent=entity.label == PERCENT),
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
