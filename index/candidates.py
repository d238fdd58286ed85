"""Candidate answers in the top passages: stored figures, counts, dates, divisions, names, sentences.

Separate from scoring (index/answer.py) and its evidence (index/evidence.py): this module decides
what could be an answer at all, those decide which one is. Pure: it reads `Hit`s and the `Figure`s
stored for them at ingest, with the figure's period and cue exactly as ingest found them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapportsok.index.answer_config import DEFAULT_CONFIG, AnswerConfig
from rapportsok.index.question import (
    AMOUNT,
    COUNT,
    DATE,
    DIVISION,
    FIGURE,
    PERCENT,
    PERSON,
    STOP_WORDS_SV,
    Question,
    asks_duration,
    stems,
    term_matches,
)
from rapportsok.index.results import Hit
from rapportsok.ingest import records
from rapportsok.ingest.figures import find_period
from rapportsok.ingest.records import SECTION_SEPARATOR, Box, Entity, Figure
from rapportsok.ingest.tables import parse_cell
from rapportsok.lang.amounts import unit_multiplier
from rapportsok.lang.cues import PLANNED, PLANNED_DATE, find_cue
from rapportsok.lang.dates import DAY_SPAN_IN_TEXT, DateError, normalize_date
from rapportsok.lang.dates import REPORT_YEAR as YEAR
from rapportsok.lang.measures import figure_basis, figure_measure
from rapportsok.lang.numbers import COUNT_SCALE, SHARE_WORD, SHARE_WORDS, parse_number
from rapportsok.lang.numbers import COUNT_WORD as _NUMBER_WORD
from rapportsok.lang.numbers import COUNT_WORDS as NUMBER_WORDS
from rapportsok.lang.roles import BODY_NAME, NAMED_NOUN, ROLE_NOUN, is_name_word, is_role
from rapportsok.lang.sentences import split_sentences
from rapportsok.lang.stems import stems_match

# A whole sentence as the answer (`Answer.kind`), when no entity of the asked kind stands near the topic.
SENTENCE = "sentence"
# A run of capitalised words (hyphenated first names too) on one line: a person's name is two or
# three of them (`_name_in`), unless one is in `_NOT_NAMES` (organisations and places written the
# same way).
_NAME = re.compile(r"\b[A-ZÅÄÖ][a-zåäöéü]+(?:-[A-ZÅÄÖ][a-zåäöéü]+)?(?: [A-ZÅÄÖ][a-zåäöéü]+){1,4}\b")
# Words of organisations and documents, written capitalised but no one's name.
_ORGANISATION_WORDS = """Region Regionen Regionens Division Sverige Sveriges Kommuner Kommun Kommunen
    Stad Staden Landsting Landstinget Myndigheten""".split()
# A capitalised word inside a sentence (not its first word): a name of a person or organisation;
# not an organisation's own name ("Region Västland", "Åby kommun").
_MID_CAPITAL = re.compile(
    r"[^\W\d_][^.!?]*?\s(?!(?:" + "|".join(_ORGANISATION_WORDS) + r")\b)(?<!Region\s)(?<!Regionen\s)"
    r"[A-ZÅÄÖ][\w-]+\b(?!s?\s+(?:kommun|stad|län)\b)"
)
_NOT_NAMES = frozenset(
    [*_ORGANISATION_WORDS,
     *"Sjukhus Återrapport Uppföljning Vårdval Nationell Nationella Nationellt Lex".split()]
)
_FIGURE_KIND = {records.AMOUNT: AMOUNT, records.PERCENT: PERCENT, COUNT: COUNT}
# Units of time after a number ("18 år", "90 dagar"), by their stem as the question may name them.
_TIME_UNITS = r"(år|dag|dygn|vecko|veck|månad|timm|minut)"
_TIME_UNIT = re.compile(rf"\s*{_TIME_UNITS}\w*\b", re.IGNORECASE)
_TIME_UNIT_WORD = re.compile(rf"\b{_TIME_UNITS}\w*\b")
# A number after these is a label, not a count ("avdelning 41", "Dnr 624-13", "bilaga 2"), and so are
# both ends of a range of them ("årskurserna 1–6").
_LABEL_BEFORE = re.compile(
    r"\b(?:avdelning\w*|avd|nr|dnr|nummer|bilaga|kapitel|kap|sida|sidan|sid|punkt|paragraf|vecka|v|steg"
    r"|fas|version|rum|tertial|kvartal|kl|klockan|åk|årskurs\w*|klass|nivå|grupp|etapp|område|plats|rad|not"
    r"|tabell|figur|diagram)\.?\s*(?:\d+\s*[–-]\s*)?$|§\s*$",
    re.IGNORECASE,
)
# A number before these is a share or an ordinal, never a count ("70 procents svarsfrekvens", "5:e").
_SHARE_OR_ORDINAL_AFTER = re.compile(r"^(?:\s*(?:%|procent\w*|procentenhet\w*)|:\w|\.\s*(?:plats|rum))",
                                     re.IGNORECASE)
# A number that opens its sentence before a capitalised word numbers a footnote, heading or list
# item ("3 Definition tillsvidareanställda: …", "2 Verksamhet"); a count is followed by its noun.
_OPENING_LABEL_AFTER = re.compile(r"^\s+[A-ZÅÄÖ]")
# A sentence of at least this many digit groups, more of them than words, is an unread table.
UNREAD_TABLE_GROUPS = 8
_APPROXIMATELY_BEFORE = re.compile(r"\b(?:ca|cirka|drygt|knappt|omkring|nästan|närmare|runt|över)\.?\s+$",
                                   re.IGNORECASE)
# A plain number: digit groups split by a space ("56 000") or one run of digits, with an optional decimal.
_NUMBER = re.compile(r"(?<![\w,.\-–/])(?:\d{1,3}(?:[ \u00a0]\d{3})+|\d+)(?:,\d+)?(?![\w]|[,.]\d)")


@dataclass
class Candidate:
    """A possible answer before scoring: a figure (or entity or sentence) and the passage it came from."""

    kind: str
    text: str
    value: float | str | None
    unit: str | None
    sentence: str
    start: int
    end: int
    period: str | None
    division: str | None
    cue: str | None
    page: int | None
    section: str
    hit: Hit
    rank: int
    page_label: str | None = None
    boxes: list[Box] = field(default_factory=list)
    # What a figure measures and what it is (Figure.measure, Figure.basis; lang/measures.py).
    measure: str | None = None
    basis: str | None = None
    # A table cell's table (caption), row and column label (index/table_answers.py); None in prose.
    table: str | None = None
    row: str | None = None
    column: str | None = None
    # Words that say what the candidate is about beyond its sentence, weighed with it for the topic:
    # the heading a sentence or list line stands right under ("Vision" over the vision's words,
    # "Styrelsen 2015" over "Bo Könberg, ordförande"; `heading_over`), or for a table cell a column
    # label that names what the cells measure and the compound tails of its row label that the
    # question asks about ("lån" of "Bibliotekslån"; index/table_answers.py). None elsewhere.
    heading: str | None = None


def figure_numbers(text: str) -> list[re.Match[str]]:
    """The numbers in a text that can be figures (years aside, number words too), in order."""
    found = [m for m in _NUMBER.finditer(text) if not YEAR.fullmatch(m.group())]
    return sorted(found + list(_NUMBER_WORD.finditer(text)), key=lambda m: m.start())


@dataclass
class _Sentence:
    """One sentence of a passage with the entities inside it (offsets shifted into the sentence)."""

    text: str
    entities: list[Entity]
    begin: int = 0

    def period(self, start: int, end: int, hit: Hit) -> str | None:
        """The period of a span, by the same rule as stored figures (ingest/figures.py)."""
        dates = [e for e in self.entities if e.label == records.DATE]
        return find_period(dates, start, end, hit.section, hit.date)


def _span(hit: Hit, begin: int, end: int) -> _Sentence:
    """The passage's text from `begin` to `end` with the entities inside it."""
    inside = [
        Entity(e.label, e.text, e.start - begin, e.end - begin, e.value, e.period_start, e.period_end)
        for e in hit.entities
        if begin <= e.start and e.end <= end
    ]
    return _Sentence(hit.text[begin:end], inside, begin)


