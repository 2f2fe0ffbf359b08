#!/usr/bin/env python3
"""Generate reference fixtures for the arscore logistic-regression tests.

How to run (from the repository root):

    pip install statsmodels scikit-learn numpy pandas scipy
    python3 Tests/ModelsTests/Fixtures/make_logistic_reference.py

The script is deterministic (fixed seeds; every number is written with
"%.17g" / Python repr, which round-trips float64 exactly).  It writes, into
the folder that contains this script:

    logistic_basic.csv              n=500, x1..x4 on very different scales
    logistic_weighted.csv           n=400, x1..x3, positive non-integer weights w
    logistic_ties_constant.csv      n=300, heavily rounded values + constant column `const`
    logistic_nearly_separable.csv   n=200, hard but finite MLE
    logistic_separable.csv          n=100, perfectly separable by x1
    logistic_reference.json         reference values (see below)

Conventions (identical to arscore):
  * standardisation z = (x - mean) / sd with the POPULATION sd, weighted by the
    sample weights when present: mean = sum(w x)/sum(w),
    var = sum(w (x - mean)^2)/sum(w);
  * objective = sum_i w_i * logloss_i + (l2/2) * ||beta_std||^2, intercept not
    penalised;
  * beta_orig_j = beta_std_j / sd_j,
    intercept_orig = b_std - sum_j beta_std_j * mean_j / sd_j.

Reference JSON, keyed by file stem:
  "l2_0"   statsmodels GLM Binomial (freq_weights=w when weighted) on the
           ORIGINAL features with an intercept, IRLS with tol=1e-12; also
           cross-checked against an independent Newton solve of the exact
           objective (and against statsmodels Logit for the unweighted sets).
  "l2_1", "l2_10"
           scikit-learn LogisticRegression (L2, C = 1/l2, newton-cg, tol=1e-12)
           on the STANDARDISED features, cross-checked against scipy
           minimisation of our exact objective (gradient norm < 1e-10),
           agreement asserted <= 1e-8.
  "standardization"     mean / population sd per (kept) feature.
  "predictions_l2_0"    P(y=1) of the l2=0 fit for the first 10 rows.
  "dropped"             (constant-column set) columns removed before fitting.
  "separable": true     (separable set: nothing else is recorded).
"""

import json
import os
import warnings

import numpy as np
import pandas as pd
import scipy
import scipy.optimize
import sklearn
import statsmodels
import statsmodels.api as sm
from sklearn.linear_model import LogisticRegression

HERE = os.path.dirname(os.path.abspath(__file__))
L2_VALUES = [1.0, 10.0]
AGREE_TOL = 1e-8


# --------------------------------------------------------------------------
# Data generation
# --------------------------------------------------------------------------

def sigmoid(t):
    return 0.5 * (1.0 + np.tanh(0.5 * t))


def make_basic():
    rng = np.random.default_rng(20240501)
    n = 500
    x1 = rng.normal(0.0, 1.0, n)                      # ~N(0,1)
    x2 = rng.normal(1000.0, 300.0, n)                 # balance-like
    x3 = (rng.random(n) < 0.3).astype(float)          # 0/1 flag
    x4 = rng.exponential(12.0, n)                     # days late
    eta = -1.0 + 0.9 * x1 + 0.0012 * x2 - 0.8 * x3 + 0.04 * x4
    y = (rng.random(n) < sigmoid(eta)).astype(float)
    return pd.DataFrame({"x1": x1, "x2": x2, "x3": x3, "x4": x4, "y": y})


def make_weighted():
    rng = np.random.default_rng(20240502)
    n = 400
    x1 = rng.normal(0.0, 1.0, n)
    x2 = rng.normal(50.0, 10.0, n)
    x3 = rng.gamma(2.0, 3.0, n)
    eta = 0.5 - 0.7 * x1 + 0.03 * (x2 - 50.0) - 0.15 * x3
    y = (rng.random(n) < sigmoid(eta)).astype(float)
    w = rng.uniform(0.2, 3.0, n)                      # positive, non-integer
    return pd.DataFrame({"x1": x1, "x2": x2, "x3": x3, "y": y, "w": w})


