"""PDF tables (pdfplumber): ruled tables on the pages that look like tables become table rows.

Why pdfplumber: it reads the ruling lines and character positions of a page and returns
each table as a grid of cell texts, keeps merged header cells as empty (None) cells, and is
pure Python on pdfminer.six (no Ghostscript or OpenCV as camelot needs). Its "lines"
strategy found the ruled tables of our reports cleanly; its "text" strategy (tables without
rules) split words inside cells on the same reports, so only ruled tables are read.

pdfplumber is slow (about 0.3–1 s a page), so it only runs on candidate pages: pages where
pypdf's lines (already extracted by `ingest.pdf`) include at least MIN_NUMERIC_LINES lines
that end in (or are) two or more numbers, as table rows do, and whose ruling lines can form a
table at all (`ingest.pdf_rulings`, read with pypdfium2 in milliseconds). On those pages it
makes the dicts of only the characters that stand in a table it found (`_find_tables`).

A table that goes on over a page break usually repeats no header on the next page; such a
headerless table at the top of a page whose columns stand where the columns of the last table
of the page before stand takes that table's header rows (hand-written: pdfplumber reads one
page at a time).

Some reports rule a table's last rows with horizontal rules only and print its years above the
box; pdfplumber's table then lacks its last row and header. Rows under the table that a rule
across it closes are added (`_with_ruled_rows`), lines stacked over the box that give a year
and a word to each column are its header (`tables.header_above`), and the lines over it (the
caption, a unit line) are moved in front of its rows, as pypdf gives lines in the order drawn.
"""

from __future__ import annotations

import logging
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import reduce
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
from pdfminer.layout import LTChar, LTContainer, LTItem
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.page import Page
from pdfplumber.table import Table as FoundTable
from pdfplumber.utils import extract_text
from pdfplumber.utils.exceptions import PdfminerException
from pdfplumber.utils.text import WordExtractor
from rapportsok.ingest.cleanup import drawn_hyphens, join_lines
from rapportsok.ingest.pdf import Glyph, StyledLine, note_spans
from rapportsok.ingest.pdf_rulings import may_hold_ruled_table
from rapportsok.ingest.records import Table
from rapportsok.ingest.tables import (
    header_above,
    looks_like_table_row,
    merge_continuation_rows,
    numbers_row,
    read_table,
)

MIN_NUMERIC_LINES = 2
COLUMN_TOLERANCE = 3.0  # points: the same column's left edge on two pages
WRAP_GAP = 0.3  # of the font size: more space than this between two rows' text is cell padding
PAGE_HEAD = 0.1  # share of the page height where a running header may stand above a continued table
CHAR_MARGIN = 1.0  # points: a character this near a table's box is made for it
WORD_GAP = 1.0  # points: characters closer than this are one word, even across a ruling line
RULE_SNAP = 1.0  # points: horizontal segments this close in height are one rule
RULE_JOIN = 3.0  # points: a rule's segments this close end to end are one rule (pdfplumber's join)
STACK_GAP = 2.5  # of a line's font size: the most it stands over the line (or table box) below it
MAX_ABOVE = 4  # lines stacked over a table that may be its caption, unit line or header
RULE_ROW_HEIGHT = 1.5  # of a table's tallest row: the most a rule-closed row under it may be high
logging.getLogger("pdfminer").setLevel(logging.ERROR)

Grid = list[list[str | None]]
Box = tuple[float, float, float, float]  # x0, top, x1, bottom


@dataclass
class _Read:
    """The last table read, for its continuation on the next page: its grid (with the rows of
    earlier pages it continues), which grid rows a cell above reaches into, its columns' left
    edges and the number of rows it made."""

    page: int
    grid: Grid
    spanned: list[bool]
    lefts: list[float]
    made: int


def candidate_pages(pages: list[list[StyledLine]]) -> list[int]:
    """Page numbers (1-based) with enough table-row lines to be worth pdfplumber's time."""
    return [
        number
        for number, page in enumerate(pages, start=1)
        if sum(looks_like_table_row(line.text) or numbers_row(line.text) for line in page)
        >= MIN_NUMERIC_LINES
    ]


def _ruled_pages(path: Path, numbers: list[int]) -> list[int]:
    """The page numbers whose ruling lines can form a table (all of them when pypdfium2 cannot
    open the file; pdfplumber then decides)."""
    try:
        document = pdfium.PdfDocument(path, password="")
    except pdfium.PdfiumError:
        return numbers
    try:
        return [number for number in numbers if may_hold_ruled_table(document[number - 1])]
    finally:
        document.close()


