"""The Swedish language layer (lang/): number words, and that it and question analysis load no model."""

from __future__ import annotations

import subprocess
import sys

import pytest
from rapportsok.lang.amounts import parse_amount
from rapportsok.lang.everyday import formal_words
from rapportsok.lang.numbers import COUNT_WORDS, SHARE_WORD, SHARE_WORDS, first_number
from rapportsok.lang.sentences import split_sentences
from rapportsok.lang.stems import word_stems

MODEL_MODULES = ("spacy", "torch", "onnxruntime", "faiss", "transformers", "sentence_transformers")


@pytest.mark.parametrize(
    ("text", "value"),
    [("tre och en halv miljon kronor", 3.5e6), ("en halv miljard kronor", 0.5e9), ("tjugo mnkr", 20e6)],
)
def test_number_words_in_amounts(text: str, value: float) -> None:
    assert parse_amount(text) == value


def test_first_number_reads_halves_and_digits() -> None:
    assert first_number("ett och en halv år")[0] == 1.5
    assert first_number("8 712,1 mnkr")[0] == 8712.1


def test_count_words_leave_articles_out() -> None:
    assert COUNT_WORDS["tolv"] == 12
    assert (COUNT_WORDS["tjugotvå"], COUNT_WORDS["trettioett"], COUNT_WORDS["nittio"]) == (22, 31, 90)
    assert first_number("tjugotvå och en halv miljon")[0] == 22.5
    assert "en" not in COUNT_WORDS and "ett" not in COUNT_WORDS


def test_compounds_of_enhet_keep_their_head() -> None:
    # Snowball alone gives "förskoleen" (it cuts "-heter" as in "möjligheter").
    assert word_stems("förskoleenheter resultatenheten enheter möjligheter") == [
        "förskoleenhet", "resultatenhet", "enhet", "möj"]


def test_gas_formulas_read_as_words() -> None:
    assert word_stems("224,59 ton CO2, CO₂-utsläpp") == word_stems("224,59 ton koldioxid, koldioxid-utsläpp")


def test_everyday_phrasings_of_a_result() -> None:
    assert formal_words("Hur gick Samskolan ekonomiskt 2019?") == "Hur gick Samskolan resultat 2019?"
    assert formal_words("Gick bolaget med vinst 2020?") == "Gick bolaget resultat 2020?"
    assert formal_words("Gick bolaget med förlust 2020?") == "Gick bolaget underskott 2020?"
    question = "Gick nämnden med underskott 2025?"  # the report's own word stays
    assert formal_words(question) == question
    for question in ("Hur mycket ekonomiskt bistånd betalades ut?", "Hur många går på ekonomiskt bistånd?",
                     "Hur mycket gick till lön plus OB-tillägg?"):
        assert formal_words(question) == question


def test_shares_written_as_words() -> None:
    text = "Hälften av eleverna, var tredje anställd, tre fjärdedelar av budgeten"
    found = {m.group().casefold(): SHARE_WORDS[m.group().casefold()] for m in SHARE_WORD.finditer(text)}
    assert found == {"hälften": 50.0, "var tredje": 100 / 3, "tre fjärdedelar": 75.0}


def test_one_sentence_splitter_keeps_abbreviations_and_splits_lines() -> None:
    text = "Avd. 41 fick bl.a. 3 mnkr. Prof. Ek skrev t.ex. detta.\nRad två"
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Avd. 41 fick bl.a. 3 mnkr.",
        "Prof. Ek skrev t.ex. detta.",
        "Rad två",
    ]


def test_a_period_that_lost_its_space_in_the_pdf_still_ends_the_sentence() -> None:
    text = (
        "Prioritet för pulver, sortimentsbredd.Observera att valet görs med patienten. "
        "Se www.Exempel.se och t.ex.Borås."
    )
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Prioritet för pulver, sortimentsbredd.",
        "Observera att valet görs med patienten.",
        "Se www.Exempel.se och t.ex.Borås.",
    ]


def test_language_layer_and_question_analysis_import_no_model() -> None:
    """A fresh interpreter imports every lang module and question analysis; no model library comes along."""
    code = (
        "import sys\n"
        "import rapportsok.lang.amounts, rapportsok.lang.cues, rapportsok.lang.dates\n"
        "import rapportsok.lang.numbers, rapportsok.lang.sentences, rapportsok.lang.stems\n"
        "import rapportsok.lang.stopwords, rapportsok.index.question\n"
        "rapportsok.index.question.analyze('Hur mycket fick regionen 2020?')\n"
        f"print(','.join(m for m in {MODEL_MODULES!r} if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_a_past_tense_verb_gives_the_words_a_report_states_the_same_fact_with() -> None:
    from rapportsok.lang.stems import paradigm_words

    assert {"ökat", "ökning"} <= set(paradigm_words("ökade"))
    assert "kostnad" in paradigm_words("kostade") and "ändring" in paradigm_words("ändrades")
    assert paradigm_words("antogs") == ("antag",)  # "antagna", "antagning"
    assert paradigm_words("handlades")[0] == "handlat"  # "handla", not "hand" + "lade"
    assert paradigm_words("gick") == () and paradigm_words("kostnader") == ()


def test_strong_verb_forms_meet_their_infinitive_in_answer_matching() -> None:
    from rapportsok.lang.stems import stems, stems_match, word_stems

    assert stems_match(word_stems("deltog")[0], word_stems("deltagare")[0])
    assert word_stems("uppgick") == word_stems("uppgå")
    assert word_stems("antogs") == word_stems("antas")
    # Words that are mostly something else stay as they are: "låg" the adjective, "steg" the noun.
    assert word_stems("låg") == stems("låg") and word_stems("steg") == stems("steg")
    # Search keeps the stems its stored index was built with.
    assert stems("deltog") == ["deltog"]


@pytest.mark.parametrize(
    ("question", "past"),
    [
        ("Hur mycket betalade kommunen ut 2025?", True),
        ("Vad var nettokostnaden för fritid 2024?", True),
        ("Hur mycket uppgick intäkterna till?", True),
        ("Hur många anställda hade polisen 2010?", True),
        ("Hur mycket får regionen 2026?", False),
        ("Vad är budgeten för kultur 2027?", False),
    ],
)
def test_one_past_tense_detector_for_questions(question: str, past: bool) -> None:
    from rapportsok.lang.cues import asks_past

    assert asks_past(question) is past
