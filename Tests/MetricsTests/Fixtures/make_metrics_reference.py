#!/usr/bin/env python3
"""Reference values for the Swift `Metrics` module (Tests/MetricsTests).

How to run (from the package root):

    pip install scikit-learn numpy scipy pandas
    python3 Tests/MetricsTests/Fixtures/make_metrics_reference.py

It rewrites Tests/MetricsTests/Fixtures/metrics_reference.json next to this
script. The output is deterministic (numpy Generator with a fixed seed) and is
committed; the Swift tests never call Python.

Where each reference value comes from
-------------------------------------
* auc          sklearn.metrics.roc_auc_score(y, s, sample_weight=w)
               (cross-checked against an exact rational Mann-Whitney sum with
               ties counted 1/2)
* gini         2 * auc - 1
* log_loss     sklearn.metrics.log_loss(y, clip(p, 1e-15, 1 - 1e-15), sample_weight=w)
               The Swift code clips to [1e-15, 1 - 1e-15]. scikit-learn >= 1.5
               clips to machine epsilon (2.2e-16) instead, so the probabilities
               are pre-clipped here; for data inside [1e-15, 1 - 1e-15] the
               pre-clip is a no-op (asserted for every data set except the
               one named "extreme_probabilities").
* brier        sklearn.metrics.brier_score_loss(y, p, sample_weight=w)
* ks           unweighted: scipy.stats.ks_2samp(s[y], s[~y]).statistic
               weighted:   max |tpr - fpr| over sklearn roc_curve points
               (both are cross-checked against each other / a numpy ECDF)
* roc_curve    sklearn.metrics.roc_curve(y, s, sample_weight=w,
               drop_intermediate=False); the first threshold (+inf) is
               written as JSON null. Stored for data sets with n <= 1000 only.
* calibration  pandas/numpy implementation of the binning rule documented in
               Sources/Metrics/Calibration.swift, restated here:
                 1. drop rows with weight 0;
                 2. group rows by equal probability (ascending);
                 3. a group with weight W_g whose preceding groups weigh C_g in
                    total (of W overall) goes to bin
                    min(bins - 1, floor(bins * (C_g + W_g / 2) / W));
                 4. only non-empty bins are reported, with their 0-based index.
               The script asserts that no group's bins * (C_g + W_g/2) / W lies
               within 1e-9 of an integer unless it is exactly an integer, so
               floating-point rounding cannot move a group between bins.
"""

from __future__ import annotations

import json
import math
import os
import warnings
from fractions import Fraction

import numpy as np
import pandas as pd
import scipy
import scipy.stats
import sklearn
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score, roc_curve

SEED = 20240611
CLIP = 1e-15
CALIBRATION_BIN_COUNTS = (10, 7, 3)
ROC_CURVE_MAX_N = 1000  # keep the fixture small: no full ROC curve for larger data sets


# --------------------------------------------------------------------------
# independent cross-checks
# --------------------------------------------------------------------------

