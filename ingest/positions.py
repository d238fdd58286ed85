"""Where each chunk and figure stands on its PDF page: boxes from the page's words.

Cleanup (hyphen joins, dropped headers, reordered titles) means a chunk's text is not a slice
of the page text, so the chunk's words are aligned with the page's words in reading order:
each chunk word is looked for a little ahead of the last match, and a word the reader joined
from a hyphenated pair ("in-" + "nebär", or "IT-" + "miljön" keeping its hyphen) matches the
pair (`ingest.pdf` splits a word pdfium hyphenates over a line end into such a pair). Matched
words on one line merge into one box. Boxes are fractions (0-1) of the page, origin top left
(see `records.Box`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapportsok.ingest.records import Box, Chunk, Document, Word

LOOKAHEAD = 40  # page words skipped at most between two matched chunk words
ANCHOR_WORDS = 4  # chunk words that must match in a row to place the chunk's start
_TOKEN_RE = re.compile(r"\S+")
_EDGE_PUNCT = "\"'”“’‘«»()[]{}.,;:!?•\u00ad-–—*"


def _norm(text: str) -> str:
    return text.strip(_EDGE_PUNCT).casefold().replace("\u00ad", "")


def _matches(token: str, words: Sequence[tuple[int, Word]], at: int) -> int:
    """How many page words from `at` make up `token` (0 = no match; 2 = a hyphenated pair)."""
    word = _norm(words[at][1].text)
    if not token or not word:
        return 0
    if word == token:
        return 1
    if at + 1 < len(words) and words[at][1].text.rstrip().endswith(("-", "\u00ad")):
        following = _norm(words[at + 1][1].text)
        if token in (word + following, f"{word}-{following}"):
            return 2
    return 0


def _anchor(tokens: list[str], words: Sequence[tuple[int, Word]]) -> int | None:
    """The page-word index where the chunk starts: the first place its first words match in a row."""
    need = min(ANCHOR_WORDS, len(tokens))
    best: tuple[int, int] | None = None
    for start in range(len(words)):
        at, hits = start, 0
        for token in tokens[:need]:
            if at >= len(words):
                break
            step = _matches(token, words, at)
            if not step:
                break
            hits, at = hits + 1, at + step
        if hits == need:
            return start
        if hits and (best is None or hits > best[1]):
            best = (start, hits)
    return best[0] if best else None


def locate(text: str, words: Sequence[tuple[int, Word]]) -> list[Box]:
    """Boxes of `text` among `words` ((page, word) in reading order), one per matched line part."""
    spans = [(m.start(), m.end(), _norm(m.group())) for m in _TOKEN_RE.finditer(text)]
    spans = [span for span in spans if span[2]]
    if not spans or not words:
        return []
    at = _anchor([token for _, _, token in spans], words)
    if at is None:
        return []
    boxes: list[Box] = []
    for start, end, token in spans:
        for probe in range(at, min(at + LOOKAHEAD, len(words))):
            step = _matches(token, words, probe)
            if step:
                for page, word in words[probe : probe + step]:
                    _add(boxes, start, end, page, word)
                at = probe + step
                break
    return boxes


def _add(boxes: list[Box], start: int, end: int, page: int, word: Word) -> None:
    """Extend the last box when the word continues its line, else start a new box."""
    last = boxes[-1] if boxes else None
    height = word.y1 - word.y0
    if (
        last is not None
        and last.page == page
        and word.x0 >= last.x0
        and min(last.y1, word.y1) - max(last.y0, word.y0) > 0.5 * height
    ):
        last.end = max(last.end, end)
        last.x1, last.y0, last.y1 = max(last.x1, word.x1), min(last.y0, word.y0), max(last.y1, word.y1)
        return
    boxes.append(Box(start, end, page, word.x0, word.y0, word.x1, word.y1))


def span_boxes(boxes: Sequence[Box], start: int, end: int, shift: int = 0) -> list[Box]:
    """The boxes covering characters `start`..`end` of a text whose boxes are `boxes`.

    Offsets in the result are moved by `-shift` (a figure's boxes count from its sentence,
    which starts at `shift` in the chunk). Boxes are whole line parts, not cut at the span.
    """
    return [
        Box(
            max(box.start, start) - shift, min(box.end, end) - shift, box.page, box.x0, box.y0, box.x1, box.y1
        )
        for box in boxes
        if box.start < end and box.end > start
    ]


def place_chunks(doc: Document, chunks: list[Chunk]) -> None:
    """Set each chunk's printed page number and boxes (PDFs only; other files have no pages)."""
    if not doc.pages:
        return
    for chunk in chunks:
        chunk.page_label = doc.page_label(chunk.page_start)
        words = [
            (page.number, word)
            for page in doc.pages[chunk.page_start - 1 : chunk.page_end]
            for word in page.words
        ]
        chunk.boxes = locate(chunk.text, words)


def place_figures(doc: Document, chunks: list[Chunk]) -> None:
    """Give each figure the boxes of its words and the page they stand on, with its printed
    number: a chunk may run over two pages, and a figure on the second is cited with that one."""
    for chunk in chunks:
        for figure in chunk.figures:
            offset = chunk.text.find(figure.sentence)
            if offset >= 0:
                figure.boxes = span_boxes(chunk.boxes, offset + figure.start, offset + figure.end, offset)
            if figure.boxes:
                figure.page = figure.boxes[0].page
            # a table row's page is its own already (`Figure.page` from the row), not the chunk's
            figure.page_label = (doc.page_label(figure.page) if figure.page else None) or chunk.page_label
