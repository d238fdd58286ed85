"""Swedish stop words: Snowball's list for search, plus the words that only say what a question asks."""

from __future__ import annotations

# The Snowball project's Swedish stop word list (snowballstem.org/algorithms/swedish/stop.txt).
# Written out because PyStemmer ships no stop lists, and spaCy's Swedish list contains content
# words ("beslut", "dag") and takes seconds to import.
STOP_WORDS = frozenset(
    """och det att i en jag hon som han på den med var sig för så till är men ett om hade de av
    icke mig du henne då sin nu har inte hans honom skulle hennes där min man ej vid kunde något
    från ut när efter upp vi dem vara vad över än dig kan sina här ha mot alla under någon eller
    allt mycket sedan ju denna själv detta åt utan varit hur ingen mitt ni bli blev oss din dessa
    några deras blir mina samma vilken er sådan vår blivit dess inom mellan sådant varför varje
    vilka ditt vem vilket sitta sådana vart dina vars vårt våra ert era vilkas""".split()
)

# Words that say what is asked rather than what about; they carry no topic: question words, units,
# the words for an organisation (its own report names it everywhere), the cue verbs, verbs of
# spending ("läggs på", "går till", "betalar") and of taking in ("tog in"), date words (years and
# periods are matched on their own), the country (`evidence.asks_nation` reads a question for
# the nation's figure; a national agency's report rarely names the country) and the active
# reporting verb ("hur stort överskott redovisade enheten": every figure of a report is reported;
# the passive "redovisades till åklagare" stays, a topic), and the verb of "fatta beslut" (a decision
# is made whatever the report's verb: "antalet beslut", "beslutade"), and the modal verbs ("vill
# köpa": a passage that says "vill" is no more about the matter). Cue nouns
# ("resultat", "kostnad", "budget") stay: they also say what the figure is about.
_QUESTION_WORDS = frozenset(
    """
    hur mycket många stor stort stora hög högt höga vad vilken vilket vilka när vem vems
    fick fått får erhöll erhållit erhåller tilldelades tilldelats rekvirerade beviljades gav
    kostade kostar kosta belopp beloppet summa summan totalt
    sammanlagt pengar kronor kr mnkr mkr tkr miljoner miljarder procent andel andelen antal antalet
    region regionen regionens kommun kommunen kommunens år året åren under enligt rapport rapporten
    rapporterna uppgick uppgår blev var är varit planerad planerade planeras planerar möjlighet
    siffra siffran datum dag redovisade redovisar redovisat
    stämmer stämde det att del delen läggs lägger lade lagt går gick betalar betalade betalas
    ta tar tog tagit togs tas in sverige sveriges
    division divisionen per januari februari mars april maj juni juli augusti
    september oktober november december tertial tertialet halvår halvåret kvartal kvartalet vecka
    ska finns fanns få samt bland annat genom också även olika total totala hela hos
    fatta fattar fattade fattat fattas fattades
    skall vill ville bör borde måste
    """.split()
)
# Stop words of a question (Snowball's list and the question words above).
QUESTION_STOP_WORDS = STOP_WORDS | _QUESTION_WORDS
