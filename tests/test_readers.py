"""Readers on files the tests generate: PDF (fpdf2), DOCX (python-docx), Markdown and plain text."""

from pathlib import Path

import docx
import pytest
from pdf_factory import (
    FOOTER,
    encrypted_pdf,
    footnote_pdf,
    kerned_split_pdf,
    noted_table_pdf,
    partly_scanned_pdf,
    report_pdf,
    textless_pdf,
    title_drawn_last_pdf,
)
from rapportsok.ingest.errors import IngestError
from rapportsok.ingest.pdf import (
    NoteMark,
    StyledLine,
    cover_title,
    drop_note_marks,
    heading_levels,
    mend_lines,
    note_spans,
    pdf_lines,
)
from rapportsok.ingest.pipeline import measure_ingest, process_file
from rapportsok.ingest.readers import SUPPORTED_SUFFIXES, read_document
from rapportsok.ingest.records import HEADING, LIST_ITEM, TABLE
from rapportsok.ingest.structure import build_blocks


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return report_pdf(tmp_path_factory.mktemp("pdf") / "rapport.pdf")


def test_pdf_pages_and_headings(report: Path) -> None:
    doc = read_document(report)
    assert doc.page_count == 2
    headings = [(b.text, b.page) for b in doc.blocks if b.kind == HEADING]
    assert headings == [("Ekonomisk översikt", 1), ("Personal och kompetens", 2)]
    assert {b.page for b in doc.blocks if "Sjukfrånvaron" in b.text} == {2}
    assert len(doc.sha256) == 64


def test_pdf_dehyphenation_keeps_real_hyphens(report: Path) -> None:
    text = read_document(report).text
    assert "Det innebär att" in text
    assert "samma period föregående" in text
    assert "in-" not in text and "nebär att" not in text.replace("innebär att", "")
    assert "hälso- och sjukvården" in text
    assert "2016-2018" in text and "IT-miljön" in text


def test_pdf_running_footer_and_counter_removed(report: Path) -> None:
    text = read_document(report).text
    assert FOOTER.split("|")[0].strip() not in text
    assert "(2)" not in text


def test_pdf_chunks_carry_pages_and_sections(report: Path) -> None:
    doc, chunks = process_file(report)
    assert [(c.section, c.page_start, c.page_end) for c in chunks] == [
        ("Ekonomisk översikt", 1, 1),
        ("Personal och kompetens", 2, 2),
    ]
    assert all(doc.text[c.char_start : c.char_end] == c.text for c in chunks)


def test_pdf_title_written_last_is_read_first(tmp_path: Path) -> None:
    doc = read_document(title_drawn_last_pdf(tmp_path / "sidtitel.pdf"))
    assert [(b.kind, b.text, b.level) for b in doc.blocks if b.kind == HEADING] == [
        (HEADING, "Kritik riktas till bolaget", 1),
        (HEADING, "Bedömning", 2),
    ]
    assert doc.blocks[0].text == "Kritik riktas till bolaget"


def test_cover_title_is_the_first_page_in_its_largest_font() -> None:
    body = [StyledLine("Nämnden redovisar ett resultat som är bättre än budget för året.", 10, False)] * 20
    cover = [
        StyledLine("Delårsrapport mars 2026", 28, False),
        StyledLine("nämnder och styrelser", 28, False),
        StyledLine("Nämnden för intraservice", 17, False),
        *body[:2],
    ]
    assert cover_title([cover, body]) == "Delårsrapport mars 2026 nämnder och styrelser"
    # no font clearly larger than the body's, or no sizes at all (an OCR'd cover): no title
    assert cover_title([body[:3], body]) is None
    assert cover_title([[StyledLine("Årsredovisning 2015", 0.0, False)], body]) is None
    # a whole paragraph in a large font is no title
    assert cover_title([[StyledLine(" ".join(["ord"] * 20), 20, False)], body]) is None


def test_a_pdf_without_a_title_page_takes_its_cover_title_not_its_file_name(tmp_path: Path) -> None:
    from rapportsok.ingest.metadata import apply_metadata

    path = title_drawn_last_pdf(tmp_path / "dokument_2024_v3.pdf")
    doc = apply_metadata(read_document(path), path, {})
    assert doc.title == "Kritik riktas till bolaget"


