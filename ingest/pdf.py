"""PDF reader (pypdf, pypdfium2, OCR): lines with page numbers, headings from font sizes, word boxes.

pypdf reports the font of every text run, so a line set clearly larger than
the body text (or short and bold) is marked as a heading here; the text rules
in `ingest.structure` are only the fallback for PDFs without such styling.

A page whose text layer is missing or unusable (no letters, glyphs that map to
nothing) is rendered with pypdfium2 and read by OCR (`ingest.ocr`); a page OCR
cannot read well enough is marked unreadable and left out. pypdfium2 also gives
the word boxes of text pages, so passages can be found on the page later, and the
size and baseline of each glyph, so footnote references that pypdf glues onto the
word or figure before them ("2 534 236²²" read as "2 534 23622") are cut.
"""

from __future__ import annotations

import ctypes
import logging
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL.Image import Image
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError, PyPdfError
from rapportsok.ingest.cleanup import (
    bullet_text,
    drawn_hyphens,
    ends_sentence,
    furniture_mask,
    starts_continuation,
)
from rapportsok.ingest.errors import IngestError
from rapportsok.ingest.ocr import DPI, MIN_CONFIDENCE, OcrPage, ocr_images, require_ocr
from rapportsok.ingest.page_labels import page_labels
from rapportsok.ingest.records import PAGE_OCR, PAGE_UNREADABLE, Page, Word
from rapportsok.ingest.structure import SourceLine

CORRUPT = "Filen är skadad och kan inte läsas som PDF"
ENCRYPTED = "PDF-filen är krypterad/lösenordsskyddad och kan inte läsas"
NO_PAGES = "PDF-filen har inga sidor"
NO_TEXT = "PDF-filen innehåller ingen läsbar text (inte heller med OCR)"
MIN_LETTERS = 20
# A text layer is unusable when most of its glyphs map to nothing: replacement and control
# characters, or pdfminer-style "(cid:12)" leftovers.
_UNMAPPED_RE = re.compile(r"[\ufffd\x00-\x08\x0b\x0c\x0e-\x1f]|\(cid:\d+\)")
MAX_UNMAPPED_SHARE = 0.3
# A scanned page may carry a little real text (a stamped footer, a register number): a page whose
# text layer has fewer letters than this while one image covers most of it is OCR'd as a whole.
SCAN_MAX_LETTERS = 200
SCAN_MIN_IMAGE_SHARE = 0.5
# A rendered page with less dark ink than this share of its pixels is blank: nothing to OCR.
BLANK_MAX_INK = 0.0005
HEADING_SCALE = 1.15  # a heading font is at least this much larger than the body font
MAX_LEVEL = 3
MAX_HEADING_WORDS = 14
MAX_BOLD_HEADING_WORDS = 10
MIN_STYLED_HEADINGS = 2  # fewer font-marked headings than this: fall back to text rules
_BOLD_FONT_RE = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
SAME_BASELINE = 0.1  # two runs share a baseline when their heights differ by less (share of the font size)
SPLIT_CONTEXT = 12  # characters on each side of a suspected broken word compared with pdfium's text
_SPACE_RE = re.compile(r"\s+")
# A line-final hyphen after a space and a letter: "förtro -" (not "2016 -", not "kostnader –").
_SPACED_BREAK_RE = re.compile(r"(?<=[^\W\d_]) -\s*$")
# A footnote reference is drawn smaller than the text it follows and raised above its baseline.
NOTE_SHRINK = 0.85  # at most this share of the font size of the character before it
NOTE_RISE = 0.15  # its baseline at least this share of that font size higher, and less than one size
NOTE_CONTEXT = 4  # non-space characters before a note that must match pypdf's line (fewer at a line start)
# "m²", "km³", "CO₂" drawn raised: a power after a unit of one or two letters is no footnote.
_UNIT_POWER_RE = re.compile(r"(?<![^\W\d_])[^\W\d_]{1,2}$")
_POWERS = ("2", "3")
Glyph = tuple[float, float]  # a character's font size on the page and its baseline height


