"""Helpers for the app tests: a private copy of an indexed data directory, a small PDF."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from fpdf import FPDF
from rapportsok.index import paths
from rapportsok.index.faiss_store import INDEX_FILE, SIDECAR_FILE


def copy_data_dir(source: Path, target: Path) -> Path:
    """Copy an indexed data directory (SQLite through its backup API, so pages still in the WAL
    come along, plus the vector files), so a test can change it without touching the source."""
    target.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(paths.db_path(source)) as src, sqlite3.connect(paths.db_path(target)) as dst:
        src.backup(dst)
    for name in (INDEX_FILE, SIDECAR_FILE):
        if (source / name).exists():
            shutil.copy2(source / name, target / name)
    return target


def small_report_pdf(path: Path, heading: str, sentences: list[str]) -> Path:
    """A one-page PDF report with a heading and a paragraph (fpdf2's core font covers å, ä, ö)."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=16)
    pdf.cell(0, 10, heading, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, " ".join(sentences))
    pdf.output(str(path))
    return path
