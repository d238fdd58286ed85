"""Names, roles and headings as candidate answers to "vem" and open questions (pure: no model, no store)."""

from __future__ import annotations

import pytest
from rapportsok.index.answer import rank_answers
from rapportsok.index.candidates import (
    asks_person,
    full_name,
    person_candidates,
    quantity_candidates,
    sentence_candidates,
)
from rapportsok.index.evidence import asked_organs, asked_roles, names_role, names_the_doer
from rapportsok.index.question import analyze
from rapportsok.index.results import Hit
from rapportsok.ingest.records import DATE, Entity
from rapportsok.lang.cues import PLANNED
from rapportsok.lang.roles import is_name_word, is_role


def hit(chunk_id: int, text: str, section: str, organisation: str | None = None) -> Hit:
    return Hit(chunk_id, "/corpus/arsredovisning_2024.pdf", "Årsredovisning", "2024-12-31", 3, section, text,
               1.0 / chunk_id, [], organisation=organisation)


def names(text: str, section: str = "Styrelsen") -> dict[str, str | None]:
    """Each name candidate of a passage with the role bound to it."""
    return {c.text: c.measure for c in person_candidates(hit(1, text, section), 0)}


@pytest.mark.parametrize("word", ["Bedömning", "Verksamhetsmål", "Rapportperiod", "Wernermuseet",
                                  "Ordförande", "Förvaltningschef", "Kvalitet"])
def test_common_nouns_and_roles_are_no_name_words(word: str) -> None:
    assert not is_name_word(word)


@pytest.mark.parametrize("word", ["Charlotta", "Wasteson", "Bo", "Könberg", "Eliasson", "Sjöström",
                                  "Anna-Karin"])
def test_names_are_name_words(word: str) -> None:
    assert is_name_word(word)


def test_role_nouns_with_compounds_and_inflections() -> None:
    assert all(is_role(w) for w in ["ordförande", "Generaldirektör", "förvaltningschefen", "riksbankschef"])
    assert not is_role("chefläkare") and not is_role("ordning")


def test_table_headers_in_name_shape_are_no_names() -> None:
    text = "Ekonomin sätter gränsen för verksamhetens omfattning Verksamhetsmål Bedömning Kommunen ska"
    assert names(text) == {}


def test_name_in_a_member_list_with_its_role() -> None:
    found = names("Ledamöter:\n\nBo Könberg, ordförande\n\nTomas Berg\n\nKerstin Lind, vice ordförande")
    # A list line counts as a name only with a role bound to it; "vice ordförande" is another role.
    assert found == {"Bo Könberg": "ordförande"}


def test_role_before_the_name_and_in_prose() -> None:
    assert names("Ordförande: Charlotta Wasteson (L)\n\nFörvaltningschef: Gunilla Berg") == {
        "Charlotta Wasteson": "Ordförande", "Gunilla Berg": "Förvaltningschef"}
    assert names("Det sade riksbankschefen Erik Thedéen i april.") == {"Erik Thedéen": "riksbankschefen"}
    assert names("Under året tilldelades Petra Damm priset.") == {"Petra Damm": None}


def test_signature_binds_the_role_on_the_next_line() -> None:
    passage = hit(1, "Norrköping den 22 februari 2010\n\nDan Eliasson\n\nGeneraldirektör", "Undertecknande")
    [candidate] = person_candidates(passage, 0)
    assert (candidate.text, candidate.measure) == ("Dan Eliasson", "Generaldirektör")
    assert candidate.sentence == "Dan Eliasson\n\nGeneraldirektör"
    assert candidate.sentence[candidate.start : candidate.end] == "Dan Eliasson"


def test_agent_of_a_passive_verb_is_a_name() -> None:
    assert names("Arbetet påbörjades 2020 och genomfördes av PwC under januari 2021.") == {"PwC": None}
    assert names("• Integrera Regional överenskommelse i arbetet") == {}


def test_a_speaker_with_a_party_label_is_a_name_even_where_the_sentence_opens() -> None:
    minutes = "Mats Ekberg (M) yrkade att ärendet bordläggs.\n\nArne Lind reserverar sig."
    assert names(minutes) == {"Mats Ekberg": None}


