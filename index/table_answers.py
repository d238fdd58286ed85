"""Answers from table cells: which cells may answer a question, how they are written, and where a
prose sentence and a table give the same figure.

Kept apart from the prose candidates (index/candidates.py) because a cell has no sentence to weigh:
what it is about is its row label (with its parent row), the table's caption and its column. So a
cell is only a candidate when the question's topic names its row, the cell is of a kind the
question can take (`_answer_kind`), and its column is the kind of figure asked for (utfall,
budget, prognos, avvikelse). A risk-matrix cell "3" or a row the question does not name never
competes with the sentences. Tables that passage search ranks low are found by their row labels
(`tables_to_read`). Pure: `Hit`s, `Figure`s and store rows in, `Candidate`s and `Answer`s out.
"""

from __future__ import annotations

import os
import re

from rapportsok.index.answer_config import DEFAULT_CONFIG, AnswerConfig
from rapportsok.index.candidates import Candidate
from rapportsok.index.evidence import coverage, stems
from rapportsok.index.question import (
    AMOUNT,
    COUNT,
    FIGURE,
    PERCENT,
    Question,
    term_match,
    term_matches,
    topic_words,
)
from rapportsok.index.results import Answer, Hit
from rapportsok.ingest import records
from rapportsok.ingest.records import SECTION_SEPARATOR, Figure
from rapportsok.ingest.tables import COUNT as COUNT_UNIT
from rapportsok.ingest.tables import find_basis, parse_cell
from rapportsok.lang.cues import BUDGET, PLANNED, find_cue

# What the question asks for, by the words that name a column's basis (records.TABLE_BASES).
# Compounds count ("budgetöverskridandet", "helårsprognos", "investeringsbudget"), in this order.
_FORECAST_WORDS = re.compile(r"\b(?:\w*prognos\w*|beräkna\w*|förväntas|väntas|blir)\b", re.IGNORECASE)
_ASKED_BASIS = (
    ("avvikelse", re.compile(r"\b\w*(?:avvik|överskrid|underskrid)\w*", re.IGNORECASE)),
    # A change by its noun, a compound's tail too ("ramminskningen"), or its verb, active or passive
    # ("hur mycket ökade kostnaderna jämfört med året innan", "hur mycket minskades ramarna").
    ("förändring", re.compile(
        r"\b\w*(?:förändr|ökning|minskning)\w*|\b(?:ökade?s?|ökats?|minskade?s?|minskats?)\b", re.IGNORECASE
    )),
    ("prognos", _FORECAST_WORDS),
    ("budget", re.compile(
        r"\b(?:\w*budget\w*|budgeter\w*|(?:investerings|drift|kostnads)?ram(?:en|ar|arna)?)\b", re.IGNORECASE
    )),
    ("utfall", re.compile(r"\b(?:utfall\w*|bokslut\w*|redovisa\w*|ackumulera\w*|blev|var)\b", re.IGNORECASE)),
)
# Without a basis word a question asks what happened: the outcome, or a cell whose column says no basis.
_DEFAULT_BASES = frozenset({"utfall", None})
# The figure cue (lang/cues.py) a column's basis says: a forecast is planned, a budget a budget.
_CUE_BY_BASIS = {"prognos": PLANNED, "budget": BUDGET}
# Written unit by the factor a cell was multiplied with at ingest (1 234 tkr -> 1 234 000 kr).
_UNIT_BY_FACTOR = {1.0: "kr", 1e3: "tkr", 1e6: "mnkr", 1e9: "mdkr"}
# Share of the question's topic the row label (with its parent) must name for a cell to compete:
# any of it, since the question also names the organisation and period, which the row never does.
MIN_ROW_TOPIC = 0.01


def asked_basis(question: Question) -> str | None:
    """The column basis the question asks for ("budget", "prognos" …), or None when it names none."""
    for basis, pattern in _ASKED_BASIS:
        if pattern.search(question.text):
            return basis
    return None


# A column under a forecast ("Årsprognos › Avvikelse mot budget") answers only a question that asks
# what is expected, whatever its basis.
_FORECAST_COLUMN = re.compile(r"prognos", re.IGNORECASE)


def asks_forecast(question: Question) -> bool:
    """Whether the question asks what is expected ("prognos", "beräknas", "blir")."""
    return bool(_FORECAST_WORDS.search(question.text))


