#!/usr/bin/env python3
"""Reference CSV throughput for arscore's Tabular reader: pandas.read_csv (C engine) on a numeric table.

How to run (from the repository root):

    pip install pandas numpy
    python3 Benchmarks/reference/csv_pandas.py                 # default file, see --path
    python3 Benchmarks/reference/csv_pandas.py --path Benchmarks/work/numeric.csv --rows 1000000 --repeat 3

If the file is missing it is generated first, deterministically: numpy seed 42,
--rows x --columns (default 1,000,000 x 32) standard normal values from
numpy.random.randn, header c0..c31, written with numpy.savetxt(fmt="%.10f",
delimiter=",") and LF line endings (about 430 MB at the default size).
An existing file is used as it is (delete it after changing --rows/--columns).
The Swift benchmark (`runCSVThroughputBenchmark(path:)` in arscore-bench) reads the
same file. After one untimed warm-up read (so both tools see the file in the page
cache), the script times `pandas.read_csv(path, engine="c")` (dtypes inferred, like readAllNumeric)
`--repeat` times and prints one JSON line with the best time:

    {"tool": "pandas", ..., "bytes": N, "seconds": S, "megabytes_per_second": M}

MB means 10^6 bytes, as in the Swift benchmark.
"""
import argparse
import json
import os
import sys
import tempfile
import time

import numpy as np
import pandas as pd

ROWS = 1_000_000
COLUMNS = 32


def default_path(rows: int = ROWS, columns: int = COLUMNS) -> str:
    """The default data file: arscore_numeric_<rows>x<columns>.csv in the temporary directory."""
    return os.path.join(tempfile.gettempdir(), f"arscore_numeric_{rows}x{columns}.csv")


def generate(path: str, rows: int = ROWS, columns: int = COLUMNS) -> None:
    """Writes the deterministic numeric table (numpy seed 42, %.10f) to `path` atomically."""
    np.random.seed(42)
    data = np.random.randn(rows, columns)
    header = ",".join(f"c{j}" for j in range(columns))
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    partial = path + ".partial"
    np.savetxt(partial, data, fmt="%.10f", delimiter=",", header=header, comments="", newline="\n")
    os.replace(partial, path)


def main() -> int:
    """Generates the table if missing, times pandas.read_csv on it and prints one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", default=None, help="CSV file (generated when missing); default in the temp dir")
    parser.add_argument("--rows", type=int, default=ROWS, help="rows to generate when the file is missing")
    parser.add_argument("--columns", type=int, default=COLUMNS, help="columns to generate when the file is missing")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs; the best is reported")
    args = parser.parse_args()
    if args.path is None:
        args.path = default_path(args.rows, args.columns)

    if not os.path.exists(args.path):
        print(f"generating {args.path} ...", file=sys.stderr)
        generate(args.path, args.rows, args.columns)
    size = os.path.getsize(args.path)

    with open(args.path, "rb") as handle:  # warm the page cache
        while handle.read(1 << 24):
            pass

    best = float("inf")
    shape = None
    for _ in range(max(1, args.repeat)):
        start = time.perf_counter()
        frame = pd.read_csv(args.path, engine="c")
        elapsed = time.perf_counter() - start
        best = min(best, elapsed)
        shape = frame.shape
        del frame

    print(json.dumps({
        "tool": "pandas",
        "version": pd.__version__,
        "path": args.path,
        "rows": shape[0],
        "columns": shape[1],
        "bytes": size,
        "seconds": round(best, 6),
        "megabytes_per_second": round(size / best / 1e6, 1),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
