#!/usr/bin/env python3
"""An independent synthetic export for testing the call-window model on contact preferences it was not designed for.

Usage: window_world.py OUT_FOLDER [--customers 2000] [--seed 1]

Writes OUT_FOLDER/{customers,invoices,payments,calls}.csv in the export contract of ../shared/DESIGN.md (no
promises.csv: it is optional) and OUT_FOLDER/truth.json with, per customer, `customer_id`, `timezone`,
`preference`, `window_rpc_probability` (25 windows, Mon 08-10 ... Fri 16-18 customer-local, weekday-major) and
`best_window` (the first maximum), the fields Benchmarks/window_accuracy.py reads.

Nothing here comes from arscore's generator. Contact preferences are smooth functions of local weekday and hour:
- peak (55%): a preferred weekday and a preferred local hour (shifted by time zone: the US west coast later,
  Europe earlier), right-party probability decaying as Gaussians in weekday distance and in hours;
- evening (20%): reachable mostly from 16:00, one random weekday worse than the rest;
- two peaks (15%): two (weekday, hour) peaks, e.g. Monday morning and Thursday afternoon: not a weekday × hour
  product, so only an interaction term can describe it;
- flat (10%): the same low rate everywhere, with a small random tilt.
Each account's probabilities are scaled by a reach in [0.4, 1]. The history's calls follow a dialer-like policy,
not the preferences: weekly, each customer with a past-due invoice is called with probability 0.55 at a uniformly
random weekday and an hour drawn with more weight on mornings, 8 % of calls at 18:00-20:00 (outside the windows).
A window's true probability is the mean of its two hours (evaluated at the half hour).
"""

import argparse
import csv
import json
import math
import os
import random
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri"]
START_HOURS = [8, 10, 12, 14, 16]
WINDOW_NAMES = [f"{day} {hour:02d}-{hour + 2:02d}" for day in DAYS for hour in START_HOURS]
ZONES = [("America/New_York", 0.0), ("America/Chicago", 0.0), ("America/Denver", 0.5), ("America/Los_Angeles", 1.5),
         ("Europe/London", -1.0), ("Europe/Berlin", -1.5)]
HISTORY_START = date(2025, 11, 3)
HISTORY_END = date(2026, 11, 1)
RIGHT_PARTY_OUTCOMES = ["right_party"] * 6 + ["promise"] * 2 + ["refused", "dispute"]
MISS_OUTCOMES = ["no_answer"] * 6 + ["voicemail"] * 3 + ["wrong_party"]


def gaussian(distance, width):
    return math.exp(-0.5 * (distance / width) ** 2)


def draw_preference(rng, zone_shift):
    """A function (weekday 0..4, local hour as a float) → P(right party), and the preference's name."""
    reach = rng.uniform(0.4, 1.0)
    base = rng.uniform(0.03, 0.08)
    kind = rng.choices(["peak", "evening", "two_peaks", "flat"], weights=[55, 20, 15, 10])[0]
    if kind == "peak":
        day, hour = rng.randrange(5), min(17.5, max(8.5, rng.uniform(8.5, 17.5) + zone_shift))
        day_width, hour_width, amplitude = rng.uniform(0.6, 2.0), rng.uniform(1.0, 3.0), rng.uniform(0.5, 0.85)
        def probability(d, h):
            return reach * (base + amplitude * gaussian(d - day, day_width) * gaussian(h - hour, hour_width))
    elif kind == "evening":
        worse, amplitude = rng.randrange(5), rng.uniform(0.5, 0.85)
        def probability(d, h):
            level = amplitude / (1 + math.exp(-(h - 16.0) / 0.4))
            return reach * (base + level * (0.5 if d == worse else 1.0))
    elif kind == "two_peaks":
        peaks = [(rng.randrange(5), rng.uniform(8.5, 11.5)), (rng.randrange(5), rng.uniform(14.0, 17.5))]
        amplitudes = [rng.uniform(0.5, 0.85), rng.uniform(0.4, 0.8)]
        def probability(d, h):
            return reach * (base + sum(a * gaussian(d - pd, 0.45) * gaussian(h - ph, 1.2)
                                       for a, (pd, ph) in zip(amplitudes, peaks)))
    else:
        tilt = [rng.uniform(-0.03, 0.03) for _ in range(5)]
        level = rng.uniform(0.15, 0.35)
        def probability(d, h):
            return reach * max(0.01, level + tilt[d] + 0.004 * (h - 13))
    return kind, lambda d, h: min(0.95, max(0.005, probability(d, h)))


