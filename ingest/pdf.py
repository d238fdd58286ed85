"""PDF reader (pypdf): lines with real page numbers, headings from font sizes, clear Swedish errors.

pypdf reports the font of every text run, so a line set clearly larger than
the body text (or short and bold) is marked as a heading here; the text rules
in `ingest.structure` are only the fallback for PDFs without such styling.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError, PyPdfError
from rapportsok.ingest.cleanup import bullet_text, ends_sentence, furniture_mask, starts_continuation
from rapportsok.ingest.errors import IngestError
from rapportsok.ingest.structure import SourceLine

CORRUPT = "Filen är skadad och kan inte läsas som PDF"
ENCRYPTED = "PDF-filen är krypterad/lösenordsskyddad och kan inte läsas"
NO_PAGES = "PDF-filen har inga sidor"
NO_TEXT = "PDF-filen innehåller ingen text (troligen inskannad) – OCR behövs"
MIN_LETTERS = 20
HEADING_SCALE = 1.15  # a heading font is at least this much larger than the body font
MAX_LEVEL = 3
MAX_HEADING_WORDS = 14
MAX_BOLD_HEADING_WORDS = 10
MIN_STYLED_HEADINGS = 2  # fewer font-marked headings than this: fall back to text rules
_BOLD_FONT_RE = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)


@dataclass
class StyledLine:
    """One extracted line of a PDF page with the font size and weight of most of its characters."""

    text: str
    size: float
    bold: bool
    y: float = 0.0  # baseline height on the page (larger = higher up)


# pypdf logs every malformed object it repairs; those are not the user's concern.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def _open(path: Path) -> PdfReader:
    """An open, decrypted reader (an empty user password is tried, as viewers do)."""
    try:
        reader = PdfReader(path)
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as error:
        raise IngestError(CORRUPT, str(path)) from error
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except (PyPdfError, NotImplementedError, ValueError, KeyError, TypeError) as error:
            raise IngestError(ENCRYPTED, str(path)) from error
        if not opened:
            raise IngestError(ENCRYPTED, str(path))
    return reader


def _page_lines(page) -> list[StyledLine]:
    """The page's lines as pypdf extracts them, each with its font size and boldness.

    pypdf reports every text run to a visitor; the runs concatenate to exactly
    the extracted text, so each line gets the size of most of its characters.
    """
    runs: list[tuple[str, float, bool, float]] = []

    def visit(text, cm, tm, font, size) -> None:
        scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3]) if tm and cm else 1.0
        y = tm[5] * cm[3] + cm[5] if tm and cm else 0.0
        name = str((font or {}).get("/BaseFont", ""))
        runs.append((text, round(size * scale * 2) / 2, bool(_BOLD_FONT_RE.search(name)), y))

    page.extract_text(visitor_text=visit)
    lines: list[StyledLine] = []
    parts: list[tuple[str, float, bool, float]] = []

    def close() -> None:
        text = "".join(part[0] for part in parts)
        weights: Counter[tuple[float, bool]] = Counter()
        for part, size, bold, _ in parts:
            weights[(size, bold)] += sum(not ch.isspace() for ch in part)
        size, bold = weights.most_common(1)[0][0] if weights else (0.0, False)
        y = next((part[3] for part in parts if part[0].strip()), 0.0)
        lines.append(StyledLine(text, size, bold, y))

    for text, size, bold, y in runs:
        pieces = text.split("\n")
        for index, piece in enumerate(pieces):
            if index:
                close()
                parts = []
            if piece:
                parts.append((piece, size, bold, y))
    close()
    return lines


def read_pdf_pages(path: Path) -> list[list[StyledLine]]:
    """The styled lines of every page (index 0 = page 1); raises IngestError for unusable files.

    Pages without text (scanned images) stay empty; only a PDF with no text
    at all is refused.
    """
    reader = _open(path)
    try:
        pages = [_page_lines(page) for page in reader.pages]
    except FileNotDecryptedError as error:
        raise IngestError(ENCRYPTED, str(path)) from error
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as error:
        raise IngestError(CORRUPT, str(path)) from error
    if not pages:
        raise IngestError(NO_PAGES, str(path))
    if sum(ch.isalpha() for page in pages for line in page for ch in line.text) < MIN_LETTERS:
        raise IngestError(NO_TEXT, str(path))
    return pages


def heading_levels(pages: list[list[StyledLine]]) -> dict[float, int]:
    """Heading level per font size, for sizes clearly above the body text.

    Sizes used on several pages are the document's heading styles and are
    ranked, largest = 1 (at most MAX_LEVEL). A size seen on one page only (a
    cover title, a one-off box) takes the level of the nearest ranked size
    below it, or 1 when it is larger than all, so it does not push every
    real section one level down.
    """
    chars: Counter[float] = Counter()
    pages_of: dict[float, set[int]] = {}
    for number, page in enumerate(pages):
        for line in page:
            chars[line.size] += len(line.text.strip())
            if line.text.strip():
                pages_of.setdefault(line.size, set()).add(number)
    if not chars:
        return {}
    body = chars.most_common(1)[0][0]
    bigger = [size for size in chars if size >= body * HEADING_SCALE]
    ranked = sorted((size for size in bigger if len(pages_of.get(size, ())) > 1), reverse=True)
    levels = {size: min(rank, MAX_LEVEL) for rank, size in enumerate(ranked, start=1)}
    for size in bigger:
        if size not in levels:
            below = [levels[r] for r in ranked if r <= size]
            levels[size] = below[0] if below else min(len(ranked) + 1, MAX_LEVEL)
    return levels


def _is_heading_text(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= MAX_HEADING_WORDS
        and any(ch.isalpha() for ch in text)
        and not ends_sentence(text)
        and not text.rstrip().endswith(",")
        and bullet_text(text) is None
    )


def _title_first(placed: list[tuple[SourceLine, float]]) -> list[SourceLine]:
    """Put a page's heading that the PDF draws last but prints above everything else at the top.

    Layout programs often write a page title into the content stream after
    the body text; by height it is the first thing a reader sees.
    """
    moved = [
        line
        for index, (line, y) in enumerate(placed)
        if index and line.heading and y > max(height for _, height in placed[:index])
    ]
    moved_ids = {id(line) for line in moved}  # identity: a page may repeat a line word for word
    return moved + [line for line, _ in placed if id(line) not in moved_ids]


def pdf_lines(pages: list[list[StyledLine]]) -> tuple[list[SourceLine], bool]:
    """Source lines of PDF pages without running headers/footers, and whether fonts marked headings.

    A short line set in a clearly larger font than the body is a heading (its
    level from the size); a short bold line at body size is a heading one
    level below the sized ones.
    """
    masks = furniture_mask([[line.text for line in page] for page in pages])
    levels = heading_levels(pages)
    bold_level = min(len(set(levels.values())) + 1, MAX_LEVEL + 1)
    lines: list[SourceLine] = []
    for number, (page, mask) in enumerate(zip(pages, masks, strict=True), start=1):
        gap = True
        placed: list[tuple[SourceLine, float]] = []
        for line, furniture in zip(page, mask, strict=True):
            if furniture:
                continue
            if not line.text.strip():
                gap = True
                continue
            heading = 0
            if _is_heading_text(line.text):
                if line.size in levels:
                    heading = levels[line.size]
                elif line.bold and len(line.text.split()) <= MAX_BOLD_HEADING_WORDS:
                    heading = bold_level
            placed.append((SourceLine(line.text, number, gap_before=gap, heading=heading), line.y))
            gap = False
        lines += _title_first(placed)
    for line, nxt in zip(lines, lines[1:], strict=False):
        runs_on = line.text.rstrip().endswith("-") or starts_continuation(nxt.text)
        if line.heading == bold_level and nxt.heading != bold_level and nxt.page == line.page and runs_on:
            line.heading = 0  # a bold lead-in ("Skälen för regeringens förslag: Det …") runs on into text
    styled = sum(1 for line in lines if line.heading) >= MIN_STYLED_HEADINGS
    if not styled:
        for line in lines:
            line.heading = 0
    return lines, styled
