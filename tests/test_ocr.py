"""OCR of scanned pages, page status, printed page numbers and where passages stand on the page."""

from __future__ import annotations

import os
from pathlib import Path

import pytesseract
import pytest
from conftest import write_report
from pdf_factory import (
    SCANNED_TEXT,
    TABLE_ROWS,
    image_pdf,
    labelled_pdf,
    mixed_pdf,
    page_image,
    report_pdf,
    ruled_table_image,
    scribble_image,
)
from PIL import Image
from pypdf import PdfReader
from pypdf.constants import PageLabelStyle
from rapportsok.index.store import Store
from rapportsok.index.sync import SyncReport, sync
from rapportsok.ingest import ocr
from rapportsok.ingest.errors import IngestError
from rapportsok.ingest.page_labels import footer_labels, number_candidates
from rapportsok.ingest.pdf import StyledLine, is_blank, read_pdf_pages, usable_text
from rapportsok.ingest.pipeline import process_file
from rapportsok.ingest.positions import locate, place_figures, span_boxes
from rapportsok.ingest.readers import read_document
from rapportsok.ingest.records import PAGE_OCR, PAGE_TEXT, PAGE_UNREADABLE, Box, Word
from rapportsok.tools.ocr_benchmark import page_error


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store(tmp_path / "index.db")
    yield opened
    opened.close()


needs_tesseract = pytest.mark.skipif(
    not ocr.ocr_available(), reason="Tesseract med svenska (tesseract-ocr, tesseract-ocr-swe) saknas"
)


@needs_tesseract
def test_scanned_pdf_is_read_by_ocr(tmp_path: Path) -> None:
    doc, chunks = process_file(image_pdf(tmp_path / "skannad.pdf", [page_image(SCANNED_TEXT)]))
    [page] = doc.pages
    assert page.status == PAGE_OCR
    assert page.confidence is not None and page.confidence >= ocr.MIN_CONFIDENCE
    text = " ".join(chunk.text for chunk in chunks)
    assert "årsredovisningen" in text and "primärvården" in text
    # the line break after "miljoner" is joined by the same cleanup as text pages
    assert "12 miljoner kronor" in text
    figure = next(f for chunk in chunks for f in chunk.figures if f.value == 12_000_000)
    assert figure.boxes and all(box.page == 1 for box in figure.boxes)
    # "12 miljoner" ends one printed line and "kronor" starts the next: one box per line
    assert len(figure.boxes) == 2 and figure.boxes[0].y1 <= figure.boxes[1].y0
    assert all(0 < box.x0 < box.x1 < 1 and 0 < box.y0 < box.y1 < 0.3 for box in figure.boxes)


