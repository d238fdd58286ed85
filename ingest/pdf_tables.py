"""PDF tables (pdfplumber): ruled tables on the pages that look like tables become table rows.

Why pdfplumber: it reads the ruling lines and character positions of a page and returns
each table as a grid of cell texts, keeps merged header cells as empty (None) cells, and is
pure Python on pdfminer.six (no Ghostscript or OpenCV as camelot needs). Its "lines"
strategy found the ruled tables of our reports cleanly; its "text" strategy (tables without
rules) split words inside cells on the same reports, so only ruled tables are read.

pdfplumber is slow (about 0.3–1 s a page), so it only runs on candidate pages: pages where
pypdf's lines (already extracted by `ingest.pdf`) include at least MIN_NUMERIC_LINES lines
that end in (or are) two or more numbers, as table rows do.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pdfplumber
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException
from rapportsok.ingest.pdf import StyledLine
from rapportsok.ingest.tables import looks_like_table_row, merge_continuation_rows, numbers_row, read_table

MIN_NUMERIC_LINES = 2
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def candidate_pages(pages: list[list[StyledLine]]) -> list[int]:
    """Page numbers (1-based) with enough table-row lines to be worth pdfplumber's time."""
    return [
        number
        for number, page in enumerate(pages, start=1)
        if sum(looks_like_table_row(line.text) or numbers_row(line.text) for line in page)
        >= MIN_NUMERIC_LINES
    ]


def join_split_columns(rows: list[list[str]]) -> list[list[str]]:
    """Columns pdfplumber split apart joined again: empty columns dropped, and two neighbouring
    columns that never both hold different text in one row made one (a header above, its values
    beside; a cell pdfplumber read twice)."""
    width = max((len(row) for row in rows), default=0)
    rows = [row + [""] * (width - len(row)) for row in rows]
    columns = [[row[i] for row in rows] for i in range(width) if any(row[i] for row in rows)]
    joined: list[list[str]] = []
    for column in columns:
        # Same text in both counts as one: pdfplumber reads a cell twice when its text is drawn twice.
        if joined and not any(a and b and a != b for a, b in zip(joined[-1], column, strict=True)):
            joined[-1] = [a or b for a, b in zip(joined[-1], column, strict=True)]
        else:
            joined.append(column)
    return [list(row) for row in zip(*joined, strict=True)] if joined else []


def _rows(grid: list[list[str | None]]) -> list[str]:
    """A pdfplumber grid as tab-separated rows: cells with line breaks joined, split columns
    joined, wrapped labels merged into their row, empty rows dropped."""
    cells = join_split_columns([[" ".join((cell or "").split()) for cell in row] for row in grid])
    return ["\t".join(row) for row in merge_continuation_rows(cells, wrapped=True) if any(row)]


def _replace_lines(lines: list[StyledLine], rows: list[str], low: float, high: float) -> list[StyledLine]:
    """The page's lines with those whose baseline lies inside the table replaced by its rows."""
    inside = [i for i, line in enumerate(lines) if low - 1 <= line.y <= high + 1 and line.text.strip()]
    if not inside:
        return lines
    first = lines[inside[0]]
    kept = [line for i, line in enumerate(lines) if i not in set(inside)]
    at = inside[0] - sum(1 for i in inside if i < inside[0])
    table = [StyledLine(row, first.size, False, first.y) for row in rows]
    return kept[:at] + table + kept[at:]


def with_pdf_tables(path: Path, pages: list[list[StyledLine]]) -> list[list[StyledLine]]:
    """The pages with the lines of each ruled table holding figures replaced by its rows as
    tab-separated lines, so the table becomes a table block like a Word or text table.

    A PDF that pdfplumber cannot read keeps its pypdf lines (they were read already).
    """
    wanted = candidate_pages(pages)
    if not wanted:
        return pages
    pages = list(pages)
    try:
        with pdfplumber.open(path) as pdf:
            for number in wanted:
                page = pdf.pages[number - 1]
                bottom_of_page = page.bbox[3]
                for found in page.find_tables():
                    grid = found.extract()
                    if read_table(grid, wrapped=True) is None:
                        continue  # a layout grid or a list without figures stays text
                    x0, top, x1, bottom = found.bbox
                    pages[number - 1] = _replace_lines(
                        pages[number - 1], _rows(grid), bottom_of_page - bottom, bottom_of_page - top
                    )
                page.close()
    except (PdfminerException, PDFSyntaxError, ValueError, KeyError, TypeError, OSError):
        return pages
    return pages
