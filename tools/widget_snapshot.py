"""Every widget state as pictures and numbers, to compare two versions of the kit.

Builds each widget of ``crmkit.widgets.registry()`` on the default dataset, walks
every control through a few values (the same walk as benchmarks/bench_widgets.py),
and writes, per state, the PNG and the HTML summary into a folder. Run it on two
checkouts and compare the folders: a refactoring that keeps behaviour shows no
difference; a deliberate change shows up here and is listed in the issue's note.

    python tools/widget_snapshot.py OUT [--only NAME ...]
    python tools/widget_snapshot.py --compare OLD NEW
    # the old version: PYTHONPATH=/path/to/old/checkout python tools/widget_snapshot.py OLD
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
from pathlib import Path


def _values(control, k=3):
    import ipywidgets as W
    import numpy as np

    if isinstance(control, W.FloatSlider | W.IntSlider):
        return [type(control.value)(v) for v in np.linspace(control.min, control.max, k)]
    if isinstance(control, W.Dropdown | W.ToggleButtons | W.RadioButtons):
        opts = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return opts[:6]
    if isinstance(control, W.Checkbox | W.ToggleButton):
        return [True, False]
    return []


def snapshot(out: Path, only=None) -> None:
    import crmkit
    from crmkit.widgets import registry

    out.mkdir(parents=True, exist_ok=True)
    world = crmkit.load_dataset()
    index = {}
    for name, builder in registry().items():
        if only and name not in only:
            continue
        w = builder(world)
        states = [("default", "")]
        for key, control in w.controls.items():
            original = control.value
            for v in _values(control):
                control.value = v
                states.append((key, repr(v)))
                _save(out, name, len(states) - 1, w, index, f"{key}={v!r}")
            control.value = original
        _save(out, name, 0, w, index, "default")
        print(name, len(states), "states", file=sys.stderr)
    (out / "index.json").write_text(json.dumps(index, indent=1, sort_keys=True))


def _save(out, name, i, w, index, label):
    png = bytes(w.image.value)
    (out / f"{name}-{i:03d}.png").write_bytes(png)
    index[f"{name}-{i:03d}"] = {
        "state": label,
        "png": hashlib.sha256(png).hexdigest(),
        "summary": w.summary.value,
    }


def compare(old: Path, new: Path) -> int:
    import numpy as np
    from PIL import Image

    a = json.loads((old / "index.json").read_text())
    b = json.loads((new / "index.json").read_text())
    same = changed = 0
    for key in sorted(set(a) | set(b)):
        if key not in a or key not in b:
            print(f"{key}: only in {'new' if key in b else 'old'}")
            changed += 1
            continue
        notes = []
        if a[key]["summary"] != b[key]["summary"]:
            notes.append("summary differs")
        if a[key]["png"] != b[key]["png"]:
            pa, pb = (
                np.asarray(Image.open(io.BytesIO((d / f"{key}.png").read_bytes())).convert("RGB"))
                for d in (old, new)
            )
            if pa.shape != pb.shape:
                notes.append(f"picture size {pa.shape[:2]} -> {pb.shape[:2]}")
            else:
                diff = (np.abs(pa.astype(int) - pb.astype(int)).sum(axis=2) > 0).mean()
                if diff:
                    notes.append(f"{diff:.2%} of pixels differ")
        if notes:
            changed += 1
            print(f"{key} ({a[key]['state']}): {'; '.join(notes)}")
        else:
            same += 1
    print(f"{same} states the same, {changed} different")
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out", nargs="?", type=Path)
    p.add_argument("--only", nargs="*", default=None, metavar="NAME")
    p.add_argument("--compare", nargs=2, type=Path, metavar=("OLD", "NEW"))
    args = p.parse_args(argv)
    if args.compare:
        return compare(*args.compare)
    if args.out is None:
        p.error("give OUT (a folder to write) or --compare OLD NEW")
    snapshot(args.out, args.only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
