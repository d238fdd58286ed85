"""Figures bound to what they measure: measure phrase, basis, sign and unsettled figures (pure)."""

from __future__ import annotations

import pytest
from rapportsok.index.answer import build_reply, calibrated
from rapportsok.index.answer_config import AnswerConfig
from rapportsok.index.evidence import asks_change, is_change
from rapportsok.index.question import analyze
from rapportsok.index.results import Hit
from rapportsok.ingest.figures import figures_from_text
from rapportsok.ingest.records import AMOUNT, Entity, Figure
from rapportsok.lang.cues import find_cue
from rapportsok.lang.measures import figure_basis, figure_measure, is_change_word, is_negative, is_unsettled

TWO = "Nämnden redovisar ett resultat om 12 mnkr och det egna kapitalet uppgår till 40 mnkr."


def span(sentence: str, text: str) -> tuple[int, int]:
    start = sentence.index(text)
    return start, start + len(text)


@pytest.mark.parametrize(
    ("sentence", "figure", "measure"),
    [
        (TWO, "12", "resultat"),
        (TWO, "40", "egna kapitalet"),
        ("Årets resultat är 596 mnkr.", "596", "årets resultat"),
        ("Enkäten besvarades med 70 procents svarsfrekvens.", "70", "svarsfrekvens"),
        ("Regionen har 120 sjuksköterskor i tjänst.", "120", "sjuksköterskor"),
        ("Det orealiserade värdet per januari är 421 mnkr.", "421", "orealiserade värdet"),
        ("Telefontillgängligheten (0:an i vårdgarantin) uppgår till 78,4 procent.", "78,4",
         "telefontillgängligheten"),
        ("Sjukfrånvaron minskar från 4,97 procent till 4,52 procent.", "4,52", "sjukfrånvaron"),
        # A change word says how it changed, not what: that stands before or after it.
        ("Antalet besök har ökat med 12 procent.", "12", "antalet besök"),
        ("Nämnden redovisar en ökning av intäkterna med 5 mnkr.", "5", "intäkterna"),
        ("Driftkostnaden uppgick till 80 mnkr, vilket är en ökning med 6 mnkr jämfört med 2018.", "6",
         "driftkostnaden"),
        # A compound that begins with a change word is what is measured; a change before the
        # reporting verb qualifies the subject, and the measure follows the verb as usual.
        ("Kostnaden för förändringsarbetet uppgick till 3 mnkr.", "3", "kostnaden förändringsarbetet"),
        ("Den minskade sjukfrånvaron gav 3 mnkr lägre kostnader.", "3", "lägre kostnader"),
        ("Idag är insatskapitalet 40 kr/invånare, totalt 10,2 mnkr.", "10,2", "insatskapitalet"),
        ("Resultatet fortsätter att utvecklas och var för januari 42 mnkr.", "42", "resultatet fortsätter"),
        # "Utöver"/"förutom" X: the figure is something besides X; it is named after the figure.
        ("Utöver de fasta tjänsterna finns också 35 timanställda vikarier.", "35", "timanställda vikarier"),
        ("Förutom hyran betalade nämnden 2 mnkr för städning.", "2", "städning"),
        # Only a passive supine follows "har": what it says of is the subject before.
        ("Kommunens bilar har körts 1 000 km och privata bilar i tjänsten har körts 170 km.", "170",
         "privata bilar tjänsten"),
    ],
)
def test_the_measure_is_the_noun_phrase_it_quantifies(sentence: str, figure: str, measure: str) -> None:
    assert figure_measure(sentence, *span(sentence, figure)) == measure


def test_basis_and_sign_are_read_from_the_words() -> None:
    loss = "Divisionerna redovisar ett negativt resultat om 290 mnkr."
    assert is_negative(loss, *span(loss, "290"))
    assert not is_negative(TWO, *span(TWO, "12"))
    change = "Kostnaderna ökade med 5 mnkr."
    assert figure_basis(change, *span(change, "5")) == "förändring"
    assert figure_basis(TWO, *span(TWO, "40")) == "utfall"
    scope = "Skolverket arbetade inom ramen för 89 uppdrag."
    assert figure_basis(scope, *span(scope, "89")) == "utfall"
    assert find_cue(scope, *span(scope, "89")) is None
    frame = "Investeringsramen är 89 mnkr."
    assert figure_basis(frame, *span(frame, "89")) == "budget" == find_cue(frame, *span(frame, "89"))
    share = "Svarsfrekvensen var 70 procent."
    assert figure_basis(share, *span(share, "70"), percent=True) == "andel"


