"""Answers to Swedish questions: the exact figure, the sentence it stands in and its source, or "not found".

Pure: it takes the analysed question, the ranked passages (`Hit`s from hybrid search) and the figures
stored for those passages, and scores every candidate with the transparent sum in `score_candidate`.
Every term of the sum is kept in `Answer.why`, so a user (and a test) can see why the top answer won.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapportsok.index.question import (
    AMOUNT,
    BUDGET,
    COUNT,
    DATE,
    DIVISION,
    FIGURE,
    FIGURE_KINDS,
    PERCENT,
    PERSON,
    PLANNED,
    STOP_WORDS_SV,
    Question,
    term_match,
    term_matches,
)
from rapportsok.index.question import stems as _stems
from rapportsok.index.results import Answer, Hit, Reply
from rapportsok.ingest import records
from rapportsok.ingest.amounts import format_number, parse_number
from rapportsok.ingest.dates import DateError, normalize_date
from rapportsok.ingest.figures import find_cue, find_period, split_sentences
from rapportsok.ingest.records import Box, Entity, Figure

# ---------------------------------------------------------------------------------------------
# Scoring weights: all in one place. A candidate's score is the sum of the terms in `why`.
# Chosen by hand for meaning, then a coordinate search (x0.5, x1.5, x2 per weight) on the odd ids of
# eval/questions.jsonl, checked on the even ids; it changed only "year" (2 -> 1). See README "Frågesvar".
WEIGHTS = {
    # The figure is of the kind asked (amount vs percent vs count). Strong but not absolute: "hur stor
    # var regionens andel" is sometimes answered in kronor, so a wrong kind is penalised, not dropped.
    "type": 2.0,
    # The figure's year/period is one the question names (+) or another year (-), scaled by how sure
    # the period is: said in the sentence 1, in the section heading 0.75, only the report's date 0.25.
    # Reports quote last year's figure beside this year's, so the year often separates them. Small,
    # because another period is also a constraint (`YEAR_PENALTY`) that already sinks wrong years.
    "year": 1.0,
    # Share of the topic terms in the figure's sentence and section heading together: the main sign
    # that the number is about the topic. Reports often name the topic only in the heading
    # ("Återrapport Psykisk hälsa 2020") and say "medlen"/"överenskommelsen" in the sentence.
    "topic": 4.0,
    # Extra for topic terms in the sentence itself: the most direct statement wins a close call.
    "topic_sentence": 1.0,
    # Share of topic terms elsewhere in the passage: weak, the passage may be about several things.
    "topic_passage": 0.5,
    # Topic words close to the figure in its sentence (1 when adjacent, falling with the content words
    # between): separates several figures in one sentence.
    "proximity": 1.0,
    # The figure's cue matches the question's verb ("fick" -> received): +; another cue: - half.
    # This is what ranks "fick 27 mnkr" over "har möjlighet att få 27,4 miljoner kronor". A question
    # without a verb still prefers what happened to what was planned (-1/3 for planned).
    "cue": 1.5,
    # A division the question names is the figure's division (+) or another one (-).
    "division": 1.5,
    # The region ("Region Norrbotten erhåller 22 mkr") is nearer the amount than the nation is
    # ("landsting och regioner tilldelas 120 mkr"): +; the other way round: -. Questions ask for the
    # region's money, and the reports quote the national total beside it.
    "region": 1.5,
    # A change ("173 mnkr bättre än", "ökning med 12 procent") when the question does not ask
    # about a change: such figures are rarely the answer to "hur mycket/hur stor". When it does
    # ("hur mycket högre ... jämfört med"), the same size counts for the change.
    "change": -1.5,
    # An earlier value quoted for comparison ("samma period föregående år var 2,2 procent", "från
    # 3,33 procent till 4,96 procent"): the question wants the current one.
    "earlier": -1.5,
    # A rate ("40 kr/invånare", "4 767 kr per listad patient") when the question asks for no rate.
    "rate": -1.5,
    # The question's own verb stands right beside the figure ("varav 63 beviljats" for "hur många
    # ... beviljades"): the figure it says happened, among several in one sentence.
    "verb": 1.0,
    # A part after "varav" ("7012 medarbetare varav 6387 tillsvidareanställda") when the question's
    # verb is not beside it: questions ask for the whole unless they name the part.
    "part": -1.0,
    # The first figure of its sentence: reports state the level first and qualify it after
    # ("7012 medarbetare varav 6387 ...", "436 mnkr vilket är 208 mnkr bättre"). A small nudge.
    "first": 0.3,
    # Passage rank from hybrid search, as 1/(1+rank): breaks ties in favour of the best passage.
    "rank": 1.0,
}
# Terms that choose between figures of one passage but say nothing about whether the passage
# answers the question at all: left out of the confidence (a rate or the nation's total is still a
# sign that the topic is there).
RANKING_ONLY = ("region", "rate")
# Below this confidence the reply is "not found" (answer None). Chosen on eval/questions.jsonl: the
# middle of the gap between the highest unanswerable question that is "not found" (0.358) and the
# lowest answerable one (0.43); only "medarbetare i division Service" (0.86) stays above it.
CONFIDENCE_THRESHOLD = 0.39
# A candidate's score is also scaled down when fewer than this share of the topic terms occur near the
# figure (its sentence, section heading or passage): without its topic, a figure answers nothing,
# however well its year and cue fit.
FULL_TOPIC_SHARE = 0.5
# How much a broken constraint (a missing name, another division, a count of something else) cuts
# the confidence.
CONSTRAINT_PENALTY = 0.5
# How much a name of the question that the passage lacks cuts it: "Region Västerbotten" is not
# answered with Norrbotten's figure, however well the rest fits.
NAME_PENALTY = 0.75
# How much another period cuts it, times how sure that is: a period named in the question is a
# hard constraint ("resultat per mars 2022" is not answered with a figure for 2021).
YEAR_PENALTY = 1.0
# Alternatives below this confidence are noise, not a second opinion, and are left out.
ALTERNATIVE_THRESHOLD = 0.3
# An alternative must name the topic near its figure at least this share as much as the answer
# does: a figure from a neighbouring section (26 mnkr for sjukskrivning under a psykisk hälsa
# question) is not a report that disagrees.
ALTERNATIVE_TOPIC_SHARE = 0.5
# How many passages from search feed candidates, and how many alternatives a reply lists.
CANDIDATE_PASSAGES = 8
MAX_ALTERNATIVES = 4
# Scores this close count as a tie, and ties put the newest report first.
TIE_MARGIN = 0.1
# A year in this many first characters of a passage is taken as its heading's year.
PASSAGE_OPENING = 80
# The question's verb this close to a figure (1/(1 + content words between)) is "beside" it.
VERB_NEAR = 0.5
# A report's plans reach this many years past its own date; a year further on is not in it.
PLAN_YEARS = 3
# The region named this close (in characters) to an amount says the amount is the region's own.
REGION_REACH = 60
# Shorter "sentences" are headings or table cells and are never given as a sentence answer.
MIN_SENTENCE_WORDS = 4
# Relative values closer than this are the same figure (27 mnkr vs 27,0 miljoner kronor).
VALUE_TOLERANCE = 0.005
# ---------------------------------------------------------------------------------------------

SENTENCE = "sentence"
# Two or three capitalised words (hyphenated first names too) on one line: a person's name, unless
# one of the words is in `_NOT_NAMES` (organisations and places that are written the same way).
_NAME = re.compile(r"\b[A-ZÅÄÖ][a-zåäöéü]+(?:-[A-ZÅÄÖ][a-zåäöéü]+)?(?: [A-ZÅÄÖ][a-zåäöéü]+){1,2}\b")
# A capitalised word inside a sentence (not its first word): a name of a person or organisation.
_MID_CAPITAL = re.compile(r"[^\W\d_][^.!?]*?\s(?!(?:" + "|".join(
    "Region Regionen Regionens Norrbotten Norrbottens Division Sverige Sveriges".split()
) + r")\b)[A-ZÅÄÖ][\w-]+")
_NOT_NAMES = frozenset(
    """Region Regionen Regionens Norrbotten Norrbottens Division Sverige Sveriges Kommuner Kommun
    Sjukhus Återrapport Uppföljning Vårdval Nationell Nationella Nationellt Lex""".split()
)
_FIGURE_KIND = {records.AMOUNT: AMOUNT, records.PERCENT: PERCENT, COUNT: COUNT}
_CHANGE_BEFORE = re.compile(
    r"(?:ökning|ökat|ökade|ökar|minskning|minskat|minskade|minskar|förbättr|försämr|utökning|utökat"
    r"|höjning|sänkning|skillnad|avvikelse)\w*\s+(?:\w+\s+){0,2}(?:med|på)\s+(?:ca\s+)?$",
    re.IGNORECASE,
)
_CHANGE_AFTER = re.compile(
    r"^\s*(?:\([^)]*\)\s*)?(?:bättre|sämre|högre|lägre|mer|mindre|fler|färre)\s+än\b", re.IGNORECASE
)
_CHANGE_QUESTION = re.compile(
    r"\b(?:ök\w*|minsk\w*|förbättr\w*|försämr\w*|skillnad\w*|förändr\w*|avvik\w*|jämfört|mer än"
    r"|bättre|sämre)\b",
    re.IGNORECASE,
)
_EARLIER_PHRASE = re.compile(
    r"\b(?:föregående|förra|fjolårets|fjolåret|året innan|månaden innan|tidigare)\b", re.IGNORECASE
)
_FROM_BEFORE = re.compile(r"\bfrån\s+(?:ca\s+)?$", re.IGNORECASE)
_RATE_AFTER = re.compile(r"^\s*(?:/\s*\w|per\s+\w|i\s+(?:snitt|genomsnitt)\b)", re.IGNORECASE)
_RATE_QUESTION = re.compile(r"\bper\b|/|\bsnitt\b|\bgenomsnitt\w*\b", re.IGNORECASE)
_REGION_WORDS = re.compile(r"\bregion(?:en|ens)\b|\bregion norrbotten|\bnorrbottens?\b", re.IGNORECASE)
_NATION_WORDS = re.compile(
    r"\blandsting\w*|\bregionerna\b|\bregioner\b|\bstaten\b|\bregeringen\b|\bnationell\w*|\briket\b"
    r"|\blandet\b|\bkommunerna\b|\bsamtliga (?:regioner|landsting)\b",
    re.IGNORECASE,
)
_NATION_QUESTION = re.compile(
    r"\bnationell\w*|\briket\b|\blandet\b|\balla regioner\b|\bsamtliga regioner\b", re.IGNORECASE
)
_COMPARISON_BEFORE = re.compile(r"\b(?:än|jämfört med|mot|sedan)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
# "135 ansökningar har inkommit varav 63 beviljats": the figure after "varav" is a part of the one before.
_PART_BEFORE = re.compile(r"\bvarav\b[^.;:]*$", re.IGNORECASE)
# A question about the change since a date ("jämfört med september 2019"): that date is the one asked.
_COMPARISON_QUESTION = re.compile(r"\b(?:jämfört med|sedan|än)\s+(?:\w+\s+){0,2}(?:19[5-9]\d|20\d\d)\b",
                                  re.IGNORECASE)
_EARLIER_PARENTHESIS = re.compile(r"\b(?:föregående|förra)\s+(?:\w+\s*)?\(\s*$", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
# Units of time after a number ("18 år", "90 dagar"), by their stem as the question may name them.
_TIME_UNITS = r"(år|dag|dygn|vecko|veck|månad|timm|minut)"
_TIME_UNIT = re.compile(rf"\s*{_TIME_UNITS}\w*\b", re.IGNORECASE)
_TIME_UNIT_WORD = re.compile(rf"\b{_TIME_UNITS}\w*\b")
# Counts written in words. "en"/"ett" are left out: they are mostly articles, not counts.
NUMBER_WORDS = {
    word: number
    for number, word in enumerate(
        "två tre fyra fem sex sju åtta nio tio elva tolv tretton fjorton femton sexton sjutton arton nitton"
        " tjugo".split(),
        start=2,
    )
}
_NUMBER_WORD = re.compile(rf"\b(?:{'|'.join(NUMBER_WORDS)})\b", re.IGNORECASE)
# A number after these is a label, not a count ("avdelning 41", "Dnr 624-13", "bilaga 2").
_LABEL_BEFORE = re.compile(
    r"\b(?:avdelning\w*|avd|nr|dnr|nummer|bilaga|kapitel|kap|sida|sidan|sid|punkt|paragraf|vecka|v|steg"
    r"|fas|version|rum|tertial|kvartal|kl|klockan)\.?\s*$|§\s*$",
    re.IGNORECASE,
)
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


def period_range(period: str | None) -> tuple[str, str] | None:
    """First and last ISO day of a period value ("2020-03", "2022/2024", "2022-01/2022-04"), or None.

    The value format is ingest/dates.py's, and so is the parsing: each side of a "/" is normalized
    there.
    """
    if not period:
        return None
    parts = []
    for part in period.split("/"):
        try:
            parts.append(normalize_date(part))
        except DateError:
            return None
    if not parts[0].start or not parts[-1].end:
        return None
    return parts[0].start, parts[-1].end


def period_years(period: str | None) -> set[int]:
    """The years a period value covers ("2020-03" → {2020}; "2022/2024" → {2022, 2023, 2024})."""
    span = period_range(period)
    return set(range(int(span[0][:4]), int(span[1][:4]) + 1)) if span else set()


@lru_cache(maxsize=8192)
def stems(text: str) -> tuple[str, ...]:
    """Stems of a text, cached: the same passages and sentences are scored for every candidate."""
    return tuple(_stems(text))


@lru_cache(maxsize=8192)
def _stem_set(text: str) -> frozenset[str]:
    return frozenset(stems(text))


TermWeights = dict[str, float]


def _coverage(terms: tuple[str, ...], text_stems: Iterable[str], weights: TermWeights | None = None) -> float:
    """Weighted share of the question's terms found (as forms of the same word, synonyms or compound
    parts) among `text_stems`; without weights every term counts the same."""
    if not terms:
        return 0.0
    text_stems = tuple(text_stems)
    weight = (weights or {}).get
    total = sum(weight(t, 1.0) for t in terms)
    found = sum(weight(t, 1.0) * max((term_match(t, s) for s in text_stems), default=0.0) for t in terms)
    return found / total


def term_weights(question: Question, hits: list[Hit]) -> TermWeights:
    """An IDF weight per topic term over the candidate passages: a term that stands in every
    passage ("resultat" in a finance report) tells less about which figure is meant than a rare one
    ("driftavbrott"). 1 + log(N / df), so a term in every passage still counts once."""
    passages = [_stem_set(hit.text) for hit in hits]
    weights = {}
    for term in question.terms:
        df = sum(any(term_matches(term, s) for s in passage) for passage in passages)
        weights[term] = 1.0 + math.log(len(passages) / df) if df else 1.0
    return weights


def topic_share(question: Question, candidate: Candidate, weights: TermWeights | None = None) -> float:
    """Share of the topic terms found in the candidate's sentence, section heading or passage (1 if none)."""
    if not question.terms:
        return 1.0
    return _coverage(question.terms, _stem_set(f"{candidate.section}\n{candidate.hit.text}"), weights)


