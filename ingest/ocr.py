"""OCR of one rendered PDF page with Tesseract's Swedish model (pytesseract), as lines with word boxes.

pytesseract was chosen over tesserocr and ocrmypdf: it only needs the `tesseract` program
(Debian packages tesseract-ocr and tesseract-ocr-swe), installs as a pure-Python wheel, and
returns word boxes and confidences (`image_to_data`). Starting the program costs about 0.05 s
per page against 1-3 s of recognition. Each tesseract is a subprocess, so the pages of one file
are OCR'd in parallel by plain threads (`ocr_images`), as many as `set_threads` allows (the
ingest worker pool divides the cores between the files it reads at once). tesserocr needs a
C++ build against libtesseract; ocrmypdf rewrites whole files and pulls in Ghostscript, while we
only need the words.
"""

from __future__ import annotations

import functools
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import pytesseract
from PIL.Image import Image
from rapportsok.ingest.errors import IngestError
from rapportsok.ingest.records import Word
from rapportsok.ingest.scan_image import clear_ruling, unread_regions

LANGUAGE = "swe"
DPI = 300  # Tesseract is trained on text of about this resolution
# Ruling lines are at least half an inch long and at most about 2.4 pt thick; shading to whiten
# is at least 1 mm across (`ingest.scan_image`).
RULE_MIN_LENGTH = DPI // 2
RULE_MAX_WIDTH = DPI // 30
SHADE_EXTENT = DPI // 25
BLOCK_MODE = "--psm 6"  # a region left unread is read again as one uniform block of text
# Below this mean word confidence (0-100) a page is unreadable: measured on the handwritten page
# of a scanned protocol (about 30) against clean printed pages (above 85); see docs/scanned-pages.md, "OCR".
MIN_CONFIDENCE = 60.0
# Tesseract's OpenMP threads spin while they wait; next to other busy processes (the ingest pool)
# that made one page take 35 s instead of 6 s on a loaded 2-core machine. Pages run in parallel
# as separate tesseract processes instead, so each gets one thread (unless the user set it).
THREAD_LIMIT = "1"
Key = TypeVar("Key")
_threads: int | None = None
MISSING = (
    "PDF-filen har sidor utan läsbar text som behöver OCR, men Tesseract med svenska saknas. "
    "Installera paketen tesseract-ocr och tesseract-ocr-swe (scripts/install.sh gör det) och läs in igen"
)


@dataclass
class OcrLine:
    """One recognised line: its text, its words with boxes, and whether a new paragraph starts."""

    text: str
    words: list[Word]
    new_paragraph: bool


@dataclass
class OcrPage:
    """Tesseract's lines of one page and its mean word confidence (None when it found no words)."""

    lines: list[OcrLine]
    confidence: float | None


@functools.cache
def ocr_available() -> bool:
    """True when the tesseract program runs and has the Swedish model."""
    try:
        return LANGUAGE in pytesseract.get_languages(config="")
    except (pytesseract.TesseractNotFoundError, pytesseract.TesseractError, OSError):
        return False


def require_ocr(path: str) -> None:
    """Raise the Swedish 'install Tesseract' error when OCR cannot run."""
    if not ocr_available():
        raise IngestError(MISSING, path)


def _recognise(
    image: Image, config: str, origin: tuple[int, int], page: tuple[int, int]
) -> tuple[list[OcrLine], list[float]]:
    """Tesseract's lines of `image` (a part of a page at `origin`, pixels, of a page of size
    `page`), with word boxes as fractions of the page, and its word confidences."""
    data = pytesseract.image_to_data(image, lang=LANGUAGE, config=config, output_type=pytesseract.Output.DICT)
    (x, y), (width, height) = origin, page
    lines: list[OcrLine] = []
    confidences: list[float] = []
    current: tuple[int, int, int] | None = None
    paragraph: tuple[int, int] | None = None
    for index, text in enumerate(data["text"]):
        confidence = float(data["conf"][index])
        text = text.strip()
        if confidence < 0 or not text:
            continue
        confidences.append(confidence)
        key = (data["block_num"][index], data["par_num"][index], data["line_num"][index])
        left, top = x + data["left"][index], y + data["top"][index]
        word = Word(
            text,
            left / width,
            top / height,
            (left + data["width"][index]) / width,
            (top + data["height"][index]) / height,
        )
        if key != current:
            lines.append(OcrLine("", [], new_paragraph=key[:2] != paragraph))
            current, paragraph = key, key[:2]
        lines[-1].words.append(word)
    for line in lines:
        line.text = " ".join(word.text for word in line.words)
    return lines, confidences


def ocr_image(image: Image) -> OcrPage:
    """Recognise the words of a page image rendered at `DPI`; boxes are fractions (0-1) of the
    image, origin top left.

    Ruling lines and light shading are taken out first (`ingest.scan_image`). Ink that Tesseract's
    page layout left unread (a dropped table column) is read again region by region as one block
    of text each (mode 6), after the page's lines; a region read with a mean confidence below
    MIN_CONFIDENCE (a logo, a signature) is left out and does not count in the page's confidence."""
    os.environ.setdefault("OMP_THREAD_LIMIT", THREAD_LIMIT)  # inherited by the tesseract process
    image = clear_ruling(image, RULE_MIN_LENGTH, RULE_MAX_WIDTH, SHADE_EXTENT)
    size = image.size
    lines, confidences = _recognise(image, "", (0, 0), size)
    boxes = [
        (int(w.x0 * size[0]), int(w.y0 * size[1]), int(w.x1 * size[0]), int(w.y1 * size[1]))
        for line in lines
        for w in line.words
    ]
    for region in unread_regions(image, boxes, SHADE_EXTENT):
        found, scores = _recognise(image.crop(region), BLOCK_MODE, region[:2], size)
        if scores and sum(scores) / len(scores) >= MIN_CONFIDENCE:
            lines += found
            confidences += scores
    mean = round(sum(confidences) / len(confidences), 1) if confidences else None
    return OcrPage(lines, mean)


def set_threads(count: int | None) -> None:
    """How many pages of one file may be OCR'd at once in this process (None: one per core).

    The ingest worker pool sets it in each worker so that files read in parallel share the
    cores instead of each starting one tesseract per core."""
    global _threads
    _threads = max(1, count) if count else None


def ocr_threads() -> int:
    """The number of pages `ocr_images` recognises at once."""
    return _threads or os.cpu_count() or 1


def ocr_images(
    images: Iterable[tuple[Key, Image]], threads: int | None = None
) -> Iterator[tuple[Key, OcrPage]]:
    """Recognise page images in parallel tesseract processes and yield the results in order.

    `images` is consumed in the caller's thread (pdfium, which renders the pages, is not thread
    safe), at most one image ahead of the running ones, so a long scan never sits in memory
    as images all at once."""
    threads = threads or ocr_threads()
    if threads == 1:
        for key, image in images:
            yield key, ocr_image(image)
        return
    pending: deque[tuple[Key, Future[OcrPage]]] = deque()
    with ThreadPoolExecutor(threads) as pool:
        for key, image in images:
            pending.append((key, pool.submit(ocr_image, image)))
            if len(pending) > threads:
                done_key, future = pending.popleft()
                yield done_key, future.result()
        while pending:
            done_key, future = pending.popleft()
            yield done_key, future.result()
