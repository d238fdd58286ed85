"""The Swedish words of a reply: labels, the citation, "not found", the terminal text and the Markdown quote.

index/answer.py returns a `Reply` as data; every face (the CLI's text and Markdown, the app's answer
card, its "why" table and figures table) says it in Swedish through here, so all of them use the
same words.
"""

from __future__ import annotations

import re
from pathlib import Path

from rapportsok.index.candidates import SENTENCE
from rapportsok.index.question import AMOUNT, COUNT, DATE, DIVISION, FIGURE, PERCENT, PERSON
from rapportsok.index.results import Answer, Hit, Reply
from rapportsok.lang.numbers import format_number

# The scoring terms of `AnswerConfig.weights` (and the sum) for users, e.g. the app's "why this answer" table.
WHY_LABELS = {
    "type": "rätt sorts uppgift (belopp, andel, antal …)",
    "year": "året eller perioden i frågan",
    "topic": "ämnet i meningen eller rubriken",
    "topic_sentence": "ämnet i själva meningen",
    "topic_passage": "ämnet i resten av avsnittet",
    "proximity": "frågans ord nära siffran",
    "first": "första siffran i meningen",
    "verb": "frågans verb intill siffran",
    "part": "en del (”varav …”) av en helhet, eller helheten när frågan gäller en del",
    "change": "en förändring, inte en nivå",
    "earlier": "ett tidigare värde, för jämförelse",
    "rate": "ett belopp per invånare eller patient",
    "region": "organisationens eget belopp, inte landets",
    "place": "en annan ort nämns närmast siffran",
    "measure": "siffran mäter det frågan gäller",
    "row_extra": "tabellraden gäller en del av det frågan gäller",
    "counted": "talet står närmast det frågan räknar",
    "stated": "siffran som frågan vill få bekräftad",
    "organisation": "rapporten är den organisation frågan nämner",
    "cue": "beloppets typ passar frågans verb",
    "division": "divisionen i frågan",
    "rank": "avsnittets plats i sökningen",
    "total": "summa",
    "factor": "faktor för villkor som inte uppfylls",
    "raw": "säkerhet före kalibrering",
    "margin": "försprång före närmaste svar med annat värde",
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
    FIGURE: "tal, enheten anges inte",
    SENTENCE: "mening",
}


# Heads the optional language-model summary (index/generation.py) in every face.
SUMMARY_LABEL = "Sammanfattning (språkmodell, kontrollera mot källan):"


def not_found_message(reply: Reply) -> str:
    """The Swedish "not found" sentence naming what was asked about, in the question's words."""
    if not reply.subject:
        return "Jag hittar inget svar i rapporterna."
    subject = subject_as_asked(reply.question, reply.subject)
    return f"Jag hittar ingen uppgift om {_shortened(subject)} i rapporterna."


# Small words that may stand between two topic words and keep the phrase natural
# ("lönen för regiondirektören", "vård och omsorg").
_LINKING_WORDS = {"för", "i", "inom", "av", "till", "på", "vid", "om", "och", "med", "hos", "från", "under"}
_WORD_RE = re.compile(r"[\w-]+")


def subject_as_asked(question: str, subject: str) -> str:
    """The subject's words as the question wrote them, with the small words that join them there:
    "lönen för regiondirektören", not "lönen regiondirektören". Words the question does not join
    with a small word are separated by a comma; a subject not found in the question stays as is."""
    wanted = {word.casefold() for word in _WORD_RE.findall(subject)}
    tokens = list(_WORD_RE.finditer(question))
    places = [i for i, token in enumerate(tokens) if token.group().casefold() in wanted]
    if not places:
        return subject
    phrase = tokens[places[0]].group()
    for before, after in zip(places, places[1:], strict=False):
        between = [token.group() for token in tokens[before + 1 : after]]
        if all(word.casefold() in _LINKING_WORDS for word in between):
            phrase += question[tokens[before].end() : tokens[after].end()]
        else:
            phrase += ", " + tokens[after].group()
    return phrase


def _shortened(text: str, limit: int = 120) -> str:
    """At most `limit` characters of a user's text to echo back (a pasted 100 KB question)."""
    return text if len(text) <= limit else text[:limit].rstrip() + " …"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~&])")