def make_ties_constant():
    rng = np.random.default_rng(20240503)
    n = 300
    x1 = np.round(rng.normal(0.0, 1.0, n), 1)         # one decimal -> many ties
    x2 = np.round(rng.normal(5.0, 2.0, n))            # integers
    const = np.full(n, 2.5)                           # constant column
    x3 = np.round(rng.uniform(0.0, 4.0, n) * 2.0) / 2.0  # multiples of 0.5
    eta = 0.3 + 1.1 * x1 - 0.2 * (x2 - 5.0) + 0.4 * (x3 - 2.0)
    y = (rng.random(n) < sigmoid(eta)).astype(float)
    return pd.DataFrame({"x1": x1, "x2": x2, "const": const, "x3": x3, "y": y})


def make_nearly_separable():
    rng = np.random.default_rng(20240504)
    n = 200
    x1 = rng.normal(0.0, 1.0, n)
    x2 = rng.normal(0.0, 1.0, n)
    eta = 0.5 + 6.0 * x1 - 4.0 * x2
    y = (rng.random(n) < sigmoid(eta)).astype(float)
    return pd.DataFrame({"x1": x1, "x2": x2, "y": y})


def make_separable():
    rng = np.random.default_rng(20240505)
    n = 100
    x1 = rng.normal(0.0, 1.0, n)
    y = (x1 > 0.0).astype(float)
    x1 = x1 + np.where(y > 0, 0.25, -0.25)            # clear margin around 0
    x2 = rng.normal(0.0, 1.0, n)
    return pd.DataFrame({"x1": x1, "x2": x2, "y": y})


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
# Exact objective (standardised space) and helpers
# --------------------------------------------------------------------------

def standardize(X, w):
    sw = w.sum()
    mean = (w[:, None] * X).sum(axis=0) / sw
    var = (w[:, None] * (X - mean) ** 2).sum(axis=0) / sw
    sd = np.sqrt(var)
    return (X - mean) / sd, mean, sd


def objective(theta, Z, y, w, l2):
    """theta = [b, beta...]; sum w*logloss + l2/2 ||beta||^2."""
    eta = theta[0] + Z @ theta[1:]
    ll = np.logaddexp(0.0, eta) - y * eta
    return float(np.dot(w, ll) + 0.5 * l2 * np.dot(theta[1:], theta[1:]))


def gradient(theta, Z, y, w, l2):
    eta = theta[0] + Z @ theta[1:]
    r = w * (sigmoid(eta) - y)
    g = np.empty_like(theta)
    g[0] = r.sum()
    g[1:] = Z.T @ r + l2 * theta[1:]
    return g


def hessian(theta, Z, y, w, l2):
    eta = theta[0] + Z @ theta[1:]
    p = sigmoid(eta)
    Z1 = np.column_stack([np.ones(len(y)), Z])
    H = Z1.T @ ((w * p * (1.0 - p))[:, None] * Z1)
    H[1:, 1:] += l2 * np.eye(Z.shape[1])
    return H


def minimize_direct(Z, y, w, l2):
    """scipy trust-region Newton on the exact objective, then (if needed) a
    few pure Newton polish steps; asserts ||grad|| < 1e-10."""
    theta0 = np.zeros(Z.shape[1] + 1)
    res = scipy.optimize.minimize(
        objective, theta0, args=(Z, y, w, l2), method="trust-exact",
        jac=gradient, hess=hessian, options={"gtol": 1e-13, "maxiter": 1000})
    theta = res.x
    for _ in range(5):
        g = gradient(theta, Z, y, w, l2)
        if np.linalg.norm(g) < 1e-12:
            break
        theta = theta - np.linalg.solve(hessian(theta, Z, y, w, l2), g)
    gnorm = float(np.linalg.norm(gradient(theta, Z, y, w, l2)))
    assert gnorm < 1e-10, f"direct minimiser gradient norm {gnorm}"
    return theta, gnorm


def to_original(b_std, beta_std, mean, sd):
    beta = beta_std / sd
    b = b_std - float(np.sum(beta_std * mean / sd))
    return b, beta


