"""Fit `AnswerConfig.calibration`: (raw confidence, margin) -> P(right), on the calib split only.

Reads the per-question records that `rapportsok-dev eval-qa --records FILE` writes, keeps the calib
split's answered questions (ids starting with `c`, written after the others and never tuned on: the
dev split has been tuned on so long that a fit on it overstates how often answers are right, and
the test split stays held out), fits a logistic regression
(scikit-learn; Platt scaling with the margin over the best rival as a second feature) of "right" on
them and prints the coefficients to paste into index/answer_config.py. Run:
`python -m rapportsok.tools.qa_calibration FILE`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from rapportsok.index.answer_config import DEFAULT_CONFIG
from sklearn.linear_model import LogisticRegression

# Inverse regularisation strength: the default 1.0 squeezes ~100 answers into 0.6-0.8; 10 lets the
# fit follow the data while two coefficients cannot overfit much.
STRENGTH = 10.0


def fit_calibration(records: Iterable[dict]) -> tuple[float, float, float]:
    """(intercept, raw coefficient, margin coefficient) of the fit over the calib split's answers."""
    rows = [
        (r["raw_confidence"], min(r.get("margin") or 0.0, DEFAULT_CONFIG.margin_cap), float(r["right"]))
        for r in records
        if r.get("split") == "calib" and not r.get("not_found") and r.get("raw_confidence") is not None
    ]
    if len({right for *_, right in rows}) < 2:
        raise ValueError("För få besvarade frågor i kalibreringsdelen (id som börjar på c) för att "
                         "kalibrera (rätt och fel behövs).")
    data = np.array(rows)
    model = LogisticRegression(C=STRENGTH).fit(data[:, :2], data[:, 2])
    raw_weight, margin_weight = model.coef_[0]
    return round(float(model.intercept_[0]), 3), round(float(raw_weight), 3), round(float(margin_weight), 3)


def main(argv: list[str] | None = None) -> int:
    """Print the calibration points for a records file."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("användning: python -m rapportsok.tools.qa_calibration RADFIL", file=sys.stderr)
        return 2
    lines = Path(args[0]).read_text(encoding="utf-8").splitlines()
    print(fit_calibration(json.loads(line) for line in lines if line.strip()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
