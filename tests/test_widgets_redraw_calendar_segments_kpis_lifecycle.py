"""Faster redraws of the calendar, segment, KPI and lifecycle widgets keep their pictures.

These widgets keep their Axes between callbacks (``live_panel(clear=False)``) and
cache what depends on only some controls. A picture must still depend only on
the controls' values: the same as a widget built at those values, and as the
static twin.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import crmkit  # noqa: E402
from crmkit.metrics.lifecycle import simulate_lifecycle  # noqa: E402
from crmkit.plots.lifecycle import plot_stage_mix  # noqa: E402
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


# control -> values visited, in order; the last visit of each is the final state
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


def test_calendar_legend_lists_each_kind_once(world):
    w = care.event_calendar_explorer(world)
    for days in (10, 50, 90, 30):
        w.controls["days"].value = days
    legend = w.figure.axes[0].get_legend()
    assert [t.get_text() for t in legend.texts] == list(care._EVENTS.values())


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


def _events_per_week_by_crosstab(calendar, as_of, days):
    as_of = pd.Timestamp(as_of)
    weeks = int(days) // 7 + 1
    week = (calendar["days_until"].to_numpy() // 7).astype(int)
    table = (
        pd.crosstab(week, calendar["event"].to_numpy())
        .reindex(index=range(weeks), columns=list(care._EVENTS), fill_value=0)
        .astype("int64")
    )
    table.insert(0, "week_start", [as_of + pd.Timedelta(days=7 * w) for w in range(weeks)])
    table.columns.name = None
    return table.reset_index(drop=True)


def test_events_per_week_matches_a_crosstab():
    rng = np.random.default_rng(3)
    cal = pd.DataFrame(
        {
            "event": rng.choice(["birthday", "signup_anniversary", "other"], 300),
            "days_until": rng.integers(-3, 100, 300),
        }
    )
    for days in (7, 13, 30, 90):
        got = care.events_per_week(cal, "2024-05-31", days)
        pd.testing.assert_frame_equal(got, _events_per_week_by_crosstab(cal, "2024-05-31", days))
    empty = care.events_per_week(cal.iloc[:0], "2024-05-31", 20)
    assert empty[list(care._EVENTS)].to_numpy().sum() == 0 and len(empty) == 3


def test_explorer_summary_is_segment_summary(world):
    state = segments._Explorer(world, None, None)
    for by in segments.GROUPINGS:
        for measure in segments.MEASURES:
            got = state.summary(by, measure)
            want = segments.segment_summary(state.stats, by, measure)
            pd.testing.assert_frame_equal(got, want)
            assert got.attrs == want.attrs
    with pytest.raises(ValueError, match="`measure` must be one of"):
        state.summary("origin", "revenue")


def test_plot_stage_mix_legend_is_optional(world):
    mix = simulate_lifecycle(world.truth["transition_matrix"], months=12)
    fig, (a, b) = plt.subplots(1, 2)
    try:
        assert plot_stage_mix(mix, ax=a).get_legend() is not None
        assert plot_stage_mix(mix, ax=b, legend=False).get_legend() is None
        assert len(b.get_legend_handles_labels()[0]) == 5
    finally:
        plt.close(fig)
