"""What a figure in a Swedish sentence measures: its measure phrase, basis, sign, and whether it is settled.

"nämnden redovisar ett resultat om 12 mnkr och det egna kapitalet uppgår till 40 mnkr": 12 is the
"resultat", 40 the "egna kapitalet". Phrase rules, no model: a figure's measure is the noun phrase
before it in its clause ("Årets resultat är 596 mnkr"), after the reporting verb, or else the words
right after its unit ("120 sjuksköterskor", "70 procents svarsfrekvens"). Hand-written because no
Swedish parser ships without a model, and the language layer holds none.
"""

from __future__ import annotations

import re

from rapportsok.lang.cues import FRAME
from rapportsok.lang.dates import MONTHS
from rapportsok.lang.stems import stems, stems_match
from rapportsok.lang.stopwords import STOP_WORDS

# What a figure is, by the words around it (the values of `Figure.basis`; tables use the first five).
UTFALL = "utfall"
BUDGET = "budget"
PROGNOS = "prognos"
PLAN = "plan"
AVVIKELSE = "avvikelse"
FORANDRING = "förändring"
ANDEL = "andel"

# A clause ends at these: another figure's clause is another measure's.
_CLAUSE_BREAK = re.compile(
    r",(?!\d)|[;:\n•]|\s(?:och|samt|medan|men|varav|vilket|vilka|där|som)\s", re.IGNORECASE
)
_PARENTHESIS = re.compile(r"\([^()]*\)")
# Words between a measure and its figure ("uppgår till", "var", "om"): not part of the measure.
_LINK = frozenset(
    """uppgår uppgick uppgått uppgå landade landar hamnade blev blir var är vara varit om på med till
    av totalt sammanlagt ca cirka drygt knappt minst högst omkring nästan nära närmare runt över under
    ungefär en ett motsvarande motsvarar beräknas förväntas uppskattas bedöms per från jämfört""".split()
)
# Date words say when, not what: never part of a measure ("värdet per januari").
_DATE_WORDS = frozenset([*MONTHS, *"""år året åren månad månaden period perioden tertial tertialet halvår
    halvåret kvartal kvartalet vecka veckan helår helåret dag dagen idag""".split()])
# Reporting verbs: the measure is what stands after them ("nämnden redovisar ett resultat om").
_VERB = re.compile(
    r"^(?:redovisa\w*|visa\w*|uppvisa\w*|har|hade|haft|få|får|fick|fått|ge|ger|gav|gett|ha|innebär\w*"
    r"|medför\w*|omfatta\w*|rapportera\w*|noterar|noterade|beviljade\w*|erhöll|erhåller|tilldela\w*"
    r"|budgetera\w*|planera\w*|avsätt\w*|avsatt\w*|kostade|kostar|uppnå\w*|når|nådde|anställ\w*)$",
    re.IGNORECASE,
)
# A passive supine after "har" ("körts", "betalats", "beviljats"); "plats" and its compounds are nouns.
_SUPINE = re.compile(r"^\w{2,}(?<!pla)(?<!sa)(?<!e)ts$")  # not "insats", "årets", "avtalets"
# Units and number words after a figure, skipped to reach what it counts.
_UNIT = re.compile(
    r"^(?:mnkr|mkr|tkr|mdkr|kr|kronor|kronors|miljon\w*|miljard\w*|tusen|procent\w*|%|st|stycken"
    r"|procentenhet\w*)$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_][\w-]*")
# The change words, one vocabulary for every rule that asks whether a figure or a question is about a
# change ("har minskat med", "en ökning av intäkterna med"): how something changed, never what; that
# is the noun before or after them (`index/evidence.py` scores the change). Inflected forms only: a
# compound that begins with one ("förändringsarbetet", "ökningstakten") is what is measured.
_CHANGE_FORMS = (
    r"(?:(?:ök|minsk|utök)(?:a|ar|as|at|ade|ades|ats|ning|ningen|ningar|ningarna)|ökt|minskt|utökt"
    r"|(?:höjning|sänkning)(?:en|ar|arna)?"
    r"|(?:förändr|förbättr|försämr)(?:a|ar|as|at|ats|ade|ades|ing|ingen|ingar|ingarna))"
)
_CHANGE_WORD = re.compile(rf"^{_CHANGE_FORMS}$", re.IGNORECASE)
# A compound's tail counts too ("kostnadsökningen", "ramminskning"), but not the verb "söka" with
# its prefixes ("sökning", "ansökningar", "undersökning"), whose "s" links no compound, nor "röka"
# ("rökning", "förökning"); the head has three letters at least ("oförändrad" is no change).
_CHANGE_TAIL = re.compile(rf"^(?P<head>[^\W\d_]{{3,}}?)(?P<tail>{_CHANGE_FORMS})$", re.IGNORECASE)
_SEARCH_PREFIXES = frozenset({"an", "be", "för", "under", "efter", "upp"})
# What differs from something else (a budget, a plan, another year): a difference, not a change.
DIFFERENCE = r"(?:avvikelse\w*|skillnad\w*|bättre än|sämre än|högre än|lägre än)"
# "70 procents svarsfrekvens", "5 miljoners bidrag": the unit in the genitive, what follows is measured.
_GENITIVE_UNIT = re.compile(r"^\s*(?:procents|kronors|miljoners|miljarders|tusens)\s", re.IGNORECASE)
_MEASURE_WORDS = 3
# "Utöver X", "förutom X": the figure of the clause is something besides X.
_BESIDES = re.compile(r"\b(?:utöver|förutom)\b", re.IGNORECASE)

