#!/usr/bin/env python3
"""The best right-window share any model could reach on an archetypes-world export, from the history alone.

Usage: window_bayes_limit.py EXPORT QUEUE_FOLDER

An oracle that knows the archetypes generator's contact family and its priors (truth.json `parameters`: a random
weekday set of uniform size 1-5, an hour block of 2-5 hours starting uniformly within 08-18, inside probability
0.85, outside 0.05, reach uniform in [0.5, 1]) computes, for every queued account (calls.csv), the exact posterior
over all weekday sets × hour blocks × a 10-point reach grid given the account's attempts and right-party contacts
per window before the as-of date, and picks the window most likely to be the true best. The true best window is the
first maximum of the noisy window probabilities, and the generator's per-window noise (sd 5 %) cannot be learnt from
a few attempts per window, so the oracle is right only about 1 / (number of tied windows) of the time even when it
knows the account's structure. No model that sees only the history can beat this share on average; it is the
ceiling against which Benchmarks/window_accuracy.py's figures on this world should be read.
"""

import csv
import itertools
import json
import math
import os
import sys
from datetime import datetime, timezone

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import window_accuracy  # noqa: E402


def structures(inside, outside, earliest, latest, sizes, lengths):
    """Every (weekday set, hour block) of the generator's family: its noise-free window probabilities and prior."""
    rows, prior = [], []
    for size in range(sizes[0], sizes[1] + 1):
        for days in itertools.combinations(range(5), size):
            for length in range(lengths[0], lengths[1] + 1):
                starts = range(earliest, latest - length + 1)
                for start in starts:
                    end = start + length
                    rows.append([sum(inside if (w // 5 in days and start <= hour < end) else outside
                                     for hour in (8 + 2 * (w % 5), 9 + 2 * (w % 5))) / 2 for w in range(25)])
                    prior.append(1 / math.comb(5, size) / len(starts))
    return np.array(rows), np.array(prior)


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    export, queue = argv[1], argv[2]
    truth_file = json.load(open(os.path.join(export, "truth.json")))
    truth = {c["customer_id"]: c for c in truth_file["customers"]}
    contact = truth_file.get("parameters", {}).get("contact_model", {})
    inside, outside = contact.get("inside_probability", 0.85), contact.get("outside_probability", 0.05)
    reach_low, reach_high = contact.get("reach", [0.5, 1.0])
    shapes, prior = structures(inside, outside, contact.get("earliest_hour", 8), contact.get("latest_hour", 18),
                               contact.get("weekday_count", [1, 5]), contact.get("block_hours", [2, 5]))
    reaches = reach_low + (np.arange(10) + 0.5) * (reach_high - reach_low) / 10
    components = np.concatenate([shapes * r for r in reaches])
    log_prior = np.log(np.tile(prior, len(reaches)))
    tied = (components == components.max(1, keepdims=True)).astype(float)
    tied /= tied.sum(1, keepdims=True)

    zones = {cid: c["timezone"] for cid, c in truth.items()}
    manifest = json.load(open(os.path.join(queue, "manifest.json")))
    as_of = datetime.fromisoformat(manifest["as_of"]).replace(tzinfo=timezone.utc)
    attempts, contacts = window_accuracy.attempts_by_window(export, zones, as_of)
    queued = [row["customer_id"] for row in csv.DictReader(open(os.path.join(queue, "calls.csv"), newline=""))]
    tries = np.array([attempts.get(c, [0] * 25) for c in queued], float)
    hits = np.array([contacts.get(c, [0] * 25) for c in queued], float)
    log_likelihood = hits @ np.log(components).T + (tries - hits) @ np.log1p(-components).T + log_prior
    posterior = np.exp(log_likelihood - log_likelihood.max(1, keepdims=True))
    posterior /= posterior.sum(1, keepdims=True)
    chosen = (posterior @ tied).argmax(1)
    best = np.array([window_accuracy.window_of_label(truth[c]["best_window"]) for c in queued])
    ten = tries.sum(1) >= 10
    print(f"all accounts={len(queued)} bayes_limit_right_share={np.mean(chosen == best):.4f}")
    print(f"10+ attempts accounts={int(ten.sum())} bayes_limit_right_share={np.mean(chosen[ten] == best[ten]):.4f}")


if __name__ == "__main__":
    main(sys.argv)
