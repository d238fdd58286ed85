"""Evidence about one candidate answer: how well its period, topic, names and surroundings fit the question.

Each function measures one thing (a number or a yes/no) from the candidate's sentence, section
heading and passage; index/answer.py weighs them into a score. Kept apart from the scoring so each
detector ("ökning med", "föregående år", "per invånare", the region nearer than the nation) can be
read and tested on its own. Pure: no model, no store.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from functools import lru_cache

from rapportsok.index.answer_config import DEFAULT_CONFIG, AnswerConfig
from rapportsok.index.candidates import SENTENCE, YEAR, Candidate, figure_numbers
from rapportsok.index.question import (
    AMOUNT,
    COUNT,
    FIGURE,
    MIN_COMPOUND_PART,
    PERCENT,
    PERSON,
    STOP_WORDS_SV,
    Question,
    is_organisation_word,
    term_match,
    term_matches,
)
from rapportsok.index.question import stems as _stems
from rapportsok.index.results import Hit
from rapportsok.ingest import records
from rapportsok.ingest.records import Entity
from rapportsok.lang.amounts import unit_multiplier
from rapportsok.lang.cues import BUDGET, PLANNED, asks_past, distance
from rapportsok.lang.dates import MONTHS, time_phrases, value_range, without_points_in_periods
from rapportsok.lang.measures import NEGATIVE, change_words, clause, is_change_word
from rapportsok.lang.numbers import parse_number
from rapportsok.lang.roles import ORGAN_HEAD, ROLE, STAFF_WORDS
from rapportsok.lang.stems import is_finite_verb, is_past_or_auxiliary, stems_match

# A change or difference word at most two words before "med"/"på" and the figure ("ökade med",
# "en kostnadsökning på", "avvikelsen mot budget på").
_CHANGE_BEFORE = re.compile(r"((?:[^\W\d_]+,?\s+){1,3})(?:med|på)\s+(?:ca\s+)?$", re.IGNORECASE)
_DIFFERENCE_WORD = re.compile(r"(?:skillnad|avvikelse)\w*$", re.IGNORECASE)
_CHANGE_AFTER = re.compile(
    r"^\s*(?:\([^)]*\)\s*)?(?:bättre|sämre|högre|lägre|mer|mindre|fler|färre)\s+än\b", re.IGNORECASE
)
# A question about a difference; change words (`lang.measures.change_words`) ask for a change too,
# and so does a comparative right after "hur mycket/många" ("hur mycket mer statsbidrag än budgeterat",
# "hur många färre medarbetare"): the answer is the difference, not either level.
_DIFFERENCE_QUESTION = re.compile(
    r"\b(?:skillnad\w*|\w*avvik\w*|jämfört|mer än|bättre|sämre)\b"
    r"|\bhur\s+(?:mycket|många)\s+(?:mer|mindre|fler|färre|högre|lägre|större)\b",
    re.IGNORECASE,
)
_EARLIER_PHRASE = re.compile(
    r"\b(?:föregående|förra|fjolårets|fjolåret|året innan|månaden innan|tidigare)\b", re.IGNORECASE
)
_FROM_BEFORE = re.compile(r"\bfrån\s+(?:ca\s+)?$", re.IGNORECASE)
# A rate after a figure, its noun may stand between ("200 000 besök per månad", "40 kr/invånare");
# "per 31 december", "per den", "per mars" say when, not per what.
_RATE_AFTER = re.compile(
    rf"^\s*(?:[^\W\d_]+\s+)?(?:/\s*\w|per\s+(?!den\b|dagens\b|\d|(?:{'|'.join(MONTHS)})\b)\w"
    rf"|i\s+(?:snitt|genomsnitt)\b)",
    re.IGNORECASE,
)
_RATE_QUESTION = re.compile(r"\bper\b|/|\bsnitt\b|\bgenomsnitt\w*\b", re.IGNORECASE)
# The reporting organisation itself, of any kind and name ("regionen", "kommunens", "Region Västland",
# "Åby kommun", "vår"): its own figure stands nearer these than the nation's words.
_OWN_WORDS = re.compile(
    r"\b(?:region|kommun|landsting|stad|myndighet)(?:en|ens|et|ets)\b|\bvår(?:t|a)?\b"
    r"|(?-i:\b(?:Region|Landstinget)\s+[A-ZÅÄÖ][\w-]+)|(?-i:\b[A-ZÅÄÖ][\w-]+\s)(?:kommun|stad)\b"
    r"|\bför\s+(?-i:[A-ZÅÄÖ][\w-]+s)\s+del\b",
    re.IGNORECASE,
)
# The state as the source of money ("bidrag från staten") names who paid, not whose figure it is.
_NATION_WORDS = re.compile(
    r"\blandsting\w*|\bregionerna\b|\bregioner\b|(?<!från\s)\b(?:staten|regeringen)\b|\bnationell\w*|\briket\b"
    r"|\blandet\b|\bkommunerna\b|\bsamtliga (?:regioner|landsting)\b",
    re.IGNORECASE,
)
_NATION_QUESTION = re.compile(
    r"\bnationell\w*|\briket\b|\blandet\b|\bsveriges?\b|\balla regioner\b|\bsamtliga regioner\b",
    re.IGNORECASE,
)
# Up to three words between: "jämfört med fyra ärenden år 2014", "jämfört med 8,9 procent år 2014".
_COMPARISON_BEFORE = re.compile(r"\b(?:än|jämfört med|mot|sedan)\s+(?:[\w,.%]+\s+){0,3}$", re.IGNORECASE)
# "135 ansökningar har inkommit varav 63 beviljats": the figure after "varav" is a part of the one before.
_WHOLE_BEFORE_PART = re.compile(r"[^.;:]{0,40}?\b(?:varav|av\s+(?:vilka|dessa|dem))\b", re.IGNORECASE)
_PART_BEFORE = re.compile(r"\b(?:varav|av\s+(?:vilka|dessa|dem))\b[^.;:]*$", re.IGNORECASE)
# A question about the change since a date ("jämfört med september 2019"): that date is the one asked.
_COMPARISON_QUESTION = re.compile(r"\b(?:jämfört med|sedan|än)\s+(?:\w+\s+){0,2}(?:19[5-9]\d|20\d\d)\b",
                                  re.IGNORECASE)
# "… jämfört med 2018 då det var 10 336 dagar": the value of the year compared with.
_THEN_BEFORE = re.compile(r"\b(?:19|20)\d\d\s+då\s+[^,.;:]{0,25}$", re.IGNORECASE)
_EARLIER_PARENTHESIS = re.compile(r"\b(?:föregående|förra)\s+(?:\w+\s*)?\(\s*$", re.IGNORECASE)

# An IDF weight per topic term (see `term_weights`).
TermWeights = dict[str, float]


# -- periods ---------------------------------------------------------------------------------------


def period_range(period: str | None) -> tuple[str, str] | None:
    """First and last ISO day of a stored period value ("2020-03", "2022/2024"), or None."""
    return value_range(period) if period else None


def period_years(period: str | None) -> set[int]:
    """The years a period value covers ("2020-03" → {2020}; "2022/2024" → {2022, 2023, 2024})."""
    span = period_range(period)
    return set(range(int(span[0][:4]), int(span[1][:4]) + 1)) if span else set()


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


_RELATIVE = re.compile(r"\bsom\b", re.IGNORECASE)
# "fr o m 2008-02-14", "fr.o.m. 1 juli", "från och med 2020": a period that opens then and runs on.
_OPENS_BEFORE = re.compile(r"\b(?:fr\.?\s?o\.?\s?m\.?|från\s+och\s+med)\s*$", re.IGNORECASE)


def _own_date_span(candidate: Candidate, dates: list[Entity]) -> tuple[str, str] | None:
    """The period of the date nearest the figure among its sentence's own dates (comparisons left
    out): "personalomsättningen för år 2015 … uppgår till 11,3 procent jämfört med 8,9 procent år
    2014" is for 2015, though 2014 stands nearer and ingest stored it. None when that date has no
    year of its own, or when the figure is itself the one compared with ("jämfört med 45 ärenden
    2018", "än 2018 då det var 275"): then the stored period stands."""
    before = candidate.sentence[: candidate.start]
    if not dates or _COMPARISON_BEFORE.search(before) or _THEN_BEFORE.search(before):
        return None
    at = candidate.hit.text.find(candidate.sentence) + candidate.start
    after = at + candidate.end - candidate.start
    # "För 2017 fick nämnden 4,2 mnkr som även kan användas 2018": a date in a relative clause
    # after the figure dates that clause's verb, not the figure, when the sentence has another.
    text = candidate.hit.text
    own = [e for e in dates if not (e.start >= after and _RELATIVE.search(text[after : e.start]))]
    nearest = min(own or dates, key=lambda e: distance(at, after, e.start, e.end))
    if not (nearest.period_start and nearest.period_end):
        return None
    covered = period_range(candidate.hit.date)
    if covered and _OPENS_BEFORE.search(candidate.hit.text[: nearest.start]):
        # A fee or a post held from a date on holds through the report's period too.
        return nearest.period_start, max(nearest.period_end, covered[1])
    return nearest.period_start, nearest.period_end


def period_evidence(question: Question, candidate: Candidate, config: AnswerConfig = DEFAULT_CONFIG) -> float:
    """How sure it is that the candidate is (+) or is not (-) about a period the question names.

    By where the figure's period comes from:
    - its sentence (1), or the section heading or a table cell's column (0.75): a period that
      overlaps the question's counts in proportion to how much of it does, at least half
      ("2018-2020" answers "2020" less well than "2020"); one that does not overlap counts against.
      A date after "än"/"jämfört med" dates a comparison and is ignored. A sentence answer
      matches when any of its dates does.
    - only the report's date (0.25 either way, weak: a report tells this and last year's figures alike):
      the report's year counts for, the year before and the next `plan_years` neither way, earlier
      years against, a year past the plans fully against (a report cannot know it); a year that
      opens the passage (a heading the reader missed, "2019") counts against when not asked for.
    A period the question names that begins after the report was written cannot be in it as an
    outcome, only as a budget or plan, so anything else from that report counts fully against
    ("resultat per mars 2022" is not answered from a report of May 2021); a question in the past
    tense ("hade", "blev") about a time after the report's period is not answered by its plans
    either. A question that quotes the sentence's own time phrase ("flyttas till 2026") is about
    the figure of that sentence, whichever date stands nearer the figure ("… under 2025 och kommer
    att flyttas till 2026").
    """
    wanted = [(p.start, p.end) for p in question.periods if p.start and p.end]
    dates = _sentence_dates(candidate, comparisons=bool(_COMPARISON_QUESTION.search(question.text)))
    spans = [period_range(str(d.value)) for d in dates]
    if candidate.kind == SENTENCE and dates:
        return 1.0 if any(s and _overlap(s, wanted) for s in spans) else -1.0
    # What happened after the report's period ("hur många poliser hade polisen 2010" of an annual
    # report for 2008) is not in it: its goals and plans for then are no outcome.
    covered = period_range(candidate.hit.date)
    if wanted and covered and all(start > covered[1] for start, _ in wanted) and asks_past(question.text):
        return -1.0
    written = (candidate.hit.date or "")[:10]
    if (
        wanted and len(written) == 10 and all(start > written for start, _ in wanted)
        and candidate.cue not in (BUDGET, PLANNED) and not any(s and _overlap(s, wanted) for s in spans)
    ):
        return -1.0
    if _quotes_time_phrase(question, candidate):
        return 1.0
    span = _own_date_span(candidate, dates) or period_range(candidate.period)
    if dates or (candidate.row is not None and names_year(candidate.column, candidate.period)):
        strength = 1.0  # a column "Bokslut 2024" states its year as plainly as a sentence does
    elif span and (
        candidate.row is not None  # a table cell: its column's period, read at ingest ("fg år")
        or any(str(y) in candidate.section for y in period_years(candidate.period))
    ):
        strength = 0.75
    else:
        opening = {int(y) for y in YEAR.findall(candidate.hit.text[: config.passage_opening])}
        if opening and not opening & set(question.years):
            return -0.5
        report_year = period_years(candidate.hit.date)
        if not report_year or not question.years:
            return 0.0
        year = max(report_year)
        if year in question.years:
            return 0.25
        if year - 1 in question.years or year < min(question.years) <= year + config.plan_years:
            return 0.0
        return -1.0 if min(question.years) > year + config.plan_years else -0.25
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


def _quotes_time_phrase(question: Question, candidate: Candidate) -> bool:
    """Whether a time phrase of the question with its preposition ("till 2026") stands in the
    candidate's sentence: then the sentence says what the question asks of that time, for each of
    its figures ("Budgeten för A (2,4 mnkr) och B (0,5 mnkr) … flyttas till 2026")."""
    return bool(time_phrases(question.text) & time_phrases(candidate.sentence))


def names_year(label: str | None, period: str | None) -> bool:
    """Whether a label ("Bokslut 2024", "2021 ²") names a year of the period."""
    return bool(label) and any(str(year) in label for year in period_years(period))


def _overlap(span: tuple[str, str], wanted: list[tuple[str, str]]) -> float:
    """The largest share of `span` (ISO first and last day) that one of the `wanted` periods covers."""
    first, last = dt.date.fromisoformat(span[0]), dt.date.fromisoformat(span[1])
    length = (last - first).days + 1
    best = 0.0
    for start, end in wanted:
        days = (min(last, dt.date.fromisoformat(end)) - max(first, dt.date.fromisoformat(start))).days + 1
        best = max(best, days / length)
    return best


# -- topic and names -------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def stems(text: str) -> tuple[str, ...]:
    """Stems of a text, cached: the same passages and sentences are scored for every candidate.
    "Vid slutet av" and the like say when, so their words are left out (as from the question's)."""
    return tuple(_stems(without_points_in_periods(text)))


@lru_cache(maxsize=8192)
def stem_set(text: str) -> frozenset[str]:
    """The distinct stems of a text, cached like `stems`."""
    return frozenset(stems(text))


def coverage(terms: tuple[str, ...], text_stems: Iterable[str], weights: TermWeights | None = None) -> float:
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
    passages = [stem_set(hit.text) for hit in hits]
    weights = {}
    for term in question.terms:
        df = sum(any(term_matches(term, s) for s in passage) for passage in passages)
        weights[term] = 1.0 + math.log(len(passages) / df) if df else 1.0
    return weights


def topic_share(question: Question, candidate: Candidate, weights: TermWeights | None = None) -> float:
    """Share of the topic terms found in the candidate's sentence, section heading, own heading (for
    a cell, its row's compound tails: `table_answers.asked_tails`) or passage (1 if none), the
    question's forecast words ("beräknas") in a forecast column. The organisations the question
    names count as terms here, found in their own reports: "fick psykiatrin i Västland"
    is half answered by any passage of Region Västland's report."""
    if not question.terms:
        return 1.0
    near = stem_set(f"{candidate.section}\n{candidate.heading or ''}\n{candidate.hit.text}")
    near |= set(organisation_stems(candidate.hit))
    if candidate.row is not None and question.cue == candidate.cue == PLANNED:
        near |= set(question.cue_terms)  # "beräknas", "förväntas": said by a forecast column
    near = set(naming_counted(question, near))
    return coverage(question.terms + question.organisations, near, weights)


def _paragraph_until(candidate: Candidate) -> str:
    """The candidate's paragraph in its passage, from its start to the end of the candidate's sentence."""
    text = candidate.hit.text
    at = text.find(candidate.sentence)
    if at < 0:
        return candidate.sentence
    return text[text.rfind("\n\n", 0, at) + 1 : at + len(candidate.sentence)]


def names_share(question: Question, candidate: Candidate) -> float:
    """Share of the names in the question ("Västerbotten", "Kommuninvest") found near the candidate:
    a name in the section heading, its paragraph up to its sentence or the report's identity
    (organisation, title, file) counts fully (a paragraph
    names its subject first: "Anslaget till Akademisk miljö ... Samtliga sökanden beviljades 3,3
    mkr"), one only elsewhere in the passage half (a passage may date something in one sentence and
    name the place in the next)."""
    if not question.names:
        return 1.0
    hit = candidate.hit
    report = stems(report_identity(getattr(hit, "organisation", None), hit.title, hit.file))
    near = stems(_paragraph_until(candidate)) + stems(candidate.section) + report
    passage = stem_set(hit.text)
    found = [max(coverage((name,), near), 0.5 * coverage((name,), passage)) for name in question.names]
    return sum(found) / len(found)


def report_identity(organisation: str | None, title: str | None, file: str) -> str:
    """What names the report as a whole: its organisation (when known), title and file name. A
    name the question gives ("i Åby") is matched here too, never required in the passage."""
    name = re.sub(r"[_\W\d]+", " ", file.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0])
    return f"{organisation or ''} {title or ''} {name}"


