"""OCR benchmark: character error rate on clean printed pages, scanned pages found or refused,
OCR speed in one and two threads, and a sample of printed page numbers to check by eye.

    python -m rapportsok.tools.ocr_benchmark [PDF_FOLDER] [--pages 20] [--png DIR]

The character error rate compares Tesseract's reading of a rendered page with the page's own
text layer. Columns, tables and side boxes come out in another order from OCR than from the
text layer, so both sides are normalised the same way and cut into words: line-end
hyphenations joined, soft hyphens removed, dashes made spaces, case folded (search ignores case),
Swedish thousands groups joined ("2 423" -> "2423", spaced differently by text layers and by
OCR) and tokens without a letter or digit dropped (bullets, rules). The words are sorted and
the edit distance taken between the sorted word sequences: reading order does not count,
while a misread word counts at least its length (it sorts elsewhere). Pages are sampled from
PDFs with a full text layer, never scans (a page-sized image).

Every part prints its target and OK or MISSAT; the command exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from pathlib import Path

import pypdfium2 as pdfium
from rapidfuzz.distance import Levenshtein
from rapportsok.ingest.ocr import DPI, MIN_CONFIDENCE, ocr_image, ocr_images
from rapportsok.ingest.pdf import SCAN_MIN_IMAGE_SHARE, image_share
from rapportsok.ingest.pipeline import process_file, read_and_chunk
from rapportsok.ingest.records import PAGE_OCR, PAGE_UNREADABLE

TARGET_CER = 0.02
# Two OCR threads must not be slower than one (on a shared machine they may gain little).
TARGET_SPEEDUP = 0.9
MIN_PAGE_LETTERS = 1200
_NOISE_RE = re.compile(r"[\u00ad\ufffe\uffff\x02]")
_LINE_HYPHEN_RE = re.compile(r"[-\u00ad\u2010\u2011]\s+")
_DASH_RE = re.compile(r"[-\u2010-\u2015\u2212]")
# "2 423" and "-1 161": Swedish thousands groups, which a text layer and OCR space differently
_GROUPS_RE = re.compile(r"(?<![\d,])(\d{1,3})((?: \d{3})+)(?![\d,])")
_CONTENT_RE = re.compile(r"\w")


def _words(text: str) -> list[str]:
    """The words both sides are compared on (see the module docstring)."""
    text = _NOISE_RE.sub("", _LINE_HYPHEN_RE.sub("", text)).casefold()
    text = _GROUPS_RE.sub(lambda m: m.group(0).replace(" ", ""), text)
    return [word for word in _DASH_RE.sub(" ", text).split() if _CONTENT_RE.search(word)]


def _letters(text: str) -> str:
    """The text's words in sorted order, joined without spaces: reading order does not count."""
    return "".join(sorted(_words(text)))


def page_error(reference: str, ocr: str) -> tuple[int, int]:
    """(edit distance, reference length) between the sorted words of the two texts."""
    expected = _letters(reference)
    return Levenshtein.distance(expected, _letters(ocr)), len(expected)


def _page_text(path: Path, index: int) -> str:
    document = pdfium.PdfDocument(path)
    textpage = document[index].get_textpage()
    return textpage.get_text_range()


def _render(path: Path, index: int):
    return pdfium.PdfDocument(path)[index].render(scale=DPI / 72, grayscale=True).to_pil()


def _ocr_text(path: Path, index: int) -> tuple[str, float | None]:
    result = ocr_image(_render(path, index))
    return "\n".join(line.text for line in result.lines), result.confidence


def _verdict(ok: bool) -> str:
    return "OK" if ok else "MISSAT"


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


def character_error_rate(folder: Path, count: int) -> bool:
    pages = clean_pages(folder, count)
    errors = total = 0
    print(f"Teckenfel (CER) på {len(pages)} rena sidor med textlager:")
    for path, index in pages:
        ocr_text, confidence = _ocr_text(path, index)
        distance, length = page_error(_page_text(path, index), ocr_text)
        errors, total = errors + distance, total + length
        print(
            f"  {path.name[:48]:48} s.{index + 1:>4}  CER {distance / length:6.2%} "
            f"({distance}/{length})  konf {confidence}"
        )
    rate = errors / total if total else 1.0
    print(f"CER totalt: {rate:.2%} (mål <= {TARGET_CER:.0%}) {_verdict(rate <= TARGET_CER)}")
    return rate <= TARGET_CER


