"""Candidate scoring on hand-made passages and figures (pure: no model, no store)."""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import pytest
from rapportsok.app.replies import WHY_LABELS, not_found_message, reply_markdown, reply_text
from rapportsok.index.answer import build_reply, rank_answers
from rapportsok.index.answer_config import WEIGHTS, AnswerConfig
from rapportsok.index.candidates import Candidate
from rapportsok.index.evidence import (
    counts_people,
    is_change,
    is_earlier,
    is_rate,
    other_place_nearer,
    period_years,
    proximity,
    region_side,
    stated_values,
    states_value,
)
from rapportsok.index.question import analyze, with_known_organisations
from rapportsok.index.results import Hit
from rapportsok.ingest.records import AMOUNT, DATE, PERCENT, Entity, Figure

S_RECEIVED = "I överenskommelsen för 2020 fick regionen och länets kommuner sammanlagt 27 mnkr."
S_PLANNED = (
    "Regionen har möjlighet att få totalt 27,4 miljoner kronor för egna utvecklingsinsatser och "
    "länsgemensamma insatser tillsammans med kommunerna."
)
S_2019 = "I överenskommelsen för 2019 var regionens andel 31,5 miljoner."
S_RESULT = (
    "Verksamhetens resultat är 229 mnkr, vilket är 173 mnkr bättre än föregående år och 182 mnkr "
    "bättre än budget."
)


def hit(chunk_id: int, text: str, section: str, file: str = "000.txt", date: str = "2021-05-05",
        entities: list[Entity] | None = None) -> Hit:
    return Hit(chunk_id, f"/corpus/{file}", "Regiondirektörens rapport", date, 3, section, text,
               1.0 / chunk_id, entities or [])


def figure(sentence: str, text: str, value: float, period: str | None, cue: str | None = None,
           kind: str = AMOUNT) -> Figure:
    start = sentence.index(text)
    unit = "kr" if kind == AMOUNT else "%"
    return Figure(kind, value, unit, text, sentence, start, start + len(text), period, None, cue)


def psykisk_halsa() -> tuple[list[Hit], dict[int, list[Figure]]]:
    hits = [
        hit(1, S_RECEIVED + " Regioner har använt medlen till psykologer.", "Återrapport Psykisk hälsa 2020"),
        hit(2, "Överenskommelsen inom Psykisk hälsa 2020 är en fortsättning. " + S_PLANNED, "Psykisk hälsa",
            file="001.txt", date="2020-01"),
        hit(3, S_2019, "Återrapport Psykisk hälsa 2019", file="001.txt", date="2020-01"),
    ]
    figures = {
        1: [figure(S_RECEIVED, "27 mnkr", 27e6, "2020", "received")],
        2: [figure(S_PLANNED, "27,4 miljoner kronor", 27.4e6, "2020", "planned")],
        3: [figure(S_2019, "31,5 miljoner", 31.5e6, "2019")],
    }
    return hits, figures


def test_received_beats_planned_and_planned_is_an_alternative() -> None:
    hits, figures = psykisk_halsa()
    reply = build_reply(analyze("Hur mycket fick regionen för psykisk hälsa 2020?"), hits, figures)
    assert reply.answer is not None
    best = reply.answer
    assert (best.text, best.cue, best.file) == ("27 mnkr", "received", "/corpus/000.txt")
    assert reply.answer.why["cue"] == WEIGHTS["cue"]
    terms = [v for k, v in reply.answer.why.items() if k not in ("total", "factor", "raw", "margin")]
    assert reply.answer.why["total"] == sum(terms)
    alternatives = [(a.text, a.cue, a.file) for a in reply.alternatives]
    assert ("27,4 miljoner kronor", "planned", "/corpus/001.txt") in alternatives
    # The 2019 figure is about another year and is no answer to a 2020 question.
    assert reply.alternatives[0].text == "27,4 miljoner kronor"
    assert reply.subject == "psykisk hälsa 2020"


def test_planned_question_prefers_planned_figure() -> None:
    hits, figures = psykisk_halsa()
    reply = build_reply(analyze("Hur mycket kan regionen få för psykisk hälsa 2020?"), hits, figures)
    assert reply.answer is not None and reply.answer.text == "27,4 miljoner kronor"


def test_year_decides_between_reports() -> None:
    hits, figures = psykisk_halsa()
    reply = build_reply(analyze("Hur mycket fick regionen för psykisk hälsa 2019?"), hits, figures)
    assert reply.answer is not None and reply.answer.text == "31,5 miljoner"
    assert reply.answer.why["year"] > 0


def test_a_question_in_the_past_tense_takes_the_outcome_over_a_budget() -> None:
    budget = "I budgeten för bidragen finns 400 tkr."
    paid = "Kommunen betalade bidrag på 397 tkr till föreningarna."
    hits = [hit(1, f"{budget} {paid}", "Bidrag")]
    figures = {1: [figure(budget, "400 tkr", 4e5, None, "budget"), figure(paid, "397 tkr", 3.97e5, None)]}
    past = rank_answers(analyze("Hur mycket bidrag betalade kommunen ut?"), hits, figures)
    assert past[0].text == "397 tkr" and past[1].why["cue"] < 0
    present = rank_answers(analyze("Hur mycket bidrag finns?"), hits, figures)
    assert "cue" not in next(a for a in present if a.text == "400 tkr").why