def _layout_items(page: Page, items: list[LTItem]) -> list[LTItem]:
    """pdfminer's items of the page in the order pdfplumber makes its objects (a container
    counts itself only when layout analysis is on, as in `Page.iter_layout_objects`)."""
    flat: list[LTItem] = []
    for item in items:
        if isinstance(item, LTContainer):
            if page.pdf.laparams is not None:
                flat.append(item)
            flat += _layout_items(page, item._objs)
        else:
            flat.append(item)
    return flat


def _char_box(char: LTChar, page: Page) -> Box:
    """A pdfminer character's box in pdfplumber's coordinates (top measured down from the
    mediabox top, as `Page.process_object` turns them)."""
    left, top = page.mediabox[:2]
    x0, x1 = sorted((char.x0 + left, char.x1 + left))
    y0, y1 = sorted((page.height - char.y1 + top, page.height - char.y0 + top))
    return x0, y0, x1, y1


def _near(char: LTChar, page: Page, boxes: list[Box]) -> bool:
    """Whether a pdfminer character touches one of the boxes."""
    x0, y0, x1, y1 = _char_box(char, page)
    return any(
        x0 <= b_x1 + CHAR_MARGIN
        and x1 >= b_x0 - CHAR_MARGIN
        and y0 <= b_bottom + CHAR_MARGIN
        and y1 >= b_top - CHAR_MARGIN
        for b_x0, b_top, b_x1, b_bottom in boxes
    )


def _find_tables(page: Page) -> list[FoundTable]:
    """pdfplumber's ruled tables of the page, its `chars` holding only the characters near them.

    pdfplumber turns every pdfminer item of a page into a dict before it finds tables, and most
    of that time goes to the characters, though the "lines" strategy reads only lines, rects and
    curves and a table's text only the characters inside it. So the other objects are made
    first, the tables found from them, and then only the characters that touch a table made, by
    pdfplumber's own `process_object` (the same dicts as before, in the same order). Setting the
    page's object cache is pdfplumber's internal; should it change, `page.objects` parses the
    whole page again and only the time is lost.
    """
    objects: dict[str, list[dict]] = {}
    chars: list[LTChar] = []
    for item in _layout_items(page, page.layout._objs):
        if isinstance(item, LTChar):
            chars.append(item)
            continue
        made = page.process_object(item)
        if made["object_type"] != "anno":
            objects.setdefault(made["object_type"], []).append(made)
    page._objects = objects
    found = page.find_tables()
    if found:
        rules = _rules_across(page.edges)
        texts = [_char_box(char, page) for char in chars if char.get_text().strip()]
        found = [_with_ruled_rows(page, table, rules, texts) for table in found]
    boxes = [table.bbox for table in found]
    if chars and boxes:
        objects["char"] = [page.process_object(char) for char in chars if _near(char, page, boxes)]
    return found


def _rules_across(edges: list[dict]) -> list[tuple[float, float, float]]:
    """The page's horizontal rules as (height, left, right), top down: the segments drawn at one
    height (within RULE_SNAP) joined where less than RULE_JOIN apart (a row's rule is often drawn
    cell by cell)."""
    levels: list[list[tuple[float, float, float]]] = []
    for top, x0, x1 in sorted((e["top"], e["x0"], e["x1"]) for e in edges if e["orientation"] == "h"):
        if levels and top - levels[-1][0][0] <= RULE_SNAP:
            levels[-1].append((top, x0, x1))
        else:
            levels.append([(top, x0, x1)])
    rules: list[tuple[float, float, float]] = []
    for level in levels:
        height = level[0][0]
        joined: list[tuple[float, float, float]] = []
        for _, x0, x1 in sorted(level, key=lambda segment: segment[1]):
            if joined and x0 <= joined[-1][2] + RULE_JOIN:
                joined[-1] = (height, joined[-1][1], max(joined[-1][2], x1))
            else:
                joined.append((height, x0, x1))
        rules += joined
    return rules