@lru_cache(maxsize=8192)
def _content_stems(text: str) -> tuple[str, ...]:
    """Stems of the words that are not stop words: what "close" is counted in."""
    return stems(" ".join(w for w in re.findall(r"[^\W\d_]+", text.casefold()) if w not in STOP_WORDS_SV))


def _numbers(text: str) -> list[re.Match[str]]:
    """The numbers in a text that can be figures (years aside, number words too), in order: what
    words between belong to."""
    found = [m for m in _NUMBER.finditer(text) if not _YEAR.fullmatch(m.group())]
    return sorted(found + list(_NUMBER_WORD.finditer(text)), key=lambda m: m.start())


@lru_cache(maxsize=8192)
def _word_stems(text: str) -> tuple[str, ...]:
    """Stems of every word, stop words too: the question's verbs ("beviljades") are stop words."""
    return stems(" ".join(re.findall(r"[^\W\d_]+", text.casefold())))


def _proximity(
    terms: tuple[str, ...], sentence: str, start: int, end: int,
    words: Callable[[str], tuple[str, ...]] | None = None,
) -> float:
    """How close the topic words stand to the figure: the mean over the terms of 1/(1 + content words
    between), 0 for a term not in the sentence. The mean, not the nearest, so a figure beside one
    word does not beat one that sits among all of them. A word beyond another number belongs to
    that number ("56 000 Norrbottningar ... och ca 17 600 är fullvaccinerade", "10,6 mnkr för akuta
    investeringar, 38 mnkr för hjälpmedel"), so it counts only up to the neighbouring figures."""
    if not terms:
        return 0.0
    before_numbers, after_numbers = _numbers(sentence[:start]), _numbers(sentence[end:])
    first = before_numbers[-1].end() if before_numbers else 0
    last = end + after_numbers[0].start() if after_numbers else len(sentence)
    words = words or _content_stems
    before = words(sentence[first:start])
    after = words(sentence[end:last])
    total = 0.0
    for term in terms:
        # (strength of the match, content words between): a compound part counts at its strength.
        near = [(term_match(term, s), len(before) - 1 - i) for i, s in enumerate(before)]
        near += [(term_match(term, s), i) for i, s in enumerate(after)]
        total += max((strength / (1.0 + gap) for strength, gap in near if strength), default=0.0)
    return total / len(terms)


