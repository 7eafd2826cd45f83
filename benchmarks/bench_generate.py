"""How fast does crmkit make data? Prints a table; no asserts (exit 0).

Run from the repository root (``make bench`` runs every ``benchmarks/bench_*.py``)::

    .venv/bin/python benchmarks/bench_generate.py            # full sizes, a minute or two
    .venv/bin/python benchmarks/bench_generate.py --quick    # small sizes, ~20 s
    .venv/bin/python benchmarks/bench_generate.py --part 2    # only part 2

1. Customers: a naive loop that makes one customer at a time with one
   ``Faker(locale)`` (gender, first and last name, e-mail from the transliterated
   name, city, birth date, sign-up date, relationship type, acquisition channel,
   origin) against crmkit's customer step, which makes the same columns as
   :func:`crmkit.make_world` does (Faker pools + numpy). Rows per second and
   the ratio, for each locale. Target: crmkit >= 300x the loop for en_US.
2. ``make_world(1_000_000, tables=())``: customers, ~10M transactions,
   campaigns, staff and stage history. Wall and CPU seconds of the call and the
   peak resident memory of its process (a fresh one per run). Targets:
   <= 5 s and <= 1.5 GiB.
3. ``make_world(1_000_000)``: every table, the contacts and surveys too.
   Targets: <= 15 s and <= 4 GiB.

Each large run happens in a fresh Python process, twice by default
(``--repeat``): the first time a process touches memory the kernel has to map
it, which on some virtual machines costs seconds per GiB; the line "fresh
memory" in the header says how fast that is here.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections import OrderedDict
from datetime import date

import faker
import numpy as np
import pandas as pd
from faker import Faker

import crmkit
from crmkit import concepts, synth
from crmkit.people import EMAIL_DOMAINS, SUPPORTED_LOCALES, transliterate

GIB = 2**30
TARGET_RATIO = 300  # crmkit customers / Faker loop, en_US
TARGETS = {"core": (5.0, 1.5), "full": (15.0, 4.0)}  # wall seconds, peak GiB

# ----------------------------------------------------------------------------- 1. customers


def naive_customers(n, locale, seed=0):
    """The customers' columns, one row at a time, with one Faker instance."""
    fake = Faker(locale)
    fake.seed_instance(seed)
    start, end = date(2023, 1, 1), date(2024, 12, 31)
    types = OrderedDict((t, 1.0) for t in concepts.keys(concepts.RELATIONSHIP_TYPES))
    channels = OrderedDict((c, 1.0) for c in concepts.CATEGORIES["acquisition_channel"])
    origins = OrderedDict(zip(concepts.CATEGORIES["origin"], (0.50, 0.35, 0.15), strict=True))
    city = fake.city_name if locale == "ru_RU" else fake.city
    domains = EMAIL_DOMAINS[locale]
    columns = ("customer_id", "first_name", "last_name", "gender", "email", "city",
               "birth_date", "signup_date", "relationship_type", "acquisition_channel",
               "origin")  # fmt: skip
    rows = {c: [] for c in columns}
    emails = set()
    for i in range(n):
        gender = fake.random_element(("female", "male"))
        if gender == "female":
            first, last = fake.first_name_female(), fake.last_name_female()
        else:
            first, last = fake.first_name_male(), fake.last_name_male()
        name = f"{transliterate(first, locale) or 'customer'}.{transliterate(last, locale)}"
        email = f"{name}{fake.random_int(10, 9999)}@{fake.random_element(domains)}"
        while email in emails:
            email = f"{name}{fake.random_int(10_000, 999_999)}@{fake.random_element(domains)}"
        emails.add(email)
        values = (i + 1, first, last, gender, email, city(),
                  fake.date_of_birth(minimum_age=18, maximum_age=90),
                  fake.date_between(start, end), fake.random_element(types),
                  fake.random_element(channels), fake.random_element(origins))  # fmt: skip
        for column, value in zip(columns, values, strict=True):
            rows[column].append(value)
    return pd.DataFrame(rows)


def crmkit_customers(n, locale, seed=0):
    """The same columns as make_world makes them: Faker pools + numpy, no row loop.

    :func:`crmkit.synth.customer_identity` draws them exactly as
    :func:`crmkit.make_world` does (a test holds the two equal); it also draws
    the latent traits that the world needs (satisfaction, behaviour flags,
    care, purchase rate and hazard).
    """
    return synth.customer_identity(n, locale=locale, random_state=seed)


def best_time(func, repeat):
    times = []
    for i in range(repeat):
        t = time.perf_counter()
        func(i)
        times.append(time.perf_counter() - t)
    return min(times)


