#!/usr/bin/env python3
"""The peer of `arscore partition` in Benchmarks/README.md: the same split with Python's csv module.

Usage: partition_peer.py EXPORT N OUT. Each row of the five export files goes to OUT/shard-<k>/ with
k = FNV-1a-64(customer_id stripped of spaces and tabs) mod N, the rule of docs/SCALE-OUT.md; rows are re-written
by csv.writer (LF line ends), which gives the same bytes as arscore's copy for the generator's unquoted exports.
"""

import csv
import os
import sys

FILES = ["customers.csv", "invoices.csv", "payments.csv", "calls.csv", "promises.csv"]


def fnv1a64(customer_id):
    """FNV-1a 64-bit hash of the trimmed id's UTF-8 bytes."""
    value = 0xcbf29ce484222325
    for byte in customer_id.strip(" \t").encode():
        value = ((value ^ byte) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return value


def main(source, shards, out):
    for name in FILES:
        with open(os.path.join(source, name), newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            column = header.index("customer_id")
            outputs, writers = [], []
            for shard in range(shards):
                folder = os.path.join(out, f"shard-{shard:04d}")
                os.makedirs(folder, exist_ok=True)
                output = open(os.path.join(folder, name), "w", newline="")
                writer = csv.writer(output, lineterminator="\n")
                writer.writerow(header)
                outputs.append(output)
                writers.append(writer)
            for row in reader:
                writers[fnv1a64(row[column]) % shards].writerow(row)
            for output in outputs:
                output.close()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
