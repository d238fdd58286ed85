"""The answer evaluation's scoring rules (tools/qa_evaluation.py), on hand-made replies: a figure
from another report is wrong, unanswerable questions want "not found", confident wrong answers are
counted, and the targets are checked on the held-out split only."""

from __future__ import annotations

import json
from pathlib import Path

from rapportsok.index.results import Answer, Hit, Reply
from rapportsok.tools.qa_evaluation import (
    QaEvaluation,
    compare,
    documents_needed,
    evaluate_qa,
    format_report,
    load_qa_questions,
    missed_targets,
    reliability,
    score_question,
    split_of,
    summarize,
)

ROW = {
    "id": "x1", "question": "Hur stort var underskottet?", "org": "Exempel kommun", "source": "shared",
    "doc": "rapport.pdf", "passage": "ett underskott på 11,8 miljoner kronor", "answerable": True,
    "answer_kind": "amount", "answer_value": 11_800_000.0, "answer_text": "11,8 miljoner kronor",
    "split": "test",
}
UNANSWERABLE = dict(ROW, id="x2", doc=None, passage=None, answerable=False, answer_value=None,
                    answer_text=None)


def _answer(file: str, value: float, confidence: float, text: str = "11,8 miljoner kronor") -> Answer:
    return Answer(text=text, value=value, unit="kr", kind="amount", sentence=f"Det blev {text}.",
                  file=f"/data/{file}", title="", date=None, page=1, section="", cue=None,
                  confidence=confidence)


def _hit(file: str, text: str) -> Hit:
    return Hit(chunk_id=1, file=f"/data/{file}", title="", date=None, page=1, section="", text=text,
               score=1.0)


def test_right_value_from_another_report_is_wrong() -> None:
    passage = _hit("rapport.pdf", "Nämnden redovisar ett  underskott på 11,8 miljoner kronor.")
    reply = Reply(ROW["question"], _answer("rapport.pdf", 11_800_000.0, 0.9), [], [passage])
    right = score_question(ROW, reply)
    assert right["right"] and right["top3"] and right["passage_top5"] and not right["not_found"]
    other = score_question(ROW, Reply(ROW["question"], _answer("annan.pdf", 11_800_000.0, 0.9), [],
                                      [_hit("annan.pdf", passage.text)]))
    assert not other["right"] and not other["top3"] and other["passage_top5"] is False
    # Right as the runner-up: top 3 but not top 1.
    second = Reply(ROW["question"], _answer("rapport.pdf", 5.0, 0.5, "5 kr"), [], [],
                   runners_up=[_answer("rapport.pdf", 11_800_000.0, 0.4)])
    record = score_question(ROW, second)
    assert not record["right"] and record["top3"]


def test_an_accepted_variant_matches_the_figure_as_printed_in_its_cell() -> None:
    row = dict(ROW, answer_value=-1_808_830_000.0, answer_text="-1 808 830", accept=["1 808 830"])
    cell = _answer("rapport.pdf", 1_808_830_000.0, 0.9, "1 808 830 tkr")
    cell.sentence, cell.start, cell.end = "Lokaler | 1 676 277 | 1 808 830", 22, 31
    assert score_question(row, Reply(row["question"], cell, [], []))["right"]
    # The expected text alone does not match as printed: a cell read with a wrong unit stays wrong.
    unsigned = dict(row, accept=[])
    assert not score_question(unsigned, Reply(row["question"], cell, [], []))["right"]


def test_unanswerable_wants_not_found_and_confident_wrong_is_counted() -> None:
    found = score_question(UNANSWERABLE, Reply("?", None, [], []))
    answered = score_question(UNANSWERABLE, Reply("?", _answer("rapport.pdf", 1.0, 0.85), [], []))
    assert found["right"] and found["not_found"] and found["passage_top5"] is None
    assert not answered["right"]
    summary = summarize([found, answered])
    assert summary.unanswerable == 2 and summary.not_found_rate == 0.5 and summary.confident_wrong == 1
    assert summary.figure_top1 is None  # no figure question in the group
    buckets = reliability([found, answered])
    assert [b["answers"] for b in buckets] == [0, 0, 0, 0, 1] and buckets[4]["right"] == 0.0