def is_change(sentence: str, start: int, end: int) -> bool:
    """Whether the figure is a difference ("ökning med 12 procent", "173 mnkr bättre än") not a level."""
    return bool(_CHANGE_BEFORE.search(sentence[:start]) or _CHANGE_AFTER.match(sentence[end:]))


def is_earlier(sentence: str, start: int, end: int) -> bool:
    """Whether the figure is an earlier value quoted for comparison, not the current one.

    "från 3,33 procent till 4,96 procent" (the first), "föregående år (82,3 procent)", "Samma period
    föregående år var avkastningen 2,2 procent". A previous-period phrase after "än"/"jämfört med"
    belongs to the comparison of another figure ("229 mnkr, ... bättre än föregående år").
    """
    before, after = sentence[:start], sentence[end:]
    if _FROM_BEFORE.search(before) and re.match(r"\s*\S*\s*till\b|.{0,30}\btill\b", after):
        return True
    if _EARLIER_PARENTHESIS.search(before):
        return True
    for match in _EARLIER_PHRASE.finditer(sentence):
        near = start - 60 <= match.start() < start or end <= match.start() < end + 30
        if near and not _COMPARISON_BEFORE.search(sentence[: match.start()]):
            return True
    return False


def _is_first_figure(candidate: Candidate) -> bool:
    """Whether no other number stands before the candidate in its sentence (years and dates aside)."""
    before = _YEAR.sub("", candidate.sentence[: candidate.start])
    return not re.search(r"\d", before)