@needs_tesseract
def test_scanned_pages_are_searchable_after_sync(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "rapporter"
    folder.mkdir()
    mixed_pdf(folder / "protokoll.pdf")
    report = sync([folder], store, workers=1)
    assert report.ok and report.ocr_pages == 1
    assert store.conn.execute("SELECT text FROM chunks WHERE text LIKE '%primärvården%'").fetchall()
    [document] = store.documents()
    assert document["ocr_pages"] == 1 and document["unreadable"] == []
    statuses = [page["status"] for page in store.pages(document["id"])]
    assert statuses == [PAGE_TEXT, PAGE_OCR, PAGE_TEXT]


@needs_tesseract
def test_mixed_pdf_only_the_image_page_is_ocred(tmp_path: Path) -> None:
    doc, chunks = process_file(mixed_pdf(tmp_path / "blandad.pdf"))
    assert [page.status for page in doc.pages] == [PAGE_TEXT, PAGE_OCR, PAGE_TEXT]
    assert [page.confidence is None for page in doc.pages] == [True, False, True]
    chunk = next(chunk for chunk in chunks if "primärvården" in chunk.text)
    assert chunk.page_end >= 2
    at = chunk.text.index("primärvården")
    assert [box.page for box in span_boxes(chunk.boxes, at, at + len("primärvården"))] == [2]
    assert "2 (3)" not in chunk.text  # the scanned page's footer goes like any running footer
    assert [page.label for page in doc.pages] == ["1", "2", "3"]  # "n (3)" footers


@needs_tesseract
def test_low_confidence_page_is_unreadable_and_not_indexed(tmp_path: Path, store: Store) -> None:
    path = image_pdf(tmp_path / "handskrivet.pdf", [page_image(SCANNED_TEXT), scribble_image()])
    doc, chunks = process_file(path)
    assert [page.status for page in doc.pages] == [PAGE_OCR, PAGE_UNREADABLE]
    assert doc.pages[1].confidence is not None and doc.pages[1].confidence < ocr.MIN_CONFIDENCE
    assert chunks and all(chunk.page_end == 1 for chunk in chunks)
    report = sync([path], store, workers=1)
    assert report.ok and report.unreadable == [(str(path.resolve()), [2])]
    assert store.documents()[0]["unreadable"] == [2]


def test_missing_tesseract_fails_the_scanned_file_and_the_batch_goes_on(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "rapporter"
    folder.mkdir()
    report_pdf(folder / "rapport.pdf")
    image_pdf(folder / "skannad.pdf", [page_image(SCANNED_TEXT, dpi=100)], dpi=100)
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(tmp_path / "saknas" / "tesseract"))
    ocr.ocr_available.cache_clear()
    try:
        with pytest.raises(IngestError, match="tesseract-ocr-swe"):
            process_file(folder / "skannad.pdf")
        report = sync([folder], store, workers=1)
    finally:
        ocr.ocr_available.cache_clear()
    assert [Path(path).name for path in report.added] == ["rapport.pdf"]
    [(path, reason)] = report.failed
    assert Path(path).name == "skannad.pdf" and "Installera paketen tesseract-ocr" in reason


def test_usable_text_layer() -> None:
    assert usable_text([StyledLine("Nämnden beslutar", 11, False)])
    assert not usable_text([StyledLine("  12 ", 11, False)])  # no letters
    assert not usable_text([StyledLine("\ufffd\ufffd\ufffd\ufffd a", 11, False)])  # glyphs map to nothing
    assert not usable_text([])
    # a scan whose text layer only holds a stamped footer
    assert not usable_text([StyledLine("Justerandes signatur", 8, False)], image_share=0.9)
    assert usable_text([StyledLine("Bildtext under ett foto", 8, False)], image_share=0.3)


def test_blank_page_needs_no_ocr() -> None:
    assert is_blank(Image.new("L", (800, 1100), 255))
    assert not is_blank(page_image(SCANNED_TEXT))


def test_page_labels_from_the_pdf(tmp_path: Path) -> None:
    path = labelled_pdf(
        tmp_path / "etiketter.pdf",
        {0: {"style": PageLabelStyle.LOWERCASE_ROMAN}, 1: {"style": PageLabelStyle.DECIMAL, "start": 13}},
    )
    doc, chunks = process_file(path)
    assert [page.label for page in doc.pages] == ["i", "13"]
    second = next(chunk for chunk in chunks if "Sjukfrånvaron" in chunk.text)
    assert (second.page_start, second.page_label) == (2, "13")
    assert all(figure.page_label == "13" for figure in second.figures)


def test_page_labels_from_footers() -> None:
    def page(*texts: str) -> list[StyledLine]:
        return [StyledLine(text, 10, False, y=800 - 30 * index) for index, text in enumerate(texts)]

    body = "Verksamheten har utvecklats enligt plan under 2012 och 2013."
    cover = page("Årsredovisning 2012", body)
    numbered = [
        page("Försäkringskassans årsredovisning 2012 " + str(number), body, body) for number in (1, 2, 3)
    ]
    assert footer_labels([cover, cover, *numbered]) == [None, None, "1", "2", "3"]
    assert footer_labels([page(body, "SID 13"), page(body, "SID 14")]) == ["13", "14"]
    assert footer_labels([page(body, "2012"), page(body, "2012")]) == [None, None]  # a year, not a page
    # an unnumbered inserted page (a scan) shifts the numbering; a picture page inside a run keeps it
    minutes = [page(body, str(n)) for n in (1, 2)] + [page(body)] + [page(body, str(n)) for n in (3, 4)]
    assert footer_labels(minutes) == ["1", "2", None, "3", "4"]
    picture = [page(body, "7"), page(body, "8"), page("Bild"), page(body, "10")]
    assert footer_labels(picture) == ["7", "8", "9", "10"]
    assert 4 in number_candidates(["Sida 4 av 12"])
    assert 10 in number_candidates(["10 (26)"])
    assert 7 in number_candidates(["BUDGET.DOCX SID 7 (26)"])


def test_span_boxes_pick_the_lines_of_a_span() -> None:
    boxes = [Box(0, 20, 3, 0.1, 0.1, 0.9, 0.12), Box(21, 40, 3, 0.1, 0.13, 0.5, 0.15)]
    assert span_boxes(boxes, 25, 30) == [Box(25, 30, 3, 0.1, 0.13, 0.5, 0.15)]
    assert [box.y0 for box in span_boxes(boxes, 15, 25)] == [0.1, 0.13]
    assert span_boxes(boxes, 41, 50) == []
    assert span_boxes(boxes, 22, 24, shift=20) == [Box(2, 4, 3, 0.1, 0.13, 0.5, 0.15)]


def test_a_figure_on_a_chunks_second_page_is_cited_with_that_page() -> None:
    from rapportsok.index.results import Hit
    from rapportsok.ingest.records import Chunk, Document, Figure, Page

    text = "Intäkterna var 12 mnkr. Kostnaderna var 40 mnkr."
    boxes = [Box(0, 23, 4, 0.1, 0.9, 0.9, 0.92), Box(24, 48, 5, 0.1, 0.1, 0.9, 0.12)]
    doc = Document("r.pdf", "R", None, 5, pages=[Page(n, str(n + 10)) for n in range(1, 6)])
    figures = [
        Figure("AMOUNT", 12e6, "kr", "12 mnkr", "Intäkterna var 12 mnkr.", 15, 22, page=4),
        Figure("AMOUNT", 40e6, "kr", "40 mnkr", "Kostnaderna var 40 mnkr.", 16, 23, page=4),
    ]
    chunk = Chunk(text, "Ekonomi", 4, 5, 0, len(text), page_label="14", boxes=boxes, figures=figures)
    # a table row on the chunk's second page, whose words were not located
    row = Figure("AMOUNT", 7e6, "kr", "7", "Övrigt | 7", 10, 11, page=5)
    chunk.figures = [*figures, row]
    place_figures(doc, [chunk])
    assert [(f.page, f.page_label) for f in figures] == [(4, "14"), (5, "15")]
    assert (row.page, row.page_label) == (5, "15")
    # the same for what answers find in a passage at query time
    hit = Hit(1, "r.pdf", "R", None, 4, "Ekonomi", text, 1.0, page_label="14", boxes=boxes)
    assert hit.page_of(0, 10) == (4, "14")
    assert hit.page_of(40, 47) == (5, "15")
    roman = Hit(1, "r.pdf", "R", None, 4, "", text, 1.0, page_label="iv", boxes=boxes)
    assert roman.page_of(40, 47) == (5, None)
    assert Hit(1, "r.txt", "R", None, 1, "", text, 1.0).page_of(40, 47) == (1, None)


def test_locate_aligns_cleaned_text_with_page_words() -> None:
    def word(text: str, x: float, line: int) -> tuple[int, Word]:
        return 1, Word(text, x, 0.1 * line, x + 0.05, 0.1 * line + 0.02)

    words = [
        word("Sidhuvud", 0.1, 0),
        word("Det", 0.1, 1),
        word("in-", 0.2, 1),
        word("nebär", 0.1, 2),
        word("att", 0.2, 2),
        word("kostnaderna", 0.3, 2),
        word("ökar.", 0.4, 2),
    ]
    boxes = locate("Det innebär att kostnaderna ökar.", words)
    assert [(box.start, box.end) for box in boxes] == [(0, 11), (4, 33)]
    assert boxes[0].y0 == pytest.approx(0.1) and boxes[1].y0 == pytest.approx(0.2)
    assert locate("Helt annan text här", words) == []
    kept = [word("Ny", 0.1, 1), word("IT-", 0.2, 1), word("miljön", 0.1, 2), word("har", 0.2, 2)]
    assert [(box.start, box.end) for box in locate("Ny IT-miljön har", kept)] == [(0, 12), (3, 16)]


def test_a_word_pdfium_hyphenates_over_a_line_end_gets_a_box_on_each_line(tmp_path: Path) -> None:
    # pdfium reads "in-" / "nebär" as one word "in\ufffenebär" spanning both lines
    doc = read_document(report_pdf(tmp_path / "rapport.pdf"))
    words = [(1, word) for word in doc.pages[0].words]
    assert [word.text for _, word in words[12:15]] == ["Det", "in-", "nebär"]
    text = "Det innebär att kostnadsutvecklingen är lägre än under samma period föregående år."
    boxes = locate(text, words)
    assert [(box.start, box.end) for box in boxes] == [(0, 11), (4, 67), (61, len(text))]
    line_height = words[12][1].y1 - words[12][1].y0
    assert all(box.y1 - box.y0 < 1.5 * line_height for box in boxes)


@needs_tesseract
def test_pages_of_one_file_are_ocred_in_parallel_and_kept_in_order(tmp_path: Path) -> None:
    second = ["Tandvården för barn och unga kostade 4 miljoner kronor.", "Kollektivtrafiken växte."]
    path = image_pdf(tmp_path / "skannad.pdf", [page_image(SCANNED_TEXT), page_image(second)])
    ocr.set_threads(2)
    try:
        doc, chunks = process_file(path)
    finally:
        ocr.set_threads(None)
    assert [page.status for page in doc.pages] == [PAGE_OCR, PAGE_OCR]
    figures = {f.value: f for chunk in chunks for f in chunk.figures}
    assert {box.page for box in figures[12_000_000].boxes} == {1}
    assert {box.page for box in figures[4_000_000].boxes} == {2}
    text = " ".join(chunk.text for chunk in chunks)
    assert text.index("primärvården") < text.index("Tandvården")


def test_ocr_threads_follow_the_worker_pool_share() -> None:
    ocr.set_threads(3)
    try:
        assert ocr.ocr_threads() == 3
    finally:
        ocr.set_threads(None)
    assert ocr.ocr_threads() == (os.cpu_count() or 1)


def test_progress_counts_pages(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "rapporter"
    folder.mkdir()
    pdf_pages = len(PdfReader(report_pdf(folder / "rapport.pdf")).pages)
    write_report(folder, "notat.md", "kollektivtrafik")
    seen: list[tuple[int, int, int, int]] = []

    def progress(done: int, total: int, report: SyncReport) -> None:
        seen.append((done, total, report.pages_done, report.pages_todo))

    sync([folder], store, workers=1, on_progress=progress)
    assert pdf_pages > 1
    assert seen[0] == (0, 2, 0, pdf_pages + 1)  # a Markdown file counts as one page
    assert seen[-1] == (2, 2, pdf_pages + 1, pdf_pages + 1)
    assert sorted(pages for _, _, pages, _ in seen) == [pages for _, _, pages, _ in seen]


@needs_tesseract
def test_every_figure_of_a_ruled_shaded_table_is_read() -> None:
    # Tesseract's page layout drops a whole column of this table even with the rules taken out;
    # the unread column is read again as a block of its own.
    page = ocr.ocr_image(ruled_table_image())
    text = "\n".join(line.text for line in page.lines)
    for row in TABLE_ROWS:
        for cell in row:
            assert cell in text or cell.replace(" ", "") in text, cell
    assert page.confidence is not None and page.confidence >= ocr.MIN_CONFIDENCE


SCANNED_PAGES = [
    ["Nämnden beslutar att godkänna årsredovisningen för 2023."],
    ["Tandvården för barn och unga kostade 4 miljoner kronor."],
    ["Kollektivtrafiken växte med 3 procent."],
]


@needs_tesseract
def test_every_page_of_a_pdf_is_counted_as_it_is_read(tmp_path: Path) -> None:
    steps: list[int] = []
    pages, records = read_pdf_pages(mixed_pdf(tmp_path / "blandad.pdf"), lambda: steps.append(1))
    assert len(steps) == len(records) == 3 and records[1].status == PAGE_OCR


@needs_tesseract
def test_progress_moves_page_by_page_inside_a_scanned_file(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "rapporter"
    folder.mkdir()
    image_pdf(folder / "skannad.pdf", [page_image(lines) for lines in SCANNED_PAGES])
    seen: list[tuple[int, int, int, int]] = []

    def progress(done: int, total: int, report: SyncReport) -> None:
        seen.append((done, total, report.pages_done, report.pages_todo))

    sync([folder], store, workers=1, on_progress=progress)
    # before the file, after each of its three OCR'd pages, after the file
    assert seen == [(0, 1, 0, 3), (0, 1, 1, 3), (0, 1, 2, 3), (0, 1, 3, 3), (1, 1, 3, 3)]


@needs_tesseract
def test_progress_moves_page_by_page_in_the_worker_pool(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "rapporter"
    folder.mkdir()
    scan = image_pdf(folder / "skannad.pdf", [page_image(lines) for lines in SCANNED_PAGES])
    note = write_report(folder, "notat.md", "kollektivtrafik")
    seen: list[tuple[int, bool, bool]] = []

    def progress(done: int, total: int, report: SyncReport) -> None:
        written = {Path(path).name for path in report.added}
        seen.append((report.pages_done, scan.name in written, note.name in written))

    report = sync([folder], store, workers=2, on_progress=progress)
    assert report.workers == 2 and report.ok
    assert [pages for pages, _, _ in seen] == sorted(pages for pages, _, _ in seen)
    assert seen[-1] == (4, True, True)  # three pages and a Markdown file
    # pages of the scan were counted, sent from the worker, before the scan itself was written
    assert any(pages - note_written >= 1 and not scan_written for pages, scan_written, note_written in seen)


def test_ocr_benchmark_comparison_normalises_layout_but_counts_misreadings() -> None:
    reference = "• Kostnaden var 2 423 tkr – se\nKOMMUN-\nFULLMÄKTIGE 2019"
    # another reading order, case, dash, bullet, thousands spacing and hyphenation: no error
    assert page_error(reference, "kommunfullmäktige 2019\n- Kostnaden var 2423 tkr — se") == (0, 42)
    distance, length = page_error(reference, "Kostnaden var 2428 tkr se kommunfullmäktige 2019")
    assert distance == 1 and length == 42