# Words of an organisation's name that name its kind, not its place ("Region", "kommun").
_ORGANISATION_KIND = re.compile(
    r"^(?:region|regionen|kommun|kommunen|stad|staden|landsting|landstinget|län|läns)$"
)
# An organisation that is a body of a municipality or region ("Kultur- och fritidsnämnden"): its
# words name a field of work, not a place a question would name.
_BODY = re.compile(rf"{ORGAN_HEAD}\w*$", re.IGNORECASE)


def organisation_words(organisation: str | None, file: str) -> set[str]:
    """Stems of the words that may name the report's organisation in a question: the place or
    agency of its organisation ("Region Västland" → västland; "Åby stad" → åby; none for a
    nämnd) and the words of its file name of four letters or more ("aby_KFN_Bokslut.pdf")."""
    words: set[str] = set()
    if organisation and not _BODY.search(organisation.strip()):
        words |= {w for w in stem_set(organisation) if not _ORGANISATION_KIND.match(w)}
    name = re.sub(r"[_\W\d]+", " ", file.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0])
    words |= {s for w in name.split() if len(w) >= 4 for s in stems(w)}
    return words


def names_report(question: Question, identity: str) -> bool:
    """Whether an organisation the question names is named by the report's `identity`
    (`report_identity`), compound parts too ("Västland" in "regionvastland_rek.pdf"). One is enough:
    "ett småhus i Norrby enligt Region Västlands lägesrapport" names a place of the figure and
    the report that gives it, and a question may compare two organisations."""
    words = stem_set(identity)
    return any(
        any(is_organisation_word(name, word) for word in words) for name in question.organisations
    )


