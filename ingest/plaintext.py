"""Plain-text reader: decoding, pages and the line shapes of text exported from Word or PDF."""

from __future__ import annotations

from pathlib import Path

from rapportsok.ingest.cleanup import remove_page_furniture
from rapportsok.ingest.errors import IngestError
from rapportsok.ingest.structure import SourceLine

FORM_FEED = "\f"


def decode_text(data: bytes, path: Path) -> str:
    """The file's text; UTF-8 (with or without BOM), else Windows-1252 as older Swedish exports use."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise IngestError("Textfilen har en okänd teckenkodning och kan inte läsas", str(path))


def is_wrapped(lines: list[str]) -> bool:
    """True when paragraphs are hard-wrapped into many short lines (text pulled from a PDF)."""
    lengths = sorted(len(line.strip()) for line in lines if line.strip())
    return len(lengths) >= 20 and lengths[int(0.9 * (len(lengths) - 1))] <= 130


def text_lines(text: str) -> tuple[list[SourceLine], bool]:
    """Source lines of a plain-text document and whether it is hard-wrapped.

    A form feed starts a new page. Text extracted from a PDF with a blank line
    after every line (corpus file 001) marks headings by gluing them to the
    first line of their paragraph; such lines are flagged `glued`.
    """
    pages = [page.split("\n") for page in text.replace("\r\n", "\n").replace("\r", "\n").split(FORM_FEED)]
    if len(pages) > 1:
        pages = remove_page_furniture(pages)
    flat = [line for page in pages for line in page]
    wrapped = is_wrapped(flat)
    filled = [(i, line) for i, line in enumerate(flat) if line.strip()]
    gaps = sum(1 for (a, _), (b, _) in zip(filled, filled[1:], strict=False) if b - a > 1)
    double_spaced = wrapped and len(filled) > 1 and gaps / (len(filled) - 1) >= 0.6
    lines: list[SourceLine] = []
    for number, page in enumerate(pages, start=1):
        gap = True
        for i, line in enumerate(page):
            if not line.strip():
                gap = True
                continue
            nxt = page[i + 1] if i + 1 < len(page) else ""
            glued = double_spaced and bool(nxt.strip()) and not nxt[:1].isspace()
            lines.append(SourceLine(line, number, gap_before=gap, glued=glued))
            gap = False
    return lines, wrapped
