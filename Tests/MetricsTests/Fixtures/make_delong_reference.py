#!/usr/bin/env python3
"""Reference values for DeLong, Lift and KaplanMeier in the Swift `Metrics` module.

How to run (from the package root):

    pip install numpy scipy lifelines
    python3 Tests/MetricsTests/Fixtures/make_delong_reference.py

It rewrites Tests/MetricsTests/Fixtures/delong_reference.json next to this
script. The output is deterministic (numpy Generator with a fixed seed) and is
committed; the Swift tests (DeLongTests, LiftTests, KaplanMeierTests) never
call Python.

Where each reference value comes from
-------------------------------------
* DeLong       straight from the definition, O(m*n), independent of the fast
               midrank algorithm used in Swift:
                 psi[i, j] = 1 if x_i > y_j, 1/2 if x_i == y_j, else 0
                 (x: positive scores, y: negative scores)
                 auc = mean(psi); V10 = psi.mean(axis=1); V01 = psi.mean(axis=0)
                 S10 = np.cov(V10 rows, ddof=1), S01 = np.cov(V01 rows, ddof=1)
                 Var = S10/m + S01/n; a class with one row contributes 0
                 (the Swift convention for the undefined 0/0 sample variance).
               Paired test: the 2x2 covariance matrix S10/m + S01/n of the two
               AUCs, Var(A - B) = c' S c with c = (1, -1) (the textbook form,
               not the per-row-difference form used in Swift);
               z = diff / se; p = 2 * scipy.stats.norm.sf(|z|);
               intervals use scipy.stats.norm.ppf(0.975), clipped to [0, 1]
               for an AUC and to [-1, 1] for a difference.
* Kaplan-Meier lifelines.KaplanMeierFitter (survival_function_, event_table
               at_risk, survival_function_at_times), cross-checked against a
               plain product-limit computation. Points: time 0 plus every time
               with an observed event, as documented in KaplanMeier.swift.
* Lift         a plain numpy sort (np.lexsort by score descending, then value
               ascending) and the cut rule documented in Lift.swift:
                 k = ceil(share * n) (a product within 1e-12 relative of an
                 integer counts as that integer), at least 1;
                 the tie group of the k-th row contributes the fraction
                 (k - rows above it) / (group size) of its positives and value.
               Value sums use math.fsum.
"""

from __future__ import annotations

import json
import math
import os
from fractions import Fraction

import numpy as np
import scipy
import scipy.stats

SEED = 20250301
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "delong_reference.json")
Z975 = float(scipy.stats.norm.ppf(0.975))

rng = np.random.default_rng(SEED)


# --------------------------------------------------------------------------- DeLong

def components(scores: np.ndarray, labels: np.ndarray):
    """V10, V01 and AUC from the O(m*n) kernel matrix."""
    x = scores[labels]
    y = scores[~labels]
    psi = (x[:, None] > y[None, :]).astype(float) + 0.5 * (x[:, None] == y[None, :])
    # Half-integers summed in float64 are exact for these sizes.
    auc = psi.sum() / (len(x) * len(y))
    return psi.mean(axis=1), psi.mean(axis=0), float(auc), psi


def exact_auc(scores, labels) -> Fraction:
    x = [Fraction(v) for v, l in zip(scores, labels) if l]
    y = [Fraction(v) for v, l in zip(scores, labels) if not l]
    total = Fraction(0)
    for a in x:
        for b in y:
            total += 1 if a > b else (Fraction(1, 2) if a == b else 0)
    return total / (len(x) * len(y))


def sample_cov(rows: np.ndarray) -> np.ndarray:
    """Sample covariance (ddof=1) of the rows of a k x N array; zeros for N == 1."""
    if rows.shape[1] < 2:
        return np.zeros((rows.shape[0], rows.shape[0]))
    return np.atleast_2d(np.cov(rows, ddof=1))


def delong_inference(scores, labels):
    s = np.asarray(scores, float)
    y = np.asarray(labels, bool)
    v10, v01, auc, _ = components(s, y)
    m, n = len(v10), len(v01)
    assert auc == float(exact_auc(scores, labels)), "the AUC must be the correctly rounded rational"
    var = sample_cov(v10[None, :])[0, 0] / m + sample_cov(v01[None, :])[0, 0] / n
    se = math.sqrt(var)
    return {
        "auc": auc,
        "standard_error": se,
        "lower95": max(0.0, auc - Z975 * se),
        "upper95": min(1.0, auc + Z975 * se),
        "positives": int(m),
        "negatives": int(n),
    }