def _sentences(hit: Hit) -> list[_Sentence]:
    """The passage cut into sentences as ingest cuts figures' sentences, so both agree."""
    return [_span(hit, begin, end) for begin, end in split_sentences(hit.text)]


def _candidate(
    hit: Hit, rank: int, sentence: _Sentence, kind: str, start: int, end: int, value: float | str | None,
    cue: str | None = None, division: str | None = None,
) -> Candidate:
    """A candidate for sentence.text[start:end] of a passage, with the period found like a figure's
    and the page it stands on."""
    page, page_label = hit.page_of(sentence.begin + start, sentence.begin + end)
    return Candidate(
        kind=kind, text=sentence.text[start:end], value=value, unit=None, sentence=sentence.text,
        start=start, end=end, period=sentence.period(start, end, hit), division=division, cue=cue,
        page=page, section=hit.section, hit=hit, rank=rank, page_label=page_label,
    )


def figure_candidates(hit: Hit, rank: int, figures: list[Figure]) -> list[Candidate]:
    """Stored figures (amounts and percentages) of one passage as candidates, with the period,
    division and cue ingest stored for them. Table cells are left to index/table_answers.py."""
    return [
        Candidate(
            kind=_FIGURE_KIND.get(f.kind, AMOUNT),
            text=f.text,
            value=f.value,
            unit=f.unit,
            sentence=f.sentence,
            start=f.start,
            end=f.end,
            period=f.period or hit.date,
            division=f.division,
            cue=f.cue,
            page=f.page if f.page is not None else hit.page,
            section=f.section or hit.section,
            hit=hit,
            rank=rank,
            page_label=f.page_label if f.page is not None else hit.page_label,
            boxes=f.boxes,
            # An index written before measures were stored: find them now, by the same rules.
            measure=f.measure or (figure_measure(f.sentence, f.start, f.end) if f.table is None else None),
            basis=f.basis or (
                None if f.table is not None
                else figure_basis(f.sentence, f.start, f.end, f.kind == records.PERCENT)
            ),
        )
        for f in figures
        if f.table is None
    ]


