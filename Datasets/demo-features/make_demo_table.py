#!/usr/bin/env python3
"""Writes accounts.csv: a small, synthetic account-level feature table for `make demo`.

Run from the repository root:  python3 Datasets/demo-features/make_demo_table.py
Needs only the standard library. Deterministic (seed 20261123).

Each row is one customer account as of a snapshot date, with features a collections
analyst would build and the outcome `paid_within_30d` (1 when the account paid
anything in the 30 days after the snapshot). The outcome follows a known logistic
model of the features; `true_p` records its probability so fits can be judged.
Customer ids keep leading zeros and must be read as strings.
"""
import csv
import math
import random

random.seed(20261123)
SEGMENTS = ["enterprise", "smb", "public sector"]
rows = []
for n in range(2000):
    segment = random.choices(SEGMENTS, weights=[2, 6, 1])[0]
    invoice_count = 1 + int(random.expovariate(1 / 6))
    open_balance = round(random.lognormvariate(8 if segment != "smb" else 7, 1.1), 2)
    share_past_due = random.betavariate(1.2, 1.8)
    past_due_balance = round(open_balance * share_past_due, 2)
    max_days_past_due = int(random.expovariate(1 / 35)) if past_due_balance > 0 else 0
    avg_days_late = max(0.0, round(random.gauss(12, 10), 1))
    share_paid_late = round(random.betavariate(2, 3), 3)
    days_since_last_payment = int(random.expovariate(1 / 40))
    rpc_rate_30d = round(random.betavariate(2, 5), 3)
    disputed = 1 if random.random() < 0.06 else 0
    eta = (0.9
           - 0.018 * max_days_past_due
           - 0.035 * avg_days_late
           - 1.1 * share_paid_late
           - 0.012 * days_since_last_payment
           + 2.2 * rpc_rate_30d
           - 1.3 * disputed
           + 0.08 * math.log1p(invoice_count))
    p = 1 / (1 + math.exp(-eta))
    paid = 1 if random.random() < p else 0
    rows.append({
        "customer_id": f"{n + 1:06d}",
        "segment": segment,
        "open_balance": f"{open_balance:.2f}",
        "past_due_balance": f"{past_due_balance:.2f}",
        "max_days_past_due": max_days_past_due,
        "invoice_count": invoice_count,
        "avg_days_late": avg_days_late,
        "share_paid_late": share_paid_late,
        "days_since_last_payment": days_since_last_payment,
        "rpc_rate_30d": rpc_rate_30d,
        "disputed": disputed,
        "true_p": f"{p:.6f}",
        "paid_within_30d": paid,
    })

with open("Datasets/demo-features/accounts.csv", "w", newline="") as handle:
    writer = csv.DictWriter(handle, fieldnames=list(rows[0].keys()), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
print(f"wrote {len(rows)} rows to Datasets/demo-features/accounts.csv")
