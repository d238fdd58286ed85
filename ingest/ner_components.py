"""The spaCy components of the NER pipeline: context rules and entity values.

`spacy.load(models/ner/model)` builds them like any spaCy component (they are registered through
the `spacy_factories` entry point in pyproject.toml), after the `entity_ruler` (and a trained
`ner`, where the pipeline has one):

- `rapportsok_entity_rules` keeps or drops the ruler's spans by context and adds what token
  patterns cannot express: coordinated and lower-case division names, the year inside a compound
  ("Agenda 2030-mål"). It owns the division list, saved in its own folder of the model
  (`divisions.txt`, written by `to_disk`, read by `from_disk`), so the list frozen into the ruler's
  patterns and the list the rules read are one file.
- `rapportsok_values` gives every entity its normalized value on `span._.value` (kronor, percent,
  ISO date or period, canonical division name) and `span._.period_start`/`span._.period_end` for
  dates; a span whose value cannot be read is dropped, so every entity carries a value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

from rapportsok.ingest.records import AMOUNT, DATE, DIVISION, PERCENT
from rapportsok.lang.amounts import parse_amount, parse_percent
from rapportsok.lang.dates import DateError, normalize_date
from rapportsok.lang.numbers import NumberError
from spacy.attrs import LOWER, SHAPE
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

RULES = "rapportsok_entity_rules"
VALUES = "rapportsok_values"
DIVISIONS_FILE = "divisions.txt"

for _name in ("value", "period_start", "period_end"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)

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
_NUMBERED_UNIT = re.compile(r"\s\d$")
# A bare year after these words is a count ("ca 2000 medarbetare") or a number ("dnr 2023/28"), not a date.
_NOT_YEAR_AFTER = frozenset(
    "ca ca. cirka drygt knappt nästan omkring över runt dnr dnr. nr nr. diarienummer §".split()
)
_COMPOUND_YEAR = re.compile(r"(?:19|20)\d\d-(?!tal)[a-zåäö]{2,}")
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


def read_divisions(text: str) -> dict[str, bool]:
    """Division list (one name a line, `*` = the bare name marks the unit, `#` comments) -> name: bare."""
    entries = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return {entry.removesuffix("*").strip(): entry.endswith("*") for entry in entries}


class Divisions:
    """The division gazetteer and the canonical names it gives."""

    def __init__(self, names: dict[str, bool]) -> None:
        self.names = names
        self.lower = frozenset(name.lower() for name in names)
        # Lower-cased base and definite forms of the names marked * -> the name.
        self.bare = {
            name.lower() + ending: name for name, bare in names.items() if bare for ending in ("", *_DEFINITE)
        }
        # Ids of the words that start a context rule (a doc without one is skipped at C speed).
        self.trigger_ids = frozenset(get_string_id(w) for w in (*_LIST_OPENERS, *_CHIEF_WORDS, *self.bare))

    def value(self, text: str) -> str:
        """Canonical division name: "division regionstöd" -> "Division Regionstöd".

        Numbered units ("Division Länssjukvård 1") keep the name as written
        ("Länssjukvård 1"); definite and genitive forms of gazetteer names
        ("Folktandvårdens") become the base name.
        """
        name = _DIVISION_WORD.sub("", re.sub(r"\s+", " ", text.strip()))
        name = name.capitalize() if name.isupper() else name[:1].upper() + name[1:]
        if _NUMBERED_UNIT.search(name):
            return name
        if name not in self.names:
            for suffix in ("ens", "ets", "en", "et", "s", "n"):
                if name.endswith(suffix) and name[: -len(suffix)] in self.names:
                    name = name[: -len(suffix)]
                    break
        return f"Division {name}"

    def is_division(self, text: str) -> bool:
        """Whether a span looks like a division: "Division X", "divisionen X" or a gazetteer name."""
        if _DIVISION_WORD.match(text):
            return True
        return self.value(text).removeprefix("Division ").rstrip(" 0123456789").lower() in self.lower

    def completed_truncation(self, word: str, following: str) -> str | None:
        """The name a truncated compound stands for: "när-" before "länssjukvård" -> "Närsjukvård".

        Swedish coordinates compounds by cutting the shared last part ("när- och länssjukvård"),
        so the first name is its prefix plus the tail it shares with the following name.
        """
        prefix = word.removesuffix("-").lower()
        for name in self.names:
            rest = name.lower().removeprefix(prefix)
            if rest != name.lower() and rest and following.lower().endswith(rest):
                return name
        return None


class EntityRules:
    """`rapportsok_entity_rules`: context checks and context divisions around the ruler's spans."""

    def __init__(self, divisions: dict[str, bool] | None = None) -> None:
        self.divisions = Divisions(divisions or {})

    def __call__(self, doc: Doc) -> Doc:
        ents = doc.ents
        taken = {i for span in ents for i in range(span.start, span.end)}
        kept = [span for span in ents if self._keep(doc, span)]
        context = [
            span
            for span in self._context_divisions(doc)
            if not taken.intersection(range(span.start, span.end))
        ]
        if context or len(kept) < len(ents):  # setting doc.ents is not free: only on a change
            doc.ents = filter_spans([*kept, *context])
        _split_compound_years(doc)
        return doc

    def _keep(self, doc: Doc, span: Span) -> bool:
        """Context checks the token patterns cannot express."""
        if span.label_ == AMOUNT and _BARE_MILLIONS.search(span.text):
            return _is_money(doc, span.end)
        if span.label_ == DATE and len(span) == 1 and span.text[:1].isdigit() and span.start > 0:
            return doc[span.start - 1].lower_ not in _NOT_YEAR_AFTER
        return True

    def _name_end(self, doc: Doc, index: int) -> int | None:
        """End token of a division name starting at `index` ("Service", "Länssjukvård 1"), or None."""
        if index >= len(doc):
            return None
        token = doc[index]
        if not (token.is_title and token.is_alpha) and token.lower_ not in self.divisions.lower:
            return None
        if index + 1 < len(doc) and re.fullmatch(r"[1-9]", doc[index + 1].text):
            return index + 2
        return index + 1

    def _listed(self, doc: Doc, index: int) -> Iterator[Span]:
        """Coordinated names from doc[index] on: "Närsjukvård och Länsjukvård", "när- och länssjukvård"."""
        while index < len(doc):
            token = doc[index]
            after = index + 2
            truncated = token.text.endswith("-") and len(token) > 1
            if truncated and after < len(doc) and doc[index + 1].lower_ in _CONJUNCTIONS:
                name = self.divisions.completed_truncation(token.text, doc[after].text)
                if name is None:
                    return
                yield Span(doc, index, index + 1, label=DIVISION, kb_id=name)
                index = after
                continue
            end = self._name_end(doc, index)
            if end is None:
                return
            yield Span(doc, index, end, label=DIVISION)
            if end >= len(doc) or doc[end].lower_ not in _CONJUNCTIONS:
                return
            index = end + 1

    def _context_divisions(self, doc: Doc) -> list[Span]:
        """Divisions the entity_ruler cannot find, because the context words stay outside the span.

        - names after "divisionerna (för)" / "Divisioner", coordinated ("divisionerna Närsjukvård och
          Länsjukvård", "divisionerna för när- och länssjukvård"), and after "divisionschef (för)";
        - a lower-case specific name (marked * in the division list) where it clearly names the unit
          (ANNOTATION.md): after "inom" ("Inom regionstöd", "inom folktandvården") or, in definite
          form, as the acting subject before a finite verb ("folktandvården har därför ...");
          "folktandvården i Gällivare" (a local clinic) stays untagged.
        """
        spans: list[Span] = []
        bare = self.divisions.bare
        # doc.text and Python loops over tokens cost more than the ruler: look at the word ids first.
        if self.divisions.trigger_ids.isdisjoint(doc.to_array(LOWER).tolist()):
            return spans
        for token in doc:
            word = token.lower_
            if word in _CHIEF_WORDS or word in _LIST_OPENERS:
                # "divisionschef för Länssjukvård 1", "divisionerna för när- och länssjukvård"
                after = token.i + 1
                start = after + 1 if after < len(doc) and doc[after].lower_ in ("för", "inom") else after
                if word in _LIST_OPENERS:
                    spans.extend(self._listed(doc, start))
                elif (end := self._name_end(doc, start)) is not None:
                    spans.append(Span(doc, start, end, label=DIVISION))
            elif token.is_lower and word in bare and not _is_local_unit(doc, token.i + 1):
                after_inom = token.i > 0 and doc[token.i - 1].lower_ == "inom"
                following = doc[token.i + 1] if token.i + 1 < len(doc) else None
                acting = word.endswith(("en", "et")) and following is not None and _is_finite_verb(following)
                if after_inom or acting:
                    spans.append(Span(doc, token.i, token.i + 1, label=DIVISION))
        return spans

    def to_disk(self, path: str | Path, exclude: tuple = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        lines = [f"{name}{'*' if bare else ''}" for name, bare in self.divisions.names.items()]
        (path / DIVISIONS_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")

    def from_disk(self, path: str | Path, exclude: tuple = ()) -> EntityRules:
        self.divisions = Divisions(read_divisions((Path(path) / DIVISIONS_FILE).read_text(encoding="utf-8")))
        return self


class EntityValues:
    """`rapportsok_values`: the normalized value of every entity; unreadable spans are dropped."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp

    def __call__(self, doc: Doc) -> Doc:
        divisions = self.nlp.get_pipe(RULES).divisions
        _drop_final_periods(doc)
        ents = doc.ents
        kept = []
        for span in ents:
            try:
                if span.kb_id_:  # a truncated compound ("när-"): the name was completed from context
                    value, start, end = divisions.value(span.kb_id_), None, None
                else:
                    value, start, end = _value(span.label_, span.text, divisions)
            except (NumberError, DateError, ValueError):
                continue
            span._.value, span._.period_start, span._.period_end = value, start, end
            kept.append(span)
        if len(kept) < len(ents):
            doc.ents = kept
        return doc


def _value(label: str, text: str, divisions: Divisions) -> tuple[float | str, str | None, str | None]:
    """Normalized (value, period_start, period_end) of one span; raises ValueError if unreadable."""
    if label == AMOUNT:
        return parse_amount(text), None, None
    if label == PERCENT:
        return parse_percent(text), None, None
    if label == DATE:
        date = normalize_date(text)
        return date.value, date.start, date.end
    if label == DIVISION:
        if not divisions.is_division(text):
            raise ValueError(f"not a division: {text!r}")
        return divisions.value(text), None, None
    raise ValueError(f"unknown label {label}")


def _is_money(doc: Doc, end_token: int) -> bool:
    """Whether a bare "miljoner" at doc[end_token - 1] means money (look at the next word)."""
    if end_token >= len(doc):
        return True
    following = doc[end_token]
    return not following.is_alpha or following.lower_ in _MONEY_FOLLOWERS


def _is_local_unit(doc: Doc, end: int) -> bool:
    """ "folktandvården i Gällivare": a local clinic, not the division (ANNOTATION.md)."""
    return end + 1 < len(doc) and doc[end].lower_ in ("i", "på") and doc[end + 1].is_title


def _is_finite_verb(token: Token) -> bool:
    word = token.lower_
    return token.is_lower and (
        word in _AUXILIARIES or (word not in _NOT_VERBS and _FINITE_ENDING.match(word) is not None)
    )


def _split_token(doc: Doc, token: Token, cut: int) -> None:
    """Split one token in two at character `cut` (the tokenizer keeps "2030-mål" and "kr." whole)."""
    with doc.retokenize() as retokenizer:
        retokenizer.split(token, [token.text[:cut], token.text[cut:]], heads=[(token, 0), (token, 0)])


def _split_compound_years(doc: Doc) -> None:
    """The year in a compound such as "Agenda 2030-mål" becomes a DATE of its own (one token, so no
    span pattern can cut it out); skipped where an entity already covers the compound."""
    # Candidates by word shape ("dddd-xxx") first: doc.text and Python loops over every token
    # would cost more than the ruler.
    shapes = doc.to_array(SHAPE).tolist()
    wanted = {i for i in set(shapes) if doc.vocab.strings[i].startswith("dddd-x")}
    if not wanted:
        return
    taken = {i for span in doc.ents for i in range(span.start, span.end)}
    compounds = [
        i for i, shape in enumerate(shapes)
        if shape in wanted and i not in taken and _COMPOUND_YEAR.fullmatch(doc[i].text)
    ]
    for index in reversed(compounds):
        _split_token(doc, doc[index], 4)
        doc.ents = [*doc.ents, Span(doc, index, index + 1, label=DATE)]


def _drop_final_periods(doc: Doc) -> None:
    """ "kr." at a sentence end is one token; the period is no part of the entity."""
    ending = [span for span in doc.ents if span.text.endswith(".")]
    if not ending:
        return
    for span in reversed(ending):
        last = doc[span.end - 1]
        if len(last) > 1:
            _split_token(doc, last, len(last) - 1)
    doc.ents = [
        Span(doc, span.start, span.end - 1, label=span.label, kb_id=span.kb_id)
        if doc[span.end - 1].text == "." and len(span) > 1
        else span
        for span in doc.ents
    ]


@Language.factory(RULES, default_config={})
def make_entity_rules(nlp: Language, name: str) -> EntityRules:
    """The context rules; the division list is read from the model folder (`from_disk`)."""
    return EntityRules()


@Language.factory(VALUES, default_config={})
def make_entity_values(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """Normalized values on `span._.value`, `span._.period_start`, `span._.period_end`."""
    return EntityValues(nlp)
