"""Plain-text reader: decoding, pages and the line shapes of text exported from Word or PDF."""

from __future__ import annotations

import codecs
from pathlib import Path

from rapportsok.ingest.cleanup import remove_page_furniture
from rapportsok.ingest.errors import IngestError
from rapportsok.ingest.structure import SourceLine

FORM_FEED = "\f"


def decode_text(data: bytes, path: Path) -> str:
    """The file's text: by its byte order mark (UTF-8, UTF-16), as UTF-16 without a mark when
    it looks like it (Windows "Unicode" exports), else UTF-8, else Windows-1252 as older
    Swedish exports use (which decodes almost anything, so it comes last)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise IngestError("Textfilen är märkt som UTF-16 men är skadad", str(path)) from error
    for encoding in (_utf16_without_bom(data), "utf-8-sig", "cp1252"):
        if encoding is None:
            continue
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise IngestError("Textfilen har en okänd teckenkodning och kan inte läsas", str(path))


def _utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when every other byte of the start is NUL (Latin text in UTF-16),
    None otherwise. Why by hand: no charset detector is a dependency, and this one pattern is
    what UTF-16 files without a byte order mark look like; UTF-8 and cp1252 text has no NULs."""
    head = data[:4096]
    if len(head) < 4 or len(head) % 2:
        head = head[: len(head) - len(head) % 2]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) >= 0.4 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= 0.4 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


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
