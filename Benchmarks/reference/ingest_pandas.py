#!/usr/bin/env python3
"""pandas side of the ingest + snapshot-features benchmark (arscore-bench ingest).

Install:  pip install pandas numpy
Run:      python3 Benchmarks/reference/ingest_pandas.py --data EXPORT_FOLDER --as-of 2026-10-01

Reads the five export files with pandas.read_csv (ids as strings, dates parsed, call times
as UTC) and computes, per customer with an open balance at the as-of date T, the group-by
aggregations arscore's snapshot computes from rows dated before T: open and past-due balance,
aging buckets, maximum and balance-weighted days past due, invoice counts, average days late
and share paid late, payments and days since the last payment over 90 days, disputes, call
attempts and right-party contacts over 7/30/90 days and per local weekday × hour window, and
promises made / kept / broken. Prints ONE JSON line: seconds (read, features, total), rows,
and peak resident memory (MB).
"""
import argparse
import json
import resource
import time

import numpy as np
import pandas as pd

RPC = {"right_party", "promise", "refused", "dispute"}
GRACE_DAYS = 3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--as-of", required=True)
    args = ap.parse_args()
    d = args.data
    T = pd.Timestamp(args.as_of)
    t0 = time.perf_counter()
    customers = pd.read_csv(f"{d}/customers.csv", dtype={"customer_id": str, "timezone": str})
    invoices = pd.read_csv(f"{d}/invoices.csv", dtype={"invoice_id": str, "customer_id": str},
                           parse_dates=["invoice_date", "due_date"])
    payments = pd.read_csv(f"{d}/payments.csv", dtype={"payment_id": str, "customer_id": str, "invoice_id": str},
                           parse_dates=["payment_date"])
    calls = pd.read_csv(f"{d}/calls.csv", dtype={"call_id": str, "customer_id": str, "outcome": str})
    calls["started_at"] = pd.to_datetime(calls["started_at"], utc=True, format="ISO8601")
    promises = pd.read_csv(f"{d}/promises.csv", dtype={"promise_id": str, "customer_id": str, "call_id": str},
                           parse_dates=["created_date", "promised_date"])
    t_read = time.perf_counter()

    inv = invoices[invoices.invoice_date < T]
    pay = payments[payments.payment_date < T]
    applied = pay.dropna(subset=["invoice_id"]).groupby("invoice_id").agg(paid=("amount", "sum"),
                                                                          last_paid=("payment_date", "max"))
    inv = inv.merge(applied, left_on="invoice_id", right_index=True, how="left")
    inv["paid"] = inv["paid"].fillna(0.0)
    inv["open"] = (inv["amount"] - inv["paid"]).clip(lower=0)
    inv["dpd"] = (T - inv["due_date"]).dt.days
    open_inv = inv[inv.open > 0.005].copy()
    open_inv["past_due"] = np.where(open_inv.dpd > 0, open_inv.open, 0.0)
    open_inv["wdpd"] = open_inv.open * open_inv.dpd.clip(lower=0)
    for name, lo, hi in [("current", -10**9, 0), ("b1_30", 1, 30), ("b31_60", 31, 60), ("b61_90", 61, 90),
                         ("b90p", 91, 10**9)]:
        open_inv[name] = np.where(open_inv.dpd.between(lo, hi), open_inv.open, 0.0)
    open_inv["disputed_open"] = np.where(open_inv.disputed == 1, open_inv.open, 0.0)
    f = open_inv.groupby("customer_id").agg(
        open_balance=("open", "sum"), past_due_balance=("past_due", "sum"), max_dpd=("dpd", "max"),
        wdpd=("wdpd", "sum"), open_invoices=("invoice_id", "count"), current=("current", "sum"),
        b1_30=("b1_30", "sum"), b31_60=("b31_60", "sum"), b61_90=("b61_90", "sum"), b90p=("b90p", "sum"),
        disputed_open=("disputed_open", "sum"))
    f["wdpd"] = f.wdpd / f.open_balance
    paid_inv = inv[(inv.open <= 0.005) & inv.last_paid.notna()].copy()
    paid_inv["late"] = (paid_inv.last_paid - paid_inv.due_date).dt.days
    paid_inv["is_late"] = paid_inv.late > 0
    f = f.join(paid_inv.groupby("customer_id").agg(avg_days_late=("late", "mean"), share_late=("is_late", "mean")))
    inv["recent"] = inv.invoice_date >= T - pd.Timedelta(days=90)
    f = f.join(inv.groupby("customer_id").agg(invoices_90d=("recent", "sum"), first_invoice=("invoice_date", "min")))
    recent = pay[pay.payment_date >= T - pd.Timedelta(days=90)]
    f = f.join(recent.groupby("customer_id").agg(payments_90d=("amount", "count"), paid_90d=("amount", "sum")))
    f = f.join(pay.groupby("customer_id").agg(last_payment=("payment_date", "max")))
    f["days_since_payment"] = (T - f.last_payment).dt.days

    Tutc = T.tz_localize("UTC")
    cl = calls[calls.started_at < Tutc].copy()
    cl["rpc"] = cl.outcome.isin(RPC)
    cl["age"] = (Tutc - cl.started_at).dt.days
    for days in (7, 30, 90):
        w = cl[cl.age < days]
        g = w.groupby("customer_id").agg(**{f"attempts_{days}d": ("rpc", "size"), f"rpc_{days}d": ("rpc", "sum")})
        f = f.join(g)
    # Local weekday × two-hour window per call (time-zone conversion per zone).
    zones = customers.set_index("customer_id").timezone
    cl["tz"] = cl.customer_id.map(zones)
    parts = []
    for tz, part in cl.groupby("tz"):
        local = part.started_at.dt.tz_convert(tz)
        parts.append(pd.DataFrame({"customer_id": part.customer_id, "rpc": part.rpc,
                                   "weekday": local.dt.weekday, "slot": (local.dt.hour - 8) // 2}))
    if parts:
        loc = pd.concat(parts)
        loc = loc[(loc.weekday < 5) & (loc.slot >= 0) & (loc.slot < 5)]
        loc["window"] = loc.weekday * 5 + loc.slot
        windows = loc.pivot_table(index="customer_id", columns="window", values="rpc", aggfunc=["size", "sum"],
                                  fill_value=0)
        windows.columns = [f"{a}_{b}" for a, b in windows.columns]
        f = f.join(windows)

    pr = promises[promises.created_date < T]
    resolved = pr[pr.promised_date + pd.Timedelta(days=GRACE_DAYS) < T]
    m = resolved.merge(pay[["customer_id", "payment_date", "amount"]], on="customer_id", how="left")
    m = m[(m.payment_date >= m.created_date) & (m.payment_date <= m.promised_date + pd.Timedelta(days=GRACE_DAYS))]
    paid_by_promise = m.groupby("promise_id").amount.sum()
    resolved = resolved.assign(kept=resolved.promise_id.map(paid_by_promise).fillna(0) >= resolved.promised_amount)
    f = f.join(pr.groupby("customer_id").agg(promises_made=("promise_id", "count")))
    f = f.join(resolved.groupby("customer_id").agg(promises_kept=("kept", "sum"),
                                                   promises_resolved=("kept", "size")))
    f = f.fillna(0)
    t_end = time.perf_counter()
    print(json.dumps({
        "library": "pandas", "version": pd.__version__,
        "read_seconds": t_read - t0, "features_seconds": t_end - t_read, "seconds": t_end - t0,
        "customers_in_snapshot": int(len(f)), "feature_columns": int(f.shape[1]),
        "rows": {"customers": len(customers), "invoices": len(invoices), "payments": len(payments),
                 "calls": len(calls), "promises": len(promises)},
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main()