def organisation_evidence(question: Question, hit: Hit) -> float:
    """+1 when an organisation the question names is the report's (by its organisation, title or
    file name); -1 when the report's organisation is known and another, or unknown and the passage
    does not name the asked one either ("Region Västerbotten" asked of another region's report);
    0 when only the passage names it (a report quoting another organisation's figure)."""
    if not question.organisations:
        return 0.0
    if names_report(question, report_identity(getattr(hit, "organisation", None), hit.title, hit.file)):
        return 1.0
    if getattr(hit, "organisation", None):
        return -1.0
    return 0.0 if coverage(question.organisations, stem_set(hit.text)) == 1.0 else -1.0


def organisation_stems(hit: Hit) -> tuple[str, ...]:
    """Stems of what names the report's organisation: the organisation ("Region Västland" →
    region, västland) and the words of its file name ("aby_KFN_Bokslut_2025.pdf"). A
    question word that names it ("fick Västland", "Åbys andel", "i Åby") is found in every
    passage of the report."""
    return stems(report_identity(getattr(hit, "organisation", None), None, hit.file))


def steer_hits(question: Question, hits: list[Hit]) -> list[Hit]:
    """The passages with those of the organisation the question names first, in search order
    otherwise: a soft filter (nothing is dropped), so a named organisation steers retrieval."""
    if not question.organisations:
        return hits
    return sorted(hits, key=lambda hit: -organisation_evidence(question, hit))