@dataclass
class StyledLine:
    """One extracted line of a PDF page with the font size and weight of most of its characters."""

    text: str
    size: float  # 0 = unknown (OCR lines): never a font-marked heading
    bold: bool
    y: float = 0.0  # baseline height on the page (larger = higher up)
    x: float = 0.0  # where its first text starts across the page
    gap_before: bool = False  # OCR found a new paragraph here
    starts_table: bool = False  # the header row of a table read from unruled text (`ingest.text_tables`)


# pypdf logs every malformed object it repairs; those are not the user's concern.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def _open(path: Path) -> PdfReader:
    """An open, decrypted reader (an empty user password is tried, as viewers do)."""
    try:
        reader = PdfReader(path)
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as error:
        raise IngestError(CORRUPT, str(path)) from error
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except (PyPdfError, NotImplementedError, ValueError, KeyError, TypeError) as error:
            raise IngestError(ENCRYPTED, str(path)) from error
        if not opened:
            raise IngestError(ENCRYPTED, str(path))
    return reader


def _page_lines(page) -> list[StyledLine]:
    """The page's lines as pypdf extracts them, each with its font size and boldness.

    pypdf reports every text run to a visitor; the runs concatenate to exactly
    the extracted text, so each line gets the size of most of its characters.
    """
    runs: list[tuple[str, float, bool, float, float]] = []

    def visit(text, cm, tm, font, size) -> None:
        scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3]) if tm and cm else 1.0
        y = tm[5] * cm[3] + cm[5] if tm and cm else 0.0
        x = tm[4] * cm[0] + cm[4] if tm and cm else 0.0
        name = str((font or {}).get("/BaseFont", ""))
        runs.append((text, round(size * scale * 2) / 2, bool(_BOLD_FONT_RE.search(name)), y, x))

    page.extract_text(visitor_text=visit)
    lines: list[StyledLine] = []
    parts: list[tuple[str, float, bool, float, float]] = []

    def close() -> None:
        text = "".join(part[0] for part in parts)
        weights: Counter[tuple[float, bool]] = Counter()
        for part, size, bold, _, _ in parts:
            weights[(size, bold)] += sum(not ch.isspace() for ch in part)
        size, bold = weights.most_common(1)[0][0] if weights else (0.0, False)
        y, x = next(((part[3], part[4]) for part in parts if part[0].strip()), (0.0, 0.0))
        lines.append(StyledLine(text, size, bold, y, x))

    for text, size, bold, y, x in runs:
        pieces = text.split("\n")
        for index, piece in enumerate(pieces):
            if index:
                close()
                parts = []
            if piece:
                parts.append((piece, size, bold, y, x))
    close()
    return lines


@dataclass(frozen=True)
class NoteMark:
    """A footnote reference pdfium sees drawn raised and small right after a word or a figure
    ("236²²", "2011³⁰"): its digits and the characters before it on its line (spaces removed,
    as `_glyph_key`), to find the same digits in pypdf's line, where they are glued on."""

    before: str
    digits: str


def _glyph_key(text: str) -> str:
    """Text as both extractors agree on it: compatibility forms, no whitespace, a drawn soft
    hyphen as "-" (pdfium writes "-" mid-line and its mark U+FFFE at a line-end break)."""
    return _SPACE_RE.sub("", drawn_hyphens(unicodedata.normalize("NFKC", text)))


def _split_word(prev: StyledLine, line: StyledLine, layout: str, layout_key: str) -> bool:
    """Whether `line` goes on the word that ends `prev` (see `mend_lines`)."""
    left, right = prev.text, line.text
    if not left or not right or left[-1].isspace() or right[0].isspace():
        return False
    if left[-1].isdigit() and right[0].isdigit():
        return False  # pdfium glues the labels of a chart ("95" "88" → "9588"): figures stay apart
    if abs(prev.y - line.y) > SAME_BASELINE * max(prev.size, line.size, 1.0):
        return False
    tail, head = " ".join(left.split())[-SPLIT_CONTEXT:], " ".join(right.split())[:SPLIT_CONTEXT]
    glued = _glyph_key(tail + head)
    return bool(_glyph_key(tail)) and glued in layout_key and drawn_hyphens(f"{tail} {head}") not in layout


