"""Evaluation of the NER against a gold JSONL file (speed: ingest/ner_benchmark.py).

Scores per label: strict (exact span and label) and relaxed (overlapping span,
same label) precision/recall/F1, plus value accuracy: the share of strictly
matched entities whose normalized value equals the gold value.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path

from rapportsok.ingest.ner import load_pipeline, tag_texts
from rapportsok.ingest.records import LABELS, Entity

# Targets of issue 3 on the held-out documents.
TARGET_F1 = {"AMOUNT": 0.95, "PERCENT": 0.95, "DATE": 0.92, "DIVISION": 0.90}
TARGET_VALUE_ACCURACY = 0.98


def _prf(true_pos_p: int, n_pred: int, true_pos_r: int, n_gold: int) -> dict[str, float]:
    precision = true_pos_p / n_pred if n_pred else 1.0
    recall = true_pos_r / n_gold if n_gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def values_equal(gold: object, predicted: object) -> bool:
    """Numbers compare with a relative tolerance, strings exactly."""
    if isinstance(gold, int | float) and isinstance(predicted, int | float):
        return math.isclose(float(gold), float(predicted), rel_tol=1e-6, abs_tol=1e-9)
    return gold == predicted


def score(gold_examples: Sequence[dict], predictions: Sequence[list[Entity]]) -> dict:
    """Strict and relaxed P/R/F1 per label and value accuracy."""
    counts = {label: {"gold": 0, "pred": 0, "strict": 0, "relaxed_p": 0, "relaxed_r": 0} for label in LABELS}
    value_total = value_correct = 0
    errors = []
    for example, predicted in zip(gold_examples, predictions, strict=True):
        gold = [(s["start"], s["end"], s["label"], s.get("value")) for s in example["spans"]]
        pred = [(e.start, e.end, e.label, e.value) for e in predicted]
        for start, end, label, value in gold:
            counts[label]["gold"] += 1
            same = [p for p in pred if p[:3] == (start, end, label)]
            if same:
                counts[label]["strict"] += 1
                value_total += 1
                if values_equal(value, same[0][3]):
                    value_correct += 1
                else:
                    errors.append(
                        {
                            "kind": "value",
                            "text": example["text"][start:end],
                            "gold": value,
                            "predicted": same[0][3],
                        }
                    )
            if any(p[2] == label and p[0] < end and start < p[1] for p in pred):
                counts[label]["relaxed_r"] += 1
            if not same:
                errors.append(
                    {
                        "kind": "missed",
                        "label": label,
                        "text": example["text"][start:end],
                        "context": example["text"][max(0, start - 40) : end + 40],
                    }
                )
        for start, end, label, _ in pred:
            counts[label]["pred"] += 1
            if any(g[2] == label and g[0] < end and start < g[1] for g in gold):
                counts[label]["relaxed_p"] += 1
            if not any(g[:3] == (start, end, label) for g in gold):
                errors.append(
                    {
                        "kind": "spurious",
                        "label": label,
                        "text": example["text"][start:end],
                        "context": example["text"][max(0, start - 40) : end + 40],
                    }
                )
    labels = {}
    for label, c in counts.items():
        labels[label] = {
            "gold": c["gold"],
            "predicted": c["pred"],
            "strict": _prf(c["strict"], c["pred"], c["strict"], c["gold"]),
            "relaxed": _prf(c["relaxed_p"], c["pred"], c["relaxed_r"], c["gold"]),
        }
    accuracy = value_correct / value_total if value_total else 1.0
    return {
        "labels": labels,
        "value_accuracy": round(accuracy, 4),
        "values_checked": value_total,
        "errors": errors,
    }


def read_jsonl(path: Path) -> list[dict]:
    """Examples in the gold format: {"doc", "text", "spans": [{"start", "end", "label", "value"}]}."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def evaluate(path: Path, rules_only: bool = False, model: str | Path | None = None) -> dict:
    """Tag every example of a gold JSONL file and score it."""
    examples = read_jsonl(path)
    nlp = load_pipeline(model)
    predictions = list(tag_texts([example["text"] for example in examples], nlp=nlp, rules_only=rules_only))
    return score(examples, predictions)


def missed_targets(
    result: dict,
    target_f1: dict[str, float] | None = None,
    target_value_accuracy: float = TARGET_VALUE_ACCURACY,
) -> list[str]:
    """Swedish descriptions of every target the result misses (strict F1 per label, value accuracy)."""
    missed = []
    for label, target in (target_f1 or TARGET_F1).items():
        f1 = result["labels"][label]["strict"]["f1"]
        if f1 < target:
            missed.append(f"{label}: F1 {f1:.3f} < {target:.2f}")
    if result["value_accuracy"] < target_value_accuracy:
        missed.append(f"värdeprecision {result['value_accuracy']:.3f} < {target_value_accuracy:.2f}")
    return missed

