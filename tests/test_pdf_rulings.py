"""The pypdfium2 pre-check that spares pdfplumber the pages whose rulings form no table."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest
from pdf_factory import continued_table_pdf, rotated_pdf, rules_without_table_pdf, table_pdf
from rapportsok.ingest.pdf import read_pdf_pages
from rapportsok.ingest.pdf_rulings import may_hold_ruled_table
from rapportsok.ingest.pdf_tables import candidate_pages, with_pdf_tables


def _checks(path: Path) -> list[bool]:
    document = pdfium.PdfDocument(path)
    try:
        return [may_hold_ruled_table(document[index]) for index in range(len(document))]
    finally:
        document.close()


def _plumber_tables(path: Path) -> list[int]:
    with pdfplumber.open(path) as pdf:
        return [len(page.find_tables()) for page in pdf.pages]


def test_a_ruled_table_page_is_kept(tmp_path: Path) -> None:
    path = table_pdf(tmp_path / "tabell.pdf")
    assert _checks(path) == [True]
    assert _plumber_tables(path) == [1]


def test_a_table_over_a_page_break_is_kept_on_both_pages(tmp_path: Path) -> None:
    path = continued_table_pdf(tmp_path / "fortsatt.pdf")
    assert all(_checks(path))


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_a_ruled_table_on_a_turned_page_is_kept(tmp_path: Path, degrees: int) -> None:
    path = rotated_pdf(tmp_path / "vriden.pdf", table_pdf(tmp_path / "tabell.pdf"), degrees)
    assert _checks(path) == [True]


def test_pages_with_one_horizontal_rule_or_none_are_skipped(tmp_path: Path) -> None:
    path = rules_without_table_pdf(tmp_path / "linjer.pdf")
    pages, _ = read_pdf_pages(path)
    assert candidate_pages(pages) == [1, 2]  # the rows look like a table to the line test
    assert _checks(path) == [False, False]
    assert _plumber_tables(path) == [0, 0]  # and pdfplumber agrees: no ruled table
    assert with_pdf_tables(path, pages) == pages
