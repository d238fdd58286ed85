"""Swedish question analysis: what kind of answer is asked for, about which years, divisions and topic.

Pure (no model, no store, no I/O) so that it costs next to nothing per question and can be unit-tested
on its own. The answer step (`index/answer.py`) scores candidate figures against what this finds.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from rapportsok.lang.cues import CUES, QUESTION_RECEIVED, RECEIVED, question_cue
from rapportsok.lang.dates import (
    PERIOD_IN_TEXT,
    DateError,
    DateValue,
    normalize_date,
    without_points_in_periods,
)
from rapportsok.lang.everyday import formal_words
from rapportsok.lang.stems import stems_match
from rapportsok.lang.stems import word_stems as stems
from rapportsok.lang.stopwords import QUESTION_STOP_WORDS as STOP_WORDS_SV

# Answer kinds a question can ask for (the same names as `Answer.kind`).
AMOUNT = "amount"
COUNT = "count"
PERCENT = "percent"
DATE = "date"
PERSON = "person"
DIVISION = "division"
# Some number, kind not said ("hur stor var ökningen"): amounts and percentages compete on equal terms.
FIGURE = "figure"
FIGURE_KINDS = (AMOUNT, COUNT, PERCENT)

# Nouns that make "hur stor/hög ..." a question about money rather than a share. The first group
# also counts as the head of a compound ("balanskravsresultatet", "prestationsersättning").
_MONEY_NOUNS = (
    r"\w*(?:kostnad|budget|resultat|intäkt|underskott|överskott|anslag|bidrag|ersättning|investering"
    r"|kapital|utgift)\w*|ram(?:en|ar|arna)?|belopp\w*|summa\w*|medel|medlen|lön\w*|pengar"
    r"|kronor|miljoner|miljarder|mnkr|mkr|tkr|mdkr"
)
_HOW_BIG = r"\bhur (?:stor|stort|stora|hög|högt|höga)\b"
# "Vilken/vilket [adjective] <noun>" and "vad blev/var <noun>" ask for a number when the noun is a
# measure ("vilken avkastning", "vilket ackumulerat utfall", "vad blev nöjdmedarbetarindex").
_MEASURE_NOUNS = (
    r"avkastning\w*|värde\w*|nivå\w*|ökning\w*|minskning\w*|tillväxt\w*|\w*uppräkning\w*"
    r"|utfall\w*|prognos\w*|avvikelse\w*|\w*index\w*|inflation\w*|\w*arbetslöshet\w*"
    r"|\w*omsättning\w*|\w*frånvaro\w*|\w*grad(?:en)?|\w*kvot\w*|\w*ränta\w*"
)
# Physical quantities a report measures in units, not kronor ("hur mycket koldioxid", "hur mycket el"):
# "hur mycket" about them asks for a quantity ("224,59 ton CO2"), a figure of no stored kind.
_QUANTITY_NOUNS = (
    r"koldioxid\w*|co2\w*|\w*utsläpp\w*|växthusgas\w*|\w*energi\w*|el|elen|\w*förbrukning\w*"
    r"|\w*användning\w*|avfall\w*|\w*vatten\w*|bränsle\w*|diesel|bensin|\w*värme\w*"
)
# A question about a time span: "hur länge", "hur lång tid", or a time as its noun ("vistelsetid",
# "handläggningstiden", "väntetider").
_DURATION = re.compile(r"\bhur läng(?:e|re)\b|\bhur lång\b|\w*tid(?:en|er|erna)?\b", re.IGNORECASE)
# Open questions ("vilket system", "vad är visionen", "hur placerade sig", "i vilken kommun"):
# answered by a sentence.
# Any other question without a kind phrase is taken as asking for a figure ("sjukfrånvaro mars
# 2021"): keyword searches are how people ask this tool for numbers.
_OPEN_QUESTION = re.compile(
    r"^\W*(?:(?:under|i|från|till|av|för|med|på|inom|hos|vid|enligt|mot|om)\s+)?"
    r"(?:vilk\w+|vad|hur|varför|vart|var|vem|på vilket sätt|stämmer|berätta|beskriv|förklara)\b",
    re.IGNORECASE,
)

# Words for an organisation of any kind: "regionens andel", "kommunens resultat".
ORGANISATION_TYPES = r"region|kommun|landsting|stad|myndighet|förvaltning|nämnd|län"

# Ordered (pattern, kind) rules: the first that matches decides. Specific phrases come before the
# general ones, e.g. "hur många procent" is a percent question although it starts like a count.
_KIND_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), kind)
    for pattern, kind in (
        (r"\bvilk(?:en|et|a) divisione?r?n?\b|\binom vilken division\b", DIVISION),
        (r"\bvem\b|\bvad heter\b|\bvilk(?:en|et|a) (?:person\w*|\w*forskare|\w*chef\w*|\w*direktör\w*"
         r"|ordförande\w*|\w*utredare)\b", PERSON),
        (r"^\W*när\b|\bvilket datum\b|\bvilken dag\b|\btill när\b|\bfrån och med när\b"
         r"|\bvilken (?:tidsperiod|period|tid på året)\b|\bvilka (?:datum|månader|veckor)\b", DATE),
        (r"\bhur många (?:kronor|miljoner|miljarder|mnkr|mkr|tkr)\b", AMOUNT),
        (r"\bhur mycket (?:har |hade )?(?:ök|minsk|förbättr|försämr|förändr)\w*", FIGURE),
        # An organisation's own share ("regionens andel", "Nackas andel", "vår andel") may be kronor.
        (rf"\b(?:{ORGANISATION_TYPES})\w*s andel\b|(?-i:\b[A-ZÅÄÖ]\w+s) andel\b|\b(?:vår|dess) andel\b",
         FIGURE),
        (r"\bhur många procent\w*\b|\bhur stor (?:andel|del)\b|\bvilken andel\b|\bandel\w*\b|\bprocent\w*\b"
         r"|\bvilken avkastning\b", PERCENT),
        (rf"{_HOW_BIG}.*\b(?:{_MONEY_NOUNS})\b|\b(?:{_MONEY_NOUNS})\b.*{_HOW_BIG}", AMOUNT),
        (rf"^(?!.*\b(?:{_MONEY_NOUNS}|kost\w*)\b).*\bhur mycket\b.*\b(?:{_QUANTITY_NOUNS})\b", FIGURE),
        (r"\bhur (?:hög|högt|höga|nöjd|nöjda|nöjt)\b", PERCENT),  # "72 procent var nöjda"
        # How long or far: a duration or a length ("6,8 månader", "8 läsår", "1 043 518 km").
        (r"\bhur (?:lång|långt|långa|länge)\b", FIGURE),
        (r"\bhur många\b|\bantal\w*\b", COUNT),
        (rf"\bhur mycket\b|\bvad (?:kost\w+|tjäna(?:r|de|t))\b|\bvilket belopp\b|\b(?:{_MONEY_NOUNS})\b",
         AMOUNT),
        (rf"\bhur (?:stor|stort|stora|bra|dålig|dåligt|väl)\b|\bvilk\w+ (?:\w+ )?(?:{_MEASURE_NOUNS})\b"
         rf"|^\W*vad (?:blev|var|är|blir) (?:\w+s )?(?:{_MEASURE_NOUNS})\b", FIGURE),
        (r"\bnär\b|\bvilket år\b", DATE),
        # A claim to check against the reports ("Stämmer det att de hade 55 incidenter?") asks
        # for the figure it quotes, unless that is a physical quantity ("88 229 km"), which no
        # figure kind holds: its sentence answers.
        (r"^(?!.*\d[\d\s]*(?:km|m|m2|kvm|kg|ton|l|liter|[kmgt]wh)\b)\W*stämmer det att\b.*\d", FIGURE),
    )
)

_WORD = re.compile(r"[^\W\d_]+")
# An organisation named in a question ("Region Halland", "Nacka kommun", "Göteborgs Stad",
# "Simrishamns kommun", "i Vansbro"): matched against the report's organisation, never required
# in the passage's text.
_ORGANISATION = re.compile(
    r"(?-i:\b(?:Region|Regionen|Landstinget)\s+([A-ZÅÄÖ][\w-]+))"
    r"|(?-i:\b([A-ZÅÄÖ][\w-]+?)s?)\s+(?:kommun(?:s|en|ens)?|stad(?:s|en|ens)?|läns?\s+landsting|region)\b",
    re.IGNORECASE,
)
# Words, and numbers that are no part of a figure the question quotes ("27 miljoner", "80 procent").
_TOPIC_TOKEN = re.compile(
    r"[^\W\d_]+|(?<![\d,.])\d{1,3}(?!\d|[,.]\d|\s*(?:%|procent|kr\b|kronor|mnkr|mkr|tkr|miljon|miljard))"
)
_YEAR_ONLY = re.compile(r"19[5-9]\d|20\d\d")
_DIVISION = re.compile(
    r"\b[Dd]ivision(?:en)?\s+((?:Läns\w*|[A-ZÅÄÖ]\w+)(?:\s+[12])?)|\b(Länss?jukvård\s+[12])\b"
)


_COUNTED = re.compile(r"\bhur många\b|\bantal(?:et)?\b", re.IGNORECASE)
# Comparison words between "hur många" and the noun counted ("hur många fler patienter").
_NOT_COUNTED = frozenset("färre fler flera olika nya".split())
_OWNER = re.compile(r"[A-ZÅÄÖ]\w+s")  # a name in the genitive ("Åbys", "Norrbys")


# A compound's part must have this many letters to count as the word ("ytterfall" in
# "ytterfallskostnaden"); shorter parts ("vård", "ram") occur in too many unrelated compounds.
MIN_COMPOUND_PART = 5


# A part inside a compound (neither its start nor its end) must be longer to count: short words
# hide inside many unrelated ones.
MIN_INNER_PART = 6


# How much a compound part counts against the whole word: "resultatet" says less about
# "balanskravsresultatet" than the word itself does.
COMPOUND_MATCH = 0.5


# Two words sharing this share of the shorter one as their start, at least `MIN_COMPOUND_PART`
# letters, are taken as one word family ("psykiatri" and "psykisk", "inhyrd" and "inhyrning"):
# the stemmer cuts endings only, and no Swedish thesaurus ships with our libraries.
FAMILY_PREFIX_SHARE = 0.7


@lru_cache(maxsize=65536)
def term_match(term: str, stem: str) -> float:
    """How well a question term matches the word `stem`: 1 for the word or an inflection of it;
    `COMPOUND_MATCH` when one is a part of the other as a compound ("ersättning" in
    "snittersättning", "ytterfall" in "ytterfallskostnad", "budget" in "budgetram") or both start
    alike (`FAMILY_PREFIX_SHARE`); else 0. Cached: the same pairs recur for every candidate of a
    question, and this is the hottest function of answering."""
    if stems_match(term, stem):
        return 1.0
    short, long_ = (term, stem) if len(term) <= len(stem) else (stem, term)
    if len(short) < MIN_COMPOUND_PART:
        return 0.0
    if long_.startswith(short) or long_.endswith(short):
        return COMPOUND_MATCH
    # A middle part of a compound of three ("fordon" in "motorfordonsförsäkring").
    if len(short) >= MIN_INNER_PART and short in long_[1:-1]:
        return COMPOUND_MATCH
    shared = len(os.path.commonprefix([short, long_]))
    return COMPOUND_MATCH if shared >= max(MIN_COMPOUND_PART, FAMILY_PREFIX_SHARE * len(short)) else 0.0


def term_matches(term: str, stem: str) -> bool:
    """Whether a question term matches the word `stem` at all (see `term_match`)."""
    return term_match(term, stem) > 0


@dataclass(frozen=True)
class Question:
    """What a question asks for.

    `kind` is one of the answer kinds, FIGURE for a number of any kind, or None when the question
    asks for none of them (then a sentence answers it). `periods` are the dates and
    periods named, normalized by lang/dates.py; `years` every year they cover, in order. `topic`
    holds the topic words as written (for messages) and `terms` their stems (for matching); `names`
    are the stems of capitalised topic words inside the question ("Västerbotten", "Kommuninvest"):
    an answer must stand near them. `cue_terms` are the stems of its cue words ("fick", "beviljades").
    `counted` is the stem of what a count question counts ("hur många ansökningar" → "ansökning").
    `organisations` are the stems of the organisations it names ("halland" for "Region Halland",
    "nacka" for "Nacka kommun"): matched against the report's organisation, not its text.
    """

    text: str
    kind: str | None
    periods: tuple[DateValue, ...]
    years: tuple[int, ...]
    divisions: tuple[str, ...]
    topic: tuple[str, ...]
    terms: tuple[str, ...]
    names: tuple[str, ...]
    cue: str | None
    cue_terms: tuple[str, ...] = ()
    counted: str | None = None
    organisations: tuple[str, ...] = ()

    @property
    def asks_figure(self) -> bool:
        """Whether the answer is a number (amount, count, percent) rather than an entity or sentence."""
        return self.kind in FIGURE_KINDS or self.kind == FIGURE

    def subject(self) -> str:
        """The topic and years in words, for the "not found" message."""
        parts = list(self.topic) + [str(y) for y in self.years]
        return " ".join(parts) if parts else self.text.strip().rstrip("?")


def asks_duration(question: Question) -> bool:
    """Whether a question asks how long something took or lasts ("genomsnittlig vistelsetid", "hur
    länge"): then a number of days or months answers it."""
    return bool(_DURATION.search(question.text))


def answer_kind(text: str) -> str | None:
    """The kind of answer asked for; None when it is no figure, date, name or division (a sentence)."""
    for pattern, kind in _KIND_RULES:
        if pattern.search(text):
            return kind
    return None if _OPEN_QUESTION.search(text) else FIGURE


def cue_words(text: str) -> tuple[str, ...]:
    """Stems of the cue words the question uses ("beviljades" → "bevilj"): they are left out of the
    topic, but the figure they stand beside in a sentence is the one asked about."""
    found: list[str] = []
    for _, pattern in (*CUES, (RECEIVED, QUESTION_RECEIVED)):
        for match in pattern.finditer(text):
            found += [s for s in stems(match.group()) if s not in found and s not in STOP_WORDS_SV]
    return tuple(found)


def periods_named(text: str) -> tuple[DateValue, ...]:
    """The dates and periods the question names ("mars 2021", "2022-2024", "tertial 1 2022")."""
    periods: list[DateValue] = []
    for match in PERIOD_IN_TEXT.finditer(text):
        try:
            periods.append(normalize_date(match.group()))
        except DateError:
            # "Dnr 2023/28" is a diary number, no split year: its year is still named.
            if year := _DIARY_NUMBER.search(match.group()):
                periods.append(normalize_date(year.group(1)))
    return tuple(periods)


def years_of(periods: tuple[DateValue, ...]) -> tuple[int, ...]:
    """Every year the periods cover, ranges expanded, in order of mention."""
    found: list[int] = []
    for period in periods:
        first = int((period.start or period.value)[:4])
        last = int(period.end[:4]) if period.end else first
        found += [year for year in range(first, last + 1) if year not in found]
    return tuple(found)


def divisions_named(text: str) -> tuple[str, ...]:
    """Division names the question uses ("division Närsjukvård" → "Närsjukvård"), capitalised."""
    names: list[str] = []
    for match in _DIVISION.finditer(text):
        name = (match.group(1) or match.group(2)).strip()
        name = name[0].upper() + name[1:]
        if name not in names:
            names.append(name)
    return tuple(names)


def organisations_named(text: str) -> tuple[str, ...]:
    """The stems of the organisations a question names ("Region Halland" → "halland", "Simrishamns
    kommun" → "simrishamn"), by general patterns of Swedish organisation names."""
    found: list[str] = []
    for match in _ORGANISATION.finditer(text):
        name = (match.group(1) or match.group(2)).casefold()
        if name not in STOP_WORDS_SV:
            found += [s for s in stems(name) if s not in found]
    return tuple(found)


def _without_organisations(text: str) -> str:
    """The question with the organisations it names blanked out: they are no topic."""
    return _ORGANISATION.sub(lambda m: " " * len(m.group()), text)


_SPLIT_YEAR = re.compile(r"\b((?:19|20)\d\d)/(\d\d|(?:19|20)\d\d)\b")
_DIARY_NUMBER = re.compile(r"((?:19|20)\d\d)/\d+$")


def _without_split_year_tails(text: str) -> str:
    """"läsåret 2011/12" → "läsåret 2011": the "12" of a split year is no topic word; a diary
    number's ("Dnr 2023/28") is."""
    def first_year(match: re.Match[str]) -> str:
        first, second = int(match[1]), int(match[2])
        return match[1] if second % 100 == (first + 1) % 100 else match.group()
    return _SPLIT_YEAR.sub(first_year, text)


def topic_words(text: str) -> tuple[str, ...]:
    """The content words of the question, as written, without stop words and repeats; numbers that
    are no year ("65-plussarna", "avdelning 41") are topic too, the sentence must name them."""
    out: list[str] = []
    text = _without_split_year_tails(text)
    for word in _TOPIC_TOKEN.findall(text.casefold()):
        if word.isdigit() and (len(word) > 3 or _YEAR_ONLY.fullmatch(word)):
            continue
        if word in STOP_WORDS_SV or len(word) < 2 or word in out:
            continue
        out.append(word)
    return tuple(out)


def names_named(text: str) -> tuple[str, ...]:
    """Stems of capitalised content words that do not open the question or a sentence in it, and
    the noun of a body named by its place ("museum" of "Västbys museum", "universitet" of
    "Stockholms universitet"): that noun is part of the name, so a passage about the place that
    does not name the body is about something else (the county's web visits, not the museum's)."""
    found: list[str] = []
    for match in re.finditer(r"(?<=[^\W\d_]|[,\s])\s+([A-ZÅÄÖ]\w*)", text):
        word = match.group(1)
        if word.casefold() not in STOP_WORDS_SV and not word.isdigit():
            found += [s for s in stems(word) if s not in found]
    for match in _NAMED_BODY.finditer(text):
        found += [s for s in stems(match.group(1)) if s not in found]
    return tuple(found)


def counted_word(text: str) -> str | None:
    """The stem of the word a count question counts: the first content word after "hur många" or
    "antal" ("hur många färre medarbetare" → "medarbet"), past an owner's name ("hur många av
    Åbys mål" → "mål")."""
    match = _COUNTED.search(text)
    if not match:
        return None
    for word in _WORD.findall(text[match.end() :]):
        if _OWNER.fullmatch(word):
            continue  # "hur många av Åbys mål": the owner, not what is counted
        word = word.casefold()
        if word not in STOP_WORDS_SV and word not in _NOT_COUNTED:
            found = stems(word)
            return found[0] if found else None
    return None


# The shortest name stem that may name an organisation as part of a compound ("halland" in
# "regionhalland"); four letters are too few ("stat" of "Statens" in "statskalender").
COMPOUND_NAME_MIN = 5


def is_organisation_word(name: str, word: str) -> bool:
    """Whether the stem `name` ("halland") names the organisation word `word` ("regionhalland",
    "halland"): the same word, or the start or end of a compound. A name of four letters or fewer must
    be the word itself: "Statens" is no part of "statskalender"."""
    if stems_match(name, word):
        return True
    return len(name) >= COMPOUND_NAME_MIN and (word.startswith(name) or word.endswith(name))


# A capitalised word where a question names a place or owner: after "i", "för", "inom", "hos"
# ("i Simrishamn", "för Nacka") or as a genitive before a lowercase word ("Nackas förskolor").
# Nouns that, after a place in the genitive, name a body of its own ("Stockholms universitet",
# "Malmö högskola", "Solna tingsrätt"): the place is part of that body's name, not an organisation
# whose reports the question asks about.
_OWN_BODY = (
    r"universitet\w*|högskola\w*|\w*sjukhus\w*|lasarett\w*|\w*rätt|\w*rätten|länsstyrelse\w*"
    r"|\w*museum|\w*museet|\w*stift\w*|flygplats\w*|hamn|hamnen"
)
# A body named by its place in the genitive ("Västbys museum", "Lunds universitet"): its noun.
_NAMED_BODY = re.compile(rf"(?-i:\b[A-ZÅÄÖ][\w-]+s)\s+((?i:{_OWN_BODY}))\b")
_PLACE_WORD = re.compile(
    rf"(?-i:\b(?:i|för|inom|hos)\s+([A-ZÅÄÖ][\w-]+))\b(?!\s+(?:{_OWN_BODY})\b)"
    rf"|(?-i:\b([A-ZÅÄÖ][\w-]+s)\s+(?!(?:{_OWN_BODY})\b)[a-zåäö])"
)
# Any capitalised word after the question's first ("tog Försäkringskassan in").
_CAPITALISED_WORD = re.compile(r"(?-i:(?<=\s)([A-ZÅÄÖ][\w-]+))")


def with_known_organisations(question: Question, known: Iterable[str], names: Iterable[str] = ()) -> Question:
    """The question with the places it names that are organisations of the index ("i Simrishamn",
    "Nackas", "i Halland") moved from its topic to `organisations`.

    Only the index knows which place names are a report's organisation: `known` are the stems of
    the indexed reports' place names and file names (`Engine._organisation_words`). Such a name
    says whose reports to read, so it is matched against the report, never required in the
    passage ("hur många deltog i Sommarboken i Simrishamn" is answered from a sentence that does
    not repeat the town). A capitalised word elsewhere moves only when it is the whole name of an
    indexed organisation (`names`: "tog Försäkringskassan in"); else it stays topic ("konventet
    Folk och Kultur")."""
    known = tuple(known)
    names = frozenset(names)
    places = {s for m in _PLACE_WORD.finditer(question.text) for s in stems(m.group(1) or m.group(2))}
    elsewhere = {s for m in _CAPITALISED_WORD.finditer(question.text) for s in stems(m.group(1))}
    moved = tuple(
        n for n in question.names
        if n not in question.organisations
        and (
            (n in places and any(is_organisation_word(n, k) for k in known))
            or (n in elsewhere and n in names)
        )
    )
    if not moved:
        return question
    return replace(
        question,
        topic=tuple(w for w in question.topic if not set(stems(w)) <= set(moved)),
        terms=tuple(t for t in question.terms if t not in moved),
        names=tuple(n for n in question.names if n not in moved),
        organisations=question.organisations + moved,
    )


def analyze(text: str) -> Question:
    """Analyse a Swedish question into kind, years, divisions, topic terms and cue. Everyday
    phrasings of a measure are read as the report's words first (`lang/everyday.py`), and `text`
    is the question so read."""
    text = formal_words(text)
    plain = without_points_in_periods(_without_organisations(text))
    topic = topic_words(plain)
    terms = tuple(dict.fromkeys(stems(" ".join(topic))))
    periods = periods_named(text)
    return Question(
        text=text,
        kind=answer_kind(text),
        periods=periods,
        years=years_of(periods),
        divisions=divisions_named(text),
        topic=topic,
        terms=terms,
        names=names_named(plain),
        cue=question_cue(text),
        cue_terms=cue_words(text),
        counted=counted_word(text),
        organisations=organisations_named(text),
    )
