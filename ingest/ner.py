"""Swedish NER for Rapportsök: DIVISION, AMOUNT, DATE and PERCENT with normalized values.

The spaCy pipeline in models/ner/model is `spacy.blank("sv")` + an
`entity_ruler` (high-precision patterns for amounts, percentages, dates and the
division gazetteer) + a small trained `ner`. The ruler runs first; the `ner`
keeps the ruler's spans and only adds entities around them (see README,
"NER"). Context rules the token patterns cannot express (coordinated and
lower-case division names, compound years) run after the pipeline; then every
entity gets its normalized value here. A span whose value cannot be read is
dropped, so every returned entity carries a value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import spacy
from rapportsok.ingest.errors import IngestError
from rapportsok.ingest.records import AMOUNT, DATE, DIVISION, PERCENT, Entity
from rapportsok.lang.amounts import parse_amount, parse_percent
from rapportsok.lang.dates import DateError, normalize_date
from rapportsok.lang.numbers import NumberError, normalize_spaces
from rapportsok.models import model_path
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

MODEL_DIR = model_path("ner/model")
DIVISIONS_FILE = model_path("ner/divisions.txt")

# Words that may follow a bare "miljoner"/"miljarder" when money is meant
# ("27,4 miljoner till regionen"); any other word ("2 miljoner invånare")
# makes it a count, not an AMOUNT (ANNOTATION.md).
_MONEY_FOLLOWERS = frozenset(
    "till i för från per av på under och att som är var varav har inom med mer mindre ur "
    "vilket vilka totalt kommer ska skulle kan blev hos extra ytterligare årligen per år "
    "respektive samt mellan eller".split()
)
_BARE_MILLIONS = re.compile(r"(miljon|miljoner|miljard|miljarder|milj\.?)$", re.IGNORECASE)
_DIVISION_WORD = re.compile(r"^(?:divisionens|divisionen|division|div\.?)\s+", re.IGNORECASE)
_LINE_BREAK = re.compile(r"(?<!\n)\n(?!\n)")
_NUMBERED_UNIT = re.compile(r"\s\d$")
# A bare year after these words is a count ("ca 2000 medarbetare") or a number ("dnr 2023/28"), not a date.
_NOT_YEAR_AFTER = frozenset(
    {
        "ca",
        "ca.",
        "cirka",
        "drygt",
        "knappt",
        "nästan",
        "omkring",
        "över",
        "runt",
        "dnr",
        "dnr.",
        "nr",
        "nr.",
        "diarienummer",
        "§",
    }
)


@lru_cache(maxsize=4)
def load_pipeline(path: str | Path | None = None) -> Language:
    """Load the NER pipeline once per process (default: models/ner/model in the repo)."""
    model_path = Path(path) if path is not None else MODEL_DIR
    try:
        return spacy.load(model_path)
    except OSError as error:
        raise IngestError(f"NER-modellen kunde inte läsas från {model_path}: {error}") from error


@lru_cache(maxsize=1)
def division_gazetteer() -> dict[str, bool]:
    """Division names (models/ner/divisions.txt) -> whether the bare name marks the unit."""
    lines = DIVISIONS_FILE.read_text(encoding="utf-8").splitlines()
    entries = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return {entry.removesuffix("*").strip(): entry.endswith("*") for entry in entries}


@lru_cache(maxsize=1)
def _lower_division_names() -> frozenset[str]:
    return frozenset(name.lower() for name in division_gazetteer())


def division_value(text: str) -> str:
    """Canonical division name: "division regionstöd" -> "Division Regionstöd".

    Numbered units ("Division Länssjukvård 1") keep the name as written
    ("Länssjukvård 1"); definite and genitive forms of gazetteer names
    ("Folktandvårdens") become the base name.
    """
    name = _DIVISION_WORD.sub("", re.sub(r"\s+", " ", text.strip()))
    name = name.capitalize() if name.isupper() else name[:1].upper() + name[1:]
    if _NUMBERED_UNIT.search(name):
        return name
    names = division_gazetteer()
    if name not in names:
        for suffix in ("ens", "ets", "en", "et", "s", "n"):
            if name.endswith(suffix) and name[: -len(suffix)] in names:
                name = name[: -len(suffix)]
                break
    return f"Division {name}"


def is_division(text: str) -> bool:
    """Whether a span looks like a division: "Division X", "divisionen X" or a gazetteer name."""
    if _DIVISION_WORD.match(text):
        return True
    value = division_value(text)
    return value.removeprefix("Division ").rstrip(" 0123456789").lower() in _lower_division_names()


def entity_value(label: str, text: str) -> tuple[float | str, str | None, str | None]:
    """Normalized (value, period_start, period_end) of one span; raises ValueError if unreadable."""
    if label == AMOUNT:
        return parse_amount(text), None, None
    if label == PERCENT:
        return parse_percent(text), None, None
    if label == DATE:
        date = normalize_date(text)
        return date.value, date.start, date.end
    if label == DIVISION:
        if not is_division(text):
            raise ValueError(f"not a division: {text!r}")
        return division_value(text), None, None
    raise ValueError(f"unknown label {label}")


def _is_money(doc: Doc, end_token: int) -> bool:
    """Whether a bare "miljoner" at doc[end_token - 1] means money (look at the next word)."""
    if end_token >= len(doc):
        return True
    following = doc[end_token]
    return not following.is_alpha or following.lower_ in _MONEY_FOLLOWERS


def prepare_text(text: str) -> str:
    """The text the pipeline sees: odd spaces and single line breaks become plain spaces.

    One character for one, so offsets stay those of the original. Single line
    breaks are hard breaks of extracted PDF text ("Division\nNärsjukvård",
    "28 januari\n2020"); blank lines still separate paragraphs.
    """
    return _LINE_BREAK.sub(" ", normalize_spaces(text))


def _keep(doc: Doc, span: Span) -> bool:
    """Context checks the token patterns cannot express."""
    if span.label_ == AMOUNT and _BARE_MILLIONS.search(span.text):
        return _is_money(doc, span.end)
    if span.label_ == DATE and len(span) == 1 and span.text[:1].isdigit() and span.start > 0:
        return doc[span.start - 1].lower_ not in _NOT_YEAR_AFTER
    return True


_COMPOUND_YEAR = re.compile(r"(?<![\w-])((?:19|20)\d\d)-(?!tal)[a-zåäö]{2,}(?![\w-])")
_LIST_OPENERS = frozenset({"divisioner", "divisionerna", "divisionernas"})
_CHIEF_WORDS = frozenset({"divisionschef", "divisionschefen", "divisionschefer", "divisionschefens"})
_CONJUNCTIONS = frozenset({",", "och", "samt", "respektive"})
_DEFINITE = ("en", "ens", "et", "ets")
# No Swedish part-of-speech tagger is installed, so a finite verb after a bare name is
# recognised by hand: common auxiliaries, or a present/past tense ending (-ar, -er, -ade, -de, -te)
# on a word that is not one of the prepositions/adverbs with the same ending.
_AUXILIARIES = frozenset("har hade är var ska skall kommer kan kunde får fick måste bör blir blev".split())
_FINITE_ENDING = re.compile(r"^[a-zåäö]{2,}(?:ar|er|ade|de|te)$")
_NOT_VERBS = frozenset("under efter över eller fler kvar enligt bredvid sedan".split())


def _division_name_end(doc: Doc, index: int) -> int | None:
    """End token of a division name starting at `index` ("Service", "Länssjukvård 1"), or None."""
    if index >= len(doc):
        return None
    token = doc[index]
    if not (token.is_title and token.is_alpha) and token.lower_ not in _lower_division_names():
        return None
    if index + 1 < len(doc) and re.fullmatch(r"[1-9]", doc[index + 1].text):
        return index + 2
    return index + 1


@lru_cache(maxsize=1)
def _bare_names() -> dict[str, str]:
    """Lower-cased base and definite forms of the gazetteer names marked * -> the name."""
    forms = {}
    for name, bare in division_gazetteer().items():
        if bare:
            forms.update({name.lower() + ending: name for ending in ("", *_DEFINITE)})
    return forms


def _completed_truncation(word: str, following: str) -> str | None:
    """The gazetteer name a truncated compound stands for: "när-" before "länssjukvård" -> "Närsjukvård".

    Swedish coordinates compounds by cutting the shared last part ("när- och länssjukvård"),
    so the first name is its prefix plus the tail it shares with the following name.
    """
    prefix = word.removesuffix("-").lower()
    for name in division_gazetteer():
        rest = name.lower().removeprefix(prefix)
        if rest != name.lower() and rest and following.lower().endswith(rest):
            return name
    return None


def _listed(doc: Doc, index: int) -> Iterator[Span]:
    """Coordinated names from doc[index] on: "Närsjukvård och Länsjukvård", "när- och länssjukvård"."""
    while index < len(doc):
        token = doc[index]
        after = index + 2
        truncated = token.text.endswith("-") and len(token) > 1
        if truncated and after < len(doc) and doc[index + 1].lower_ in _CONJUNCTIONS:
            name = _completed_truncation(token.text, doc[after].text)
            if name is None:
                return
            yield Span(doc, index, index + 1, label=DIVISION, kb_id=name)
            index = after
            continue
        end = _division_name_end(doc, index)
        if end is None:
            return
        yield Span(doc, index, end, label=DIVISION)
        if end >= len(doc) or doc[end].lower_ not in _CONJUNCTIONS:
            return
        index = end + 1


def _is_local_unit(doc: Doc, end: int) -> bool:
    """ "folktandvården i Gällivare": a local clinic, not the division (ANNOTATION.md)."""
    return end + 1 < len(doc) and doc[end].lower_ in ("i", "på") and doc[end + 1].is_title


def _is_finite_verb(token: Token) -> bool:
    word = token.lower_
    return token.is_lower and (
        word in _AUXILIARIES or (word not in _NOT_VERBS and _FINITE_ENDING.match(word) is not None)
    )


def _context_divisions(doc: Doc, lower_text: str) -> list[Span]:
    """Divisions the entity_ruler cannot find, because the context words stay outside the span.

    - names after "divisionerna (för)" / "Divisioner", coordinated ("divisionerna Närsjukvård och
      Länsjukvård", "divisionerna för när- och länssjukvård"), and after "divisionschef (för)";
    - a lower-case specific name (marked * in divisions.txt) where it clearly names the unit
      (ANNOTATION.md): after "inom" ("Inom regionstöd", "inom folktandvården") or, in definite
      form, as the acting subject before a finite verb ("folktandvården har därför ...");
      "folktandvården i Gällivare" (a local clinic) stays untagged.
    """
    spans: list[Span] = []
    bare = _bare_names()
    if "division" not in lower_text and not any(name in lower_text for name in bare):
        return spans
    for token in doc:
        word = token.lower_
        if word in _CHIEF_WORDS:
            # "divisionschef för Länssjukvård 1", "divisionschef Närsjukvård"
            after = token.i + 1
            start = after + 1 if after < len(doc) and doc[after].lower_ in ("för", "inom") else after
            end = _division_name_end(doc, start)
            if end is not None:
                spans.append(Span(doc, start, end, label=DIVISION))
        elif word in _LIST_OPENERS:
            after = token.i + 1
            start = after + 1 if after < len(doc) and doc[after].lower_ in ("för", "inom") else after
            spans.extend(_listed(doc, start))
        elif token.is_lower and word in bare and not _is_local_unit(doc, token.i + 1):
            after_inom = token.i > 0 and doc[token.i - 1].lower_ == "inom"
            following = doc[token.i + 1] if token.i + 1 < len(doc) else None
            acting = word.endswith(("en", "et")) and following is not None and _is_finite_verb(following)
            if after_inom or acting:
                spans.append(Span(doc, token.i, token.i + 1, label=DIVISION))
    return spans


def _spans(doc: Doc, text: str) -> list[Span]:
    """The pipeline's entities plus context divisions that overlap none of them."""
    taken = {i for span in doc.ents for i in range(span.start, span.end)}
    context = _context_divisions(doc, text.lower())
    extra = [span for span in context if not taken.intersection(range(span.start, span.end))]
    return sorted([*doc.ents, *extra], key=lambda span: span.start)


def _compound_years(doc: Doc, text: str, found: list[Entity]) -> list[Entity]:
    """The year in a compound such as "Agenda 2030-mål" (one token, so no span rule can cut it out).

    Skipped where a kept entity already overlaps the compound.
    """
    entities = []
    for match in _COMPOUND_YEAR.finditer(text):
        start = match.start()
        token = doc.char_span(start, match.end())
        overlaps = any(e.start < match.end() and start < e.end for e in found)
        if token is not None and len(token) == 1 and not overlaps:
            date = normalize_date(match[1])
            entities.append(
                Entity(DATE, text[start : start + 4], start, start + 4, date.value, date.start, date.end)
            )
    return entities


def _entities(doc: Doc, text: str) -> list[Entity]:
    entities = []
    for span in _spans(doc, text):
        if not _keep(doc, span):
            continue
        # "kr." at a sentence end is one token; the period is not part of the amount.
        end_char = span.end_char - 1 if span.text.endswith(".") else span.end_char
        original = text[span.start_char : end_char]
        try:
            if span.kb_id_:  # a truncated compound ("när-"): the name was completed from context
                value, start, end = division_value(span.kb_id_), None, None
            else:
                value, start, end = entity_value(span.label_, original)
        except (NumberError, DateError, ValueError):
            continue
        entities.append(Entity(span.label_, original, span.start_char, end_char, value, start, end))
    return sorted([*entities, *_compound_years(doc, text, entities)], key=lambda entity: entity.start)


def tag_texts(
    texts: Iterable[str], nlp: Language | None = None, rules_only: bool = False, batch_size: int = 256
) -> Iterator[list[Entity]]:
    """Tag many texts with `nlp.pipe`; yields one entity list per text, in order.

    The pipeline sees `prepare_text(text)` (same length), because the
    tokenizer splits on plain spaces only.
    `rules_only` switches the trained `ner` off (used to measure what it adds).
    """
    nlp = nlp or load_pipeline()
    originals = list(texts)
    disable = ["ner"] if rules_only and "ner" in nlp.pipe_names else []
    with nlp.select_pipes(disable=disable):
        docs = nlp.pipe((prepare_text(text) for text in originals), batch_size=batch_size)
        for original, doc in zip(originals, docs, strict=True):
            yield _entities(doc, original)


def tag_text(text: str, nlp: Language | None = None, rules_only: bool = False) -> list[Entity]:
    """Tag one text: entities with offsets into `text` and normalized values."""
    return next(tag_texts([text], nlp=nlp, rules_only=rules_only))