def sklearn_l2(Z, y, w, l2):
    kw = dict(C=1.0 / l2, solver="newton-cg", tol=1e-12, max_iter=10000,
              fit_intercept=True)
    major_minor = tuple(int(v) for v in sklearn.__version__.split(".")[:2])
    if major_minor < (1, 8):
        kw["penalty"] = "l2"          # default l1_ratio=0 means L2 from 1.8 on
    model = LogisticRegression(**kw)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # fail loudly on ConvergenceWarning
        model.fit(Z, y, sample_weight=w)
    return float(model.intercept_[0]), model.coef_[0].astype(float)


def named(names, values):
    return {n: float(v) for n, v in zip(names, values)}


# --------------------------------------------------------------------------
# Separation check by linear programming
# --------------------------------------------------------------------------

def separation_lp(X, y):
    """max sum_i s_i x1_i.theta  s.t. s_i x1_i.theta >= 0, |theta| <= 1,
    s_i = 2y_i - 1.  Optimum > 0 <=> (quasi-)complete separation exists."""
    X1 = np.column_stack([np.ones(len(y)), X])
    A = (2.0 * y - 1.0)[:, None] * X1
    res = scipy.optimize.linprog(
        c=-A.sum(axis=0), A_ub=-A, b_ub=np.zeros(len(y)),
        bounds=[(-1.0, 1.0)] * X1.shape[1], method="highs")
    assert res.status == 0
    return -res.fun


# --------------------------------------------------------------------------
# Reference computation
# --------------------------------------------------------------------------

def reference_for(df, features, weight_col=None):
    X = df[features].to_numpy(dtype=float)
    y = df["y"].to_numpy(dtype=float)
    w = df[weight_col].to_numpy(dtype=float) if weight_col else np.ones(len(y))
    n, p = X.shape

    assert separation_lp(X, y) < 1e-9, "data set unexpectedly separable"

    Z, mean, sd = standardize(X, w)
    out = {
        "n": int(n),
        "features": list(features),
        "weighted": weight_col is not None,
        "standardization": {
            "mean": named(features, mean),
            "sd": named(features, sd),
        },
    }

    # ---- l2 = 0: statsmodels GLM on the original features -----------------
    X1 = sm.add_constant(X, prepend=True, has_constant="add")
    glm_kw = {"freq_weights": w} if weight_col else {}
    glm = sm.GLM(y, X1, family=sm.families.Binomial(), **glm_kw)
    res = glm.fit(method="IRLS", tol=1e-12, maxiter=1000)
    assert res.converged, "statsmodels GLM did not converge"
    params = np.asarray(res.params, dtype=float)
    bse = np.asarray(res.bse, dtype=float)

    # independent check: Newton on our exact objective (standardised space)
    theta0, g0 = minimize_direct(Z, y, w, 0.0)
    b0, beta0 = to_original(theta0[0], theta0[1:], mean, sd)
    diff0 = np.max(np.abs(np.concatenate([[b0], beta0]) - params)
                   / np.maximum(1.0, np.abs(params)))
    assert diff0 < AGREE_TOL, f"GLM vs direct Newton differ: {diff0}"
    if weight_col is None:
        logit = sm.Logit(y, X1).fit(method="newton", maxiter=1000, tol=1e-14,
                                    disp=False)
        dl = np.max(np.abs(np.asarray(logit.params) - params)
                    / np.maximum(1.0, np.abs(params)))
        assert dl < AGREE_TOL, f"GLM vs Logit differ: {dl}"

    eta_orig = X1 @ params
    loglik = -float(np.dot(w, np.logaddexp(0.0, eta_orig) - y * eta_orig))
    assert abs(loglik - float(res.llf)) <= 1e-9 * max(1.0, abs(loglik)), \
        (loglik, res.llf)
    # standard errors = sqrt(diag(H^-1)), H = X1' diag(w p (1-p)) X1
    pr = sigmoid(eta_orig)
    H = X1.T @ ((w * pr * (1.0 - pr))[:, None] * X1)
    se_check = np.sqrt(np.diag(np.linalg.inv(H)))
    assert np.max(np.abs(se_check - bse) / bse) < 1e-7, (se_check, bse)

    out["l2_0"] = {
        "source": "statsmodels GLM Binomial IRLS tol=1e-12"
                  + (" freq_weights=w" if weight_col else ""),
        "intercept": float(params[0]),
        "coefficients": named(features, params[1:]),
        "intercept_standardized": float(theta0[0]),
        "coefficients_standardized": named(features, theta0[1:]),
        "log_likelihood": loglik,
        "objective": -loglik,
        "standard_errors": named(features, bse[1:]),
        "intercept_standard_error": float(bse[0]),
        "statsmodels_iterations": int(res.fit_history["iteration"]),
        "max_rel_diff_vs_direct_newton": float(diff0),
    }
    out["predictions_l2_0"] = [float(v) for v in pr[:10]]

    # ---- l2 > 0: scikit-learn on standardised features --------------------
    for l2 in L2_VALUES:
        b_sk, beta_sk = sklearn_l2(Z, y, w, l2)
        theta, gnorm = minimize_direct(Z, y, w, l2)
        d = float(np.max(np.abs(np.concatenate([[b_sk], beta_sk]) - theta)))
        assert d <= AGREE_TOL, f"sklearn vs direct objective differ at l2={l2}: {d}"
        b_o, beta_o = to_original(b_sk, beta_sk, mean, sd)
        th_sk = np.concatenate([[b_sk], beta_sk])
        eta = th_sk[0] + Z @ th_sk[1:]
        out["l2_%d" % int(l2)] = {
            "source": "scikit-learn LogisticRegression newton-cg tol=1e-12, "
                      "C=1/l2, standardised features",
            "l2": l2,
            "intercept_standardized": b_sk,
            "coefficients_standardized": named(features, beta_sk),
            "intercept": b_o,
            "coefficients": named(features, beta_o),
            "objective": objective(th_sk, Z, y, w, l2),
            "log_likelihood": -float(np.dot(w, np.logaddexp(0.0, eta) - y * eta)),
            "max_abs_diff_vs_direct_minimizer": d,
            "direct_minimizer_gradient_norm": gnorm,
        }
    return out


