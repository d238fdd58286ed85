"""Answers to Swedish questions: the exact figure, the sentence it stands in and its source, or "not found".

Pure: it takes the analysed question, the ranked passages (`Hit`s from hybrid search) and the figures
stored for those passages, gets the candidates (index/candidates.py), weighs the evidence about each
(index/evidence.py) with the weights of `AnswerConfig` (index/answer_config.py) into the transparent
sum of `score_candidate`, and builds the `Reply`. Every term of the sum is kept in `Answer.why`, so a
user (and a test) can see why the top answer won. The reply is data; the faces say it in Swedish
(app/replies.py).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from rapportsok.index.answer_config import DEFAULT_CONFIG, AnswerConfig
from rapportsok.index.candidates import SENTENCE, Candidate, asks_name, candidates_for
from rapportsok.index.evidence import (
    TermWeights,
    asks_change,
    asks_nation,
    asks_negative,
    asks_rate,
    counts_asked_noun,
    coverage,
    dates_the_verb,
    division_matches,
    is_change,
    is_earlier,
    is_first_figure,
    is_part,
    is_period_part,
    is_rate,
    measure_match,
    names_counted,
    names_role,
    names_share,
    names_the_doer,
    naming_counted,
    organisation_evidence,
    organisation_stems,
    other_place_nearer,
    period_evidence,
    proximity,
    region_side,
    states_value,
    steer_hits,
    stem_set,
    stems,
    term_weights,
    topic_share,
)
from rapportsok.index.question import (
    AMOUNT,
    COUNT,
    DATE,
    DIVISION,
    FIGURE,
    FIGURE_KINDS,
    PERSON,
    Question,
)
from rapportsok.index.results import Answer, Hit, Reply
from rapportsok.index.table_answers import (
    exact_first,
    other_sources,
    table_candidates,
    total_asked,
    unasked_row_share,
)
from rapportsok.ingest.records import Figure
from rapportsok.lang.cues import BUDGET, PLANNED, asks_past, bound_asked, bound_before
from rapportsok.lang.measures import AVVIKELSE, FORANDRING, asked_unit, is_unsettled, names_rate, rate_asked


def score_candidate(
    question: Question, candidate: Candidate, weights: TermWeights | None = None,
    config: AnswerConfig = DEFAULT_CONFIG,
) -> dict[str, float]:
    """Every scoring term for one candidate (the `why` of an answer); their sum is the score.
    `weights` (from `term_weights`) let rare topic terms count more than common ones."""
    weight = config.weights
    why: dict[str, float] = {}
    if question.kind in FIGURE_KINDS and candidate.kind in FIGURE_KINDS:
        why["type"] = weight["type"] * (1.0 if candidate.kind == question.kind else -1.0)
    elif question.asks_figure and candidate.kind == FIGURE:
        why["type"] = -0.5 * weight["type"]  # a table cell whose unit nobody states
    elif question.kind in (DATE, PERSON, DIVISION) and candidate.kind == question.kind:
        why["type"] = weight["type"]
    elif question.kind == FIGURE and candidate.unit and (units := asked_unit(question.text)):
        # A quantity in the unit of what is asked ("ton CO2" for "hur mycket koldioxid"), or in another.
        why["type"] = weight["type"] * (1.0 if units.search(candidate.unit) else -1.0)
    elif candidate.kind == SENTENCE and candidate.measure:
        # A span that the asked noun names ("leverantören Miljödata" for "vilken leverantör").
        why["type"] = weight["type"]
    if question.years:
        why["year"] = weight["year"] * period_evidence(question, candidate, config)
    # A heading right over the sentence is its subject ("Vision" over the vision's own words).
    subject = f"{candidate.heading or ''} {candidate.sentence}"
    sentence_stems = naming_counted(question, stems(subject) + organisation_stems(candidate.hit))
    near = sentence_stems + stems(candidate.section)
    why["topic"] = weight["topic"] * coverage(question.terms, near, weights)
    # The sentence itself, without the report's organisation: in a nämnd's own report every passage
    # is the nämnd's, and only the sentence that names it tells its result from one of its units'.
    why["topic_sentence"] = weight["topic_sentence"] * coverage(
        question.terms, naming_counted(question, stems(subject)), weights
    )
    why["topic_passage"] = weight["topic_passage"] * coverage(
        question.terms, stem_set(candidate.hit.text), weights
    )
    sentence, start, end = candidate.sentence, candidate.start, candidate.end
    if candidate.kind != SENTENCE:
        # The organisation named beside a figure ("i Åby 4,4 procent", not the nation's 7) also
        # ties it to the question, though the name is no topic the sentence must contain.
        near = question.terms + tuple(
            t for t in question.cue_terms + question.organisations if t not in question.terms
        )
        why["proximity"] = weight["proximity"] * proximity(near, sentence, start, end)
        if candidate.row is None and is_first_figure(candidate):
            # A table cell's first place in its quoted row is its column's, which says nothing of it.
            why["first"] = weight["first"]
        why["measure"] = weight["measure"] * measure_match(question, candidate, weights)
        if candidate.row is not None:
            why["row_extra"] = weight["row_extra"] * unasked_row_share(question, candidate)
        elif candidate.kind == COUNT and not question.cue_terms and counts_asked_noun(question, candidate):
            # A verb the question names decides which count it asks for ("varav 63 beviljats"); without
            # one, the noun right after a count does.
            why["counted"] = weight["counted"]
    if candidate.kind in FIGURE_KINDS:
        verbs = tuple(t for t in question.cue_terms if t not in question.terms)
        if proximity(verbs, sentence, start, end, stop_words=True) >= config.verb_near:
            why["verb"] = weight["verb"]
        elif is_part(question, sentence, start, end) or is_period_part(question, candidate):
            why["part"] = weight["part"]
        elif total_asked(question, candidate):
            why["verb"] = weight["verb"]  # "Total utgift" labels the figure with the question's "totalt"
        elif (bound := bound_asked(question.text)) and bound == bound_before(sentence, start):
            why["verb"] = weight["verb"]  # "som mest" asked, "högst 75 000 kronor per familj" written
        if is_change(sentence, start, end) or candidate.basis in (FORANDRING, AVVIKELSE):
            # A change is the answer when the question asks for one ("hur mycket högre ... jämfört med").
            why["change"] = weight["change"] * (-1.0 if asks_change(question) else 1.0)
        if is_earlier(sentence, start, end):
            why["earlier"] = weight["earlier"]
        if is_rate(sentence, end) and not asks_rate(question, sentence, end):
            why["rate"] = weight["rate"]
        if states_value(question, candidate):
            why["stated"] = weight["stated"]  # "stämmer det att ... fick 27 miljoner": the passage says 27
    if candidate.kind == DATE and dates_the_verb(question, candidate):
        why["verb"] = weight["verb"]  # "togs bort 2007" for "när togs X bort", not "infördes 1993"
    if candidate.kind == PERSON and names_the_doer(question, candidate):
        why["verb"] = weight["verb"]  # "X (M) yrkade att" for "vem yrkade", not "ett ärende av Y"
    if candidate.kind in FIGURE_KINDS and other_place_nearer(question, sentence, start, end):
        why["place"] = weight["place"]
    if candidate.kind == AMOUNT and question.kind in (AMOUNT, FIGURE):
        side = region_side(sentence, start, end, config.region_reach)
        why["region"] = weight["region"] * (-side if asks_nation(question) else side)
    if question.cue and candidate.cue:
        why["cue"] = weight["cue"] * (1.0 if candidate.cue == question.cue else -0.5)
    elif candidate.cue == PLANNED or (candidate.cue == BUDGET and asks_past(question.text)):
        # What happened is asked unless a verb says otherwise; a budget is a plan when the verb is
        # in the past tense ("hur mycket betalade kommunen ut": not "i budgeten finns 400 tkr").
        why["cue"] = -weight["cue"] / 3
    if question.divisions:
        why["division"] = weight["division"] * (1.0 if division_matches(question, candidate) else -1.0)
    if question.organisations:
        why["organisation"] = weight["organisation"] * organisation_evidence(question, candidate.hit)
    why["rank"] = weight["rank"] / (1 + candidate.rank)
    return {name: round(value, 4) for name, value in why.items() if value}


def max_score(question: Question, config: AnswerConfig = DEFAULT_CONFIG) -> float:
    """The best sum a candidate can reach for this question: only the terms the question can earn.

    Confidence is the score over this, so a question naming no year or verb is not held to terms
    it could never earn.
    """
    earnable = ["rank"]
    if question.terms:
        earnable += ["topic", "topic_sentence", "topic_passage"]
    if question.terms and question.kind is not None:
        earnable.append("proximity")
    if question.kind not in (None, FIGURE) or (question.kind == FIGURE and asked_unit(question.text)):
        earnable.append("type")
    if question.years:
        earnable.append("year")
    if question.cue:
        earnable.append("cue")
    if question.divisions:
        earnable.append("division")
    return sum(config.weights[name] for name in earnable)


def constraint_factor(
    question: Question, candidate: Candidate, why: dict[str, float], weights: TermWeights | None = None,
    config: AnswerConfig = DEFAULT_CONFIG,
) -> float:
    """How much of its score a candidate keeps after the constraints it breaks (1 when none).

    The scaling makes some failures decisive however well the rest fits: too little of the topic
    near the figure (`full_topic_share`), a name of the question missing ("Region Västerbotten"),
    another organisation's report, another place named nearest the figure ("i Norrby, där ett
    småhus kostade 7,2 miljoner"), another period or another division than the one asked for (by
    how sure that is), a count whose sentence does not name what is counted ("hur många
    vårdplatser" answered by "avdelning 41"), a name whose sentence does not name the role asked
    for ("vem är ordförande" answered by a prize winner), a figure its sentence calls undecided,
    unknown or another body's frame ("finansieringen är inte beslutad", "den nationella ramen"), an
    amount or count for a rate whose sentence does not name what it is per ("per kvadratmeter"), a
    whole sentence with no name in it for a question that asks for a name ("vilken organisation").
    """
    factor = min(1.0, topic_share(question, candidate, weights) / config.full_topic_share)
    factor *= 1.0 - config.name_penalty * (1.0 - names_share(question, candidate))
    if why.get("year", 0.0) < 0:
        factor *= 1.0 - config.year_penalty * -why["year"] / config.weights["year"]
    if candidate.kind == COUNT and not names_counted(question, candidate):
        factor *= 1.0 - config.constraint_penalty
    if not names_role(question, candidate):
        factor *= 1.0 - config.constraint_penalty
    if why.get("division", 0.0) < 0:
        factor *= 1.0 - config.constraint_penalty
    if why.get("organisation", 0.0) < 0:
        factor *= 1.0 - config.name_penalty
    if why.get("place", 0.0) < 0:
        factor *= 1.0 - config.constraint_penalty  # another place is named nearest: its figure
    if candidate.kind in FIGURE_KINDS and is_unsettled(candidate.sentence):
        factor *= 1.0 - config.unsettled_penalty
    per = rate_asked(question.text)
    if per and candidate.kind in (AMOUNT, COUNT, FIGURE) and not names_rate(candidate.sentence, per):
        factor *= 1.0 - config.constraint_penalty  # "per kvadratmeter" asked, a total given
    if candidate.kind == SENTENCE and candidate.text == candidate.sentence and asks_name(question):
        # "vilken organisation" asked, and no answering span (a name) was found in the sentence
        factor *= 1.0 - config.constraint_penalty
    return factor


def raw_confidence(
    question: Question, why: dict[str, float], factor: float, config: AnswerConfig = DEFAULT_CONFIG
) -> float:
    """The score kept after the constraints, over the best score this question allows (0 to 1),
    without the terms in `ranking_only`. "Not found" is decided on this (`confidence_threshold`)."""
    total = sum(value for name, value in why.items() if name not in config.ranking_only)
    return max(0.0, min(1.0, total * factor / max_score(question, config)))


def calibrated(raw: float, margin: float = 0.0, config: AnswerConfig = DEFAULT_CONFIG) -> float:
    """The probability that an answer of this raw confidence, `margin` above the best candidate with
    another value, is right: the logistic model fitted on the question set's calib split, which is
    never tuned on (`AnswerConfig.calibration`)."""
    if not config.calibration:
        return raw
    intercept, raw_weight, margin_weight = config.calibration
    margin = min(max(margin, 0.0), config.margin_cap)
    return 1.0 / (1.0 + math.exp(-(intercept + raw_weight * raw + margin_weight * margin)))


def margin_over_rivals(best: Answer, ranked: list[Answer], config: AnswerConfig = DEFAULT_CONFIG) -> float:
    """How far the best answer's raw confidence lies above the best candidate that says something
    else (`margin_cap` when none does)."""
    tolerance = config.value_tolerance
    rivals = [a.why["raw"] for a in ranked if a is not best and not same_value(a, best, tolerance)]
    return min(config.margin_cap, best.why["raw"] - max(rivals)) if rivals else config.margin_cap


def _to_answer(
    candidate: Candidate, why: dict[str, float], factor: float, raw: float, config: AnswerConfig,
    magnitude: bool = False,
) -> Answer:
    """The answer record with its scoring terms, their total, the constraint factor and the raw
    confidence in `why`; `confidence` is the calibrated one. `magnitude` gives a negative figure's
    size (the question asks for the loss by name: "hur stort underskott")."""
    total = sum(why.values())  # the terms only: "margin" is added to the best answer later
    value = candidate.value
    if magnitude and isinstance(value, float):
        value = abs(value)
    return Answer(
        text=candidate.text,
        value=value,
        unit=candidate.unit,
        kind=candidate.kind,
        sentence=candidate.sentence.strip(),
        file=candidate.hit.file,
        title=candidate.hit.title,
        date=candidate.hit.date,
        organisation=candidate.hit.organisation,
        page=candidate.page,
        section=candidate.section,
        cue=candidate.cue,
        confidence=round(calibrated(raw, config=config), 3),
        why={**why, "total": round(total, 4), "factor": round(factor, 4), "raw": round(raw, 4)},
        chunk_id=candidate.hit.chunk_id,
        page_label=candidate.page_label,
        boxes=candidate.boxes,
        measure=candidate.measure,
        basis=candidate.basis,
        period=candidate.period,
        start=candidate.start,
        end=candidate.end,
        table=candidate.table,
        row=candidate.row,
        column=candidate.column,
    )


def same_value(a: Answer, b: Answer, tolerance: float = DEFAULT_CONFIG.value_tolerance) -> bool:
    """Whether two answers state the same figure (within a relative `tolerance`) or the same text."""
    if isinstance(a.value, float) and isinstance(b.value, float):
        scale = max(abs(a.value), abs(b.value)) or 1.0
        return abs(a.value - b.value) / scale <= tolerance
    return a.text.casefold() == b.text.casefold()


def rank_answers(
    question: Question, hits: list[Hit], figures: dict[int, list[Figure]],
    config: AnswerConfig = DEFAULT_CONFIG,
) -> list[Answer]:
    """All candidates as answers, best first; scores within `tie_margin` put the newest report first."""
    answers = []
    weights = term_weights(question, hits[: config.candidate_passages])
    magnitude = asks_negative(question)
    for candidate in candidates_for(question, hits, figures, config) + table_candidates(
        question, hits, figures, config
    ):
        why = score_candidate(question, candidate, weights, config)
        factor = constraint_factor(question, candidate, why, weights, config)
        raw = raw_confidence(question, why, factor, config)
        answers.append(_to_answer(candidate, why, factor, raw, config, magnitude))
    answers.sort(key=_kept_score)
    ordered: list[Answer] = []
    while answers:
        top = _kept_score(answers[0])
        tied = [a for a in answers if _kept_score(a) - top <= config.tie_margin]
        answers = answers[len(tied) :]
        ordered += sorted(tied, key=lambda a: (_newest_first(a.date), _kept_score(a)))
    return ordered


def _kept_score(answer: Answer) -> float:
    """Sort key, best first: the score times the constraint factor, so that a candidate that breaks
    a constraint (another period, no topic near it) ranks below one that keeps them all."""
    return -answer.why["total"] * answer.why["factor"]


def _newest_first(date: str | None) -> tuple[int, ...]:
    """Sort key putting later ISO dates first and undated reports last."""
    digits = [int(part) for part in re.findall(r"\d+", date or "")]
    return tuple(-d for d in digits) or (1,)


# Candidates kept after the answer for evaluation ("right among the top 3").
RUNNERS_UP = 2


def build_reply(
    question: Question, hits: list[Hit], figures: dict[int, list[Figure]], k: int = 5,
    config: AnswerConfig = DEFAULT_CONFIG,
) -> Reply:
    """The reply: best answer above the threshold (or None: not found), alternatives that say
    something else, passages (the answer's own first), and what was asked about in words (for the
    faces' "not found").

    Alternatives are the next best candidates that could answer the same question and disagree
    with the answer (`is_alternative`), each with a value of its own, so a disagreement between
    reports is shown, not hidden.
    """
    hits = steer_hits(question, hits)
    ranked = rank_answers(question, hits, figures, config)
    passages = hits[:k]
    subject = question.subject()
    if not ranked or ranked[0].why["raw"] < config.confidence_threshold:
        return Reply(question.text, None, [], passages, subject)
    best, alternatives = ranked[0], []
    best.why["margin"] = round(margin_over_rivals(best, ranked, config), 4)
    best.confidence = round(calibrated(best.why["raw"], best.why["margin"], config), 3)
    best.also_in = other_sources(best, ranked, config.value_tolerance)
    best = exact_first(best)
    rival = next((a for a in ranked[1:] if disagrees(best, a, config)), None)
    if rival is not None:
        alternatives.append(rival)
    for answer in ranked[1:]:
        if len(alternatives) >= config.max_alternatives or answer.why["raw"] < config.alternative_threshold:
            break
        if answer is rival or not is_alternative(best, answer, config):
            continue
        if any(same_value(answer, other, config.value_tolerance) for other in alternatives):
            continue
        alternatives.append(answer)
    runners_up: list[Answer] = []
    for answer in ranked[1:]:
        if len(runners_up) == RUNNERS_UP:
            break
        if not any(same_value(answer, other, config.value_tolerance) for other in [best, *runners_up]):
            runners_up.append(answer)
    passages = answer_passages(best, ranked, hits, k, config, runners_up)
    return Reply(
        question.text, best, alternatives, passages, subject,
        uncertain=rival is not None, runners_up=runners_up,
    )


def answer_passages(
    answer: Answer, ranked: list[Answer], hits: list[Hit], k: int, config: AnswerConfig = DEFAULT_CONFIG,
    runners_up: Sequence[Answer] = (),
) -> list[Hit]:
    """The `k` passages shown with an answer: the one the answer stands in first (a user checks the
    figure there; it may be a table passage read after those of search, or a search hit below the
    first `k`), then others that state the same figure, then those of the runners-up (the next
    readings with other values, so a user who doubts the answer finds where they stand; dev: gold
    passage among the 5 shown 187 → 188 of 207, calib and test +1), then the rest in search order."""
    by_id = {hit.chunk_id: hit for hit in hits}
    same = [a.chunk_id for a in ranked if same_value(a, answer, config.value_tolerance)]
    others = [a.chunk_id for a in runners_up]
    order = dict.fromkeys(c for c in [answer.chunk_id, *same, *others] if c in by_id)
    order.update(dict.fromkeys(by_id))
    return [by_id[chunk_id] for chunk_id in order][:k]


def disagrees(best: Answer, other: Answer, config: AnswerConfig = DEFAULT_CONFIG) -> bool:
    """Whether `other` is a close second that says something else: another figure or date of the
    same kind, its raw confidence within `uncertain_margin` of the best, for the same period where
    both have one, and no part, change or comparison. Then the reply is marked uncertain and shows
    both. (Measure phrases are too free to demand that they are equal: "två sårbarheter" and "tre
    sårbarheter" in two systems' sentences measure different things under one question.)"""
    if other.kind != best.kind or best.kind not in (*FIGURE_KINDS, DATE):
        return False
    if same_value(best, other, config.value_tolerance):
        return False
    if best.why["raw"] - other.why["raw"] > config.uncertain_margin:
        return False
    if any(other.why.get(name, 0.0) < 0 for name in NOT_THE_LEVEL):
        return False
    return not (best.period and other.period and best.period != other.period)


# Scoring terms that mark a figure as something other than the level asked for: a part
# ("varav 14"), a change ("minskade med 15 mnkr"), an earlier value or a rate per person.
NOT_THE_LEVEL = ("part", "change", "earlier", "rate")


def is_alternative(best: Answer, answer: Answer, config: AnswerConfig = DEFAULT_CONFIG) -> bool:
    """Whether `answer` is another report's (or section's) figure for the same topic and period
    that disagrees with `best`: never a part, change or comparison, never from the answer's own
    sentence, never the same value, and about the topic about as well as the answer. (The stored
    measure phrases are too free to demand that they are equal: "länets kommuner" and "egna
    utvecklingsinsatser" name the same state grant.)"""
    if answer.sentence == best.sentence or (answer.chunk_id is not None and answer.chunk_id == best.chunk_id):
        return False
    if answer.kind != best.kind or answer.unit != best.unit:
        return False
    if any(answer.why.get(name, 0.0) < 0 for name in NOT_THE_LEVEL):
        return False
    if best.why.get("year", 0.0) > 0 and answer.why.get("year", 0.0) <= 0:
        return False  # another period
    if same_value(answer, best, config.value_tolerance):
        return False
    return answer.why.get("topic", 0.0) >= config.alternative_topic_share * best.why.get("topic", 0.0)