# A negative figure said in words ("ett underskott på 12 mnkr", "negativt resultat om", "minus 3").
NEGATIVE = re.compile(r"\b(?:underskott\w*|negativ\w*|minus|förlust\w*)\b", re.IGNORECASE)
_NEGATIVE_REACH = 40

# The figure is not a settled fact of the organisation: not decided, unknown, or someone else's frame.
UNSETTLED = re.compile(
    r"\b(?:inte|ej|icke|ännu inte)\s+(?:är\s+|var\s+|har\s+|blivit\s+|varit\s+)?(?:\w+\s+)?"
    r"(?:beslutad\w*|beslutat\w*|fastställ\w*|klar\w*|bestäm\w*|avgjord\w*|finansierad\w*|känd\w*)"
    r"|\boklar\w*|\bokänd\w*|\bovisst\b|\bnationell\w*\s+ram\w*|\bstatlig\w*\s+ram\w*",
    re.IGNORECASE,
)

_DIFFERENCE = re.compile(rf"\b{DIFFERENCE}\b", re.IGNORECASE)
# After a difference and a change (`figure_basis`), the first of these that stands near a figure.
_BASIS_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), basis)
    for pattern, basis in (
        (r"\b(?:prognos\w*|beräknas|förväntas|bedöms|uppskattas)\b", PROGNOS),
        (rf"\b(?:budget\w*|budgeter\w*|anslag\w*|{FRAME})\b", BUDGET),
        (r"\b(?:plan\w*|planera\w*|ska|kommer att|föreslås|mål\w*)\b", PLAN),
    )
)
_BASIS_REACH = 50
_RISE_OR_FALL = re.compile(r"(?:ökning|minskning|höjning|sänkning)\w*$", re.IGNORECASE)
# "ökade från 120 till 160 barn": the figure after "från … till" is the level reached, not the
# change ("Ökningen uppgick till 12 mnkr" is a change).
_REACHED = re.compile(
    r"\bfrån\s+[^,;]*?\btill\s+(?:(?:ca|cirka|drygt|knappt|nästan|omkring)\s+)?$", re.IGNORECASE
)


def clause(sentence: str, start: int, end: int, back: int = 0) -> tuple[str, str]:
    """The text of the figure's clause before and after it; `back` clauses more before it."""
    # A parenthesis is an aside ("Telefontillgängligheten (0:an i vårdgarantin) uppgår till"):
    # blanked, so the clause reads on past it.
    sentence = _PARENTHESIS.sub(lambda match: " " * len(match.group()), sentence)
    before, after = sentence[:start], sentence[end:]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if len(breaks) > back:
        before = before[breaks[-1 - back].end() :]
    cut = _CLAUSE_BREAK.search(after)
    return before, after[: cut.start()] if cut else after


def is_change_word(word: str) -> bool:
    """Whether a word says how something changed: a change form, alone or as a compound's tail."""
    if _CHANGE_WORD.match(word):
        return True
    compound = _CHANGE_TAIL.match(word)
    if not compound:
        return False
    head, tail = compound["head"].casefold(), compound["tail"].casefold()
    if tail.startswith("ök") and head.endswith("r"):
        return False
    return not (tail.startswith("ök") and head.endswith("s") and head[:-1] in _SEARCH_PREFIXES)


def change_words(text: str) -> list[re.Match[str]]:
    """The change words of a text, compound tails included, in order."""
    return [match for match in _WORD.finditer(text) if is_change_word(match.group())]


