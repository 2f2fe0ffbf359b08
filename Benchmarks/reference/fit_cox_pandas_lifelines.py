#!/usr/bin/env python3
"""The pandas + lifelines side of `arscore fit cox` in Benchmarks/cli_paths.sh: the script a data team would write.

Install:
    pip install pandas lifelines numpy

Run:
    python3 Benchmarks/reference/fit_cox_pandas_lifelines.py --table TABLE.csv --out OUT.json

Reads the table with pandas, fits CoxPHFitter with its defaults (Efron ties) on every column but `id`, with
`duration` and `event`, and writes the coefficients, standard errors and log partial likelihood as JSON. The whole
process is what is timed (by the caller), as for `arscore fit cox`.
"""

import argparse
import json
import time
import warnings

import pandas as pd
from lifelines import CoxPHFitter


def main():
    started = time.perf_counter()
    parser = argparse.ArgumentParser()
    parser.add_argument("--table", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    df = pd.read_csv(args.table).drop(columns=["id"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cph = CoxPHFitter().fit(df, duration_col="duration", event_col="event")
    with open(args.out, "w") as f:
        json.dump({"coefficients": cph.params_.to_dict(),
                   "standard_errors": cph.standard_errors_.to_dict(),
                   "log_partial_likelihood": cph.log_likelihood_}, f, indent=1, sort_keys=True)
    print(json.dumps({"seconds_after_imports": time.perf_counter() - started}))


if __name__ == "__main__":
    main()
