"""Title, date and organisation of a report: read from its text, corrected by a sidecar
`metadata.toml`.

File names carry no reliable title or date, so both come from the text (the
title page: first heading plus a date line such as "5 maj" or "28 januari
2020"). Users correct them by hand in `metadata.toml` beside the files (the
app's corrections go to the data directory instead: index/corrections.py):

    ["000_8ac7d356e43819cf.txt"]
    title = "Regiondirektörens rapport 5 maj 2021"
    date = "2021-05-05"
    organisation = "Region Norrbotten"

The date rules are hand-written: dateparser reads "5 maj" but guesses the
current year, whereas a report's year has to come from its own text (a report
dated "5 maj" that speaks of "mars 2021" is from 2021).
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from pathlib import Path

from rapportsok.ingest.errors import IngestError
from rapportsok.ingest.organisation import detect_organisation
from rapportsok.ingest.records import HEADING, PARAGRAPH, Document
from rapportsok.ingest.sidecar import BAD_DATE, ISO_PREFIX_RE, SIDECAR, load_override
from rapportsok.ingest.structure import DATE_LINE_RE
from rapportsok.lang.dates import MONTHS, YEAR

TITLE_PAGE_BLOCKS = 12
_MONTH = "|".join(MONTHS)
_DAY_MONTH_RE = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH})(?:\s+(\d{{4}}))?\b", re.IGNORECASE)
_MONTH_YEAR_RE = re.compile(rf"\b({_MONTH})\s+({YEAR})\b", re.IGNORECASE)
_YEAR_RE = re.compile(rf"(?<!\d)({YEAR})(?!\d)")


def infer_title(doc: Document) -> str | None:
    """The title from the title page: the first heading, plus a date line right after it."""
    blocks = doc.blocks
    if not blocks or blocks[0].kind != HEADING:
        return None
    title = blocks[0].text
    rest = blocks[1:]
    if rest and rest[0].kind == PARAGRAPH and DATE_LINE_RE.match(rest[0].text):
        title = f"{title} {rest[0].text.strip()}"
        rest = rest[1:]
    if rest and rest[0].kind == PARAGRAPH and len(rest[0].text.split()) >= 8:
        return None  # the first heading opens a section of body text, it is no title page
    return title


def report_year(title: str, text: str) -> int | None:
    """The report's year: one named in the title ("dnr 5-2018"), else the year the text
    most often names with a month ("mars 2021"; ties go to the later year)."""
    in_title = _YEAR_RE.findall(title)
    if in_title:
        return int(in_title[0])
    years = Counter(int(match.group(2)) for match in _MONTH_YEAR_RE.finditer(text))
    return max(years, key=lambda year: (years[year], year)) if years else None


def infer_date(doc: Document) -> str | None:
    """An ISO date prefix: the title page's date (year taken from the text when missing), else a year."""
    year = report_year(infer_title(doc) or "", doc.text)
    for block in doc.blocks[:TITLE_PAGE_BLOCKS]:
        match = _DAY_MONTH_RE.search(block.text)
        if match and (block.kind == HEADING or DATE_LINE_RE.match(block.text)):
            day, month = int(match.group(1)), MONTHS[match.group(2).lower()]
            found_year = int(match.group(3)) if match.group(3) else year
            if found_year and 1 <= day <= 31:
                return f"{found_year:04d}-{month:02d}-{day:02d}"
    for block in doc.blocks[:TITLE_PAGE_BLOCKS]:
        # A title naming a month and year ("Delårsrapport mars 2026") dates the report to that month.
        match = _MONTH_YEAR_RE.search(block.text)
        if match and block.kind == HEADING and int(match.group(2)) == year:
            return f"{year:04d}-{MONTHS[match.group(1).lower()]:02d}"
    return str(year) if year else None


def apply_metadata(doc: Document, path: Path, override: dict | None = None) -> Document:
    """Fill `doc.title`, `doc.date` and `doc.organisation`: the correction first (`override`, else
    the sidecar entry), then the text, then (title) what the reader found (a PDF's cover title) or
    the file name."""
    if override is None:
        override = load_override(path)
    date = override.get("date")
    if isinstance(date, datetime.date):  # an unquoted TOML date
        date = date.isoformat()
    if date is not None and not (isinstance(date, str) and ISO_PREFIX_RE.match(date)):
        raise IngestError(f"{SIDECAR}: {BAD_DATE} (fil {path.name})", str(path))
    inferred = infer_title(doc)
    if inferred and doc.title.startswith(inferred) and len(doc.title) > len(inferred):
        # The cover prints the whole title in one font; the text rules kept its first line only
        # ("Välkommen till Polisens digitala" of "… digitala årsredovisning 2008").
        inferred = doc.title
    doc.title = override.get("title") or inferred or doc.title or path.stem
    doc.date = date or infer_date(doc)
    doc.organisation = override.get("organisation") or detect_organisation(
        doc.title, [block.text for block in doc.blocks]
    )
    return doc
