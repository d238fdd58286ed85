"""The organisation behind a report, read from its title and first pages.

Swedish public bodies name themselves in a few fixed shapes, so general rules find them without
a list of names (hand-written: no library knows these shapes, and a name list would miss the
next municipality):
- "Region X" (Region Dalarna), "X landsting", "Xregionen" (Västra Götalandsregionen);
- "X kommun" / "Xs kommun" (Nacka kommun, Simrishamns kommun), "X stad" (Göteborgs Stad);
- an agency as one word with a typical ending: Försäkringskassan, Migrationsverket,
  Pensionsmyndigheten, Rikspolisstyrelsen ("Skolverkets årsredovisning" -> Skolverket);
- failing those, a nämnd or förvaltning named as the author ("Kultur- och fritidsnämnden").
The mention found most often wins, the title and the title page weighing more than later pages.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from rapportsok.lang.stopwords import STOP_WORDS

# How many blocks count as the title page, and as the early pages searched at all.
TITLE_PAGE_BLOCKS = 8
EARLY_BLOCKS = 80
_TITLE_WEIGHT, _TITLE_PAGE_WEIGHT, _EARLY_WEIGHT = 5, 3, 1

_NAME = r"[A-ZÅÄÖ][a-zåäöéü]+(?:-[A-ZÅÄÖ]?[a-zåäöéü]+)?"
_REGION_RE = re.compile(rf"\bRegion\s+({_NAME}(?:\s+{_NAME})?)")
_MUNICIPALITY_RE = re.compile(rf"\b({_NAME})\s+(kommun|landsting)\b", re.IGNORECASE)
_CITY_RE = re.compile(rf"\b({_NAME})\s+(stad)\b", re.IGNORECASE)
_COUNTY_REGION_RE = re.compile(r"\b((?:[A-ZÅÄÖ][a-zåäö]+ )?[A-ZÅÄÖ][a-zåäö]+sregionen)s?\b")
_AGENCY_ENDINGS = (
    "verket", "myndigheten", "kassan", "styrelsen", "inspektionen", "institutet", "ämbetet",
    "rådet", "kollegiet", "byrån", "banken",
)
# Bodies inside a municipality or region ("Kommunstyrelsen", "Regionstyrelsen") are not agencies.
_LOCAL_BODY_RE = re.compile(r"^(?:kommun|region|landstings|stads)", re.IGNORECASE)
_AGENCY_RE = re.compile(rf"\b([A-ZÅÄÖ][a-zåäö]+(?:{'|'.join(_AGENCY_ENDINGS)}))s?\b")
_AUTHOR_RE = re.compile(r"\b([A-ZÅÄÖ][a-zåäö]+(?:-?\s+och\s+[a-zåäö]+)?(?:nämnden|förvaltningen))s?\b")
# Capitalised words that open a sentence before "kommun"/"stad" without naming one.
_NOT_NAMES = STOP_WORDS | {"varje", "vilken", "annan", "egen", "hela", "samma", "ny", "stor", "liten"}
# A word written in capitals ("NACKA KOMMUN", "SKOLVERKETS"): read as a capitalised word.
_CAPS_WORD_RE = re.compile(r"\b[A-ZÅÄÖ]{3,}\b")


def _readable(text: str) -> str:
    return _CAPS_WORD_RE.sub(lambda m: m.group(0).capitalize(), text)


def mentions(text: str) -> list[str]:
    """Every organisation named in `text`, in a canonical form ("Simrishamns kommun", "Skolverket")."""
    text = _readable(text)
    found = [f"Region {m.group(1)}" for m in _REGION_RE.finditer(text)]
    found += [
        f"{m.group(1)} {m.group(2).lower()}"
        for m in _MUNICIPALITY_RE.finditer(text)
        if m.group(1).lower() not in _NOT_NAMES
    ]
    found += [
        f"{m.group(1)} {m.group(2)}" for m in _CITY_RE.finditer(text) if m.group(1).lower() not in _NOT_NAMES
    ]
    found += [m.group(1) for m in _COUNTY_REGION_RE.finditer(text)]
    found += [m.group(1) for m in _AGENCY_RE.finditer(text) if not _LOCAL_BODY_RE.match(m.group(1))]
    return found


def detect_organisation(title: str, blocks: Sequence[str]) -> str | None:
    """The organisation a report is from: the most weighed mention in its title and first blocks,
    else the nämnd or förvaltning named there; None when neither names one."""
    weights: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}
    parts = [(title, _TITLE_WEIGHT)] + [
        (text, _TITLE_PAGE_WEIGHT if i < TITLE_PAGE_BLOCKS else _EARLY_WEIGHT)
        for i, text in enumerate(blocks[:EARLY_BLOCKS])
    ]
    for text, weight in parts:
        for name in mentions(text):
            key = name.casefold()
            weights[key] += weight
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
