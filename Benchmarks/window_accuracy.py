#!/usr/bin/env python3
"""How often a queue's chosen call window is the customer's true best window, beside the smoothed-rate baseline.

Usage: window_accuracy.py EXPORT QUEUE_FOLDER [--json]

EXPORT is a generated export folder (its truth.json gives each customer's true right-party probability per window
and its best window); QUEUE_FOLDER is `arscore score --out`'s dated folder (or latest) scored on that export.
For every account in calls.csv it compares `best_window_local` (the window the bundle's call-window model picks in
the week) with truth's `best_window`, and does the same for the baseline of issue 13: per account, the right-party
rate by local hour block and by local weekday, each shrunk towards the population rate of that block or weekday with
a pseudo-count of 5, multiplied; the window with the highest product wins (ties: the earlier window). Attempts count
when they fall inside the 25 windows (Mon–Fri × 08–10 … 16–18 local, the account's IANA zone) and were started
before the queue's as-of date. "Regret" is the mean of (true probability of the true best window − true probability
of the chosen one), in percentage points: a wrong pick between two near-equal windows costs little.
"""

import csv
import json
import os
import sys
from collections import defaultdict
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

RIGHT_PARTY = {"right_party", "promise", "refused", "dispute"}
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri"]
START_HOURS = [8, 10, 12, 14, 16]
WINDOW_NAMES = [f"{day} {hour:02d}-{hour + 2:02d}" for day in DAYS for hour in START_HOURS]
PSEUDO_COUNT = 5.0


def window_index(local):
    """The window (0…24, weekday-major) a local datetime falls in, or None."""
    if local.weekday() >= 5 or not 8 <= local.hour < 18:
        return None
    return local.weekday() * 5 + (local.hour - 8) // 2


def window_of_label(label):
    """The window index of a label such as "Tue 12-14" or "Tue 12:00-14:00"."""
    day, hours = label.split(" ", 1)
    start = int(hours.split("-")[0].split(":")[0])
    return DAYS.index(day) * 5 + (start - 8) // 2


def attempts_by_window(export, zones, as_of):
    """Per customer: attempts and right-party contacts per window, from calls.csv rows before the as-of date."""
    attempts = defaultdict(lambda: [0] * 25)
    contacts = defaultdict(lambda: [0] * 25)
    zone_cache = {}
    with open(os.path.join(export, "calls.csv"), newline="") as handle:
        for row in csv.DictReader(handle):
            started = datetime.fromisoformat(row["started_at"].replace("Z", "+00:00"))
            if started >= as_of:
                continue
            zone_name = zones[row["customer_id"]]
            zone = zone_cache.setdefault(zone_name, ZoneInfo(zone_name))
            window = window_index(started.astimezone(zone))
            if window is None:
                continue
            attempts[row["customer_id"]][window] += 1
            if row["outcome"] in RIGHT_PARTY:
                contacts[row["customer_id"]][window] += 1
    return attempts, contacts


def population_rates(attempts, contacts, group):
    """Population right-party rate per weekday (group = weekday of window) or per hour block."""
    tried = defaultdict(int)
    reached = defaultdict(int)
    for customer, counts in attempts.items():
        for window, count in enumerate(counts):
            tried[group(window)] += count
            reached[group(window)] += contacts[customer][window]
    return {key: reached[key] / tried[key] if tried[key] else 0.0 for key in tried}


def baseline_window(customer, attempts, contacts, day_rates, block_rates):
    """The smoothed-rate baseline's window for one customer."""
    tried = attempts.get(customer, [0] * 25)
    reached = contacts.get(customer, [0] * 25)

    def shrunk(group, key, rates):
        n = sum(tried[w] for w in range(25) if group(w) == key)
        k = sum(reached[w] for w in range(25) if group(w) == key)
        return (k + PSEUDO_COUNT * rates.get(key, 0.0)) / (n + PSEUDO_COUNT)

    day = [shrunk(lambda w: w // 5, d, day_rates) for d in range(5)]
    block = [shrunk(lambda w: w % 5, b, block_rates) for b in range(5)]
    scores = [day[w // 5] * block[w % 5] for w in range(25)]
    return max(range(25), key=lambda w: (scores[w], -w))


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    export, queue = argv[1], argv[2]
    truth = {c["customer_id"]: c for c in json.load(open(os.path.join(export, "truth.json")))["customers"]}
    zones = {cid: c["timezone"] for cid, c in truth.items()}
    manifest = json.load(open(os.path.join(queue, "manifest.json")))
    as_of = datetime.fromisoformat(manifest["as_of"]).replace(tzinfo=timezone.utc)
    attempts, contacts = attempts_by_window(export, zones, as_of)
    day_rates = population_rates(attempts, contacts, lambda w: w // 5)
    block_rates = population_rates(attempts, contacts, lambda w: w % 5)

    tallies = {group: {"accounts": 0, "model_right": 0, "baseline_right": 0, "model_regret": 0.0,
                       "baseline_regret": 0.0} for group in ("all", "10+ attempts")}
    with open(os.path.join(queue, "calls.csv"), newline="") as handle:
        for row in csv.DictReader(handle):
            customer = row["customer_id"]
            probabilities = truth[customer]["window_rpc_probability"]
            best = window_of_label(truth[customer]["best_window"])
            model = window_of_label(row["best_window_local"])
            baseline = baseline_window(customer, attempts, contacts, day_rates, block_rates)
            groups = ["all"] + (["10+ attempts"] if sum(attempts.get(customer, [])) >= 10 else [])
            for group in groups:
                tally = tallies[group]
                tally["accounts"] += 1
                tally["model_right"] += model == best
                tally["baseline_right"] += baseline == best
                tally["model_regret"] += probabilities[best] - probabilities[model]
                tally["baseline_regret"] += probabilities[best] - probabilities[baseline]

    results = {}
    for group, tally in tallies.items():
        n = tally["accounts"]
        if n == 0:
            results[group] = {"accounts": 0}
            continue
        results[group] = {
            "accounts": n,
            "model_right_share": round(tally["model_right"] / n, 4),
            "baseline_right_share": round(tally["baseline_right"] / n, 4),
            "ratio": round(tally["model_right"] / tally["baseline_right"], 3) if tally["baseline_right"] else None,
            "model_regret_pp": round(100 * tally["model_regret"] / n, 2),
            "baseline_regret_pp": round(100 * tally["baseline_regret"] / n, 2),
        }
    if "--json" in argv:
        print(json.dumps(results, sort_keys=True))
    else:
        for group, figures in results.items():
            print(group, " ".join(f"{key}={value}" for key, value in sorted(figures.items())))


if __name__ == "__main__":
    main(sys.argv)
