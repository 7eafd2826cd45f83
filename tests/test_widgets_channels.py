"""crmkit.widgets.channels: the channel consistency and touchpoint explorers.

Both widgets keep their Axes between callbacks (``live_panel(clear=False)``,
state in ``kept(fig)``) and read memoised tables (crmkit.metrics.channels'
caches, tested in tests/test_metrics_channels.py): a picture reached after any
sequence of controls must be the picture a freshly built widget draws for the
same values.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import crmkit  # noqa: E402
from crmkit.metrics.channels import ConsistencyCache  # noqa: E402
from crmkit.widgets import channels  # noqa: E402
from crmkit.widgets._core import kept  # noqa: E402


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


def test_moved_names_still_resolve_from_the_widget_module():
    from crmkit.metrics import channels as metrics

    for name in (
        "INTERNAL_INDICATORS",
        "consistency_report",
        "priced_campaign_types",
        "touchpoint_profile",
    ):
        assert getattr(channels, name) is getattr(metrics, name), name


def test_explorer_finds_the_planted_inconsistencies(small_world):
    w = channels.channel_consistency_explorer(small_world, campaign_type="all")
    planted = small_world.truth["inconsistent_campaigns"]
    report = channels.consistency_report(small_world.campaigns, truth=planted)
    assert report["missed"] == 0 and report["false_alarms"] == 0
    assert f"{report['found']} found, 0 missed, 0 false alarms" in w.summary.value


def test_explorer_high_tolerance_shows_a_message(small_world):
    w = channels.channel_consistency_explorer(
        small_world, campaign_type="all", tolerance=20.0, only_inconsistent=True
    )
    assert "could not be computed" not in w.summary.value
    w.controls["tolerance"].value = 0.0
    assert "quote different prices" in w.summary.value


def test_explorer_refuses_an_unknown_type(small_world):
    with pytest.raises(ValueError, match="campaign_type"):
        channels.channel_consistency_explorer(small_world, campaign_type="acquisition")
    with pytest.raises(ValueError, match="tolerance"):
        channels.channel_consistency_explorer(small_world, tolerance=25)


def test_touchpoint_explorer_recovers_billing(small_world):
    w = channels.touchpoint_explorer(small_world, touchpoint="billing")
    assert "Billing" in w.summary.value and "Back office" in w.summary.value
    w.controls["touchpoint"].value = "marketing_communication"  # no survey rates it
    assert "could not be computed" not in w.summary.value


def test_widgets_keep_their_state_in_kept(world):
    w = channels.channel_consistency_explorer(world)
    assert set(kept(w.figure)) == {"consistency", "colorbar"}
    t = channels.touchpoint_explorer(world)
    state = kept(t.figure)["touchpoints"]
    assert set(state["rings"]) == set(state["scatter"])  # one ring per scatter panel


def _visit(w, states):
    for state in states:
        for key, value in state.items():
            w.controls[key].value = value
        yield state, (w.image.value, w.summary.value)


def test_consistency_explorer_draws_the_same_whatever_came_before(world):
    types = ConsistencyCache(world.campaigns).types
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
        for b in boxes[i + 1 :]:
            assert _overlap(a, b) == 0