@pytest.mark.parametrize(
    ("word", "change"),
    [
        ("minskade", True),
        ("ökad", False),  # an adjective: "satsar på ökad tillgänglighet med 5 mnkr" is a level
        ("rökning", False),
        ("oförändrad", False),
        ("kostnadsökningen", True),
        ("ramminskning", True),
        ("förändringsarbetet", False),
        ("ökningstakten", False),
        ("sökningar", False),
        ("ansökningar", False),
        ("undersökningen", False),
        ("besökare", False),
    ],
)
def test_change_words_are_inflected_forms_or_a_compounds_tail_never_a_search(word: str, change: bool) -> None:
    assert is_change_word(word) is change


def test_one_change_vocabulary_serves_the_basis_the_figure_and_the_question() -> None:
    applications = "Antalet ansökningar på 1 200 var fler än väntat."
    assert figure_basis(applications, *span(applications, "1 200")) == "utfall"
    assert not is_change(applications, *span(applications, "1 200"))
    rise = "Det blev en kostnadsökning på 12 mnkr."
    assert figure_basis(rise, *span(rise, "12")) == "förändring"
    assert is_change(rise, *span(rise, "12"))
    reached = "Kapaciteten ökas från 120 till ca 160 barn."
    assert figure_basis(reached, *span(reached, "160")) == "utfall"
    rose = "Ökningen uppgick till 12 mnkr jämfört med 2019."
    assert figure_basis(rose, *span(rose, "12")) == "förändring"
    for level in ("Andelen med daglig rökning var 12 procent.", "Hyran är oförändrad på 12 kr.",
                  "Kostnaden för organisationsförändringen var 12 mnkr."):
        assert figure_basis(level, *span(level, "12")) == "utfall"
    invest = "Nämnden satsar på ökad tillgänglighet med 5 mnkr."
    assert not is_change(invest, *span(invest, "5"))
    assert asks_change(analyze("Hur stor var kostnadsökningen 2024?"))
    assert not asks_change(analyze("Hur många ansökningar kom in 2024?"))


def test_a_comparative_after_hur_mycket_asks_for_the_difference() -> None:
    # "hur mycket mer X än budgeterat" asks for the difference, not for either level.
    assert asks_change(analyze("Hur mycket mer statsbidrag än budgeterat fick nämnden 2019?"))
    assert asks_change(analyze("Hur mycket högre än budget blev intäkterna 2019?"))
    assert asks_change(analyze("Hur många färre platser finns i år?"))
    assert not asks_change(analyze("Hur mycket statsbidrag fick nämnden 2019?"))
    assert not asks_change(analyze("Hur många fick mer pengar 2019?"))


def test_ingest_stores_measure_basis_and_a_negative_value() -> None:
    text = "Divisionerna redovisar ett negativt resultat om 290 mnkr. " + TWO
    entities = [
        Entity(AMOUNT, m, text.index(m), text.index(m) + len(m), value)
        for m, value in (("290 mnkr", 290e6), ("12 mnkr", 12e6), ("40 mnkr", 40e6))
    ]
    figures = figures_from_text(text, entities, document_date="2020")
    assert [(f.value, f.measure, f.basis) for f in figures] == [
        (-290e6, "negativt resultat", "utfall"),
        (12e6, "resultat", "utfall"),
        (40e6, "egna kapitalet", "utfall"),
    ]


def test_unsettled_sentences() -> None:
    assert is_unsettled("Kostnaden beräknas till 876 miljarder kronor men finansieringen är inte beslutad.")
    assert is_unsettled("Summan är ännu oklar.")
    assert is_unsettled("Inom den nationella ramen om 2 miljarder kronor.")
    assert not is_unsettled("Årets resultat är 596 mnkr.")


def _hit(text: str, organisation: str | None = None, file: str = "rapport.pdf") -> Hit:
    return Hit(1, f"/corpus/{file}", "Årsredovisning", "2020-02-01", 2, "Ekonomi", text, 1.0,
               organisation=organisation)