def markdown_literal(text: str) -> str:
    """`text` with every Markdown and HTML sign escaped, so generated text (a language model's
    summary) is shown as the letters it is: no link, image or tag can come out of it."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def label_parts(answer: Answer) -> list[str]:
    """What the answer is (kind, and cue when it has one), in words. A share written as a word
    ("hälften") is scored as a figure of no stated unit but is still a share."""
    in_words = answer.kind == FIGURE and answer.unit == "%"
    kind = "andel, i ord" if in_words else KIND_LABELS.get(answer.kind, answer.kind)
    return [kind, *([CUE_LABELS.get(answer.cue, answer.cue)] if answer.cue else [])]


def _label(answer: Answer) -> str:
    return ", ".join(label_parts(answer))


PAGED_SUFFIXES = {".pdf"}  # reports with pages; text, Markdown and DOCX reports have none


def has_pages(item: Answer | Hit) -> bool:
    """Whether the cited report has pages to name (a PDF), so a text report never says "sidan 1"."""
    return Path(item.file).suffix.casefold() in PAGED_SUFFIXES


def citation(answer: Answer | Hit) -> str:
    """Where a quoted figure stands, in words a reader of an e-mail understands: the organisation
    (when known), the report's title and date, the section and, where the report has pages, the
    printed page. Never the file name: stored files may carry hash names."""
    organisation = answer.organisation
    parts = [organisation] if organisation else []
    parts += [answer.title or "(utan titel)", answer.date or "odaterad"]
    if isinstance(answer, Answer) and answer.row is not None:
        parts.append(f"tabell ”{answer.table}”, rad ”{answer.row}”, kolumn ”{answer.column}”")
    elif answer.section:
        parts.append(f"avsnitt ”{answer.section}”")
    if answer.printed_page and has_pages(answer):
        parts.append(f"sidan {answer.printed_page}")
    return ", ".join(parts)


# What kind of figure an alternative is, from the cue ingest found beside it.
BASIS_BY_CUE = {
    "received": "utfall", "result": "utfall", "cost": "utfall", "planned": "planerat", "budget": "budget",
}


# The figure kinds of ingest (Figure.basis) as a label says them.
BASIS_LABELS = {"plan": "planerat"}


def basis_label(answer: Answer) -> str:
    """What kind of figure an alternative is (utfall, planerat, budget, prognos …), for its label.
    "utfall" is also the kind of a figure whose words say nothing else, so a cue beside it
    ("kan få" → planerat) says more; any other kind (a table column's, "budget", "prognos") wins."""
    if answer.basis and answer.basis != "utfall":
        return BASIS_LABELS.get(answer.basis, answer.basis)
    return BASIS_BY_CUE.get(answer.cue or "") or answer.basis or "uppgift"


UNCERTAIN_NOTE = "Osäkert svar: rapporterna anger olika siffror som passar frågan nästan lika bra."


def _whole_sentence(answer: Answer) -> bool:
    """Whether the answer is a whole sentence (no span of it answers: it is shown once, as the quote)."""
    return answer.kind == SENTENCE and answer.text.strip() == answer.sentence.strip()


def reply_plain(reply: Reply) -> str:
    """The answer as plain text to paste into an e-mail: the figure, the sentence in quotes and
    the source in words. No Markdown and no file names."""
    if reply.answer is None:
        return not_found_message(reply)
    answer = reply.answer
    lines = [] if _whole_sentence(answer) else [answer.text]
    lines.append(f"”{answer.sentence}”")
    lines.append(f"Källa: {citation(answer)}.")
    lines += [f"Står också i: {citation(other)}." for other in answer.also_in]
    if reply.uncertain:
        lines.append(UNCERTAIN_NOTE)
    return "\n".join(lines)


def reply_text(reply: Reply) -> str:
    """The reply as readable Swedish text for the terminal."""
    lines: list[str] = [f"Fråga: {reply.question}", "", reply_plain(reply)]
    if reply.answer is not None:
        answer = reply.answer
        lines.append(f"[{_label(answer)}; säkerhet {format_number(answer.confidence, 2)}]")
    if reply.generated:
        lines += ["", SUMMARY_LABEL, f"  {reply.generated}"]
    if reply.alternatives:
        lines += ["", "Andra uppgifter i rapporterna:"]
        for alternative in reply.alternatives:
            lines.append(f"  • {alternative.text}  [{basis_label(alternative)}]")
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
        lines.append(not_found_message(reply))
        if reply.passages:
            lines += ["", "Närmaste avsnitt:"]
            lines += [f"- {citation(hit)}" for hit in reply.passages]
        return "\n".join(lines)
    answer = reply.answer
    if not _whole_sentence(answer):
        lines += [f"**Svar:** {answer.text} ({_label(answer)})", ""]
    lines += [f"> {answer.sentence}", "", f"Källa: {citation(answer)}."]
    lines += [f"Står också i: {citation(other)}." for other in answer.also_in]
    if reply.uncertain:
        lines += ["", f"*{UNCERTAIN_NOTE}*"]
    if reply.generated:
        lines += ["", f"*{SUMMARY_LABEL}* {markdown_literal(reply.generated)}"]
    if reply.alternatives:
        lines += ["", "**Andra uppgifter i rapporterna:**", ""]
        for alternative in reply.alternatives:
            lines.append(f"- **{alternative.text}** ({basis_label(alternative)}): ”{alternative.sentence}”  ")
            lines.append(f"  Källa: {citation(alternative)}.")
    return "\n".join(lines)
