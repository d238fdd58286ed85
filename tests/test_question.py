"""Swedish question analysis: kind, years, divisions, topic terms and cue (pure, no model)."""

from __future__ import annotations

import pytest
from rapportsok.index.question import (
    AMOUNT,
    COMPOUND_MATCH,
    COUNT,
    DATE,
    DIVISION,
    FIGURE,
    PERCENT,
    PERSON,
    analyze,
    asks_duration,
    term_match,
    term_matches,
)
from rapportsok.lang.cues import BUDGET, COST, PLANNED, RECEIVED, RESULT
from rapportsok.lang.stems import stems, stems_match


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Hur mycket fick regionen för psykisk hälsa 2020?", AMOUNT),
        ("Vad kostade sjukresorna 2020?", AMOUNT),
        ("Vilket belopp fick regionen för kömiljarden?", AMOUNT),
        ("Hur mycket pengar gick till civilt försvar?", AMOUNT),
        ("Hur stort var resultatet per mars 2021?", AMOUNT),
        ("Hur många kronor erhöll regionen för cancervården?", AMOUNT),
        ("Vad blev verksamhetens resultat?", AMOUNT),
        ("Hur många är fullvaccinerade?", COUNT),
        ("Hur stor andel av patienterna väntade högst 90 dagar?", PERCENT),
        ("Hur hög var sjukfrånvaron i mars 2021?", PERCENT),
        ("Hur många procent uppgick telefontillgängligheten till?", PERCENT),
        ("När aktiverades krislägesavtalet?", DATE),
        ("Vem är regiondirektör?", PERSON),
        ("Vilken division ansvarar för folktandvården?", DIVISION),
        ("Hur stor var ökningen av besöken?", "figure"),
        ("Vilka yrkesgrupper omfattas av krislägesavtalet?", None),
        ("Berätta om vaccinationerna", None),
        ("sjukfrånvaro mars 2021", "figure"),
        ("Vilken avkastning gav pensionsportföljen under 2019?", PERCENT),
        ("Hur stor del av pensionspengarna låg i aktiefonder?", PERCENT),
        ("Till vilket datum ska 80 procent av alla över 65 ha fått minst en dos?", DATE),
        ("Vilken forskare är knuten till Hälsoskolan?", PERSON),
        ("Stämmer det att psykiatrin fick 27 miljoner 2020?", AMOUNT),
        ("Vad var balanskravsresultatet i januari 2020?", AMOUNT),
        ("Under vilken period ska reviren besökas?", DATE),
        ("I vilken kommun ligger anläggningen?", None),
        ("Hur mycket koldioxid släppte tjänsteresorna ut 2009?", "figure"),
        ("Hur mycket el använde kommunen 2009?", "figure"),
        ("Hur mycket kostade energin 2009?", AMOUNT),
        ("Hur gick Samskolan ekonomiskt 2019?", AMOUNT),  # its result (lang/everyday.py)
        ("Hur lång erfarenhet krävs för behörighet?", "figure"),  # a duration or a length
        ("Hur länge fick kunderna vänta 2012?", "figure"),
        ("Vad tjänade direktören 2008?", AMOUNT),
        ("Vad tjänstgjorde hon som 2019?", None),
        ("Hur nöjda var brukarna med servicen 2009?", PERCENT),
    ],
)
def test_answer_kind(question: str, kind: str | None) -> None:
    assert analyze(question).kind == kind


@pytest.mark.parametrize(
    ("question", "cue"),
    [
        ("Hur mycket fick regionen för psykisk hälsa 2020?", RECEIVED),
        ("Hur mycket erhöll regionen för civilt försvar?", RECEIVED),
        ("Hur mycket kan regionen få för psykisk hälsa 2020?", PLANNED),
        ("Vilket belopp har regionen möjlighet att få?", PLANNED),
        ("Hur stor är budgeten för division Närsjukvård?", BUDGET),
        ("Vad är ramen för investeringar 2022?", BUDGET),
        ("Vad blev resultatet per mars?", RESULT),
        ("Vad kostade sjukresorna?", COST),
        ("Hur hög var kostnaden för hyrpersonal?", COST),
        ("Hur hög var sjukfrånvaron?", None),
    ],
)
def test_question_cue(question: str, cue: str | None) -> None:
    assert analyze(question).cue == cue


def test_periods_are_normalized_by_the_date_module() -> None:
    assert [p.value for p in analyze("Hur stort var resultatet per mars 2021?").periods] == ["2021-03"]
    assert [p.value for p in analyze("Vad var utfallet tertial 1 2022?").periods] == ["2022-01/2022-04"]
    # A span of months is the whole span, not its last month.
    assert [p.value for p in analyze("personalkostnader januari–mars 2026").periods] == ["2026-01/2026-03"]
    assert [p.value for p in analyze("Resultatet jan-mars 2026?").periods] == ["2026-01/2026-03"]
    assert [p.value for p in analyze("utfall från januari till juni 2020").periods] == ["2020-01/2020-06"]
    assert analyze("Vad var utfallet första halvåret 2023?").years == (2023,)


def test_years_and_ranges() -> None:
    assert analyze("Hur mycket fick regionen för psykisk hälsa 2020?").years == (2020,)
    assert analyze("Vad är investeringsramen för 2022-2024?").years == (2022, 2023, 2024)
    assert analyze("Jämför 2019 och 2020").years == (2019, 2020)
    assert analyze("Hur många medarbetare finns det?").years == ()
    school_year = analyze("Hur många elever gick ut läsåret 2011/12?")
    assert school_year.years == (2011, 2012) and "12" not in school_year.topic
    diary = analyze("Vad beslutades i dnr 2023/28?")  # a diary number, no split year
    assert diary.years == (2023,) and "28" in diary.topic