def part_customers(naive_n, crmkit_n, repeat):
    print(f"\n1. Customers: a per-row Faker loop ({naive_n:,} rows) against crmkit "
          f"({crmkit_n:,} rows, best of {repeat})")  # fmt: skip
    header = f"   {'locale':7} {'Faker loop rows/s':>18} {'crmkit rows/s':>15} {'ratio':>8}  target"
    print(header)
    for locale in SUPPORTED_LOCALES:
        naive_customers(20, locale)  # warm-up: imports Faker's locale providers
        crmkit_customers(1000, locale)
        naive = naive_n / best_time(lambda i, loc=locale: naive_customers(naive_n, loc, i), 1)
        fast = crmkit_n / best_time(lambda i, loc=locale: crmkit_customers(crmkit_n, loc, i),
                                    repeat)  # fmt: skip
        target = f">= {TARGET_RATIO}x" if locale == "en_US" else ""
        print(f"   {locale:7} {naive:18,.0f} {fast:15,.0f} {fast / naive:7.0f}x  {target}".rstrip())
        if locale == "en_US":
            en_naive = naive
    t = time.perf_counter()
    world = crmkit.make_world(crmkit_n, random_state=0, tables=())
    speed = crmkit_n / (time.perf_counter() - t)
    print(
        f"   en_US, the whole of make_world({crmkit_n:,}, tables=()), with their "
        f"{len(world.transactions):,} purchases: {speed:,.0f} customers/s "
        f"({speed / en_naive:.0f}x the loop)"
    )


# ----------------------------------------------------------------------------- 2, 3. worlds

CHILD = r"""
import json, resource, sys, time
t = time.perf_counter()
import crmkit
imported = time.perf_counter() - t
n, tables = int(sys.argv[1]), (None if sys.argv[2] == "full" else ())
cpu, t = time.process_time(), time.perf_counter()
world = crmkit.make_world(n, random_state=7, tables=tables)
wall, cpu = time.perf_counter() - t, time.process_time() - cpu
peak = None
try:
    with open("/proc/self/status") as status:  # Linux: the peak resident set
        peak = next(int(l.split()[1]) * 1024 for l in status if l.startswith("VmHWM:"))
except (OSError, StopIteration):
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, else KiB
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
rows = {name: len(df) for name, df in world.tables().items()}
print(json.dumps({"wall": wall, "cpu": cpu, "peak": peak, "import": imported, "rows": rows}))
"""


def run_world(n, mode):
    """make_world(n) in a fresh Python process; its figures as a dict."""
    out = subprocess.run([sys.executable, "-c", CHILD, str(n), mode], capture_output=True,
                         text=True, check=True)  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def part_world(number, n, mode, repeat, quick):
    what = "tables=()" if mode == "core" else "every table"
    print(f"\n{number}. make_world({n:,}, {what}) in a fresh process, {repeat} run(s)")
    runs = [run_world(n, mode) for _ in range(repeat)]
    names = ["transactions", "stage_history"] + (["interactions", "surveys"] if mode == "full"
                                                 else [])  # fmt: skip
    print(
        f"   {'run':>4} {'wall s':>7} {'cpu s':>6} {'peak GiB':>9}   "
        + "  ".join(f"{name:>13}" for name in names)
    )
    for i, r in enumerate(runs, 1):
        print(
            f"   {i:4} {r['wall']:7.2f} {r['cpu']:6.2f} {r['peak'] / GIB:9.2f}   "
            + "  ".join(f"{r['rows'][name]:13,}" for name in names)
        )
    wall = min(r["wall"] for r in runs)
    peak = max(r["peak"] for r in runs) / GIB
    estimate = synth.world_memory_estimate(n) / GIB
    print(f"   make_world's memory estimate (every table, before it allocates): {estimate:.2f} "
          f"GiB, {estimate / peak:.1f}x the measured peak")  # fmt: skip
    t_wall, t_peak = TARGETS[mode]
    if quick:
        print(
            f"   best {wall:.2f} s, peak {peak:.2f} GiB (quick sizes: the targets, "
            f"<= {t_wall:g} s and <= {t_peak:g} GiB, are for 1,000,000 customers)"
        )
    else:
        print(
            f"   best {wall:.2f} s (target <= {t_wall:g} s), "
            f"peak {peak:.2f} GiB (target <= {t_peak:g} GiB)"
        )


# ----------------------------------------------------------------------------- main

FRESH = r"""
import time, numpy as np
t = time.perf_counter(); a = np.ones(2**26); print(0.5 / (time.perf_counter() - t))
"""


def header():
    fresh = float(subprocess.run([sys.executable, "-c", FRESH], capture_output=True, text=True,
                                 check=True).stdout)  # fmt: skip
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            mem = f", {int(f.readline().split()[1]) / 2**20:.0f} GiB memory"
    except OSError:
        pass
    print(f"crmkit {crmkit.__version__} on {platform.machine()}, {os.cpu_count()} cores{mem}; "
          f"Python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
          f"Faker {faker.VERSION}")  # fmt: skip
    print(
        f"memory: a new process writes 0.5 GiB at {fresh:.2f} GiB/s (slow where the machine "
        "must first map fresh pages: see benchmarks/README.md)"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (~20 s), a smoke test")
    parser.add_argument(
        "--part", type=int, choices=(1, 2, 3), action="append", help="run only this part"
    )
    parser.add_argument("--repeat", type=int, default=None,
                        help="runs of each large world (default 2; --quick: 1)")  # fmt: skip
    args = parser.parse_args(argv)
    repeat = args.repeat or (1 if args.quick else 2)
    parts = set(args.part or (1, 2, 3))
    quick = args.quick
    header()
    if 1 in parts:
        part_customers(naive_n=500 if quick else 5_000, crmkit_n=50_000 if quick else 200_000,
                       repeat=2 if quick else 3)  # fmt: skip
    for number, mode in ((2, "core"), (3, "full")):
        if number in parts:
            part_world(number, 200_000 if quick else 1_000_000, mode, repeat, quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