def test_targets_only_on_the_held_out_split() -> None:
    wrong = score_question(ROW, Reply("?", _answer("annan.pdf", 1.0, 0.3, "1 kr"), [], []))
    assert any("andra organisationer" in m for m in missed_targets([wrong]))
    assert missed_targets([dict(wrong, split="dev")]) == []
    assert missed_targets([dict(wrong, split="calib")]) == []
    assert compare([dict(wrong, right=True)], [wrong]) == {"fixed": [], "broken": ["x1"]}


def test_table_questions_have_their_own_target() -> None:
    table_row = dict(ROW, id="x3", table=True)
    wrong = score_question(table_row, Reply("?", _answer("rapport.pdf", 1.0, 0.3, "1 kr"), [], []))
    assert wrong["table"] and not score_question(ROW, Reply("?", None, [], []))["table"]
    assert any(m.startswith("tabellfrågor") for m in missed_targets([wrong]))
    right = score_question(table_row, Reply("?", _answer("rapport.pdf", 11_800_000.0, 0.9), [], []))
    assert not any(m.startswith("tabellfrågor") for m in missed_targets([right]))
    assert summarize([right, wrong]).answer_top1 == 0.5


def test_evaluate_skips_questions_whose_report_is_missing(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "rapport.pdf").write_bytes(b"%PDF-1.4")
    rows = [ROW, dict(ROW, id="x3", doc="saknas.pdf"), dict(ROW, id="x4", source="corpus")]
    files, skipped = documents_needed(rows, corpus, shared)
    assert files == [shared / "rapport.pdf", corpus] and list(skipped) == ["x3"]
    assert "saknas.pdf" in skipped["x3"]
    _, skipped = documents_needed([ROW, UNANSWERABLE], corpus, tmp_path / "finns-inte")
    assert set(skipped) == {"x1", "x2"}
    # An unanswerable question about an organisation whose every report is missing: skipped too.
    _, skipped = documents_needed([dict(ROW, doc="saknas.pdf"), UNANSWERABLE], corpus, shared)
    assert set(skipped) == {"x1", "x2"}
    other_org = dict(UNANSWERABLE, id="x5", org="Annan")
    _, skipped = documents_needed([ROW, UNANSWERABLE, other_org], corpus, shared)
    assert skipped == {}
    asked = []
    evaluation = evaluate_qa(lambda q: asked.append(q) or Reply(q, None, [], []), rows, {"x3": "saknas"})
    assert [r["id"] for r in evaluation.records] == ["x1", "x4"] and len(asked) == 2
    assert evaluation.to_json()["skipped"] == {"x3": "saknas"}


def test_old_question_file_gets_defaults(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    old = {k: v for k, v in ROW.items() if k not in ("org", "source", "split")}
    path.write_text(json.dumps(dict(old, id="q003"), ensure_ascii=False), "utf-8")
    [row] = load_qa_questions(path)
    assert row["source"] == "corpus" and row["split"] == split_of("q003") == "test" and row["org"]


def test_calibration_ids_form_their_own_split() -> None:
    # Every id starting with "c" is calib, whatever its hash; other ids keep the hash rule.
    assert [split_of(f"c{i:03d}") for i in range(1, 200)] == ["calib"] * 199
    assert split_of("q003") == "test" and {split_of(f"n{i:03d}") for i in range(1, 182)} == {"dev", "test"}


def test_report_shows_the_calib_split_beside_dev_and_test() -> None:
    passage = _hit("rapport.pdf", "Nämnden redovisar ett underskott på 11,8 miljoner kronor.")
    right = score_question(ROW, Reply("?", _answer("rapport.pdf", 11_800_000.0, 0.9), [], [passage]))
    wrong = score_question(dict(ROW, id="c001", split="calib"),
                           Reply("?", _answer("rapport.pdf", 1.0, 0.95, "1 kr"), [], []))
    evaluation = QaEvaluation([right, dict(right, id="x9", split="dev"), wrong], {})
    splits = evaluation.to_json()["splits"]
    assert list(splits) == ["test", "dev", "calib"]
    assert splits["calib"]["confident_wrong"] == ["c001"]
    assert splits["calib"]["reliability"][4]["answers"] == 1
    text = format_report(evaluation)
    assert text.index("Testhalvan") < text.index("Utvecklingshalvan") < text.index("Kalibreringsdelen")
    assert "c001" in text.split("Kalibreringsdelen")[1]
    # A calib-split wrong answer does not count against the targets, which stay on test.
    assert evaluation.to_json()["missed_targets"] == []
    # A file without calibration questions prints no empty calib section.
    assert "Kalibreringsdelen" not in format_report(QaEvaluation([right], {}))
