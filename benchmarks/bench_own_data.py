"""The whole playbook on a team's own transactions export: time and memory per phase.

Run from the repository root (a heavy job: under the shared lock)::

    flock /tmp/crmkit-heavy.lock .venv/bin/python benchmarks/bench_own_data.py   # 10M rows
    .venv/bin/python benchmarks/bench_own_data.py --quick      # 20,000 rows, 3 lessons, no PDF
    .venv/bin/python benchmarks/bench_own_data.py --rows 1000000 --no-pdf --keep /tmp/own

It writes an export of N order lines in the layout of a shop system's (the
same writer as ``bench_import.py``: ';'-separated, decimal commas, day-first
dates with times, text customer ids, about 2.5 lines an order, 1 %
cancellations, 1 % lines without a customer), then runs, each as its own
process, what a team runs (``make playbook DATA=... OUT=...``):

1. **baseline**: ``pandas.read_csv`` of the export, every column as text (the
   floor: reading the file at all), measured in the same run;
2. **import**: ``crmkit import EXPORT.csv --out DIR --map ... --dayfirst``;
3. **build**: ``crmkit build --pdf --data DIR --out OUT``: every lesson
   executed on the folder (``execute``), then both editions of every page,
   search, the PDFs (``render``).

Wall seconds come from the processes (execute and render from ``crmkit
build``'s own report, which the build splits at). Memory is the peak of the
whole process tree (the command, its Jupyter kernels, Chromium), sampled every
0.2 s as the sum of each process's proportional set size (PSS: shared pages
counted once, split between the processes that share them; RSS where PSS
cannot be read). The table gives the ratio of each phase to the baseline and
to the issue's target: the whole playbook on a 10-million-row export in at
most 5 minutes and 4 GiB on a 2-core machine.

Results on the development machine (2 cores, shared; 10,000,000 lines, 540 MB: 3,752,742
orders of 399,963 customers), before and after each lesson loaded the folder's cached
Parquet tables instead of reading and checking the CSVs again (15 s a lesson alone,
30-40 s with two at once):

===========================  ==============  ==============
phase                        before          after
===========================  ==============  ==============
baseline: read_csv           17.2 s, 1.9 GiB 14.1 s, 1.9 GiB
import                       46.3 s, 2.5 GiB 36.5 s, 2.4 GiB
build: execute 13 lessons    190 s, 2.9 GiB  44.5 s, 2.9 GiB
build: render site + PDFs    24.2 s, 1.7 GiB 20.2 s, 2.0 GiB
import + build               261 s, 2.9 GiB  101 s, 2.9 GiB
===========================  ==============  ==============
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_import import MAPPING, write_export  # noqa: E402  (the same export layout)

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
GIB = 2**30
TARGET_SECONDS, TARGET_GIB = 300.0, 4.0
QUICK_LESSONS = ("00-", "08-", "11-")


class TreeMemory:
    """Peak memory of a process and all its descendants, sampled in a thread."""

    def __init__(self, pid: int, every: float = 0.2):
        self.root = psutil.Process(pid)
        self.every = every
        self.samples: list[tuple[float, int, int]] = []  # (time, bytes, processes)
        self.kernel_peak = 0
        self.kernels_at_once = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @staticmethod
    def _size(p: psutil.Process) -> int:
        try:
            return p.memory_full_info().pss
        except (psutil.AccessDenied, AttributeError):
            return p.memory_info().rss

    def _run(self):
        while not self._stop.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            total, kernels = 0, 0
            for p in procs:
                try:
                    size = self._size(p)
                    if "ipykernel" in " ".join(p.cmdline()):
                        kernels += 1
                        self.kernel_peak = max(self.kernel_peak, size)
                except psutil.Error:
                    continue
                total += size
            self.kernels_at_once = max(self.kernels_at_once, kernels)
            self.samples.append((time.perf_counter(), total, len(procs)))
            self._stop.wait(self.every)

    def peak(self, start: float = float("-inf"), end: float = float("inf")) -> int:
        return max((b for t, b, _ in self.samples if start <= t <= end), default=0)


def run(cmd: list[str], *, env=None) -> tuple[dict, str]:
    """Run ``cmd``; its wall seconds, start time and memory figures, and its output."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    with TreeMemory(proc.pid) as mem:
        out, err = proc.communicate()
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:3])} ... failed ({proc.returncode}):\n"
                         f"{out[-3000:]}\n{err[-3000:]}")  # fmt: skip
    return {"seconds": seconds, "t0": t0, "mem": mem}, out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true",
                   help="20,000 rows, lessons 00, 08 and 11, no PDFs (a smoke run)")  # fmt: skip
    p.add_argument("--rows", type=int, help="order lines in the export (default 10,000,000)")
    p.add_argument("--no-pdf", action="store_true", help="leave out the PDF handouts")
    p.add_argument("--keep", metavar="DIR", help="keep the export, the folder and the site here")
    p.add_argument("--export", metavar="CSV",
                   help="use this export (one this script wrote with --keep) instead of writing "
                   "one")  # fmt: skip
    args = p.parse_args(argv)
    rows = args.rows or (20_000 if args.quick else 10_000_000)
    pdf = not (args.no_pdf or args.quick)
    tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="crmkit-bench-own-"))
    tmp.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "MPLBACKEND": "Agg"}
    print(f"bench_own_data: {os.cpu_count()} cores, {psutil.virtual_memory().total / GIB:.0f} "
          f"GiB, load {os.getloadavg()[0]:.2f}; {rows:,} order lines"
          f"{', quick: 3 lessons, no PDFs' if args.quick else ''}"
          f"{'' if pdf or args.quick else ', no PDFs'}")  # fmt: skip
    try:
        export, data, site = tmp / "export.csv", tmp / "data", tmp / "site"
        t = time.perf_counter()
        if args.export:
            export = Path(args.export)
        else:
            write_export(export, rows)
        print(f"  export {'given' if args.export else 'written'}: "
              f"{export.stat().st_size / 1e6:,.0f} MB in {time.perf_counter() - t:.1f} s "
              "(not counted)")  # fmt: skip
        for folder in (data, site):
            shutil.rmtree(folder, ignore_errors=True)
        read = ("import sys, pandas as pd; "
                "pd.read_csv(sys.argv[1], sep=';', dtype=str, keep_default_na=False)")
        base, _ = run([sys.executable, "-c", read, str(export)], env=env)
        mapping = ",".join(f"{k}={v}" for k, v in MAPPING.items())
        imp, out = run([str(BIN / "crmkit"), "import", str(export), "--out", str(data),
                        "--map", mapping, "--dayfirst"], env=env)  # fmt: skip
        meta = json.loads((data / "meta.json").read_text())
        cmd = [str(BIN / "crmkit"), "build", "--data", str(data), "--out", str(site)]
        if pdf:
            cmd.append("--pdf")
        if args.quick:
            lessons = tmp / "notebooks"
            shutil.rmtree(lessons, ignore_errors=True)
            lessons.mkdir()
            for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")):
                if nb.name.startswith(QUICK_LESSONS):
                    shutil.copy(nb, lessons / nb.name)
            cmd += ["--notebooks", str(lessons)]
        build, report = run(cmd, env=env)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    executed = float(re.search(r"notebook\(s\).*\(([\d.]+) s\)\.", report).group(1))
    rendered = float(re.search(r"page\(s\).*\(([\d.]+) s\); total", report).group(1))
    per_nb = re.findall(r"^  (\d\d-[^:]+\.ipynb): (.+)$", report, re.M)
    failed = [name for name, took in per_nb if took.startswith("FAILED")]
    mem = build["mem"]
    split = build["t0"] + executed
    print(f"  world: {meta['transactions']:,} transactions (orders), {meta['customers']:,} "
          f"customers, {meta['start']} to {meta['end']}")  # fmt: skip
    print(f"\n{'phase':<28} {'seconds':>8} {'peak GiB':>9} {'x read':>7} {'of 5 min':>9}")
    b = base["seconds"]
    lines = [
        ("baseline: read_csv", base["seconds"], base["mem"].peak()),
        ("import", imp["seconds"], imp["mem"].peak()),
        ("build: execute lessons", executed, mem.peak(end=split)),
        ("build: render site" + (" + PDFs" if pdf else ""), build["seconds"] - executed,
         mem.peak(start=split)),
    ]  # fmt: skip
    for name, s, peak in lines:
        print(f"{name:<28} {s:>8.1f} {peak / GIB:>9.2f} {s / b:>7.1f} {s / TARGET_SECONDS:>9.0%}")
    total = imp["seconds"] + build["seconds"]
    peak = max(imp["mem"].peak(), mem.peak())
    print(f"{'import + build (the target)':<28} {total:>8.1f} {peak / GIB:>9.2f} {total / b:>7.1f} "
          f"{total / TARGET_SECONDS:>9.0%}")  # fmt: skip
    print(f"\ntarget: <= {TARGET_SECONDS:.0f} s and <= {TARGET_GIB:.0f} GiB: "
          f"{'met' if total <= TARGET_SECONDS and peak <= TARGET_GIB * GIB else 'NOT met'} "
          f"(render: crmkit build's own figure {rendered:.1f} s)")  # fmt: skip
    print(f"kernels: at most {mem.kernels_at_once} at once, the largest {mem.kernel_peak / GIB:.2f}"
          f" GiB")  # fmt: skip
    print("per lesson: " + "; ".join(f"{n[:2]} {took}" for n, took in per_nb))
    if failed:
        print(f"FAILED lessons: {failed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