# The stem of "personer": what counts people of any role.
_PERSONS = stems("personer")[0]
_STAFF = frozenset(stems(" ".join(STAFF_WORDS)))


def counted_terms(question: Question) -> frozenset[str]:
    """Stems that name what a count question counts: its noun; "personer" too for a role
    ("hur många ledamöter"); every word for staff for one of them ("anställda", "medarbetare",
    "hur många jobbar")."""
    if not question.counted:
        return frozenset()
    terms = {question.counted}
    if counts_people(question):
        terms.add(_PERSONS)  # "hur många sökte": "17 000 personer har sökt" names what is counted
    if question.counted in asked_roles(question):
        terms.add(_PERSONS)
    if question.counted in _STAFF:
        terms |= _STAFF | {_PERSONS}
    return frozenset(terms)


_COUNT_VERB = re.compile(r"\bhur\s+många\s+([^\W\d_]+)", re.IGNORECASE)


def counts_people(question: Question) -> bool:
    """Whether a count question counts people by what they did: a verb, not a noun, follows "hur
    många" ("hur många sökte arbetstillstånd", "hur många hade ett öppet ärende"). A weak past form
    with a finite verb after it is an adjective ("hur många avslutade ärenden hade nämnden")."""
    match = _COUNT_VERB.search(question.text)
    if not match or not is_past_or_auxiliary(match.group(1)):
        return False
    later = re.findall(r"[^\W\d_]+", question.text[match.end() :])
    return is_finite_verb(match.group(1)) or not any(is_finite_verb(word) for word in later)


