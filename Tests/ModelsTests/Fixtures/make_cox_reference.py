#!/usr/bin/env python3
"""Generate reference fixtures for the arscore Cox proportional-hazards tests.

How to run (from the folder that holds this script, or anywhere):

    pip install lifelines==0.30.3 statsmodels scipy numpy pandas
    python3 make_cox_reference.py

The script is deterministic (fixed seeds; every number is written with
"%.17g" / Python repr, which round-trips float64 exactly).  It writes, into
the folder that contains this script:

    cox_no_ties.csv     n=300, continuous durations (no ties), x1..x4 on very different scales
    cox_ties.csv        n=400, integer-day durations: heavy ties, events and censored tied
    cox_weighted.csv    n=300, integer-day durations, positive non-integer case weights w
    cox_constant.csv    n=200, integer-day durations + constant column `const`
    cox_monotone.csv    n=60,  x1 orders the event times exactly (monotone likelihood)
    cox_reference.json  reference values (see below)

Columns: features, then `duration`, `event` (0/1) and, for the weighted set, `w`.

Conventions (identical to arscore):
  * features are standardised, z = (x - mean) / sd, with the weighted mean and
    the POPULATION sd (weights = case weights when present);
  * objective = -(log partial likelihood) + (l2/2) * ||beta_std||^2;
  * Efron ties with case weights follow lifelines: at an event time with d
    tied events (d counts events with non-zero weight) of total weight W_d,
    each of the d Efron terms k = 0..d-1 gets the mean weight W_d/d:
        loglik += sum_{events} w_i eta_i - (W_d/d) sum_k log(S0 - (k/d) T0),
    S0 = sum_{risk set} w exp(eta), T0 = the same over the tied events;
  * Breslow: loglik += sum_{events} w_i eta_i - W_d log S0;
  * beta_orig_j = beta_std_j / sd_j;
  * baseline: Breslow estimator dH(t) = W_d / S0(t) at each distinct event
    time, for the covariate vector x = the (weighted) training means.

Reference JSON, keyed by file stem:
  "efron"        lifelines CoxPHFitter (Efron; weights_col="w" when weighted),
                 fit_options precision=1e-20, r_precision=0 (i.e. until the
                 Newton decrement is < 1e-20): coefficients (original scale),
                 standard_errors, log_likelihood, concordance, the lifelines
                 baseline cumulative hazard at the distinct EVENT times
                 (lifelines' reference point is the UNWEIGHTED column mean,
                 given as "lifelines_reference_means"), predicted survival
                 S(t | x) for the first 5 rows at a few observed durations
                 (lifelines interpolates linearly between its timeline points;
                 at observed durations that equals the step function), and the
                 log partial hazards (x - unweighted mean) . beta of those rows.
                 Cross-checked: statsmodels PHReg(ties="efron") (unweighted sets)
                 and an independent Newton solve of the exact objective below,
                 agreement asserted <= 1e-8.
  "breslow"      statsmodels PHReg(ties="breslow") (unweighted sets) or the
                 direct solve of the exact objective (weighted set; statsmodels
                 PHReg has no case weights): coefficients, standard_errors,
                 log_likelihood.  Cross-checked against the direct solve.
  "l2_1", "l2_10" (Efron) and "breslow_l2_1"
                 scipy trust-exact minimisation of the exact penalised objective
                 on the standardised features (gradient norm < 1e-10):
                 coefficients_standardized, coefficients, objective.
  "standardization"  mean / population sd per kept feature.
  "dropped"      constant columns removed before fitting.
  "monotone": true   (monotone-likelihood set: nothing else is recorded).
Also "concordance_cases": small vectors with lifelines.utils.concordance_index
and the (correct, tied, pairs) counts of lifelines' O(n log n) routine.
"""

import json
import os
import warnings

import lifelines
import numpy as np
import pandas as pd
import scipy
import scipy.optimize
import statsmodels
from lifelines import CoxPHFitter
from lifelines.utils import concordance_index
from lifelines.utils.concordance import _concordance_summary_statistics
from statsmodels.duration.hazard_regression import PHReg

HERE = os.path.dirname(os.path.abspath(__file__))
AGREE_TOL = 1e-8


# --------------------------------------------------------------------------
# Data generation
# --------------------------------------------------------------------------