def _unread_table(text: str) -> bool:
    """Whether a "sentence" is a table that reached the text unread (rows glued into a run of
    numbers, "Stockholm 6 623 5150 1 473 … Uppsala 704 519 …"): which column a number stands in is
    unknown, so none of them is a count."""
    digit_groups = len(re.findall(r"\d+", text))
    return digit_groups >= UNREAD_TABLE_GROUPS and digit_groups > len(re.findall(r"[^\W\d_]{2,}", text))


# "var tredje år/gång" says how often; "det var tredje gången" uses the verb "var".
_NOT_A_SHARE_AFTER = re.compile(
    rf"{_TIME_UNIT.pattern}|\s*(?:gång|kvartal|tertial|halvår|omgång)", re.IGNORECASE
)
_SUBJECT_BEFORE = re.compile(r"\b(?:det|detta|denna|den|som|han|hon|vilket|där|här)\s+$", re.IGNORECASE)


def share_word_candidates(hit: Hit, rank: int) -> list[Candidate]:
    """Shares written as words ("hälften av eleverna", "var tredje anställd"): answers to "hur stor
    andel", as the percentage they say. A word is rounder than a stated percentage, so it is kind
    FIGURE, which the scoring weighs below one (as `unitless_decimals`). "Var tredje år" is how
    often, not how many, and "det var tredje gången" no share at all."""
    out = []
    for sentence in _sentences(hit):
        for match in SHARE_WORD.finditer(sentence.text):
            before = sentence.text[: match.start()]
            verb = match.group()[:3].casefold() == "var" and _SUBJECT_BEFORE.search(before)
            if verb or _NOT_A_SHARE_AFTER.match(sentence.text, match.end()):
                continue
            value = SHARE_WORDS[match.group().casefold()]
            candidate = _candidate(hit, rank, sentence, FIGURE, match.start(), match.end(), value)
            candidate.unit = "%"
            candidate.measure = figure_measure(sentence.text, match.start(), match.end())
            candidate.basis = figure_basis(sentence.text, match.start(), match.end(), True)
            out.append(candidate)
    return out


# A physical unit after a number ("13508 MWh", "224 kWh/m2", "88 229 km", "224,59 ton CO2"): a quantity,
# which no stored figure kind holds. Written out: the units reports of energy, area, distance and weight
# use, a weight of emissions with its gas ("120 g/ CO2 per km").
_QUANTITY_UNIT = re.compile(
    r"\s*(?:[kMGT]Wh|[kMG]W|m2|m²|m3|m³|kvm|km|(?:ton|kg|g)(?:\s*(?:CO2|CO₂|koldioxid)(?:e|-?ekv\w*)?)?|liter)"
    r"(?:\s*(?:/|per)\s*(?:m2|m²|kvm|år|invånare))?(?![\w²³])"
)


def count_candidates(hit: Hit, rank: int, question: Question, tables_read: bool = False) -> list[Candidate]:
    """Plain numbers that are no amount, percentage or date: answers to "hur många". With
    `tables_read` (the passage's tables became cells) its table rows are left to the cells.

    Reports write small counts in words ("tio sårbarheter", "sex möten"), so those count too. Ages
    and durations ("18 år", "90 dagar") are left out unless the question counts that unit, and so
    are quantities ("120 g/km", "88 229 km", unless "hur många km" asks for them) and labels
    ("avdelning 41", "Dnr 624-13", a footnote's "3 Definition …"). A year-like number is a count
    when an approximation stands before it ("ca 2000 medarbetare"). The cue is found as ingest
    finds a figure's.
    """
    asked_units = {m.group(1) for m in _TIME_UNIT_WORD.finditer(question.text.casefold())}
    asked_words = set(question.text.casefold().split())  # "hur många km …" counts kilometres
    out: list[Candidate] = []
    for sentence in _sentences(hit):
        if tables_read and "\t" in sentence.text:
            continue
        if _unread_table(sentence.text):
            continue
        numbers = [(m, parse_number(m.group())) for m in _NUMBER.finditer(sentence.text)]
        numbers += [(m, float(NUMBER_WORDS[m.group().casefold()]))
                    for m in _NUMBER_WORD.finditer(sentence.text)]
        for match, value in numbers:
            start, end = match.span()
            before = sentence.text[:start]
            inside_entity = any(e.start < end and start < e.end for e in sentence.entities)
            unit = _TIME_UNIT.match(sentence.text[end:])
            year = YEAR.fullmatch(match.group()) and not _APPROXIMATELY_BEFORE.search(before)
            quantity = _QUANTITY_UNIT.match(sentence.text, end)
            other_unit = (unit and unit.group(1) not in asked_units) or (
                quantity and quantity.group().split()[0].casefold() not in asked_words
            )
            label = (
                _LABEL_BEFORE.search(before)
                or _SHARE_OR_ORDINAL_AFTER.match(sentence.text[end:])
                or (not before.strip() and _OPENING_LABEL_AFTER.match(sentence.text[end:]))
            )
            if inside_entity or year or other_unit or label:
                continue
            scale = COUNT_SCALE.match(sentence.text, end)
            if scale:
                value *= unit_multiplier(scale.group(1)) or 1.0
                end = scale.end()
            cue = find_cue(sentence.text, start, end)
            candidate = _candidate(hit, rank, sentence, COUNT, start, end, value, cue=cue)
            candidate.text = _with_counted_noun(question, sentence.text, start, end)
            candidate.measure = figure_measure(sentence.text, start, end)
            candidate.basis = figure_basis(sentence.text, start, end)
            out.append(candidate)
    return out