def _with_ruled_rows(
    page: Page, found: FoundTable, rules: list[tuple[float, float, float]], boxes: list[Box]
) -> FoundTable:
    """The found table with the rows under it that only horizontal rules close.

    pdfplumber's "lines" strategy needs a cell's four sides, so a table whose body rows are
    parted by horizontal rules alone (shaded header, rules between rows) ends at its last row
    with side edges, and the row under it, often the total, stays prose. A band under the table
    that a rule across the table's width closes, no higher than RULE_ROW_HEIGHT of its tallest
    row, holding text (`boxes`: the page's characters) in two or more of its columns, is a row
    of it, cut at its columns' edges.
    """
    x0, top, x1, bottom = found.bbox
    lefts = _lefts(found)
    edges = [*lefts[1:], x1]
    tallest = max(row.bbox[3] - row.bbox[1] for row in found.rows)
    cells = list(found.cells)
    for height, left, right in rules:
        if height <= bottom + RULE_SNAP or left > x0 + RULE_JOIN or right < x1 - RULE_JOIN:
            continue
        if height - bottom > RULE_ROW_HEIGHT * tallest:
            break
        columns = {
            bisect_right(edges, (c0 + c1) / 2)
            for c0, c_top, c1, c_bottom in boxes
            if x0 <= (c0 + c1) / 2 < x1 and bottom < (c_top + c_bottom) / 2 < height
        }
        if len(columns) < 2:
            break
        cells += [(a, bottom, b, height) for a, b in zip(lefts, edges, strict=True)]
        bottom = height
    return found if len(cells) == len(found.cells) else FoundTable(page, cells)


