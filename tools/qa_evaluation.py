"""Answer quality and speed: `rapportsok-dev eval-qa FILE` and the warm latency behind `bench-ask`.

Quality is measured on a question set (`eval/qa_questions.jsonl`, or the older corpus-only
`eval/questions.jsonl`) so that it cannot flatter:
- a figure counts as right only when it comes from the expected report (the answer's file name is
  the question's `doc`), with the value or text comparison of `answer_matches`;
- the held-out `test` half (frozen by a hash of the id) is reported apart from `dev`, and the
  targets are checked on `test` only; the `calib` split (ids starting with `c`, written after the
  others and never tuned on) is reported beside them and is the only split the confidence
  calibration is fitted on;
- results are split per organisation and per kind, and every wrong answer given with high
  confidence is listed, with a reliability table (confidence bucket -> share right);
- one record per question is written, so a change shows which questions it fixed and broke.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from rapportsok.index.answer_config import DEFAULT_CONFIG
from rapportsok.index.results import Answer, Reply
from rapportsok.ingest.errors import describe_os_error
from rapportsok.lang.numbers import format_number
from rapportsok.tools.checkout import QA_QUESTIONS
from rapportsok.tools.search_evaluation import QUESTIONS, load_question_file, passage_in

FIGURE_KINDS = ("amount", "percent", "count")
TOP_N = 3
PASSAGE_TOP = 5
CONFIDENT = 0.8
# Reliability buckets: [0, 0.2), [0.2, 0.4), ..., [0.8, 1.0].
BUCKETS = (0.0, 0.2, 0.4, 0.6, 0.8)
# Source of the questions over the sample reports in corpus/; every other source is "other organisations".
CORPUS_SOURCE = "corpus"
# The label of the corpus questions in a file without `org` (eval/questions.jsonl): no organisation
# is named in code, the corpus is the checkout's sample.
CORPUS_ORG = "exempelrapporterna (corpus/)"
# The question set shipped with the project: the default for `eval-qa` and `bench-ask`.
DEFAULT_QUESTIONS = QA_QUESTIONS
# Ids starting with this letter form the calibration split: a set nobody tunes the scoring on, so a
# confidence mapping fitted on it says how often answers are really right (the dev split, tuned on
# for many sessions, overstates it).
CALIB_PREFIX = "c"
# The splits in the order they are reported.
SPLITS = ("test", "dev", "calib")

# The targets, checked on the held-out split: (metric key, scope, minimum or maximum, label).
TARGETS: tuple[tuple[str, str, float, str], ...] = (
    ("figure_top1", "other", 0.90, "sifferfrågor, bästa svar rätt (andra organisationer)"),
    ("figure_top1", "corpus", 0.93, "sifferfrågor, bästa svar rätt (exempelrapporterna)"),
    ("figure_top3", "all", 0.97, "sifferfrågor, rätt bland topp 3"),
    ("not_found_rate", "all", 0.90, "obesvarbara frågor som fick ”hittar inget”"),
    ("passage_top5", "other", 0.95, "rätt stycke bland de 5 första träffarna (andra organisationer)"),
    ("confident_wrong", "all", 0, "fel svar med säkerhet ≥ 0,8"),
    ("text_top1", "all", 0.80, "textfrågor, bästa svar rätt"),
    ("answer_top1", "table", 0.85, "tabellfrågor (svaret bara i en tabellcell), bästa svar rätt"),
)

Ask = Callable[[str], Reply]


def split_of(question_id: str) -> str:
    """The frozen split of a question: `calib` for the calibration ids, otherwise `test` for half of
    all ids, by hash, so nobody picks them."""
    if question_id.startswith(CALIB_PREFIX):
        return "calib"
    return "test" if hashlib.sha256(question_id.encode("utf-8")).digest()[0] < 128 else "dev"


def kind_group(row: dict) -> str:
    """`figure`, `text` (dates, names, divisions, free text) or `unanswerable`."""
    if not row["answerable"]:
        return "unanswerable"
    return "figure" if row.get("answer_kind") in FIGURE_KINDS else "text"


def load_qa_questions(path: Path) -> list[dict]:
    """The rows of a question file in our own format (ValueError with a Swedish message otherwise).
    Fields the older corpus-only file lacks get their defaults: source corpus, the corpus label as
    organisation, and the split by the hash rule."""
    try:
        fmt, rows = load_question_file(path)
    except OSError as error:
        raise ValueError(f"Kan inte läsa frågefilen {path}: {describe_os_error(error)}") from error
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: rad {error.lineno} är inte giltig JSON") from error
    if fmt != QUESTIONS or not all("answerable" in row and "id" in row for row in rows):
        raise ValueError(f"{path}: frågefilen saknar fälten id, question, doc, passage och answerable")
    for row in rows:
        row.setdefault("source", CORPUS_SOURCE)
        row.setdefault("org", CORPUS_ORG)
        row.setdefault("split", split_of(row["id"]))
    return rows


def documents_needed(
    rows: Iterable[dict], corpus_dir: Path, shared_dir: Path
) -> tuple[list[Path], dict[str, str]]:
    """The files to ingest for `rows`, and the questions to skip with the reason (Swedish).

    Corpus questions read `corpus_dir` as a whole. A shared question is skipped when its report is
    missing from `shared_dir`; an unanswerable shared question when the folder is missing, or
    every report of its organisation is (its "not found" would be right for the wrong reason)."""
    files: dict[str, Path] = {}
    skipped: dict[str, str] = {}
    reports_of: dict[str, set[str]] = {}
    for row in rows:
        if row["source"] != CORPUS_SOURCE and row.get("doc"):
            reports_of.setdefault(row["org"], set()).add(row["doc"])
    for row in rows:
        if row["source"] == CORPUS_SOURCE:
            if not corpus_dir.is_dir():
                skipped[row["id"]] = f"mappen {corpus_dir} saknas"
            else:
                files.setdefault(str(corpus_dir), corpus_dir)
            continue
        if not shared_dir.is_dir():
            skipped[row["id"]] = f"mappen {shared_dir} saknas"
        elif not row.get("doc"):
            reports = reports_of.get(row["org"], set())
            if reports and not any((shared_dir / doc).is_file() for doc in reports):
                skipped[row["id"]] = f"organisationens rapporter saknas i {shared_dir}"
        else:
            path = shared_dir / row["doc"]
            if path.is_file():
                files.setdefault(str(path), path)
            else:
                skipped[row["id"]] = f"{row['doc']} saknas i {shared_dir}"
    return list(files.values()), skipped


def _normalized(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip().casefold()


def answer_matches(row: dict, answer: Answer | None) -> bool:
    """Whether `answer` gives the expected answer of a question row, from the expected report.

    The answer's file name must be the row's `doc` (when the row names one). Figures match by value
    (relative tolerance `AnswerConfig.value_tolerance`) or by their text; dates by the ISO value's
    prefix or text (an accepted variant also as printed in the sentence or cell); names, divisions
    and free text when the expected text (or an accepted variant) stands in the answer, or in its
    sentence when the answer is a sentence.
    """
    if answer is None:
        return False
    if row.get("doc") and Path(answer.file).name != Path(row["doc"]).name:
        return False
    expected = row.get("answer_value")
    texts = [t for t in [row.get("answer_text"), *(row.get("accept") or [])] if t]
    if isinstance(expected, int | float) and isinstance(answer.value, int | float):
        scale = max(abs(expected), abs(answer.value)) or 1.0
        if abs(expected - answer.value) / scale <= DEFAULT_CONFIG.value_tolerance:
            return True
    if isinstance(expected, str) and isinstance(answer.value, str) and answer.value.startswith(expected):
        return True
    shown = _normalized(answer.text)
    if any(_normalized(t) == shown for t in texts):
        return True
    # an accepted variant may be the figure as printed (a cell's "1 808 830", where `text` adds
    # the table's unit): the question's author listed that printing of that report
    printed = _normalized(answer.sentence[answer.start : answer.end]) if answer.end else None
    if printed and any(_normalized(t) == printed for t in row.get("accept") or []):
        return True
    if row.get("answer_kind") in FIGURE_KINDS:
        return False
    where = _normalized(answer.sentence if answer.kind == "sentence" else answer.text)
    return any(_normalized(t) in where for t in texts)


def score_question(row: dict, reply: Reply) -> dict:
    """The record of one question: what was expected, what came back, and whether it was right."""
    answer = reply.answer
    if row["answerable"]:
        right = answer_matches(row, answer)
        top3 = any(answer_matches(row, a) for a in [answer, *reply.runners_up[: TOP_N - 1]] if a)
        passage_top5 = bool(row.get("passage")) and any(
            Path(hit.file).name == Path(row["doc"]).name and passage_in(row["passage"], hit.text)
            for hit in reply.passages[:PASSAGE_TOP]
        )
    else:
        right = top3 = answer is None
        passage_top5 = None
    return {
        "id": row["id"],
        "split": row["split"],
        "org": row["org"],
        "source": row["source"],
        "table": bool(row.get("table")),
        "kind": kind_group(row),
        "answer_kind": row.get("answer_kind"),
        "question": row["question"],
        "expected": row.get("answer_text") if row["answerable"] else None,
        "got": answer.text if answer else None,
        "file": Path(answer.file).name if answer else None,
        "confidence": round(answer.confidence, 4) if answer else None,
        # Before calibration (tools/qa_calibration.py fits the mapping on the calib split's values).
        "raw_confidence": answer.why.get("raw") if answer else None,
        "margin": answer.why.get("margin") if answer else None,
        "right": right,
        "top3": top3,
        "passage_top5": passage_top5,
        "not_found": answer is None,
    }


@dataclass
class Summary:
    """Answer quality over one group of records (a split, an organisation, a kind)."""

    questions: int = 0
    answer_top1: float | None = None
    figure_questions: int = 0
    figure_top1: float | None = None
    figure_top3: float | None = None
    text_questions: int = 0
    text_top1: float | None = None
    unanswerable: int = 0
    not_found_rate: float | None = None
    false_not_found: int = 0
    confident_wrong: int = 0
    passage_top5: float | None = None

    def to_json(self) -> dict:
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(self).items()}


def _share(flags: list[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def confident_wrong(record: dict) -> bool:
    """A wrong answer (or an answer to an unanswerable question) shown with confidence >= 0.8."""
    return not record["right"] and not record["not_found"] and record["confidence"] >= CONFIDENT


def summarize(records: Sequence[dict]) -> Summary:
    """The measures of the issue over `records` (None where the group has no such question)."""
    figures = [r for r in records if r["kind"] == "figure"]
    texts = [r for r in records if r["kind"] == "text"]
    unanswerable = [r for r in records if r["kind"] == "unanswerable"]
    answerable = [r for r in records if r["kind"] != "unanswerable"]
    return Summary(
        questions=len(records),
        answer_top1=_share([r["right"] for r in answerable]),
        figure_questions=len(figures),
        figure_top1=_share([r["right"] for r in figures]),
        figure_top3=_share([r["top3"] for r in figures]),
        text_questions=len(texts),
        text_top1=_share([r["right"] for r in texts]),
        unanswerable=len(unanswerable),
        not_found_rate=_share([r["not_found"] for r in unanswerable]),
        false_not_found=sum(r["not_found"] for r in answerable),
        confident_wrong=sum(confident_wrong(r) for r in records),
        passage_top5=_share([r["passage_top5"] for r in answerable if r["passage_top5"] is not None]),
    )


def reliability(records: Sequence[dict]) -> list[dict]:
    """Per confidence bucket: how many answers were given and the share of them that was right."""
    out = []
    for i, low in enumerate(BUCKETS):
        high = BUCKETS[i + 1] if i + 1 < len(BUCKETS) else 1.0
        inside = [
            r for r in records
            if not r["not_found"] and low <= r["confidence"] and (r["confidence"] < high or high == 1.0)
        ]
        right = _share([r["right"] for r in inside])
        out.append({"from": low, "to": high, "answers": len(inside), "right": right})
    return out


def _scope(records: Sequence[dict], scope: str) -> list[dict]:
    if scope == "all":
        return list(records)
    if scope == "table":
        return [r for r in records if r["table"]]
    return [r for r in records if (r["source"] == CORPUS_SOURCE) == (scope == "corpus")]


def missed_targets(records: Sequence[dict]) -> list[str]:
    """The issue's targets the held-out split misses, in Swedish (empty when all are met or the
    split has none of the questions a target needs)."""
    test = [r for r in records if r["split"] == "test"]
    missed = []
    for key, scope, bound, label in TARGETS:
        value = getattr(summarize(_scope(test, scope)), key)
        if value is None:
            continue
        if key == "confident_wrong":
            if value > bound:
                missed.append(f"{label}: {value} (mål {bound})")
        elif value < bound:
            missed.append(f"{label}: {value:.3f} < {bound:.2f}")
    return missed


@dataclass
class QaEvaluation:
    """Every question's record, and the questions skipped with their reason."""

    records: list[dict]
    skipped: dict[str, str]

    def to_json(self) -> dict:
        splits = {}
        for split in SPLITS:
            records = [r for r in self.records if r["split"] == split]
            splits[split] = {
                "summary": summarize(records).to_json(),
                "corpus": summarize(_scope(records, "corpus")).to_json(),
                "other": summarize(_scope(records, "other")).to_json(),
                "table": summarize(_scope(records, "table")).to_json(),
                "by_org": {org: summarize(group).to_json() for org, group in _groups(records, "org")},
                "by_kind": {kind: summarize(group).to_json() for kind, group in _groups(records, "kind")},
                "reliability": reliability(records),
                "confident_wrong": [r["id"] for r in records if confident_wrong(r)],
            }
        return {"splits": splits, "skipped": self.skipped, "missed_targets": missed_targets(self.records)}


