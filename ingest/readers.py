"""Read any supported file into a `Document` of blocks (cleaned text, headings, tables)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from rapportsok.ingest.errors import IngestError, describe_os_error
from rapportsok.ingest.formats import (
    HTML_SUFFIXES,
    MARKDOWN_SUFFIXES,
    PDF_SUFFIXES,
    SUPPORTED_SUFFIXES,
    WORD_SUFFIXES,
)
from rapportsok.ingest.html import html_lines
from rapportsok.ingest.markdown import markdown_lines
from rapportsok.ingest.pdf import cover_title, pdf_lines, read_pdf_pages
from rapportsok.ingest.pdf_tables import with_pdf_tables
from rapportsok.ingest.plaintext import decode_text, text_lines
from rapportsok.ingest.records import Document, Page
from rapportsok.ingest.structure import SourceLine, build_blocks
from rapportsok.ingest.tables import block_tables
from rapportsok.ingest.text_tables import with_text_tables
from rapportsok.ingest.word import docx_lines

# Markdown-like text in .txt files (corpus files 002 and 004) is read as Markdown.
_MARKDOWN_SIGNS = ("\n# ", "\n## ", "**", "<b>")


def looks_like_markdown(text: str) -> bool:
    """True for text with Markdown headings or bold markup, whatever the file suffix."""
    head = "\n" + text[:20000]
    return head.lstrip().startswith("#") or sum(head.count(sign) for sign in _MARKDOWN_SIGNS) >= 3


class _Read(NamedTuple):
    """What a format's reader gives: source lines, whether they are hard-wrapped, whether
    markup/styles mark all headings, page count, the PDF's page records (status, printed number,
    word boxes) and the title its cover prints in its largest font (PDFs only)."""

    lines: list[SourceLine]
    wrapped: bool
    styled: bool
    page_count: int
    pages: list[Page] = []
    cover_title: str | None = None


def _lines(path: Path, suffix: str, data: bytes, on_page: Callable[[], None] | None) -> _Read:
    if suffix in PDF_SUFFIXES:
        pages, records = read_pdf_pages(path, on_page)
        pages = [with_text_tables(page) for page in with_pdf_tables(path, pages)]
        lines, styled = pdf_lines(pages)
        return _Read(lines, True, styled, len(pages), records, cover_title(pages))
    if suffix in WORD_SUFFIXES:
        return _Read(docx_lines(path), False, False, 1)
    if suffix in HTML_SUFFIXES:
        lines = html_lines(data)
        return _Read(lines, False, any(line.heading for line in lines), 1)
    text = decode_text(data, path)
    if suffix in MARKDOWN_SUFFIXES or looks_like_markdown(text):
        return _Read(markdown_lines(text), False, False, 1)
    lines, wrapped = text_lines(text)
    return _Read(lines, wrapped, False, max((line.page for line in lines), default=1))


def read_document(path: Path | str, on_page: Callable[[], None] | None = None) -> Document:
    """Read and clean one file; raises IngestError (Swedish message) when it cannot be used.

    `title` is a PDF's cover title (`pdf.cover_title`), else the file name, and `date` None here:
    `ingest.metadata` fills them in from the text when it can. `on_page()` is called as each page
    of a PDF is read (see `read_pdf_pages`).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(f"Filtypen {suffix or '(ingen)'} stöds inte", str(path))
    try:
        data = path.read_bytes()
    except OSError as error:
        raise IngestError(f"Filen kan inte läsas: {describe_os_error(error)}", str(path)) from error
    if not data.strip():
        raise IngestError("Filen är tom", str(path))
    read = _lines(path, suffix, data, on_page)
    blocks = build_blocks(read.lines, wrapped=read.wrapped, guess_headings=not read.styled)
    if not blocks:
        raise IngestError("Filen innehåller ingen text", str(path))
    return Document(
        path=str(path),
        title=read.cover_title or path.stem,
        date=None,
        page_count=read.page_count,
        blocks=blocks,
        sha256=hashlib.sha256(data).hexdigest(),
        pages=read.pages,
        tables=block_tables(blocks),
    )