def _closed_break(text: str, layout: str) -> str:
    """`text` with the space before its line-final hyphen removed when pdfium's layout has the
    hyphen right after the letter ("förtro -" → "förtro-"): pypdf read a justification gap as a space."""
    match = _SPACED_BREAK_RE.search(text)
    if not match:
        return text
    before = drawn_hyphens(" ".join(text[: match.start()].split())[-SPLIT_CONTEXT:])
    return text[: match.start()] + "-" if f"{before}-" in layout else text


def mend_lines(lines: list[StyledLine], layout: str) -> list[StyledLine]:
    """The page's lines with two pypdf misreadings repaired from pdfium's glyph positions.

    `layout` is the page's text as pdfium places it (by glyph positions).
    1. Some exports move the text matrix to the line above and back between two
       glyphs of one word (a kerning pair: "(2009. A)Tj … Tm … Td (v de sökande)");
       pypdf then starts a new line in the middle of the word, and the paragraph join
       makes "A v de sökande", "Sk olverket". A line that goes on on the previous
       one's baseline, with no space at the break, is joined back when the layout has
       the two sides glued together and not set apart by a space (two cells of a table
       row on one baseline stay apart).
    2. pypdf reads the gap before a line-final hyphen in justified text as a space
       ("förtro -" + "endevalda"), so the hyphen join does not see a broken word; the
       space goes when the layout has the hyphen right after the letter. (In text
       alone "kostnader -" may end on a dash, see `cleanup.hyphen_join`.)
    """
    layout_key = _glyph_key(layout)
    layout = drawn_hyphens(" ".join(layout.replace("\ufffe", "-").split()))
    result: list[StyledLine] = []
    for line in lines:
        if result and _split_word(result[-1], line, layout, layout_key):
            prev = result[-1]
            longer = prev if len(prev.text.strip()) >= len(line.text.strip()) else line
            result[-1] = replace(longer, text=prev.text + line.text, y=prev.y)
        else:
            result.append(line)
    return [replace(line, text=_closed_break(line.text, layout)) for line in result]


def _note_span(text: str, mark: NoteMark) -> tuple[int, int] | None:
    """Where `mark`'s digits stand in the line `text` (start, end): right after its whole context,
    or after the context's last characters at the start of a line that begins inside it."""
    keys: list[str] = []
    places: list[int] = []
    for place, char in enumerate(text):
        for key in _glyph_key(char):
            keys.append(key)
            places.append(place)
    key = "".join(keys)
    for size in range(len(mark.before), min(NOTE_CONTEXT, len(mark.before)) - 1, -1):
        needle = mark.before[len(mark.before) - size :] + mark.digits
        found = key.find(needle) if size == len(mark.before) else (0 if key.startswith(needle) else -1)
        while found >= 0:
            first = found + size
            start, last = places[first], places[first + len(mark.digits) - 1]
            if last - start == len(mark.digits) - 1 and not text[last + 1 : last + 2].isdigit():
                return start, last + 1
            found = key.find(needle, found + 1) if size == len(mark.before) else -1
    return None


def drop_note_marks(lines: list[StyledLine], marks: list[NoteMark]) -> list[StyledLine]:
    """The page's lines without the footnote references pdfium found (`_note_marks`).

    pypdf glues a raised footnote digit onto the word or figure before it: "2 534 236²²" reads
    "2 534 23622", "2011³⁰" reads "201130" and "rapport²" reads "rapport2", so a figure is wrong
    and a word is not found. Each mark's digits are cut where they follow its context in a line.
    """
    result = list(lines)
    for mark in marks:
        for at, line in enumerate(result):
            span = _note_span(line.text, mark)
            if span:
                start, end = span
                if line.text[start - 1 : start].isspace():
                    start -= 1  # "verksamhet ². Detta", "100 ² 96": the space before goes with it
                result[at] = replace(line, text=line.text[:start] + line.text[end:])
                break
    return result


