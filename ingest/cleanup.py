"""Swedish text cleanup: pure functions on lines of extracted text.

Text pulled out of PDFs and Word exports carries layout debris: words split by
end-of-line hyphenation, paragraphs broken into lines, bullet glyphs from
private fonts, running headers/footers and page counters. No maintained library
does Swedish de-hyphenation or this kind of line repair, so the rules here are
hand-written from cases in `corpus/` and real Swedish PDFs, and each rule is
unit-tested (tests/test_cleanup.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

BULLET = "• "
MAX_FURNITURE_CHARS = 70

# Glyphs that start a list item: private-use symbols from Symbol/Wingdings fonts
# (U+F0B7, U+F0A7, U+F076, U+F0D8, U+F0FC, ...), common bullet characters and a
# dash followed by a space.
_BULLET_RE = re.compile(r"^\s*(?:[\ue000-\uf8ff•▪◦●■□➢►✓]|[-–—](?=\s))\s*")
_PRIVATE_USE_RE = re.compile(r"[\ue000-\uf8ff]")

# Page counters: "10 (26)", "Sida 3 av 12", "3/12", "- 4 -", "4", ".DOCX SID 3 (26)".
_PAGE_COUNTER_RE = re.compile(
    r"^\s*(?:sida\s+|page\s+|s\.\s*)?[-–]?\s*\d{1,4}\s*[-–]?\s*(?:\(\s*\d{1,4}\s*\)|(?:av|of|/)\s*\d{1,4})?\s*$",
    re.IGNORECASE,
)
# ... or ending a header line: "Göteborgs Stad kommunfullmäktige 1 (1)".
_EMBEDDED_COUNTER_RE = re.compile(
    r"(?:\bSID|\bSida)\s+\d{1,4}\s*(?:\(\s*\d{1,4}\s*\)|av\s+\d{1,4})|\s\d{1,4}\s*\(\s*\d{1,4}\s*\)\s*$",
    re.IGNORECASE,
)

# Words after a line-final hyphen that show the hyphen is real: "hälso- och sjukvård".
_CONJUNCTIONS = {"och", "eller", "samt", "till", "respektive", "resp", "som", "liksom", "men"}

_SENTENCE_END = ".!?:;"
# Words that cannot end a sentence or a heading (conjunctions, prepositions, articles).
OPEN_ENDINGS = frozenset(
    (
        "och eller samt att som där i på av för med till från om en ett den det de är var har inom under "
        "över mellan enligt mot vid"
    ).split()
)
_CONTROL_RUN_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]{3,}")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
# InDesign exports its discretionary hyphen as "¬" inside a word ("legalitetsprinci¬pen").
_NOT_SIGN_HYPHEN_RE = re.compile(r"(?<=[^\W\d_])¬\s?(?=[^\W\d_])")
_CHAR_MAP = str.maketrans(
    {
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u00ad": "",  # soft hyphen: an invisible break hint in HTML and Word (see `drawn_hyphens`)
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb00": "ff",
        "\u2010": "-",
        "\u2011": "-",
    }
)


def normalize_chars(text: str) -> str:
    """NFC-normalize and replace layout characters (no-break spaces, soft hyphens, ligatures).

    Runs of control characters are TOC leaders in some PDFs ("Förord\\x08\\x08…1").
    """
    text = _CONTROL_RUN_RE.sub(" ...... ", unicodedata.normalize("NFC", text))
    text = _NOT_SIGN_HYPHEN_RE.sub("", _CONTROL_RE.sub("", text))
    return text.translate(_CHAR_MAP)


def drawn_hyphens(text: str) -> str:
    """PDF text with each soft hyphen (U+00AD) read as the hyphen it was drawn as.

    A PDF holds only drawn glyphs, so a soft hyphen in its text was printed:
    some exports map their hyphen glyph to U+00AD everywhere. Dropping it (as
    `normalize_chars` does for HTML and Word) glues a range into one figure
    ("16\xad17 år" → "1617 år") and words split at a line end ("tillsam\xad" +
    "mans"). Read as "-", the line join repairs the break and "16-17", "2009-12-31",
    "IT-stöd" and "e-tjänster" read as printed. Runs after `ingest.text_tables`,
    which reads a soft hyphen alone in a table cell as a minus.
    """
    return text.replace("\u00ad", "-")


def bullet_text(line: str) -> str | None:
    """The line as a "• item" when it starts with a bullet glyph, else None."""
    match = _BULLET_RE.match(line)
    if not match:
        return None
    rest = line[match.end() :].strip()
    return BULLET + rest if rest else None


def strip_private_use(text: str) -> str:
    """Drop private-use glyphs that are not bullets (icons and symbol-font debris)."""
    return _PRIVATE_USE_RE.sub("", text)


def is_page_counter(line: str) -> bool:
    """True for a line that only numbers the page: "10 (26)", "Sida 3 av 12", "- 4 -"."""
    stripped = line.strip()
    return bool(stripped) and bool(_PAGE_COUNTER_RE.match(stripped) or _EMBEDDED_COUNTER_RE.search(stripped))


# A number in a running header or footer: digits, and control characters that stand for digits a
# font left unmapped ("\x18\x18årsredovisning").
_FURNITURE_NUMBER_RE = re.compile(r"[\d\x00-\x08\x0b\x0e-\x1f]+")
_GLUED_EDGE_NUMBER_RE = re.compile(r"^#(?=[^\W\d_])|(?<=[^\W\d_])#$")


def _furniture_key(line: str) -> str:
    """A line with its numbers blanked, so "Rapport 2024 sida 3" repeats across pages; a page
    number glued onto the first or last word ("11årsredovisning", "Sida12") is set apart, as it
    is on the pages where a space was drawn."""
    key = " ".join(_FURNITURE_NUMBER_RE.sub("#", line).split()).lower()
    return _GLUED_EDGE_NUMBER_RE.sub(" # ", key).strip()


ALTERNATING_PAGES = 12


def furniture_mask(pages: list[list[str]], edge: int = 5) -> list[list[bool]]:
    """For each line of each page: True when it is a page counter or running header/footer.

    A line among the first or last `edge` non-empty lines of a page is a
    running header/footer when the same line (digits ignored) sits at a page
    edge on at least half of the pages (and on two or more) and is short. In a
    report of `ALTERNATING_PAGES` pages or more a third is enough: left and right
    pages carry different headers ("150 Polisens årsredovisning 2008" on even pages).
    """

    def edges(lines: list[str]) -> list[int]:
        filled = [i for i, line in enumerate(lines) if line.strip()]
        return sorted(set(filled[:edge] + filled[-edge:]))

    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({_furniture_key(lines[i]) for i in edges(lines)})
    share = 3 if len(pages) >= ALTERNATING_PAGES else 2
    threshold = max(2, (len(pages) + share - 1) // share)
    repeated = {key for key, n in counts.items() if n >= threshold} if len(pages) >= 2 else set()
    # A body line at a page edge may repeat with other numbers ("Summa 1 234"); only short lines count.
    repeated = {key for key in repeated if len(key) <= MAX_FURNITURE_CHARS}
    masks = []
    for lines in pages:
        mask = [False] * len(lines)
        for i in edges(lines):
            if "\t" in lines[i].strip():
                continue  # a table row (a header repeated on each page of a table) is no furniture
            mask[i] = is_page_counter(lines[i]) or _furniture_key(lines[i]) in repeated
        masks.append(mask)
    return masks


def remove_page_furniture(pages: list[list[str]], edge: int = 5) -> list[list[str]]:
    """The lines of each page without page counters and running headers/footers."""
    masks = furniture_mask(pages, edge)
    return [
        [line for line, drop in zip(lines, mask, strict=True) if not drop]
        for lines, mask in zip(pages, masks, strict=True)
    ]


def ends_sentence(text: str) -> bool:
    """True when the text ends with sentence-final punctuation (quotes/brackets ignored)."""
    stripped = text.rstrip().rstrip("\"'”»)")
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def starts_continuation(text: str) -> bool:
    """True when a line starts like the middle of a sentence (lowercase, digit, bracket, comma)."""
    stripped = text.lstrip()
    if not stripped:
        return False
    first = stripped[0]
    return first.islower() or first.isdigit() or first in "(,;%)–-"


def _last_word(text: str) -> str:
    words = text.split()
    return words[-1] if words else ""


def _first_word(text: str) -> str:
    match = re.match(r"\w+", text.lstrip())
    return match.group().lower() if match else ""


def hyphen_join(prev: str, nxt: str) -> str | None:
    """Join `prev` ending in a hyphen with the next line, or None if `prev` has no end hyphen.

    "in-" + "nebär" -> "innebär" (a lowercase letter on both sides of the break);
    "hälso-" + "och sjukvård" -> "hälso- och sjukvård" (a conjunction follows);
    "2016-" + "2018" and "IT-" + "miljön" keep the hyphen and close up.
    """
    left = prev.rstrip()
    right = nxt.lstrip()
    if not left.endswith("-") or len(left) < 2 or not right:
        return None
    before = left[-2]
    if not before.isalpha() and not before.isdigit():
        return None  # a dash used as punctuation: "kostnader -"
    if _first_word(right) in _CONJUNCTIONS:
        return f"{left} {right}"
    fragment = re.search(r"(\w+)-$", left)
    word = fragment.group(1) if fragment else ""
    if before.islower() and right[0].islower() and not word.isupper():
        return left[:-1] + right
    return left + right


def join_lines(prev: str, nxt: str) -> str:
    """Join two lines of one paragraph, repairing end-of-line hyphenation."""
    joined = hyphen_join(prev, nxt)
    return joined if joined is not None else f"{prev.rstrip()} {nxt.lstrip()}"


def continues(prev: str, nxt: str, *, full_width: bool = False, wrapped: bool = True) -> bool:
    """Decide whether `nxt` continues the paragraph that `prev` (its last line) belongs to.

    A line continues when the previous one was hyphenated, or did not end a
    sentence and the next starts in lowercase or with a digit (in text that is
    not hard-wrapped only a lowercase start counts: "Rapport" / "5 maj" are
    two lines of a title page). With `full_width` (the previous line ran to
    the right margin of wrapped text), a missing sentence end alone is enough.
    """
    if (
        hyphen_join(prev, nxt) is not None
        and starts_continuation(nxt)
        or (prev.rstrip().endswith("-") and _first_word(nxt) in _CONJUNCTIONS)
    ):
        return True
    if ends_sentence(prev):
        return False
    if _last_word(prev) in OPEN_ENDINGS:
        return True  # "I år riktar vi kritik till" / "Förvaltnings AB Framtiden, …"
    if not wrapped:
        return nxt.lstrip()[:1].islower()
    return starts_continuation(nxt) or full_width
