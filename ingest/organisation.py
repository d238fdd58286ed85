"""The organisation behind a report, read from its title and first pages.

Swedish public bodies name themselves in a few fixed shapes, so general rules find them without
a list of names (hand-written: no library knows these shapes, and a name list would miss the
next municipality):
- "Region X" (Region Dalarna), "X landsting", "Xregionen" (Västra Götalandsregionen);
- "X kommun" / "Xs kommun" (Nacka kommun, Simrishamns kommun), "X stad" (Göteborgs Stad);
- an agency as one word with a typical ending: Försäkringskassan, Migrationsverket,
  Pensionsmyndigheten, Rikspolisstyrelsen ("Skolverkets årsredovisning" -> Skolverket);
- an author named by a definite noun in the genitive before its kind of document
  ("Regeringens proposition" -> Regeringen, "Polisens årsredovisning" -> Polisen);
- failing those, a nämnd or förvaltning named as the author ("Kultur- och fritidsnämnden").
The mention found most often wins, the title and the title page weighing more than later pages,
and a mention that names the author ("Skolverkets årsredovisning", "skapad av … Region Dalarna",
"Organisation: …") more than one that cites another body.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from rapportsok.lang.roles import AGENCY_ENDINGS
from rapportsok.lang.stopwords import STOP_WORDS

# How many blocks count as the title page, and as the early pages searched at all.
TITLE_PAGE_BLOCKS = 8
EARLY_BLOCKS = 80
_TITLE_WEIGHT, _TITLE_PAGE_WEIGHT, _EARLY_WEIGHT = 5, 3, 1

_NAME = r"[A-ZÅÄÖ][a-zåäöéü]+(?:-[A-ZÅÄÖ]?[a-zåäöéü]+)?"
# One name word: a capitalised word after it is the next sentence or a heading ("Region Dalarna
# Senast uppdaterad"); a genitive s before a lowercase word is dropped ("Region Dalarnas rapport").
_REGION_RE = re.compile(r"\bRegion\s+([A-ZÅÄÖ][a-zåäöéü]+?)(s?)\b")
_MUNICIPALITY_RE = re.compile(rf"\b({_NAME})\s+((?i:kommun|landsting))\b")
_CITY_RE = re.compile(rf"\b({_NAME})\s+((?i:stad))\b")
_COUNTY_REGION_RE = re.compile(r"\b((?:[A-ZÅÄÖ][a-zåäö]+ )?[A-ZÅÄÖ][a-zåäö]+sregionen)s?\b")
# Bodies inside a municipality or region ("Kommunstyrelsen", "Regionstyrelsen") are not agencies.
_LOCAL_BODY_RE = re.compile(r"^(?:kommun|region|landstings|stads)", re.IGNORECASE)
_AGENCY_RE = re.compile(rf"\b([A-ZÅÄÖ][a-zåäö]+(?:{'|'.join(AGENCY_ENDINGS)}))s?\b")
_AUTHOR_RE = re.compile(
    r"\b([A-ZÅÄÖ][a-zåäö]+(?:-?\s+och\s+[a-zåäö]+)?(?:nämnden|förvaltningen)"
    r"|(?:Nämnden|Förvaltningen) för [A-ZÅÄÖ][a-zåäö]+)s?\b"
)
# A mention that says who wrote the report: "Skolverkets årsredovisning", "skapad av
# Samhällsanalys, Region Dalarna", "Organisation: …". It weighs as much as several plain ones.
_REPORT_WORDS = (
    r"(?:årsredovisning|delårsrapport|årsbokslut|bokslut|verksamhetsberättelse|rapport|budget|"
    r"årsredogörelse|handlingsplan|plan)"
)
_AFTER_CUE_RE = re.compile(rf"^s?\s+{_REPORT_WORDS}", re.IGNORECASE)
# An author named by a definite noun in the genitive before its kind of document ("Regeringens
# proposition", "Riksdagens skrivelse"): a body that no place-name pattern finds.
_DEFINITE_AUTHOR_RE = re.compile(
    r"\b([A-ZÅÄÖ][a-zåäö]{3,}e[nt])s\s+(?:proposition|skrivelse|betänkande|årsredovisning|"
    r"verksamhetsberättelse|årsrapport)\b"
)
_BEFORE_CUE_RE = re.compile(
    r"(?:skapad|utgiven|framtagen|upprättad|publicerad|utförd)\s+av\b[^.]{0,40}$|(?:organisation|utgivare|"
    r"avsändare|författare)\s*:\s*$",
    re.IGNORECASE,
)
_CUE_WEIGHT = 4
# Capitalised words that open a sentence before "kommun"/"stad" without naming one.
_NOT_NAMES = STOP_WORDS | {"varje", "vilken", "annan", "egen", "hela", "samma", "ny", "stor", "liten"}
# A word written in capitals ("NACKA KOMMUN", "SKOLVERKETS"): read as a capitalised word.
_CAPS_WORD_RE = re.compile(r"\b[A-ZÅÄÖ]{3,}\b")


def _readable(text: str) -> str:
    return _CAPS_WORD_RE.sub(lambda m: m.group(0).capitalize(), text)


def _found(text: str) -> list[tuple[str, re.Match]]:
    """Every organisation named in `text` (already `_readable`) with its match."""
    found = [(f"Region {m.group(1)}", m) for m in _REGION_RE.finditer(text) if m.group(1)]
    found += [
        (f"{m.group(1)} {m.group(2).lower()}", m)
        for m in _MUNICIPALITY_RE.finditer(text)
        if m.group(1).lower() not in _NOT_NAMES
    ]
    found += [
        (f"{m.group(1)} {m.group(2)}", m)
        for m in _CITY_RE.finditer(text)
        if m.group(1).lower() not in _NOT_NAMES
    ]
    found += [(m.group(1), m) for m in _COUNTY_REGION_RE.finditer(text)]
    found += [(m.group(1), m) for m in _AGENCY_RE.finditer(text) if not _LOCAL_BODY_RE.match(m.group(1))]
    found += [(m.group(1), m) for m in _DEFINITE_AUTHOR_RE.finditer(text)
              if not _LOCAL_BODY_RE.match(m.group(1)) and not any(m.group(1) == name for name, _ in found)]
    return found


def _weight(name: str, text: str, match: re.Match) -> float:
    """A mention's weight before its place counts: authorship cues weigh more, and an agency-like
    word half as much as a region, municipality or city (reports cite Riksbanken and
    Konjunkturinstitutet; "X kommun" is never a citation of a source)."""
    shape = 1.0 if re.search(r"^Region |\s(?:kommun|landsting|stad|Stad)$|regionen$", name) else 0.5
    if _DEFINITE_AUTHOR_RE.fullmatch(match.group(0)):
        shape = 1.0  # "Regeringens proposition" says who wrote it
    return shape * (_CUE_WEIGHT if _authorship(text, match) else 1)


def mentions(text: str) -> list[str]:
    """Every organisation named in `text`, in a canonical form ("Simrishamns kommun", "Skolverket")."""
    return [name for name, _ in _found(_readable(text))]


def _authorship(text: str, match: re.Match) -> bool:
    """Whether the mention at `match` names the report's author (a cue word before or after it)."""
    return bool(_AFTER_CUE_RE.match(text[match.end(1):]) or _BEFORE_CUE_RE.search(text[: match.start()]))


