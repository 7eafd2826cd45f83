"""Time the exercise builds and grading for a class: ``python benchmarks/bench_exercises.py``.

1. Writes a roster of N generated names (default 30) and runs
   ``build_exercises(roster=...)``: a student edition of the five notebooks per
   participant, plus the trainer edition.
2. Makes N submissions: participant i hands in exercise set i mod 5 with the
   solutions pasted into the answer cells; grades them with
   ``grade_submissions`` (two at a time), each notebook in its bubblewrap
   sandbox, and checks that every answer came back correct.
3. The baseline, in the same run: the same submissions graded without the
   sandbox (``sandbox=False``), and the ratio. ``--no-baseline`` skips it.

Targets on a 2-core machine: build <= 2 min, grading <= 5 min. ``--quick`` uses
4 participants; ``--all`` grades every notebook of every participant (5 N).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from faker import Faker

from crmkit.exercises import EXERCISES
from crmkit.exercises.builds import SOURCE_DIR, build_exercises, fill_answers
from crmkit.exercises.grading import grade_submissions


def roster(path: Path, n: int) -> Path:
    fake = Faker("en_US")
    fake.seed_instance(2024)
    names = []
    while len(names) < n:
        name = fake.name()
        if name not in names:
            names.append(name)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["name", "email"])
        for name in names:
            w.writerow([name, name.lower().replace(" ", ".") + "@example.org"])
    return path


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="4 participants")
    p.add_argument("--participants", type=int, default=30)
    p.add_argument("--all", action="store_true", help="grade all five notebooks of everyone")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--timeout", type=float, default=120)
    p.add_argument("--no-baseline", action="store_true", help="skip the run without sandbox")
    p.add_argument("--keep", metavar="DIR", help="build here and keep the results")
    args = p.parse_args(argv)
    n = 4 if args.quick else args.participants

    with tempfile.TemporaryDirectory(prefix="crmkit-bench-") as tmp:
        base = Path(args.keep) if args.keep else Path(tmp)
        base.mkdir(parents=True, exist_ok=True)
        people = roster(base / "people.csv", n)
        out = base / "course"

        t0 = time.perf_counter()
        built = build_exercises(out, roster=people, progress=False, force=bool(args.keep))
        build_s = time.perf_counter() - t0

        sources = {
            ex: nbformat.read(SOURCE_DIR / e.notebook, as_version=4) for ex, e in EXERCISES.items()
        }
        sets = list(EXERCISES)
        submissions = out / "submissions"
        count = 0
        for i, person in enumerate(built.participants):
            chosen = sets if args.all else [sets[i % len(sets)]]
            for ex in chosen:
                name = EXERCISES[ex].notebook
                nb = nbformat.read(out / "students" / person.slug / name, as_version=4)
                target = submissions / person.slug / name
                target.parent.mkdir(parents=True, exist_ok=True)
                nbformat.write(fill_answers(nb, sources[ex]), target)
                count += 1

        from crmkit.exercises.sandbox import sandbox_problem

        problem = sandbox_problem()
        modes = ([True] if not problem else []) + ([] if args.no_baseline and not problem
                                                   else [False])  # fmt: skip
        cores = os.cpu_count()
        print(f"crmkit exercises benchmark ({cores} cores, {n} participants)")
        print(
            f"  build : {len(built.written)} notebooks for {n} participants + trainer "
            f"in {build_s:.1f} s  (target <= 120 s)"
        )
        if problem:
            print(f"  no sandbox here ({problem}): only the run without it")
        bad, results, seconds = [], {}, {}
        for sandboxed in modes:
            t0 = time.perf_counter()
            graded = grade_submissions(
                submissions, timeout=args.timeout, workers=args.workers, progress=False,
                sandbox=sandboxed, out=out / f"grades-{'sandbox' if sandboxed else 'none'}.csv",
            )  # fmt: skip
            grade_s = seconds[sandboxed] = time.perf_counter() - t0
            counts = {}
            for row in graded.rows:
                counts[row["result"]] = counts.get(row["result"], 0) + 1
            results[sandboxed] = counts
            bad += [r for r in graded.notebooks if r["result"] != "ok"]
            label = "grade, sandboxed" if sandboxed else "grade, no sandbox (baseline)"
            print(
                f"  {label:28s}: {count} submissions in {grade_s:.1f} s with {args.workers} "
                f"workers, {grade_s / max(count, 1):.2f} s per notebook  (target <= 300 s for 30)"
            )
            print(f"  answers: {counts}")
        if True in seconds and False in seconds:
            print(f"  the sandbox costs {seconds[True] / seconds[False]:.2f}x the baseline's time")
        if bad:
            print(f"  NOT OK: {[(r['participant'], r['result'], r['detail']) for r in bad]}")
        ok = not bad and all(set(c) == {"correct"} for c in results.values())
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