def test_level_beats_change_in_the_same_sentence() -> None:
    hits = [hit(1, S_RESULT, "Ekonomirapport")]
    figures = {1: [figure(S_RESULT, t, v, "2021", "result") for t, v in
                   (("229 mnkr", 229e6), ("173 mnkr", 173e6), ("182 mnkr", 182e6))]}
    answers = rank_answers(analyze("Hur stort var verksamhetens resultat 2021?"), hits, figures)
    assert answers[0].text == "229 mnkr"
    assert "change" in answers[1].why and "change" not in answers[0].why


def test_kind_mismatch_is_penalised() -> None:
    sentence = "Sjukfrånvaron var 6,6 procent och kostade 120 mnkr."
    hits = [hit(1, sentence, "Personalrapport")]
    figures = {1: [figure(sentence, "6,6 procent", 6.6, "2021", kind=PERCENT),
                   figure(sentence, "120 mnkr", 120e6, "2021", "cost")]}
    assert rank_answers(analyze("Hur hög var sjukfrånvaron?"), hits, figures)[0].text == "6,6 procent"
    assert rank_answers(analyze("Hur mycket kostade sjukfrånvaron?"), hits, figures)[0].text == "120 mnkr"


def test_unknown_topic_is_not_found_with_passages_kept() -> None:
    hits, figures = psykisk_halsa()
    reply = build_reply(analyze("Hur mycket fick regionen för rymdresor 2020?"), hits, figures)
    assert reply.answer is None and reply.alternatives == []
    assert reply.subject == "rymdresor 2020"
    assert not_found_message(reply) == "Jag hittar ingen uppgift om rymdresor 2020 i rapporterna."
    assert "Jag hittar ingen uppgift om rymdresor 2020" in reply_text(reply)
    assert "Jag hittar ingen uppgift om rymdresor 2020" in reply_markdown(reply)
    assert [h.chunk_id for h in reply.passages] == [1, 2, 3]
    assert reply.to_json()["answer"] is None


def test_tied_scores_put_newest_report_first() -> None:
    sentence = "Regionen fick 5 mnkr för civilt försvar."
    filler = [hit(i, "Text om annat.", "Annat") for i in range(1, 5)]
    hits = [*filler, hit(5, sentence, "Civilt försvar", file="old.txt", date="2019-02"),
            hit(6, sentence, "Civilt försvar", file="new.txt", date="2021-05")]
    figures = {i: [figure(sentence, "5 mnkr", 5e6, None, "received")] for i in (5, 6)}
    answers = rank_answers(analyze("Hur mycket fick regionen för civilt försvar?"), hits, figures)
    # The older report's passage ranks higher, but only by a tie's margin: the newer report comes first.
    assert answers[0].why["rank"] > answers[1].why["rank"] or answers[0].file == "/corpus/new.txt"
    assert [a.file for a in answers] == ["/corpus/new.txt", "/corpus/old.txt"]


def test_count_question_uses_plain_numbers_near_the_topic() -> None:
    text = ("I det svåra läget är hittills ca 56 000 norrbottningar vaccinerade med minst en dos och "
            "ca 17 600 är fullvaccinerade.")
    reply = build_reply(analyze("Hur många är fullvaccinerade?"), [hit(1, text, "Inledning")], {})
    assert reply.answer is not None
    assert (reply.answer.text, reply.answer.value, reply.answer.kind) == ("17 600", 17600.0, "count")


def test_date_question_answers_with_the_date_entity() -> None:
    text = "Ny organisation driftsätts från och med 1 maj 2021. Rapporten gäller mars."
    start = text.index("1 maj 2021")
    entity = Entity(DATE, "1 maj 2021", start, start + len("1 maj 2021"), "2021-05-01")
    reply = build_reply(analyze("När driftsätts den nya organisationen?"),
                        [hit(1, text, "Inledning", entities=[entity])], {})
    assert reply.answer is not None
    assert (reply.answer.kind, reply.answer.value) == ("date", "2021-05-01")
    assert reply.answer.sentence.startswith("Ny organisation driftsätts")


def test_is_change() -> None:
    assert is_change(S_RESULT, S_RESULT.index("173"), S_RESULT.index("173") + 8)
    assert not is_change(S_RESULT, S_RESULT.index("229"), S_RESULT.index("229") + 8)
    s = "Besöken har ökat med 12 procent."
    assert is_change(s, s.index("12"), s.index("12") + 11)


def test_period_years() -> None:
    assert period_years("2020-03") == {2020}
    assert period_years("2022/2024") == {2022, 2023, 2024}
    assert period_years(None) == set()
    assert period_years("2016/2015") == {2015, 2016}  # a range written backwards (a crash once)


def test_counts_written_in_words_and_labels_left_out() -> None:
    text = ("Kartläggningen gäller avdelning 41. Testerna har identifierat tio generella sårbarheter "
            "varav fem allvarliga.")
    reply = build_reply(analyze("Hur många sårbarheter hittade testet?"), [hit(1, text, "IT-säkerhet")], {})
    assert reply.answer is not None and (reply.answer.text, reply.answer.value) == ("tio", 10.0)
    assert "41" not in [a.text for a in reply.alternatives]
    # "fem" after "varav" is a part of the ten, not what was asked: scored as a part and never
    # offered as an alternative (it stands in the answer's own sentence).
    ranked = rank_answers(analyze("Hur många sårbarheter hittade testet?"), [hit(1, text, "IT-säkerhet")], {})
    assert "part" in next(a for a in ranked if a.text == "fem").why
    assert "fem" not in [a.text for a in reply.alternatives]


def test_a_footnote_number_opening_a_sentence_is_no_count() -> None:
    text = "3 Definition tillsvidareanställda: anställda med anställningsform tillsvidareanställning."
    ranked = rank_answers(analyze("Hur många anställda hade myndigheten?"), [hit(1, text, "Personal")], {})
    assert "3" not in [a.text for a in ranked]