def naming_counted(question: Question, text_stems: Iterable[str]) -> tuple[str, ...]:
    """The stems of a text, with the question's counted noun added where another word names it
    ("medarbetare" says what "hur många anställda" counts), so the topic is found there."""
    found = tuple(text_stems)
    if question.counted and question.counted not in found and counted_terms(question) & set(found):
        return (*found, question.counted)
    return found


def names_counted(question: Question, candidate: Candidate) -> bool:
    """Whether the candidate's sentence names what the question counts ("hur många vårdplatser"),
    or the question counts nothing in particular. A table cell's row (with its parent, "Antal
    besökare › Hammenhögsbadet"), its compounds' tails ("lån" of "Bibliotekslån"), caption and
    column name it too. People counted by their role ("hur många ledamöter") are named by
    "personer" too ("består av högst åtta personer")."""
    if not question.counted:
        return True
    text = candidate.sentence
    cell = candidate.row is not None
    if cell:
        text = f"{text}\n{candidate.measure or ''}\n{candidate.heading or ''}\n{candidate.section}"
    words = stems(text)
    return any(
        term_matches(term, s) and not (cell and _broader(term, s, words))
        for s in words for term in counted_terms(question)
    )


def _broader(term: str, word: str, words: tuple[str, ...]) -> bool:
    """Whether `word` is only the head of the compound `term` ("stöld" of "cykelstöld") and the text
    (`words`) does not name the compound's first part ("cykel"): a row that counts all thefts is no
    count of bicycle thefts ("Tillgreppsbrott … totalt" for "hur många cykelstölder"). Only for a
    table row: its label says all it counts, where prose refers back to a compound by its head
    ("61 av de 115 kontoren" after "servicekontoren")."""
    if stems_match(term, word) or len(word) >= len(term) or not term.endswith(word):
        return False
    modifier = term[: -len(word)].rstrip("s")
    return len(modifier) >= 3 and not any(term_match(modifier, w) or w.startswith(modifier) for w in words)


# "Hur många av de fyra målen …" asks for the part: the count before "av" ("tre av de fyra").
_ASKS_PART_OF = re.compile(r"\bhur\s+många\s+av\b", re.IGNORECASE)
_WORDS_AFTER_COUNT = 2


def counts_asked_noun(question: Question, candidate: Candidate) -> bool:
    """Whether a count stands right before the noun the question counts ("på 18 skolor med 20
    utbildningar" for "hur många skolor"; an adjective may come between) or the head of its compound
    ("37 enheter" for "hur många förskoleenheter"), or right before "av" when the question asks "hur
    många av"."""
    after = candidate.sentence[candidate.end :]
    if _ASKS_PART_OF.search(question.text):
        # "tre av de fyra målen", "40 fordon, av vilka 37 är leasade"
        return bool(re.match(r"\s+av\b", after) or _PART_BEFORE.search(candidate.sentence[: candidate.start]))
    following = stems(" ".join(after.split()[:_WORDS_AFTER_COUNT]))
    return any(
        term_match(term, s) == 1.0 or (len(s) >= MIN_COMPOUND_PART and term.endswith(s))
        for s in following for term in counted_terms(question)
    )


def asked_roles(question: Question) -> tuple[str, ...]:
    """Stems of the role nouns a question asks the holder of ("Vem är ordförande ..." → "ordför")."""
    return tuple(dict.fromkeys(s for m in ROLE.finditer(question.text) for s in stems(m.group())))


# A body of an organisation that a role belongs to ("ordförande i regionstyrelsen").
_ORGAN = re.compile(rf"\b[^\W\d_]*{ORGAN_HEAD}[^\W\d_]*", re.IGNORECASE)


def asked_organs(question: Question) -> tuple[str, ...]:
    """Stems of the bodies a "vem" question names beside its role ("i regionstyrelsen", "i
    kultur- och fritidsnämnden"); a role noun itself ("förvaltningschefen") is none."""
    words = [m.group() for m in _ORGAN.finditer(question.text) if not ROLE.fullmatch(m.group())]
    return tuple(dict.fromkeys(s for word in words for s in stems(word)))


def _same_role(role: str, word: str) -> bool:
    """Whether the stem `word` names the asked role: a form of it, a compound with it as head
    ("styrelseordförande" for "ordförande") or its head ("direktör" for "kommundirektör"); not a
    mere first part ("kommun" of "kommundirektör")."""
    if term_match(role, word) == 1.0 or word.endswith(role):
        return True
    return len(word) >= 4 and role.endswith(word)


def names_role(question: Question, candidate: Candidate) -> bool:
    """Whether a name or sentence answers the role a "vem" question asks for: its sentence (with
    a signature's role line) or its bound role names the role ("ordförande"), and its passage,
    section or report names the body the role is of ("regionstyrelsen"); True when the question
    asks no role. A prize winner named in the same report is no chairman, and the chairman of a
    nämnd is not the chairman of the regionstyrelse."""
    roles = asked_roles(question)
    if not roles or question.kind != PERSON or candidate.kind not in (PERSON, SENTENCE):
        return True
    words = stems(f"{candidate.sentence} {candidate.measure or ''}")
    if not any(_same_role(role, word) for role in roles for word in words):
        return False
    hit = candidate.hit
    around = stem_set(f"{candidate.section}\n{hit.text}\n"
                      f"{report_identity(hit.organisation, hit.title, hit.file)}")
    # The body itself, or a compound of it; not a part of its name ("region" of "regionstyrelsen").
    return all(any(organ in word or term_match(organ, word) == 1.0 for word in around)
               for organ in asked_organs(question))


