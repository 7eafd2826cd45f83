"""The live panels' redraw mechanism (crmkit.widgets._core): a widget keeps its Axes
between callbacks, yet its picture depends only on the controls' values, artists
do not pile up, and each static twin draws the widget's picture."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import crmkit  # noqa: E402
from crmkit.widgets import care, kpis, lifecycle, segments  # noqa: E402
from crmkit.widgets._core import figure_png  # noqa: E402


@pytest.fixture(scope="module")
def world():
    return crmkit.make_world(600, random_state=11)


def _build(name, world, values):
    """The widget built directly at ``values`` (control name -> value)."""
    if name == "event_calendar_explorer":
        month = values["month"] - 1 if "month" in values else None  # the slider counts from 1
        return care.event_calendar_explorer(world, month=month, days=values.get("days", 30))
    if name == "segment_explorer":
        return segments.segment_explorer(world, **values)
    if name == "kpi_explorer":
        return kpis.kpi_explorer(world, **values)
    return lifecycle.lifecycle_simulator(world, **values)


WALKS = {
    "event_calendar_explorer": [
        ("days", 90),
        ("month", 2),
        ("days", 7),
        ("month", 5),
        ("days", 44),
    ],
    "segment_explorer": [
        ("measure", "main_channel"),
        ("by", "segment"),
        ("measure", "share_churned"),
        ("by", "lifecycle_stage"),
        ("measure", "purchases_per_active_month"),
        ("by", "origin"),
    ],
    "kpi_explorer": [
        ("kpi", "focus_group_reports"),
        ("window", 12),
        ("kpi", "late_payment_share"),
        ("threshold", 0.5),
        ("kpi", "defections"),
        ("window", 4),
    ],
    "lifecycle_simulator": [
        ("months", 60),
        ("start", "base"),
        ("win_back", 0.3),
        ("months", 6),
        ("commit_to_dissolve", 0.0),
        ("start", "cohort"),
        ("months", 36),
    ],
}


@pytest.mark.parametrize("name", sorted(WALKS))
def test_picture_depends_only_on_the_values(name, world):
    w = _build(name, world, {})
    axes = list(w.figure.axes)
    for key, value in WALKS[name]:
        w.controls[key].value = value
        assert "could not be computed" not in w.summary.value, (name, key, value)
    assert w.figure.axes == axes, f"{name}: the Axes were not reused"
    values = {k: c.value for k, c in w.controls.items()}
    fresh = _build(name, world, values)
    assert w.summary.value == fresh.summary.value
    assert w.image.value == fresh.image.value, f"{name}: history leaks into the picture"


@pytest.mark.parametrize("name", sorted(WALKS))
def test_redraws_do_not_pile_up_artists(name, world):
    w = _build(name, world, {})
    key, value = WALKS[name][0]
    original = w.controls[key].value

    def count():
        return [
            (
                len(ax.get_children()),
                len(ax.containers),  # removed bars stay listed unless the containers go too
                len(ax.get_legend().texts) if ax.get_legend() else 0,
            )
            for ax in w.figure.axes
        ]

    before = count()
    for _ in range(3):
        w.controls[key].value = value
        w.controls[key].value = original
    assert count() == before


def test_static_twins_draw_the_widget_picture(world):
    pairs = [
        (
            care.event_calendar_explorer(world, month=3, days=45),
            care.event_calendar_figure(world, month=3, days=45)[0],
        ),
        (
            kpis.kpi_explorer(world, kpi="defections", window=4, threshold=1.5),
            kpis.kpi_explorer_figure(world, kpi="defections", window=4, threshold=1.5)[0],
        ),
        (
            segments.segment_explorer(world, by="origin", measure="main_channel"),
            segments.segment_explorer_figure(world, by="origin", measure="main_channel"),
        ),
        (
            lifecycle.lifecycle_simulator(world, months=30, start="base"),
            lifecycle.lifecycle_simulator_figure(world, months=30, start="base"),
        ),
    ]
    try:
        for widget, fig in pairs:
            assert widget.image.value == figure_png(fig)
    finally:
        plt.close("all")

