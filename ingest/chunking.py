"""Cut a document into searchable chunks of whole sentences inside one section.

A chunk is a slice `Document.text[char_start:char_end]`, so its offsets are
exact. Chunks hold roughly MIN_WORDS–MAX_WORDS words, never cross a section
boundary, break only between blocks, sentences or table rows, and keep a table
whole together with its caption or heading.

A table longer than MAX_WORDS is cut between rows; every chunk after its first
begins with the table's caption and header rows again (`Chunk.lead` characters
before the slice), so a passage from the middle of a long table still says what
its columns are. A table continued from the page before gets its caption so too.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapportsok.ingest.records import BLOCK_SEPARATOR, HEADING, TABLE, Chunk, Document
from rapportsok.ingest.structure import section_paths
from rapportsok.lang.sentences import split_sentences

MIN_WORDS = 120
MAX_WORDS = 250
CAPTION_WORDS = 40


@dataclass
class _Unit:
    """A piece that is never split further: a block, a sentence, or a table with its caption."""

    start: int
    end: int
    words: int
    page_start: int
    page_end: int
    atomic: bool = False


def _word_count(text: str) -> int:
    return len(text.split())


def _table_rows(start: int, text: str, header: int, page: int) -> list[_Unit]:
    """A long table's units: its header rows with its first body row, then one unit a row."""
    units: list[_Unit] = []
    offset = 0
    for index, line in enumerate(text.split("\n")):
        end = offset + len(line)
        if units and index > header:
            units.append(_Unit(start + offset, start + end, _word_count(line), page, page))
        elif units:
            units[-1] = _Unit(units[-1].start, start + end, units[-1].words + _word_count(line), page, page)
        else:
            units.append(_Unit(start, start + end, _word_count(line), page, page))
        offset = end + 1
    return units


def _section_units(
    doc_text: str, items: list[tuple[int, int, str, int]], headers: dict[int, int]
) -> list[_Unit]:
    """Units of one section from its blocks given as (start, end, kind, page); `headers` gives the
    number of header rows of the table starting at an offset."""
    units: list[_Unit] = []
    for index, (start, end, kind, page) in enumerate(items):
        text = doc_text[start:end]
        words = _word_count(text)
        if kind == TABLE:
            previous = units[-1] if units else None
            caption = items[index - 1] if index else None
            rows = (
                _table_rows(start, text, headers.get(start, 1), page)
                if words > MAX_WORDS
                else [_Unit(start, end, words, page, page, True)]
            )
            if (
                previous is not None
                and caption is not None
                and previous.start == caption[0]
                and (caption[2] == HEADING or previous.words <= CAPTION_WORDS)
                and not previous.atomic
            ):
                first = rows[0]
                rows[0] = _Unit(
                    previous.start, first.end, previous.words + first.words, previous.page_start, page, True
                )
                units.pop()
            units += rows
        elif words > MAX_WORDS:
            units += [
                _Unit(start + a, start + b, _word_count(text[a:b]), page, page)
                for a, b in split_sentences(text)
            ]
        else:
            units.append(_Unit(start, end, words, page, page))
    return units


@dataclass
class _TableHead:
    """What a part of a table block repeats: the table's caption and header rows."""

    start: int
    end: int
    caption: str
    header: list[str]


def _table_heads(doc: Document) -> list[_TableHead]:
    """Caption and header rows of each table block: from its interpreted `Table`, else (a table
    without figures) its first row."""
    tables = {table.char_start: table for table in doc.tables if table.char_start is not None}
    heads = []
    offset = 0
    for block in doc.blocks:
        start, offset = offset, offset + len(block.text) + len(BLOCK_SEPARATOR)
        if block.kind != TABLE:
            continue
        table = tables.get(start)
        if table is not None:
            header = ["\t".join(row) for row in table.header]
            heads.append(_TableHead(start, start + len(block.text), table.caption, header))
        else:
            heads.append(_TableHead(start, start + len(block.text), "", block.text.split("\n")[:1]))
    return heads


def _lead(head: _TableHead, start: int, passage: str) -> str:
    """What a passage starting at `start` lacks of a table it holds, to go before it: the caption
    (when the passage does not hold it) and the header rows (when it starts below them)."""
    lead = head.caption + BLOCK_SEPARATOR if head.caption and head.caption not in passage else ""
    if head.header and start > head.start:
        lead += "\n".join(head.header) + "\n"
    return lead


def _pack(units: list[_Unit]) -> list[list[_Unit]]:
    """Group consecutive units into chunks of about MIN_WORDS–MAX_WORDS words.

    The section is cut into the fewest chunks that stay under MAX_WORDS, of
    even size, so a 300-word section gives 150 + 150 rather than 250 + 50.
    """
    total = sum(unit.words for unit in units)
    target = total / max(1, -(-total // MAX_WORDS))
    groups: list[list[_Unit]] = []
    current: list[_Unit] = []
    size = 0
    for unit in units:
        over = size + unit.words > min(MAX_WORDS, target * 1.15)
        if current and over and (size >= target * 0.6 or unit.atomic or size + unit.words > MAX_WORDS):
            groups.append(current)
            current, size = [], 0
        current.append(unit)
        size += unit.words
    if current:
        tail = sum(unit.words for unit in current)
        if groups and tail < MIN_WORDS // 3 and sum(u.words for u in groups[-1]) + tail <= MAX_WORDS * 1.2:
            groups[-1] += current  # a few trailing words belong with the text before them
        else:
            groups.append(current)
    return groups


def chunk_document(doc: Document) -> list[Chunk]:
    """The chunks of a document, in order, with sections, pages and exact offsets."""
    text = doc.text
    paths = section_paths(doc.blocks)
    heads = _table_heads(doc)
    headers = {head.start: len(head.header) for head in heads}
    sections: list[tuple[str, list[tuple[int, int, str, int]]]] = []
    offset = 0
    for block, path in zip(doc.blocks, paths, strict=True):
        start, end = offset, offset + len(block.text)
        offset = end + len(BLOCK_SEPARATOR)
        if block.kind == HEADING or not sections or sections[-1][0] != path:
            sections.append((path, []))
        sections[-1][1].append((start, end, block.kind, block.page))
    chunks: list[Chunk] = []
    for path, items in sections:
        if all(kind == HEADING for _, _, kind, _ in items):
            continue  # a heading directly followed by a subheading has no text of its own
        for group in _pack(_section_units(text, items, headers)):
            start, end = group[0].start, group[-1].end
            passage = text[start:end]
            head = next((h for h in heads if h.start < end and h.end > start), None)
            lead = _lead(head, start, passage) if head is not None else ""
            chunks.append(
                Chunk(
                    text=lead + passage,
                    section=path,
                    page_start=min(u.page_start for u in group),
                    page_end=max(u.page_end for u in group),
                    char_start=start,
                    char_end=end,
                    ordinal=len(chunks),
                    lead=len(lead),
                )
            )
    return chunks
