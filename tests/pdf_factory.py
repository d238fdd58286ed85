"""Build small PDFs for reader tests with fpdf2 (a real PDF writer), so no sample PDF is committed."""

from __future__ import annotations

from pathlib import Path
from random import Random

import pypdfium2 as pdfium
from fpdf import FPDF
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

FOOTER = "Region Testbotten | Månadsrapport till styrelsen"


class _Report(FPDF):
    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        self.cell(0, 5, FOOTER, align="L")
        self.cell(0, 5, f"{self.page_no()} ({{nb}})", align="R")


def _lines(pdf: FPDF, lines: list[str]) -> None:
    pdf.set_font("Helvetica", size=11)
    for line in lines:
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")


def report_pdf(path: Path) -> Path:
    """Two pages: a heading, a paragraph with a hyphenated line break, a running footer with counter."""
    pdf = _Report()
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=16)
    pdf.cell(0, 10, "Ekonomisk översikt", new_x="LMARGIN", new_y="NEXT")
    _lines(
        pdf,
        [
            "Resultatet för perioden är 42 miljoner kronor bättre än budget. Det in-",
            "nebär att kostnadsutvecklingen är lägre än under samma pe-",
            "riod föregående år. Arbetet inom hälso- och sjukvården fortsätter",
            "enligt plan för 2016-2018 och IT-miljön har förstärkts under året.",
        ],
    )
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=16)
    pdf.cell(0, 10, "Personal och kompetens", new_x="LMARGIN", new_y="NEXT")
    _lines(
        pdf,
        [
            "Antalet anställda har ökat med 120 personer jämfört med föregående",
            "år. Sjukfrånvaron har minskat till 5,1 procent under perioden.",
        ],
    )
    pdf.output(str(path))
    return path


def textless_pdf(path: Path) -> Path:
    """A page with only a drawn rectangle, like a scanned page without a text layer."""
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    pdf.output(str(path))
    return path


def encrypted_pdf(path: Path, source: Path) -> Path:
    """`source` encrypted with a user password."""
    writer = PdfWriter()
    for page in PdfReader(source).pages:
        writer.add_page(page)
    writer.encrypt(user_password="hemligt", owner_password="hemligare")
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def title_drawn_last_pdf(path: Path) -> Path:
    """A page whose title the PDF writes after the body text, though it is printed at the top."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_xy(10, 40)
    _lines(pdf, ["Stadsrevisionen har granskat hur bolaget hanterade ärendet under året."])
    pdf.set_font("Helvetica", style="B", size=12)
    pdf.cell(0, 8, "Bedömning", new_x="LMARGIN", new_y="NEXT")
    _lines(pdf, ["Revisorerna riktar kritik till styrelsen i form av en erinran."])
    pdf.set_xy(10, 12)
    pdf.set_font("Helvetica", style="B", size=18)
    pdf.cell(0, 10, "Kritik riktas till bolaget")
    pdf.output(str(path))
    return path


def partly_scanned_pdf(path: Path) -> Path:
    """Three pages; the middle one has no text layer, like a scanned page in committee minutes."""
    pdf = FPDF()
    pages = [
        "Nämnden beslutar att godkänna förslaget från förvaltningen.",
        "",
        "Protokollet justeras digitalt.",
    ]
    for text in pages:
        pdf.add_page()
        if text:
            _lines(pdf, [text])
        else:
            pdf.rect(20, 20, 150, 200, style="F")
    pdf.output(str(path))
    return path


SCANNED_TEXT = [
    "Nämnden beslutar att godkänna årsredovisningen för 2023.",
    "Kostnaderna för hälso- och sjukvården ökade med 12 miljoner",
    "kronor under året, främst inom primärvården.",
]


def page_image(lines: list[str], dpi: int = 200) -> Image.Image:
    """A 'scanned' A4 page: `lines` typeset by fpdf2 and rendered to a greyscale image (pypdfium2),
    so the test needs no system font with å, ä and ö."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=13)
    for line in lines:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    document = pdfium.PdfDocument(bytes(pdf.output()))
    return document[0].render(scale=dpi / 72, grayscale=True).to_pil()