_NEXT_WORD = re.compile(r"\s+([^\W\d_][\w-]*)")


def _with_counted_noun(question: Question, sentence: str, start: int, end: int) -> str:
    """The count as the answer shows it: with the noun right after it when that is the noun the
    question counts and ends its phrase ("30 högskolepoäng inom" for "hur många högskolepoäng"), so
    the answer says what it counts; the figure's span (`start`, `end`) stays the number's."""
    noun = _NEXT_WORD.match(sentence, end)
    asked = question.counted
    if not (asked and noun and any(stems_match(asked, s) for s in stems(noun.group(1)))):
        return sentence[start:end]
    # Only a whole noun phrase: "40 privata fastighetsägare" and "7 major incidents" would show a
    # modifier alone, so a count whose asked word is followed by another content word stays bare.
    further = _NEXT_WORD.match(sentence, noun.end())
    if further and further.group(1).casefold() not in STOP_WORDS_SV:
        return sentence[start:end]
    return sentence[start : noun.end()]


def unitless_decimals(hit: Hit, rank: int, question: Question) -> list[Candidate]:
    """Decimal numbers with no unit ("Den totala sjukfrånvaron 2019 är 6,45"): reports give rates and
    shares so, without "%". Never a count; a figure whose unit the text does not state, which the
    scoring weighs below a stated percentage."""
    decimals = [c for c in count_candidates(hit, rank, question) if "," in c.text]
    for candidate in decimals:
        candidate.kind = FIGURE
    return decimals


# A duration after a number ("487 dagar", "16,2 månader"): a quantity when the question asks how long.
_DURATION_UNIT = re.compile(
    r"\s*(?:år|läsår|terminer|termin|dagar|dag|dygn|veckor|vecka|månader|månad|timmar|timme|minuter|minut)\b",
    re.IGNORECASE,
)


def quantity_candidates(hit: Hit, rank: int, durations: bool = False) -> list[Candidate]:
    """Numbers with a physical unit in a passage, the unit in the text ("13508 MWh"): answers to a
    question that names no kind of figure ("energianvändning lokaler 2009"); with `durations`, also
    numbers of days, months or years ("487 dagar"), for a question about a time ("vistelsetid",
    "hur länge"). Kind COUNT with the unit kept, as no stored figure kind is a quantity."""
    out = []
    for sentence in _sentences(hit):
        for match in _NUMBER.finditer(sentence.text):
            unit = _QUANTITY_UNIT.match(sentence.text, match.end())
            if unit is None and durations:
                unit = _DURATION_UNIT.match(sentence.text, match.end())
            inside = any(e.start < match.end() and match.start() < e.end for e in sentence.entities)
            if unit is None or inside:
                continue
            candidate = _candidate(hit, rank, sentence, COUNT, match.start(), unit.end(),
                                   parse_number(match.group()))
            candidate.unit = unit.group().strip()
            candidate.measure = figure_measure(sentence.text, match.start(), unit.end())
            out.append(candidate)
    return out


def entity_candidates(hit: Hit, rank: int, label: str, kind: str) -> list[Candidate]:
    """Entities of one label (DATE, DIVISION) in a passage, as candidates of answer kind `kind`."""
    return [
        _candidate(hit, rank, sentence, kind, e.start, e.end, e.value,
                   division=str(e.value) if label == records.DIVISION else None)
        for sentence in _sentences(hit)
        for e in sentence.entities
        if e.label == label
    ]


def day_span_candidates(hit: Hit, rank: int) -> list[Candidate]:
    """Spans of days written out in a passage ("1 januari–15 september"), as DATE candidates: NER
    tags such a span as two dates or only its last month, and "under vilken period" asks for the
    whole span. The value is the normalized period, or the text where it names no date we read."""
    out = []
    for sentence in _sentences(hit):
        for match in DAY_SPAN_IN_TEXT.finditer(sentence.text):
            try:
                value = normalize_date(match.group()).value
            except DateError:
                value = match.group()
            out.append(_candidate(hit, rank, sentence, DATE, match.start(), match.end(), value))
    return out


def _name_in(match: re.Match[str]) -> tuple[int, int] | None:
    """The span of a person's name inside a run of capitalised words: the words that can be a
    name's (`is_name_word`: no role noun, no common noun's ending, no organisation word), at least
    two of them ("Riksbankschefen Erik Thedéen" → "Erik Thedéen"); None when fewer are left."""
    words = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[^ ]+", match.group())]

    def fits(word: str, shortest: int = 3) -> bool:
        parts = word.split("-")
        common = any(p in _NOT_NAMES or p.casefold() in STOP_WORDS_SV or len(p) < shortest for p in parts)
        return not common and is_name_word(word)

    while words and not fits(words[0][2], 2):
        words.pop(0)
    while words and not fits(words[-1][2]):
        words.pop()
    # A given name may have two letters ("Bo"); no surname or later word that short counts.
    if not 2 <= len(words) <= 3 or not all(fits(w) for _, _, w in words[1:]):
        return None
    return match.start() + words[0][0], match.start() + words[-1][1]