# How the kinds are named in the printed tables.
KIND_LABELS = {"figure": "siffror", "text": "text, datum, namn", "unanswerable": "obesvarbara"}


def _groups(records: Sequence[dict], key: str) -> list[tuple[str, list[dict]]]:
    names = sorted({r[key] for r in records})
    return [(name, [r for r in records if r[key] == name]) for name in names]


def _labelled(groups: list[tuple[str, list[dict]]]) -> list[tuple[str, list[dict]]]:
    return [(KIND_LABELS.get(name, name), group) for name, group in groups]


def evaluate_qa(ask: Ask, rows: Sequence[dict], skipped: dict[str, str] | None = None) -> QaEvaluation:
    """Ask every question not in `skipped` and score the replies against the expected answers."""
    skipped = dict(skipped or {})
    records = [score_question(row, ask(row["question"])) for row in rows if row["id"] not in skipped]
    return QaEvaluation(records, skipped)


def write_records(records: Sequence[dict], path: Path) -> None:
    """One JSON line per question, in question order (diffable between runs)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def read_records(path: Path) -> list[dict]:
    """Records written by `write_records` (ValueError in Swedish when unreadable)."""
    try:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except OSError as error:
        raise ValueError(f"Kan inte läsa {path}: {describe_os_error(error)}") from error
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: rad {error.lineno} är inte giltig JSON") from error


def compare(old: Sequence[dict], new: Sequence[dict]) -> dict[str, list[str]]:
    """Which questions a change fixed (wrong before, right now) and broke (right before, wrong now)."""
    before = {r["id"]: r["right"] for r in old}
    return {
        "fixed": [r["id"] for r in new if r["id"] in before and r["right"] and not before[r["id"]]],
        "broken": [r["id"] for r in new if r["id"] in before and not r["right"] and before[r["id"]]],
    }


def _value(value: float | int | None, digits: int = 3) -> str:
    if value is None:
        return "–"
    return str(value) if isinstance(value, int) else f"{value:.{digits}f}"


_COLUMNS = (
    ("questions", "frågor"), ("answer_top1", "svar@1"), ("figure_top1", "siffra@1"),
    ("figure_top3", "siffra@3"), ("text_top1", "text@1"), ("not_found_rate", "obesv.ok"),
    ("false_not_found", "fel ”inget”"),
    ("confident_wrong", "fel ≥0,8"), ("passage_top5", "stycke@5"),
)


def _table(groups: Sequence[tuple[str, Sequence[dict]]]) -> list[str]:
    width = max([len(name) for name, _ in groups] + [12]) + 2
    lines = [f"  {'':{width}}" + "".join(f"{label:>12}" for _, label in _COLUMNS)]
    for name, records in groups:
        summary = summarize(records)
        cells = "".join(f"{_value(getattr(summary, key)):>12}" for key, _ in _COLUMNS)
        lines.append(f"  {name:{width}}" + cells)
    return lines


def format_reliability(records: Sequence[dict]) -> list[str]:
    """The reliability table: per confidence bucket, the number of answers and the share right."""
    lines = [f"  {'säkerhet':<12}{'svar':>8}{'andel rätt':>12}"]
    for row in reliability(records):
        bucket = f"{format_number(row['from'], 1)}–{format_number(row['to'], 1)}"
        lines.append(f"  {bucket:<12}{row['answers']:>8}{_value(row['right']):>12}")
    return lines


def format_report(evaluation: QaEvaluation) -> str:
    """The evaluation as readable Swedish tables: per split, per kind and per organisation, the
    reliability table, the confident wrong answers and the skipped questions."""
    lines: list[str] = []
    titles = {
        "test": "Testhalvan (hållen utanför, målen gäller här)",
        "dev": "Utvecklingshalvan",
        "calib": "Kalibreringsdelen (aldrig trimmad på, kalibreringen anpassas här)",
    }
    for split in SPLITS:
        records = [r for r in evaluation.records if r["split"] == split]
        if not records and split == "calib":
            continue  # a question file without calibration questions (eval/questions.jsonl)
        lines.append(f"{titles[split]}: {len(records)} frågor")
        groups = [("alla", records), ("exempelrapporterna", _scope(records, "corpus")),
                  ("andra organisationer", _scope(records, "other")),
                  ("tabellfrågor", _scope(records, "table"))]
        lines += _table(groups)
        lines.append("  per slag:")
        lines += _table(_labelled(_groups(records, "kind")))
        lines.append("  per organisation:")
        lines += _table(_groups(records, "org"))
        lines.append("  tillförlitlighet (säkerhet → andel rätt bland givna svar):")
        lines += format_reliability(records)
        wrong = [r for r in records if confident_wrong(r)]
        if wrong:
            lines.append(f"  fel svar med säkerhet ≥ 0,8 ({len(wrong)}):")
            lines += [_record_line(r) for r in wrong]
        lines.append("")
    if evaluation.skipped:
        lines.append(f"Hoppade över {len(evaluation.skipped)} frågor (räknas varken rätt eller fel):")
        for reason in sorted(set(evaluation.skipped.values())):
            ids = [qid for qid, why in evaluation.skipped.items() if why == reason]
            lines.append(f"  {len(ids)} frågor: {reason}")
        lines.append("")
    lines.append("Mål på testhalvan: " + "; ".join(
        f"{label} {'≤' if key == 'confident_wrong' else '≥'} {bound}" for key, _, bound, label in TARGETS
    ))
    return "\n".join(lines)


def _record_line(record: dict) -> str:
    expected = record["expected"] if record["kind"] != "unanswerable" else "hittar inget"
    return (
        f"    {record['id']} ({record['org']}): {record['question']} | väntat ”{expected}”, "
        f"fick ”{record['got']}” ur {record['file']} (säkerhet {record['confidence']:.2f})"
    )


def format_failures(records: Sequence[dict]) -> str:
    """Every question answered wrongly, for tuning (dev) and the report."""
    lines = []
    for r in records:
        if not r["right"]:
            got = "hittar inget" if r["not_found"] else f"”{r['got']}” ur {r['file']} ({r['confidence']:.2f})"
            expected = r["expected"] if r["kind"] != "unanswerable" else "hittar inget"
            lines.append(f"  {r['id']} [{r['split']}] {r['question']} | väntat ”{expected}”, fick {got}")
    return "\n".join(lines)


def bench_ask(ask: Ask, questions: Sequence[str], repeats: int = 3) -> dict:
    """Warm latency of a whole question (analysis, search, figures, scoring), in milliseconds."""
    for question in questions[:3]:
        ask(question)
    times = []
    for _ in range(repeats):
        for question in questions:
            start = time.perf_counter()
            ask(question)
            times.append((time.perf_counter() - start) * 1000)
    return {
        "questions": len(times),
        "p50_ms": round(float(np.percentile(times, 50)), 2),
        "p95_ms": round(float(np.percentile(times, 95)), 2),
    }