def test_the_name_that_did_what_is_asked_wins() -> None:
    question = analyze("Vem yrkade att ärendet om skolan skulle bordläggas?")
    minutes = hit(1, "Ett ärende om skolan har väckts av Anna Berg (S) i nämnden. Mats Ekberg (M) yrkade att "
                  "ärendet om skolan bordläggs.", "Yrkanden")
    mover, other = sorted(person_candidates(minutes, 0), key=lambda c: c.text != "Mats Ekberg")
    assert names_the_doer(question, mover) and not names_the_doer(question, other)
    assert not names_the_doer(analyze("Vem är ordförande i nämnden?"), mover)
    assert rank_answers(question, [minutes], {})[0].text == "Mats Ekberg"


def test_a_name_must_hold_the_asked_role() -> None:
    question = analyze("Vem är ordförande i kulturnämnden?")
    assert asked_roles(question) == ("ordför",)
    passage = hit(1, "Ordförande: Anna Berg (S)\n\nPriset gick till Petra Damm.", "Kulturnämnden")
    chair, winner = person_candidates(passage, 0)
    assert names_role(question, chair) and not names_role(question, winner)
    assert names_role(analyze("Vem fick kulturpriset?"), winner)


def test_chairman_beats_a_prize_winner_of_a_better_passage() -> None:
    question = analyze("Vem är ordförande i kultur- och fritidsnämnden?")
    body = "Kultur- och fritidsnämnden"  # the report's organisation: the nämnd whose report it is
    prize = hit(1, "Kultur- och fritidsnämndens kulturpris tilldelades Petra Damm för hennes arbete.",
                "Kultur- och fritidsnämnden › Priser", body)
    front = hit(6, "Verksamhetsberättelse\n\nOrdförande: Charlotta Wasteson (L)", "Verksamhetsberättelse",
                body)
    best = rank_answers(question, [prize, front], {})[0]
    assert best.text == "Charlotta Wasteson"


def test_list_line_takes_its_heading_as_subject() -> None:
    question = analyze("Vem var ordförande i styrelsen 2015?")
    text = ("Styrelsen 2015\n\nLedamöter:\n\nBo Könberg, ordförande\n\nKerstin Lind, vice ordförande\n\n"
            "Styrelsen har ett utskott, i vilket Kerstin Lind är ordförande sedan 2015.")
    best = rank_answers(question, [hit(1, text, "Styrelsen › Styrelsen 2015")], {})[0]
    assert best.text == "Bo Könberg"


def test_first_sentence_under_the_heading_says_what_the_heading_names() -> None:
    question = analyze("Vad är regionens vision?")
    text = ("Vision\n\nTillsammans för länet – bästa livet, bästa hälsan.\n\n"
            "Visionen är vägledande för allt arbete.")
    candidates = sentence_candidates(hit(1, text, "Styrning › Vision"), 0, 4, question)
    assert [c.heading for c in candidates] == ["Vision", None]
    best = rank_answers(question, [hit(1, text, "Styrning › Vision")], {})[0]
    assert best.sentence.startswith("Tillsammans för länet")


def test_a_date_to_come_answers_when_something_shall_be_done() -> None:
    question = analyze("När ska utredningen om museet vara klar?")
    assert question.cue == PLANNED and analyze("När öppnade museet?").cue is None
    text = ("Den 22 december 2020 tillsatte regeringen en särskild utredare för museet. "
            "Uppdraget ska redovisas senast den 30 september 2021.")
    due = text.index("30 sep")
    entities = [Entity(DATE, "22 december 2020", 4, 20, "2020-12-22"),
                Entity(DATE, "30 september 2021", due, due + 17, "2021-09-30")]
    section = "Utredningen om museet"
    passage = Hit(1, "/corpus/a.pdf", "Rapport", "2021-05-05", 3, section, text, 1.0, entities)
    assert rank_answers(question, [passage], {})[0].text == "30 september 2021"


def test_the_role_must_be_of_the_body_asked_for() -> None:
    question = analyze("Vem är ordförande i regionstyrelsen?")
    assert asked_organs(question) == ("regionstyr",)
    assert asked_organs(analyze("Vad heter förvaltningschefen för kultur och fritid?")) == ()
    nämnd = hit(1, "Ordförande: Anna Berg (S)", "Kulturnämnden › Verksamhetsberättelse")
    styrelse = hit(2, "Ordförande: Karin Lund (M)", "Regionstyrelsen › Ledamöter")
    assert not names_role(question, person_candidates(nämnd, 0)[0])
    assert names_role(question, person_candidates(styrelse, 0)[0])