def test_pdf_with_a_scanned_page_keeps_its_text_pages(tmp_path: Path) -> None:
    doc, chunks = process_file(partly_scanned_pdf(tmp_path / "protokoll.pdf"))
    assert doc.page_count == 3
    assert [b.page for b in doc.blocks] == [1, 3]
    assert (chunks[0].page_start, chunks[-1].page_end) == (1, 3)


def _assert_refused(path: Path, words: str) -> None:
    with pytest.raises(IngestError) as caught:
        process_file(path)
    assert words in str(caught.value)


def test_corrupt_pdf(tmp_path: Path) -> None:
    path = tmp_path / "trasig.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage\n%%EOF")
    _assert_refused(path, "skadad")


def test_truncated_pdf(tmp_path: Path, report: Path) -> None:
    path = tmp_path / "avklippt.pdf"
    path.write_bytes(report.read_bytes()[:300])
    _assert_refused(path, "skadad")


def test_encrypted_pdf(tmp_path: Path, report: Path) -> None:
    _assert_refused(encrypted_pdf(tmp_path / "hemlig.pdf", report), "lösenordsskyddad")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "tom.pdf"
    path.write_bytes(b"")
    _assert_refused(path, "tom")


def test_textless_pdf(tmp_path: Path) -> None:
    _assert_refused(textless_pdf(tmp_path / "skannad.pdf"), "ingen läsbar text")


def test_unsupported_suffix(tmp_path: Path) -> None:
    path = tmp_path / "bild.png"
    path.write_bytes(b"\x89PNG")
    assert ".png" not in SUPPORTED_SUFFIXES
    _assert_refused(path, "stöds inte")


def test_markdown_headings_bold_and_tags(tmp_path: Path) -> None:
    path = tmp_path / "rapport.md"
    path.write_text(
        "# Regiondirektörens rapport\n\n## Aktuella händelser\n\n### <b>Öppen tidbok</b>\n\n"
        "Tandläkartidningen skriver om **Folktandvårdens** nya modell.\n\n"
        "- Fler patienter\n- Kortare köer\n\n**Resultat**\n\nFlödet ökade med 12 procent.\n",
        encoding="utf-8",
    )
    doc = read_document(path)
    assert [(b.text, b.level) for b in doc.blocks if b.kind == HEADING] == [
        ("Regiondirektörens rapport", 1),
        ("Aktuella händelser", 2),
        ("Öppen tidbok", 3),
        ("Resultat", 4),
    ]
    assert "**" not in doc.text and "<b>" not in doc.text
    assert "om Folktandvårdens nya modell." in doc.text
    assert [b.text for b in doc.blocks if b.kind == LIST_ITEM] == ["• Fler patienter", "• Kortare köer"]