def _figures(sentence: str, *texts: tuple[str, float], kind: str = AMOUNT) -> list[Figure]:
    out = []
    for text, value in texts:
        start, end = span(sentence, text)
        out.append(Figure(kind, value, "kr" if kind == AMOUNT else "%", text, sentence, start, end, "2019",
                          measure=figure_measure(sentence, start, end)))
    return out


def test_the_figure_next_to_the_asked_noun_answers_not_the_first() -> None:
    figures = {1: _figures(TWO, ("12 mnkr", 12e6), ("40 mnkr", 40e6))}
    reply = build_reply(analyze("Hur stort var det egna kapitalet 2019?"), [_hit(TWO)], figures)
    assert reply.answer is not None and reply.answer.value == 40e6
    reply = build_reply(analyze("Hur stort var nämndens resultat 2019?"), [_hit(TWO)], figures)
    assert reply.answer is not None and reply.answer.value == 12e6


def test_a_change_is_bound_to_what_changed_not_to_the_change_verb() -> None:
    """"Hur mycket ökade X" asks for X's change: a change of another noun that only shares the
    verb ("kostnaden per elev har ökat") is not bound to X, and "vilket är en ökning med" is."""
    rate = "Lokalkostnaden per elev har alltså ökat kraftigt, med 9 procent."
    level = "Lokalkostnaderna för skolorna uppgick till 310 mnkr, vilket är en ökning med 24 mnkr sedan 2018."
    figures = {1: _figures(rate, ("9 procent", 9.0), kind="percent"),
               2: _figures(level, ("310 mnkr", 310e6), ("24 mnkr", 24e6))}
    hits = [_hit(rate),
            Hit(2, "/corpus/rapport.pdf", "Årsredovisning", "2020-02-01", 3, "Ekonomi", level, 0.9)]
    reply = build_reply(analyze("Hur mycket ökade lokalkostnaderna för skolorna 2019?"), hits, figures)
    assert reply.answer is not None and reply.answer.value == 24e6


def test_a_count_never_comes_from_a_percentage_or_a_label() -> None:
    sentence = "Enkäten till elever i åk 5 besvarades av 412 elever med 70 procents svarsfrekvens."
    reply = build_reply(analyze("Hur många elever besvarade enkäten 2019?"), [_hit(sentence)], {})
    assert reply.answer is not None and reply.answer.value == 412


def test_an_undecided_figure_is_not_the_answer() -> None:
    sentence = "Kostnaden för banan beräknas till 876 miljarder kronor men finansieringen är inte beslutad."
    figures = {1: _figures(sentence, ("876 miljarder kronor", 876e9))}
    reply = build_reply(analyze("Hur mycket kostade banan 2019?"), [_hit(sentence)], figures)
    assert reply.answer is None
    assert reply.passages


def test_a_loss_asked_by_name_is_answered_with_its_size() -> None:
    sentence = "Divisionerna redovisar ett negativt resultat om 290 mnkr."
    figures = {1: [Figure(AMOUNT, -290e6, "kr", "290 mnkr", sentence, *span(sentence, "290 mnkr"), "2019",
                          measure="negativt resultat")]}
    reply = build_reply(analyze("Hur stort underskott hade divisionerna 2019?"), [_hit(sentence)], figures)
    assert reply.answer is not None and reply.answer.value == 290e6


def test_the_organisation_is_matched_against_the_report_not_the_passage() -> None:
    sentence = "Kommunens resultat för 2019 uppgår till 55 mnkr."
    figures = {1: _figures(sentence, ("55 mnkr", 55e6))}
    question = analyze("Vad blev resultatet i Nacka kommun 2019?")
    assert len(question.organisations) == 1
    assert not set(question.organisations) & set(question.terms)
    own = build_reply(question, [_hit(sentence, organisation="Nacka kommun")], figures)
    assert own.answer is not None and own.answer.value == 55e6
    other = build_reply(question, [_hit(sentence, organisation="Vansbro kommun")], figures)
    assert other.answer is None or other.answer.confidence < own.answer.confidence


def test_two_close_answers_that_disagree_make_the_reply_uncertain() -> None:
    first = "Årets resultat uppgår till 596 mnkr."
    second = "Årets resultat uppgår till 610 mnkr."
    hits = [_hit(first), Hit(2, "/corpus/b.pdf", "Årsredovisning", "2020-02-01", 4, "Ekonomi", second, 0.99)]
    figures = {1: _figures(first, ("596 mnkr", 596e6)), 2: _figures(second, ("610 mnkr", 610e6))}
    reply = build_reply(analyze("Vad blev årets resultat 2019?"), hits, figures)
    assert reply.uncertain
    assert {reply.answer.value, reply.alternatives[0].value} == {596e6, 610e6}


