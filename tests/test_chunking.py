"""Chunking: size, section boundaries, whole tables, exact offsets."""

from rapportsok.ingest.chunking import MAX_WORDS, MIN_WORDS, chunk_document
from rapportsok.ingest.pipeline import read_and_chunk
from rapportsok.ingest.records import HEADING, PARAGRAPH, TABLE, Block, Document
from rapportsok.ingest.tagging import tag_chunks
from rapportsok.lang.sentences import split_sentences


def _sentence(n: int) -> str:
    return f"Mening nummer {n} beskriver hur verksamheten utvecklas i regionen under året."  # 11 words


def _paragraph(first: int, count: int) -> str:
    return " ".join(_sentence(i) for i in range(first, first + count))


def _doc(*blocks: Block) -> Document:
    return Document(path="x.txt", title="t", date=None, page_count=3, blocks=list(blocks))


def _check_offsets(doc: Document, chunks) -> None:
    for chunk in chunks:
        assert doc.text[chunk.char_start : chunk.char_end] == chunk.text[chunk.lead :]


def test_split_sentences_keeps_abbreviations() -> None:
    text = "Kostnaden är ca. 5 mnkr, bl.a. för IT. Resultatet är t.ex. bättre. Nästa mening."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Kostnaden är ca. 5 mnkr, bl.a. för IT.",
        "Resultatet är t.ex. bättre.",
        "Nästa mening.",
    ]
    text = "Resultatet uppgår till 34 mnkr. Verksamheterna redovisar 13 mnkr."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Resultatet uppgår till 34 mnkr.",
        "Verksamheterna redovisar 13 mnkr.",
    ]


def test_long_section_is_cut_evenly_on_sentences() -> None:
    doc = _doc(
        Block(HEADING, "Ekonomi", 1, 1),
        Block(PARAGRAPH, _paragraph(0, 40), 1),
        Block(PARAGRAPH, _paragraph(40, 20), 2),
    )
    chunks = chunk_document(doc)
    _check_offsets(doc, chunks)
    words = [len(c.text.split()) for c in chunks]
    assert all(MIN_WORDS <= w <= MAX_WORDS for w in words), words
    assert all(c.text.rstrip().endswith(".") for c in chunks)
    assert chunks[0].text.startswith("Ekonomi")
    assert (chunks[0].page_start, chunks[-1].page_end) == (1, 2)
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))


def test_chunks_never_cross_sections() -> None:
    doc = _doc(
        Block(HEADING, "Del A", 1, 1),
        Block(PARAGRAPH, _paragraph(0, 3), 1),
        Block(HEADING, "Del B", 1, 1),
        Block(PARAGRAPH, _paragraph(3, 3), 1),
    )
    chunks = chunk_document(doc)
    assert [c.section for c in chunks] == ["Del A", "Del B"]
    assert "Del B" not in chunks[0].text
    _check_offsets(doc, chunks)


def test_heading_only_section_gives_no_chunk() -> None:
    doc = _doc(
        Block(HEADING, "Verksamhet", 1, 1),
        Block(HEADING, "Ekonomi", 1, 2),
        Block(PARAGRAPH, _paragraph(0, 2), 1),
        Block(HEADING, "Personal", 1, 1),
        Block(PARAGRAPH, _paragraph(2, 2), 1),
    )
    chunks = chunk_document(doc)
    assert [c.section for c in chunks] == ["Verksamhet › Ekonomi", "Personal"]
    assert all(c.text.strip() for c in chunks)


def test_table_stays_whole_with_its_caption() -> None:
    rows = "\n".join(f"Division {i}\t{i * 10},5\t{i * 11},0" for i in range(20))
    doc = _doc(
        Block(HEADING, "Ekonomi", 1, 1),
        Block(PARAGRAPH, _paragraph(0, 15), 1),
        Block(PARAGRAPH, "Tabell 2. Resultat per division, mnkr", 2),
        Block(TABLE, rows, 2),
        Block(PARAGRAPH, _paragraph(15, 3), 3),
    )
    chunks = chunk_document(doc)
    _check_offsets(doc, chunks)
    (table_chunk,) = [c for c in chunks if "Division 0\t" in c.text]
    assert table_chunk.text.startswith("Tabell 2. Resultat per division")
    assert "Division 19\t" in table_chunk.text and table_chunk.lead == 0
    assert table_chunk.page_start == 2


def test_a_long_table_is_cut_between_rows_and_each_part_repeats_caption_and_header(tmp_path) -> None:
    header = "Mnkr\tBudget 2025\tUtfall 2025\n\tHelår\tJan–dec"
    rows = "\n".join(f"Division {i} med verksamhet i länet\t{i * 10},5\t{i * 11},0" for i in range(120))
    path = tmp_path / "plan.txt"
    path.write_text(
        f"Ekonomi\n\n{_paragraph(0, 2)}\n\nTabell 2. Resultat per division\n\n{header}\n{rows}\n\n"
        f"{_paragraph(5, 2)}\n",
        encoding="utf-8",
    )
    doc, chunks = read_and_chunk(path)
    _check_offsets(doc, chunks)
    parts = [c for c in chunks if "Division" in c.text]
    assert len(parts) >= 3
    assert all(len(c.text[c.lead :].split()) <= MAX_WORDS * 1.2 for c in parts)  # a short tail joins
    assert parts[0].lead == 0 and parts[0].text.startswith("Tabell 2. Resultat per division\n\nMnkr")
    for part in parts[1:]:
        assert part.lead > 0
        assert part.text.startswith("Tabell 2. Resultat per division\n\nMnkr\tBudget 2025\tUtfall 2025\n")
        assert part.text[part.lead :].startswith("Division")
    # Every row stands in exactly one chunk, in order.
    held = [line.split("\t")[0] for c in parts for line in c.text[c.lead :].split("\n") if "\t" in line]
    assert held[2:] == [f"Division {i} med verksamhet i länet" for i in range(120)]
    # A cell's figure belongs to the chunk that holds its row, and is no prose figure there.
    tag_chunks(doc, chunks, rules_only=True)
    last = next(f for c in parts for f in c.figures if f.row == "Division 119 med verksamhet i länet")
    assert last.basis == "budget" and last.value == 1_190_500_000.0
    holder = next(c for c in parts if last in c.figures)
    assert "Division 119 med" in holder.text[holder.lead :]
    assert all(f.table is not None for c in parts[1:] for f in c.figures)
