"""Swedish sentence splitting: one splitter and one abbreviation list for chunking, figures and answers.

Hand-written because no Swedish sentence model is installed, and spaCy's rule-based sentencizer
would need spaCy where none is loaded (chunking, question analysis); it splits at the same
punctuation, without the line-break and one-letter rules below.
"""

from __future__ import annotations

import re

# Abbreviations whose period does not end a sentence (compared lower-cased, without the final period).
# Units such as "mnkr." usually do end one, so they are not listed. One-letter words ("s.", "f.")
# never end one either; that is a rule in `split_sentences`.
ABBREVIATIONS = frozenset(
    "ca bl.a t.ex m.m m.fl dvs d.v.s s.k fr.o.m t.o.m o.s.v osv resp jfr inkl exkl ev enl tel kl nr "
    "st mån milj p.g.a pga f.d o.d etc ff kap prop dnr proc obs vs avd prof dr".split()
)
# A sentence ends at ., !, ? or … (with closing quotes or brackets) before a capital, a digit, a
# bullet or a dash, and at every line break (table rows, headings, list items). A PDF's text may
# lose the space after a period ("prisnivå.Observera att"): a period between a lower-case
# word and a capitalised one ends a sentence too (not "t.ex" or "www.Example.se": the word before
# must be three lower-case letters and the one after a capital and lower-case ones, then a space).
_BOUNDARY = re.compile(
    r"[.!?…]+[\"”'»)\]]*(?=\s+[\"”'“«(\[]?[A-ZÅÄÖ0-9–•-])|(?<=[a-zåäö]{3})\.(?=[A-ZÅÄÖ][a-zåäö]+\s)|\n+"
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each Swedish sentence in `text`, whitespace trimmed.

    Splits at ., ! or ? before a capital or digit, and at line breaks, but not after
    abbreviations ("ca.", "bl.a.") or inside numbers ("8 712,1", "1.5").
    """
    sentences = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if match.group().startswith((".", "…")) and "\n" not in match.group():
            word = re.search(r"(\S+)$", text[start : match.start()])
            if word and (
                word.group(1).lower().lstrip("(").rstrip(".") in ABBREVIATIONS or len(word.group(1)) == 1
            ):
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
