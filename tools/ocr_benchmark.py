"""OCR benchmark: character error rate on clean printed pages, scanned pages found or refused,
OCR speed on one and two processes, and a sample of printed page numbers to check by eye.

    python -m rapportsok.tools.ocr_benchmark [PDF_FOLDER] [--pages 24] [--png DIR]

The character error rate compares Tesseract's reading of a rendered page with the page's own
text layer. Columns, tables and side boxes come out in another order from OCR than from the
text layer, so both sides are cut into words (line-end hyphenations joined, soft hyphens and
hyphens removed), the words
sorted, and the edit distance taken between the sorted word sequences: reading order does not
count, while a misread word counts at least its length (it sorts elsewhere). Pages are sampled
from PDFs with a full text layer, never scans (a page-sized image).
"""

from __future__ import annotations

import argparse
import random
import re
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pypdfium2 as pdfium
from rapidfuzz.distance import Levenshtein
from rapportsok.ingest.ocr import DPI, MIN_CONFIDENCE, ocr_image
from rapportsok.ingest.pdf import SCAN_MIN_IMAGE_SHARE, image_share
from rapportsok.ingest.pipeline import process_file, read_and_chunk
from rapportsok.ingest.records import PAGE_OCR, PAGE_UNREADABLE

TARGET_CER = 0.02
MIN_PAGE_LETTERS = 1200
_NOISE_RE = re.compile(r"[\u00ad\ufffe\uffff\x02-]")


_LINE_HYPHEN_RE = re.compile(r"[-\u00ad]\s+")


def _letters(text: str) -> str:
    """The text's words in sorted order, joined without spaces (see the module docstring).

    Words hyphenated at a line end are joined first: the text layer often keeps them whole
    (soft hyphens), which is layout, not a reading error."""
    return "".join(sorted(_NOISE_RE.sub("", _LINE_HYPHEN_RE.sub("", text)).split()))


def _page_text(path: Path, index: int) -> str:
    document = pdfium.PdfDocument(path)
    textpage = document[index].get_textpage()
    return textpage.get_text_range()


def _ocr_text(job: tuple[str, int]) -> tuple[str, float | None]:
    path, index = job
    document = pdfium.PdfDocument(path)
    image = document[index].render(scale=DPI / 72, grayscale=True).to_pil()
    result = ocr_image(image)
    return "\n".join(line.text for line in result.lines), result.confidence


def clean_pages(folder: Path, count: int, seed: int = 7) -> list[tuple[Path, int]]:
    """Pages with a full text layer spread over the folder's PDFs (at most 3 per file)."""
    pick = random.Random(seed)
    chosen: list[tuple[Path, int]] = []
    for path in sorted(folder.glob("*.pdf")):
        document = pdfium.PdfDocument(path)
        candidates = []
        for index in range(len(document)):
            page = document[index]
            text = page.get_textpage().get_text_range()
            full = sum(ch.isalpha() for ch in text) >= MIN_PAGE_LETTERS and "\ufffd" not in text
            if full and image_share(page) < SCAN_MIN_IMAGE_SHARE:
                candidates.append(index)
        chosen += [(path, index) for index in sorted(pick.sample(candidates, min(3, len(candidates))))]
    pick.shuffle(chosen)
    return chosen[:count]


def character_error_rate(folder: Path, count: int) -> None:
    pages = clean_pages(folder, count)
    errors = total = 0
    print(f"Teckenfel (CER) på {len(pages)} rena sidor med textlager:")
    for path, index in pages:
        reference = _letters(_page_text(path, index))
        ocr_text, confidence = _ocr_text((str(path), index))
        distance = Levenshtein.distance(reference, _letters(ocr_text))
        errors, total = errors + distance, total + len(reference)
        print(
            f"  {path.name[:48]:48} s.{index + 1:>4}  CER {distance / len(reference):6.2%}  konf {confidence}"
        )
    rate = errors / total if total else 0.0
    print(f"CER totalt: {rate:.2%} (mål <= {TARGET_CER:.0%}) {'OK' if rate <= TARGET_CER else 'MISSAT'}")


def scanned_reports(folder: Path) -> None:
    print(f"Inskannade sidor (gräns för oläslig: medelkonfidens < {MIN_CONFIDENCE:g}):")
    for pattern in ("*rapportsammandrag*fortryck.pdf", "*Protokoll_SPn_april_2024*.pdf"):
        for path in sorted(folder.glob(pattern)):
            start = time.perf_counter()
            doc, chunks = process_file(path)
            seconds = time.perf_counter() - start
            for page in doc.pages:
                if page.status in (PAGE_OCR, PAGE_UNREADABLE):
                    indexed = sum(1 for c in chunks if c.page_start <= page.number <= c.page_end)
                    print(
                        f"  {path.name[:48]:48} s.{page.number:>3}  {page.status:10}  "
                        f"konf {page.confidence}  avsnitt på sidan: {indexed}"
                    )
            print(f"  {path.name[:48]:48} {len(chunks)} avsnitt, {seconds:.1f} s")


def ocr_speed(folder: Path, pages: int) -> None:
    jobs = [(str(path), index) for path, index in clean_pages(folder, pages, seed=11)]
    for workers in (1, 2):
        start = time.perf_counter()
        if workers == 1:
            for job in jobs:
                _ocr_text(job)
        else:
            with ProcessPoolExecutor(workers) as pool:
                list(pool.map(_ocr_text, jobs))
        seconds = time.perf_counter() - start
        rate = len(jobs) / seconds
        print(f"OCR-hastighet, {workers} process(er): {rate:.2f} sidor/s ({len(jobs)} sidor, {DPI} dpi)")


def page_number_sample(folder: Path, count: int, png: Path | None, seed: int = 3) -> None:
    """Ten random citations: PDF page and printed number; with --png the pages to look at."""
    pick = random.Random(seed)
    files = sorted(folder.glob("*.pdf"))
    print("Tryckta sidnummer, stickprov (kontrollera mot PNG-bilderna):")
    for path in pick.sample(files, min(count, len(files))):
        doc, chunks = read_and_chunk(path)
        chunk = pick.choice(chunks)
        label = doc.page_label(chunk.page_start)
        print(f"  {path.name[:48]:48} PDF-sida {chunk.page_start:>3}  tryckt: {label}")
        if png:
            png.mkdir(parents=True, exist_ok=True)
            page = pdfium.PdfDocument(path)[chunk.page_start - 1]
            page.render(scale=1).to_pil().save(png / f"{path.stem[:40]}_p{chunk.page_start}.png")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="../shared/pdfs", type=Path)
    parser.add_argument("--pages", type=int, default=24, help="sidor för teckenfel (CER)")
    parser.add_argument("--speed-pages", type=int, default=8)
    parser.add_argument("--png", type=Path, help="spara stickprovets sidor som PNG här")
    parser.add_argument("--only", choices=("cer", "scanned", "speed", "labels"))
    args = parser.parse_args(argv)
    parts = {
        "cer": lambda: character_error_rate(args.folder, args.pages),
        "scanned": lambda: scanned_reports(args.folder),
        "speed": lambda: ocr_speed(args.folder, args.speed_pages),
        "labels": lambda: page_number_sample(args.folder, 10, args.png),
    }
    for name, run in parts.items():
        if args.only in (None, name):
            run()


if __name__ == "__main__":
    main()