def basis_fits(question: Question, basis: str | None) -> bool:
    """Whether a column of this basis answers the question: the basis asked for, else the outcome."""
    wanted = asked_basis(question)
    if wanted is None:
        return basis in _DEFAULT_BASES
    return basis == wanted or (basis is None and wanted == "utfall")


def plans_only(figures: list[Figure]) -> set[int]:
    """The tables (ordinals) among the figures that hold plans only: a budget or forecast column
    and no outcome column ("Budget 2027 | Plan 2028 … | Total utgift"). A question that names no
    basis asks such a table for its plan, as there is nothing else in it to give."""
    bases: dict[int, set[str | None]] = {}
    for figure in figures:
        if figure.table is not None:
            bases.setdefault(figure.table, set()).add(figure.basis)
    return {
        table for table, found in bases.items() if "utfall" not in found and found & {"budget", "prognos"}
    }


# A sum: in a column or row label that sums the others ("Total utgift", "Totalt", "Summa"), and in
# a question that asks for one ("totalt 2027-2031", "hur många anställda sammanlagt").
_TOTAL = re.compile(r"\b(?:total\w*|summa\w*|sammanlagt|sammantaget)\b", re.IGNORECASE)


def total_asked(question: Question, candidate: Candidate) -> bool:
    """Whether the question asks for a sum and the candidate is a cell of a total column or row
    ("Total utgift", "Summa investeringsbudget"): the label says the question's own word, as a verb
    beside a figure in a sentence does."""
    if candidate.row is None or not _TOTAL.search(question.text):
        return False
    return bool(_TOTAL.search(f"{candidate.column or ''} {candidate.row}"))


def table_spans(figures: list[Figure]) -> dict[int, str]:
    """The years the period columns of each table (ordinal) among the figures span, as a period
    value ("2027/2031"), for tables with two or more years."""
    years: dict[int, set[int]] = {}
    for figure in figures:
        if figure.table is not None and figure.period and re.fullmatch(r"\d{4}", figure.period):
            years.setdefault(figure.table, set()).add(int(figure.period))
    return {table: f"{min(found)}/{max(found)}" for table, found in years.items() if len(found) > 1}


def total_span(figure: Figure, spans: dict[int, str]) -> str | None:
    """The period of a cell in a total column that names none ("Total utgift" beside "Budget 2027
    … Plan 2031"): the span of its table's years, so that "totalt 2027-2031" asks for it."""
    if figure.table is None or not _TOTAL.search(figure.column or ""):
        return None
    return spans.get(figure.table)


def cell_cue(figure: Figure) -> str | None:
    """The cue of a cell: its column's basis (a forecast is planned, a budget a budget), else the
    cue phrase its column label names ("Utfall/resultat": a result), as a sentence's cue is the
    phrase nearest its figure; where the column names none (a column of years), the row label's
    phrase ("Förvaltningskostnad, mnkr": a cost), else its group's ("Verksamhetens kostnader ›
    Personal"), is the cue, as the row says what the cells are."""
    labels = (figure.column, figure.row, figure.measure)
    return _CUE_BY_BASIS.get(figure.basis or "") or next(
        (cue for label in labels if label and (cue := find_cue(label, 0, 0))), None
    )


def written_value(figure: Figure) -> str:
    """The cell as printed with the table's unit: "1 234 tkr", "4,5 %", "750"."""
    text = figure.text.strip()
    if figure.kind == records.PERCENT:
        return text if text.endswith("%") else f"{text} %"
    if figure.kind != records.AMOUNT:
        return text
    parsed = parse_cell(text)
    factor = abs(figure.value / parsed[0]) if parsed and parsed[0] else 1.0
    unit = min(_UNIT_BY_FACTOR.items(), key=lambda item: abs(item[0] - factor))[1]
    return f"{text} {unit}"


