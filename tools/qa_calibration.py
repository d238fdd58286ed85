"""Fit `AnswerConfig.calibration`: raw answer confidence -> P(right), on the dev split only.

Reads the per-question records that `rapportsok-dev eval-qa --records FILE` writes, keeps the dev
split's answered questions (the test split is never looked at), fits an isotonic regression
(scikit-learn: monotone, no shape assumed) of "right" on the raw confidence and prints the points
to paste into index/answer_config.py. Run: `python -m rapportsok.tools.qa_calibration FILE`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from sklearn.isotonic import IsotonicRegression

# The fitted curve is kept as this many points at most (evenly spaced in raw confidence).
POINTS = 11


def fit_calibration(records: Iterable[dict], points: int = POINTS) -> tuple[tuple[float, float], ...]:
    """(raw, probability) points of the isotonic fit over the dev split's answered questions."""
    pairs = [
        (r["raw_confidence"], float(r["right"]))
        for r in records
        if r.get("split") == "dev" and not r.get("not_found") and r.get("raw_confidence") is not None
    ]
    if len(pairs) < 2:
        raise ValueError("För få besvarade frågor i utvecklingshalvan för att kalibrera.")
    raw, right = np.array(pairs).T
    model = IsotonicRegression(y_min=0.0, y_max=1.0, increasing=True, out_of_bounds="clip").fit(raw, right)
    xs = np.linspace(raw.min(), raw.max(), points)
    return tuple((round(float(x), 3), round(float(y), 3)) for x, y in zip(xs, model.predict(xs), strict=True))


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