def test_a_number_with_a_physical_unit_is_no_count() -> None:
    text = ("6 av fordonen är miljöbilar. Kommunen vill öka antalet miljöbilar (med dagens definition "
            "på miljöbil - 120 g/ CO2 per km).")
    ranked = rank_answers(analyze("Hur många miljöbilar har kommunen?"), [hit(1, text, "Transporter")], {})
    assert [a.text for a in ranked] == ["6"]  # "6 av fordonen": the noun after it is "av", not counted
    # A question that counts the unit asks for the quantity.
    built = "Kommunen byggde 12 km cykelväg under året."
    reply = build_reply(analyze("Hur många km cykelväg byggde kommunen?"), [hit(1, built, "Trafik")], {})
    assert reply.answer is not None and reply.answer.text == "12"


def test_a_share_written_as_a_word_answers_how_large_a_share() -> None:
    text = ("Var tredje år görs en enkät. Det var tredje gången. Det var fjärde skolan som provade. "
            "Hälften av eleverna klarade provet.")
    reply = build_reply(analyze("Hur stor andel av eleverna klarade provet?"), [hit(1, text, "Skola")], {})
    assert reply.answer is not None and (reply.answer.text, reply.answer.value) == ("Hälften", 50.0)
    assert not {"Var tredje", "var tredje", "var fjärde"} & {a.text for a in reply.alternatives}
    assert "andel, i ord" in reply_text(reply)
    # A stated percentage is preciser than the word for the same share.
    percent = "Av eleverna klarade 52 procent provet."
    stated = [hit(1, "Hälften av eleverna klarade provet. " + percent, "Skola")]
    figures = {1: [figure(percent, "52 procent", 52.0, None, kind=PERCENT)]}
    reply = build_reply(analyze("Hur stor andel av eleverna klarade provet?"), stated, figures)
    assert reply.answer is not None and reply.answer.text == "52 procent"


def test_a_count_before_the_head_of_the_counted_compound_and_no_grade_range() -> None:
    text = ("Det behövs 1 900 nya skolplatser för årskurserna 1–6. I området finns det 2 400 "
            "förskoleplatser fördelade på 37 enheter.")
    ranked = rank_answers(analyze("Hur många förskoleenheter finns det?"), [hit(1, text, "Sicklaön")], {})
    assert ranked[0].text == "37"
    assert not {"1", "6"} & {a.text for a in ranked}


def test_a_count_of_people_by_their_verb_is_a_count_of_persons() -> None:
    """"Hur många flyttade" counts people, as "hur många personer flyttade" would: a count of
    "personer" is bound to it, not a figure in brackets that only shares the verb."""
    text = ("Bland dem som flyttade till orten var barnfamiljer flest (2 410), följt av pensionärer som "
            "flyttat av hälsoskäl (1 380). Cirka 1 100 personer har flyttat till orten från utlandet.")
    question = analyze("Hur många flyttade till orten från utlandet?")
    ranked = rank_answers(question, [hit(1, text, "Befolkning")], {})
    assert ranked[0].text == "1 100"
    assert ranked[0].why.get("counted")
    people = [counts_people(analyze(q)) for q in (
        "Hur många hade en plats i kön?", "Hur många deltog i mötet?", "Hur många röstade ja?",
        "Hur många sökande fanns?", "Hur många skolor finns?", "Hur många timmar tog det?",
        # A weak past form before a finite verb is an adjective; a long compound is a noun.
        "Hur många avslutade ärenden hade nämnden?", "Hur många beviljade ansökningar fanns?",
        "Hur många projektsteg återstår?")]
    assert people == [True, True, True, False, False, False, False, False, False]


def test_a_question_for_a_name_prefers_the_sentence_naming_one() -> None:
    text = ("Under 2008 påbörjade verket ett arbete för att ta fram en svensk standard för "
            "anläggningsboende. Under 2009 har arbetet tagit fart och SIS, Swedish Standards Institute, "
            "har kontrakterats.")
    question = analyze("Vilken organisation anlitade verket för en standard för anläggningsboende?")
    reply = build_reply(question, [hit(1, text, "Boende")], {})
    assert reply.answer is not None and reply.answer.text in ("SIS", "Swedish Standards Institute")


def test_a_question_quoting_the_sentences_time_phrase_is_about_its_figure() -> None:
    sentence = ("Budgeten för projektet Löparbana (2,4 mnkr) har inte utnyttjats under 2025 och kommer "
                "att flyttas till 2026.")
    hits = [hit(1, sentence, "Investeringar", date="2026-02")]
    figures = {1: [figure(sentence, "2,4 mnkr", 2.4e6, "2025")]}
    reply = build_reply(analyze("Hur mycket av budgeten för löparbanan flyttas till 2026?"), hits, figures)
    assert reply.answer is not None and reply.answer.text == "2,4 mnkr"
    assert reply.answer.why["year"] > 0


def test_a_table_read_as_text_gives_no_counts() -> None:
    text = ("Stockholm 6 623 5150 1 473 1 392 5 834 Uppsala 704 519 185 172 633 Södermanland 686 466 "
            "220 215 665 poliser.")
    ranked = rank_answers(analyze("Hur många poliser fanns det 2008?"), [hit(1, text, "Personal")], {})
    assert ranked == []


def test_a_count_in_millions_keeps_its_scale() -> None:
    text = "Myndigheten fattar varje år omkring 20 miljoner beslut om ersättningar."
    reply = build_reply(analyze("Hur många beslut fattar myndigheten per år?"), [hit(1, text, "Ärenden")], {})
    assert reply.answer is not None
    assert (reply.answer.text, reply.answer.value) == ("20 miljoner beslut", 20e6)