def bound_role(sentences: list[_Sentence], index: int, start: int, end: int) -> tuple[str, int, int] | None:
    """The role noun bound to the name at sentence[index].text[start:end], with the span of the
    passage (offsets in its text) that holds both, or None.

    A role is bound when it stands right after the name ("Bo Könberg, ordförande", "Stefan Olowsson
    chef för ...", not "Kerstin Wigzell, vice ordförande"), right before it ("Ordförande: Charlotta
    Wasteson", "Riksbankschefen Erik Thedéen"), or alone on the line after or before a line that is
    only the name (a signature: "Dan Eliasson" over "Generaldirektör").
    """
    sentence = sentences[index]
    text = sentence.text
    whole = sentence.begin, sentence.begin + len(text)
    after = re.match(rf"\s*(?:\([^)]*\)\s*)?[,–-]?\s*({ROLE_NOUN})\b", text[end:], re.IGNORECASE)
    if after:
        return after.group(1), *whole
    before = re.search(rf"\b({ROLE_NOUN})\s*[:,–-]?\s*$", text[:start], re.IGNORECASE)
    if before:
        return before.group(1), *whole
    if text[:start].strip() or not re.fullmatch(r"\s*(?:\([^)]*\))?\s*[.,]?\s*", text[end:]):
        return None
    for other in (index + 1, index - 1):
        if 0 <= other < len(sentences):
            line = re.fullmatch(rf"\s*({ROLE_NOUN})\s*[:.,]?\s*", sentences[other].text, re.IGNORECASE)
            if line:
                near = sentences[other]
                return line.group(1), min(near.begin, whole[0]), max(near.begin + len(near.text), whole[1])
    return None


# A passive verb and its agent: "genomfördes av PwC", "leds av Linda Zachrisson", "ägs av Rindi".
# A particle may stand between ("har tagits fram av International Capital Market Association").
_AGENT = re.compile(r"\b[a-zåäö]+[^\W\dsyiu_]s(?:\s+(?:fram|ut|upp|in|över|bort))?"
                    r"\s+av\s+([A-ZÅÄÖ][\w&-]*(?:\s+[A-ZÅÄÖ][\w&-]*){0,4})")
# A body that opens a sentence as the one who says or does something ("Regelrådet anser att …").
# A party label after a name ("Mats Ekberg (M) yrkade", "Anna Ek (KD) reserverar sig"): in minutes
# every speaker is named so, so the name counts even where it opens the sentence.
_PARTY_AFTER = re.compile(r"\s*\([A-ZÅÄÖ]{1,3}\)")
_BODY_SUBJECT = re.compile(rf"^\W*({BODY_NAME.pattern})\s+[a-zåäö]")
# A line of a list (no final period) is at most this long.
_LIST_LINE_WORDS = 8


def heading_over(hit: Hit, sentences: list[_Sentence], index: int, list_lines: bool = False) -> str | None:
    """The section's own heading when sentence[index] is the first one under it in the passage
    (the passage opens with the heading), or, with `list_lines`, any line of a list (no final
    period, at most `_LIST_LINE_WORDS` words): what the sentence is said of."""
    heading = hit.section.rsplit("›", 1)[-1].strip()
    if not heading:
        return None
    text = sentences[index].text.strip()
    if list_lines and not re.search(r"[.!?]$", text) and len(text.split()) <= _LIST_LINE_WORDS:
        return heading
    under = [i for i, s in enumerate(sentences) if s.text.strip() not in hit.section]
    opens = bool(sentences) and sentences[0].text.strip() == heading
    return heading if opens and under and under[0] == index else None



def person_candidates(hit: Hit, rank: int) -> list[Candidate]:
    """Names in a passage: answers to "vem". A name is two or three capitalised words that can be
    a name's (`_name_in`), the agent of a passive verb ("genomfördes av PwC"), or a public body that
    opens a sentence as its subject ("Regelrådet anser att …"); a role bound to it (`bound_role`) is
    kept as the candidate's `measure`, what the name is.

    A name at the start of a sentence or list item, where every word is capitalised ("• Integrera
    Regional överenskommelse"), counts only with a role bound to it ("Bo Könberg, ordförande") or
    a party label after it ("Mats Ekberg (M) yrkade").
    """
    sentences = _sentences(hit)
    out: list[Candidate] = []
    seen: set[tuple[int, int]] = set()
    for index, sentence in enumerate(sentences):
        spans = [_name_in(m) for m in _NAME.finditer(sentence.text)]
        spans += [m.span(1) for m in _AGENT.finditer(sentence.text)
                  if m.group(1).split()[0] not in _NOT_NAMES]
        subject = _BODY_SUBJECT.match(sentence.text)
        if subject:
            spans.append(subject.span(1))
        # A name inside a longer one is part of it ("International Capital Market" of "… Association").
        spans = [a for a in spans if a is not None
                 and not any(b is not None and b != a and b[0] <= a[0] and a[1] <= b[1] for b in spans)]
        for span in spans:
            if (sentence.begin + span[0], sentence.begin + span[1]) in seen:
                continue
            start, end = span
            role = bound_role(sentences, index, start, end)
            opens = not re.search(r"[^\W\d_]", sentence.text[:start])
            party = _PARTY_AFTER.match(sentence.text[end:])
            if role is None and opens and not party and not (subject and span == subject.span(1)):
                continue
            seen.add((sentence.begin + start, sentence.begin + end))
            context = sentence if role is None else _span(hit, role[1], role[2])
            shift = sentence.begin - context.begin
            candidate = _candidate(hit, rank, context, PERSON, start + shift, end + shift,
                                   sentence.text[start:end])
            candidate.measure = role[0] if role else None
            candidate.heading = heading_over(hit, sentences, index, list_lines=True)
            out.append(candidate)
    return out