def delong_paired(scores_a, scores_b, labels):
    a = np.asarray(scores_a, float)
    b = np.asarray(scores_b, float)
    y = np.asarray(labels, bool)
    v10a, v01a, auc_a, _ = components(a, y)
    v10b, v01b, auc_b, _ = components(b, y)
    m, n = len(v10a), len(v01a)
    s = sample_cov(np.vstack([v10a, v10b])) / m + sample_cov(np.vstack([v01a, v01b])) / n
    c = np.array([1.0, -1.0])
    var = float(c @ s @ c)
    assert var > 0, "the reference cases have a non-degenerate difference"
    se = math.sqrt(var)
    diff = auc_a - auc_b
    z = diff / se
    p = float(2 * scipy.stats.norm.sf(abs(z)))
    return {
        "auc_a": auc_a,
        "auc_b": auc_b,
        "difference": diff,
        "standard_error": se,
        "z": z,
        "p_value": p,
        "lower95": max(-1.0, diff - Z975 * se),
        "upper95": min(1.0, diff + Z975 * se),
    }


def labels_from(logit: np.ndarray) -> np.ndarray:
    return rng.random(len(logit)) < 1 / (1 + np.exp(-logit))


delong_cases = []


def add_delong(name, note, scores, labels):
    scores = [float(v) for v in scores]
    labels = [bool(v) for v in labels]
    delong_cases.append({"name": name, "note": note, "scores": scores, "labels": labels,
                         "expected": delong_inference(scores, labels)})


n = 500
signal = rng.normal(size=n)
y = labels_from(1.2 * signal - 0.3)
add_delong("random_ties", "n=500, scores rounded to 1 decimal (many ties)",
           np.round(signal + 0.3 * rng.normal(size=n), 1), y)

n = 300
y = rng.random(n) < 0.35
add_delong("heavy_ties", "n=300, scores in {0, 1, 2, 3}",
           np.clip(np.round(rng.normal(1.5 + 0.7 * y, 1.0)), 0, 3), y)

y = np.array([False] * 25 + [True] * 15)
s = np.concatenate([rng.uniform(0, 0.5, 25), rng.uniform(0.6, 1.0, 15)])
perm = rng.permutation(len(y))
add_delong("separated", "perfectly separated: AUC 1, SE 0", s[perm], y[perm])

add_delong("small_n5", "n=5 (2 positives, 3 negatives, one tie across classes)",
           [0.1, 0.4, 0.35, 0.8, 0.4], [False, True, False, True, False])

n = 400
signal = rng.normal(size=n)
y = labels_from(1.5 * signal - 3.0)
add_delong("imbalanced", "n=400, few positives, unrounded scores (no ties)", signal + 0.5 * rng.normal(size=n), y)

add_delong("one_positive", "a single positive: its class contributes no variance term",
           [0.3, 0.9, 0.1, 0.5, 0.5, 0.2, 0.7, 0.4], [False, False, False, True, False, False, False, False])

paired_cases = []


def add_paired(name, note, a, b, labels):
    a = [float(v) for v in a]
    b = [float(v) for v in b]
    labels = [bool(v) for v in labels]
    paired_cases.append({"name": name, "note": note, "scores_a": a, "scores_b": b, "labels": labels,
                         "expected": delong_paired(a, b, labels)})


n = 600
signal = rng.normal(size=n)
y = labels_from(1.3 * signal - 0.5)
common = rng.normal(size=n)
add_paired("correlated", "n=600, two noisy views of one signal sharing noise, rounded to 2 decimals",
           np.round(signal + 0.6 * common + 0.4 * rng.normal(size=n), 2),
           np.round(0.6 * signal + 0.6 * common + 0.6 * rng.normal(size=n), 2), y)

n = 250
signal = rng.normal(size=n)
y = labels_from(signal)
add_paired("correlated_heavy_ties", "n=250, both scores on a 5-point grid",
           np.clip(np.round(signal + 0.5 * rng.normal(size=n)), -2, 2),
           np.clip(np.round(signal + 1.0 * rng.normal(size=n)), -2, 2), y)