def test_alternatives_are_other_reports_that_disagree_never_parts_or_changes() -> None:
    """Alternatives: the same measure and period from another report that disagrees; never a
    part, a change or another figure from the answer's own sentence, nor the same value again."""
    question = analyze("Hur många anställda hade regionen 2021?")
    own = ("Regionen hade 7012 anställda 2021, varav 14 chefer, vilket är 66 fler än 2020 "
           "då antalet var 6946.")
    other = "Regionen hade 7100 anställda under 2021 enligt personalredovisningen."
    same = "Antalet anställda i regionen var 7012 under 2021."
    hits = [hit(1, own, "Personal"), hit(2, other, "Personal", "b.pdf"), hit(3, same, "Personal", "c.pdf")]
    reply = build_reply(question, hits, {})
    assert reply.answer is not None and reply.answer.value == 7012.0
    assert [a.value for a in reply.alternatives] == [7100.0]


def test_words_beyond_another_figure_belong_to_it() -> None:
    sentence = "Av ramen fördelas 10,6 mnkr för akuta investeringar, 38 mnkr för hjälpmedel till patienter."
    values = (("10,6 mnkr", 10.6e6), ("38 mnkr", 38e6))
    figures = {1: [figure(sentence, t, v, "2022", "budget") for t, v in values]}
    hits = [hit(1, sentence, "Investeringar")]
    answers = rank_answers(analyze("Hur mycket går till hjälpmedel 2022?"), hits, figures)
    assert answers[0].text == "38 mnkr"


def test_the_year_a_date_question_names_is_not_its_answer() -> None:
    text = "Resultaten från PISA 2012 publicerades i december 2013."
    first, second = text.index("2012"), text.index("december 2013")
    entities = [Entity(DATE, "2012", first, first + 4, "2012"),
                Entity(DATE, "december 2013", second, second + 13, "2013-12")]
    passage = hit(1, text, "PISA", entities=entities)
    ranked = rank_answers(analyze("När publicerades PISA 2012?"), [passage], {})
    assert [a.text for a in ranked if a.kind == "date"] == ["december 2013"]


def test_period_after_the_report_date_blocks_an_outcome() -> None:
    sentence = "Resultatet per mars är 436 mnkr."
    figures = {1: [figure(sentence, "436 mnkr", 436e6, None, "result")]}
    hits = [hit(1, sentence, "Ekonomi")]
    assert build_reply(analyze("Vad blev resultatet per mars 2021?"), hits, figures).answer is not None
    reply = build_reply(analyze("Vad blev resultatet per mars 2022?"), hits, figures)
    assert reply.answer is None



def test_a_goal_for_a_later_year_does_not_answer_what_happened() -> None:
    """An annual report for 2008 states a goal for 2010: "hade … 2010" asks what happened then."""
    sentence = "Fler har antagits i syfte att uppnå målet med 20 000 poliser vid halvåret 2010."
    year = sentence.index("2010")
    dated = [Entity("DATE", "2010", year, year + 4, "2010")]
    hits = [hit(1, sentence, "Personal", date="2008", entities=dated)]
    assert build_reply(analyze("Hur många poliser hade myndigheten år 2010?"), hits, {}).answer is None
    assert build_reply(analyze("Hur många poliser ska myndigheten ha år 2010?"), hits, {}).answer is not None


def test_missing_name_blocks_the_answer() -> None:
    hits, figures = psykisk_halsa()
    reply = build_reply(analyze("Hur mycket fick Region Västerbotten för psykisk hälsa 2020?"), hits, figures)
    assert reply.answer is None


def test_every_scoring_term_has_a_swedish_label() -> None:
    assert set(WEIGHTS) <= set(WHY_LABELS)


def test_the_cue_stored_at_ingest_is_the_one_scored() -> None:
    hits, figures = psykisk_halsa()
    # Ingest stored no cue for this figure (its sentence says "möjlighet att få"): answering keeps that.
    figures[2] = [figure(S_PLANNED, "27,4 miljoner kronor", 27.4e6, "2020", None)]
    answers = rank_answers(analyze("Hur mycket kan regionen få för psykisk hälsa 2020?"), hits, figures)
    unplanned = next(a for a in answers if a.text == "27,4 miljoner kronor")
    assert unplanned.cue is None and "cue" not in unplanned.why


def test_config_sets_the_threshold_and_cannot_be_changed_in_place() -> None:
    hits, figures = psykisk_halsa()
    question = analyze("Hur mycket fick regionen för psykisk hälsa 2020?")
    found = build_reply(question, hits, figures).answer
    assert found is not None
    strict = AnswerConfig(confidence_threshold=found.why["raw"] + 0.01)  # the threshold is on the raw value
    assert build_reply(question, hits, figures, config=strict).answer is None
    without_cue = rank_answers(question, hits, figures, AnswerConfig(weights={**WEIGHTS, "cue": 0.0}))
    assert "cue" not in without_cue[0].why
    with pytest.raises(FrozenInstanceError):
        strict.confidence_threshold = 0.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        WEIGHTS["cue"] = 0.0  # type: ignore[index]