def is_rate(sentence: str, end: int) -> bool:
    """Whether the figure is per something ("40 kr/invånare", "4 767 kr per listad patient")."""
    return bool(_RATE_AFTER.match(sentence[end:]))


def region_side(sentence: str, start: int, end: int) -> int:
    """-1 when the nation (state, all regions) is named nearer the figure than the region, +1 when the
    region is nearer, or named within `REGION_REACH` characters of it in a sentence that names no
    nation ("för Norrbottens del 53,4 mnkr"), else 0."""

    def nearest(pattern: re.Pattern[str]) -> int | None:
        gaps = [max(m.start() - end, start - m.end(), 0) for m in pattern.finditer(sentence)]
        return min(gaps) if gaps else None

    region, nation = nearest(_REGION_WORDS), nearest(_NATION_WORDS)
    if nation is None:
        return 1 if region is not None and region <= REGION_REACH else 0
    if region is not None and region <= nation:
        return 1
    return -1


def _sentence_dates(candidate: Candidate, comparisons: bool = False) -> list[Entity]:
    """DATE entities in the candidate's sentence that date the figure itself (not a comparison's,
    unless `comparisons`: the question asks about the change since a date)."""
    hit = candidate.hit
    begin = hit.text.find(candidate.sentence)
    if begin < 0:
        return []
    end = begin + len(candidate.sentence)
    return [
        e for e in hit.entities
        if e.label == records.DATE and begin <= e.start and e.end <= end
        and (comparisons or not _COMPARISON_BEFORE.search(hit.text[begin : e.start]))
    ]


def period_evidence(question: Question, candidate: Candidate) -> float:
    """How sure it is that the candidate is (+) or is not (-) about a period the question names.

    By where the figure's period comes from:
    - its sentence (1) or the section heading (0.75): a period that overlaps the question's counts in
      proportion to how much of it does, at least half ("2018-2020" answers "2020" less well than
      "2020"); one that does not overlap counts against. A date after "än"/"jämfört med" dates a
      comparison and is ignored. A sentence answer matches when any of its dates does.
    - only the report's date (0.25 either way, weak: a report tells this and last year's figures alike):
      the report's year counts for, the year before and the next `PLAN_YEARS` neither way, earlier
      years against, a year past the plans fully against (a report cannot know it); a year that
      opens the passage (a heading the reader missed, "2019") counts against when not asked for.
    A period the question names that begins after the report was written cannot be in it as an
    outcome, only as a budget or plan, so anything else from that report counts fully against
    ("resultat per mars 2022" is not answered from a report of May 2021).
    """
    wanted = [(p.start, p.end) for p in question.periods if p.start and p.end]
    dates = _sentence_dates(candidate, comparisons=bool(_COMPARISON_QUESTION.search(question.text)))
    spans = [period_range(str(d.value)) for d in dates]
    if candidate.kind == SENTENCE and dates:
        return 1.0 if any(s and _overlap(s, wanted) for s in spans) else -1.0
    written = (candidate.hit.date or "")[:10]
    if (
        wanted and len(written) == 10 and all(start > written for start, _ in wanted)
        and candidate.cue not in (BUDGET, PLANNED) and not any(s and _overlap(s, wanted) for s in spans)
    ):
        return -1.0
    span = period_range(candidate.period)
    if dates:
        strength = 1.0
    elif span and any(str(y) in candidate.section for y in period_years(candidate.period)):
        strength = 0.75
    else:
        opening = {int(y) for y in _YEAR.findall(candidate.hit.text[:PASSAGE_OPENING])}
        if opening and not opening & set(question.years):
            return -0.5
        report_year = period_years(candidate.hit.date)
        if not report_year or not question.years:
            return 0.0
        year = max(report_year)
        if year in question.years:
            return 0.25
        if year - 1 in question.years or year < min(question.years) <= year + PLAN_YEARS:
            return 0.0
        return -1.0 if min(question.years) > year + PLAN_YEARS else -0.25
    if not wanted or span is None:
        return 0.0
    share = _overlap(span, wanted)
    if share >= 0.5:
        return strength * share
    # Less than half of the figure's period asked for: a total over many years ("investeringsramen
    # 2018-2025") is no answer for one of them, but a year's figure may answer for a month in it
    # (the market value in December is the one at the year's end).
    within_a_year = (dt.date.fromisoformat(span[1]) - dt.date.fromisoformat(span[0])).days <= 366
    return strength * 0.5 if share > 0 and within_a_year else -strength * (1.0 - share)


