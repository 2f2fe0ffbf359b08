#!/usr/bin/env python3
"""Collection KPIs of ../shared/DESIGN.md computed from an export's CSV files with pandas only.

An independent reference for `arscore kpi` (docs/KPIS.md): the Swift pass replays each customer's invoices and
payments day by day; this script restates the balance rule "as of day D" directly (payments dated before D applied
to their invoice, the excess and the on-account payments FIFO to the oldest open invoice) and evaluates it at every
day it needs. It assumes a clean export (no quarantined rows), like the committed fixture.

    python3 kpis_pandas.py EXPORT --from 2026-03-01 --to 2026-11-01 [--period month|week|day]
                           [--by segment|country] [--grace-days 3] [--out kpis.json]
"""
import argparse
import json
import sys
import time

import numpy as np
import pandas as pd

BUCKETS = ["current", "1_30", "31_60", "61_90", "91_plus"]
RPC = {"right_party", "promise", "refused", "dispute"}
HEADLINE = ["dso", "best_possible_dso", "add", "cei", "rpc_rate", "promise_rate", "promise_kept_rate",
            "call_to_payment_rate", "days_past_due_at_resolution"]


def day_number(text):
    return int((pd.Timestamp(text) - pd.Timestamp("1970-01-01")).days)


def days(series):
    return ((pd.to_datetime(series) - pd.Timestamp("1970-01-01")).dt.days).astype(np.int64)


def bucket(late):
    return 0 if late <= 0 else 1 if late <= 30 else 2 if late <= 60 else 3 if late <= 90 else 4


def boundaries(start, end, period):
    dates = pd.Timestamp("1970-01-01") + pd.to_timedelta([start, end], unit="D")
    if period == "month":
        inner = pd.date_range(dates[0], dates[1], freq="MS", inclusive="right")
    elif period == "week":
        inner = pd.date_range(dates[0], dates[1], freq="W-MON", inclusive="right")
    else:
        inner = pd.date_range(dates[0], dates[1], freq="D", inclusive="right")
    cuts = sorted({start, end} | {int((d - pd.Timestamp("1970-01-01")).days) for d in inner if d < dates[1]})
    return cuts