def figure_measure(sentence: str, start: int, end: int) -> str | None:
    """The noun phrase the figure at sentence[start:end] quantifies, lower case, or None.

    Before the figure, in its clause: the words after the last reporting verb, link words
    ("uppgår till", "om") stripped from the end, at most three content words, unless the clause
    says the figure is besides them ("utöver", "förutom"). Else after it: the
    words after its unit ("12 sjuksköterskor", "70 procents svarsfrekvens", "5 mnkr i bidrag").
    Else the measure of the figure in the clause before ("insatskapital 40 kr/invånare, totalt 10,2
    mnkr"), or that clause's first words, the subject a coordinated clause shares ("Resultatet
    fortsätter att utvecklas och var för januari 42 mnkr"); a clause that only says a change
    ("vilket är en ökning med 6 mnkr") reads one clause further back.
    """
    before, after = clause(sentence, start, end)
    if _GENITIVE_UNIT.match(after):
        return _following(after)
    if _BESIDES.search(before):
        # "Utöver personer med öppet ärende fanns också drygt 6 000 personer inskrivna": what stands
        # after "utöver" is what the figure is not; what it is follows it.
        return _following(after)
    if measure := _preceding(before) or _following(after):
        return measure
    for back in (1, 2):
        previous = clause(sentence, start, end, back=back)[0]
        figure = re.search(r"\d", previous)
        if figure:
            # "Insatskapitalet är 40 kr/invånare, totalt 10,2 mnkr": the earlier figure's measure.
            return _preceding(previous[: figure.start()])
        # A clause of a change only ("155 mnkr, vilket är en minskning med 40 mnkr") reads one more back.
        words = _WORD.findall(previous.casefold())
        subject = [w for w in words if _is_content(w) and not _CHANGE_WORD.match(w)]
        if subject:
            return " ".join(subject[:2])
    return None


def _preceding(before: str) -> str | None:
    """The measure named before the figure in `before`: after the last reporting verb, link words
    stripped from the end, at most three content words."""
    words = _WORD.findall(before.casefold())
    verb = next((at for at in range(len(words) - 1, -1, -1) if _VERB.match(words[at])), -1)
    changed = [at for at, word in enumerate(words) if at > verb and _CHANGE_WORD.match(word)]
    if changed:
        # After the last reporting verb, a change says how, not what: "en ökning av intäkterna med
        # 5 mnkr" names what changed after it; "Kostnaden per ärende har alltså minskat med 20
        # procent" before it, the verb left out. A change before a reporting verb ("Den minskade
        # sjukfrånvaron gav") qualifies the subject; the measure is read after the verb as usual.
        at = changed[-1]
        after_change = words[at + 2 :] if words[at + 1 : at + 2] == ["av"] else []
        what = [w for w in after_change if _is_content(w)] or [
            w for w in words[:at] if _is_content(w) and not _VERB.match(w) and not _CHANGE_WORD.match(w)
        ]
        return " ".join(what[-_MEASURE_WORDS:]) or None
    subject = [w for w in words[: max(verb, 0)] if _is_content(w) and not _VERB.match(w)]
    after_have = verb >= 0 and words[verb] in ("har", "hade")
    words = words[verb + 1 :]
    words = [w for w in words if not _UNIT.match(w) and w not in _DATE_WORDS]
    while words and (words[-1] in _LINK or words[-1] in STOP_WORDS):
        words.pop()
    content = [w for w in words if w not in STOP_WORDS and w not in _LINK]
    if after_have and content and all(_SUPINE.match(w) for w in content) and subject:
        # "privata bilar i tjänsten har körts 170 km": only the verb's passive follows "har";
        # what was driven is its subject.
        content = subject
    return " ".join(content[-_MEASURE_WORDS:]) or None


def _is_content(word: str) -> bool:
    """Whether a word may be part of a measure: no stop, link, unit or date word."""
    return not (word in STOP_WORDS or word in _LINK or _UNIT.match(word) or word in _DATE_WORDS)


def _following(after: str) -> str | None:
    """The measure named after the figure and its unit: at most two content words."""
    following: list[str] = []
    for word in _WORD.findall(after.casefold()):
        if _UNIT.match(word) or (not following and word in ("i", "av", "för")):
            continue
        if word in STOP_WORDS or _VERB.match(word) or word in _LINK or word in _DATE_WORDS:
            break
        following.append(word)
        if len(following) == 2:
            break
    return " ".join(following) or None


