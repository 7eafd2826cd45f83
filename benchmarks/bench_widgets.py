"""Widget callbacks on the default dataset: how fast does a widget respond?

Builds every widget of ``crmkit.widgets.registry()`` on the default dataset,
then moves each control through several values and times the callback
(``widget.update()``: the computation and the redrawn figure). Prints p50/p95
per widget against the target of 100 ms (p95), and the same callbacks on
matplotlib's plain Agg canvas (the baseline: live panels draw on
``crmkit.widgets._glyphs.CachingCanvas``, which replays text drawn before) with
the ratio. A benchmark: it prints, it does not fail.

    python benchmarks/bench_widgets.py [--repeats N] [--only NAME ...]
    python benchmarks/bench_widgets.py --quick     # one value per control, ~30 s
    python benchmarks/bench_widgets.py --freeze    # as in a workshop dashboard's kernel
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg


def _values(control, k):
    import ipywidgets as W

    if isinstance(control, W.FloatSlider | W.IntSlider):
        vals = np.linspace(control.min, control.max, k)
        return [type(control.value)(v) for v in vals]
    if isinstance(control, W.Dropdown | W.ToggleButtons | W.RadioButtons):
        opts = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return (opts * k)[:k]
    if isinstance(control, W.Checkbox | W.ToggleButton):
        return [bool(i % 2) for i in range(k)]
    return []


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=6, help="values tried per control")
    p.add_argument("--only", nargs="*", default=None, metavar="NAME", help="only these widgets")
    p.add_argument("--freeze", action="store_true",
                   help="freeze the heap after each build, as a workshop dashboard's kernel "
                        "does (crmkit.workshop.dashboard.freeze_the_heap)")  # fmt: skip
    p.add_argument("--quick", action="store_true",
                   help="one value per control (a smoke run of the same code)")  # fmt: skip
    args = p.parse_args(argv)
    if args.quick:
        args.repeats = 1
    import crmkit
    from crmkit.widgets import registry
    from crmkit.workshop.dashboard import freeze_the_heap

    world = crmkit.load_dataset()
    widgets = registry()
    if args.only:
        unknown = sorted(set(args.only) - set(widgets))
        if unknown:
            p.error(f"--only: no widget named {', '.join(unknown)}; "
                    f"choose from {', '.join(widgets)}")
        widgets = {k: v for k, v in widgets.items() if k in args.only}
    print(f"{len(widgets)} widgets on the default dataset ({len(world.customers):,} customers); "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    print("baseline: the same widget drawn on matplotlib's plain Agg canvas (no text replay)")
    print(f"{'widget':30s} {'build ms':>8s} {'calls':>5s} {'p50 ms':>7s} {'p95 ms':>7s} "
          f"{'base p50':>8s} {'base p95':>8s} {'ratio':>6s}  target (ratio: base p50 / p50)")
    worst = 0.0
    for name, builder in widgets.items():
        t0 = time.perf_counter()
        w = builder(world)
        build_ms = (time.perf_counter() - t0) * 1000
        if args.freeze:
            freeze_the_heap()
        times = _time_callbacks(w, args.repeats)
        if not times:
            print(f"{name:30s} {build_ms:8.1f} {0:5d}  (no controls)")
            continue
        base = builder(world)
        FigureCanvasAgg(base.figure)  # the baseline: matplotlib's own canvas
        base_times = _time_callbacks(base, args.repeats)
        p50, p95 = np.percentile(times, [50, 95])
        base_p50, base_p95 = np.percentile(base_times, [50, 95])
        worst = max(worst, p95)
        ok = "ok" if p95 <= 100 else "SLOW (> 100 ms)"
        print(f"{name:30s} {build_ms:8.1f} {len(times):5d} {p50:7.1f} {p95:7.1f} "
              f"{base_p50:8.1f} {base_p95:8.1f} {base_p50 / p50:5.1f}x  {ok}")
    print(f"worst p95: {worst:.1f} ms (target <= 100 ms); load average now "
          f"{os.getloadavg()[0]:.2f}")  # fmt: skip
    return 0


def _time_callbacks(w, repeats):
    """Milliseconds of ``w.update()`` after each control change (several values per control)."""
    times = []
    for control in w.controls.values():
        original = control.value
        for v in _values(control, repeats):
            control.unobserve_all("value")  # time the callback itself, once per change
            control.value = v
            t = time.perf_counter()
            w.update()
            times.append((time.perf_counter() - t) * 1000)
        control.value = original
    return times


if __name__ == "__main__":
    sys.exit(main())