def open_amounts(inv, pays, d):
    """Open amount (milli) of each of a customer's invoices as of day d (rows dated before d), FIFO order."""
    issued = inv[inv.date < d]
    before = pays[pays.date < d]
    direct = before[before.invoice.notna()].groupby("invoice").amount.sum()
    paid = issued.invoice_id.map(direct).fillna(0).astype(np.int64).to_numpy()
    amount = issued.amount.to_numpy()
    base = np.maximum(0, amount - paid)
    credit = int(before[before.invoice.isna()].amount.sum()) + int(np.maximum(0, paid - amount).sum())
    covered = np.minimum(np.cumsum(base), credit)
    applied = np.diff(np.concatenate([[0], covered]))
    return issued, base - applied


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("export")
    parser.add_argument("--from", dest="start", required=True)
    parser.add_argument("--to", dest="end", required=True)
    parser.add_argument("--period", default="month", choices=["month", "week", "day"])
    parser.add_argument("--by", default=None, choices=["segment", "country"])
    parser.add_argument("--grace-days", type=int, default=3)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    started = time.time()
    start, end = day_number(args.start), day_number(args.end)
    cuts = boundaries(start, end, args.period)
    periods = len(cuts) - 1
    months = [int((d - pd.Timestamp("1970-01-01")).days)
              for d in pd.date_range(pd.Timestamp(args.start), pd.Timestamp(args.end), freq="MS")]

    def period_of(d):
        d = np.asarray(d)
        k = np.searchsorted(cuts, d, side="right") - 1
        return np.where((d >= start) & (d < end), k, -1)

    folder = args.export
    customers = pd.read_csv(f"{folder}/customers.csv", dtype=str, keep_default_na=False)
    invoices = pd.read_csv(f"{folder}/invoices.csv", dtype={"invoice_id": str, "customer_id": str})
    payments = pd.read_csv(f"{folder}/payments.csv", dtype={"payment_id": str, "customer_id": str, "invoice_id": str})
    calls = pd.read_csv(f"{folder}/calls.csv", dtype={"call_id": str, "customer_id": str})
    promises = pd.read_csv(f"{folder}/promises.csv", dtype={"promise_id": str, "customer_id": str})

    key = args.by
    label = (customers[key] if key else pd.Series("all", index=customers.index)).replace("", "(none)")
    group_of = dict(zip(customers.customer_id, label))
    names = sorted(set(label))
    invoices["amount"] = (invoices.amount * 1000).round().astype(np.int64)
    invoices["date"], invoices["due"] = days(invoices.invoice_date), days(invoices.due_date)
    invoices["row"] = np.arange(len(invoices))
    invoices = invoices.sort_values(["customer_id", "date", "row"], kind="stable")
    payments["amount"] = (payments.amount * 1000).round().astype(np.int64)
    payments["date"] = days(payments.payment_date)
    payments["invoice"] = payments.invoice_id.where(payments.invoice_id.notna() & (payments.invoice_id != ""))
    promises["created"], promises["promised"] = days(promises.created_date), days(promises.promised_date)
    promises["amount"] = (promises.promised_amount * 1000).round().astype(np.int64)

    fields = ["beginning", "ending", "ending_current", "sales", "sales_invoices", "attempts", "contacts", "promises",
              "resolved", "kept", "followed", "invoices_resolved", "amount_resolved", "weighted_days"] \
        + [f"base_{b}" for b in range(5)] + [f"to_{f}_{t}" for f in range(5) for t in range(5)]
    sums = {(p, g): dict.fromkeys(fields, 0) for p in range(periods) for g in names}

    # Balances, sales, resolutions and roll rates: the as-of-D rule evaluated customer by customer.
    pay_groups = dict(tuple(payments.groupby("customer_id")))
    empty_pays = payments.iloc[0:0]
    for customer, inv in invoices.groupby("customer_id", sort=False):
        g = group_of[customer]
        pays = pay_groups.get(customer, empty_pays)
        for k, d in enumerate(cuts):
            issued, left = open_amounts(inv, pays, d)
            total = int(left.sum())
            current = int(left[issued.due.to_numpy() >= d].sum())
            if k < periods:
                sums[(k, g)]["beginning"] += total
            if k > 0:
                sums[(k - 1, g)]["ending"] += total
                sums[(k - 1, g)]["ending_current"] += current
        for d, amount in zip(inv.date, inv.amount):
            k = period_of(d)
            if k >= 0:
                sums[(int(k), g)]["sales"] += int(amount)
                sums[(int(k), g)]["sales_invoices"] += 1
        # Full-payment day: the first day d (an invoice or payment date) after which the invoice has nothing open.
        candidates = sorted(set(inv.date) | set(pays.date))
        settled = {}
        for d in candidates:
            if d >= end:
                break
            issued, left = open_amounts(inv, pays, d + 1)
            for invoice_id, remaining in zip(issued.invoice_id, left):
                if remaining == 0 and invoice_id not in settled:
                    settled[invoice_id] = d
        for invoice_id, amount, due in zip(inv.invoice_id, inv.amount, inv.due):
            if invoice_id in settled:
                k = period_of(settled[invoice_id])
                if k >= 0:
                    s = sums[(int(k), g)]
                    s["invoices_resolved"] += 1
                    s["amount_resolved"] += int(amount)
                    s["weighted_days"] += int(amount) * max(0, settled[invoice_id] - int(due))
        for m0, m1 in zip(months, months[1:]):
            issued0, left0 = open_amounts(inv, pays, m0)
            issued1, left1 = open_amounts(inv, pays, m1)
            later = dict(zip(issued1.invoice_id, left1))
            s = sums[(int(period_of(m0)), g)]
            for invoice_id, due, remaining in zip(issued0.invoice_id, issued0.due, left0):
                if remaining <= 0:
                    continue
                b0 = bucket(m0 - due)
                s[f"base_{b0}"] += int(remaining)
                if later[invoice_id] > 0:
                    s[f"to_{b0}_{bucket(m1 - due)}"] += int(remaining)

    # Calls on their local date, each right-party contact matched with the customer's first payment on or after it.
    zone_of = dict(zip(customers.customer_id, customers.timezone))
    calls["instant"] = pd.to_datetime(calls.started_at, utc=True, format="ISO8601")
    calls["zone"] = calls.customer_id.map(zone_of)
    calls["local"] = 0
    for zone, rows in calls.groupby("zone"):
        local = rows.instant.dt.tz_convert(zone).dt.tz_localize(None).dt.normalize()
        calls.loc[rows.index, "local"] = ((local - pd.Timestamp("1970-01-01")).dt.days).astype(np.int64)
    calls["period"] = period_of(calls.local.to_numpy())
    calls = calls[calls.period >= 0].copy()
    calls["rpc"] = calls.outcome.isin(RPC)
    rpc = calls[calls.rpc].sort_values("local")
    pays = payments[["customer_id", "date"]].sort_values("date").rename(columns={"date": "paid"})
    matched = pd.merge_asof(rpc, pays, left_on="local", right_on="paid", by="customer_id", direction="forward")
    matched["followed"] = matched.paid.notna() & (matched.paid <= matched.local + 7)
    for (customer, k), rows in calls.groupby(["customer_id", "period"]):
        s = sums[(int(k), group_of[customer])]
        s["attempts"] += len(rows)
        s["contacts"] += int(rows.rpc.sum())
    for (customer, k), rows in matched.groupby(["customer_id", "period"]):
        sums[(int(k), group_of[customer])]["followed"] += int(rows.followed.sum())

    # Promises: made on the created date; kept when the payments from created date through the last grace day cover it.
    grace = args.grace_days
    promises["last"] = promises.promised + grace
    joined = promises.merge(payments[["customer_id", "date", "amount"]].rename(columns={"amount": "paid"}),
                            on="customer_id", how="left")
    inside = joined[(joined.date >= joined.created) & (joined.date <= joined["last"])]
    paid = inside.groupby("promise_id").paid.sum()
    promises["kept"] = promises.promise_id.map(paid).fillna(0) >= promises.amount
    for customer, k in zip(promises.customer_id, period_of(promises.created.to_numpy())):
        if k >= 0:
            sums[(int(k), group_of[customer])]["promises"] += 1
    for customer, k, kept in zip(promises.customer_id, period_of(promises["last"].to_numpy()), promises.kept):
        if k >= 0:
            sums[(int(k), group_of[customer])]["resolved"] += 1
            sums[(int(k), group_of[customer])]["kept"] += int(kept)

    groups = (["all"] if key else []) + names
    rows = []
    for k in range(periods):
        for g in groups:
            s = dict.fromkeys(fields, 0)
            for name in (names if g == "all" else [g]):
                for f in fields:
                    s[f] += sums[(k, name)][f]
            n_days = cuts[k + 1] - cuts[k]

            def ratio(a, b, scale=1.0):
                return None if b == 0 else scale * a / b

            kpis = {
                "dso": ratio(s["ending"], s["sales"], n_days),
                "best_possible_dso": ratio(s["ending_current"], s["sales"], n_days),
                "add": ratio(s["ending"] - s["ending_current"], s["sales"], n_days),
                "cei": ratio(s["beginning"] + s["sales"] - s["ending"], s["beginning"] + s["sales"] - s["ending_current"], 100),
                "rpc_rate": ratio(s["contacts"], s["attempts"]),
                "promise_rate": ratio(s["promises"], s["contacts"]),
                "promise_kept_rate": ratio(s["kept"], s["resolved"]),
                "call_to_payment_rate": ratio(s["followed"], s["contacts"]),
                "days_past_due_at_resolution": ratio(s["weighted_days"], s["amount_resolved"]),
            }
            for f in range(5):
                for t in range(5):
                    kpis[f"roll_rate_{BUCKETS[f]}_to_{BUCKETS[t]}"] = ratio(s[f"to_{f}_{t}"], s[f"base_{f}"])
            counts = {"call_attempts": s["attempts"], "right_party_contacts": s["contacts"], "promises": s["promises"],
                      "resolved_promises": s["resolved"], "kept_promises": s["kept"],
                      "contacts_followed_by_payment": s["followed"], "invoices_resolved": s["invoices_resolved"],
                      "credit_sales": s["sales"] / 1000, "beginning_receivables": s["beginning"] / 1000,
                      "ending_receivables": s["ending"] / 1000, "ending_current_receivables": s["ending_current"] / 1000,
                      "amount_resolved": s["amount_resolved"] / 1000}
            start_text = str((pd.Timestamp("1970-01-01") + pd.Timedelta(days=cuts[k])).date())
            rows.append({"period_start": start_text, "group": g, "kpis": kpis, "counts": counts})
    document = {"from": args.start, "to": args.end, "period": args.period, "by": key or "all",
                "grace_days": grace, "rows": rows}
    text = json.dumps(document, indent=2, sort_keys=True) + "\n"
    if args.out:
        with open(args.out, "w") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
    print(f"pandas KPIs: {len(rows)} rows in {time.time() - started:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