def survival_times(rng, lp, scale):
    """Exponential survival times with hazard exp(lp) / scale."""
    return rng.exponential(1.0, lp.shape[0]) * scale * np.exp(-lp)


def make_no_ties():
    rng = np.random.default_rng(20250601)
    n = 300
    x1 = rng.normal(0.0, 1.0, n)
    x2 = rng.normal(1000.0, 300.0, n)                 # balance-like
    x3 = (rng.random(n) < 0.3).astype(float)          # 0/1 flag
    x4 = rng.exponential(12.0, n)                     # days late
    lp = 0.7 * x1 + 0.001 * (x2 - 1000.0) - 0.5 * x3 + 0.03 * (x4 - 12.0)
    t = survival_times(rng, lp, 20.0)
    c = rng.uniform(0.0, 60.0, n)
    duration = np.minimum(t, c)
    event = (t <= c).astype(float)
    return pd.DataFrame({"x1": x1, "x2": x2, "x3": x3, "x4": x4, "duration": duration, "event": event})


def make_ties():
    rng = np.random.default_rng(20250602)
    n = 400
    x1 = np.round(rng.normal(0.0, 1.0, n), 1)         # one decimal -> ties in x
    x2 = np.round(rng.normal(5.0, 2.0, n))            # integers
    x3 = (rng.random(n) < 0.4).astype(float)
    lp = 0.8 * x1 - 0.15 * (x2 - 5.0) + 0.6 * x3
    t = np.ceil(survival_times(rng, lp, 8.0))         # integer days: heavy ties
    c = np.ceil(rng.uniform(0.0, 25.0, n))
    duration = np.minimum(t, c)
    event = (t <= c).astype(float)                    # event wins a tie with censoring
    return pd.DataFrame({"x1": x1, "x2": x2, "x3": x3, "duration": duration, "event": event})


def make_weighted():
    rng = np.random.default_rng(20250603)
    n = 300
    x1 = rng.normal(0.0, 1.0, n)
    x2 = rng.normal(50.0, 10.0, n)
    x3 = rng.gamma(2.0, 3.0, n)
    lp = -0.6 * x1 + 0.03 * (x2 - 50.0) + 0.1 * (x3 - 6.0)
    t = np.ceil(survival_times(rng, lp, 10.0))
    c = np.ceil(rng.uniform(0.0, 30.0, n))
    duration = np.minimum(t, c)
    event = (t <= c).astype(float)
    w = rng.uniform(0.2, 3.0, n)                      # positive, non-integer
    return pd.DataFrame({"x1": x1, "x2": x2, "x3": x3, "duration": duration, "event": event, "w": w})


def make_constant():
    rng = np.random.default_rng(20250604)
    n = 200
    x1 = rng.normal(0.0, 1.0, n)
    const = np.full(n, 2.5)
    x2 = np.round(rng.uniform(0.0, 4.0, n) * 2.0) / 2.0  # multiples of 0.5
    lp = 0.9 * x1 - 0.4 * (x2 - 2.0)
    t = np.ceil(survival_times(rng, lp, 6.0))
    c = np.ceil(rng.uniform(0.0, 20.0, n))
    duration = np.minimum(t, c)
    event = (t <= c).astype(float)
    return pd.DataFrame({"x1": x1, "const": const, "x2": x2, "duration": duration, "event": event})


def make_monotone():
    rng = np.random.default_rng(20250605)
    n = 60
    x1 = rng.normal(0.0, 1.0, n)
    x2 = rng.normal(0.0, 1.0, n)
    # The larger x1, the earlier the event: every event has the largest x1 of its risk set.
    duration = np.empty(n)
    duration[np.argsort(-x1)] = np.arange(1, n + 1, dtype=float)
    event = np.ones(n)
    return pd.DataFrame({"x1": x1, "x2": x2, "duration": duration, "event": event})


def write_csv(df, path):
    with open(path, "w", newline="\n") as f:
        f.write(",".join(df.columns) + "\n")
        for row in df.itertuples(index=False):
            f.write(",".join("%.17g" % float(v) for v in row) + "\n")


def read_csv(path):
    # round_trip parsing: the in-memory values are bit-identical to the
    # values a Swift parser obtains from the %.17g text.
    return pd.read_csv(path, float_precision="round_trip").astype(float)