add_paired("small_n8", "n=8, hand-sized",
           [0.9, 0.8, 0.3, 0.6, 0.2, 0.5, 0.5, 0.1],
           [0.7, 0.9, 0.4, 0.2, 0.3, 0.6, 0.1, 0.1],
           [True, True, False, True, False, False, True, False])

# --------------------------------------------------------------------------- Kaplan-Meier

try:
    import lifelines
    from lifelines import KaplanMeierFitter
    KM_SOURCE = f"lifelines {lifelines.__version__} KaplanMeierFitter"
except ImportError:  # pragma: no cover - fallback when lifelines cannot be installed
    KaplanMeierFitter = None
    KM_SOURCE = "product-limit definition (lifelines not installed)"


def km_definition(durations, events):
    d = np.asarray(durations, float)
    e = np.asarray(events, bool)
    n = len(d)
    times = np.unique(d)
    s = 1.0
    points = [{"time": 0.0, "survival": 1.0, "at_risk": n}]
    for t in times:
        at_risk = int(np.sum(d >= t))
        deaths = int(np.sum((d == t) & e))
        if deaths == 0:
            continue
        s *= 1 - deaths / at_risk
        if t == 0:
            points[0]["survival"] = s
        else:
            points.append({"time": float(t), "survival": s, "at_risk": at_risk})
    return points


def km_reference(durations, events, queries):
    points = km_definition(durations, events)
    query_values = [km_step(points, t) for t in queries]
    if KaplanMeierFitter is None:
        return points, query_values
    kmf = KaplanMeierFitter().fit(np.asarray(durations, float), np.asarray(events, bool))
    sf = kmf.survival_function_.iloc[:, 0]
    table = kmf.event_table
    out = []
    for t in sf.index:
        observed = int(table.loc[t, "observed"]) if t in table.index else 0
        if t == 0 or observed > 0:
            out.append({"time": float(t), "survival": float(sf.loc[t]), "at_risk": int(table.loc[t, "at_risk"])})
    assert out[0]["time"] == 0.0
    assert len(out) == len(points), (out, points)
    for a, b in zip(out, points):
        assert a["time"] == b["time"] and a["at_risk"] == b["at_risk"], (a, b)
        assert abs(a["survival"] - b["survival"]) <= 1e-13, (a, b)
    at_times = [float(v) for v in kmf.survival_function_at_times(queries).values]
    for a, b in zip(at_times, query_values):
        assert abs(a - b) <= 1e-13, (a, b)
    return out, at_times


def km_step(points, t):
    s = 1.0
    for p in points:
        if p["time"] <= t:
            s = p["survival"]
    return s


km_cases = []


def add_km(name, note, durations, events, queries):
    durations = [float(v) for v in durations]
    events = [bool(v) for v in events]
    queries = [float(v) for v in queries]
    curve, values = km_reference(durations, events, queries)
    km_cases.append({"name": name, "note": note, "durations": durations, "events": events,
                     "curve": curve, "queries": queries, "survival_at": values})


n = 120
durations = np.round(rng.exponential(20, size=n))  # integer days: many ties, some zeros
events = rng.random(n) < 0.7
add_km("ties_and_censoring", "n=120 integer days, ties among events and censorings at the same day, zeros",
       durations, events, [0, 0.5, 1, 2.5, 7, 10, 15.25, 30, 60, 1000])

add_km("small", "hand-sized: events and censorings tied at 2 and 8; longest duration censored",
       [1, 2, 2, 3, 3, 3, 5, 8, 8, 9], [True, True, False, True, True, False, False, True, False, False],
       [0, 1, 1.5, 2, 3, 4.999, 5, 8, 9, 20])

add_km("events_at_zero", "events at time 0 lower the first point; the longest duration is an event (S = 0)",
       [0, 0, 0, 1.5, 2, 2, 4.25, 6], [True, False, True, True, False, True, False, True],
       [0, 1, 1.5, 2, 5, 6, 7])

add_km("no_events", "all censored: a single point (0, 1, n)", [3, 1, 4, 1, 5], [False] * 5, [0, 2, 10])