def is_negative(sentence: str, start: int, end: int) -> bool:
    """Whether the sentence says in words that the figure is negative ("underskott på 12 mnkr",
    "ett negativt resultat om 290 mnkr"): the word stands in the figure's clause, before it or
    within a few words after it."""
    before, after = clause(sentence, start, end)
    return bool(NEGATIVE.search(before[-_NEGATIVE_REACH:]) or NEGATIVE.search(after[:_NEGATIVE_REACH // 2]))


def figure_basis(sentence: str, start: int, end: int, percent: bool = False) -> str:
    """What the figure is: avvikelse, förändring, prognos, budget, plan, andel (a percentage that is
    none of those) or utfall (an outcome), by the words of its clause near it."""
    before, after = clause(sentence, start, end)
    near = f"{before[-_BASIS_REACH:]} {after[:_BASIS_REACH]}"
    if _DIFFERENCE.search(near):
        return AVVIKELSE
    # A compound of a rise or fall ("kostnadsökningen") is a change; one of "förändring"
    # ("klimatförändringar", "organisationsförändringen") names what is measured.
    words = _WORD.findall(near)
    changed = any(_CHANGE_WORD.match(w) or (is_change_word(w) and _RISE_OR_FALL.search(w)) for w in words)
    if changed and not _REACHED.search(before):
        return FORANDRING
    for pattern, basis in _BASIS_RULES:
        if pattern.search(near):
            return basis
    return ANDEL if percent else UTFALL


def is_unsettled(sentence: str) -> bool:
    """Whether the sentence says its figure is not decided, not known or another body's frame
    ("finansieringen är inte beslutad", "oklart", "den nationella ramen")."""
    return bool(UNSETTLED.search(sentence))


# What a physical quantity is measured in: a question naming the quantity ("hur mycket koldioxid",
# "energianvändning") is answered by a number in one of its units ("224,59 ton CO2", "13508 MWh").
_QUANTITY_UNITS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = tuple(
    (re.compile(rf"\b(?:{nouns})\b", re.IGNORECASE), re.compile(units, re.IGNORECASE))
    for nouns, units in (
        (r"koldioxid\w*|co2\w*|\w*utsläpp\w*|växthusgas\w*", r"(?:CO2|CO₂|koldioxid)"),
        (r"\w*energi\w*|el|elen|\w*elanvändning\w*|\w*elförbrukning\w*|\w*värme\w*", r"Wh\b"),
        (r"\w*vatten\w*|\w*bränsle\w*|diesel|bensin", r"^(?:m3|m³|liter)$"),
        (r"\w*sträck\w*|\w*körda\b|\w*kilometer\w*", r"^km$"),
        (r"\w*yta\b|\w*ytan\b|\w*ytor\w*|\w*area\w*", r"^(?:m2|m²|kvm)$"),
    )
)


def asked_unit(question: str) -> re.Pattern[str] | None:
    """The units of the physical quantity a question names, as a pattern on a candidate's unit
    ("ton CO2" for "koldioxid"); None when it names none."""
    return next((units for nouns, units in _QUANTITY_UNITS if nouns.search(question)), None)


# What a question's rate is per ("vad kostade det per kvadratmeter", "kostnad per elev"), and the
# abbreviations reports write for it after a slash ("kr/kvm", "kr/inv").
_PER_ASKED = re.compile(r"\bper\s+([^\W\d_]{3,})", re.IGNORECASE)
_PER_ABBREVIATIONS = {"kvm": "kvadratmeter", "m2": "kvadratmeter", "m²": "kvadratmeter", "inv": "invånare"}
_SLASH_UNIT = re.compile(r"/\s*([^\s/]+)")


def rate_asked(question: str) -> str | None:
    """The noun a question asks a rate per ("kvadratmeter" of "per kvadratmeter"), or None; "per mars
    2021" or "per tertial 1" says when, not per what."""
    match = _PER_ASKED.search(question)
    noun = match.group(1).casefold() if match else None
    return None if noun is None or noun in _DATE_WORDS or noun in ("den", "dagens") else noun


def names_rate(sentence: str, noun: str) -> bool:
    """Whether a sentence (or a table row's quote) names what the rate is per: the noun in any form
    ("kostnaden per elev", "elevkostnad" does not count) or its abbreviation after a slash ("kr/kvm")."""
    wanted = stems(noun)[0]
    if any(stems_match(wanted, word) for word in stems(sentence)):
        return True
    units = _SLASH_UNIT.findall(sentence)
    return any(_PER_ABBREVIATIONS.get(unit.casefold().rstrip(".,;")) == noun for unit in units)