def main():
    np.seterr(all="raise", under="ignore")
    datasets = [
        ("logistic_basic", make_basic, ["x1", "x2", "x3", "x4"], None, []),
        ("logistic_weighted", make_weighted, ["x1", "x2", "x3"], "w", []),
        ("logistic_ties_constant", make_ties_constant,
         ["x1", "x2", "const", "x3"], None, ["const"]),
        ("logistic_nearly_separable", make_nearly_separable,
         ["x1", "x2"], None, []),
    ]
    reference = {
        "_meta": {
            "generator": "Tests/ModelsTests/Fixtures/make_logistic_reference.py",
            "objective": "sum_i w_i*logloss_i + (l2/2)*||beta_std||^2, "
                         "intercept unpenalised, population (weighted) sd",
            "versions": {
                "numpy": np.__version__, "scipy": scipy.__version__,
                "pandas": pd.__version__, "statsmodels": statsmodels.__version__,
                "scikit-learn": sklearn.__version__,
            },
        }
    }
    for stem, make, features, wcol, dropped in datasets:
        path = os.path.join(HERE, stem + ".csv")
        write_csv(make(), path)
        df = read_csv(path)
        for c in dropped:
            assert df[c].nunique() == 1, f"{c} is not constant"
        kept = [f for f in features if f not in dropped]
        ref = reference_for(df, kept, wcol)
        if dropped:
            ref["dropped"] = list(dropped)
        reference[stem] = ref

    path = os.path.join(HERE, "logistic_separable.csv")
    write_csv(make_separable(), path)
    df = read_csv(path)
    y = df["y"].to_numpy()
    x1 = df["x1"].to_numpy()
    assert x1[y == 1].min() > x1[y == 0].max(), "not separable by x1"
    assert separation_lp(df[["x1", "x2"]].to_numpy(), y) > 1e-6
    reference["logistic_separable"] = {"separable": True}

    with open(os.path.join(HERE, "logistic_reference.json"), "w") as f:
        json.dump(reference, f, indent=2)
        f.write("\n")

    for stem, *_ in datasets:
        r = reference[stem]["l2_0"]
        print(stem, "l2_0 intercept", r["intercept"], "coef", r["coefficients"],
              "iters", r["statsmodels_iterations"])


if __name__ == "__main__":
    main()