def usable_text(lines: list[StyledLine], image_share: float = 0.0) -> bool:
    """Whether a page's text layer can be used: it has letters, most glyphs map to characters,
    and it is not a scan (`image_share`: how much of the page its largest image covers) that
    carries only a few words of real text."""
    text = "".join(line.text for line in lines)
    letters = sum(ch.isalpha() for ch in text)
    unmapped = sum(len(match) for match in _UNMAPPED_RE.findall(text))
    scanned = image_share >= SCAN_MIN_IMAGE_SHARE and letters < SCAN_MAX_LETTERS
    return letters > 0 and unmapped <= MAX_UNMAPPED_SHARE * max(1, len(text.strip())) and not scanned


def image_share(page: pdfium.PdfPage) -> float:
    """The share of the page (0-1) that its largest image covers."""
    width, height = page.get_size()
    largest = 0.0
    for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, bottom, right, top = image.get_bounds()
        covered = (min(right, width) - max(left, 0)) * (min(top, height) - max(bottom, 0))
        largest = max(largest, covered)
    return largest / (width * height) if width and height else 0.0


def _glyph(textpage: pdfium.PdfTextPage, index: int) -> Glyph | None:
    """A character's font size on the page and its baseline height; None for text that is not
    upright (a rotated label has no baseline to compare)."""
    matrix = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFText_GetMatrix(textpage.raw, index, matrix):
        return None
    if abs(matrix.b) > 1e-6 or abs(matrix.c) > 1e-6 or matrix.d <= 0:
        return None
    x, y = ctypes.c_double(), ctypes.c_double()
    if not pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, x, y):
        return None
    return pdfium_c.FPDFText_GetFontSize(textpage.raw, index) * matrix.d, y.value


def _raised(host: Glyph | None, glyph: Glyph | None) -> bool:
    """Whether `glyph` is set as a footnote reference after `host`: smaller and raised."""
    if host is None or glyph is None:
        return False
    rise = glyph[1] - host[1]
    return glyph[0] <= NOTE_SHRINK * host[0] and NOTE_RISE * host[0] <= rise < host[0]


def _host(text: str, index: int) -> int:
    """The character a footnote reference at `index` follows: the one before it, spaces skipped."""
    host = index - 1
    while host > 0 and text[host] == " ":
        host -= 1
    return host


def note_spans(
    text: str, glyph: Callable[[int], Glyph | None], maybe: Callable[[int], bool]
) -> list[tuple[int, int]]:
    """Where the footnote references of `text` stand: (start, end) of each run of digits.

    A reference is a run of digits right after a word or a figure, or a space after one ("– ⁷"
    in a table: no result, see note 7), smaller than that character and raised above its
    baseline, and followed by a space or by text on the baseline again. A raised "2" or "3"
    after a unit of one or two letters is a power ("m²"), not a reference. `glyph(i)` gives the
    size and baseline of character i (None for whitespace and for text that is not upright);
    `maybe(i)` passes only characters worth that test (it may be costly). Shared by the text
    layer (pdfium) and the cells of ruled tables (pdfplumber), so a figure reads alike in both.
    """
    spans: list[tuple[int, int]] = []
    index = 1
    while index < len(text):
        first = glyph(index) if text[index].isdigit() and maybe(index) else None
        host = _host(text, index) if first is not None else 0
        if first is None or (spans and spans[-1][1] > host) or not _raised(glyph(host), first):
            index += 1
            continue
        end = index + 1
        while end < len(text) and text[end].isdigit() and glyph(end) == first:
            end += 1
        after = glyph(end) if end < len(text) and not text[end].isspace() else None
        line_start = text.rfind("\n", 0, index) + 1
        power = text[index:end] in _POWERS and _UNIT_POWER_RE.search(text, line_start, host + 1)
        raised_text = after is not None and abs(after[1] - first[1]) < NOTE_RISE * first[0]
        if not power and not raised_text:
            spans.append((index, end))
        index = end
    return spans


