"""Everyday phrasings of the measures reports name formally ("hur gick skolan ekonomiskt" asks for
its "resultat").

Staff and reporters ask in everyday words; a report writes the formal noun, and neither the stemmer
nor compound splitting relates "gick ekonomiskt" to "resultat". Each rule is a Swedish idiom for a
standard measure of public accounts, true of any organisation's reports, not a synonym list for
one question. Idioms for staff ("hur många jobbar i"), inhabitants and salaries were tried and
left out: no dev question gained. Hand-written: no Swedish paraphrase resource ships on PyPI, and a
general thesaurus was measured to be too broad for report language (docs/measurements.md, stop 19).
"""

from __future__ import annotations

import re

# (idiom, the report's words for it). Matched case-insensitively on whole words.
_IDIOMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), formal)
    for pattern, formal in (
        # "Hur gick skolan ekonomiskt 2019", "hur har det gått ekonomiskt för nämnden": the adverb
        # only, never the adjective of "går på ekonomiskt bistånd"
        (r"\b(gick|går|gått)\b(.{0,60}?)\bekonomiskt\b"
         r"(?=\s*(?:$|[?.!,]|\d|(?:för|under|i|per|till|år|jämfört|hittills|totalt)\b))", r"\1\2resultat"),
        # "gick nämnden med vinst", "gick bolaget med förlust/back": a result, a deficit
        (r"\b(gick|går|gått)\b(.{0,60}?)\s+med\s+vinst\b", r"\1\2 resultat"),
        (r"\b(gick|går|gått)\b(.{0,60}?)\s+(?:med\s+förlust|back)\b", r"\1\2 underskott"),
    )
)


def formal_words(question: str) -> str:
    """The question with its everyday phrasings of a measure replaced by the report's words."""
    for pattern, formal in _IDIOMS:
        question = pattern.sub(formal, question)
    return question