# --------------------------------------------------------------------------- Lift

def top_rows(share: float, n: int) -> int:
    product = share * n
    nearest = round(product)
    if abs(product - nearest) <= 1e-12 * max(1.0, product):
        k = int(nearest)
    else:
        k = math.ceil(product)
        # The cut must not depend on rounding: no product sits just off an integer.
        assert abs(product - nearest) > 1e-6
    return min(n, max(1, k))


def lift_point(share, k, s, y, v):
    n = len(s)
    if v is None:
        order = np.lexsort((np.arange(n), -s))
    else:
        order = np.lexsort((v, -s))
    ss = s[order]
    cut = ss[k - 1]
    above = ss > cut
    group = ss == cut
    rows_above = int(above.sum())
    g = int(group.sum())
    taken = k - rows_above
    yy = y[order]
    pos_total = int(y.sum())
    if taken == g:
        top_pos = float(yy[:k].sum())
    else:
        top_pos = float(yy[above].sum()) + taken * float(yy[group].sum()) / g
    point = {
        "share": share,
        "rows": k,
        "positive_rate": top_pos / k,
        "lift": top_pos * n / (k * pos_total),
        "captured_positives": top_pos / pos_total,
    }
    if v is not None:
        vv = v[order]
        if taken == g:
            top_value = math.fsum(vv[:k])
        else:
            top_value = math.fsum(vv[above]) + taken * math.fsum(vv[group]) / g
        total = math.fsum(v)
        point["value"] = top_value
        point["captured_value"] = top_value / total if total > 0 else 0.0
    return point


lift_cases = []


def add_lift(name, note, scores, labels, values, shares, gains_count):
    s = np.asarray(scores, float)
    y = np.asarray(labels, bool)
    v = None if values is None else np.asarray(values, float)
    n = len(s)
    points = [lift_point(float(sh), top_rows(float(sh), n), s, y, v) for sh in shares]
    gains = [lift_point(i / gains_count, max(1, -(-i * n // gains_count)), s, y, v)
             for i in range(1, gains_count + 1)]
    lift_cases.append({
        "name": name, "note": note,
        "scores": [float(x) for x in s], "labels": [bool(x) for x in y],
        "values": None if v is None else [float(x) for x in v],
        "shares": [float(x) for x in shares], "points": points,
        "gains_count": gains_count, "gains": gains,
    })


n = 1000
signal = rng.normal(size=n)
y = labels_from(1.4 * signal - 1.5)
cash = np.round(rng.lognormal(6, 1.2, size=n), 2)
add_lift("random_values", "n=1000, scores rounded to 2 decimals (ties at cuts), cash values",
         np.round(1 / (1 + np.exp(-(signal + 0.5 * rng.normal(size=n)))), 2), y, cash,
         [0.01, 0.05, 0.1, 0.123, 0.2, 0.25, 0.3, 0.5, 0.75, 1.0], 20)

n = 200
y = rng.random(n) < 0.3
add_lift("heavy_ties", "n=200, scores in {0, 1, 2, 3}: every cut inside a tie group, no values",
         np.clip(np.round(rng.normal(1.5 + 0.8 * y, 1.0)), 0, 3), y, None,
         [0.05, 0.1, 0.2, 0.3, 0.5, 0.9, 1.0], 50)

add_lift("small_n7", "n=7 with a 3-row tie straddling the 40% cut (k = 3)",
         [0.9, 0.7, 0.5, 0.5, 0.5, 0.2, 0.1], [True, False, True, True, False, False, True],
         [100.0, 50.0, 30.0, 0.0, 60.0, 10.0, 5.0],
         [0.1, 0.3, 0.4, 0.5, 0.7, 1.0], 7)

out = {
    "seed": SEED,
    "z975": Z975,
    "versions": {"numpy": np.__version__, "scipy": scipy.__version__, "kaplan_meier": KM_SOURCE},
    "delong": delong_cases,
    "paired": paired_cases,
    "kaplan_meier": km_cases,
    "lift": lift_cases,
}
with open(OUT, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(f"wrote {OUT}: {len(delong_cases)} DeLong, {len(paired_cases)} paired, "
      f"{len(km_cases)} Kaplan-Meier, {len(lift_cases)} lift cases")