def test_a_figure_of_another_place_loses_to_the_asked_place() -> None:
    """A county's report compares it with its neighbours: the figure beside the neighbour's name is
    the neighbour's."""
    own = "Därefter har arbetslösheten minskat och var i januari 2026 4,4 procent i Västland."
    other = ("Västland har klart lägre arbetslöshet än näraliggande Norrby, där arbetslösheten var "
             "7 procent under samma tidsperiod.")
    asked = analyze("Hur hög var arbetslösheten i Västland i januari 2026?")
    question = with_known_organisations(asked, {"västland"})
    figures = {1: [figure(other, "7 procent", 7.0, "2026", kind=PERCENT)],
               2: [figure(own, "4,4 procent", 4.4, "2026-01", kind=PERCENT)]}
    month = own.index("januari 2026")
    dated = [Entity("DATE", "januari 2026", month, month + 12, "2026-01")]
    hits = [hit(1, other, "Län", date="2026-04-15"), hit(2, own, "Län", date="2026-04-15", entities=dated)]
    ranked = rank_answers(question, hits, figures)
    seven = next(a for a in ranked if a.text == "7 procent")
    assert seven.why.get("place", 0.0) < 0 and ranked[0].text == "4,4 procent"
    assert seven.why["factor"] <= 0.5  # another place's figure is a broken constraint, not a weaker fit
    # The neighbour the question itself names is asked, though the organisation named is another.
    neighbour = with_known_organisations(
        analyze("Hur hög var arbetslösheten i Norrby i januari 2026 enligt Region Västland?"), {"västland"}
    )
    ranked = rank_answers(neighbour, hits, figures)
    assert ranked[0].text == "7 procent" and "place" not in ranked[0].why
    # A table or appendix the sentence points to is no place.
    table = "Arbetslösheten var 4,4 procent i Tabell 3."
    assert not other_place_nearer(question, table, *(table.index("4,4"), table.index("4,4") + 11))


def test_answer_passage_is_shown_first_with_those_stating_the_same_figure_next() -> None:
    """The passage an answer stands in leads the passages shown, though search ranked it below the
    first five (a user checks the figure there); another passage with the same figure follows,
    then the passage of the runner-up with another figure (the 2019 one, a user who doubts the
    answer finds it there), then the rest in search order."""
    filler = [hit(i, f"Text om annat nummer {i}.", "Annat") for i in range(1, 6)]
    hits = [*filler, hit(6, S_2019, "Återrapport Psykisk hälsa 2019"),
            hit(7, S_RECEIVED, "Återrapport Psykisk hälsa 2020"),
            hit(8, "Sammanfattning. " + S_RECEIVED, "Sammanfattning", file="001.txt")]
    figures = {6: [figure(S_2019, "31,5 miljoner", 31.5e6, "2019")],
               7: [figure(S_RECEIVED, "27 mnkr", 27e6, "2020", "received")],
               8: [figure(S_RECEIVED, "27 mnkr", 27e6, "2020", "received")]}
    reply = build_reply(analyze("Hur mycket fick regionen för psykisk hälsa 2020?"), hits, figures)
    assert reply.answer is not None and reply.answer.text == "27 mnkr"
    first = reply.answer.chunk_id
    assert [a.chunk_id for a in reply.runners_up] == [6]
    assert [h.chunk_id for h in reply.passages] == [first, 15 - first, 6, 1, 2]
    unknown = build_reply(analyze("Hur mycket fick regionen för rymdresor 2020?"), hits, figures)
    assert unknown.answer is None and [h.chunk_id for h in unknown.passages] == [1, 2, 3, 4, 5]


def test_a_month_figure_is_a_part_of_the_year_asked_for_a_figure_at_its_end_is_not() -> None:
    def ranked(text: str, month: str, value: str) -> dict:
        start = text.index(month)
        entity = Entity(DATE, month, start, start + len(month), value)
        answers = rank_answers(
            analyze("Hur många antogs till utbildningen 2008?"),
            [hit(1, text, "Antagning 2008", date="2008", entities=[entity])],
            {},
        )
        return answers[0].why

    january = "Under januari 2008 antogs 830 sökande till utbildningen."
    assert "part" in ranked(january, "januari 2008", "2008-01")
    december = "I december 2008 hade utbildningen antagit 1 708."
    assert "part" not in ranked(december, "december 2008", "2008-12")
    assert "part" not in ranked("Under 2008 antogs 1 708 sökande till utbildningen.", "2008", "2008")


def test_sentence_naming_the_asked_body_beats_a_unit_of_it() -> None:
    # In a nämnd's own report every passage is the nämnd's, so only the sentence that names it
    # tells its own result from one of its units' ("Verksamheten" under a unit's heading).
    unit = "Verksamheten redovisar ett överskott mot budget om 1 262 tkr."
    whole = "Kultur- och fritidsnämnden redovisar ett överskott mot budget med 1,07 mnkr för året."
    hits = [
        Hit(1, "/pdfs/bokslut.pdf", "2025 Årsbokslut", "2025", 13,
            "Verksamhetsberättelse › Gemensam administration för kultur och fritid", unit, 1.0,
            organisation="Kultur- och fritidsnämnden"),
        Hit(2, "/pdfs/bokslut.pdf", "2025 Årsbokslut", "2025", 13, "Verksamhetsberättelse › Ekonomi",
            whole, 0.5, organisation="Kultur- och fritidsnämnden"),
    ]
    figures = {
        1: [figure(unit, "1 262 tkr", 1_262_000.0, "2025")],
        2: [figure(whole, "1,07 mnkr", 1_070_000.0, "2025")],
    }
    question = analyze("Vilket resultat mot budget fick kultur- och fritidsnämnden 2025?")
    reply = build_reply(question, hits, figures)
    assert reply.answer is not None and reply.answer.text == "1,07 mnkr"