def scribble_image(rows: int = 4, dpi: int = 200, seed: int = 1) -> Image.Image:
    """A page of zigzag strokes, like handwriting OCR cannot read."""
    random = Random(seed)
    image = Image.new("L", (int(8.27 * dpi), int(11.69 * dpi)), 255)
    draw = ImageDraw.Draw(image)
    for row in range(rows):
        x, y = 150, 250 + row * 100
        while x < image.width - 300:
            points = [(x + step * 10, y + random.randint(-20, 20)) for step in range(random.randint(4, 10))]
            draw.line(points, fill=0, width=4)
            x = points[-1][0] + random.randint(25, 50)
    return image


def image_pdf(path: Path, images: list[Image.Image], dpi: int = 200) -> Path:
    """A PDF of images only (no text layer), as a scanner writes it (Pillow's PDF writer)."""
    images[0].save(path, save_all=True, append_images=images[1:], resolution=dpi)
    return path


def mixed_pdf(path: Path) -> Path:
    """Three pages: text, a scanned image of text, text again."""
    pdf = _Report()
    pdf.alias_nb_pages()
    pdf.add_page()
    _lines(pdf, ["Förvaltningen redovisar uppföljningen av budgeten för året."])
    pdf.add_page()
    pdf.image(page_image(SCANNED_TEXT), x=0, y=0, w=pdf.w, h=pdf.h)
    pdf.add_page()
    _lines(pdf, ["Protokollet justeras digitalt."])
    pdf.output(str(path))
    return path


def labelled_pdf(path: Path, labels: dict[int, dict]) -> Path:
    """`report_pdf` with /PageLabels: {first page index: pypdf set_page_label arguments}."""
    writer = PdfWriter(clone_from=report_pdf(path))
    for index, arguments in labels.items():
        writer.set_page_label(index, index, **arguments)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def table_pdf(path: Path) -> Path:
    """One page with a caption and a ruled table (fpdf2's table(): cell borders drawn as lines),
    amounts in tkr, negative values with a minus sign."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 8, "Ekonomi (tkr)", new_x="LMARGIN", new_y="NEXT")
    rows = [
        ("Ekonomi (tkr)", "Bokslut 2024", "Bokslut 2025"),
        ("Intäkter", "10 135", "11 251"),
        ("Kostnader", "-69 731", "-73 300"),
        ("Nettokostnader", "-59 596", "-62 049"),
        ("Budgetavvikelse", "93", "1 070"),
    ]
    with pdf.table(borders_layout="ALL", first_row_as_headings=False) as table:
        for row in rows:
            cells = table.row()
            for cell in row:
                cells.cell(cell)
    pdf.output(str(path))
    return path


TABLE_ROWS = [
    ("Enhet", "Utfall", "Budget", "Avvikelse"),
    ("Vårdcentral Norr", "2 423", "0", "2 423"),
    ("Vårdcentral Syd", "-591", "-1 000", "409"),
    ("Tandvården", "638", "500", "138"),
    ("Summa", "2 470", "-500", "2 970"),
]


def ruled_table_image(dpi: int = 300) -> Image.Image:
    """A 'scanned' page with a ruled table of figures: every cell bordered, the figure columns
    shaded light grey, the figures set against the cells' right borders."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.set_fill_color(235)
    for row in TABLE_ROWS:
        pdf.cell(60, 7, row[0], border=1)
        for text in row[1:]:
            pdf.cell(30, 7, text, border=1, align="R", fill=True)
        pdf.ln()
    document = pdfium.PdfDocument(bytes(pdf.output()))
    return document[0].render(scale=dpi / 72, grayscale=True).to_pil()