_ADJECTIVE_ENDING = re.compile(r"(?:isk|sk|ig|lig)a$")
_SENTENCE_END = re.compile(r"[.!?:]\s*$")
_GIVEN_NAME = r"[A-ZÅÄÖ][a-zåäöéü]+(?:-[A-ZÅÄÖ][a-zåäöéü]+)?"


def asks_person(question: Question, kind: str) -> bool:
    """Whether an answer of this kind names a person: a name, or the span that answers "vilket
    statsråd", "vilken handläggare" (a role noun asked for)."""
    asked = _ASKED_NOUN.search(question.text)
    return kind == PERSON or (
        kind == SENTENCE and asked is not None and is_role(asked.group(asked.lastindex or 1) or "")
    )


def full_name(surname: str, report_text: str) -> str | None:
    """The one full name a report gives a name of one word ("Per Björkman" for "statsråden
    Björkman"), or None: a name of more words, none given, or more than one given name (two
    ministers called Larsson)."""
    if not re.fullmatch(r"[A-ZÅÄÖ][\w-]+", surname):
        return None
    given = set()
    for match in re.finditer(rf"\b({_GIVEN_NAME})[ \u00a0]{re.escape(surname)}\b", report_text):
        word = match.group(1)
        # A word after a full stop is capitalised anyway ("Enligt Björkman"); elsewhere a
        # capitalised "Per" or "Jan" (on a signature line) is a name.
        before = report_text[max(0, match.start() - 4) : match.start()]
        opens = match.start() == 0 or bool(_SENTENCE_END.search(before))
        sentence_case = opens and word.casefold() in STOP_WORDS_SV
        # "Statistiska Sverige" names no person.
        if not is_name_word(word) or _ADJECTIVE_ENDING.search(word) or word in _NOT_NAMES or sentence_case:
            continue
        given.add(word)
    return f"{given.pop()} {surname}" if len(given) == 1 else None


# The noun a question asks a name for: "vilken nämnd", "vilket system", and "vad heter X" past a
# name's genitive or an article and adjective ("vad heter Försäkringskassans uppdrag", "vad heter
# det nya systemet").
_ASKED_NOUN = re.compile(
    r"\bvilk(?:en|et|a)\s+([^\W\d_][\w-]*)"
    r"|\bvad\s+heter\s+(?:[A-ZÅÄÖ][\w-]*s\s+|(?:den|det|de)\s+(?:[^\W\d_]+a\s+)?)?([^\W\d_][\w-]*)",
    re.IGNORECASE,
)


def question_words(question: Question) -> set[str]:
    """The question's words, casefolded, with each genitive's base too: "Försäkringskassans uppdrag"
    names Försäkringskassan, which is then no answer to it."""
    words = {w.casefold() for w in re.findall(r"[\w-]+", question.text)}
    return words | {w[:-1] for w in words if w.endswith("s")}


def _asked_stems(question: Question | None) -> tuple[str, ...]:
    """The stems of the noun a "vilken/vilket X" or "vad heter X" question asks for ("nämnd"); ()
    for none."""
    asked = _ASKED_NOUN.search(question.text) if question is not None else None
    return tuple(stems(asked.group(asked.lastindex or 1).casefold())) if asked else ()
# A name inside a sentence: capitalised words or an acronym, hyphens kept ("Spiriva Respimat", "VAS").
_PROPER = re.compile(r"(?<![\w-])[A-ZÅÄÖ][\w-]*(?:\s+[A-ZÅÄÖ][\w-]*)*")
# A company by its legal form: capitalised words and "AB", "HB" or "KB" ("Ekbacken Bostäder AB").
_LEGAL_FORM = re.compile(r"\s(?:AB|HB|KB)$")
_COMPANY_OPENS = re.compile(r"(?:[•▪◦*–-]\s*)?[A-ZÅÄÖ][\w-]*(?:\s+[A-ZÅÄÖ][\w-]*)*\s+(?:AB|HB|KB)\b")
_COMPANY_NOUN = re.compile(r"bolag|företag|leverantör|firm|entreprenör", re.IGNORECASE)
# An organ named by a compound ("kultur- och fritidsnämnden", "nämnden för inköp och upphandling").
_ORGAN = r"(?:[\w-]+-\s+och\s+)?[\w-]*{noun}\w*(?:\s+för\s+\w+(?:\s+och\s+\w+)?)?"