@pytest.mark.parametrize(
    ("question", "expected"),
    [("Hur många poliser fanns det i december 2008?", "18 321 poliser"),
     ("Hur många anställda hade myndigheten i december 2008?", "26 122 anställda")],
)
def test_a_varav_part_answers_when_it_counts_the_asked_noun(question: str, expected: str) -> None:
    text = ("I december 2008 hade myndigheten 26 122 anställda, varav 18 321 poliser, 7 801 civila och "
            "20 000 tillsvidareanställda.")
    other = "Av totalt 681 poliser och anställda tjänstgör 166 vid Ekobrottsmyndigheten."
    at = text.index("december 2008")
    dated = Entity(DATE, "december 2008", at, at + 13, "2008-12", "2008-12-01", "2008-12-31")
    hits = [hit(1, text, "Personal", date="2008", entities=[dated]), hit(2, other, "Personal", date="2008")]
    reply = build_reply(analyze(question), hits, {1: [], 2: []})
    assert reply.answer is not None and reply.answer.text == expected


def test_a_change_from_the_previous_year_is_no_earlier_value() -> None:
    change = ("Insatserna uppgick under 2012 till 722 miljoner kronor vilket är en ökning från föregående år "
              "med 99 miljoner kronor.")
    at = change.index("99 miljoner")
    assert not is_earlier(change, at, at + 11)
    quoted = "Andelen var 84,0 procent, jämfört med föregående år (82,3 procent)."
    at = quoted.index("82,3")
    assert is_earlier(quoted, at, at + 12)


def test_a_date_three_words_after_jamfort_med_dates_the_comparison() -> None:
    text = "Under året polisanmälde vi 25 ärenden, jämfört med fyra ärenden år 2014."
    at = text.index("2014")
    dated = Entity(DATE, "2014", at, at + 4, "2014", "2014-01-01", "2014-12-31")
    reply = build_reply(
        analyze("Hur många ärenden polisanmäldes 2015?"),
        [hit(1, text, "Säkerhet", date="2015", entities=[dated])], {1: []},
    )
    assert reply.answer is not None and reply.answer.text == "25 ärenden"


def test_a_figure_per_the_unit_the_question_names_is_no_rate_against_it() -> None:
    text = "Stödet höjdes till 30 000 kronor för vuxna och högst 75 000 kronor per familj."
    hits = [hit(1, text, "Stöd", date="2008")]
    figures = {1: [figure(text, "75 000 kronor", 75_000.0, "2008")]}
    family = rank_answers(analyze("Hur mycket stöd kan en familj få?"), hits, figures)
    anyone = rank_answers(analyze("Hur mycket stöd kan man få?"), hits, figures)
    assert [a.why.get("rate") for a in family] == [None]
    assert [a.why.get("rate") for a in anyone] == [WEIGHTS["rate"]]


def test_people_counted_by_role_are_named_by_personer() -> None:
    text = "Styrelsen består av högst åtta personer, inklusive generaldirektören."
    hits = [hit(1, text, "Styrelse", date="2008")]
    members = rank_answers(analyze("Hur många ledamöter har styrelsen?"), hits, {1: []})
    cars = rank_answers(analyze("Hur många bilar har styrelsen?"), hits, {1: []})
    assert members[0].text == "åtta" and members[0].why["factor"] == 1.0
    assert cars[0].why["factor"] < 1.0


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("På hur många skolor pågår försöket?", "18 skolor"),
        ("Hur många utbildningar finns i försöket?", "20 utbildningar"),
        ("Hur många av de finansiella målen nådde staden?", "tre"),
    ],
)
def test_a_count_counts_the_noun_right_after_it(question: str, expected: str) -> None:
    text = ("Försöket bedrivs på 18 skolor med sammanlagt 20 utbildningar. "
            "Uppföljningen visade måluppfyllelse för tre av de fyra finansiella målen i försöket på skolor.")
    answers = rank_answers(analyze(question), [hit(1, text, "Försöket", date="2013")], {1: []})
    assert answers[0].text == expected


@pytest.mark.parametrize("question", ["Hur många jobbar i förvaltningen?", "Hur många anställda finns?"])
def test_staff_is_counted_by_any_word_for_staff(question: str) -> None:
    text = "Förvaltningen har 40 fordon. Där arbetar cirka 2 600 medarbetare."
    reply = build_reply(analyze(question), [hit(1, text, "Förvaltningen", date="2019")], {1: []})
    assert reply.answer is not None and reply.answer.text == "2 600"
    assert reply.answer.why["factor"] == 1.0


def test_a_rate_without_a_percent_sign_answers_a_percent_question_below_a_stated_one() -> None:
    bare = "Den totala sjukfrånvaron för förvaltningen 2019 är 6,45, en liten ökning."
    stated = "Sjukfrånvaron för förvaltningen 2019 var 6,5 procent."
    question = analyze("Hur hög var sjukfrånvaron inom förvaltningen 2019?")
    alone = build_reply(question, [hit(1, bare, "Sjukfrånvaro", date="2019")], {1: []})
    assert alone.answer is not None and (alone.answer.text, alone.answer.kind) == ("6,45", "figure")
    both = build_reply(
        question, [hit(1, bare, "Sjukfrånvaro", date="2019"), hit(2, stated, "Sjukfrånvaro", date="2019")],
        {1: [], 2: [figure(stated, "6,5 procent", 6.5, "2019", kind=PERCENT)]},
    )
    assert both.answer is not None and both.answer.text == "6,5 procent"


@pytest.mark.parametrize(
    ("question", "expected"),
    [("Hur många av kommunens fordon är leasade?", "37"), ("Hur många fordon har kommunen?", "40 fordon")],
)
def test_a_part_after_av_vilka_answers_only_hur_manga_av(question: str, expected: str) -> None:
    text = "Kommunen har 40 fordon, av vilka 37 är leasade."
    answers = rank_answers(analyze(question), [hit(1, text, "Fordon", date="2009")], {1: []})
    assert answers[0].text == expected