def _note_marks(
    textpage: pdfium.PdfTextPage, text: str, boxes: list[tuple[float, float, float, float] | None]
) -> tuple[list[NoteMark], set[int]]:
    """The footnote references of a page (`note_spans`) and the indices of their characters in
    `text`. The loose boxes (`boxes`, None for whitespace) pass only characters set above the
    one before them to the exact test, which needs three calls into pdfium per character."""

    def glyph(at: int) -> Glyph | None:
        return None if boxes[at] is None else _glyph(textpage, at)

    def maybe(at: int) -> bool:
        host, box = boxes[_host(text, at)], boxes[at]
        return host is not None and box is not None and box[1] - host[1] > NOTE_RISE * (host[3] - host[1]) / 2

    text = text[: len(boxes)]
    marks: list[NoteMark] = []
    dropped: set[int] = set()
    for start, end in note_spans(text, glyph, maybe):
        line_start = text.rfind("\n", 0, start) + 1
        before = "".join(text[at] for at in range(line_start, start) if at not in dropped)
        marks.append(NoteMark(_glyph_key(before.replace("\ufffe", "-"))[-SPLIT_CONTEXT:], text[start:end]))
        dropped.update(range(start, end))
    return marks, dropped


def _text_layer(page: pdfium.PdfPage) -> tuple[list[Word], str, list[NoteMark]]:
    """The words of a page's text layer with their boxes (fractions of the page, origin top left),
    the page's text as pdfium lays it out and its footnote references (`_note_marks`), which
    are left out of both.

    A word pdfium hyphenates over a line end ("tillsam\ufffemans") becomes two words, "tillsam-"
    and "mans", each with its own line's box, as a word broken with a drawn hyphen is."""
    width, height = page.get_size()
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    count = min(len(text), textpage.count_chars())
    boxes = [None if text[at].isspace() else textpage.get_charbox(at, loose=True) for at in range(count)]
    marks, dropped = _note_marks(textpage, text, boxes)
    textpage.close()
    words: list[Word] = []
    chars: list[str] = []
    box = [math.inf, math.inf, -math.inf, -math.inf]

    def close() -> None:
        if chars and box[0] < box[2]:
            words.append(
                Word("".join(chars), box[0] / width, 1 - box[3] / height, box[2] / width, 1 - box[1] / height)
            )
        chars.clear()
        box[:] = [math.inf, math.inf, -math.inf, -math.inf]

    for index, char_box in enumerate(boxes):
        if char_box is None:
            close()
            continue
        if index in dropped:
            continue
        left, bottom, right, top = char_box
        chars.append("-" if text[index] == "\ufffe" else text[index])
        box[:] = [min(box[0], left), min(box[1], bottom), max(box[2], right), max(box[3], top)]
        if text[index] == "\ufffe":
            close()
    close()
    layout = "".join(char for index, char in enumerate(text) if index not in dropped)
    return words, layout, marks


def is_blank(image: Image) -> bool:
    """Whether a rendered greyscale page carries (almost) no ink: a blank page needs no OCR."""
    dark = sum(image.histogram()[:128])
    return dark <= BLANK_MAX_INK * image.width * image.height


def _ocr_page(result: OcrPage, record: Page) -> list[StyledLine]:
    """Put one page's OCR into `record` (status, confidence, words); its lines, none when unreadable."""
    record.confidence = result.confidence
    if result.confidence is not None and result.confidence < MIN_CONFIDENCE:
        record.status = PAGE_UNREADABLE
        return []
    record.status = PAGE_OCR
    record.words = [word for line in result.lines for word in line.words]
    # y as in PDF space (larger = higher up), so header/footer logic treats both kinds alike
    return [
        StyledLine(line.text, 0.0, False, y=1 - line.words[0].y1, gap_before=line.new_paragraph)
        for line in result.lines
    ]