def test_plain_text_form_feed_is_page_break(tmp_path: Path) -> None:
    path = tmp_path / "rapport.txt"
    path.write_text("Inledning\n\nFörsta sidans text.\fBakgrund\n\nAndra sidans text.\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.page_count == 2
    assert [(b.text, b.page) for b in doc.blocks if b.kind == HEADING] == [("Inledning", 1), ("Bakgrund", 2)]


def test_plain_text_in_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "gammal.txt"
    path.write_bytes("Årsrapport för hälso- och sjukvård.".encode("cp1252"))
    assert read_document(path).text == "Årsrapport för hälso- och sjukvård."


def test_docx_headings_and_tables_in_body_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Verksamhet och ekonomi", level=1)
    document.add_paragraph("Styrelsens ram för 2022 framgår av tabellen.")
    document.add_heading("Ekonomisk ram 2022", level=2)
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(
        table.rows,
        [["Mnkr", "2021", "2022"], ["Regionstyrelsen", "187", "110"], ["Summa", "199", "122"]],
        strict=True,
    ):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    document.add_paragraph("Ramen minskar med 110 mnkr.")
    document.add_heading("Investeringar", level=1)
    document.add_paragraph("Investeringsramen är 245 mnkr.")
    path = tmp_path / "plan.docx"
    document.save(str(path))
    doc = read_document(path)
    assert [(b.kind, b.level) for b in doc.blocks] == [
        (HEADING, 1),
        ("paragraph", 0),
        (HEADING, 2),
        (TABLE, 0),
        ("paragraph", 0),
        (HEADING, 1),
        ("paragraph", 0),
    ]
    assert doc.blocks[3].text == "Mnkr\t2021\t2022\nRegionstyrelsen\t187\t110\nSumma\t199\t122"
    _, chunks = process_file(path)
    table_chunk = [c for c in chunks if "Regionstyrelsen\t187" in c.text]
    assert len(table_chunk) == 1 and table_chunk[0].text.startswith("Ekonomisk ram 2022")
    assert table_chunk[0].section == "Verksamhet och ekonomi › Ekonomisk ram 2022"


def test_corrupt_docx(tmp_path: Path) -> None:
    path = tmp_path / "trasig.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    _assert_refused(path, "skadad")


def test_measure_ingest_counts_pages_chunks_and_failures(tmp_path: Path, report: Path) -> None:
    empty = tmp_path / "tom.txt"
    empty.write_text("", encoding="utf-8")
    numbers = measure_ingest([report, empty])
    assert (numbers["files"], numbers["failed"], numbers["pages"], numbers["chunks"]) == (2, 1, 2, 2)
    assert numbers["pages_per_s"] > 0 and numbers["chunks_per_s"] > 0


def _styled(text: str, size: float = 11.0, bold: bool = False) -> StyledLine:
    return StyledLine(text, size, bold)


BODY = "Nämnden har följt upp verksamheten under året och redovisar resultatet här."


def test_font_sizes_give_heading_levels() -> None:
    pages = [
        [_styled("Årsredogörelse 2024", 30), _styled("Granskning", 16), _styled(BODY), _styled(BODY)],
        [_styled("Bedömning", 16), _styled(BODY), _styled(BODY)],
    ]
    assert heading_levels(pages) == {16.0: 1, 30.0: 1}
    lines, styled = pdf_lines(pages)
    assert styled
    assert [(line.text, line.heading) for line in lines if line.heading] == [
        ("Årsredogörelse 2024", 1),
        ("Granskning", 1),
        ("Bedömning", 1),
    ]


def test_bold_lead_in_is_no_heading_but_two_line_bold_heading_is() -> None:
    pages = [
        [
            _styled("Inledning", 16),
            _styled("Skälen för regeringens förslag: Det finns", bold=True),
            _styled("skäl att ändra reglerna för behörighet."),
            _styled("Förutsättningarna för att bedriva ett ändamålsenligt", bold=True),
            _styled("brottsförebyggande arbete varierar", bold=True),
            _styled(BODY),
        ],
        [_styled("Bakgrund", 16), _styled(BODY)],
    ]
    lines, _ = pdf_lines(pages)
    assert [line.text for line in lines if line.heading == 2] == [
        "Förutsättningarna för att bedriva ett ändamålsenligt",
        "brottsförebyggande arbete varierar",
    ]
    blocks = build_blocks(lines, wrapped=True, guess_headings=False)
    assert (
        HEADING,
        "Förutsättningarna för att bedriva ett ändamålsenligt brottsförebyggande arbete varierar",
    ) in [(b.kind, b.text) for b in blocks]


def test_word_pypdf_breaks_at_a_kerning_pair_is_read_whole(tmp_path: Path) -> None:
    doc = read_document(kerned_split_pdf(tmp_path / "kerning.pdf"))
    assert "året 2009. Av de sökande barnen var 56 procent" in doc.blocks[0].text


def _on(text: str, y: float) -> StyledLine:
    return StyledLine(text, 10.0, False, y=y)


def test_mend_lines_joins_a_word_broken_on_one_baseline_only() -> None:
    # From a real annual report whose hyphen glyph is a soft hyphen.
    layout = "det är 16-17 år\r\n2009. Av de sökande barn\r\n2 234 2 364\r\nEU-land och e-post"
    lines = [
        _on("det är 16\xad17 år", 500),
        _on("2009. A", 490),
        _on("v de sökande barn", 490),
        _on("2 234", 480),  # cells of a table row: apart in the layout too
        _on("2 364", 480),
        _on("EU", 470),
        _on("\xadland och e\xad", 470),
        _on("post", 470),
        _on("nästa rad", 460),
    ]
    assert [line.text for line in mend_lines(lines, layout)] == [
        "det är 16\xad17 år",
        "2009. Av de sökande barn",
        "2 234",
        "2 364",
        "EU\xadland och e\xadpost",
        "nästa rad",
    ]
    # Glued figures in pdfium's text (labels of a chart) and lines on two baselines stay apart.
    assert len(mend_lines([_on("95", 300), _on("88", 300)], "9588")) == 2
    assert len(mend_lines([_on("2009. A", 300), _on("v de", 288)], "2009. Av de")) == 2


def test_mend_lines_closes_a_justification_gap_before_a_break_hyphen() -> None:
    # From gbg_stadsrevisionens_arsredogorelse_2024.pdf: pdfium marks the break with U+FFFE.
    layout = "kommunfullmäktige 22 förtro\ufffeendevalda revisorer, kostnader - se bilaga"
    lines = [_on("kommunfullmäktige 22 förtro -", 500), _on("kostnader -", 490)]
    mended = [line.text for line in mend_lines(lines, layout)]
    assert mended == ["kommunfullmäktige 22 förtro-", "kostnader -"]


def test_raised_footnote_references_are_not_glued_onto_figures_and_words(tmp_path: Path) -> None:
    doc = read_document(footnote_pdf(tmp_path / "fotnoter.pdf"))
    text = "\n".join(block.text for block in doc.blocks)
    assert "minskade till 2 534 236. Myndigheten lämnade en rapport till regeringen i maj 2011 och" in text
    assert "bloggen 43 000 27 000 12 000" in text and "12 00037" not in text
    assert "120 m2 för verksamheten" in text  # a power after a unit is no footnote
    assert "var 4 125 och 12 procent" in text  # figures in body text keep their digits
    words = [word.text for word in doc.pages[0].words]
    assert "236." in words and "rapport" in words and "m2" in words and "23622." not in words


def test_drop_note_marks_cuts_the_digits_after_their_context_only() -> None:
    lines = [_on("Summa 201130 kr", 500), _on("gjorde vi i maj 201130 och", 490), _on("rapport2", 480)]
    marks = [NoteMark("viimaj2011", "30"), NoteMark("enrapport", "2"), NoteMark("okänd", "7")]
    assert [line.text for line in drop_note_marks(lines, marks)] == [
        "Summa 201130 kr",
        "gjorde vi i maj 2011 och",
        "rapport",  # the line starts inside the context: its last characters suffice
    ]
    # digits that go on in pypdf's line are part of a longer number, not the reference
    assert drop_note_marks([_on("i maj 2011305", 500)], marks[:1])[0].text == "i maj 2011305"


def test_a_footnote_reference_after_a_space_goes_with_the_space() -> None:
    # "verksamhet ²." and "– ⁷" (no figure, see note 7): the reference is raised after a space.
    text = "verksamhet 2. Detta – 7 96 och 120 m 2 här"
    raised = {text.index("2."), text.index("7"), text.rindex("2")}
    glyphs = [(6.0, 503.0) if at in raised else (10.0, 500.0) for at in range(len(text))]
    spans = note_spans(text, lambda at: None if text[at].isspace() else glyphs[at], lambda _: True)
    assert [text[start:end] for start, end in spans] == ["2", "7"]  # "m 2" is a power
    lines = [_on("verksamhet 2. Detta", 500), _on("Tandvård 100 – 7 96", 490)]
    marks = [NoteMark("verksamhet", "2"), NoteMark("100–", "7")]
    assert [line.text for line in drop_note_marks(lines, marks)] == ["verksamhet. Detta", "Tandvård 100 – 96"]


def test_footnote_references_in_ruled_table_cells_are_cut(tmp_path: Path) -> None:
    doc = read_document(noted_table_pdf(tmp_path / "noter.pdf"))
    rows = {row.label: row.cells for table in doc.tables for row in table.rows}
    assert rows["Sjukpenning"] == ["1 200", "2 534 236"]
    assert rows["Tandvård"] == ["1 200", "-"]  # no figure, not a negative 7
    assert rows["Barnbidrag"] == ["3 400", "3 500"]