def _overlap(span: tuple[str, str], wanted: list[tuple[str, str]]) -> float:
    """The largest share of `span` (ISO first and last day) that one of the `wanted` periods covers."""
    first, last = dt.date.fromisoformat(span[0]), dt.date.fromisoformat(span[1])
    length = (last - first).days + 1
    best = 0.0
    for start, end in wanted:
        days = (min(last, dt.date.fromisoformat(end)) - max(first, dt.date.fromisoformat(start))).days + 1
        best = max(best, days / length)
    return best


def _paragraph_until(candidate: Candidate) -> str:
    """The candidate's paragraph in its passage, from its start to the end of the candidate's sentence."""
    text = candidate.hit.text
    at = text.find(candidate.sentence)
    if at < 0:
        return candidate.sentence
    return text[text.rfind("\n\n", 0, at) + 1 : at + len(candidate.sentence)]


def names_share(question: Question, candidate: Candidate) -> float:
    """Share of the names in the question ("Västerbotten", "Kommuninvest") found near the candidate:
    a name in the section heading or its paragraph up to its sentence counts fully (a paragraph
    names its subject first: "Anslaget till Akademisk miljö ... Samtliga sökanden beviljades 3,3
    mkr"), one only elsewhere in the passage half (a passage may date something in one sentence and
    name Sunderbyn in the next)."""
    if not question.names:
        return 1.0
    near = _coverage(question.names, stems(_paragraph_until(candidate)) + stems(candidate.section))
    return near + 0.5 * (_coverage(question.names, _stem_set(candidate.hit.text)) - near)


def division_matches(question: Question, candidate: Candidate) -> bool:
    """Whether a division the question names is the candidate's, or named in its sentence or section."""
    place = " ".join(filter(None, (candidate.division, candidate.section, candidate.sentence))).casefold()
    return any(d.casefold() in place for d in question.divisions)


def score_candidate(
    question: Question, candidate: Candidate, weights: TermWeights | None = None
) -> dict[str, float]:
    """Every scoring term for one candidate (the `why` of an answer); their sum is the score.
    `weights` (from `term_weights`) let rare topic terms count more than common ones."""
    why: dict[str, float] = {}
    if question.kind in FIGURE_KINDS and candidate.kind in FIGURE_KINDS:
        why["type"] = WEIGHTS["type"] * (1.0 if candidate.kind == question.kind else -1.0)
    elif question.kind in (DATE, PERSON, DIVISION) and candidate.kind == question.kind:
        why["type"] = WEIGHTS["type"]
    if question.years:
        why["year"] = WEIGHTS["year"] * period_evidence(question, candidate)
    sentence_stems = stems(candidate.sentence)
    near = sentence_stems + stems(candidate.section)
    why["topic"] = WEIGHTS["topic"] * _coverage(question.terms, near, weights)
    why["topic_sentence"] = WEIGHTS["topic_sentence"] * _coverage(question.terms, sentence_stems, weights)
    why["topic_passage"] = WEIGHTS["topic_passage"] * _coverage(
        question.terms, _stem_set(candidate.hit.text), weights
    )
    sentence, start, end = candidate.sentence, candidate.start, candidate.end
    if candidate.kind != SENTENCE:
        near = question.terms + tuple(t for t in question.cue_terms if t not in question.terms)
        why["proximity"] = WEIGHTS["proximity"] * _proximity(near, sentence, start, end)
        if _is_first_figure(candidate):
            why["first"] = WEIGHTS["first"]
    if candidate.kind in FIGURE_KINDS:
        verbs = tuple(t for t in question.cue_terms if t not in question.terms)
        verb = _proximity(verbs, sentence, start, end, _word_stems)
        if verb >= VERB_NEAR:
            why["verb"] = WEIGHTS["verb"]
        elif _PART_BEFORE.search(sentence[:start]):
            why["part"] = WEIGHTS["part"]
        if is_change(sentence, start, end):
            # A change is the answer when the question asks for one ("hur mycket högre ... jämfört med").
            why["change"] = WEIGHTS["change"] * (-1.0 if _CHANGE_QUESTION.search(question.text) else 1.0)
        if is_earlier(sentence, start, end):
            why["earlier"] = WEIGHTS["earlier"]
        if is_rate(sentence, end) and not _RATE_QUESTION.search(question.text):
            why["rate"] = WEIGHTS["rate"]
    if candidate.kind == AMOUNT and question.kind in (AMOUNT, FIGURE):
        side = region_side(sentence, start, end)
        why["region"] = WEIGHTS["region"] * (-side if _NATION_QUESTION.search(question.text) else side)
    if question.cue and candidate.cue:
        why["cue"] = WEIGHTS["cue"] * (1.0 if candidate.cue == question.cue else -0.5)
    elif candidate.cue == PLANNED:
        why["cue"] = -WEIGHTS["cue"] / 3
    if question.divisions:
        why["division"] = WEIGHTS["division"] * (1.0 if division_matches(question, candidate) else -1.0)
    why["rank"] = WEIGHTS["rank"] / (1 + candidate.rank)
    return {name: round(value, 4) for name, value in why.items() if value}


