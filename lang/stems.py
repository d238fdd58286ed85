"""Swedish word stems (Snowball, through PyStemmer): what search indexes and questions match on."""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer
from rapportsok.lang.stopwords import STOP_WORDS

_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("swedish")


def stems(text: str, keep_stop_words: bool = True) -> list[str]:
    """Lower-cased, Snowball-stemmed word tokens of `text` (what FTS5 stores and matches)."""
    words = [w for w in _WORD.findall(text.casefold()) if keep_stop_words or w not in STOP_WORDS]
    return _stemmer().stemWords(words)


# Past and supine forms of Swedish strong and irregular verbs, by their ending, and the infinitive
# they belong to. Snowball cuts endings only, so "deltog" never meets "delta" or "deltagare", nor
# "uppgick" "uppgå", nor "låg" "ligga". A prefixed verb takes the same change ("deltog" → "delta",
# "avtog" → "avta"). Hand-written: the only Swedish lemma table on PyPI (spacy-lookups-data, 660 000
# forms) takes five seconds to load and maps "fick" to "ficka".
_STRONG_FORMS = {
    "tog": "ta", "tagit": "ta", "gick": "gå", "gått": "gå", "fick": "få", "fått": "få",
    "gav": "ge", "givit": "ge", "gett": "ge", "drog": "dra", "dragit": "dra", "låg": "ligga",
    "legat": "ligga", "steg": "stiga", "stigit": "stiga", "sjönk": "sjunka", "sjunkit": "sjunka",
    "blev": "bli", "blivit": "bli", "kom": "komma", "kommit": "komma", "fanns": "finnas",
    "funnits": "finnas", "lade": "lägga", "lagt": "lägga", "satte": "sätta", "satt": "sitta",
    "sålde": "sälja", "sålt": "sälja", "valde": "välja", "valt": "välja", "gjorde": "göra",
    "gjort": "göra", "såg": "se", "sett": "se", "skrev": "skriva", "skrivit": "skriva",
    "drev": "driva", "drivit": "driva", "bar": "bära", "burit": "bära", "höll": "hålla",
    "hållit": "hålla", "stod": "stå", "stått": "stå", "slog": "slå", "slagit": "slå",
    "föll": "falla", "fallit": "falla", "bröt": "bryta", "brutit": "bryta", "sköt": "skjuta",
    "skjutit": "skjuta", "bjöd": "bjuda", "bjudit": "bjuda", "vann": "vinna", "vunnit": "vinna",
}
_STRONG_FORM = re.compile(rf"^(\w*?)({'|'.join(sorted(_STRONG_FORMS, key=len, reverse=True))})(s?)$")
# Words that are such a form but more often another word ("låg" the adjective, "steg" and "drog"
# the nouns): left as they are when they stand alone; prefixed ("bidrog") they are still verbs.
_NOT_VERBS = frozenset({"bar", "kom", "satt", "steg", "lagt", "låg", "drog"})


# Verbs a question puts right after "hur många" ("hur många hade", "hur många har sökt").
_AUXILIARIES = frozenset({"har", "hade", "var", "är"})


def _is_strong_verb(word: str) -> bool:
    """A strong verb's past or supine form, alone or after a short prefix ("deltog", "bidrog"); not
    a word that is more often a noun ("steg") nor a compound with a long first part ("projektsteg")."""
    strong = _STRONG_FORM.match(word)
    return bool(strong) and word not in _NOT_VERBS and len(strong.group(1)) <= 4


def is_past_or_auxiliary(word: str) -> bool:
    """Whether a word is a verb in the past tense ("sökte", "röstade", "deltog") or an auxiliary
    ("har", "hade"), not a noun: "hur många sökte" counts people, "hur många skolor" schools.
    A noun of "-nde" ("sökande", "boende") is a noun, though its ending is a past tense's; so is a
    compound ending in a strong form after a long first part ("projektsteg"; "bidrog" is a verb)."""
    word = word.casefold()
    if word in _AUXILIARIES or _is_strong_verb(word):
        return True
    return len(word) >= 5 and word.endswith(("de", "te")) and not word.endswith("nde")


