"""How fast does a team's transactions export become a world, and its first analyses?

Run from the repository root::

    .venv/bin/python benchmarks/bench_import.py             # 1M and 10M rows, a few minutes
    .venv/bin/python benchmarks/bench_import.py --quick     # 50,000 rows, seconds
    .venv/bin/python benchmarks/bench_import.py --rows 2000000

For each size it writes an export as shop systems do (';'-separated, decimal
commas, day-first dates with times, text customer ids, order lines: about 2.5
lines an order, 1 % cancellations as negative quantities, 1 % lines without a
customer) and measures, each in a fresh process (wall seconds, peak resident
memory):

- **baseline**: ``pandas.read_csv`` of the export with every column as text
  (the floor: reading the file at all);
- **import**: :func:`crmkit.own_data.import_transactions` (parse, sum order
  lines, number the customers, write the folder);
- **load + RFM + cohorts**: :func:`crmkit.load_world` of that folder, then
  :func:`crmkit.metrics.rfm_table` and :func:`crmkit.metrics.cohort_retention`.

The issue's target is the whole playbook on a 10-million-row export in at
most 5 minutes and 4 GiB; this benchmark measures the steps that come first.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

GIB = 2**30
MAPPING = {"customer_id": "CustomerID", "date": "InvoiceDate", "quantity": "Quantity",
           "unit_price": "UnitPrice", "order_id": "InvoiceNo"}  # fmt: skip

STEP = r"""
import json, resource, sys, time
t0 = time.perf_counter()
step, export, out = sys.argv[1], sys.argv[2], sys.argv[3]
if step == "baseline":
    import pandas as pd
    n = len(pd.read_csv(export, sep=";", dtype=str, keep_default_na=False))
elif step == "import":
    from crmkit.own_data import import_transactions
    import_transactions(export, out, columns=json.loads(sys.argv[4]), dayfirst=True)
    n = 0
else:
    from crmkit import load_world
    from crmkit.metrics import cohort_retention, rfm_table
    w = load_world(out)
    n = len(rfm_table(w.transactions)) + len(cohort_retention(w.transactions))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": time.perf_counter() - t0, "peak": peak, "n": n}))
"""


def write_export(path: Path, rows: int, seed: int = 0) -> None:
    """An export of ``rows`` order lines (see the module)."""
    rng = np.random.default_rng(seed)
    customers = max(rows // 25, 10)
    orders = max(rows * 2 // 5, 1)
    order = np.sort(rng.integers(0, orders, rows))
    cust = rng.integers(0, customers, orders)[order]
    day = np.sort(rng.integers(0, 3 * 365, orders))[order]
    dates = pd.Timestamp("2021-01-01") + pd.to_timedelta(day, unit="D")
    qty = rng.integers(1, 13, rows)
    cancel = rng.random(rows) < 0.01
    qty[cancel] *= -1
    price = np.round(rng.gamma(2.0, 4.0, rows) + 0.5, 2)
    cid = pd.Series(np.char.add("C", (cust + 10000).astype(str)))
    cid[rng.random(rows) < 0.01] = ""
    inv = np.char.add(np.where(cancel, "C", ""), (order + 500000).astype(str))
    frame = pd.DataFrame({
        "InvoiceNo": inv,
        "StockCode": rng.integers(10000, 99999, rows),
        "Quantity": qty,
        "InvoiceDate": dates.strftime("%d/%m/%Y 10:%M"),
        "UnitPrice": pd.Series(price).map("{:.2f}".format).str.replace(".", ",", regex=False),
        "CustomerID": cid,
        "Country": "Finland",
    })  # fmt: skip
    frame.to_csv(path, sep=";", index=False)


def run_step(step: str, export: Path, out: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", STEP, step, str(export), str(out), json.dumps(MAPPING)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"{step} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="50,000 rows only (a smoke run)")
    p.add_argument("--rows", type=int, action="append", help="sizes (default: 1M and 10M)")
    args = p.parse_args(argv)
    sizes = args.rows or ([50_000] if args.quick else [1_000_000, 10_000_000])
    load = os.getloadavg()[0]
    print(f"bench_import: {os.cpu_count()} cores, load {load:.2f}; each step in a fresh process")
    print(f"{'rows':>12} {'MB':>7} | {'step':<22} {'seconds':>8} {'peak GiB':>9} {'x read':>7}")
    with tempfile.TemporaryDirectory(prefix="crmkit-bench-import-") as tmp:
        for rows in sizes:
            export = Path(tmp) / f"export-{rows}.csv"
            write_export(export, rows)
            mb = export.stat().st_size / 1e6
            out = Path(tmp) / f"world-{rows}"
            base = run_step("baseline", export, out)
            results = [("baseline: read_csv", base), ("import", run_step("import", export, out)),
                       ("load + RFM + cohorts", run_step("analyse", export, out))]  # fmt: skip
            for name, r in results:
                ratio = r["seconds"] / base["seconds"]
                print(f"{rows:>12,} {mb:>7.0f} | {name:<22} {r['seconds']:>8.2f} "
                      f"{r['peak'] / GIB:>9.2f} {ratio:>7.1f}")  # fmt: skip
            total = sum(r["seconds"] for _, r in results[1:])
            peak = max(r["peak"] for _, r in results[1:])
            print(f"{'':>12} {'':>7} | {'import + analyses':<22} {total:>8.2f} {peak / GIB:>9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