def test_calibration_rises_with_raw_confidence_and_margin() -> None:
    config = AnswerConfig(calibration=(-2.0, 4.0, 2.0))
    assert calibrated(0.9, 0.0, config) > calibrated(0.6, 0.0, config)
    # A close call with another figure is less sure than a clear win at the same raw score.
    assert calibrated(0.9, 0.3, config) > calibrated(0.9, 0.01, config)
    # Margins past the cap say nothing more.
    assert calibrated(0.9, 5.0, config) == calibrated(0.9, config.margin_cap, config)
    assert calibrated(0.55, 0.1, AnswerConfig(calibration=())) == 0.55


def test_calibration_is_fitted_on_the_calib_split_only() -> None:
    from rapportsok.tools.qa_calibration import fit_calibration

    records = [
        {"split": "calib", "not_found": False, "raw_confidence": raw, "margin": margin, "right": right}
        for raw, margin, right in (
            (0.4, 0.0, False), (0.5, 0.05, False), (0.9, 0.01, False), (0.7, 0.2, True), (0.9, 0.3, True),
            (0.95, 0.25, True),
        )
    ]
    intercept, raw_weight, margin_weight = fit_calibration(records)
    assert raw_weight > 0 and margin_weight > 0
    # Dev and test records that contradict the calib data change nothing: dev has been tuned on
    # (its answers look better than they are) and test stays held out.
    for split in ("dev", "test"):
        records.append(
            {"split": split, "not_found": False, "raw_confidence": 0.99, "margin": 0.3, "right": False}
        )
    assert fit_calibration(records) == (intercept, raw_weight, margin_weight)
    # Without calib records there is nothing to fit (dev records alone are not used).
    with pytest.raises(ValueError, match="kalibreringsdelen"):
        fit_calibration([dict(r, split="dev") for r in records])


@pytest.mark.parametrize(
    ("question", "sentence", "span"),
    [
        ("Vilket system ska VISUS ersätta?", "VISUS ska ersätta dagens system VAS under 2021.", "VAS"),
        ("Vilket försäkringsbolag fick avtalet?", "Avtalet har tecknats med Folksam i år.", "Folksam"),
        ("Vilken nämnd beslutade att bojkotta varor?",
         "Under året beslutade nämnden för inköp och upphandling att bojkotta varor.",
         "nämnden för inköp och upphandling"),
        ("Vilken leverantör drabbades av angreppet?", "Leverantören Miljödata drabbades av ett angrepp.",
         "Miljödata"),
        # A company by its legal form, though it opens the sentence and is named again later.
        ("Vilket fastighetsbolag vill köpa skolan?",
         "Ekbacken Bostäder AB (nedan Ekbacken) vill förvärva skolan i Åby.", "Ekbacken Bostäder AB"),
        ("Vilket fastighetsbolag vill köpa skolan?",
         "Enligt Ekbacken Bostäder AB vill bolaget förvärva skolan i Åby.", "Ekbacken Bostäder AB"),
    ],
)
def test_a_which_question_is_answered_with_the_span(question: str, sentence: str, span: str) -> None:
    reply = build_reply(analyze(question), [_hit(sentence)], {})
    assert reply.answer is not None
    assert reply.answer.text == span
    assert reply.answer.sentence == sentence
    assert sentence[reply.answer.start : reply.answer.end] == span


def test_a_rate_asked_per_a_noun_is_named_in_the_sentence_or_its_abbreviation() -> None:
    from rapportsok.lang.measures import names_rate, rate_asked

    assert rate_asked("Vad kostade köpet per kvadratmeter?") == "kvadratmeter"
    assert rate_asked("Vad kostade köpet?") is None
    assert rate_asked("divisionernas resultat per mars 2021") is None  # when, not per what
    assert names_rate("Priset var 30 000 kr/kvm.", "kvadratmeter")
    assert names_rate("Kostnaden per elev var 95 000 kronor.", "elev")
    assert not names_rate("Köpeskillingen uppgick till en miljard kronor.", "kvadratmeter")

