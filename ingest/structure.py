"""Turn lines of extracted text into blocks: paragraphs, list items, tables and headings.

Every reader (PDF, plain text, Markdown, Word) hands over `SourceLine`s with what
it knows (page, blank line before, heading level from markup or styles); this
module does the shared work: it removes the table of contents (and uses its
entries to confirm headings and their levels), rebuilds paragraphs from broken
lines, keeps tab-separated rows together as tables, finds headings in plain text
and gives each block its section path. The heading rules are hand-written
heuristics (short line, no sentence end, followed by body text, listed in the
table of contents), as no library recovers structure from flat Swedish text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from rapportsok.ingest.cleanup import (
    OPEN_ENDINGS,
    bullet_text,
    continues,
    ends_sentence,
    join_lines,
    normalize_chars,
    strip_private_use,
)
from rapportsok.ingest.records import HEADING, LIST_ITEM, PARAGRAPH, SECTION_SEPARATOR, TABLE, Block
from rapportsok.ingest.tables import looks_like_table_row
from rapportsok.lang.dates import MONTHS

MAX_HEADING_CHARS = 110
MAX_HEADING_WORDS = 16
MAX_FRONT_LINES = 60

_TOC_TITLE_RE = re.compile(r"^\s*(?:innehållsförteckning|innehåll)\s*:?\s*$", re.IGNORECASE)
# "Rubrik .....  12", "Rubrik\t12", "1.2 Rubrik ...... 4": a leader (dots, tab, wide space) is required,
# or "Ledningsrapport december 2019" would read as an entry for page 2019.
_TOC_ENTRY_RE = re.compile(
    r"^\s*(?P<title>\S.*?)\s*(?P<leader>\.{3,}|…+|\t| {2,})[\s.…]*(?P<page>\d{1,4})\s*$"
)
_LABEL_RE = re.compile(r"^([A-ZÅÄÖ][\wåäöÅÄÖ ]{2,30}?)\s*\d*\s*:")
# A line that is only a date ("5 maj", "28 januari 2020"): never a heading; a title page's date.
DATE_LINE_RE = re.compile(rf"^\s*\d{{1,2}}\s+(?:{'|'.join(MONTHS)})(?:\s+\d{{4}})?\s*$", re.IGNORECASE)
_LEADER_RE = re.compile(r"(?:\.\s?){5,}\s*\d{1,4}")
_NUMBERED_RE = re.compile(r"^\d+(?:\.\d+)*\.?\s+\S")
_FOOTNOTE_RE = re.compile(r"^\s*[¹²³⁰⁴⁵⁶⁷⁸⁹*]")


@dataclass
class SourceLine:
    """One line as a reader saw it.

    `gap_before`: a blank line precedes it. `glued`: the line belongs to a
    heading that was printed directly above its first text line (no blank).
    `heading`: heading level from markup or styles (0 = unknown). `bold`: the
    whole line was bold. `starts_table`: a table row that opens a new table even
    right under another table's rows (the header of an unruled PDF table).
    """

    text: str
    page: int = 1
    gap_before: bool = False
    glued: bool = False
    heading: int = 0
    bold: bool = False
    starts_table: bool = False


@dataclass
class _TocEntry:
    key: str
    level: int
    page: int


@dataclass
class _Para:
    kind: str
    text: str
    page: int
    last_line: str
    lines: int = 1
    level: int = 0
    glued: bool = False
    front: bool = False


def heading_key(text: str) -> str:
    """Compare headings with TOC entries: case, spacing, numbering and leaders ignored."""
    text = re.sub(r"^\s*(?:\d+(?:\.\d+)*\.?|[IVX]+\.)\s+", "", text)
    return re.sub(r"[\W_]+", "", text.lower())


def _is_table_row(text: str) -> bool:
    return "\t" in text.strip(" ") and any(cell.strip() for cell in text.split("\t"))


def _toc_entry(line: SourceLine) -> re.Match[str] | None:
    match = _TOC_ENTRY_RE.match(line.text)
    return match if match and (not line.heading or match.group("leader").startswith((".", "…"))) else None


def split_toc(lines: list[SourceLine]) -> tuple[list[SourceLine], list[_TocEntry], int | None]:
    """Remove the table of contents; return the other lines, its entries and where it stood.

    The TOC starts at an "Innehållsförteckning"/"Innehåll" line and runs while
    lines look like entries (title, leader or tab, page number); blank lines,
    page breaks and entries wrapped over two or three lines are allowed.
    """
    for start, line in enumerate(lines):
        if not _TOC_TITLE_RE.match(line.text):
            continue
        entries: list[_TocEntry] = []
        end = start + 1
        while end < len(lines):
            match = _toc_entry(lines[end])
            if match is None:
                ahead = next(
                    (k for k in range(end + 1, min(end + 3, len(lines))) if _toc_entry(lines[k])), None
                )
                if not entries or ahead is None or any(len(lines[k].text) > 120 for k in range(end, ahead)):
                    break
                end = ahead  # the first lines of a wrapped entry go with the TOC
                continue
            title = match.group("title").strip()
            dotted = match.group("leader").startswith((".", "…"))
            if lines[end].bold:
                level = 1
            elif dotted or (entries and entries[-1].level == 2 and entries[-1].page == int(match["page"])):
                level = 2
            else:
                level = 1
            entries.append(_TocEntry(heading_key(title), level, int(match.group("page"))))
            end += 1
        if len(entries) >= 2:
            return lines[:start] + lines[end:], entries, start
    return lines, [], None


def _is_toc_debris(text: str) -> bool:
    """A paragraph made of TOC entries run together (a TOC without an "Innehåll" title)."""
    return len(_LEADER_RE.findall(text)) >= 2


def _new_para(line: SourceLine, text: str) -> _Para:
    kind = LIST_ITEM if text.startswith("• ") else PARAGRAPH
    return _Para(kind, text, line.page, text, glued=line.glued)


def _assemble(lines: list[SourceLine], wrapped: bool, width: float) -> list[_Para]:
    """Rebuild paragraphs, list items, tables and marked headings from lines."""
    paras: list[_Para] = []
    for line in lines:
        item = bullet_text(line.text)
        raw = strip_private_use(line.text) if item is None else line.text
        if _is_table_row(raw):
            row = raw.rstrip(" \r\n")
            # A table's rows on the next page are a table of their own (with their own page; a PDF
            # table continued without its header got it again in `ingest.pdf_tables`).
            if paras and paras[-1].kind == TABLE and paras[-1].page == line.page and not line.starts_table:
                paras[-1].text += "\n" + row
                paras[-1].lines += 1
            else:
                paras.append(_Para(TABLE, row, line.page, row))
            continue
        text = item if item is not None else " ".join(raw.split())
        if not text:
            continue
        if line.heading and not looks_like_table_row(text):  # a bold table row is no heading
            last = paras[-1] if paras else None
            if (
                last
                and last.kind == HEADING
                and last.level == line.heading
                and last.page == line.page
                and wrapped
                and not _NUMBERED_RE.match(text)
            ):
                last.text = join_lines(last.text, text)  # a heading set on two lines
                last.lines += 1
            else:
                paras.append(_Para(HEADING, text, line.page, text, level=line.heading))
            continue
        cur = paras[-1] if paras else None
        if cur is None or cur.kind in (TABLE, HEADING) or item is not None:
            paras.append(_new_para(line, text))
            continue
        if cur.glued or line.glued:
            joins = cur.glued and line.glued
        elif not wrapped:
            joins = not line.gap_before or continues(cur.last_line, text, wrapped=False)
        else:
            joins = continues(cur.last_line, text, full_width=len(cur.last_line) >= 0.8 * width)
        if joins:
            cur.text = join_lines(cur.text, text)
            cur.last_line = text
            cur.lines += 1
        else:
            paras.append(_new_para(line, text))
    return paras


def _looks_like_heading(para: _Para, nxt: _Para | None) -> bool:
    if para.kind != PARAGRAPH or nxt is None or nxt.kind == LIST_ITEM and para.text.endswith(":"):
        return False
    text = para.text
    if not para.glued:
        if para.lines > 1 or ends_sentence(text) or text.endswith(","):
            return False
    first = text[0]
    words = text.split()
    return (
        (first.isupper() or first.isdigit())
        and any(ch.isalpha() for ch in text)
        and len(text) <= MAX_HEADING_CHARS
        and len(words) <= MAX_HEADING_WORDS
        and not (text.isupper() and len(words) <= 4 and not para.glued)
        and not DATE_LINE_RE.match(text)
        and not _FOOTNOTE_RE.match(text)
        and not looks_like_table_row(text)
        and words[-1] not in OPEN_ENDINGS
    )


def _label(text: str) -> str | None:
    match = _LABEL_RE.match(text)
    return match.group(1).lower() if match else None


def _assign_headings(
    paras: list[_Para], toc: list[_TocEntry], has_front: bool, styled_toc: bool, guess: bool
) -> None:
    """Mark heading paragraphs and give them levels.

    Order of evidence: a repeated label ("Framgångsfaktor: …", a second
    "Resultat") keeps the level it had first; markup/style levels (raised to
    what a bold/plain TOC says); TOC levels; a heading right below another
    heading is its child (a run of three or more is a list of siblings);
    other headings sit just below the last TOC-level heading. Before the TOC
    (the title page) only the first heading counts: it is the title.
    """
    toc_levels = {entry.key: entry.level for entry in toc}
    candidates = {
        i
        for i, para in enumerate(paras)
        if _looks_like_heading(para, paras[i + 1] if i + 1 < len(paras) else None)
        and (guess or heading_key(para.text) in toc_levels)
    }
    headingish = [i for i, para in enumerate(paras) if i in candidates or para.kind == HEADING]
    keys = {i: heading_key(paras[i].text) for i in headingish}
    counts = Counter(keys.values())
    confirmed = {i for i in headingish if keys[i] in toc_levels}
    offset = next(
        (
            paras[i].level - 1
            for i in sorted(confirmed)
            if paras[i].kind == HEADING and not paras[i].front and toc_levels[keys[i]] == 1
        ),
        1,
    )
    seen_levels: dict[str, int] = {}
    in_front = has_front
    previous: _Para | None = None
    chained = False
    carry: tuple[int, int] | None = None  # (markup level, shift) of the last heading the TOC moved
    last_toc_level = 0
    for i, para in enumerate(paras):
        if in_front and para.front:
            if previous is None and i in headingish:
                para.kind, para.level = HEADING, 1
                previous = para
            continue
        if in_front:
            in_front, previous = False, None
        forced = para.kind == HEADING
        if i not in headingish:
            previous = None
            continue
        key = keys[i]
        if not forced and i not in confirmed and toc and i + 1 in confirmed and not para.glued:
            continue  # a signature or label line closing a section
        label = _label(para.text) or (key if counts[key] > 1 else None)
        chain = False
        if label and label in seen_levels:
            level = seen_levels[label]
            if previous is not None and previous.level >= level > 1:
                previous.level = level - 1  # the heading right above a known-level one is its parent
        elif forced:
            level = para.level
            if carry is not None and level > carry[0]:
                level += carry[1]
            else:
                carry = None
            wanted = toc_levels.get(key, 0) + offset if styled_toc and key in toc_levels else 0
            if wanted > level:  # the TOC puts it deeper: move its subtree down with it
                carry = (para.level, wanted - para.level)
                level = wanted
        elif i in confirmed:
            level = toc_levels[key]
            if previous is not None and previous.level >= level:
                level = previous.level + 1
        elif previous is not None:
            level = previous.level if chained else previous.level + 1
            chain = True
        else:
            level = last_toc_level + 1 if last_toc_level else 1
        level = min(level, 6)
        if label:
            seen_levels.setdefault(label, level)
        if forced or i in confirmed:
            last_toc_level = level
        para.kind, para.level = HEADING, level
        previous, chained = para, chain


def build_blocks(
    lines: list[SourceLine], *, wrapped: bool = False, guess_headings: bool = True
) -> list[Block]:
    """Blocks of a document from its lines (TOC removed, paragraphs rebuilt, headings found).

    `guess_headings=False` when font sizes already marked the headings (PDF):
    the text rules for headings are then left out.
    """
    lines = [replace(ln, text=normalize_chars(ln.text)) for ln in lines]
    body, toc, toc_at = split_toc(lines)
    lengths = sorted(len(ln.text.strip()) for ln in body if ln.text.strip())
    width = lengths[int(0.9 * (len(lengths) - 1))] if lengths else 80.0
    # Lines before a TOC near the start are the title page; a TOC deep in the file has none.
    front_count = toc_at if toc_at is not None and toc_at <= max(MAX_FRONT_LINES, len(lines) // 10) else 0
    paras = _assemble(body[:front_count], wrapped, width)
    for para in paras:
        para.front = True
    paras += _assemble(body[front_count:], wrapped, width)
    styled_toc = (
        guess_headings and toc_at is not None and any(ln.bold for ln in lines[toc_at : toc_at + len(toc) + 1])
    )
    paras = [para for para in paras if not (para.kind != TABLE and _is_toc_debris(para.text))]
    _assign_headings(paras, toc, front_count > 0, styled_toc, guess_headings)
    return [Block(p.kind, p.text, p.page, p.level if p.kind == HEADING else 0) for p in paras]


def section_paths(blocks: list[Block]) -> list[str]:
    """The heading path of every block (a heading's own path includes itself).

    A document title (the first heading, alone on the top level) is left out
    of the paths below it: every section would otherwise start with it.
    """
    headings = [b for b in blocks if b.kind == HEADING]
    title: Block | None = None
    if headings:
        top = min(h.level for h in headings)
        tops = [h for h in headings if h.level == top]
        if len(tops) == 1 and tops[0] is headings[0] and len(headings) > 1:
            title = headings[0]
    stack: list[Block] = []
    paths = []
    for block in blocks:
        if block.kind == HEADING and block is not title:
            while stack and stack[-1].level >= block.level:
                stack.pop()
            stack.append(block)
        if block is title or (title is not None and not stack):
            paths.append(title.text)
        else:
            paths.append(SECTION_SEPARATOR.join(h.text for h in stack))
    return paths