# --------------------------------------------------------------------------
# Exact objective (standardised space), independent of lifelines/statsmodels
# --------------------------------------------------------------------------

def standardize(X, w):
    sw = w.sum()
    mean = (w[:, None] * X).sum(axis=0) / sw
    var = (w[:, None] * (X - mean) ** 2).sum(axis=0) / sw
    sd = np.sqrt(var)
    return (X - mean) / sd, mean, sd


def cox_terms(beta, Z, T, E, W, ties):
    """Log partial likelihood, its gradient and Hessian (of the log-likelihood),
    with a plain loop over distinct times in descending order."""
    n, p = Z.shape
    eta = Z @ beta
    shift = eta.max()
    phi = W * np.exp(eta - shift)
    order = np.argsort(-T, kind="stable")
    ll = 0.0
    g = np.zeros(p)
    H = np.zeros((p, p))
    S0 = 0.0
    S1 = np.zeros(p)
    S2 = np.zeros((p, p))
    i = 0
    while i < n:
        j = i
        t = T[order[i]]
        while j < n and T[order[j]] == t:
            j += 1
        rows = order[i:j]
        S0 += phi[rows].sum()
        S1 += phi[rows] @ Z[rows]
        S2 += (Z[rows] * phi[rows, None]).T @ Z[rows]
        ev = rows[(E[rows] > 0) & (W[rows] > 0)]
        d = len(ev)
        if d > 0:
            Wd = W[ev].sum()
            T0 = phi[ev].sum()
            T1 = phi[ev] @ Z[ev]
            T2 = (Z[ev] * phi[ev, None]).T @ Z[ev]
            ll += W[ev] @ eta[ev]
            g += W[ev] @ Z[ev]
            if ties == "efron":
                ks = np.arange(d) / d
                wbar = Wd / d
            else:
                ks = np.zeros(1)
                wbar = Wd
            for c in ks:
                D = S0 - c * T0
                m = (S1 - c * T1) / D
                ll -= wbar * (np.log(D) + shift)
                g -= wbar * m
                H -= wbar * ((S2 - c * T2) / D - np.outer(m, m))
        i = j
    return ll, g, H


def objective(beta, Z, T, E, W, ties, l2):
    ll, _, _ = cox_terms(beta, Z, T, E, W, ties)
    return -ll + 0.5 * l2 * beta @ beta


def objective_gradient(beta, Z, T, E, W, ties, l2):
    _, g, _ = cox_terms(beta, Z, T, E, W, ties)
    return -g + l2 * beta


def objective_hessian(beta, Z, T, E, W, ties, l2):
    _, _, H = cox_terms(beta, Z, T, E, W, ties)
    return -H + l2 * np.eye(len(beta))


def minimize_direct(Z, T, E, W, ties, l2, start=None):
    """scipy trust-region Newton on the exact objective, then a few pure Newton
    polish steps; asserts ||grad|| < 1e-10."""
    beta0 = np.zeros(Z.shape[1]) if start is None else np.array(start, dtype=float)
    args = (Z, T, E, W, ties, l2)
    res = scipy.optimize.minimize(objective, beta0, args=args, method="trust-exact",
                                  jac=objective_gradient, hess=objective_hessian,
                                  options={"gtol": 1e-13, "maxiter": 1000})
    beta = res.x
    for _ in range(5):
        g = objective_gradient(beta, *args)
        if np.linalg.norm(g) < 1e-13:
            break
        beta = beta - np.linalg.solve(objective_hessian(beta, *args), g)
    gnorm = float(np.linalg.norm(objective_gradient(beta, *args)))
    assert gnorm < 1e-10, f"direct minimiser gradient norm {gnorm}"
    return beta


def assert_close(a, b, what, tol=AGREE_TOL):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    gap = float(np.max(np.abs(a - b))) if a.size else 0.0
    assert gap <= tol, f"{what}: disagreement {gap} > {tol}\n{a}\n{b}"
    return gap


def named(names, values):
    return {name: float(v) for name, v in zip(names, values)}


# --------------------------------------------------------------------------
# Reference fits
# --------------------------------------------------------------------------

def lifelines_efron(df, features, weighted):
    cph = CoxPHFitter()
    data = df[features + ["duration", "event"] + (["w"] if weighted else [])]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cph.fit(data, duration_col="duration", event_col="event",
                weights_col="w" if weighted else None,
                fit_options={"precision": 1e-20, "r_precision": 0.0, "max_steps": 1000})
    return cph