def _answer_kind(figure: Figure, question: Question) -> str | None:
    """The answer kind of a cell, or None when the cell cannot answer (a score, a code).

    A count cell answers a count question or one that asks for any figure. A cell of a table that
    states no unit answers a count question as a count, a question for any figure ("vad blev
    nöjdmedarbetarindex") as a plain figure, and a money question too when its column is an
    outcome, budget, forecast or deviation: "-4 069" is shown as printed, the unit unknown, and
    scores below a cell with a unit (index/answer.py).
    """
    if figure.kind == records.AMOUNT:
        return AMOUNT
    if figure.kind == records.PERCENT:
        return PERCENT
    if question.kind is None:
        return FIGURE  # a cell its row and column name (`names_column`), whatever it holds
    if question.kind == COUNT and figure.unit in (COUNT_UNIT, ""):
        return COUNT
    if question.kind == FIGURE and figure.unit == COUNT_UNIT:
        return COUNT
    money_column = question.kind == AMOUNT and figure.basis is not None
    if not figure.unit and (question.kind == FIGURE or money_column):
        return FIGURE
    return None


def names_column(question: Question, figure: Figure) -> bool:
    """Whether the question names the cell's column by a word besides its years ("målet" of
    "Mål 2024"): a question that asks for no figure ("Vad är målet för antibiotikarecept 2024?")
    still asks for the cell whose row and column it names."""
    return label_topic(question, re.sub(r"\d", " ", figure.column or "")) > 0


def row_topic(question: Question, figure: Figure) -> float:
    """Share of the question's topic terms that the cell's measure (`cell_measure`) names."""
    return label_topic(question, cell_measure(figure))


def cell_measure(figure: Figure) -> str | None:
    """What a cell measures: its row label with its parent, and its column's label when that names
    what the cells measure (`names_measure`): "Summa › Finansiella investeringar"."""
    row = figure.measure or figure.row
    if row and is_sum_row(figure.row or row) and figure.section:
        # "Totalt" sums the table: it measures what the heading over the table names.
        row = SECTION_SEPARATOR.join((caption(figure), row))
    if not names_measure(figure.column):
        return row
    return SECTION_SEPARATOR.join(p for p in (row, figure.column) if p)


def caption(figure: Figure) -> str:
    """The heading right over a cell's table (its caption, when the reader made it one)."""
    return figure.section.split(SECTION_SEPARATOR)[-1]


def is_sum_row(label: str) -> bool:
    """Whether a row label says only that the row sums the table ("Totalt", "Summa 1)")."""
    return bool(_TOTAL.search(label)) and not re.sub(r"[\W\d_]+", "", _TOTAL.sub("", label))


def names_measure(column: str | None) -> bool:
    """Whether a column label names what its cells measure ("Finansiella investeringar" in a table
    of investment frames per decision level, "Inkomna" beside "Avgjorda") rather than when or which
    kind of figure ("Bokslut 2024", "Budget", "Summa"): no digit, no basis, no sum. Such a table is
    asked about by its column as much as by its row."""
    if not column or re.search(r"\d", column):
        return False
    return find_basis(column) is None and not _TOTAL.search(column)


def label_topic(question: Question, label: str | None) -> float:
    """Share of the question's topic terms a row label (with its parent) names, as a part of a
    compound too (`asked_tails`, `asked_parts`)."""
    found = f"{label or ''} {asked_tails(question, label)} {asked_parts(question, label)}"
    return coverage(question.terms, stems(found))


# A compound's head before a linking s, and its tail after it, must be this long to be words.
_HEAD, _TAIL = 4, 3


def asked_tails(question: Question, label: str | None) -> str:
    """The tails of the compounds in a row label after a linking s that are a question's topic
    word ("lån" of "Bibliotekslån" for "hur många lån"): a row names the asked noun as its
    compound's tail, which matching whole words misses for a short noun. Only a form of the word
    itself counts (not a compound part of it), and only in row labels: they are short and name one
    thing, while in prose such a tail would match too much."""
    tails = (
        word[match.end():]
        for word in re.findall(r"\w+", label or "")
        for match in re.finditer(rf"(?<=\w{{{_HEAD}}})s(?=\w{{{_TAIL},}}$)", word)
    )
    return " ".join(
        tail for tail in tails
        if any(term_match(term, stem) == 1.0 for term in question.terms for stem in stems(tail))
    )


# A question term found inside a label word must be this long, and start this far in, to be a later
# part of the compound ("minsk" in "Budgetminskning") rather than a chance run of letters.
_PART = 5


