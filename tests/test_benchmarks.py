"""Every benchmark runs once, with ``--quick``, so that none can rot unnoticed.

A smoke run: the same code path at small sizes, with no timing assertion (the
figures belong in the benchmark's output and the closing notes). A benchmark
that crashes, or prints nothing, fails here. New ``benchmarks/bench_*.py``
files are picked up by themselves.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
SCRIPTS = sorted(BENCHMARKS.glob("bench_*.py"))


def test_there_are_benchmarks_to_run():
    assert len(SCRIPTS) >= 5, SCRIPTS


@pytest.mark.slow
@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_benchmark_runs_quick(script, tmp_path):
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONHASHSEED": "0"}
    done = subprocess.run(
        [sys.executable, str(script), "--quick"],
        cwd=BENCHMARKS.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    tail = (done.stdout[-3000:] + "\n--- stderr ---\n" + done.stderr[-3000:]).strip()
    assert done.returncode == 0, f"{script.name} --quick exited {done.returncode}:\n{tail}"
    if "benchmark skipped" in done.stdout:
        if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
            pytest.fail(f"{script.name} --quick skipped itself in CI:\n{tail}")
        pytest.skip(done.stdout.strip().splitlines()[-1])
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    assert len(lines) >= 3, f"{script.name} --quick printed almost nothing:\n{tail}"
    assert "Traceback" not in done.stderr, tail
