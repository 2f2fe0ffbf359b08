#!/usr/bin/env python3
"""scikit-uplift reference values for the Swift uplift metrics (Sources/Metrics/Uplift*.swift).

Install:
    pip install scikit-uplift numpy pandas       (scikit-uplift 0.5.1 brings scikit-learn)

Run (from the package root):
    python3 Benchmarks/reference/uplift_sklift.py

It writes two files, both committed; the Swift tests (Tests/MetricsTests/UpliftReferenceTests.swift)
read them and never call Python:
    Tests/MetricsTests/Fixtures/uplift_data.csv       the data set, one example per row
    Tests/MetricsTests/Fixtures/uplift_reference.json what sklift.metrics says about it

The data set (numpy default_rng(SEED), N rows) is a synthetic call experiment:
    x            uniform(0, 1) account feature
    treated      1 when called, with probability 0.4
    converted    1 when the account paid, P = 0.25 + 0.15 (1 - x) + treated * (0.3 x - 0.06)
                 (the call helps accounts with high x and slightly hurts those with low x)
    cash         converted * lognormal(5, 0.8) rounded to cents (real-valued outcome)
    score        the true effect plus normal(0, 0.08) noise, rounded to 0.01: many ties
    coarse_score score rounded to 0.1: a few large tie groups, so uplift@k cuts inside one

Values, for each score column x each outcome column:
    qini_curve, uplift_curve                   sklift.metrics.qini_curve / uplift_curve (x, y)
    qini_auc                                   qini_auc_score(negative_effect=True)
    qini_auc_no_negative_effect (binary only)  qini_auc_score(negative_effect=False)
    uplift_auc (binary only)                   uplift_auc_score
    uplift_at_k                                uplift_at_k, strategy overall and by_group,
                                               k = 0.1, 0.3 (shares) and k = 200 (a count)
and, per outcome column, perfect_qini_curve (both negative_effect values; False for binary only)
and perfect_uplift_curve (binary only).

sklift checks that y is binary (check_is_binary). For the real-valued cash outcome, the same sklift
functions are called with that check skipped for y only (treatment is still checked); their
formulas do not otherwise assume a binary y. The functions whose perfect curve does assume it
(uplift_auc_score, perfect_uplift_curve, negative_effect=False) are computed for binary y only.
"""

from __future__ import annotations

import contextlib
import json
import os
import warnings

import numpy as np
import sklearn
import sklift
import sklift.metrics.metrics as sklift_metrics
from sklift.metrics import (
    perfect_qini_curve,
    perfect_uplift_curve,
    qini_auc_score,
    qini_curve,
    uplift_at_k,
    uplift_auc_score,
    uplift_curve,
)

SEED = 20260412
N = 1500
HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "..", "Tests", "MetricsTests", "Fixtures")


def make_data() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(SEED)
    x = rng.uniform(size=N)
    treated = (rng.uniform(size=N) < 0.4).astype(np.int64)
    effect = 0.3 * x - 0.06
    p = 0.25 + 0.15 * (1 - x) + treated * effect
    converted = (rng.uniform(size=N) < p).astype(np.int64)
    amount = np.round(rng.lognormal(5.0, 0.8, size=N), 2)
    cash = np.where(converted == 1, amount, 0.0)
    score = np.round(effect + rng.normal(0.0, 0.08, size=N), 2) + 0.0  # + 0.0: no -0.0
    coarse = np.round(score, 1) + 0.0
    return {"score": score, "coarse_score": coarse, "treated": treated, "converted": converted, "cash": cash}


@contextlib.contextmanager
def real_valued_outcome(treatment: np.ndarray):
    """Skips sklift's binary check for y (treatment must still be 0/1)."""
    assert set(np.unique(treatment)) == {0, 1}
    original = sklift_metrics.check_is_binary
    sklift_metrics.check_is_binary = lambda array: None
    try:
        yield
    finally:
        sklift_metrics.check_is_binary = original


def curve(xy) -> dict[str, list[float]]:
    x, y = xy
    return {"x": [float(v) for v in x], "y": [float(v) for v in y]}


def case_values(y, score, t, binary: bool) -> dict:
    values = {
        "qini_curve": curve(qini_curve(y, score, t)),
        "uplift_curve": curve(uplift_curve(y, score, t)),
        "qini_auc": float(qini_auc_score(y, score, t, negative_effect=True)),
        "qini_auc_no_negative_effect": float(qini_auc_score(y, score, t, negative_effect=False)) if binary else None,
        "uplift_auc": float(uplift_auc_score(y, score, t)) if binary else None,
        "uplift_at_k": [],
    }
    for strategy in ("overall", "by_group"):
        for k in (0.1, 0.3, 200):
            values["uplift_at_k"].append({
                "strategy": strategy,
                "share": k if isinstance(k, float) else None,
                "count": k if isinstance(k, int) else None,
                "uplift": float(uplift_at_k(y, score, t, strategy=strategy, k=k)),
            })
    return values


def perfect_values(y, t, binary: bool) -> dict:
    return {
        "qini": curve(perfect_qini_curve(y, t, negative_effect=True)),
        "qini_no_negative_effect": curve(perfect_qini_curve(y, t, negative_effect=False)) if binary else None,
        "uplift": curve(perfect_uplift_curve(y, t)) if binary else None,
    }


def compute(data: dict[str, np.ndarray]) -> dict:
    t = data["treated"]
    cases, perfect = [], {}
    for outcome in ("converted", "cash"):
        binary = outcome == "converted"
        y = data[outcome]
        guard = contextlib.nullcontext() if binary else real_valued_outcome(t)
        with guard:
            perfect[outcome] = perfect_values(y, t, binary)
            for score in ("score", "coarse_score"):
                cases.append({"score": score, "outcome": outcome, **case_values(y, data[score], t, binary)})
    return {"cases": cases, "perfect": perfect}


def write_csv(data: dict[str, np.ndarray], path: str) -> None:
    columns = ["score", "coarse_score", "treated", "converted", "cash"]
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write(",".join(columns) + "\n")
        for i in range(N):
            cells = [repr(float(data[c][i])) if data[c].dtype.kind == "f" else str(int(data[c][i])) for c in columns]
            out.write(",".join(cells) + "\n")


def main() -> None:
    warnings.simplefilter("ignore")  # sklearn's stable_cumsum deprecation notice
    data = make_data()
    reference = {
        "generator": "Benchmarks/reference/uplift_sklift.py",
        "versions": {"scikit-uplift": sklift.__version__, "scikit-learn": sklearn.__version__, "numpy": np.__version__},
        "seed": SEED,
        "examples": N,
        "data_file": "uplift_data.csv",
        **compute(data),
    }
    write_csv(data, os.path.join(FIXTURES, "uplift_data.csv"))
    with open(os.path.join(FIXTURES, "uplift_reference.json"), "w", encoding="utf-8") as out:
        json.dump(reference, out, indent=1, sort_keys=True)
        out.write("\n")
    print(f"wrote {N} rows and {len(reference['cases'])} cases to {os.path.normpath(FIXTURES)}")


if __name__ == "__main__":
    main()