@pytest.mark.parametrize(("year", "expected"), [("2015", "11,3 procent"), ("2014", "8,9 procent")])
def test_a_figures_own_date_is_not_the_nearer_date_of_its_comparison(year: str, expected: str) -> None:
    text = "Personalomsättningen för år 2015 uppgår till 11,3 procent jämfört med 8,9 procent år 2014."
    dated = [Entity(DATE, y, text.index(y), text.index(y) + 4, y, f"{y}-01-01", f"{y}-12-31")
             for y in ("2015", "2014")]
    # As ingest stores them: each figure dated by the date nearest it, 2014 for both.
    figures = {1: [figure(text, "11,3 procent", 11.3, "2014", kind=PERCENT),
                   figure(text, "8,9 procent", 8.9, "2014", kind=PERCENT)]}
    reply = build_reply(analyze(f"Hur hög var personalomsättningen {year}?"),
                        [hit(1, text, "Personal", date="2015", entities=dated)], figures)
    assert reply.answer is not None and reply.answer.text == expected


def test_a_post_held_from_a_date_on_holds_through_the_reports_year() -> None:
    text = "Generaldirektör Anna Berg erhöll 1 317 909 kronor i lön och Per Holm 7 250 kr fr o m 2008-02-14"
    at = text.index("2008-02-14")
    dated = [Entity(DATE, "2008-02-14", at, at + 10, "2008-02-14", "2008-02-14", "2008-02-14")]
    answers = rank_answers(analyze("Vem var generaldirektör 2009?"),
                           [hit(1, text, "Ledningens förmåner", date="2009", entities=dated)], {1: []})
    best = answers[0]
    assert best.text == "Anna Berg" and best.why["year"] > 0


@pytest.mark.parametrize(
    ("question", "expected"),
    [("Hur mycket stöd kan en familj få som mest?", "75 000 kronor"),
     ("Hur mycket stöd får en familj maximalt?", "75 000 kronor")],
)
def test_a_most_asked_for_is_the_figure_written_as_a_bound(question: str, expected: str) -> None:
    text = "Regeringen höjde stödet till 30 000 kronor för vuxna och högst 75 000 kronor per familj."
    figures = {1: [figure(text, "30 000 kronor", 30e3, None), figure(text, "75 000 kronor", 75e3, None)]}
    answers = rank_answers(analyze(question), [hit(1, text, "Stöd", date="2009")], figures)
    assert answers[0].text == expected


def test_a_total_is_no_answer_to_a_rate_per_a_noun_its_sentence_never_names() -> None:
    text = "Köpeskillingen för kvarteren uppgick till cirka en miljard kronor."
    figures = {1: [figure(text, "en miljard kronor", 1e9, None)]}
    hits = [hit(1, text, "Kvarteren", date="2023")]
    total = rank_answers(analyze("Vad kostade kvarteren?"), hits, figures)[0]
    per_area = rank_answers(analyze("Vad kostade kvarteren per kvadratmeter?"), hits, figures)[0]
    assert per_area.why["factor"] <= total.why["factor"] / 2


def test_a_comma_gives_a_list_item_its_own_words() -> None:
    text = "Beläggningen i december är 95 procent i Sunderbyn, Piteå 86 procent, Kalix 96 procent."
    asked = ("piteå",)
    own = text.index("86")
    before = text.index("95")
    assert proximity(asked, text, own, own + 2) == 1.0
    assert proximity(asked, text, before, before + 2) == 0.0
    # words after a figure, before the comma, are still its own ("10,6 mnkr för investeringar, 38 mnkr")
    text = "Anslaget ger 10,6 mnkr för investeringar, 38 mnkr för hjälpmedel."
    assert proximity(("investering",), text, text.index("10,6"), text.index("10,6") + 4) == 1.0
    assert proximity(("investering",), text, text.index("38"), text.index("38") + 2) == 0.0


def test_a_place_in_a_list_of_figures_answers_for_its_own_figure() -> None:
    text = "Beläggningen i december på vårdavdelningarna i Sunderbyn är 95 procent, Piteå 86 procent."
    figures = {1: [figure(text, "95 procent", 95.0, None, kind=PERCENT),
                  figure(text, "86 procent", 86.0, None, kind=PERCENT)]}
    hits = [hit(1, text, "Beläggning", date="2019")]
    answers = rank_answers(analyze("beläggning Piteå december 2019"), hits, figures)
    assert answers[0].text == "86 procent"


def test_of_two_dates_in_one_sentence_the_one_of_the_asked_verb_answers() -> None:
    """"När stängdes …" is answered by the date in the clause of "stängdes", though the other date
    stands nearer the topic words; a date in another sentence gets nothing from the verb."""
    text = "Filialen i hamnen öppnades 2004 och stängdes 2016. Huvudbiblioteket stängdes aldrig."
    entities = [Entity(DATE, year, text.index(year), text.index(year) + 4, year) for year in ("2004", "2016")]
    ranked = rank_answers(analyze("När stängdes filialen i hamnen?"),
                          [hit(1, text, "Bibliotek", entities=entities)], {})
    assert [a.text for a in ranked[:2]] == ["2016", "2004"]
    assert ranked[0].why.get("verb") and not ranked[1].why.get("verb")
    opened = rank_answers(analyze("När öppnades filialen i hamnen?"),
                          [hit(1, text, "Bibliotek", entities=entities)], {})
    assert opened[0].text == "2004"


