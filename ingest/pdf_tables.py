"""PDF tables (pdfplumber): ruled tables on the pages that look like tables, as `Table` records.

Why pdfplumber: it reads the ruling lines and character positions of a page and returns
each table as a grid of cell texts, keeps merged header cells as empty (None) cells, and is
pure Python on pdfminer.six (no Ghostscript or OpenCV as camelot needs). Its "lines"
strategy found the ruled tables of our reports cleanly; its "text" strategy (tables without
rules) split words inside cells on the same reports, so only ruled tables are read.

pdfplumber is slow (about 0.3–1 s a page), so it only runs on candidate pages: pages where
pypdf's lines (already extracted by `ingest.pdf`) include at least MIN_NUMERIC_LINES lines
that end in two or more numbers, as table rows do.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pdfplumber
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException
from rapportsok.ingest.pdf import StyledLine
from rapportsok.ingest.records import Table
from rapportsok.ingest.tables import MAX_CAPTION_WORDS, looks_like_table_row, read_table

MIN_NUMERIC_LINES = 3
CAPTION_GAP = 40.0  # points above a table in which a caption line is looked for
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def candidate_pages(pages: list[list[StyledLine]]) -> list[int]:
    """Page numbers (1-based) with enough table-row lines to be worth pdfplumber's time."""
    return [
        number
        for number, page in enumerate(pages, start=1)
        if sum(looks_like_table_row(line.text) for line in page) >= MIN_NUMERIC_LINES
    ]


def _caption(page, top: float) -> str:
    """The last line of text just above a table (its title), if it is short."""
    words = [w for w in page.extract_words() if top - CAPTION_GAP <= w["bottom"] <= top + 1]
    if not words:
        return ""
    last = max(w["top"] for w in words)
    line = " ".join(w["text"] for w in sorted(words, key=lambda w: w["x0"]) if abs(w["top"] - last) < 3)
    return line if len(line.split()) <= MAX_CAPTION_WORDS else ""


def read_pdf_tables(path: Path, pages: list[list[StyledLine]], first_ordinal: int = 0) -> list[Table]:
    """The ruled tables with figures on the candidate pages of a PDF, in page order.

    A PDF that pdfplumber cannot read gives no tables (pypdf already read its text).
    """
    wanted = candidate_pages(pages)
    if not wanted:
        return []
    tables: list[Table] = []
    try:
        with pdfplumber.open(path) as pdf:
            for number in wanted:
                page = pdf.pages[number - 1]
                for found in page.find_tables():
                    table = read_table(
                        found.extract(),
                        caption=_caption(page, found.bbox[1]),
                        page=number,
                        ordinal=first_ordinal + len(tables),
                        wrapped=True,
                    )
                    if table is not None:
                        tables.append(table)
                page.close()
    except (PdfminerException, PDFSyntaxError, ValueError, KeyError, TypeError, OSError):
        return tables
    return tables