def organ_named(noun: tuple[str, ...], text: str) -> tuple[int, int] | None:
    """The span of the organ in `text` whose compound names the asked noun's stem ("inköps- och
    upphandlingsnämnden", "nämnden för inköp" for "nämnd"); None for none or the bare noun
    ("Nämnden", "Leverantören"), which names no one."""
    if not noun or len(noun[0]) < 4:
        return None
    for organ in re.finditer(_ORGAN.format(noun=re.escape(noun[0])), text, re.IGNORECASE):
        if not organ.group().casefold().startswith(noun[0]) or " för " in organ.group():
            return organ.span()
    return None


def organ_in_heading(question: Question, sentence: str, section: str) -> tuple[str, int, int] | None:
    """For "vilken nämnd ...", a sentence that names the asked noun bare ("Nämnden beslutade ..."):
    the organ its nearest heading names ("Kritik riktas till inköps- och upphandlingsnämnden"),
    with the span of the bare noun in the sentence; None otherwise."""
    noun = _asked_stems(question)
    if not noun or len(noun[0]) < 4:
        return None
    bare = re.search(rf"\b{re.escape(noun[0])}\w*", sentence, re.IGNORECASE)
    if bare is None:
        return None
    for heading in reversed(section.split("›")):
        span = organ_named(noun, heading)
        if span is not None:
            return heading[span[0] : span[1]], *bare.span()
    return None


def asks_name(question: Question | None) -> bool:
    """Whether a "vilken/vilket X" question asks for a name: X is a noun whose instances are named
    ("vilken organisation", "vilket system"; `NAMED_NOUN`)."""
    match = _ASKED_NOUN.search(question.text) if question else None
    return bool(match) and bool(NAMED_NOUN.match(match.group(1) or match.group(2) or ""))


def names_asked_noun(question: Question | None, text: str) -> bool:
    """Whether `text` names the noun a "vilken/vilket X" question asks for (X, a form or compound)."""
    noun = _asked_stems(question)
    return bool(noun) and any(term_matches(noun[0], word) for word in stems(text))


def appositive(question: Question | None, sentence: str, start: int, end: int) -> str | None:
    """The asked noun when it stands right before the span sentence[start:end] or after it with "som",
    naming what the span is ("leverantören Miljödata", "systemet Cosmic", "anlita Pe3 som
    leverantör" for "vilken leverantör/vilket system"), or a company's legal form ("AB") when a
    company is asked for; else None."""
    before = re.search(r"([^\W\d_][\w-]*)\s+$", sentence[:start])
    after = re.match(r"\s+som\s+([^\W\d_][\w-]*)", sentence[end:])
    named = next((m.group(1) for m in (before, after) if m and names_asked_noun(question, m.group(1))), None)
    if named is None and (form := _LEGAL_FORM.search(sentence[start:end])) and asks_company(question):
        return form.group().strip()  # "Ekbacken Bostäder AB" is an aktiebolag: a "fastighetsbolag"
    return named


def asks_company(question: Question | None) -> bool:
    """Whether a "vilket/vilken X" question asks for a company ("vilket fastighetsbolag", "vilken
    leverantör"): a name in a company's legal form answers it."""
    noun = _asked_stems(question)
    return bool(noun) and bool(_COMPANY_NOUN.search(noun[0]))


def answer_span(question: Question, sentence: str) -> tuple[int, int] | None:
    """The part of a sentence that answers "vilket system/vilken nämnd/vilket företag": the organ
    whose compound names the asked noun, else the name (capitalised words or acronym, not at the
    sentence's start and not named in the question) nearest the asked noun or a topic word; None
    when the sentence holds no such span (the whole sentence answers)."""
    if _ASKED_NOUN.search(question.text) is None:
        return None
    noun = _asked_stems(question)
    organ = organ_named(noun, sentence)
    if organ is not None:
        return organ
    asked_words = question_words(question)
    # The sentence's first word (after a list bullet) is capitalised anyway: a name starts after it,
    # unless a company opens the sentence ("Ekbacken Bostäder AB äger …").
    first = re.match(r"(?:[•▪◦*–-]\s*)?(\S+)\s*", sentence)
    company = _COMPANY_OPENS.match(sentence) and not (first and first.group(1).casefold() in STOP_WORDS_SV)
    names = [
        m for m in _PROPER.finditer(sentence, 0 if company or not first else first.end())
        if not {w.casefold() for w in m.group().split()} & asked_words
    ]
    if not names:
        return None
    if asks_company(question):
        # "vilket fastighetsbolag": a name in a company's legal form says it is one.
        companies = [m for m in names if _LEGAL_FORM.search(m.group())]
        names = companies or names
    anchors = [m.start() for m in re.finditer(r"[\w-]+", sentence)
               if any(term_matches(t, s) for t in (*noun, *question.terms) for s in stems(m.group()))]
    if not anchors:
        return names[0].span()
    best = min(names, key=lambda m: min(abs(m.start() - a) for a in anchors))
    return best.span()