def test_a_bare_nämnden_is_answered_by_the_nämnd_its_heading_names() -> None:
    question = analyze("Vilken nämnd beslutade att bojkotta varor 2024?")
    text = "Nämnden beslutade den 13 juni 2024 att bojkotta varor från vissa stater."
    section = "Granskning › Kritik riktas till inköps- och upphandlingsnämnden › Beslutet"
    [candidate] = sentence_candidates(hit(1, text, section), 0, 4, question)
    assert candidate.text == "inköps- och upphandlingsnämnden"
    assert candidate.sentence[candidate.start : candidate.end] == "Nämnden"
    # A sentence that names the nämnd itself keeps its own words.
    own = "Kulturnämnden beslutade den 13 juni 2024 att bojkotta varor."
    assert sentence_candidates(hit(1, own, section), 0, 4, question)[0].text == "Kulturnämnden"


def test_a_short_list_line_names_the_asked_kind_of_thing() -> None:
    question = analyze("Vilken SGLT-2-hämmare rekommenderas vid diabetes?")
    text = "Diabetes\n\nDPP-4-hämmare Januvia\n\nSGLT-2-hämmare Jardiance\n\nBör erbjudas vid sjukdom"
    found = [c.text for c in sentence_candidates(hit(1, text, "Läkemedel › Diabetes"), 0, 4, question)]
    # A short line counts only when it names the asked noun and a name.
    assert found == ["Jardiance", "Bör erbjudas vid sjukdom"]


def test_the_name_the_asked_noun_stands_before_is_of_the_asked_kind() -> None:
    question = analyze("Vilken leverantör drabbades av cyberangreppet?")
    text = ("Intraservice arbetar för att återstarta systemen.\n\n"
            "• Gallring av uppgifter har genomförts i systemet\n\n"
            "Penetrationstest av leverantören Miljödata genomförs efter cyberangreppet.")
    found = {c.text: c.measure for c in sentence_candidates(hit(1, text, "Åtgärder"), 0, 4, question)}
    # A list item's first word is capitalised as any sentence's; the apposition names the supplier.
    assert found["Miljödata"] == "leverantören" and "Gallring" not in found
    assert rank_answers(question, [hit(1, text, "Åtgärder")], {})[0].text == "Miljödata"


def test_a_number_with_a_physical_unit_answers_a_keyword_question() -> None:
    question = analyze("energianvändning kommunens lokaler 2009")
    text = ("Energianvändningen till kommunens lokaler var 2009, 13508 MWh, fördelat på 61294 m2 BRA. "
            "Målet är att minska användningen med 5% till 2015.")
    found = [(c.text, c.unit) for c in quantity_candidates(hit(1, text, "Energi"), 0)]
    assert found == [("13508 MWh", "MWh"), ("61294 m2", "m2")]
    assert rank_answers(question, [hit(1, text, "Energi")], {})[0].text == "13508 MWh"


def test_a_first_part_of_the_role_is_not_the_role() -> None:
    question = analyze("Vem är kommundirektör i kommunen?")
    address = hit(1, "Brevet skickas till Anna Berg på kommunens kansli.", "Kontakt")
    director = hit(2, "Brevet skickas till direktör Anna Berg på kommunens kansli.", "Kontakt")
    assert not names_role(question, person_candidates(address, 0)[0])
    assert names_role(question, person_candidates(director, 0)[0])
    assert names("Nacka kommun, 131 81 Nacka Stadshuset, Granitvägen 15") == {}


def test_a_duration_answers_a_question_about_a_time() -> None:
    question = analyze("genomsnittlig vistelsetid i mottagningssystemet 2009")
    text = ("Vid utgången av 2009 var vistelsetiden i mottagningssystemet i genomsnitt 487 dagar. "
            "Andelen med avslag har ökat med 9 procent.")
    passage = hit(1, text, "Mottagning")
    assert [c.text for c in quantity_candidates(passage, 0)] == []
    assert [c.text for c in quantity_candidates(passage, 0, durations=True)] == ["487 dagar"]
    assert rank_answers(question, [hit(1, text, "Mottagning")], {})[0].text == "487 dagar"


