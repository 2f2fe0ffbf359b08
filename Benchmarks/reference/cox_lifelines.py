#!/usr/bin/env python3
"""lifelines side of the arscore Cox proportional-hazards side-by-side benchmark.

Install:
    pip install lifelines==0.30.3 numpy pandas

Run (normally invoked by `arscore-bench cox-fit`, which writes the data files):
    python3 Benchmarks/reference/cox_lifelines.py \
        --x X.f64 --duration T.f64 --event E.f64 --rows N --cols P [--repeats R]

Data files are raw little-endian float64: X row-major N x P, duration and
event (0/1) of length N.  Prints exactly ONE JSON line on stdout.

Times `CoxPHFitter().fit(df, "duration", "event")` with lifelines' defaults
(Efron ties, Newton-Raphson with precision 1e-7 on the step norm; lifelines
picks its batch or single-row gradient routine itself): best of R runs
(default 1; a fit on 200,000 rows takes many seconds).  The timed region is
the fit only (DataFrame construction and file loading excluded); lifelines
computes the standard errors and the Breslow baseline inside fit().  An
untimed warm-up fit on the first 2,000 rows precedes the timed fits.
Reports the original-scale coefficients, standard errors, log partial
likelihood and Newton iterations; the training concordance (computed lazily
by lifelines, outside the timed fit) is reported with its own timing.
"""

import argparse
import io
import json
import re
import sys
import time
import warnings
from contextlib import redirect_stdout

import lifelines
import numpy as np
import pandas as pd
from lifelines import CoxPHFitter


def load(path, count):
    a = np.fromfile(path, dtype="<f8")
    if a.size != count:
        sys.exit(f"{path}: expected {count} float64 values, found {a.size}")
    return a


def fit(df):
    cph = CoxPHFitter()
    captured = io.StringIO()
    with warnings.catch_warnings(), redirect_stdout(captured):
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        cph.fit(df, duration_col="duration", event_col="event", show_progress=True)
        seconds = time.perf_counter() - t0
    iterations = len(re.findall(r"Iteration \d+", captured.getvalue()))
    return seconds, cph, iterations


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--x", required=True)
    ap.add_argument("--duration", required=True)
    ap.add_argument("--event", required=True)
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--cols", type=int, required=True)
    ap.add_argument("--repeats", type=int, default=1)
    args = ap.parse_args()

    X = load(args.x, args.rows * args.cols).reshape(args.rows, args.cols)
    names = [f"x{j}" for j in range(args.cols)]
    df = pd.DataFrame(X, columns=names)
    df["duration"] = load(args.duration, args.rows)
    df["event"] = load(args.event, args.rows)

    fit(df.iloc[:2000].copy())  # untimed warm-up (imports, first-call overheads)
    best, cph, iterations = None, None, 0
    for _ in range(args.repeats):
        seconds, model, n_iter = fit(df)
        if best is None or seconds < best:
            best, cph, iterations = seconds, model, n_iter
    t0 = time.perf_counter()
    concordance = float(cph.concordance_index_)
    concordance_seconds = time.perf_counter() - t0

    print(json.dumps({
        "library": "lifelines",
        "version": lifelines.__version__,
        "numpy_version": np.__version__,
        "pandas_version": pd.__version__,
        "seconds": best,
        "repeats": args.repeats,
        "newton_iterations": iterations,
        "coefficients": [float(cph.params_[n]) for n in names],
        "standard_errors": [float(cph.standard_errors_[n]) for n in names],
        "log_likelihood": float(cph.log_likelihood_),
        "concordance": concordance,
        "concordance_seconds": concordance_seconds,
        "baseline_times": int(cph.baseline_cumulative_hazard_.shape[0]),
    }))


if __name__ == "__main__":
    main()
