"""The page number printed on each PDF page, so citations say what the reader sees on paper.

The PDF's own /PageLabels win where present. Otherwise the number is read from the running
header or footer ("10 (26)", "SID 13", "Sida 4 av 12", "Försäkringskassans årsredovisning
2012 98"). A number found on one page alone proves little (a year, a figure in a footer), so
each page's candidates vote for an offset between the printed number and the PDF index, and
only an offset shared by many pages is used. Pages between numbered ones get the number the
offset gives them; pages outside numbered runs keep none (citations fall back to the PDF index).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Protocol

EDGE_LINES = 3  # lines read at the top and at the bottom of a page
MIN_VOTES = 2
MIN_SHARE = 0.1  # of the pages that have any candidate
MAX_NUMBER = 9999
_CANDIDATE_RES = (
    re.compile(r"(\d{1,4})\s*\(\s*\d{1,4}\s*\)"),  # "10 (26)", "…styrelsen 10 (26)"
    re.compile(r"\bsid(?:a|an)?\.?\s*(\d{1,4})\b", re.IGNORECASE),  # "SID 13", "Sida 4 av 12"
    re.compile(r"^\s*[-–]?\s*(\d{1,4})\s*[-–]?\s*$"),  # a bare number, "- 7 -"
    re.compile(r"(?:^|\s)(\d{1,4})\s*$"),  # "… årsredovisning 2012 98"
    re.compile(r"^\s*(\d{1,4})\s+\D"),  # "98 Försäkringskassans …"
)


class _Line(Protocol):
    text: str
    y: float


def number_candidates(texts: Sequence[str]) -> set[int]:
    """Numbers that header or footer lines could be printing as the page number."""
    found: set[int] = set()
    for text in texts:
        for pattern in _CANDIDATE_RES:
            for match in pattern.finditer(text):
                number = int(match.group(1))
                if 0 < number <= MAX_NUMBER:
                    found.add(number)
    return found


def _edges(page: Sequence[_Line]) -> list[str]:
    """Texts of the top and bottom lines of a page, by their height on the page."""
    lines = [line for line in page if line.text.strip()]
    ordered = sorted(lines, key=lambda line: -line.y)
    chosen = ordered[:EDGE_LINES] + ordered[-EDGE_LINES:]
    return [line.text for line in chosen]


def footer_labels(pages: Sequence[Sequence[_Line]]) -> list[str | None]:
    """Printed page numbers read from running headers and footers (None where none is known).

    An offset (printed number minus PDF index) counts when enough pages vote for it; several
    can, since inserted pages (an unnumbered scan, a blank page) shift the numbering. A page
    without a number of its own gets one only inside a run of pages with the same offset.
    """
    candidates = [number_candidates(_edges(page)) for page in pages]
    votes: Counter[int] = Counter()
    for index, numbers in enumerate(candidates):
        votes.update({number - index for number in numbers})
    with_any = sum(1 for numbers in candidates if numbers)
    needed = max(MIN_VOTES, MIN_SHARE * with_any)
    offsets: list[int | None] = []
    for index, numbers in enumerate(candidates):
        supported = [number - index for number in numbers if votes[number - index] >= needed]
        offsets.append(max(supported, key=lambda offset: votes[offset]) if supported else None)
    known = [index for index, offset in enumerate(offsets) if offset is not None]
    for before, after in zip(known, known[1:], strict=False):
        if offsets[before] == offsets[after]:
            for index in range(before + 1, after):
                offsets[index] = offsets[before]
    return [
        str(index + offset) if offset is not None and index + offset > 0 else None
        for index, offset in enumerate(offsets)
    ]


def page_labels(pages: Sequence[Sequence[_Line]], pdf_labels: Sequence[str] | None) -> list[str | None]:
    """The printed number of every page: the PDF's /PageLabels, else headers and footers."""
    if pdf_labels and len(pdf_labels) == len(pages):
        return [label or None for label in pdf_labels]
    return footer_labels(pages)