def test_a_body_named_by_its_place_must_be_named_near_the_answer() -> None:
    """"Västbys lasarett" names a body: a count for the place as a whole breaks the name, as a
    missing capitalised name does, while a sentence naming the hospital keeps its score."""
    question = analyze("Hur många operationer gjordes på Västbys lasarett 2023?")
    assert "lasaret" in question.names
    place = "Under 2023 gjordes cirka 9 000 operationer i Västby."
    named = "Under 2023 gjordes 4 100 operationer på Västbys lasarett."
    ranked = rank_answers(question, [hit(1, place, "Vård", date="2024-02-01"),
                                     hit(2, named, "Vård", date="2024-02-01")], {})
    factors = {a.text: a.why["factor"] for a in ranked}
    assert ranked[0].text == "4 100 operationer" and factors["4 100 operationer"] == 1.0
    assert factors["9 000 operationer"] <= 1.0 - 0.75 / 2


def test_a_rate_may_have_its_noun_between_figure_and_per() -> None:
    """"12 000 resor per vecka" is a rate as "12 000 per vecka" is; "per 30 juni", "per den" and
    "per april" say when, not per what."""
    def rate(sentence: str, figure: str) -> bool:
        return is_rate(sentence, sentence.index(figure) + len(figure))

    assert rate("Linjen har 12 000 resor per vecka.", "12 000")
    assert rate("Avgiften är 300 kr/timme.", "300 kr")
    assert not rate("Skulden var 40 mnkr per 30 juni.", "40 mnkr")
    assert not rate("Kön var 85 ärenden per april.", "85")
    assert not rate("Linjen hade 12 000 resenärer under året.", "12 000")


def test_money_from_the_state_is_the_receivers_figure_not_the_nations() -> None:
    def side(sentence: str, figure: str) -> int:
        start = sentence.index(figure)
        return region_side(sentence, start, start + len(figure))

    assert side("Bidrag från staten är 27,5 miljoner kronor högre än budgeterat.", "27,5") == 0
    assert side("Totalt avsätter staten 651 mkr till landsting och regioner.", "651") == -1


def test_a_question_checking_a_claim_takes_the_figure_it_states() -> None:
    first = "Regionen fick 30 mnkr för psykisk hälsa 2020."
    second = "För psykisk hälsa fick regionen 27 mnkr 2020."
    hits = [hit(1, first, "Psykisk hälsa"), hit(2, second, "Psykisk hälsa", file="001.txt")]
    figures = {1: [figure(first, "30 mnkr", 30e6, "2020", "received")],
               2: [figure(second, "27 mnkr", 27e6, "2020", "received")]}
    plain = rank_answers(analyze("Hur mycket fick regionen för psykisk hälsa 2020?"), hits, figures)
    assert plain[0].text == "30 mnkr"
    checked = rank_answers(
        analyze("Stämmer det att regionen fick 27 miljoner för psykisk hälsa 2020?"), hits, figures
    )
    assert checked[0].text == "27 mnkr" and checked[0].why["stated"] == WEIGHTS["stated"]
    assert "stated" not in checked[1].why


def test_only_a_question_checking_a_claim_states_figures() -> None:
    assert stated_values(analyze("Stämmer det att regionen fick 27 miljoner 2020?")) == ((27e6, "amount"),)
    assert stated_values(analyze("Stämmer det att räntan är 1,75 procent?")) == ((1.75, "percent"),)
    assert stated_values(analyze("Är det sant att nämnden hade 55 ärenden 2025?")) == ((55.0, "count"),)
    assert stated_values(analyze("Hur många fick mer än 100 000 kronor 2020?")) == ()
    # "2 av 3 patienter" states counts, no "3 %".
    claim = analyze("Stämmer det att 2 av 3 patienter fick vård?")
    sentence = "Andelen var 3 procent."
    share = Candidate("percent", "3 procent", 3.0, "%", sentence, 12, 21, None, None, None, 1, "Vård",
                      hit(1, sentence, "Vård"), 0)
    assert not states_value(claim, share)


def test_a_count_shows_the_noun_it_counts() -> None:
    text = "Studierna bör omfatta högst 30 högskolepoäng inom sådan utbildning."
    question = analyze("Hur många högskolepoäng får studierna omfatta?")
    reply = build_reply(question, [hit(1, text, "Studier")], {})
    assert reply.answer is not None and (reply.answer.text, reply.answer.value) == ("30 högskolepoäng", 30.0)
    assert reply.answer.sentence[reply.answer.start : reply.answer.end] == "30"


def test_a_count_before_a_longer_noun_phrase_shows_no_modifier_alone() -> None:
    text = "Hamnen skyddar 40 privata fastighetsägare i byn."
    question = analyze("Hur många privata fastighetsägare skyddas av hamnen?")
    reply = build_reply(question, [hit(1, text, "Hamn")], {})
    assert reply.answer is not None and reply.answer.text == "40"


def test_a_date_in_a_relative_clause_after_the_figure_does_not_date_it() -> None:
    text = "För 2017 erhöll Region Västland för sitt arbete 10,6 mkr som kan användas 2018."
    dates = [Entity("DATE", y, text.index(y), text.index(y) + 4, y, f"{y}-01-01", f"{y}-12-31")
             for y in ("2017", "2018")]
    hits = [hit(1, text, "Cancervården", date="2018-03-01", entities=dates)]
    figures = {1: [figure(text, "10,6 mkr", 10.6e6, "2018", "received")]}
    ranked = rank_answers(analyze("Hur mycket fick regionen för cancervården 2017?"), hits, figures)
    assert ranked[0].text == "10,6 mkr" and ranked[0].why["year"] == WEIGHTS["year"]