def _images_to_ocr(
    path: Path,
    document: pdfium.PdfDocument,
    pages: list[list[StyledLine]],
    records: list[Page],
    on_page: Callable[[], None],
) -> Iterator[tuple[int, Image]]:
    """Page index and rendered image of each page that needs OCR; text pages get their word
    boxes and their lines cleared of footnote references (`drop_note_marks`) and mended
    (`mend_lines`) on the way (lazily, so
    rendering stays in one thread while earlier pages are OCR'd) and count as read
    (`on_page`) once they have them."""
    for index, record in enumerate(records):
        page = document[index]
        if usable_text(pages[index], image_share(page)):
            record.words, layout, marks = _text_layer(page)
            pages[index] = mend_lines(drop_note_marks(pages[index], marks), layout)
            on_page()
        else:
            image = page.render(scale=DPI / 72, grayscale=True).to_pil()
            if is_blank(image):  # a blank page stays an empty text page
                on_page()
            else:
                require_ocr(str(path))
                yield index, image
        page.close()


def page_count(path: Path) -> int:
    """A PDF's number of pages, read cheaply from its page tree (0 when it cannot be opened):
    the weight of the file in the ingest progress bar, before the file is read."""
    try:
        return len(PdfReader(path).pages)
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError):
        return 0


def _no_step() -> None:
    """The page callback when nobody follows the progress."""


def read_pdf_pages(
    path: Path, on_page: Callable[[], None] | None = None
) -> tuple[list[list[StyledLine]], list[Page]]:
    """The styled lines of every page (index 0 = page 1) and a record of each page; raises
    IngestError for unusable files.

    Pages without a usable text layer are OCR'd (an IngestError names what to install when
    Tesseract is missing); unreadable pages stay empty. Only a PDF with no text at all is refused.
    `on_page()` is called once per page as soon as it is read (in page order for text pages; an
    OCR page when its recognition is done), so a progress bar can move inside a long scan.
    """
    on_page = on_page or _no_step
    reader = _open(path)
    try:
        pages = [_page_lines(page) for page in reader.pages]
        labels = reader.page_labels if "/PageLabels" in reader.trailer["/Root"] else None
    except FileNotDecryptedError as error:
        raise IngestError(ENCRYPTED, str(path)) from error
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as error:
        raise IngestError(CORRUPT, str(path)) from error
    if not pages:
        raise IngestError(NO_PAGES, str(path))
    try:
        document = pdfium.PdfDocument(path, password="")
    except pdfium.PdfiumError as error:
        raise IngestError(CORRUPT, str(path)) from error
    records = [Page(number) for number in range(1, len(pages) + 1)]
    try:
        for index, result in ocr_images(_images_to_ocr(path, document, pages, records, on_page)):
            pages[index] = _ocr_page(result, records[index])
            on_page()
    finally:
        document.close()
    if sum(ch.isalpha() for page in pages for line in page for ch in line.text) < MIN_LETTERS:
        raise IngestError(NO_TEXT, str(path))
    for record, label in zip(records, page_labels(pages, labels), strict=True):
        record.label = label
    return pages, records


