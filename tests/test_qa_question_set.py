"""Integrity of the question set across organisations (eval/qa_questions.jsonl).

The set is data; these checks keep its documented rules true when someone edits it: unique ids, the
frozen hash split (calib for the ids starting with "c"), the original corpus questions (q ids) equal to
eval/questions.jsonl, and the fields each kind needs.
The shared reports are not in the repository, so their passages are checked only for corpus questions.
"""

import hashlib
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QA_SET = ROOT / "eval" / "qa_questions.jsonl"
OLD_SET = ROOT / "eval" / "questions.jsonl"
KINDS = {"amount", "percent", "count", "date", "person", "division", "text"}


def _load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_ids_are_unique_and_split_follows_the_hash_rule() -> None:
    questions = _load(QA_SET)
    ids = [q["id"] for q in questions]
    assert len(ids) == len(set(ids))
    for q in questions:
        if q["id"].startswith("c"):
            expected = "calib"
        else:
            expected = "test" if hashlib.sha256(q["id"].encode("utf-8")).digest()[0] < 128 else "dev"
        assert q["split"] == expected, q["id"]


def test_calibration_split_is_large_and_spread() -> None:
    calib = [q for q in _load(QA_SET) if q["split"] == "calib"]
    assert len(calib) >= 80
    assert len({q["doc"] for q in calib if q["doc"]}) >= 15
    assert sum(not q["answerable"] for q in calib) >= 0.05 * len(calib)
    assert sum(bool(q["table"]) for q in calib) >= 0.1 * len(calib)


def test_corpus_part_equals_the_original_set() -> None:
    # Only the q ids come from eval/questions.jsonl; later corpus questions (calib, the n and m
    # batches) are not in it.
    corpus = {q["id"]: q for q in _load(QA_SET) if q["source"] == "corpus" and q["id"].startswith("q")}
    for old in _load(OLD_SET):
        new = corpus.pop(old["id"])
        assert new["org"] == "Region Norrbotten"
        for key, value in old.items():
            assert new[key] == value, (old["id"], key)
    assert not corpus


def test_size_and_spread_across_organisations() -> None:
    questions = _load(QA_SET)
    shared = [q for q in questions if q["source"] == "shared"]
    assert len(questions) >= 200
    assert len(shared) >= 90
    per_org: dict[str, int] = {}
    for q in shared:
        per_org[q["org"]] = per_org.get(q["org"], 0) + 1
    assert len([org for org, n in per_org.items() if n >= 5]) >= 6
    assert max(per_org.values()) <= len(shared) // 4
    unanswerable = sum(not q["answerable"] for q in shared) / len(shared)
    assert 0.08 <= unanswerable <= 0.2


def test_fields_match_each_kind() -> None:
    for q in _load(QA_SET):
        assert q["answer_kind"] in KINDS, q["id"]
        assert q["split"] in {"dev", "test", "calib"}
        if not q["answerable"]:
            assert q["doc"] is None and q["passage"] is None and q["answer_value"] is None, q["id"]
            continue
        assert 5 <= len(q["passage"].split()) <= 15, q["id"]
        assert isinstance(q["table"], bool)
        if q["answer_kind"] in {"amount", "percent"}:
            assert isinstance(q["answer_value"], float), q["id"]
        if q["answer_kind"] == "count":
            assert isinstance(q["answer_value"], int), q["id"]
        if q["source"] == "shared" and q["doc"].endswith(".pdf"):
            assert isinstance(q["page"], int) and q["page"] >= 1, q["id"]


def test_corpus_passages_occur_in_their_documents() -> None:
    for q in _load(QA_SET):
        if q["source"] != "corpus" or not q["answerable"]:
            continue
        text = (ROOT / "corpus" / q["doc"]).read_text(encoding="utf-8")
        text = re.sub(r"</?[bi]>|\*\*|^#+ ", "", text, flags=re.M).replace("\uf0b7", " ")
        text = _collapse(re.sub(r"(?<=[a-zåäö])-\n\s*(?=[a-zåäö])", "", text))
        assert _collapse(q["passage"]) in text, q["id"]