def is_finite_verb(word: str) -> bool:
    """Whether a word is surely a finite verb: an auxiliary, "finns", a strong past form or a
    passive past ("avslutades"). A weak past form ("beviljade") may be an adjective, so it is not."""
    word = word.casefold()
    return (
        word in _AUXILIARIES or word in ("finns", "fanns") or _is_strong_verb(word)
        or (len(word) >= 6 and word.endswith(("ades", "des", "tes")))
    )


def _infinitive(word: str) -> str:
    """The infinitive of a strong verb's past or supine form, passive too ("antogs" → "antas")."""
    match = _STRONG_FORM.match(word)
    if not match or word in _NOT_VERBS:
        return word
    return match.group(1) + _STRONG_FORMS[match.group(2)] + match.group(3)


# A first-conjugation past tense ("ökade", "satsades", "ändrades") and its root.
_WEAK_PAST = re.compile(r"^(\w{2,}?)ades?$")


def paradigm_words(word: str) -> tuple[str, ...]:
    """Other words a report writes for what a question's past-tense verb says happened: the
    supine and the action noun of a first-conjugation verb ("ökade" → "ökat", "ökning";
    "kostade" → "kostnad"; "ändrades" → "ändring"), the participle root of a strong verb
    ("antogs" → "antag", as in "antagna", "antagning"). Snowball cuts endings only, so "ökade"
    never meets "ökat" nor "antogs" "antagna". Built by the rules of Swedish word formation, so
    some words are not Swedish; a caller keeps those its collection holds."""
    word = word.casefold()
    weak = _WEAK_PAST.match(word)
    if weak:  # before the strong forms: "handlades" is "handla", not "hand" + "lade"
        root = weak.group(1)
        # "ändr-ing", "förbättr-ing" after r; "ök-ning", "sats-ning" and "kost-nad" otherwise.
        nouns = (root + "ing",) if root.endswith("r") else (root + "ning", root + "nad")
        return (root + "at", *nouns)
    if not _is_strong_verb(word):
        return ()
    strong = _STRONG_FORM.match(word)
    assert strong is not None
    infinitive = _STRONG_FORMS[strong.group(2)]
    return tuple(
        strong.group(1) + form.removesuffix("s")[:-2]
        for form, of in _STRONG_FORMS.items()
        if of == infinitive and form.removesuffix("s").endswith("it")
    )


# A compound whose head is "enhet" (a unit: "förskoleenheter", "resultatenhet"): Snowball cuts its
# "-heter" as the suffix of "möjligheter" and leaves "förskoleen", which matches nothing. The -het
# noun of an -en adjective ("öppenhet") is kept whole too; it then no longer meets "öppen".
_UNIT_COMPOUND = re.compile(r"^(\w{3,}enhet)(?:en|er|erna|ens|ernas)?$")


def _stem(word: str, stemmed: str) -> str:
    unit = _UNIT_COMPOUND.match(word)
    return unit.group(1) if unit else stemmed


# Chemical formulas reports write for the gases they count ("224,59 ton CO2"), read as the word a
# question uses; the word tokens keep no digits, so "CO2" would be "co".
_FORMULAS = {"co2": "koldioxid", "co₂": "koldioxid", "ch4": "metan", "ch₄": "metan", "n2o": "lustgas",
             "n₂o": "lustgas"}
_FORMULA = re.compile(rf"\b(?:{'|'.join(_FORMULAS)})(?=e?\b)", re.IGNORECASE)


def word_stems(text: str) -> list[str]:
    """`stems`, with the past and supine forms of strong verbs read as their infinitive
    ("deltog" → the stem of "delta"), compounds of "enhet" kept whole and gas formulas read as
    words ("CO2" → "koldioxid"): what answering matches a question's words on. (Search keeps
    `stems`, which its stored index was built with.)"""
    text = _FORMULA.sub(lambda m: _FORMULAS[m.group().casefold()], text)
    words = [_infinitive(w) for w in _WORD.findall(text.casefold())]
    return [_stem(w, s) for w, s in zip(words, _stemmer().stemWords(words), strict=True)]


def stems_match(a: str, b: str) -> bool:
    """Whether two stems are forms of the same word.

    Snowball leaves some Swedish inflections apart ("psykiatrin"/"psykiatri", "hälsan"/"häls"), so a
    stem that extends the other by at most three letters counts too; the shorter must have four
    letters so that short stems do not match every longer word.
    """
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 4 and len(long_) - len(short) <= 3 and long_.startswith(short)