def _size_counts(pages: list[list[StyledLine]]) -> Counter[float]:
    """Characters set in each font size (OCR lines have none): the most common is the body text's."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page:
            if line.size > 0:
                sizes[line.size] += len(line.text.strip())
    return sizes


def heading_levels(pages: list[list[StyledLine]]) -> dict[float, int]:
    """Heading level per font size, for sizes clearly above the body text.

    Sizes used on several pages are the document's heading styles and are
    ranked, largest = 1 (at most MAX_LEVEL). A size seen on one page only (a
    cover title, a one-off box) takes the level of the nearest ranked size
    below it, or 1 when it is larger than all, so it does not push every
    real section one level down.
    """
    chars = _size_counts(pages)
    if not chars:
        return {}
    pages_of: dict[float, set[int]] = {}
    for number, page in enumerate(pages):
        for line in page:
            if line.size > 0 and line.text.strip():
                pages_of.setdefault(line.size, set()).add(number)
    body = chars.most_common(1)[0][0]
    bigger = [size for size in chars if size >= body * HEADING_SCALE]
    ranked = sorted((size for size in bigger if len(pages_of.get(size, ())) > 1), reverse=True)
    levels = {size: min(rank, MAX_LEVEL) for rank, size in enumerate(ranked, start=1)}
    for size in bigger:
        if size not in levels:
            below = [levels[r] for r in ranked if r <= size]
            levels[size] = below[0] if below else min(len(ranked) + 1, MAX_LEVEL)
    return levels


def cover_title(pages: list[list[StyledLine]]) -> str | None:
    """The title printed on the cover: the first page's lines in its largest font, when that font
    is clearly larger than the body text's. Many reports carry no title the text rules can read
    (the cover is one big line over body-size text, or fonts mark too few headings), and a file
    name such as "nacka_arsbokslut_2019" is no title to cite."""
    sizes = _size_counts(pages)
    first = next((page for page in pages if any(line.text.strip() for line in page)), [])
    largest = max((line.size for line in first if line.text.strip()), default=0.0)
    if not sizes or largest < sizes.most_common(1)[0][0] * HEADING_SCALE:
        return None
    title = " ".join(line.text.strip() for line in first if line.size == largest and line.text.strip())
    words = title.split()
    if not words or len(words) > MAX_HEADING_WORDS or not any(ch.isalpha() for ch in title):
        return None
    return " ".join(words)


def _is_heading_text(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= MAX_HEADING_WORDS
        and any(ch.isalpha() for ch in text)
        and not ends_sentence(text)
        and not text.rstrip().endswith(",")
        and bullet_text(text) is None
    )


def _title_first(placed: list[tuple[SourceLine, float]]) -> list[SourceLine]:
    """Put a page's heading that the PDF draws last but prints above everything else at the top.

    Layout programs often write a page title into the content stream after
    the body text; by height it is the first thing a reader sees.
    """
    moved = [
        line
        for index, (line, y) in enumerate(placed)
        if index and line.heading and y > max(height for _, height in placed[:index])
    ]
    moved_ids = {id(line) for line in moved}  # identity: a page may repeat a line word for word
    return moved + [line for line, _ in placed if id(line) not in moved_ids]


def pdf_lines(pages: list[list[StyledLine]]) -> tuple[list[SourceLine], bool]:
    """Source lines of PDF pages without running headers/footers, and whether fonts marked headings.

    A short line set in a clearly larger font than the body is a heading (its
    level from the size); a short bold line at body size is a heading one
    level below the sized ones.
    """
    masks = furniture_mask([[line.text for line in page] for page in pages])
    levels = heading_levels(pages)
    bold_level = min(len(set(levels.values())) + 1, MAX_LEVEL + 1)
    lines: list[SourceLine] = []
    for number, (page, mask) in enumerate(zip(pages, masks, strict=True), start=1):
        gap = True
        placed: list[tuple[SourceLine, float]] = []
        for line, furniture in zip(page, mask, strict=True):
            if furniture:
                continue
            if not line.text.strip():
                gap = True
                continue
            gap = gap or line.gap_before
            text = drawn_hyphens(line.text)
            heading = 0
            if _is_heading_text(text):
                if line.size in levels:
                    heading = levels[line.size]
                elif line.bold and len(line.text.split()) <= MAX_BOLD_HEADING_WORDS:
                    heading = bold_level
            source = SourceLine(text, number, gap_before=gap, heading=heading, starts_table=line.starts_table)
            placed.append((source, line.y))
            gap = False
        lines += _title_first(placed)
    for line, nxt in zip(lines, lines[1:], strict=False):
        runs_on = line.text.rstrip().endswith("-") or starts_continuation(nxt.text)
        if line.heading == bold_level and nxt.heading != bold_level and nxt.page == line.page and runs_on:
            line.heading = 0  # a bold lead-in ("Skälen för regeringens förslag: Det …") runs on into text
    styled = sum(1 for line in lines if line.heading) >= MIN_STYLED_HEADINGS
    if not styled:
        for line in lines:
            line.heading = 0
    return lines, styled