def sentence_candidates(
    hit: Hit, rank: int, min_words: int, question: Question | None = None
) -> list[Candidate]:
    """Whole sentences of a passage: the answer when the question asks for no figure or entity.

    Pieces shorter than `min_words` (but a list line naming the asked noun and a name), and the
    section heading itself, are headings and table cells, not answers. For a "vilket/vilken X"
    question the candidate's text is the answering span (`answer_span`; start/end are its offsets
    in the sentence), the sentence kept for the citation; a bare "Nämnden" is answered by the
    organ its heading names (`organ_in_heading`).
    """
    out = []
    sentences = _sentences(hit)
    for index, sentence in enumerate(sentences):
        if sentence.text.strip() in hit.section:
            continue
        span = answer_span(question, sentence.text) if question is not None else None
        # A short line answers only as a list line naming the asked noun and a name ("SGLT-2-hämmare
        # Jardiance" for "vilken SGLT-2-hämmare"); else it is a heading or a table cell.
        listed = span is not None and names_asked_noun(question, sentence.text)
        if len(sentence.text.split()) < min_words and not listed:
            continue
        candidate = _candidate(hit, rank, sentence, SENTENCE, 0, len(sentence.text), None)
        candidate.heading = heading_over(hit, sentences, index)
        if span is not None:
            candidate.start, candidate.end = span
            candidate.text = sentence.text[span[0] : span[1]]
            candidate.measure = appositive(question, sentence.text, *span)
        elif question is not None and (named := organ_in_heading(question, sentence.text, hit.section)):
            # "Nämnden beslutade ...": the answer is the nämnd its heading names, the bare noun marked.
            candidate.text, candidate.start, candidate.end = named
        out.append(candidate)
    return out


def column_labels(figures: list[Figure]) -> set[str]:
    """The column labels (each level of a two-level header) of the table cells of a passage."""
    return {
        part.strip() for figure in figures if figure.table is not None and figure.column
        for part in figure.column.split(SECTION_SEPARATOR)
    }


def header_row(text: str, columns: set[str]) -> bool:
    """Whether a line is the header row of a table read from its passage ("Styrmått | Mål 2022 |
    Mål 2024 | Källa"): two or more cells, one of them one of the table's `columns`
    (`column_labels`), and no figure but years. It says what the columns are, so it is never a text
    answer."""
    cells = [cell.strip() for cell in text.split("\t") if cell.strip()]
    if len(cells) < 2 or any(parse_cell(cell) and not YEAR.fullmatch(cell) for cell in cells):
        return False
    return any(cell in columns for cell in cells)


def candidates_for(
    question: Question, hits: list[Hit], figures: dict[int, list[Figure]],
    config: AnswerConfig = DEFAULT_CONFIG,
) -> list[Candidate]:
    """Every candidate answer of the kind the question asks for, from the top passages.

    Date, person and division questions also get whole sentences as candidates: when no entity of
    the kind stands near the topic, the best sentence is the honest answer (marked "sentence").
    """
    out: list[Candidate] = []
    for rank, hit in enumerate(hits[: config.candidate_passages]):
        if question.asks_figure:
            stored = figures.get(hit.chunk_id, [])
            out += figure_candidates(hit, rank, stored)
            if question.kind == COUNT:
                out += count_candidates(hit, rank, question, any(f.table is not None for f in stored))
            elif question.kind == FIGURE:
                out += quantity_candidates(hit, rank, asks_duration(question))
            elif question.kind == PERCENT:
                out += unitless_decimals(hit, rank, question) + share_word_candidates(hit, rank)
            continue
        if question.kind == DATE:
            # "När publicerades PISA 2012?": the year the question itself names is no answer to "när".
            asked = {str(year) for year in question.years}
            spans = day_span_candidates(hit, rank)
            dates = spans + [
                c for c in entity_candidates(hit, rank, records.DATE, DATE)
                if str(c.value) not in asked
                and not any(s.sentence == c.sentence and s.start <= c.start and c.end <= s.end for s in spans)
            ]
            if question.cue == PLANNED:
                # "När ska ... vara klar?": a date its sentence sets to come (a deadline, a plan).
                for candidate in dates:
                    candidate.cue = PLANNED if PLANNED_DATE.search(candidate.sentence) else None
            out += dates
        elif question.kind == DIVISION:
            out += entity_candidates(hit, rank, records.DIVISION, DIVISION)
        elif question.kind == PERSON:
            # "Vem har tagit fram Green Bond Principles?": what the question names is not who.
            asked = question_words(question)
            out += [c for c in person_candidates(hit, rank)
                    if not {w.casefold() for w in c.text.split()} <= asked]
            # A sentence answers "vem" only when it names someone ("genomfördes av PwC").
            sentences = sentence_candidates(hit, rank, config.min_sentence_words, question)
            columns = column_labels(figures.get(hit.chunk_id, []))
            out += [c for c in sentences
                    if _MID_CAPITAL.search(c.sentence) and not header_row(c.sentence, columns)]
            continue
        columns = column_labels(figures.get(hit.chunk_id, []))
        out += [
            c for c in sentence_candidates(hit, rank, config.min_sentence_words, question)
            if not header_row(c.sentence, columns)
        ]
    return out