def _inside(x: float, y: float, bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    return x0 <= x < x1 and top <= y < bottom


def _middle(chars: list[dict]) -> tuple[float, float]:
    return (
        (min(c["x0"] for c in chars) + max(c["x1"] for c in chars)) / 2,
        (min(c["top"] for c in chars) + max(c["bottom"] for c in chars)) / 2,
    )


def _char_glyph(char: dict) -> Glyph | None:
    """A character's font size and height on the page (None for a space or text set at an angle).
    The height is its box's bottom, not the text matrix's baseline: a reference raised by a text
    rise (Ts) sits on its line's baseline by the matrix; the descent below the baseline, a small
    share of the size, differs too little between the sizes to make a raised glyph of a level one."""
    _, b, c, d, _, _ = char["matrix"]
    if not char["text"].strip() or abs(b) > 1e-6 or abs(c) > 1e-6 or d <= 0:
        return None
    return char["size"], char["y0"]


def _same_line(before: dict, char: dict) -> bool:
    """Whether `char` follows `before` on its line: at most one font size (of `before`) to its
    right, not behind it, and its baseline less than that size away."""
    gap = char["x0"] - before["x1"]
    size = before["size"]
    return -size / 2 <= gap <= size and abs(char["y0"] - before["y0"]) < size


def without_note_marks(chars: list[dict]) -> list[dict]:
    """A table's characters (in the order drawn) without its footnote references: "2 534 236²²"
    in a cell reads "2 534 23622" otherwise, "–⁷" (no figure, see note 7) reads "– 7", a negative
    7. The test is the text layer's (`pdf.note_spans`); a new line starts wherever a character
    does not follow the one before it on its line."""
    text: list[str] = []
    glyphs: list[Glyph | None] = []
    owner: list[int | None] = []
    for at, char in enumerate(chars):
        if at and not _same_line(chars[at - 1], char):
            text.append("\n")
            glyphs.append(None)
            owner.append(None)
        text.append(char["text"][:1] or " ")
        glyphs.append(_char_glyph(char))
        owner.append(at)
    spans = note_spans("".join(text), glyphs.__getitem__, lambda _: True)
    notes = {owner[at] for start, end in spans for at in range(start, end)}
    return [char for at, char in enumerate(chars) if at not in notes]


def cell_texts(found: FoundTable, chars: list[dict]) -> Grid:
    """The found table's grid of cell texts, as `Table.extract` reads it but with each character
    placed at its word's middle across: a word whose text runs over a ruling line ("Bokslu|t",
    "56 94|5") stands wholly in the cell that holds most of it, where pdfplumber places each
    character by its own middle and so splits the word between two cells. None for a cell
    another cell spans, as pdfplumber has it.
    """
    box = found.bbox  # a property pdfplumber computes on each call
    inside = without_note_marks([char for char in chars if _inside(*_middle([char]), box)])
    across = {id(char): _middle([char])[0] for char in inside}
    for _, word in WordExtractor(x_tolerance=WORD_GAP).iter_extract_tuples(inside):
        middle = _middle(word)[0]
        across.update((id(char), middle) for char in word)
    placed = sorted(((across[id(char)], _middle([char])[1], char) for char in inside), key=lambda p: p[1])
    heights = [y for _, y, _ in placed]
    grid: Grid = []
    for row in found.rows:
        held: list[list[dict]] = [[] for _ in row.cells]
        row_box = row.bbox
        for x, y, char in placed[bisect_left(heights, row_box[1]) : bisect_left(heights, row_box[3])]:
            if _inside(x, y, row_box):
                at = next((i for i, cell in enumerate(row.cells) if cell and _inside(x, y, cell)), None)
                if at is not None:
                    held[at].append(char)
        cells = zip(row.cells, held, strict=True)
        grid.append([None if cell is None else extract_text(own) if own else "" for cell, own in cells])
    return grid


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


def _cell_text(cell: str | None) -> str:
    """A cell's lines as one text, joined as paragraph lines are: a word hyphenated over two lines
    of the cell is one word again ("uppfölj-" + "ning/åtgärder")."""
    lines = [" ".join(line.split()) for line in drawn_hyphens(cell or "").split("\n")]
    return reduce(join_lines, [line for line in lines if line], "").strip()


def table_rows(grid: Grid, spanned: list[bool]) -> list[list[str]]:
    """A pdfplumber grid as rows of cell texts: cells with line breaks joined, split columns
    joined, wrapped labels merged into their row, empty rows dropped.

    `spanned` says for each grid row whether its text stands at line spacing under the row
    above: only then (or when it starts in lower case) is a row with a label alone the rest of a
    wrapped label ("(6014)"), not a group label of its own ("Antal bibliotekslån").
    """
    cells = join_split_columns([[_cell_text(cell) for cell in row] for row in grid])
    return [row for row in merge_continuation_rows(cells, spanned) if any(row)]


def _runs_on(found: FoundTable, chars: list[dict]) -> list[bool]:
    """For each row of a found table: does its text stand at line spacing under the text of the
    row above (one cell's text wrapped over two ruled rows), not a cell's padding away?"""
    tops = [row.bbox[1] for row in found.rows]
    x0, top, x1, bottom = found.bbox
    first = [float("inf")] * len(tops)
    last = [float("-inf")] * len(tops)
    size = [0.0] * len(tops)
    for char in chars:
        if not char["text"].strip() or not (
            x0 <= char["x0"] and char["x1"] <= x1 and top <= char["top"] and char["bottom"] <= bottom
        ):
            continue
        row = max(bisect_right(tops, char["top"] + 0.5) - 1, 0)
        first[row] = min(first[row], char["top"])
        last[row] = max(last[row], char["bottom"])
        size[row] = max(size[row], char["bottom"] - char["top"])
    return [False] + [first[i] - last[i - 1] < WRAP_GAP * size[i] for i in range(1, len(tops))]


def _lefts(found: FoundTable) -> list[float]:
    """The left edge of each grid column (pdfplumber orders a row's cells by these)."""
    return sorted({cell[0] for cell in found.cells})


def _continued(previous: _Read, grid: Grid, lefts: list[float]) -> Grid | None:
    """The grid laid out in the columns of the previous page's table, when every column of the
    grid stands where one of that table's columns stands; else None."""
    at = []
    for left in lefts:
        near = (i for i, other in enumerate(previous.lefts) if abs(other - left) <= COLUMN_TOLERANCE)
        match = next(near, None)
        if match is None:
            return None
        at.append(match)
    laid_out: Grid = []
    for row in grid:
        laid: list[str | None] = [None] * len(previous.lefts)
        for index, cell in zip(at, row, strict=False):
            laid[index] = cell
        laid_out.append(laid)
    return laid_out


def _at_page_top(lines: list[StyledLine], top: float, page_height: float) -> bool:
    """No line of the page above the table but a running header in the page's top margin."""
    table_top = page_height - top  # pypdf measures baselines from the bottom
    return not any(
        table_top + 1 < line.y < page_height * (1 - PAGE_HEAD) for line in lines if line.text.strip()
    )


def _headerless(table: Table) -> bool:
    return not any(column.label for column in table.columns)


def _stacked_above(lines: list[StyledLine], box: Box, page_height: float) -> list[StyledLine]:
    """The lines stacked right above a table's box within its width, nearest first: its caption,
    a unit line over it ("tusen kronor"), header lines printed above the rules. Each stands at
    most STACK_GAP of its font size over the one below; at most MAX_ABOVE lines."""
    x0, top, x1, _ = box
    below = page_height - top  # pypdf measures baselines from the bottom
    candidates = sorted(
        (line for line in lines if line.text.strip() and line.y > below + 1 and x0 - 1 <= line.x < x1),
        key=lambda line: line.y,
    )
    stacked: list[StyledLine] = []
    for line in candidates:
        if len(stacked) == MAX_ABOVE or "\t" in line.text or line.y - below > STACK_GAP * max(line.size, 1):
            break
        stacked.append(line)
        below = line.y
    return stacked


def _replace_lines(
    lines: list[StyledLine],
    rows: list[str],
    low: float,
    high: float,
    taken: list[StyledLine],
    moved: list[StyledLine],
) -> list[StyledLine]:
    """The page's lines with those whose baseline lies inside the table, and the lines `taken`
    into its header, replaced by the `moved` lines (its caption, top first) and its rows, where
    the first of them stood (pypdf gives lines in the order drawn, which may put a caption after
    its table). The first row starts a table of its own."""
    gone = {id(line) for line in [*taken, *moved]}
    inside = [
        i
        for i, line in enumerate(lines)
        if (low - 1 <= line.y <= high + 1 and line.text.strip()) or id(line) in gone
    ]
    if not inside:
        return lines
    first = next((lines[i] for i in inside if id(lines[i]) not in gone), lines[inside[0]])
    kept = [line for i, line in enumerate(lines) if i not in set(inside)]
    table = [
        StyledLine(row, first.size, False, first.y, first.x, starts_table=not at)
        for at, row in enumerate(rows)
    ]
    return kept[: inside[0]] + list(reversed(moved)) + table + kept[inside[0] :]


def with_pdf_tables(path: Path, pages: list[list[StyledLine]]) -> list[list[StyledLine]]:
    """The pages with the lines of each ruled table holding figures replaced by its rows as
    tab-separated lines, so the table becomes a table block like a Word or text table. A table
    continued from the page before without its header gets that header again.

    A PDF that pdfplumber cannot read keeps its pypdf lines (they were read already).
    """
    wanted = candidate_pages(pages)
    if wanted:
        wanted = _ruled_pages(path, wanted)
    if not wanted:
        return pages
    pages = list(pages)
    last: _Read | None = None
    try:
        with pdfplumber.open(path) as pdf:
            for number in wanted:
                page = pdf.pages[number - 1]
                height = page.bbox[3]
                for order, found in enumerate(_find_tables(page)):
                    grid = cell_texts(found, page.chars)
                    lefts, spanned = _lefts(found), _runs_on(found, page.chars)
                    rows = table_rows(grid, spanned)
                    table = read_table(rows)
                    if table is None:
                        continue  # a layout grid or a list without figures stays text
                    x0, top, x1, bottom = found.bbox
                    above = _stacked_above(pages[number - 1], found.bbox, height)
                    header = (
                        header_above([line.text for line in above], len(rows[0]) - 1)
                        if _headerless(table)
                        else []
                    )
                    if header:
                        rows = header + rows
                        table = read_table(rows) or table
                    taken, moved = above[: len(header)], above[len(header) :]
                    laid_out = (
                        _continued(last, grid, lefts)
                        if order == 0
                        and last is not None
                        and last.page == number - 1
                        and _headerless(table)
                        and _at_page_top(pages[number - 1], top, height)
                        else None
                    )
                    if last is not None and laid_out is not None:
                        grid, spanned, lefts = last.grid + laid_out, last.spanned + spanned, last.lefts
                        whole = table_rows(grid, spanned)
                        header = read_table(whole)
                        rows = (header.header if header else []) + whole[last.made :]
                        made = len(whole)
                    else:
                        made = len(rows)
                    last = _Read(number, grid, spanned, lefts, made)
                    pages[number - 1] = _replace_lines(
                        pages[number - 1],
                        ["\t".join(row) for row in rows],
                        height - bottom,
                        height - top,
                        taken,
                        moved,
                    )
                page.close()
    except (PdfminerException, PDFSyntaxError, ValueError, KeyError, TypeError, OSError):
        return pages
    return pages