def reference_for(stem, df, features, weighted):
    X = df[features].to_numpy()
    T = df["duration"].to_numpy()
    E = df["event"].to_numpy()
    W = df["w"].to_numpy() if weighted else np.ones(len(df))
    Z, mean, sd = standardize(X, W)
    out = {
        "weighted": weighted,
        "features": features,
        "standardization": {f: {"mean": float(m), "sd": float(s)} for f, m, s in zip(features, mean, sd)},
    }

    # ---- Efron: lifelines, cross-checked -------------------------------------------
    cph = lifelines_efron(df, features, weighted)
    coef = cph.params_[features].to_numpy()
    se = cph.standard_errors_[features].to_numpy()
    direct = minimize_direct(Z, T, E, W, "efron", 0.0, start=coef * sd)
    checks = {"direct_vs_lifelines": assert_close(direct / sd, coef, f"{stem} efron direct vs lifelines")}
    ll_direct, _, H = cox_terms(direct, Z, T, E, W, "efron")
    checks["loglik_direct_vs_lifelines"] = assert_close(ll_direct, cph.log_likelihood_, f"{stem} efron loglik")
    se_direct = np.sqrt(np.diag(np.linalg.inv(-H))) / sd
    checks["se_direct_vs_lifelines"] = assert_close(se_direct, se, f"{stem} efron se", tol=1e-7)
    if not weighted:
        sm = PHReg(T, X, status=E, ties="efron").fit(method="newton", maxiter=200, tol=1e-12, disp=False)
        checks["statsmodels_vs_lifelines"] = assert_close(sm.params, coef, f"{stem} statsmodels efron")
        checks["statsmodels_se_vs_lifelines"] = assert_close(sm.bse, se, f"{stem} statsmodels efron se", tol=1e-7)

    event_times = np.unique(T[(E > 0) & (W > 0)])
    bch = cph.baseline_cumulative_hazard_.iloc[:, 0]
    baseline = bch.loc[event_times].to_numpy()
    # Our Breslow baseline at the weighted mean, computed independently, as a cross-check
    # of the lifelines series shifted from its (unweighted) reference point.
    lp = Z @ direct
    phi = W * np.exp(lp)
    own = np.cumsum([W[(T == t) & (E > 0)].sum() / phi[T >= t].sum() for t in event_times])
    ll_means = cph._norm_mean[features].to_numpy()
    shift = np.exp((mean - ll_means) @ coef)   # H at our mean = H at theirs * exp((mean - theirs).beta)
    checks["baseline_shifted_vs_own"] = assert_close(baseline * shift, own, f"{stem} baseline", tol=1e-9 * max(1, own.max()))

    times = sorted({float(T[0]), float(T[1]), float(T[2]), float(np.sort(T)[len(T) // 2]), float(event_times[0]), float(T.max())})
    rows = df.iloc[:5]
    surv = cph.predict_survival_function(rows[features], times=times)
    out["efron"] = {
        "coefficients": named(features, coef),
        "coefficients_standardized": named(features, direct),
        "standard_errors": named(features, se),
        "log_likelihood": float(cph.log_likelihood_),
        "concordance": float(cph.concordance_index_),
        "baseline_event_times": [float(t) for t in event_times],
        "baseline_cumulative_hazard_lifelines": [float(h) for h in baseline],
        "lifelines_reference_means": named(features, ll_means),
        "survival_times": times,
        "survival_first_5_rows": [[float(surv.iloc[k, r]) for k in range(len(times))] for r in range(5)],
        "log_partial_hazard_first_5_rows": [float(v) for v in cph.predict_log_partial_hazard(rows[features])],
        "checks": checks,
    }

    # ---- Breslow ---------------------------------------------------------------------
    direct_b = minimize_direct(Z, T, E, W, "breslow", 0.0)
    ll_b, _, Hb = cox_terms(direct_b, Z, T, E, W, "breslow")
    se_b = np.sqrt(np.diag(np.linalg.inv(-Hb))) / sd
    bchecks = {}
    if not weighted:
        sm = PHReg(T, X, status=E, ties="breslow").fit(method="newton", maxiter=200, tol=1e-12, disp=False)
        bchecks["direct_vs_statsmodels"] = assert_close(direct_b / sd, sm.params, f"{stem} breslow")
        bchecks["loglik_direct_vs_statsmodels"] = assert_close(ll_b, sm.llf, f"{stem} breslow loglik")
        bchecks["se_direct_vs_statsmodels"] = assert_close(se_b, sm.bse, f"{stem} breslow se", tol=1e-7)
        b_coef, b_se, b_ll, source = sm.params, sm.bse, float(sm.llf), "statsmodels PHReg ties=breslow"
    else:
        b_coef, b_se, b_ll, source = direct_b / sd, se_b, float(ll_b), "direct minimisation of the exact objective"
    out["breslow"] = {
        "source": source,
        "coefficients": named(features, b_coef),
        "standard_errors": named(features, b_se),
        "log_likelihood": b_ll,
        "checks": bchecks,
    }

    # ---- Penalised (our convention: population sd, (l2/2)||beta_std||^2) ---------------
    for l2, ties, key in [(1.0, "efron", "l2_1"), (10.0, "efron", "l2_10"), (1.0, "breslow", "breslow_l2_1")]:
        beta = minimize_direct(Z, T, E, W, ties, l2)
        out[key] = {
            "l2": l2,
            "ties": ties,
            "coefficients_standardized": named(features, beta),
            "coefficients": named(features, beta / sd),
            "objective": float(objective(beta, Z, T, E, W, ties, l2)),
        }
    return out


def concordance_cases():
    rng = np.random.default_rng(20250610)
    cases = []
    # Hand-made: ties in time (event/event, event/censored), ties in score.
    cases.append({"durations": [1, 2, 2, 3, 3, 3, 5, 8], "events": [1, 1, 0, 1, 1, 0, 0, 1],
                  "risks": [2.0, 1.5, 1.5, 0.3, 1.0, 0.3, -1.0, 0.3]})
    # Random with heavy ties in both.
    n = 500
    cases.append({"durations": [float(v) for v in rng.integers(1, 30, n)],
                  "events": [int(v) for v in (rng.random(n) < 0.6)],
                  "risks": [float(v) for v in np.round(rng.normal(0, 1, n), 1)]})
    # Continuous, no ties.
    n = 300
    cases.append({"durations": [float(v) for v in rng.exponential(5.0, n)],
                  "events": [int(v) for v in (rng.random(n) < 0.7)],
                  "risks": [float(v) for v in rng.normal(0, 1, n)]})
    for case in cases:
        t = np.asarray(case["durations"], dtype=float)
        e = np.asarray(case["events"], dtype=float)
        r = np.asarray(case["risks"], dtype=float)
        case["concordance"] = float(concordance_index(t, -r, e))
        correct, tied, pairs = _concordance_summary_statistics(t, -r, e)
        case["correct"], case["tied"], case["pairs"] = int(correct), int(tied), int(pairs)
    return cases


def main():
    datasets = {
        "cox_no_ties": (make_no_ties(), False),
        "cox_ties": (make_ties(), False),
        "cox_weighted": (make_weighted(), True),
        "cox_constant": (make_constant(), False),
        "cox_monotone": (make_monotone(), False),
    }
    reference = {
        "generator": {
            "lifelines": lifelines.__version__, "statsmodels": statsmodels.__version__,
            "scipy": scipy.__version__, "numpy": np.__version__, "pandas": pd.__version__,
        },
        "concordance_cases": concordance_cases(),
    }
    for stem, (df, weighted) in datasets.items():
        path = os.path.join(HERE, stem + ".csv")
        write_csv(df, path)
        df = read_csv(path)
        if stem == "cox_monotone":
            reference[stem] = {"monotone": True}
            continue
        names = [c for c in df.columns if c not in ("duration", "event", "w")]
        kept = [c for c in names if df[c].std(ddof=0) > 1e-12 * max(1.0, abs(df[c].mean()))]
        entry = reference_for(stem, df, kept, weighted)
        entry["dropped"] = [c for c in names if c not in kept]
        reference[stem] = entry
        print(stem, "events", int(df["event"].sum()), "distinct durations", df["duration"].nunique(),
              "checks", {k: v for k, v in entry["efron"]["checks"].items()})
    with open(os.path.join(HERE, "cox_reference.json"), "w") as f:
        json.dump(reference, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