@dataclass
class _Sentence:
    """One sentence of a passage with the entities inside it (offsets shifted into the sentence)."""

    text: str
    entities: list[Entity]

    def period(self, start: int, end: int, hit: Hit) -> str | None:
        """The period of a span, by the same rule as stored figures (ingest/figures.py)."""
        dates = [e for e in self.entities if e.label == records.DATE]
        return find_period(dates, start, end, hit.section, hit.date)


def _sentences(hit: Hit) -> list[_Sentence]:
    """The passage cut into sentences as ingest cuts figures' sentences, so both agree."""
    out = []
    for begin, end in split_sentences(hit.text):
        inside = [
            Entity(e.label, e.text, e.start - begin, e.end - begin, e.value, e.period_start, e.period_end)
            for e in hit.entities
            if begin <= e.start and e.end <= end
        ]
        out.append(_Sentence(hit.text[begin:end], inside))
    return out


def _candidate(
    hit: Hit, rank: int, sentence: _Sentence, kind: str, start: int, end: int, value: float | str | None,
    cue: str | None = None, division: str | None = None,
) -> Candidate:
    """A candidate for sentence.text[start:end] of a passage, with the period found like a figure's."""
    return Candidate(
        kind=kind, text=sentence.text[start:end], value=value, unit=None, sentence=sentence.text,
        start=start, end=end, period=sentence.period(start, end, hit), division=division, cue=cue,
        page=hit.page, section=hit.section, hit=hit, rank=rank, page_label=hit.page_label,
    )


def figure_candidates(hit: Hit, rank: int, figures: list[Figure]) -> list[Candidate]:
    """Stored figures (amounts and percentages) of one passage as candidates."""
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
            cue=find_cue(f.sentence, f.start, f.end),
            page=f.page if f.page is not None else hit.page,
            section=f.section or hit.section,
            hit=hit,
            rank=rank,
            page_label=f.page_label if f.page is not None else hit.page_label,
            boxes=f.boxes,
        )
        for f in figures
    ]


def count_candidates(hit: Hit, rank: int, question: Question) -> list[Candidate]:
    """Plain numbers that are no amount, percentage or date: answers to "hur många".

    Reports write small counts in words ("tio sårbarheter", "sex möten"), so those count too. Ages
    and durations ("18 år", "90 dagar") are left out unless the question counts that unit, and so
    are labels ("avdelning 41", "Dnr 624-13"). A year-like number is a count when an approximation
    stands before it ("ca 2000 medarbetare").
    """
    asked_units = {m.group(1) for m in _TIME_UNIT_WORD.finditer(question.text.casefold())}
    out: list[Candidate] = []
    for sentence in _sentences(hit):
        numbers = [(m, parse_number(m.group())) for m in _NUMBER.finditer(sentence.text)]
        numbers += [(m, float(NUMBER_WORDS[m.group().casefold()]))
                    for m in _NUMBER_WORD.finditer(sentence.text)]
        for match, value in numbers:
            start, end = match.span()
            before = sentence.text[:start]
            inside_entity = any(e.start < end and start < e.end for e in sentence.entities)
            unit = _TIME_UNIT.match(sentence.text[end:])
            year = _YEAR.fullmatch(match.group()) and not _APPROXIMATELY_BEFORE.search(before)
            other_unit = unit and unit.group(1) not in asked_units
            if inside_entity or year or other_unit or _LABEL_BEFORE.search(before):
                continue
            cue = find_cue(sentence.text, start, end)
            out.append(_candidate(hit, rank, sentence, COUNT, start, end, value, cue=cue))
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


def person_candidates(hit: Hit, rank: int) -> list[Candidate]:
    """Names (two or three capitalised words, not an organisation) in a passage: answers to "vem".

    Not at the start of a sentence or list item, where every word is capitalised ("• Integrera
    Regional överenskommelse").
    """
    return [
        _candidate(hit, rank, sentence, PERSON, match.start(), match.end(), match.group())
        for sentence in _sentences(hit)
        for match in _NAME.finditer(sentence.text)
        if re.search(r"[^\W\d_]", sentence.text[: match.start()])
        and not any(
            word in _NOT_NAMES or word.casefold() in STOP_WORDS_SV or len(word) < 3
            for word in re.split(r"[ -]", match.group())
        )
    ]


def sentence_candidates(hit: Hit, rank: int) -> list[Candidate]:
    """Whole sentences of a passage: the answer when the question asks for no figure or entity.

    Pieces shorter than `MIN_SENTENCE_WORDS`, and the section heading itself, are headings and
    table cells, not answers.
    """
    return [
        _candidate(hit, rank, sentence, SENTENCE, 0, len(sentence.text), None)
        for sentence in _sentences(hit)
        if len(sentence.text.split()) >= MIN_SENTENCE_WORDS and sentence.text.strip() not in hit.section
    ]


def candidates_for(question: Question, hits: list[Hit], figures: dict[int, list[Figure]]) -> list[Candidate]:
    """Every candidate answer of the kind the question asks for, from the top passages.

    Date, person and division questions also get whole sentences as candidates: when no entity of
    the kind stands near the topic, the best sentence is the honest answer (marked "sentence").
    """
    out: list[Candidate] = []
    for rank, hit in enumerate(hits[:CANDIDATE_PASSAGES]):
        if question.asks_figure:
            out += figure_candidates(hit, rank, figures.get(hit.chunk_id, []))
            if question.kind == COUNT:
                out += count_candidates(hit, rank, question)
            continue
        if question.kind == DATE:
            out += entity_candidates(hit, rank, records.DATE, DATE)
        elif question.kind == DIVISION:
            out += entity_candidates(hit, rank, records.DIVISION, DIVISION)
        elif question.kind == PERSON:
            out += person_candidates(hit, rank)
            # A sentence answers "vem" only when it names someone ("genomfördes av PwC").
            out += [c for c in sentence_candidates(hit, rank) if _MID_CAPITAL.search(c.sentence)]
            continue
        out += sentence_candidates(hit, rank)
    return out


