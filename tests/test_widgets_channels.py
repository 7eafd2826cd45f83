"""The fast paths of the channel widgets draw and report exactly what the slow ones did.

Both widgets keep their Axes between callbacks (``live_panel(clear=False)``)
and memoise their tables: a picture reached after any sequence of controls
must be the picture a freshly built widget draws for the same values, and the
memoised consistency reports must equal :func:`consistency_report`.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import crmkit  # noqa: E402
from crmkit.metrics.channels import channel_price_matrix  # noqa: E402
from crmkit.widgets import channels  # noqa: E402


def _overlap(a, b):
    """Area shared by two boxes (display units)."""
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return max(w, 0) * max(h, 0)


@pytest.fixture(scope="module")
def world():
    return crmkit.make_world(600, random_state=11)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_memoised_reports_equal_consistency_report(world):
    prep = channels._Priced(world)
    for kind in (*prep.types, "all"):
        sub = prep.subsets[kind]
        pd.testing.assert_frame_equal(prep.matrix(kind), channel_price_matrix(sub))
        for tol in (*np.arange(0.0, 20.5, 0.5), 0.01, 2.2222222222222223, 1e-10):
            fast = prep.report(kind, tol)
            slow = channels.consistency_report(sub, tolerance=tol, truth=prep.truth)
            pd.testing.assert_frame_equal(fast["table"], slow["table"])
            pd.testing.assert_frame_equal(fast["inconsistent"], slow["inconsistent"])
            for key in ("n_checked", "found", "missed", "false_alarms"):
                assert fast[key] == slow[key], (kind, tol, key)


def _visit(w, states):
    for state in states:
        for key, value in state.items():
            w.controls[key].value = value
        yield state, (w.image.value, w.summary.value)


def test_consistency_explorer_draws_the_same_whatever_came_before(world):
    types = channels._Priced(world).types
    states = [
        {"campaign_type": "all", "tolerance": 0.0, "only_inconsistent": False},
        {"campaign_type": types[0], "tolerance": 5.0, "only_inconsistent": True},
        {"campaign_type": "all", "tolerance": 20.0, "only_inconsistent": True},
        {"campaign_type": types[-1], "tolerance": 0.0, "only_inconsistent": False},
        {"campaign_type": "all", "tolerance": 2.5, "only_inconsistent": True},
        {"campaign_type": types[0], "tolerance": 0.0, "only_inconsistent": False},
    ]
    w = channels.channel_consistency_explorer(world, campaign_type="all")
    for state, seen in _visit(w, states):
        fresh = channels.channel_consistency_explorer(world, **state)
        assert seen == (fresh.image.value, fresh.summary.value), state


def test_touchpoint_explorer_draws_the_same_whatever_came_before(world):
    w = channels.touchpoint_explorer(world)
    found = [o[1] for o in w.controls["touchpoint"].options]
    states = [
        {"touchpoint": found[0], "internal": "share_resolved"},
        {"touchpoint": "marketing_communication", "internal": "share_resolved"},
        {"touchpoint": "billing", "internal": "median_resolution_hours"},
        {"touchpoint": found[-1], "internal": "complaint_share"},
        {"touchpoint": "billing", "internal": "share_resolved"},
    ]
    for state, seen in _visit(w, [s for s in states if s["touchpoint"] in found]):
        fresh = channels.touchpoint_explorer(world, **state)
        assert seen == (fresh.image.value, fresh.summary.value), state


def test_static_twins_match_the_widgets(world):
    w = channels.channel_consistency_explorer(world, campaign_type="all", only_inconsistent=True)
    fig, bad = channels.channel_consistency_figure(world, only_inconsistent=True)
    assert fig.get_size_inches().tolist() == w.figure.get_size_inches().tolist()
    ax = fig.axes[0]
    shown = [t.get_text() for t in ax.get_yticklabels()]
    assert shown and all(s.startswith("≠ #") for s in shown)
    assert {int(s.split("#")[1]) for s in shown} <= set(bad["campaign_id"])
    assert ax.get_title().startswith("All campaign types")

    fig2, profile = channels.touchpoint_figure(world, touchpoint="billing")
    scatter = [a for a in fig2.axes if a.get_visible() and a.collections][0]
    assert scatter.xaxis_inverted()  # fewer complaints is better: to the right
    assert len(profile) == 4


def test_touchpoint_labels_do_not_overlap(world):
    fig, _ = channels.touchpoint_figure(world, touchpoint="billing", internal="complaint_share")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = [a for a in fig.axes if a.get_visible() and a.collections][0]
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    assert len(boxes) >= 4  # point labels and the two hints
    frame = ax.bbox
    for i, a in enumerate(boxes):
        assert _overlap(a, frame) == pytest.approx(a.width * a.height), ax.texts[i].get_text()
        for b in boxes[i + 1:]:
            assert _overlap(a, b) == 0