def test_divisions_named() -> None:
    assert analyze("Hur stor är budgeten för division Närsjukvård?").divisions == ("Närsjukvård",)
    assert analyze("Vad fick Division Länssjukvård 1 för resultat?").divisions == ("Länssjukvård 1",)
    assert analyze("Hur stor är budgeten?").divisions == ()


def test_topic_drops_question_words_and_keeps_content() -> None:
    q = analyze("Hur mycket fick regionen för psykisk hälsa 2020?")
    assert q.topic == ("psykisk", "hälsa")
    assert q.terms == tuple(stems("psykisk hälsa"))
    # Months and units are date and figure words, not topic.
    assert analyze("Hur hög var sjukfrånvaron i mars 2021 i procent?").topic == ("sjukfrånvaron",)
    # The active reporting verb is no topic; the passive ("redovisades till åklagare") is.
    assert analyze("Hur stort överskott redovisade enheten 2019?").topic == ("överskott", "enheten")
    assert "redovisades" in analyze("Hur många ärenden redovisades till åklagare?").topic


def test_stems_match_inflections_but_not_unrelated_words() -> None:
    (psykiatrin,) = stems("psykiatrin")
    (psykiatri,) = stems("psykiatri")
    (halsan,) = stems("hälsan")
    (halsa,) = stems("hälsa")
    assert stems_match(psykiatrin, psykiatri)
    assert stems_match(halsan, halsa)
    (region,) = stems("regionstödet")
    assert not stems_match(region, stems("region")[0])
    assert not stems_match("vård", "vårdcentral")


def test_subject_for_not_found_message() -> None:
    assert analyze("Hur mycket fick regionen för rymdresor 2020?").subject() == "rymdresor 2020"


def test_compound_parts_match_at_half_weight_and_short_parts_not() -> None:
    (ytterfall,) = stems("ytterfallen")
    (kostnad,) = stems("ytterfallskostnaden")
    assert term_match(ytterfall, kostnad) == COMPOUND_MATCH
    assert term_match(ytterfall, ytterfall) == 1.0
    # "vård" is too short to be told apart inside compounds.
    assert term_match("vård", stems("vårdplatser")[0]) == 0.0
    # A middle part counts when it is long enough: "fordon" in "motorfordonsförsäkring", not "skola".
    assert term_match(stems("fordonen")[0], stems("motorfordonsförsäkring")[0]) == COMPOUND_MATCH
    assert term_match("skola", stems("grundskolans")[0]) == 0.0


def test_synonyms_link_how_people_ask_to_how_reports_write() -> None:
    q = analyze("Stämmer det att psykiatrin fick 27 miljoner 2020?")
    assert "stämm" not in q.terms and "27" not in q.terms
    (psykiatrin,) = stems("psykiatrin")
    assert term_matches(psykiatrin, stems("Psykisk hälsa")[0])


def test_numbers_in_the_question_are_topic_but_quoted_figures_and_years_are_not() -> None:
    assert "65" in analyze("Hur stor andel av 65-plussarna har vaccinerat sig?").terms
    assert analyze("Hur många fick 80 procent 2020?").terms == ()


@pytest.mark.parametrize(
    ("question", "counted"),
    [
        ("Hur många ansökningar om expresstödet beviljades?", "ansökning"),
        ("Hur många färre medarbetare har regionen?", "medarbet"),
        ("etiska rådet antal möten 2017", "möt"),
        ("Hur många av Åbys mål gäller bara kommunen?", "mål"),
        ("Hur mycket fick regionen?", None),
    ],
)
def test_counted_word(question: str, counted: str | None) -> None:
    assert analyze(question).counted == counted


def test_measure_nouns_and_claims_ask_for_figures() -> None:
    assert analyze("Vilket ackumulerat utfall hade Orminge skola 2019?").kind == FIGURE
    assert analyze("Vad blev Pensionsmyndighetens nöjdmedarbetarindex 2015?").kind == FIGURE
    assert analyze("Vad var inflationen i mars 2026?").kind == FIGURE
    assert analyze("Vad var orsaken till ökningen?").kind is None  # a cause, not the increase
    assert analyze("Vad är regionens vision?").kind is None
    assert analyze("Stämmer det att nämnden hade 55 incidenter under 2025?").kind == FIGURE
    # A physical quantity fits no figure kind: the sentence that states it answers.
    assert analyze("Stämmer det att de anställda reste 88 229 km med tåg 2009?").kind is None


def test_the_country_is_a_scope_not_a_topic() -> None:
    from rapportsok.index.evidence import asks_nation

    question = analyze("Hur många sökte asyl i Sverige 2009?")
    assert asks_nation(question) and "sver" not in question.terms
    assert not asks_nation(analyze("Hur många sökte asyl i Dalarna 2009?"))


def test_a_time_as_the_topic_asks_for_a_duration() -> None:
    assert asks_duration(analyze("genomsnittlig vistelsetid i mottagningssystemet 2009"))
    assert asks_duration(analyze("Hur länge stod platserna tomma?"))
    assert not asks_duration(analyze("antal inskrivna i mottagningssystemet 2009"))


def test_a_point_in_a_period_is_no_topic() -> None:
    """"vid slutet av 2015" says when; "slutet" must not match a sentence's "slutade" or the like."""
    assert analyze("Hur många anställda hade kommunen vid slutet av 2015?").topic == ("anställda",)
    assert analyze("Hur många anställda slutade 2015?").topic == ("anställda", "slutade")


def test_the_verb_of_making_a_decision_is_no_topic() -> None:
    assert analyze("Hur många beslut om sjukersättning fattade kassan 2012?").topic == (
        "beslut", "sjukersättning", "kassan")