def max_score(question: Question) -> float:
    """The best sum a candidate can reach for this question: only the terms the question can earn.

    Confidence is the score over this, so a question naming no year or verb is not held to terms
    it could never earn.
    """
    earnable = ["rank"]
    if question.terms:
        earnable += ["topic", "topic_sentence", "topic_passage"]
    if question.terms and question.kind is not None:
        earnable.append("proximity")
    if question.kind not in (None, FIGURE):
        earnable.append("type")
    if question.years:
        earnable.append("year")
    if question.cue:
        earnable.append("cue")
    if question.divisions:
        earnable.append("division")
    return sum(WEIGHTS[name] for name in earnable)


def constraint_factor(
    question: Question, candidate: Candidate, why: dict[str, float], weights: TermWeights | None = None
) -> float:
    """How much of its score a candidate keeps after the constraints it breaks (1 when none).

    The scaling makes some failures decisive however well the rest fits: too little of the topic
    near the figure (`FULL_TOPIC_SHARE`), a name of the question missing ("Region Västerbotten"),
    another period or another division than the one asked for (by how sure that is), a count whose
    sentence does not name what is counted ("hur många vårdplatser" answered by "avdelning 41").
    """
    factor = min(1.0, topic_share(question, candidate, weights) / FULL_TOPIC_SHARE)
    factor *= 1.0 - NAME_PENALTY * (1.0 - names_share(question, candidate))
    if why.get("year", 0.0) < 0:
        factor *= 1.0 - YEAR_PENALTY * -why["year"] / WEIGHTS["year"]
    if candidate.kind == COUNT and question.counted and not any(
        term_matches(question.counted, s) for s in stems(candidate.sentence)
    ):
        factor *= 1.0 - CONSTRAINT_PENALTY
    if why.get("division", 0.0) < 0:
        factor *= 1.0 - CONSTRAINT_PENALTY
    return factor


def confidence_of(question: Question, why: dict[str, float], factor: float) -> float:
    """The score kept after the constraints, over the best score this question allows (0 to 1),
    without the terms in `RANKING_ONLY`."""
    total = sum(value for name, value in why.items() if name not in RANKING_ONLY)
    return max(0.0, min(1.0, total * factor / max_score(question)))


def _to_answer(candidate: Candidate, why: dict[str, float], factor: float, confidence: float) -> Answer:
    """The answer record with its scoring terms, their total and the constraint factor in `why`."""
    total = sum(why.values())
    return Answer(
        text=candidate.text,
        value=candidate.value,
        unit=candidate.unit,
        kind=candidate.kind,
        sentence=candidate.sentence.strip(),
        file=candidate.hit.file,
        title=candidate.hit.title,
        date=candidate.hit.date,
        page=candidate.page,
        section=candidate.section,
        cue=candidate.cue,
        confidence=round(confidence, 3),
        why={**why, "total": round(total, 4), "factor": round(factor, 4)},
        chunk_id=candidate.hit.chunk_id,
        page_label=candidate.page_label,
        boxes=candidate.boxes,
    )


def same_value(a: Answer, b: Answer) -> bool:
    """Whether two answers state the same figure (within `VALUE_TOLERANCE`) or the same text."""
    if isinstance(a.value, float) and isinstance(b.value, float):
        scale = max(abs(a.value), abs(b.value)) or 1.0
        return abs(a.value - b.value) / scale <= VALUE_TOLERANCE
    return a.text.casefold() == b.text.casefold()


def rank_answers(question: Question, hits: list[Hit], figures: dict[int, list[Figure]]) -> list[Answer]:
    """All candidates as answers, best first; scores within `TIE_MARGIN` put the newest report first."""
    answers = []
    weights = term_weights(question, hits[:CANDIDATE_PASSAGES])
    for candidate in candidates_for(question, hits, figures):
        why = score_candidate(question, candidate, weights)
        factor = constraint_factor(question, candidate, why, weights)
        answers.append(_to_answer(candidate, why, factor, confidence_of(question, why, factor)))
    answers.sort(key=_kept_score)
    ordered: list[Answer] = []
    while answers:
        top = _kept_score(answers[0])
        tied = [a for a in answers if _kept_score(a) - top <= TIE_MARGIN]
        answers = answers[len(tied) :]
        ordered += sorted(tied, key=lambda a: (_newest_first(a.date), _kept_score(a)))
    return ordered


def _kept_score(answer: Answer) -> float:
    """Sort key, best first: the score times the constraint factor, so that a candidate that breaks
    a constraint (another period, no topic near it) ranks below one that keeps them all."""
    return -answer.why["total"] * answer.why["factor"]


def _newest_first(date: str | None) -> tuple[int, ...]:
    """Sort key putting later ISO dates first and undated reports last."""
    digits = [int(part) for part in re.findall(r"\d+", date or "")]
    return tuple(-d for d in digits) or (1,)


def not_found_message(question: Question) -> str:
    """The Swedish "not found" message naming what was asked about."""
    return f"Jag hittar ingen uppgift om {question.subject()} i rapporterna."


