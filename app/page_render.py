"""The cited page as a picture with the cited words marked, and a text report's passage in its context.

Pure functions over files and records, no Streamlit: app/page_view.py shows what these return.
PDF pages are drawn by pypdfium2 (already a dependency for OCR) and marked with Pillow; the
drawing is cached per file version and page, since paging back and forth redraws the same pages.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw
from rapportsok.ingest.records import Box

RENDER_SCALE = 1.6  # 115 dpi: small print on an A4 page stays readable in the side panel
CONTEXT_CHARS = 900  # text shown before and after a passage of a report without pages
SENTENCE_FILL = (255, 214, 102, 90)  # the cited sentence or passage: pale amber
FIGURE_FILL = (255, 140, 0, 120)  # the figure itself: stronger
FIGURE_OUTLINE = (200, 80, 0, 255)
MARGIN = 0.003  # fraction of the page added around each box so the mark does not clip letters


def page_count(path: str | Path) -> int:
    """How many pages a PDF has (0 for a file pypdfium2 cannot open)."""
    try:
        return len(_open(str(path), _version(path)))
    except (pdfium.PdfiumError, OSError):
        return 0


def _version(path: str | Path) -> int:
    """The file's modification time: a replaced report is drawn anew, not from the cache."""
    return Path(path).stat().st_mtime_ns


@lru_cache(maxsize=8)
def _open(path: str, version: int) -> pdfium.PdfDocument:  # noqa: ARG001 - `version` keys the cache
    return pdfium.PdfDocument(path)


@lru_cache(maxsize=64)
def _page_png(path: str, version: int, page: int) -> bytes:
    document = _open(path, version)
    image = document[page - 1].render(scale=RENDER_SCALE).to_pil().convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def page_image(path: str | Path, page: int) -> Image.Image:
    """PDF page `page` (1 = first) as an image, drawn once per file version (cached)."""
    return Image.open(io.BytesIO(_page_png(str(path), _version(path), page)))


def mark_boxes(
    image: Image.Image, page: int, sentence: Sequence[Box], figure: Sequence[Box] = ()
) -> Image.Image:
    """A copy of `image` with the boxes on `page` drawn as semi-transparent rectangles: the
    sentence's pale, the figure's stronger and outlined. Box corners are fractions of the page."""
    base = image.convert("RGBA")
    layer = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    width, height = base.size
    for boxes, fill, outline in ((sentence, SENTENCE_FILL, None), (figure, FIGURE_FILL, FIGURE_OUTLINE)):
        for box in boxes:
            if box.page != page:
                continue
            corners = (
                (box.x0 - MARGIN) * width, (box.y0 - MARGIN) * height,
                (box.x1 + MARGIN) * width, (box.y1 + MARGIN) * height,
            )
            draw.rectangle(corners, fill=fill, outline=outline, width=2 if outline else 0)
    return Image.alpha_composite(base, layer).convert("RGB")


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def in_context(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> tuple[str, str, str]:
    """The passage text[start:end] with up to `context` characters before and after it, cut at
    whitespace so no word is split: (before, passage, after)."""
    start, end = max(0, start), min(len(text), end)
    low = max(0, start - context)
    if low > 0:
        space = text.find(" ", low, start)
        low = space + 1 if space >= 0 else low
    high = min(len(text), end + context)
    if high < len(text):
        space = text.rfind(" ", end, high)
        high = space if space >= 0 else high
    return text[low:start], text[start:end], text[end:high]
