"""Word reader (python-docx): paragraphs and tables in body order, headings from styles."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import OpcError
from docx.table import Table
from docx.text.paragraph import Paragraph
from rapportsok.ingest.errors import IngestError
from rapportsok.ingest.structure import SourceLine

CORRUPT = "Filen är skadad och kan inte läsas som Word-dokument (.docx)"
# "Heading 2" (English Word) and "Rubrik 2" (Swedish Word); "Title"/"Rubrik" is the document title.
_HEADING_STYLE_RE = re.compile(r"^(?:heading|rubrik)\s*(\d)$", re.IGNORECASE)
_TITLE_STYLES = {"title", "rubrik"}
_LIST_STYLE_RE = re.compile(r"list|lista|punkt", re.IGNORECASE)


def _row_text(row) -> str:
    cells = []
    seen = set()
    for cell in row.cells:
        if id(cell._tc) in seen:  # a merged cell repeats once per spanned column
            continue
        seen.add(id(cell._tc))
        cells.append(" ".join(cell.text.split()))
    return "\t".join(cells)


def _paragraph_line(paragraph: Paragraph, shift: int) -> SourceLine | None:
    text = paragraph.text.strip()
    if not text:
        return None
    style = (paragraph.style.name if paragraph.style is not None else "").strip()
    match = _HEADING_STYLE_RE.match(style)
    if style.lower() in _TITLE_STYLES:
        return SourceLine(text, 1, gap_before=True, heading=1)
    if match:
        return SourceLine(text, 1, gap_before=True, heading=int(match.group(1)) + shift)
    if _LIST_STYLE_RE.search(style) and not text.startswith("•"):
        text = "• " + text
    return SourceLine(text, 1, gap_before=True)


def docx_lines(path: Path) -> list[SourceLine]:
    """Source lines of a .docx file: one per paragraph, one per table row (cells tab-separated)."""
    try:
        document = docx.Document(str(path))
    except (OpcError, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise IngestError(CORRUPT, str(path)) from error
    items = list(document.iter_inner_content())
    has_title = any(
        isinstance(item, Paragraph) and item.style is not None and item.style.name.lower() in _TITLE_STYLES
        for item in items
    )
    shift = 1 if has_title else 0
    lines: list[SourceLine] = []
    for item in items:
        if isinstance(item, Table):
            rows = [_row_text(row) for row in item.rows]
            lines += [SourceLine(row, 1, gap_before=i == 0) for i, row in enumerate(rows) if row.strip()]
        else:
            line = _paragraph_line(item, shift)
            if line is not None:
                lines.append(line)
    return lines