def continued_table_pdf(path: Path, rows: int = 70) -> Path:
    """A ruled table in tkr that runs over a page break without repeating its header (fpdf2's
    table() breaks it; no heading rows): the second page starts with the table's rows."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 8, "Investeringar per projekt (tkr)", new_x="LMARGIN", new_y="NEXT")
    # Labels that differ in words, not only in digits (repeated lines at a page's top or bottom
    # are taken for running headers).
    places = ("Norr", "Söder", "Öster", "Väster", "Centrum", "Strand", "Berg", "Dal", "Skog", "Äng")
    kinds = ("Skola", "Bibliotek", "Simhall", "Gata", "Park", "Bro", "Hamn", "Torg")
    labels = [f"{kind} {place}" for kind in kinds for place in places][:rows]
    with pdf.table(borders_layout="ALL", first_row_as_headings=False) as table:
        for row in [("Projekt", "Budget 2027", "Plan 2028")] + [
            (label, f"{n} 100", f"-{n},5") for n, label in enumerate(labels, start=1)
        ]:
            cells = table.row()
            for cell in row:
                cells.cell(cell)
    pdf.output(str(path))
    return path


def rules_without_table_pdf(path: Path) -> Path:
    """Two pages of table-like rows (label and amounts) that no ruled grid holds: the first with
    only a horizontal rule under its header row, the second with no rules at all."""
    pdf = FPDF()
    for rule in (True, False):
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        for row in TABLE_ROWS:
            pdf.cell(60, 7, row[0])
            for text in row[1:]:
                pdf.cell(30, 7, text, align="R")
            pdf.ln()
            if rule and row is TABLE_ROWS[0]:
                pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + 150, pdf.get_y())
    pdf.output(str(path))
    return path


def rotated_pdf(path: Path, source: Path, degrees: int = 90) -> Path:
    """The pages of `source`, each turned by `degrees` (the page's /Rotate)."""
    writer = PdfWriter(clone_from=PdfReader(source))
    for page in writer.pages:
        page.rotate(degrees)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


UNRULED_TABLE_LINES = [
    "Tabell 1 Förvaltningskostnader per kostnadsslag,",
    "miljoner kronor (löpande priser)",
    "Kostnadsslag 2010 2011 2012",
    "Personal 5 733 5 737 6 090",
    "Lokaler 665 643 646",
    "Totalt 6 398 6 380 6 736",
]


def unruled_table_pdf(path: Path) -> Path:
    """One page of prose with a table printed without ruling lines (columns set apart by spaces
    only, as many annual reports print them), then more prose."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=16)
    pdf.cell(0, 10, "Kostnader och finansiering", new_x="LMARGIN", new_y="NEXT")
    _lines(pdf, ["Myndighetens kostnader ökade under året, främst för personal.", ""])
    _lines(pdf, UNRULED_TABLE_LINES)
    _lines(pdf, ["", "Kostnaderna för lokaler minskade något jämfört med 2010 och 2011."])
    pdf.output(str(path))
    return path


def overflowing_table_pdf(path: Path) -> Path:
    """One page with a ruled table whose texts run over the column rules, as a narrow column set
    in a font too wide for it: the header "Bokslut 2024" and the figure "56 945" of its column
    cross the rule on their right by a letter (drawn lines, text placed by position)."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.text(20, 20, "Statistik")
    edges = [20.0, 70.0, 90.0, 120.0]
    tops = [30.0, 38.0, 46.0, 54.0]
    for x in edges:
        pdf.line(x, tops[0], x, tops[-1])
    for y in tops:
        pdf.line(edges[0], y, edges[-1], y)
    rows = [
        ("Statistik", "Bokslut 2024", "Bokslut 2025"),
        ("Museet", "56 945", "62 014"),
        ("Biblioteket", "31 200", "30 950"),
    ]
    for (label, first, second), top in zip(rows, tops, strict=False):
        pdf.text(edges[0] + 1, top + 5.5, label)
        # right of the first figure column's rule by about one letter's width
        pdf.text(edges[2] - pdf.get_string_width(first) + 1.2, top + 5.5, first)
        pdf.text(edges[3] - pdf.get_string_width(second) - 1, top + 5.5, second)
    pdf.output(str(path))
    return path


def kerned_split_pdf(path: Path) -> Path:
    """A page whose content stream moves the text matrix to the line above and back between the
    two glyphs of a kerning pair, as some layout programs write it: pypdf breaks the line inside
    the word ("2009. A" / "v de sökande …"), pdfium reads it whole. Written by hand (pypdf) because
    no PDF writer emits this on purpose."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    # "2009. A" is 34.47 pt wide in 10 pt Helvetica: the Td lands right after the "A".
    content = (
        "BT /F1 1 Tf 10 0 0 10 72 700 Tm (Antalet asylsökande barn ökade under hela året) Tj "
        "0 -1.25 Td (2009. A) Tj 10 0 0 10 72 700 Tm 3.447 -1.25 Td (v de sökande barnen var 56 procent) Tj "
        "-3.447 -1.25 Td (pojkar och 44 procent flickor.) Tj ET"
    )
    stream = DecodedStreamObject()
    stream.set_data(content.encode("cp1252"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    with path.open("wb") as out:
        writer.write(out)
    return path


def footnote_pdf(path: Path) -> Path:
    """A page whose footnote references are set raised and small right after a word or a figure
    (fpdf2's superscript, as word processors set them), next to an area in m² and a table row
    whose last cell carries a reference."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)

    def raised(text: str) -> None:
        pdf.char_vpos = "SUP"
        pdf.write(6, text)
        pdf.char_vpos = "LINE"

    pdf.write(6, "Antalet utandningsprov minskade till 2 534 236")
    raised("22")
    pdf.write(6, ". Myndigheten lämnade en rapport")
    raised("2")
    pdf.ln(6)
    pdf.write(6, "till regeringen i maj 2011")
    raised("30")
    pdf.write(6, " och byggde en lokal på 120 m")
    raised("2")
    pdf.write(6, " för verksamheten.")
    pdf.ln(10)
    pdf.write(6, "Besökare på bloggen 43 000 27 000 12 000")
    raised("37")
    pdf.ln(10)
    pdf.write(6, "Antalet vägda prov var 4 125 och 12 procent av dem var positiva.")
    pdf.output(str(path))
    return path


def noted_table_pdf(path: Path) -> Path:
    """A ruled table whose cells carry footnote references set raised and small, one right after a
    figure ("2 534 236²²") and one after a space after a dash ("- ⁷": no figure, see note 7)."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    rows = [
        ("Förmån", "2011", "2012"),
        ("Sjukpenning", "2 534 236", "22"),
        ("Tandvård", "- ", "7"),
        ("Barnbidrag", "3 400", "3 500"),
    ]
    for label, first, second in rows:
        pdf.cell(60, 8, label, border=1)
        if label in ("Förmån", "Barnbidrag"):
            pdf.cell(40, 8, first, border=1)
            pdf.cell(40, 8, second, border=1, new_x="LMARGIN", new_y="NEXT")
            continue
        pdf.cell(40, 8, "1 200", border=1)
        pdf.cell(40 - 6, 8, first, border="LTB", align="R")
        pdf.char_vpos = "SUP"
        pdf.cell(6, 8, second, border="RTB")
        pdf.char_vpos = "LINE"
        pdf.ln(8)
    pdf.output(str(path))
    return path


def rule_closed_tables_pdf(path: Path) -> Path:
    """Two ruled tables on one page in the way some annual reports draw them: the years and a
    line of column words printed above the box, the first two rows boxed cell by cell, the last
    row closed by a horizontal rule only; one unit line ("tusen kronor") over the first caption;
    the tables drawn before their captions."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=8)
    columns = (50, 200, 290, 380)
    tables = (
        (
            "Kostnader per år",
            [("Personal", "1 200", "1 100"), ("Lokaler", "300", "280"), ("Summa", "1 500", "1 380")],
        ),
        (
            "Intäkter per år",
            [("Avgifter", "2 400", "2 250"), ("Bidrag", "640", "600"), ("Summa", "3 040", "2 850")],
        ),
    )
    for index, (_, rows) in enumerate(tables):
        top = 110 + 200 * index
        pdf.text(250, top - 16, "2008")
        pdf.text(330, top - 16, "2007")
        pdf.text(250, top - 4, "utfall")
        pdf.text(330, top - 4, "utfall")
        for at, row in enumerate(rows):
            y = top + 18 * at
            if at < 2:
                for left, right in zip(columns, columns[1:], strict=False):
                    pdf.rect(left, y, right - left, 18)
            else:
                pdf.line(columns[0], y + 18, columns[-1], y + 18)
            for left, text in zip(columns, row, strict=False):
                pdf.text(left + 4, y + 12, text)
    for index, (caption, _) in enumerate(tables):
        pdf.text(50, 110 + 200 * index - 34, caption)
    pdf.text(50, 110 - 48, "tusen kronor")
    pdf.output(str(path))
    return path