def detect_organisation(title: str, blocks: Sequence[str]) -> str | None:
    """The organisation a report is from: the most weighed mention in its title and first blocks,
    else the nämnd or förvaltning named there; None when neither names one."""
    weights: Counter[str] = Counter()  # float weights
    forms: dict[str, Counter[str]] = {}
    parts = [(title, _TITLE_WEIGHT)] + [
        (text, _TITLE_PAGE_WEIGHT if i < TITLE_PAGE_BLOCKS else _EARLY_WEIGHT)
        for i, text in enumerate(blocks[:EARLY_BLOCKS])
    ]
    for text, weight in parts:
        text = _readable(text)
        found = _found(text)
        # A nämnd or förvaltning counts where it is named as the author ("Organisation: …").
        found += [(m.group(1), m) for m in _AUTHOR_RE.finditer(text) if _authorship(text, m)]
        for name, match in found:
            key = name.casefold()
            weights[key] += weight * _weight(name, text, match)
            forms.setdefault(key, Counter())[name] += 1
    if weights:
        best = max(weights, key=lambda key: (weights[key], -len(key)))
        return forms[best].most_common(1)[0][0]
    authors = Counter(
        m.group(1)[0].upper() + m.group(1)[1:]
        for text, _ in parts[: TITLE_PAGE_BLOCKS + 1]
        for m in _AUTHOR_RE.finditer(_readable(text))
    )
    return authors.most_common(1)[0][0] if authors else None
