"""The plain records that move through the pipeline.

They are defined once here and used by every layer: readers build a
`Document`, the chunker cuts it into `Chunk`s, the tagger finds `Entity`s and
turns amounts and percentages into `Figure`s. The store and the search layer
(`index/`) persist and return these same objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Entity labels produced by our Swedish NER (see models/ner/ANNOTATION.md).
DIVISION = "DIVISION"
AMOUNT = "AMOUNT"
DATE = "DATE"
PERCENT = "PERCENT"
LABELS = (DIVISION, AMOUNT, DATE, PERCENT)

# Block kinds a reader may produce.
HEADING = "heading"
PARAGRAPH = "paragraph"
TABLE = "table"
LIST_ITEM = "list"


@dataclass
class Block:
    """One structural unit of a document on one page.

    A table block keeps one row per line with cells separated by tabs.
    `level` is the heading depth (1 = top) and 0 for everything else.
    """

    kind: str
    text: str
    page: int = 1
    level: int = 0


# Page statuses: read from the PDF's text layer, recognised by OCR, or too poor to index.
PAGE_TEXT = "text"
PAGE_OCR = "ocr"
PAGE_UNREADABLE = "unreadable"


@dataclass
class Word:
    """One word on a page and its box, as fractions (0-1) of the page's width and height, origin
    top left (so it scales onto a page rendered at any resolution)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class Box:
    """Where part of a chunk stands: `start`/`end` are offsets into the chunk's text, `page` the
    PDF page index (1 = first) and the corners fractions (0-1) of the page, origin top left."""

    start: int
    end: int
    page: int
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class Page:
    """One PDF page: its index, the number printed on it, and how its text was read.

    `status` is PAGE_TEXT, PAGE_OCR or PAGE_UNREADABLE; `confidence` is Tesseract's mean word
    confidence (0-100) for OCR'd pages. `words` (with boxes) only live during ingest.
    """

    number: int
    label: str | None = None
    status: str = PAGE_TEXT
    confidence: float | None = None
    words: list[Word] = field(default_factory=list, repr=False)


@dataclass
class Document:
    """A report as read from disk and cleaned, before chunking.

    `text` is the cleaned document text: the blocks joined by blank lines.
    Chunk offsets point into it.
    """

    path: str
    title: str
    date: str | None  # ISO prefix: "2020", "2020-01" or "2020-01-28"
    page_count: int
    blocks: list[Block] = field(default_factory=list)
    sha256: str = ""
    pages: list[Page] = field(default_factory=list)  # PDFs only
    organisation: str | None = None  # "Region Dalarna", "Nacka kommun", "Skolverket" (ingest/organisation.py)

    def page_label(self, number: int) -> str | None:
        """The number printed on PDF page `number`, when known."""
        if 0 < number <= len(self.pages):
            return self.pages[number - 1].label
        return None
    tables: list[Table] = field(default_factory=list)

    @property
    def text(self) -> str:
        return BLOCK_SEPARATOR.join(block.text for block in self.blocks)


@dataclass
class Entity:
    """A tagged span. `start`/`end` are character offsets into the text that was tagged.

    `value` is the normalized value: kronor (float) for AMOUNT, a number for
    PERCENT, an ISO prefix string for DATE and the canonical name for DIVISION.
    For periods, `period_start`/`period_end` hold ISO dates when they can be known.
    """

    label: str
    text: str
    start: int
    end: int
    value: float | str | None = None
    period_start: str | None = None
    period_end: str | None = None


@dataclass
class Figure:
    """An amount or percentage as a typed fact with its source sentence.

    `kind` is AMOUNT or PERCENT; `unit` is "kr" or "%". `period` is the ISO
    prefix of the year or period the figure refers to. `cue` is one of
    "received", "planned", "budget", "result", "cost" or None.
    `start`/`end` are offsets of the figure inside `sentence`.
    """

    kind: str
    value: float
    unit: str
    text: str
    sentence: str
    start: int
    end: int
    period: str | None = None
    division: str | None = None
    cue: str | None = None
    page: int | None = None
    section: str = ""
    chunk_id: int | None = None
    page_label: str | None = None  # the number printed on `page`
    boxes: list[Box] = field(default_factory=list)  # offsets into `sentence`
    # What it measures: the row label with its parent in a table ("Kostnader › Personalkostnader"),
    # the noun phrase it quantifies in prose ("egna kapitalet"; lang/measures.py).
    measure: str | None = None
    basis: str | None = None  # what it is: one of TABLE_BASES, or of PROSE_BASES in prose
    # Table figures only (None for figures found in prose):
    table: int | None = None  # the table's ordinal in its document (`Table.ordinal`)
    row: str | None = None  # the row label as printed
    column: str | None = None  # the column label, header levels joined: "Förändring › Utökning"


# Kinds of figure a table cell may be (besides AMOUNT and PERCENT): a count or other plain number.
NUMBER = "NUMBER"
# What a table column holds.
TABLE_BASES = ("utfall", "budget", "prognos", "avvikelse", "förändring")
# What a figure in prose is (lang/measures.py): the table bases, a plan, or a share.
PROSE_BASES = (*TABLE_BASES, "plan", "andel")


@dataclass
class TableColumn:
    """One data column of a table: its label (header levels joined by " › ") and meaning."""

    label: str
    period: str | None = None  # ISO prefix: "2025", "2026-01/2026-03"
    basis: str | None = None  # one of TABLE_BASES, None when the header does not say
    unit: str | None = None  # the column's own unit when the header gives one ("%", "tkr")


@dataclass
class TableRow:
    """One body row: its label, the label of the group it belongs to, and its cells as printed."""

    label: str
    cells: list[str]  # one per `Table.columns`
    parent: str | None = None
    page: int = 1


@dataclass
class Table:
    """A table read from a document, interpreted: caption, header, unit, columns and rows.

    `unit` is the unit the caption, header or a note gives for all cells ("mnkr", "tkr", "kr",
    "%", "antal"), None when nothing says. `char_start`/`char_end` are the table's offsets in
    `Document.text` when it is a block of it (text, Markdown, Word), None for PDF tables.
    """

    caption: str
    header: list[list[str]]
    columns: list[TableColumn]
    rows: list[TableRow]
    unit: str | None = None
    page: int = 1
    ordinal: int = 0
    char_start: int | None = None
    char_end: int | None = None
    figures: list[Figure] = field(default_factory=list)


@dataclass
class Chunk:
    """A searchable passage: whole sentences from one section, tables kept whole.

    `char_start`/`char_end` are offsets into `Document.text`; the text is that slice, after
    `lead` characters that repeat a table's caption and header rows for a passage from the middle
    of a long table. `id` is assigned by the store and is also the FAISS vector id.
    """

    text: str
    section: str  # heading path joined by " › "
    page_start: int
    page_end: int
    char_start: int
    char_end: int
    ordinal: int = 0
    id: int | None = None
    lead: int = 0  # characters of `text` before the slice of `Document.text`
    page_label: str | None = None  # the number printed on `page_start`
    boxes: list[Box] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


SECTION_SEPARATOR = " › "
# Between blocks in `Document.text`; chunk offsets count it.
BLOCK_SEPARATOR = "\n\n"