def test_a_quantity_in_the_unit_of_the_asked_substance_wins() -> None:
    question = analyze("Hur mycket koldioxid släppte bilarna ut 2009?")
    text = "Bilarna har under 2009 körts 1 043 518 km, vilket motsvarar 224,59 ton CO2 från bilarna."
    found = [(c.text, c.unit) for c in quantity_candidates(hit(1, text, "Bilar"), 0)]
    assert found == [("1 043 518 km", "km"), ("224,59 ton CO2", "ton CO2")]
    assert rank_answers(question, [hit(1, text, "Bilar")], {})[0].text == "224,59 ton CO2"


def test_a_span_of_days_answers_under_which_period() -> None:
    question = analyze("Under vilken period ska kända revir besökas?")
    entities = [Entity(DATE, "september", 60, 69, "--09")]
    text = "Kända revir ska besökas årligen under perioden 1 januari–15 september. Nya besöks i april."
    passage = Hit(1, "/corpus/f.pdf", "F", "2024-12-31", 3, "Metoder", text, 1.0, entities)
    best = rank_answers(question, [passage], {})[0]
    assert (best.text, best.value) == ("1 januari–15 september", "--01-01/--09-15")


def test_a_public_body_opening_a_sentence_answers_who() -> None:
    question = analyze("Vem kritiserade konsekvensutredningen i promemorian?")
    text = ("Regelrådet anser att konsekvensutredningen i promemorian är bristfällig. "
            "Remissinstanserna tillstyrker i huvudsak förslagen.")
    assert names(text) == {"Regelrådet": None}
    assert rank_answers(question, [hit(1, text, "Konsekvenser")], {})[0].text == "Regelrådet"


def test_the_agent_after_a_particle_whole_and_not_what_the_question_names() -> None:
    question = analyze("Vem har tagit fram Green Bond Principles?")
    text = ("Ramverket bygger på Green Bond Principles. Green Bond Principles har tagits fram av "
            "International Capital Market Association (ICMA), en organisation för kapitalmarknaden.")
    assert "International Capital Market Association" in names(text)
    assert "International Capital Market" not in names(text)
    assert rank_answers(question, [hit(1, text, "Finansiering")], {})[0].text == (
        "International Capital Market Association")


def test_the_asked_noun_after_som_names_what_the_span_is() -> None:
    question = analyze("Vilken företagshälsovård anlitar förvaltningen från april?")
    text = ("Arbetsgivaren ska anlita företagshälsovård om kompetens saknas i den egna verksamheten. "
            "Från och med april kommer förvaltningen att anlita Pe3 som företagshälsovårdsleverantör.")
    best = rank_answers(question, [hit(1, text, "Arbetsmiljö")], {})[0]
    assert (best.text, best.measure) == ("Pe3", "företagshälsovårdsleverantör")


def test_vad_heter_asks_for_the_name_its_noun_names_not_the_organisation_it_names() -> None:
    question = analyze("Vad heter Skatteverkets projekt för en ny e-tjänst?")
    text = ("Skatteverket har därför startat projektet Navet, som ska ta fram en ny e-tjänst. "
            "Skatteverket har arbetat med e-tjänster i tio år.")
    best = rank_answers(question, [hit(1, text, "Utveckling")], {})[0]
    assert (best.text, best.measure) == ("Navet", "projektet")


def test_a_surname_gets_the_one_given_name_the_report_prints_with_it() -> None:
    signed = "Stockholm den 27 juni 2013\n\nAnna Lindkvist\n\nPer Björkman (Utbildningsdepartementet)"
    assert full_name("Björkman", signed + "\n\nNärvarande: statsråden Björkman, Lindkvist.") == "Per Björkman"
    assert full_name("Larsson", "Anna Larsson och Per Larsson var där.") is None  # two people
    assert full_name("Björkman", "Enligt Björkman. Sedan talade Björkman.") is None  # sentence case only
    assert full_name("Per Björkman", signed) is None  # already a full name
    assert full_name("Sverige", "Statistiska Sverige") is None  # an adjective, no given name
    assert asks_person(analyze("Vilket statsråd skrev under propositionen?"), "sentence")
    assert not asks_person(analyze("Vilket system ska ersättas?"), "sentence")
