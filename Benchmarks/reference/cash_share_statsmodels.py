#!/usr/bin/env python3
"""Reference fit of the arscore cash-share model (fractional logistic regression) with statsmodels.

How to run (from the repository root):

    pip install statsmodels numpy
    python3 Benchmarks/reference/cash_share_statsmodels.py

Deterministic (fixed seed; numbers written with Python repr, which round-trips float64 exactly). Writes:

    Tests/ModelsTests/Fixtures/cash_share.csv             n=400: x1..x3, y (collected share in [0, 1]), w (balance)
    Tests/ModelsTests/Fixtures/cash_share_reference.json  the reference values below

The data mimic the cash-share label: y is the share of a past-due balance collected within the horizon, with
exact 0s (nothing paid), exact 1s (paid in full) and fractions in between; w is the past-due balance (money units,
log-normal, so the weights vary by two orders of magnitude).

Reference: statsmodels GLM(y, [1, X], family=Binomial(), freq_weights=w) by IRLS to tol=1e-13 with up to 1000
iterations, on the ORIGINAL features (no standardisation; arscore standardises internally and stores the
original-scale coefficients, which are what the test compares). The fit is cross-checked against an independent
Newton solve of the same objective, sum_i w_i * [log(1 + e^eta_i) - y_i * eta_i], to a gradient max-abs below 1e-9.

"log_likelihood" is the Bernoulli quasi-log-likelihood sum_i w_i * [y_i log p_i + (1 - y_i) log(1 - p_i)], the
quantity arscore reports as fit.log_likelihood. statsmodels' llf adds the constant
sum_i w_i * [gammaln(2) - gammaln(y_i + 1) - gammaln(2 - y_i)] for fractional y; it is recorded too
("statsmodels_llf") with the difference ("llf_constant").
"""

import json
import os

import numpy as np
import statsmodels
import statsmodels.api as sm
from scipy.special import gammaln

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "Tests", "ModelsTests", "Fixtures")
FEATURES = ["x1", "x2", "x3"]


def make_data(rng, n=400):
    """Features on different scales, a logit-normal share with point masses at 0 and 1, log-normal weights."""
    x1 = rng.normal(0.0, 1.0, n)                   # e.g. a standardised payment-behaviour score
    x2 = rng.gamma(2.0, 30.0, n)                   # e.g. days past due
    x3 = rng.binomial(1, 0.3, n).astype(float)     # e.g. has an open promise
    eta = 0.4 + 0.9 * x1 - 0.02 * x2 + 0.7 * x3
    share = 1.0 / (1.0 + np.exp(-(eta + rng.normal(0.0, 1.0, n))))
    u = rng.uniform(0.0, 1.0, n)
    y = np.where(u < 0.15, 0.0, np.where(u > 0.9, 1.0, np.round(share, 6)))
    w = np.round(np.exp(rng.normal(6.0, 1.2, n)), 2)
    return np.column_stack([x1, x2, x3]), y, w


def newton(X, y, w, iterations=100):
    """Independent Newton solve of sum w [log(1 + e^eta) - y eta] with an intercept column."""
    Z = np.column_stack([np.ones(len(y)), X])
    beta = np.zeros(Z.shape[1])
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(Z @ beta)))
        gradient = Z.T @ (w * (p - y))
        hessian = (Z * (w * p * (1 - p))[:, None]).T @ Z
        beta -= np.linalg.solve(hessian, gradient)
        if np.max(np.abs(gradient)) < 1e-9:
            break
    p = 1.0 / (1.0 + np.exp(-(Z @ beta)))
    return beta, np.max(np.abs(Z.T @ (w * (p - y))))


def main():
    rng = np.random.default_rng(20261201)
    X, y, w = make_data(rng)
    with open(os.path.join(FIXTURES, "cash_share.csv"), "w") as out:
        out.write(",".join(FEATURES + ["y", "w"]) + "\n")
        for row, label, weight in zip(X, y, w):
            out.write(",".join(repr(float(v)) for v in list(row) + [label, weight]) + "\n")
    # Re-read what was written, so the reference is of the committed numbers exactly.
    data = np.loadtxt(os.path.join(FIXTURES, "cash_share.csv"), delimiter=",", skiprows=1)
    X, y, w = data[:, :3], data[:, 3], data[:, 4]

    model = sm.GLM(y, sm.add_constant(X), family=sm.families.Binomial(), freq_weights=w)
    result = model.fit(method="IRLS", tol=1e-13, maxiter=1000)
    beta = result.params
    check, gradient = newton(X, y, w)
    assert np.max(np.abs(check - beta) / np.maximum(1, np.abs(beta))) < 1e-10, (check, beta)
    p = result.fittedvalues
    log_likelihood = float(np.sum(w * (y * np.log(p) + (1 - y) * np.log1p(-p))))
    constant = float(np.sum(w * (gammaln(2) - gammaln(y + 1) - gammaln(2 - y))))
    reference = {
        "_meta": {
            "generator": "Benchmarks/reference/cash_share_statsmodels.py",
            "model": "GLM Binomial (logit), freq_weights=w, IRLS tol=1e-13, maxiter=1000, original-scale features",
            "versions": {"numpy": np.__version__, "statsmodels": statsmodels.__version__},
        },
        "n": int(len(y)),
        "features": FEATURES,
        "intercept": float(beta[0]),
        "coefficients": {name: float(value) for name, value in zip(FEATURES, beta[1:])},
        "standard_errors": {name: float(value) for name, value in zip(FEATURES, result.bse[1:])},
        "intercept_standard_error": float(result.bse[0]),
        "log_likelihood": log_likelihood,
        "statsmodels_llf": float(result.llf),
        "llf_constant": constant,
        "iterations": int(result.fit_history["iteration"]),
        "newton_gradient_max_abs": float(gradient),
        "weight_sum": float(np.sum(w)),
        "weighted_mean_share": float(np.sum(w * y) / np.sum(w)),
        "predictions_first_10": [float(v) for v in p[:10]],
    }
    with open(os.path.join(FIXTURES, "cash_share_reference.json"), "w") as out:
        json.dump(reference, out, indent=2, sort_keys=True)
        out.write("\n")
    print(json.dumps({k: reference[k] for k in ["intercept", "coefficients", "log_likelihood", "iterations"]}))


if __name__ == "__main__":
    main()
