#!/usr/bin/env python3
"""The pandas + scikit-learn side of `arscore predict` in Benchmarks/cli_paths.sh: the script a data team would write.

Install:
    pip install pandas scikit-learn numpy

Run:
    python3 Benchmarks/reference/predict_pandas_sklearn.py --model MODEL.json --table TABLE.csv --out OUT.csv

Reads the table with pandas, builds a LogisticRegression with the coefficients of the arscore model file (the
original-scale `intercept` and `coefficients`, as a pickled model would carry), computes predict_proba and writes
`id,p` with pandas. The whole process is what is timed (by the caller); one JSON line on stdout gives the
time after the imports (read + work + write), as for `arscore predict`.
"""

import argparse
import json
import time

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression


def main():
    started = time.perf_counter()
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--table", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with open(args.model) as f:
        spec = json.load(f)
    features = spec["features"]
    model = LogisticRegression()
    model.classes_ = np.array([0, 1])
    model.coef_ = np.array([[spec["coefficients"][name] for name in features]])
    model.intercept_ = np.array([spec["intercept"]])
    df = pd.read_csv(args.table)
    p = model.predict_proba(df[features].to_numpy())[:, 1]
    pd.DataFrame({"id": df["id"], "p": p}).to_csv(args.out, index=False)
    print(json.dumps({"seconds_after_imports": time.perf_counter() - started}))


if __name__ == "__main__":
    main()