def build_reply(question: Question, hits: list[Hit], figures: dict[int, list[Figure]], k: int = 5) -> Reply:
    """The reply: best answer above the threshold (or None), alternatives that say something else, passages.

    Alternatives are the next best candidates that differ from the answer and from each other in
    value or report, so a disagreement between reports is shown, not hidden.
    """
    ranked = rank_answers(question, hits, figures)
    passages = hits[:k]
    if not ranked or ranked[0].confidence < CONFIDENCE_THRESHOLD:
        return Reply(question.text, None, [], passages, not_found_message(question))
    best, alternatives = ranked[0], []
    for answer in ranked[1:]:
        if len(alternatives) == MAX_ALTERNATIVES or answer.confidence < ALTERNATIVE_THRESHOLD:
            break
        shown = [best, *alternatives]
        if any(same_value(answer, other) and answer.file == other.file for other in shown):
            continue
        if answer.why.get("topic", 0.0) < ALTERNATIVE_TOPIC_SHARE * best.why.get("topic", 0.0):
            continue
        alternatives.append(answer)
    return Reply(question.text, best, alternatives, passages, "")


# The scoring terms of `WEIGHTS` (and the sum) for users, e.g. the app's "why this answer" table.
WHY_LABELS = {
    "type": "rätt sorts uppgift (belopp, andel, antal …)",
    "year": "året eller perioden i frågan",
    "topic": "ämnet i meningen eller rubriken",
    "topic_sentence": "ämnet i själva meningen",
    "topic_passage": "ämnet i resten av avsnittet",
    "proximity": "frågans ord nära siffran",
    "first": "första siffran i meningen",
    "verb": "frågans verb intill siffran",
    "part": "en del (”varav …”) av en helhet",
    "change": "en förändring, inte en nivå",
    "earlier": "ett tidigare värde, för jämförelse",
    "rate": "ett belopp per invånare eller patient",
    "region": "regionens belopp, inte landets",
    "cue": "beloppets typ passar frågans verb",
    "division": "divisionen i frågan",
    "rank": "avsnittets plats i sökningen",
    "total": "summa",
    "factor": "faktor för villkor som inte uppfylls",
}


# Swedish labels for what a figure is and what kind of answer was given (CLI text, Markdown, app).
CUE_LABELS = {
    "received": "erhållet",
    "planned": "planerat/möjligt",
    "budget": "budget/ram",
    "result": "resultat",
    "cost": "kostnad",
}
KIND_LABELS = {
    AMOUNT: "belopp",
    PERCENT: "andel",
    COUNT: "antal",
    DATE: "datum",
    PERSON: "person",
    DIVISION: "division",
    SENTENCE: "mening",
}


# Heads the optional language-model summary (index/generation.py) in every face.
SUMMARY_LABEL = "Sammanfattning (språkmodell, kontrollera mot källan):"


def _label(answer: Answer) -> str:
    parts = [KIND_LABELS.get(answer.kind, answer.kind)]
    if answer.cue:
        parts.append(CUE_LABELS.get(answer.cue, answer.cue))
    return ", ".join(parts)


def citation(answer: Answer | Hit) -> str:
    """Report title, date, section, page and file name: where a quoted figure stands."""
    parts = [answer.title or "(utan titel)", answer.date or "odaterad"]
    if answer.section:
        parts.append(f"avsnitt ”{answer.section}”")
    if answer.printed_page:
        parts.append(f"sidan {answer.printed_page}")
    parts.append(f"fil {Path(answer.file).name}")
    return ", ".join(parts)


def reply_text(reply: Reply) -> str:
    """The reply as readable Swedish text for the terminal."""
    lines: list[str] = [f"Fråga: {reply.question}", ""]
    if reply.answer is None:
        lines.append(reply.message)
    else:
        answer = reply.answer
        text = answer.text if answer.kind != SENTENCE else "(se meningen nedan)"
        lines.append(f"Svar: {text}  [{_label(answer)}; säkerhet {format_number(answer.confidence, 2)}]")
        lines.append(f"  ”{answer.sentence}”")
        lines.append(f"  Källa: {citation(answer)}")
    if reply.generated:
        lines += ["", SUMMARY_LABEL, f"  {reply.generated}"]
    if reply.alternatives:
        lines += ["", "Andra uppgifter i rapporterna:"]
        for alternative in reply.alternatives:
            lines.append(f"  • {alternative.text}  [{_label(alternative)}]")
            lines.append(f"    ”{alternative.sentence}”")
            lines.append(f"    Källa: {citation(alternative)}")
    if reply.passages:
        lines += ["", "Avsnitt:"]
        for number, hit in enumerate(reply.passages, start=1):
            snippet = " ".join(hit.text.split())
            snippet = snippet if len(snippet) <= 200 else snippet[:199] + "…"
            lines.append(f"  {number}. {citation(hit)}")
            lines.append(f"     {snippet}")
    return "\n".join(lines)


def reply_markdown(reply: Reply) -> str:
    """A quotable Markdown answer with full citations, to paste into a reply to a journalist."""
    lines: list[str] = [f"**Fråga:** {reply.question}", ""]
    if reply.answer is None:
        lines.append(reply.message)
        if reply.passages:
            lines += ["", "Närmaste avsnitt:"]
            lines += [f"- {citation(hit)}" for hit in reply.passages]
        return "\n".join(lines)
    answer = reply.answer
    if answer.kind != SENTENCE:
        lines += [f"**Svar:** {answer.text} ({_label(answer)})", ""]
    lines += [f"> {answer.sentence}", "", f"Källa: {citation(answer)}."]
    if reply.generated:
        lines += ["", f"*{SUMMARY_LABEL}* {reply.generated}"]
    if reply.alternatives:
        lines += ["", "**Andra uppgifter i rapporterna:**", ""]
        for alternative in reply.alternatives:
            lines.append(f"- **{alternative.text}** ({_label(alternative)}): ”{alternative.sentence}”  ")
            lines.append(f"  Källa: {citation(alternative)}.")
    return "\n".join(lines)


