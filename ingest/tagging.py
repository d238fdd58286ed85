"""Tagging step of ingest: entities and figures for every chunk of a document."""

from __future__ import annotations

from rapportsok.ingest.figures import figures_from_text
from rapportsok.ingest.ner import tag_texts
from rapportsok.ingest.records import AMOUNT, PERCENT, SECTION_SEPARATOR, Chunk, Document, Table


def tag_chunks(doc: Document, chunks: list[Chunk], rules_only: bool = False) -> None:
    """Fill `chunk.entities` (offsets into chunk.text) and `chunk.figures` in place.

    Chunks and their section headings are tagged in batches with `nlp.pipe`;
    each distinct heading is tagged once, since many chunks share one.
    `rules_only` leaves the trained `ner` out (for speed comparisons).
    """
    if not chunks:
        return
    sections = sorted({chunk.section for chunk in chunks})
    headings = [section.replace(SECTION_SEPARATOR, ". ") for section in sections]
    section_entities = dict(zip(sections, tag_texts(headings, rules_only=rules_only), strict=True))
    chunk_entities = tag_texts([chunk.text for chunk in chunks], rules_only=rules_only)
    table_spans = [(t.char_start, t.char_end) for t in doc.tables if t.char_start is not None]
    for chunk, entities in zip(chunks, chunk_entities, strict=True):
        chunk.entities = entities
        shift = chunk.lead - chunk.char_start  # offsets into chunk.text, after a table's lead
        inside = [(0, chunk.lead)] + [(a + shift, b + shift) for a, b in table_spans]
        prose = [
            e
            for e in entities
            if e.label not in (AMOUNT, PERCENT) or not any(a <= e.start < b for a, b in inside)
        ]
        chunk.figures = figures_from_text(
            chunk.text,
            prose,
            section=chunk.section,
            document_date=doc.date,
            section_entities=section_entities[chunk.section],
            page=chunk.page_start,
            chunk_id=chunk.id,
        )
    text = doc.text
    for table in doc.tables:
        for figure, chunk in zip(table.figures, figure_chunks(table, chunks, text), strict=True):
            figure.section = chunk.section
            figure.chunk_id = chunk.id
            chunk.figures.append(figure)


def figure_chunks(table: Table, chunks: list[Chunk], text: str) -> list[Chunk]:
    """The chunk of each figure of a table: the one holding its row (a long table is cut between
    rows over several chunks), found by the row label in order in the document's text."""
    holding = [
        chunk
        for chunk in chunks
        if table.char_start is not None
        and chunk.char_start < (table.char_end or 0)
        and chunk.char_end > table.char_start
    ]
    if len(holding) <= 1:
        return [table_chunk(table, chunks)] * len(table.figures)
    starts = []  # where each row stands in the text
    position = table.char_start or 0
    for row in table.rows:
        found = text.find(row.label, position, table.char_end) if row.label else -1
        position = found if found >= 0 else position
        starts.append(position)
    out = []
    index = 0
    for figure in table.figures:  # in row order, as `ingest.tables.table_figures` makes them
        while index < len(table.rows) - 1 and table.rows[index].label != figure.row:
            index += 1
        where = starts[index] if starts else position
        out.append(next((c for c in holding if c.char_start <= where < c.char_end), holding[0]))
    return out


def table_chunk(table: Table, chunks: list[Chunk]) -> Chunk:
    """The chunk a table's figures belong to: the one holding the table's text, else (PDF) the
    first chunk on its page that names its first row, else the first on its page or before it."""
    if table.char_start is not None:
        for chunk in chunks:
            if chunk.char_start <= table.char_start < chunk.char_end:
                return chunk
    on_page = [c for c in chunks if c.page_start <= table.page <= c.page_end]
    first_label = table.rows[0].label if table.rows else ""
    named = [c for c in on_page if first_label and first_label in c.text]
    if named or on_page:
        return (named or on_page)[0]
    before = [c for c in chunks if c.page_start <= table.page]
    return before[-1] if before else chunks[0]