def division_matches(question: Question, candidate: Candidate) -> bool:
    """Whether a division the question names is the candidate's, or named in its sentence or section."""
    place = " ".join(filter(None, (candidate.division, candidate.section, candidate.sentence))).casefold()
    return any(d.casefold() in place for d in question.divisions)


# -- what stands around the figure -----------------------------------------------------------------


@lru_cache(maxsize=8192)
def _content_stems(text: str) -> tuple[str, ...]:
    """Stems of the words that are not stop words: what "close" is counted in."""
    return stems(" ".join(w for w in re.findall(r"[^\W\d_]+", text.casefold()) if w not in STOP_WORDS_SV))


@lru_cache(maxsize=8192)
def _word_stems(text: str) -> tuple[str, ...]:
    """Stems of every word, stop words too: the question's verbs ("beviljades") are stop words."""
    return stems(" ".join(re.findall(r"[^\W\d_]+", text.casefold())))


# What parts the items of a list of figures ("Norra 95 procent, Södra 86 procent").
_ITEM_BREAK = re.compile(r"[,;]")


def _own_words(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The stretch of the sentence whose words belong to the figure at sentence[start:end]: up to
    the neighbouring figures, and where a comma stands between this figure and a neighbour, only up
    to that comma, as a list names each item on its own side of it: "Norra är 95 procent, Södra
    86 procent" gives Södra to 86, "10,6 mnkr för akuta investeringar, 38 mnkr" the investments to
    10,6."""
    before_numbers, after_numbers = figure_numbers(sentence[:start]), figure_numbers(sentence[end:])
    first, last = 0, len(sentence)
    if before_numbers:
        first = before_numbers[-1].end()
        item = _ITEM_BREAK.search(sentence, first, start)
        first = item.end() if item else first
    if after_numbers:
        last = end + after_numbers[0].start()
        breaks = list(_ITEM_BREAK.finditer(sentence, end, last))
        last = breaks[-1].start() if breaks else last
    return first, last


def proximity(terms: tuple[str, ...], sentence: str, start: int, end: int, stop_words: bool = False) -> float:
    """How close the topic words stand to the figure: the mean over the terms of 1/(1 + content words
    between), 0 for a term not in the sentence. The mean, not the nearest, so a figure beside one
    word does not beat one that sits among all of them. A word beyond another number belongs to
    that number ("56 000 invånare ... och ca 17 600 är fullvaccinerade", "10,6 mnkr för akuta
    investeringar, 38 mnkr för hjälpmedel"), so it counts only up to the neighbouring figures, and
    between two figures a comma parts their words (`_own_words`).
    `stop_words` counts stop words as words too (for the question's verbs, which are stop words)."""
    if not terms:
        return 0.0
    first, last = _own_words(sentence, start, end)
    words = _word_stems if stop_words else _content_stems
    before = words(sentence[first:start])
    after = words(sentence[end:last])
    total = 0.0
    for term in terms:
        # (strength of the match, content words between): a compound part counts at its strength.
        near = [(term_match(term, s), len(before) - 1 - i) for i, s in enumerate(before)]
        near += [(term_match(term, s), i) for i, s in enumerate(after)]
        total += max((strength / (1.0 + gap) for strength, gap in near if strength), default=0.0)
    return total / len(terms)


# "När togs X bort", "när infördes X", "vem yrkade …": the verb right after the question word says
# which event is asked of; an auxiliary ("när ska X vara klart") or a plain "var"/"är" ("vem är
# ordförande") says nothing of which event.
_ASKED_VERB = re.compile(r"^\W*(när|vem)\s+([^\W\d_]+)", re.IGNORECASE)
_NO_EVENT_VERBS = frozenset("ska skall kommer kan kunde bör måste har hade är var blev blir".split())


def asked_verb(question: Question, word: str) -> str | None:
    """The stem of the verb right after the question word `word` ("när": "togs" → "tas"; "vem":
    "yrkade" → "yrk"), or None."""
    match = _ASKED_VERB.match(question.text)
    if not match or match.group(1).casefold() != word or match.group(2).casefold() in _NO_EVENT_VERBS:
        return None
    found = _word_stems(match.group(2))
    return found[0] if found else None


def names_the_doer(question: Question, candidate: Candidate) -> bool:
    """Whether a name stands in the clause of the verb a "vem" question asks the doer of: "Mats Ekberg
    (M) yrkade att …" answers "vem yrkade"; a name in a clause of another verb ("ett ärende av X
    angående …", "Kommunstyrelsen beslutar") does not."""
    verb = asked_verb(question, "vem")
    if verb is None:
        return False
    if candidate.text == candidate.sentence:
        near = candidate.sentence  # a whole sentence for answer: its verb anywhere in it
    else:
        near = " ".join(clause(candidate.sentence, candidate.start, candidate.end))
    return any(stems_match(verb, word) for word in _word_stems(near))


def dates_the_verb(question: Question, candidate: Candidate) -> bool:
    """Whether, of the dates of one sentence, this one stands in the clause of the verb the question
    asks the date of and another does not: "infördes 1993 och togs bort 2007" dates "togs bort"
    with 2007, as "och" opens the second verb's clause. Only between the dates of one sentence: a
    verb of the question in another sentence says nothing of which event its date is."""
    verb = asked_verb(question, "när")
    if verb is None:
        return False

    def in_clause(start: int, end: int) -> bool:
        before, after = clause(candidate.sentence, start, end)
        return any(stems_match(verb, word) for word in _word_stems(f"{before} {after}"))

    begin = candidate.hit.text.find(candidate.sentence)
    others = [
        (e.start - begin, e.end - begin) for e in _sentence_dates(candidate, comparisons=True)
        if (e.start - begin, e.end - begin) != (candidate.start, candidate.end)
    ]
    return in_clause(candidate.start, candidate.end) and any(not in_clause(*span) for span in others)


def is_first_figure(candidate: Candidate) -> bool:
    """Whether no other number stands before the candidate in its sentence (years and dates aside)."""
    before = YEAR.sub("", candidate.sentence[: candidate.start])
    return not re.search(r"\d", before)


def is_part(question: Question, sentence: str, start: int, end: int) -> bool:
    """Whether the figure is a part after "varav" or "av vilka" ("7012 medarbetare varav 6387
    tillsvidareanställda") of a whole the question asks for: a part that counts the very noun the
    question counts is its answer ("varav 18 321 poliser" for "hur många poliser"), and so is any
    part when it asks "hur många av" (then the whole is what it does not ask for); one that counts
    a narrower compound of the asked noun is not ("varav 6387 tillsvidareanställda" for "hur många
    anställda")."""
    if _ASKS_PART_OF.search(question.text):
        # "hur många av …" asks for the part: the whole before "av vilka" is the one that is not
        return bool(_WHOLE_BEFORE_PART.match(sentence[end:]))
    if not _PART_BEFORE.search(sentence[:start]):
        return False
    following = stems(sentence[end:])[:1]
    return not (question.counted and following and term_match(question.counted, following[0]) == 1.0)


def is_period_part(question: Question, candidate: Candidate) -> bool:
    """Whether the figure's own sentence dates it to less than half of the period the question asks
    for: a month's figure ("Under januari antogs 830 sökanden") is a part of the year asked about,
    not its figure. A date at the end of the period asked for ("31 december", "i december") dates
    a level at its end, the period's own; a figure dated by its report only (a quarterly report)
    is no part, as its sentence says nothing of its period. A table cell is dated by its column:
    the cell of one year ("Budget 2027") is a part of "totalt 2027-2031", its last year too."""
    wanted = [(p.start, p.end) for p in question.periods if p.start and p.end]
    span = period_range(candidate.period)  # its sentence's dates, the year resolved ("januari" 2008)
    cell = candidate.row is not None
    if not wanted or span is None or not (cell or _sentence_dates(candidate)):
        return False
    shortest = min(_days(want) for want in wanted)
    ends = {end for _, end in wanted}
    return _overlap(span, wanted) == 1.0 and _days(span) * 2 < shortest and (cell or span[1] not in ends)


def _days(span: tuple[str, str]) -> int:
    """The number of days of a span of ISO first and last days."""
    return (dt.date.fromisoformat(span[1]) - dt.date.fromisoformat(span[0])).days + 1


def is_change(sentence: str, start: int, end: int) -> bool:
    """Whether the figure is a difference ("ökning med 12 procent", "173 mnkr bättre än") not a level."""
    if _CHANGE_AFTER.match(sentence[end:]):
        return True
    link = _CHANGE_BEFORE.search(sentence[:start])
    return bool(link) and any(
        is_change_word(word) or _DIFFERENCE_WORD.search(word) for word in re.findall(r"[^\W\d_]+", link[1])
    )


def asks_change(question: Question) -> bool:
    """Whether the question asks for a change ("hur mycket högre ... jämfört med")."""
    return bool(_DIFFERENCE_QUESTION.search(question.text) or change_words(question.text))


def is_earlier(sentence: str, start: int, end: int) -> bool:
    """Whether the figure is an earlier value quoted for comparison, not the current one.

    "från 3,33 procent till 4,96 procent" (the first), "föregående år (82,3 procent)", "Samma period
    föregående år var avkastningen 2,2 procent". A previous-period phrase after "än"/"jämfört med"
    belongs to the comparison of another figure ("229 mnkr, ... bättre än föregående år").
    """
    before, after = sentence[:start], sentence[end:]
    if _FROM_BEFORE.search(before) and re.match(r"\s*\S*\s*till\b|.{0,30}\btill\b", after):
        return True
    if _EARLIER_PARENTHESIS.search(before) or _THEN_BEFORE.search(before):
        return True
    for match in _EARLIER_PHRASE.finditer(sentence):
        near = start - 60 <= match.start() < start or end <= match.start() < end + 30
        baseline = _COMPARISON_BEFORE.search(sentence[: match.start()]) or _FROM_BEFORE.search(
            sentence[: match.start()]
        )  # "en ökning från föregående år med 99 miljoner": the change's baseline, not the figure
        if near and not baseline:
            return True
    return False


def is_rate(sentence: str, end: int) -> bool:
    """Whether the figure is per something ("40 kr/invånare", "4 767 kr per listad patient")."""
    return bool(_RATE_AFTER.match(sentence[end:]))


def asks_rate(question: Question, sentence: str = "", end: int = 0) -> bool:
    """Whether the question asks for a rate ("per invånare", "i snitt"), or for the one the figure
    at `end` of `sentence` is: a question about what "en familj" gets asks for the figure "per
    familj"."""
    if _RATE_QUESTION.search(question.text):
        return True
    unit = re.match(r"\s*(?:/|per)\s*(\w+)", sentence[end:], re.IGNORECASE)
    return bool(unit) and any(term_match(t, s) == 1.0 for t in question.terms for s in stems(unit.group(1)))


def region_side(sentence: str, start: int, end: int, reach: int = DEFAULT_CONFIG.region_reach) -> int:
    """-1 when the nation (state, all regions) is named nearer the figure than the reporting
    organisation, +1 when the organisation is nearer, or named within `reach` characters of it in a
    sentence that names no nation ("för Hallands del 53,4 mnkr"), else 0."""

    def nearest(pattern: re.Pattern[str]) -> int | None:
        gaps = [max(m.start() - end, start - m.end(), 0) for m in pattern.finditer(sentence)]
        return min(gaps) if gaps else None

    region, nation = nearest(_OWN_WORDS), nearest(_NATION_WORDS)
    if nation is None:
        return 1 if region is not None and region <= reach else 0
    if region is not None and region <= nation:
        return 1
    return -1


# A place named in a sentence: "i Stockholm", "inom Region Skåne", "Norrby, där ...".
_PLACE_IN_SENTENCE = re.compile(
    r"(?-i:\b(?:i|inom|hos)\s+(?:(?:Region|Regionen|Landstinget)\s+)?"
    r"(?!(?:Tabell|Figur|Diagram|Bilaga|Bild|Avsnitt|Kapitel|Not)\b)([A-ZÅÄÖ][\w-]+))"
    r"|(?-i:\b([A-ZÅÄÖ][\w-]+),?\s+där\b)"
)


def other_place_nearer(question: Question, sentence: str, start: int, end: int) -> bool:
    """Whether the place named nearest the figure in its sentence is not one the question names (an
    organisation or a topic word): the figure is another place's (a report about one county
    compares it with others)."""
    if not question.organisations:
        return False
    places = [
        (max(m.start() - end, start - m.end(), 0), m.group(1) or m.group(2))
        for m in _PLACE_IN_SENTENCE.finditer(sentence)
    ]
    if not places:
        return False
    words = stems(min(places)[1])
    # A place the question names as its topic is asked too ("arbetslösheten i Norrby enligt
    # Region Västland"), not only the organisations it names.
    asked_organisation = any(is_organisation_word(org, w) for org in question.organisations for w in words)
    asked_topic = any(stems_match(term, w) for term in question.terms + question.names for w in words)
    return not (asked_organisation or asked_topic)


def asks_nation(question: Question) -> bool:
    """Whether the question asks for the nation's figure ("nationellt", "alla regioner"), not the region's."""
    return bool(_NATION_QUESTION.search(question.text))


def asks_negative(question: Question) -> bool:
    """Whether the question asks for a loss by name ("hur stort underskott"): the answer is its size."""
    return bool(NEGATIVE.search(question.text))


# A question that checks a claim ("Stämmer det att regionen fick 27 miljoner 2020?"): the figure it
# states is the one to find; a threshold in another question ("fler än 100") is none.
_CHECK_QUESTION = re.compile(
    r"^\W*(?:stämmer\s+det|är\s+det\s+(?:sant|riktigt|korrekt)|gäller\s+det)\b|\bverkligen\b",
    re.IGNORECASE,
)
_PERCENT_AFTER = re.compile(r"^\s*(?:%|procent\b)", re.IGNORECASE)
_UNIT_AFTER = re.compile(r"^\s*([^\W\d_]+)")


@lru_cache(maxsize=256)
def stated_values(question: Question) -> tuple[tuple[float, str], ...]:
    """The figures a question that checks a claim states, as candidates' values are written, each
    with its kind: an amount in kronor ("27 miljoner" → 27 000 000, AMOUNT), a percentage
    (PERCENT), else the number itself (COUNT: "2 av 3 patienter" is no "3 %"). Empty for any other
    question."""
    text = question.text
    if not _CHECK_QUESTION.search(text):
        return ()
    values = []
    for match in figure_numbers(text):
        try:
            value = parse_number(match.group())
        except ValueError:
            continue  # a number word: claims state their figures in digits
        after = text[match.end() :]
        unit = _UNIT_AFTER.match(after)
        percent = bool(_PERCENT_AFTER.match(after))
        multiplier = unit_multiplier(unit.group(1)) if unit and not percent else None
        kind = PERCENT if percent else AMOUNT if multiplier else COUNT
        values.append((value * (multiplier or 1.0), kind))
    return tuple(values)


def states_value(
    question: Question, candidate: Candidate, tolerance: float = DEFAULT_CONFIG.value_tolerance
) -> bool:
    """Whether the candidate is the figure a checking question states (`stated_values`): the passage
    that says it confirms the claim."""
    if not isinstance(candidate.value, float):
        return False
    kinds = {PERCENT: (PERCENT,), AMOUNT: (AMOUNT,), COUNT: (COUNT, FIGURE)}
    return any(
        abs(candidate.value - value) <= tolerance * max(abs(candidate.value), abs(value))
        and candidate.kind in kinds[kind]
        for value, kind in stated_values(question)
    )


def measure_match(question: Question, candidate: Candidate, weights: TermWeights | None = None) -> float:
    """Share of the question's topic in what the figure measures (`Candidate.measure`): of two figures
    in one sentence ("ett resultat om 12 mnkr och det egna kapitalet uppgår till 40 mnkr"), the one
    bound to the asked noun answers. 0 when the figure's measure is not known."""
    changing = {s for word in question.topic if is_change_word(word) for s in _stems(word)}
    terms = tuple(t for t in question.terms if t not in changing)  # how it changed is `change`'s
    if not candidate.measure or not terms:
        return 0.0
    return coverage(terms, stems(candidate.measure), weights)
