"""Answer quality and speed: `rapportsok eval-qa FILE` and the warm latency behind `rapportsok bench-ask`.

Quality is measured on our question set (`eval/questions.jsonl`): for each answerable question,
whether the top answer states the expected figure (value within a tolerance, or the expected text),
whether it is among the top three (the answer and the first two alternatives), and for the
questions the corpus cannot answer, whether the reply is "not found" (answer None).
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from rapportsok.index.answer_config import DEFAULT_CONFIG
from rapportsok.index.results import Answer, Reply
from rapportsok.ingest.errors import describe_os_error
from rapportsok.lang.numbers import format_number
from rapportsok.tools.checkout import EVAL_QUESTIONS
from rapportsok.tools.search_evaluation import QUESTIONS, load_question_file

FIGURE_KINDS = ("amount", "percent", "count")
# Targets from the issue; the unanswerable one is "at least 7 of 8", scaled to the set's size.
TARGET_TOP1 = 0.90
TARGET_TOP3 = 0.97
TARGET_NOT_FOUND_RECALL = 7 / 8
TOP_N = 3
# The question set shipped with the project: the default for `rapportsok bench-ask`.
DEFAULT_QUESTIONS = EVAL_QUESTIONS

Ask = Callable[[str], Reply]


def load_qa_questions(path: Path) -> list[dict]:
    """The rows of a question file in our own format (ValueError with a Swedish message otherwise)."""
    try:
        fmt, rows = load_question_file(path)
    except OSError as error:
        raise ValueError(f"Kan inte läsa frågefilen {path}: {describe_os_error(error)}") from error
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: rad {error.lineno} är inte giltig JSON") from error
    if fmt != QUESTIONS or not all("answerable" in row for row in rows):
        raise ValueError(f"{path}: frågefilen saknar fälten question, doc, passage och answerable")
    return rows


def _normalized(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip().casefold()


def answer_matches(row: dict, answer: Answer | None) -> bool:
    """Whether `answer` gives the expected answer of a question row.

    Figures match by value (relative tolerance `AnswerConfig.value_tolerance`) or by their text;
    dates by the ISO value's prefix or text; names, divisions and free text when the expected text (or an
    accepted variant) stands in the answer, or in its sentence when the answer is a sentence.
    """
    if answer is None:
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
    if row.get("answer_kind") in FIGURE_KINDS:
        return False
    where = _normalized(answer.sentence if answer.kind == "sentence" else answer.text)
    return any(_normalized(t) in where for t in texts)


@dataclass
class QaReport:
    """Answer quality over a question set, with the rows that failed (for tuning and the report)."""

    figure_questions: int = 0
    figure_top1: float = 0.0
    figure_top3: float = 0.0
    other_questions: int = 0
    other_top1: float = 0.0
    other_top3: float = 0.0
    unanswerable: int = 0
    not_found_precision: float = 0.0
    not_found_recall: float = 0.0
    false_not_found: int = 0
    failures: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(self).items()}

    def missed_targets(self) -> list[str]:
        """The targets this report misses, in Swedish (empty when all are met)."""
        missed = []
        if self.figure_top1 < TARGET_TOP1:
            missed.append(f"träffsäkerhet (bästa svar) {self.figure_top1:.3f} < {TARGET_TOP1}")
        if self.figure_top3 < TARGET_TOP3:
            missed.append(f"träffsäkerhet (topp 3) {self.figure_top3:.3f} < {TARGET_TOP3}")
        if self.false_not_found:
            missed.append(f"{self.false_not_found} besvarbara frågor fick ”hittar inget”")
        needed = math.ceil(TARGET_NOT_FOUND_RECALL * self.unanswerable)
        found = round(self.not_found_recall * self.unanswerable)
        if found < needed:
            missed.append(
                f"”hittar inget” på {found} av {self.unanswerable} obesvarbara frågor (krav {needed})"
            )
        return missed


def evaluate_qa(ask: Ask, rows: Sequence[dict]) -> QaReport:
    """Ask every question and score the replies against the expected answers."""
    figure_hits = [0, 0]
    other_hits = [0, 0]
    report = QaReport()
    true_not_found = predicted_not_found = 0
    for row in rows:
        reply = ask(row["question"])
        if reply.answer is None:
            predicted_not_found += 1
        if not row["answerable"]:
            report.unanswerable += 1
            if reply.answer is None:
                true_not_found += 1
            else:
                report.failures.append(_failure(row, reply, "svar på obesvarbar fråga"))
            continue
        if reply.answer is None:
            report.false_not_found += 1
        top = [reply.answer, *reply.alternatives[: TOP_N - 1]]
        top1 = answer_matches(row, reply.answer)
        top3 = any(answer_matches(row, a) for a in top)
        counts = figure_hits if row.get("answer_kind") in FIGURE_KINDS else other_hits
        counts[0] += top1
        counts[1] += top3
        if row.get("answer_kind") in FIGURE_KINDS:
            report.figure_questions += 1
        else:
            report.other_questions += 1
        if not top1:
            report.failures.append(_failure(row, reply, "fel bästa svar" if reply.answer else "hittar inget"))
    report.figure_top1 = figure_hits[0] / max(report.figure_questions, 1)
    report.figure_top3 = figure_hits[1] / max(report.figure_questions, 1)
    report.other_top1 = other_hits[0] / max(report.other_questions, 1)
    report.other_top3 = other_hits[1] / max(report.other_questions, 1)
    report.not_found_recall = true_not_found / max(report.unanswerable, 1)
    report.not_found_precision = true_not_found / predicted_not_found if predicted_not_found else 1.0
    return report


def _failure(row: dict, reply: Reply, why: str) -> dict:
    answer = reply.answer
    return {
        "id": row.get("id"),
        "question": row["question"],
        "expected": row.get("answer_text"),
        "got": answer.text if answer else None,
        "confidence": answer.confidence if answer else None,
        "file": Path(answer.file).name if answer else None,
        "problem": why,
    }


def _shown(value: object) -> str:
    """An expected or given answer as Swedish readers write it: "hittar inget", decimal comma."""
    if value is None:
        return "”hittar inget”"
    if isinstance(value, float):
        return format_number(value, 2)
    return f"”{value}”"


def format_report(report: QaReport) -> str:
    """The evaluation as a readable Swedish table."""
    lines = [
        f"{'Mått':<44}{'Värde':>8}{'Mål':>10}",
        f"{'Sifferfrågor, bästa svar rätt':<44}{report.figure_top1:>8.3f}{'≥ 0.90':>10}",
        f"{'Sifferfrågor, rätt bland topp 3':<44}{report.figure_top3:>8.3f}{'≥ 0.97':>10}",
        f"{'Övriga frågor, bästa svar rätt':<44}{report.other_top1:>8.3f}{'':>10}",
        f"{'Övriga frågor, rätt bland topp 3':<44}{report.other_top3:>8.3f}{'':>10}",
        f"{'”Hittar inget”, precision':<44}{report.not_found_precision:>8.3f}{'':>10}",
        f"{'”Hittar inget”, täckning (obesvarbara)':<44}{report.not_found_recall:>8.3f}{'≥ 0.875':>10}",
        f"{'Felaktigt ”hittar inget” (besvarbara)':<44}{report.false_not_found:>8d}{'0':>10}",
        f"Frågor: {report.figure_questions} sifferfrågor, {report.other_questions} övriga, "
        f"{report.unanswerable} obesvarbara",
    ]
    if report.failures:
        lines.append("")
        lines.append("Missar:")
        for f in report.failures:
            lines.append(
                f"  {f['id']}: {f['question']} | väntat {_shown(f['expected'])}, fick {_shown(f['got'])} "
                f"({f['problem']}; {f['file'] or '–'}, säkerhet {_shown(f['confidence'])})"
            )
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
