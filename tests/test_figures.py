"""Figures from text (ingest/figures.py) and from the ingest pipeline into the store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from rapportsok.ingest.figures import figures_from_text, find_period
from rapportsok.ingest.ner import tag_text
from rapportsok.ingest.records import Entity
from rapportsok.lang.cues import find_cue
from rapportsok.lang.sentences import split_sentences

REPO = Path(__file__).resolve().parents[1]


def _sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


def test_sentence_split_keeps_abbreviations_and_numbers() -> None:
    text = ("Regionen fick ca. 27 mnkr, bl.a. för BUP. Totalt 8 712,1 mnkr 2020! Nästa steg?\n"
            "Tabellrad\t12 tkr\n\nSlut 4 767 kr. Ny mening.")
    assert _sentences(text) == [
        "Regionen fick ca. 27 mnkr, bl.a. för BUP.",
        "Totalt 8 712,1 mnkr 2020!",
        "Nästa steg?",
        "Tabellrad\t12 tkr",
        "Slut 4 767 kr.",
        "Ny mening.",
    ]


@pytest.mark.parametrize(
    ("sentence", "figure", "cue"),
    [
        ("I överenskommelsen för 2020 fick regionen sammanlagt 27 mnkr.", "27 mnkr", "received"),
        ("Regionen erhöll 1 mnkr inom överenskommelsen.", "1 mnkr", "received"),
        ("Regionen kan få 10 mnkr ur statens anslag.", "10 mnkr", "planned"),
        ("Inom ramen för anslaget kan regionen få 5 mnkr.", "5 mnkr", "planned"),
        ("Det finns möjlighet att få 3 mnkr.", "3 mnkr", "planned"),
        ("Budgetramen för 2022 är 110 mnkr.", "110 mnkr", "budget"),
        ("Resultatet per mars är 436 mnkr.", "436 mnkr", "result"),
        ("Nettokostnaderna är 27 mnkr lägre.", "27 mnkr", "cost"),
        ("Underskottet blev 12 mnkr.", "12 mnkr", "result"),
        ("Regionen har 27 mnkr.", "27 mnkr", None),
        # What a comparison names is not the figure's cue.
        ("Resultatet är 42 mnkr, vilket är 26 mnkr bättre än budget.", "26 mnkr", "result"),
        ("Utfallet blev 42 mnkr jämfört med budget.", "42 mnkr", None),
    ],
)
def test_cue(sentence: str, figure: str, cue: str | None) -> None:
    start = sentence.index(figure)
    assert find_cue(sentence, start, start + len(figure)) == cue


def test_period_precedence() -> None:
    dates = [Entity("DATE", "2019", 0, 4, "2019"), Entity("DATE", "mars", 30, 34, "--03")]
    assert find_period(dates, 20, 27, "", None) == "--03"
    assert find_period(dates, 20, 27, "Ekonomi 2021", None) == "2021-03"
    assert find_period(dates[:1], 20, 27, "Ekonomi 2021", "2022") == "2019"
    assert find_period([], 20, 27, "Ekonomi 2021", "2022-05-05") == "2021"
    assert find_period([], 20, 27, "Ekonomi", "2022-05-05") == "2022-05-05"


def test_figures_from_text_with_context() -> None:
    text = "Division Närsjukvård fick 12 mnkr 2020. Kostnaden ökade med 3,5 procent."
    first, second = figures_from_text(
        text, tag_text(text), section="Ekonomi 2021", document_date="2021-05-05", page=3
    )
    assert (first.kind, first.value, first.unit, first.period, first.division, first.cue) == (
        "AMOUNT", 12e6, "kr", "2020", "Division Närsjukvård", "received")
    assert first.sentence[first.start : first.end] == "12 mnkr"
    assert (second.kind, second.value, second.unit, second.period, second.division, second.cue) == (
        "PERCENT", 3.5, "%", "2021", None, "cost")
    assert second.page == 3


def test_division_from_section_heading() -> None:
    section = [Entity("DIVISION", "Division Psykiatri", 0, 18, "Division Psykiatri")]
    text = "Kostnaden var 5 mnkr."
    (figure,) = figures_from_text(text, tag_text(text), section="Division Psykiatri",
                                  section_entities=section)
    assert figure.division == "Division Psykiatri"


def test_psykisk_halsa_2020_figure_reaches_the_figures_table(tmp_path: Path) -> None:
    from rapportsok.index.store import Store
    from rapportsok.ingest.pipeline import process_file

    doc, chunks = process_file(REPO / "corpus" / "000_8ac7d356e43819cf.txt")
    store = Store(tmp_path / "store.sqlite")
    store.replace_document(doc, chunks)
    store.close()
    with sqlite3.connect(tmp_path / "store.sqlite") as conn:
        rows = conn.execute(
            "SELECT value, period, cue, unit FROM figures"
            " WHERE text = '27 mnkr' AND sentence LIKE '%fick regionen%'"
        ).fetchall()
    assert rows == [(27000000.0, "2020", "received", "kr")]