def exact_auc(s: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """Mann-Whitney AUC in exact rational arithmetic, ties count 1/2."""
    keep = w != 0
    s, y, w = s[keep], y[keep], w[keep]
    order = np.argsort(-s, kind="stable")
    s, y, w = s[order], y[order], w[order]
    pos_before = Fraction(0)
    total = Fraction(0)
    i = 0
    n = len(s)
    while i < n:
        j = i
        gp = Fraction(0)
        gn = Fraction(0)
        while j < n and s[j] == s[i]:
            if y[j]:
                gp += Fraction(float(w[j]))
            else:
                gn += Fraction(float(w[j]))
            j += 1
        total += gn * (pos_before + gp / 2)
        pos_before += gp
        i = j
    p_tot = sum((Fraction(float(v)) for v, t in zip(w, y) if t), Fraction(0))
    n_tot = sum((Fraction(float(v)) for v, t in zip(w, y) if not t), Fraction(0))
    return float(total / (p_tot * n_tot))


def weighted_ks(s: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """max |F_pos - F_neg| of the weighted score ECDFs, evaluated at distinct scores."""
    keep = w != 0
    s, y, w = s[keep], y[keep], w[keep]
    grid = np.unique(s)
    def ecdf(mask):
        ss, ww = s[mask], w[mask]
        order = np.argsort(ss, kind="stable")
        ss, ww = ss[order], ww[order]
        cum = np.concatenate([[0.0], np.cumsum(ww)])
        return cum[np.searchsorted(ss, grid, side="right")] / cum[-1]
    return float(np.max(np.abs(ecdf(y) - ecdf(~y))))


# --------------------------------------------------------------------------
# calibration reference (the documented binning rule)
# --------------------------------------------------------------------------

def calibration_reference(p: np.ndarray, y: np.ndarray, w: np.ndarray, bins: int) -> list[dict]:
    df = pd.DataFrame({"p": p, "y": y.astype(float), "w": w})
    df = df[df["w"] != 0]
    df["wp"] = df["w"] * df["p"]
    df["wy"] = df["w"] * df["y"]
    groups = (
        df.groupby("p", sort=True)
        .agg(count=("w", "size"), weight=("w", "sum"), wp=("wp", "sum"), wy=("wy", "sum"))
        .reset_index()
    )
    # Exact cumulative weights (rational arithmetic) rounded once, so the
    # boundary test below is about the definition, not about summation order.
    exact_w = [sum((Fraction(float(v)) for v in df["w"][df["p"] == g]), Fraction(0))
               for g in groups["p"]]
    total = sum(exact_w, Fraction(0))
    before = []
    acc = Fraction(0)
    for ew in exact_w:
        before.append(acc)
        acc += ew
    positions = [bins * (b + ew / 2) / total for b, ew in zip(before, exact_w)]
    for x in positions:
        frac = abs(x - round(x))
        assert frac == 0 or frac > Fraction(1, 10**9), f"group midpoint too close to a bin edge: {float(x)}"
    groups["bin"] = [min(bins - 1, math.floor(x)) for x in positions]

    out = []
    for b, g in groups.groupby("bin", sort=True):
        sub = df[df["p"].isin(g["p"])]
        weight = float(sub["w"].sum())
        out.append({
            "index": int(b),
            "count": int(len(sub)),
            "weight": weight,
            "mean_predicted": float(np.average(sub["p"], weights=sub["w"])),
            "observed_rate": float(np.average(sub["y"], weights=sub["w"])),
            "min_predicted": float(sub["p"].min()),
            "max_predicted": float(sub["p"].max()),
        })
    return out


# --------------------------------------------------------------------------
# one data set -> expected values
# --------------------------------------------------------------------------

def reference(name: str, p: np.ndarray, y: np.ndarray, w: np.ndarray | None, note: str) -> dict:
    p = np.asarray(p, dtype=float)
    y = np.asarray(y, dtype=bool)
    assert p.shape == y.shape
    assert np.all((p >= 0) & (p <= 1))
    wv = np.ones_like(p) if w is None else np.asarray(w, dtype=float)
    sw = None if w is None else wv

    two_classes = wv[y].sum() > 0 and wv[~y].sum() > 0
    expected: dict = {}

    if two_classes:
        auc = float(roc_auc_score(y, p, sample_weight=sw))
        assert abs(auc - exact_auc(p, y, wv)) <= 1e-14, (name, auc, exact_auc(p, y, wv))
        fpr, tpr, thr = roc_curve(y, p, sample_weight=sw, drop_intermediate=False)
        ks_roc = float(np.max(np.abs(tpr - fpr)))
        ks_ecdf = weighted_ks(p, y, wv)
        assert abs(ks_roc - ks_ecdf) <= 1e-14, (name, ks_roc, ks_ecdf)
        if w is None:
            with warnings.catch_warnings():  # p-value warnings for tiny samples; only the statistic is used
                warnings.simplefilter("ignore", RuntimeWarning)
                ks = float(scipy.stats.ks_2samp(p[y], p[~y], method="asymp").statistic)
            assert abs(ks - ks_roc) <= 1e-14, (name, ks, ks_roc)
        else:
            ks = ks_roc
        assert math.isinf(thr[0]) and thr[0] > 0
        expected["auc"] = auc
        expected["gini"] = 2.0 * auc - 1.0
        expected["ks"] = ks
        expected["roc_curve"] = None if len(p) > ROC_CURVE_MAX_N else {
            "fpr": [float(v) for v in fpr],
            "tpr": [float(v) for v in tpr],
            "thresholds": [None] + [float(v) for v in thr[1:]],
        }
    else:
        expected["auc"] = None
        expected["gini"] = None
        expected["ks"] = None
        expected["roc_curve"] = None

    clipped = np.clip(p, CLIP, 1 - CLIP)
    if name != "extreme_probabilities":
        assert np.array_equal(clipped, p), f"{name}: probabilities outside the clip range"
    if two_classes:
        expected["log_loss"] = float(log_loss(y, clipped, sample_weight=sw))
        expected["brier"] = float(brier_score_loss(y, p, sample_weight=sw))
    else:
        # scikit-learn refuses single-class y without `labels`; give it the labels.
        expected["log_loss"] = float(log_loss(y, clipped, sample_weight=sw, labels=[False, True]))
        expected["brier"] = float(np.average((y.astype(float) - p) ** 2, weights=wv))
    direct_brier = float(np.average((y.astype(float) - p) ** 2, weights=wv))
    assert abs(expected["brier"] - direct_brier) <= 1e-14 * max(1.0, direct_brier)

    expected["calibration"] = [
        {"bins": b, "table": calibration_reference(p, y, wv, b)} for b in CALIBRATION_BIN_COUNTS
    ]

    return {
        "name": name,
        "note": note,
        "probabilities": [float(v) for v in p],
        "labels": [bool(v) for v in y],
        "weights": None if w is None else [float(v) for v in wv],
        "expected": expected,
    }


def main() -> None:
    rng = np.random.default_rng(SEED)
    datasets = []

    def bernoulli(prob):
        return rng.random(len(prob)) < prob

    # 1. continuous scores from a logistic model, labels drawn from them
    z = rng.normal(0.0, 1.5, 1000)
    p = 1.0 / (1.0 + np.exp(-z))
    datasets.append(reference("random", p, bernoulli(p), None,
                              "n=1000, logistic scores, labels ~ Bernoulli(p)"))

    # 2. heavy ties: same kind of scores rounded to one decimal
    z = rng.normal(-0.3, 1.2, 1000)
    p = np.round(1.0 / (1.0 + np.exp(-z)), 1)
    p = np.clip(p, 0.05, 0.95)  # keep log-loss inside the clip range; still 10 distinct values
    datasets.append(reference("heavy_ties", p, bernoulli(p), None,
                              "n=1000, scores rounded to 1 decimal (heavy ties)"))

    # 3. weighted, continuous scores, ~5% zero weights
    z = rng.normal(0.2, 1.0, 800)
    p = 1.0 / (1.0 + np.exp(-z))
    y = bernoulli(p)
    w = rng.lognormal(0.0, 0.8, 800)
    w[rng.random(800) < 0.05] = 0.0
    datasets.append(reference("weighted", p, y, w,
                              "n=800, lognormal weights, ~5% zero weights"))

    # 4. weighted with heavy ties (two decimals) and integer-valued weights
    z = rng.normal(0.0, 1.0, 600)
    p = np.clip(np.round(1.0 / (1.0 + np.exp(-z)), 2), 0.01, 0.99)
    y = bernoulli(p)
    w = rng.integers(0, 5, 600).astype(float)
    datasets.append(reference("weighted_ties", p, y, w,
                              "n=600, scores rounded to 2 decimals, integer weights 0..4"))

    # 5. imbalanced: 1% positives
    n = 5000
    y = np.zeros(n, dtype=bool)
    y[rng.choice(n, size=n // 100, replace=False)] = True
    z = rng.normal(-4.0, 1.0, n) + 1.8 * y
    p = 1.0 / (1.0 + np.exp(-z))
    datasets.append(reference("imbalanced", p, y, None,
                              "n=5000, exactly 1% positives"))

    # 6. tiny data sets, n = 2..5 (hand-picked, some with ties)
    tiny = [
        ("tiny_n2", [0.2, 0.7], [False, True], None),
        ("tiny_n2_reversed", [0.7, 0.2], [False, True], None),
        ("tiny_n3_tie", [0.4, 0.4, 0.9], [True, False, True], None),
        ("tiny_n4", [0.1, 0.35, 0.4, 0.8], [False, True, False, True], None),
        ("tiny_n5_weighted", [0.3, 0.3, 0.6, 0.1, 0.9], [True, False, False, False, True],
         [2.0, 0.5, 1.5, 3.0, 0.25]),
        ("tiny_n3_single_class", [0.2, 0.5, 0.8], [True, True, True], None),
    ]
    for name, p, y, w in tiny:
        datasets.append(reference(name, np.array(p), np.array(y), None if w is None else np.array(w),
                                  f"n={len(p)}, hand-picked"))

    # 7. probabilities at and beyond the clip limits
    p = np.array([0.0, 1.0, 1e-17, 1.0 - 1e-16, 0.5, 1e-15, 0.3, 0.999, 0.0, 1.0])
    y = np.array([False, True, False, True, True, False, False, True, True, False])
    datasets.append(reference("extreme_probabilities", p, y, None,
                              "exact 0/1 and values beyond [1e-15, 1-1e-15]; log-loss uses the 1e-15 clip"))

    out = {
        "generator": "make_metrics_reference.py",
        "seed": SEED,
        "versions": {
            "scikit-learn": sklearn.__version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "pandas": pd.__version__,
        },
        "log_loss_clip": CLIP,
        "datasets": datasets,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "metrics_reference.json")
    # Compact JSON, one data set per line (keeps the file small and diffs readable).
    header = json.dumps({k: v for k, v in out.items() if k != "datasets"}, indent=1, allow_nan=False)
    lines = [json.dumps(ds, separators=(",", ":"), allow_nan=False) for ds in datasets]
    with open(path, "w") as fh:
        fh.write(header[:-2] + ',\n "datasets": [\n' + ",\n".join(lines) + "\n ]\n}\n")
    print(f"wrote {path}: {len(datasets)} data sets")


if __name__ == "__main__":
    main()