def scanned_reports(folder: Path) -> bool:
    """Target: every OCR'd page of the scanned and the vector-drawn report is searchable (has
    chunks), and the handwritten page of the protocol is refused as unreadable."""
    print(f"Inskannade sidor (gräns för oläslig: medelkonfidens < {MIN_CONFIDENCE:g}):")
    searchable = unreadable = 0
    ok = True
    for pattern in ("*rapportsammandrag*fortryck.pdf", "*Protokoll_SPn_april_2024*.pdf"):
        for path in sorted(folder.glob(pattern)):
            start = time.perf_counter()
            doc, chunks = process_file(path)
            seconds = time.perf_counter() - start
            for page in doc.pages:
                if page.status in (PAGE_OCR, PAGE_UNREADABLE):
                    indexed = sum(1 for c in chunks if c.page_start <= page.number <= c.page_end)
                    unreadable += page.status == PAGE_UNREADABLE
                    searchable += page.status == PAGE_OCR and indexed > 0
                    ok = ok and (indexed > 0 or page.status == PAGE_UNREADABLE)
                    print(
                        f"  {path.name[:48]:48} s.{page.number:>3}  {page.status:10}  "
                        f"konf {page.confidence}  avsnitt på sidan: {indexed}"
                    )
            print(f"  {path.name[:48]:48} {len(chunks)} avsnitt, {seconds:.1f} s")
    ok = ok and searchable > 0 and unreadable == 1
    print(
        f"Sökbara OCR-sidor: {searchable}, oläsliga: {unreadable} "
        f"(mål: alla OCR-sidor sökbara, bara den handskrivna sidan oläslig) {_verdict(ok)}"
    )
    return ok


def ocr_speed(folder: Path, pages: int) -> bool:
    """Pages/s of one file's OCR pages in one and in two tesseract threads (`ocr_images`)."""
    jobs = clean_pages(folder, pages, seed=11)
    rates = {}
    for threads in (1, 2):
        start = time.perf_counter()
        images = ((job, _render(*job)) for job in jobs)
        for _ in ocr_images(images, threads):
            pass
        rates[threads] = len(jobs) / (time.perf_counter() - start)
        rate = rates[threads]
        print(f"OCR-hastighet, {threads} tråd(ar): {rate:.2f} sidor/s ({len(jobs)} sidor, {DPI} dpi)")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    ok = rates[2] >= TARGET_SPEEDUP * rates[1]
    print(
        f"  {os.cpu_count()} kärnor, belastning (1/5/15 min): {load}; "
        f"mål: 2 trådar >= {TARGET_SPEEDUP:g} x 1 tråd {_verdict(ok)}"
    )
    return ok


def page_number_sample(folder: Path, count: int, png: Path | None, seed: int = 3) -> bool:
    """Ten random citations: PDF page and printed number; with --png the pages to look at.

    Target: every citation has a printed page label (whether it is right is checked by eye)."""
    pick = random.Random(seed)
    files = sorted(folder.glob("*.pdf"))
    print("Tryckta sidnummer, stickprov (kontrollera mot PNG-bilderna):")
    labelled = 0
    sample = pick.sample(files, min(count, len(files)))
    for path in sample:
        doc, chunks = read_and_chunk(path)
        chunk = pick.choice(chunks)
        label = doc.page_label(chunk.page_start)
        labelled += bool(label)
        print(f"  {path.name[:48]:48} PDF-sida {chunk.page_start:>3}  tryckt: {label}")
        if png:
            png.mkdir(parents=True, exist_ok=True)
            page = pdfium.PdfDocument(path)[chunk.page_start - 1]
            page.render(scale=1).to_pil().save(png / f"{path.stem[:40]}_p{chunk.page_start}.png")
    ok = labelled == len(sample)
    print(f"Med tryckt sidnummer: {labelled} av {len(sample)} (mål: alla) {_verdict(ok)}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="../shared/pdfs", type=Path)
    parser.add_argument("--pages", type=int, default=20, help="sidor för teckenfel (CER)")
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
    missed = [name for name, run in parts.items() if args.only in (None, name) and not run()]
    if missed:
        print(f"Missade mål: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
