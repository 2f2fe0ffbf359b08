#!/usr/bin/env python3
"""Writes the input tables of the CLI-path benchmark (Benchmarks/cli_paths.sh) with a fixed seed.

Install:
    pip install numpy

Run:
    python3 Benchmarks/reference/cli_paths_data.py predict --rows 2000000 --cols 32 --out DIR
    python3 Benchmarks/reference/cli_paths_data.py cox --rows 200000 --cols 10 --out DIR

predict: DIR/predict_train.csv (100,000 rows: id, x0..x{P-1}, y) to fit the model on, and DIR/predict_table.csv
         (N rows: id, x0..x{P-1}) to apply it to. Features have mixed scales and offsets; y is drawn from a
         logistic model. Numbers are written with 6 decimals.
cox:     DIR/cox_table.csv (N rows: id, x0..x{P-1}, duration, event): exponential times to pay with mean
         40·exp(-eta) days rounded up to whole days (daily ties), censored uniformly over 180 days, like
         `arscore-bench cox-fit`.
The same seed (7) always gives byte-identical files.
"""

import argparse
import os

import numpy as np

SEED = 7
TRAIN_ROWS = 100_000


def features(rng, rows, cols):
    scales = np.array([[1.0, 10.0, 1000.0, 0.1][j % 4] for j in range(cols)])
    offsets = np.array([[0.0, 30.0, 5000.0, 0.5][j % 4] for j in range(cols)])
    z = rng.standard_normal((rows, cols))
    return z, offsets + scales * z


def write(path, columns, header):
    """Writes the columns (id as integers, the rest with 6 decimals) as one CSV with a header row."""
    table = np.column_stack(columns)
    formats = ["%d"] + ["%.6f"] * (table.shape[1] - 1)
    tmp = path + ".tmp"
    np.savetxt(tmp, table, fmt=formats, delimiter=",", header=",".join(header), comments="")
    os.replace(tmp, path)


def predict_tables(rows, cols, out):
    rng = np.random.default_rng(SEED)
    beta = 0.4 * rng.standard_normal(cols)
    names = [f"x{j}" for j in range(cols)]
    z, x = features(rng, TRAIN_ROWS, cols)
    y = (rng.random(TRAIN_ROWS) < 1 / (1 + np.exp(-(z @ beta - 0.5)))).astype(float)
    write(os.path.join(out, "predict_train.csv"), [np.arange(TRAIN_ROWS), x, y], ["id"] + names + ["y"])
    _, x = features(rng, rows, cols)
    write(os.path.join(out, "predict_table.csv"), [np.arange(rows), x], ["id"] + names)


def cox_table(rows, cols, out):
    rng = np.random.default_rng(SEED)
    beta = 0.3 * rng.standard_normal(cols)
    z, x = features(rng, rows, cols)
    eta = z @ beta
    pay_day = np.ceil(-np.log(rng.random(rows)) * 40 * np.exp(-eta))
    censor_day = np.ceil(rng.random(rows) * 180)
    duration = np.minimum(pay_day, censor_day)
    event = (pay_day <= censor_day).astype(float)
    names = [f"x{j}" for j in range(cols)]
    write(os.path.join(out, "cox_table.csv"), [np.arange(rows), x, duration, event],
          ["id"] + names + ["duration", "event"])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("which", choices=["predict", "cox"])
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--cols", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    if args.which == "predict":
        predict_tables(args.rows, args.cols, args.out)
    else:
        cox_table(args.rows, args.cols, args.out)


if __name__ == "__main__":
    main()
