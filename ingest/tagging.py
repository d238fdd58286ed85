"""Tagging step of ingest: entities and figures for every chunk of a document."""

from __future__ import annotations

from rapportsok.ingest.figures import figures_from_text
from rapportsok.ingest.ner import tag_texts
from rapportsok.ingest.records import SECTION_SEPARATOR, Chunk, Document


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
    for chunk, entities in zip(chunks, chunk_entities, strict=True):
        chunk.entities = entities
        chunk.figures = figures_from_text(
            chunk.text,
            entities,
            section=chunk.section,
            document_date=doc.date,
            section_entities=section_entities[chunk.section],
            page=chunk.page_start,
            chunk_id=chunk.id,
        )