def asked_parts(question: Question, label: str | None) -> str:
    """The question's terms that a word of a table label holds as a compound part: a term inside a
    later part ("minsk" of "minskades" in the caption "Budgetminskning"), or a label word that is
    a term's first part ("privat" for "privatpersoner", under "Kundcenter, privat"). Stemming
    misses both: the stem of the whole compound, or of a short word ("priv"), matches no term.
    Only in table labels, which are short and name one thing."""
    words = [word.lower() for word in re.findall(r"\w+", label or "") if len(word) >= _PART]
    return " ".join(
        term for term in question.terms
        if len(term) >= _PART and any(
            term.find(word) == 0 and len(term) > len(word) or word.find(term, _HEAD) > 0
            for word in words
        )
    )


# Two compounds that end in the same word of this many letters are kinds of one thing
# ("Budgetminskning" and "ramminskningen"): the last part of a Swedish compound says what it is.
_SHARED_HEAD = 7


def asked_heads(question: Question, label: str | None) -> str:
    """The question's compound terms that a word of a table label ends as (a caption
    "Budgetminskning" for "ramminskningen"): both compounds of one head word, kinds of one thing.
    Only in table labels, which are short and name one thing; in prose a shared head ("ansökning"
    of "förstagångsansökningar" and "studieansökningar") would match too much."""
    def same_head(word: str, term: str) -> bool:
        head = len(os.path.commonprefix([word[::-1], term[::-1]]))
        return _SHARED_HEAD <= head < min(len(word), len(term))

    words = set(stems(label or ""))
    return " ".join(term for term in question.terms if any(same_head(word, term) for word in words))


# Shorter topic stems ("år", "ram") name too many rows to look tables up by.
_LOOKUP_STEM = 4


# A stem and one shorter by up to this many letters are forms of one word (`lang.stems.stems_match`:
# "irani" of "iranier" and the row "Iran").
_LOOKUP_TRIM = 3


def lookup_words(question: Question) -> tuple[str, ...]:
    """The topic stems a table row label is looked up by (a figure question only), each cut by
    up to _LOOKUP_TRIM letters (never below _LOOKUP_STEM), as a label holding the shorter form of
    the word ("Iran" for "iranier") names it too; the ranking (`tables_to_read`) matches whole
    stems."""
    if not question.asks_figure:
        return ()
    cut = (term[: max(_LOOKUP_STEM, len(term) - _LOOKUP_TRIM)] for term in question.terms)
    return tuple(word for word, term in zip(cut, question.terms, strict=True) if len(term) >= _LOOKUP_STEM)


def tables_to_read(question: Question, rows: list[dict], known: set[int], n: int) -> list[int]:
    """The chunks of the `n` table rows (from `Store.table_rows_naming`) that name the question's
    topic best, counting the section heading over the table: a row "Kostnader för personal" under
    "Resultaträkning" answers "vad kostade personalen enligt resultaträkningen" before a row of a
    personnel table. A row must name some of the topic itself. Ties go to a row with a cell in a
    year the question names, then to the shorter label ("Intäkter" before "Övriga intäkter och
    bidrag"). Chunks in `known` are read already."""
    best: dict[int, tuple[float, bool, int]] = {}
    years = tuple(str(year) for year in question.years)
    for row in rows:
        if row["chunk_id"] in known:
            continue
        label = row["measure"] or row["row"] or ""
        if label_topic(question, label) <= 0:
            continue
        share = label_topic(question, f"{label} {row.get('section') or ''}")
        fit = (share, any(year in (row["periods"] or "") for year in years), -len(stems(label)))
        best[row["chunk_id"]] = max(best.get(row["chunk_id"], fit), fit)
    return sorted(best, key=lambda chunk: (tuple(-x for x in best[chunk]), chunk))[:n]


