"""Swedish role nouns and name-shaped words that are no names: how a report says who holds an office.

Reports name office holders in a few fixed shapes: "Bo Könberg, ordförande" (a member list),
"Ordförande: Charlotta Wasteson (L)" (a report's front page), a signature ("Dan Eliasson" over
"Generaldirektör") or prose ("Riksbankschefen Erik Thedéen"). The role nouns are a closed family of
compound heads ("-chef", "-direktör", "ordförande"), so a pattern finds them in any organisation's
reports. Hand-written: no Swedish role lexicon ships with our libraries.
"""

from __future__ import annotations

import re

# A role noun, compounds and inflections too ("förvaltningschefen", "generaldirektör", "ordförande",
# "styrelseledamöter"): what a "vem är ..." question asks the holder of.
ROLE_NOUN = (
    r"(?:[^\W\d_]*(?:chef|direktör|ordförande|ordf|ledare|sekreterare|ansvarig|ledamot|ledamöter|forskare"
    r"|utredare|handläggare|samordnare|revisor|rektor|minister|ombudsman|president)"
    r"(?:en|er|erna|ens|ns|n|s|ar|arna|e|na)?|[^\W\d_]*statsråd(?:et|en|ets)?)"
)
ROLE = re.compile(rf"\b{ROLE_NOUN}\b", re.IGNORECASE)

# How reports name the people who work for an organisation, and how a question asks for them
# ("hur många jobbar i …"): any of these counts its staff. Hand-written: no Swedish lexicon of
# near-synonyms ships with our libraries, and these few words are the same in every report.
STAFF_WORDS = ("anställda", "medarbetare", "personal", "årsarbetare", "årsarbetskrafter", "tjänstemän",
               "jobbar", "arbetar")

# The heads of a public body's organs ("regionstyrelsen", "kultur- och fritidsnämnden",
# "revisorskollegiet"): what a role is held in, and what names a report written by an organ.
ORGAN_HEAD = r"(?:nämnd|styrelse|förvaltning|fullmäktige|utskott|kollegi|revision)"

# Endings of a national agency's name ("Skolverket", "Försäkringskassan", "Riksbanken"): an
# organisation that writes reports (ingest/organisation.py).
AGENCY_ENDINGS = (
    "verket", "myndigheten", "kassan", "styrelsen", "inspektionen", "institutet", "ämbetet",
    "rådet", "kollegiet", "byrån", "banken",
)
# A public body named by one capitalised compound with its definite head ("Regelrådet",
# "Skolverket", "Försäkringskassan", "Förvaltningsrätten"): who a "vem" question may be answered by
# as well as a person.
BODY_NAME = re.compile(
    r"(?<![\w-])[A-ZÅÄÖ][a-zåäö]+(?:"
    + "|".join(AGENCY_ENDINGS + (
        "nämnden", "förbundet", "kommittén", "domstolen", "kansliet", "ombudsmannen", "kammaren", "rätten",
        "delegationen", "utredningen",
    ))
    + r")(?![\w-])"
)

# Nouns whose instances are named ("vilken leverantör", "vilket system", "vilket läkemedel"): a
# "vilken/vilket" question about one asks for a name, not for a sentence about the matter.
NAMED_NOUN = re.compile(
    r"^(?:\w*(?:organisation|företag|bolag|leverantör|konsult|firma|aktör|myndighet|system|läkemedel"
    r"|preparat|produkt|kommun|region)|universitet|högskol[ao]|stad|städer|ort|land|länder)"
    r"(?:en|et|er|erna|na|s|n|ets|ens|r|rna)?$",
    re.IGNORECASE,
)

# Endings of Swedish common nouns and participles that a capitalised heading, table header or
# address shows in name shape ("Verksamhetsmål Bedömning", "Påbörjad Rapportperiod", "Gösta
# Wernermuseet", "Nacka Stadshuset"); a given name or surname of six letters or more hardly ends so.
_NOT_NAME_ENDING = re.compile(
    r"(?:ning|ningen|ningar|het|heten|else|elsen|skap|skapet|tion|tionen|sion|sionen|itet|iteten"
    r"|mål|målet|period|perioden|ande|ende|ism|ismen|systemet|museet|verket|rådet|programmet"
    r"|planen|arbetet|området|huset|vägen|gatan|torget|platsen)$"
)
_MIN_ENDING_WORD = 6


def is_role(word: str) -> bool:
    """Whether a word is a role noun ("Förvaltningschef", "ordförande")."""
    return bool(ROLE.fullmatch(word))


def is_name_word(word: str) -> bool:
    """Whether a capitalised word can be part of a person's name: no role noun and no word with a
    common noun's ending ("Bedömning", "Rapportperiod")."""
    folded = word.casefold()
    if is_role(word):
        return False
    return len(folded) < _MIN_ENDING_WORD or not _NOT_NAME_ENDING.search(folded)