def window_probabilities(probability):
    return [round((probability(d, s + 0.5) + probability(d, s + 1.5)) / 2, 4) for d in range(5) for s in START_HOURS]


def call_hour(rng):
    """A dialer-like local call hour: mornings busier, a few evening calls outside the windows."""
    if rng.random() < 0.08:
        return rng.uniform(18, 20)
    return rng.choices(range(8, 18), weights=[14, 14, 12, 10, 8, 9, 9, 8, 8, 8])[0] + rng.random()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out")
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    customers, invoices, payments, calls, truth = [], [], [], [], []
    for index in range(1, args.customers + 1):
        customer_id = f"W{index:06d}"
        zone_name, zone_shift = rng.choice(ZONES)
        zone = ZoneInfo(zone_name)
        kind, probability = draw_preference(rng, zone_shift)
        windows = window_probabilities(probability)
        best = max(range(25), key=lambda w: (windows[w], -w))
        customers.append([customer_id, zone_name, rng.choice(["smb", "mid_market", "enterprise"])])
        truth.append({"customer_id": customer_id, "timezone": zone_name, "preference": kind,
                      "window_rpc_probability": windows, "best_window": WINDOW_NAMES[best]})
        # Invoices every ~30 days, net 30; each paid after a customer-typical delay, some never (still open).
        delay_mean, never = rng.uniform(-5, 45), rng.uniform(0.02, 0.25)
        open_dues = []
        day = HISTORY_START + timedelta(days=rng.randrange(30))
        while day < HISTORY_END - timedelta(days=5):
            invoice_id = f"WI{len(invoices) + 1:07d}"
            amount = round(math.exp(rng.gauss(7.5, 0.8)), 2)
            due = day + timedelta(days=30)
            invoices.append([invoice_id, customer_id, day.isoformat(), due.isoformat(), f"{amount:.2f}", "USD", 0])
            paid_on = None if rng.random() < never else due + timedelta(days=round(rng.gauss(delay_mean, 10)))
            if paid_on is not None and paid_on < day:
                paid_on = day + timedelta(days=1)
            if paid_on is not None and paid_on < HISTORY_END:
                payments.append([f"WP{len(payments) + 1:07d}", customer_id, paid_on.isoformat(), f"{amount:.2f}", invoice_id])
            open_dues.append((due, paid_on))
            day += timedelta(days=rng.randint(25, 35))
        # Weekly collection calls while something is past due, at dialer-chosen local times.
        week = HISTORY_START
        while week < HISTORY_END - timedelta(days=7):
            past_due = any(due < week and (paid is None or paid > week) for due, paid in open_dues)
            if past_due and rng.random() < 0.55:
                weekday = rng.randrange(5)
                hour = call_hour(rng)
                local = datetime.combine(week + timedelta(days=weekday), datetime.min.time(), zone) \
                    + timedelta(hours=hour)
                local = local.replace(tzinfo=zone)
                started = local.astimezone(timezone.utc)
                contact = rng.random() < probability(weekday, hour)
                outcome = rng.choice(RIGHT_PARTY_OUTCOMES if contact else MISS_OUTCOMES)
                calls.append((started, customer_id, outcome))
            week += timedelta(days=7)
    calls.sort()
    write(args.out, "customers.csv", ["customer_id", "timezone", "segment"], customers)
    write(args.out, "invoices.csv", ["invoice_id", "customer_id", "invoice_date", "due_date", "amount", "currency",
                                     "disputed"], invoices)
    write(args.out, "payments.csv", ["payment_id", "customer_id", "payment_date", "amount", "invoice_id"], payments)
    write(args.out, "calls.csv", ["call_id", "customer_id", "started_at", "outcome"],
          [[f"WC{n + 1:07d}", customer, started.strftime("%Y-%m-%dT%H:%M:%SZ"), outcome]
           for n, (started, customer, outcome) in enumerate(calls)])
    with open(os.path.join(args.out, "truth.json"), "w") as handle:
        json.dump({"generator": "Benchmarks/window_world.py", "seed": args.seed, "customers": truth}, handle)


def write(folder, name, header, rows):
    with open(os.path.join(folder, name), "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


if __name__ == "__main__":
    main()