def table_candidates(
    question: Question, hits: list[Hit], figures: dict[int, list[Figure]],
    config: AnswerConfig = DEFAULT_CONFIG,
) -> list[Candidate]:
    """Table cells of the top passages that may answer a figure question: money, a percentage or
    (asked "hur många") a count, in a row the question names and a column of the basis it asks for.
    A question that asks for a sentence gets the cells whose column it names too (`names_column`)."""
    if not (question.asks_figure or question.kind is None) or not question.terms:
        return []
    out = []
    # Passages past those of search are tables found by their row labels (`tables_to_read`).
    unasked = asked_basis(question) is None
    for rank, hit in enumerate(hits[: config.candidate_passages + config.table_passages]):
        plans = plans_only(figures.get(hit.chunk_id, [])) if unasked else set()
        spans = table_spans(figures.get(hit.chunk_id, []))
        for figure in figures.get(hit.chunk_id, []):
            kind = _answer_kind(figure, question) if figure.table is not None else None
            if kind is None or not (basis_fits(question, figure.basis) or figure.table in plans):
                continue
            if _FORECAST_COLUMN.search(figure.column or "") and not asks_forecast(question):
                continue
            if row_topic(question, figure) < MIN_ROW_TOPIC:
                continue
            if not question.asks_figure and not names_column(question, figure):
                continue
            out.append(Candidate(
                kind=kind, text=written_value(figure), value=figure.value, unit=figure.unit,
                sentence=figure.sentence, start=figure.start, end=figure.end,
                period=figure.period or total_span(figure, spans) or hit.date, division=figure.division,
                # A cell of a table of plans only is one of its plans, whatever its column says
                # ("Total utgift" beside "Budget 2027"): weighed as a budget figure.
                cue=BUDGET if figure.table in plans and figure.basis is None else cell_cue(figure),
                page=figure.page if figure.page is not None else hit.page,
                # The column heads the cell as a section heads a sentence: its year and basis
                # ("Bokslut 2024") are weighed as a heading's.
                section=SECTION_SEPARATOR.join(p for p in (figure.section, figure.column) if p)
                or hit.section,
                hit=hit, rank=rank,
                page_label=figure.page_label if figure.page is not None else hit.page_label,
                boxes=figure.boxes, table=figure.section or f"tabell {figure.table + 1}",
                row=figure.row, column=figure.column, measure=cell_measure(figure), basis=figure.basis,
                # The row's compound tails are what it is about too ("lån" of "Bibliotekslån"),
                # a column that names what its cells measure heads the cell as its row does, and
                # the heading over the table heads its sum row.
                heading=" ".join(filter(None, (
                    figure.column if names_measure(figure.column) else None,
                    cell_measure(figure) if is_sum_row(figure.row or "") else None,
                    asked_heads(question, f"{figure.row or ''} {caption(figure)}"),
                    asked_tails(question, figure.measure or figure.row),
                    asked_parts(question, f"{cell_measure(figure) or ''} {caption(figure)}"),
                ))) or None,
            ))
    return out


def other_sources(
    best: Answer, ranked: list[Answer], tolerance: float = DEFAULT_CONFIG.value_tolerance
) -> list[Answer]:
    """Answers that give the best answer's figure from the other kind of source (a table cell for a
    sentence, a sentence for a cell) in the same report: one answer with two sources."""
    found: list[Answer] = []
    for other in ranked:
        if other is best or (other.row is None) == (best.row is None) or other.file != best.file:
            continue
        if isinstance(other.value, float) and isinstance(best.value, float):
            scale = max(abs(other.value), abs(best.value)) or 1.0
            if abs(other.value - best.value) / scale <= tolerance and not found:
                found.append(other)
    return found


def _significant_digits(value: float) -> int:
    return len(f"{abs(value):.0f}".rstrip("0")) if abs(value) >= 1 else len(f"{abs(value):g}")


def exact_first(best: Answer) -> Answer:
    """The answer to show of a figure given by a sentence and a cell: the cell when the sentence
    rounds it ("1 800 miljoner kronor" beside the cell "1 808 830" tkr), for an answer must give
    the exact figure; the sentence stays its other source, and the confidence is the figure's."""
    cell = next((other for other in best.also_in if other.row is not None), None)
    if best.row is not None or cell is None:
        return best
    if not isinstance(best.value, float) or not isinstance(cell.value, float):
        return best
    if _significant_digits(cell.value) <= _significant_digits(best.value):
        return best
    best.also_in = []
    cell.also_in = [best]
    cell.confidence = best.confidence
    cell.why = {**cell.why, "raw": best.why["raw"], "margin": best.why.get("margin", 0.0)}
    return cell


def unasked_row_share(question: Question, candidate: Candidate) -> float:
    """Share of a cell's row label words that the question does not name ("Övriga" of "Övriga
    anställda"): of rows that all name the topic, the one that adds least answers, the whole
    ("Summa anställda"; "summa" is no topic word) rather than a part. 0 for a sentence."""
    words = topic_words(candidate.row or "")
    if not words:
        return 0.0
    unasked = [
        word for word in words
        if not any(term_matches(term, stem) for term in question.terms for stem in stems(word))
    ]
    return len(unasked) / len(words)
