"""crmkit.plots.care: occasions per week and suggested care actions (the event calendar)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from crmkit.metrics.care import calendar_actions, events_per_week  # noqa: E402
from crmkit.plots.care import (  # noqa: E402
    EVENT_LABELS,
    plot_calendar_actions,
    plot_events_per_week,
)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.fixture
def calendar():
    return pd.DataFrame(
        {
            "event": ["birthday", "signup_anniversary", "birthday", "birthday"],
            "days_until": [0, 3, 9, 20],
            "suggested_action": ["follow_up", "special_occasions", "follow_up", "follow_up"],
        }
    )


def test_events_per_week_on_the_given_axes(calendar):
    weekly = events_per_week(calendar, "2024-01-01", 22)  # 23 days: 3 weeks and 2 days
    copy = weekly.copy()
    fig, (ax, other) = plt.subplots(1, 2)
    assert plot_events_per_week(weekly, days=22, ax=ax) is ax
    pd.testing.assert_frame_equal(weekly, copy)
    assert ax.get_title() == "Occasions in the 22 days from 01 Jan 2024"
    assert ax.get_xlabel() == "week starting (the last week is cut short)"
    assert ax.get_ylabel() == "occasions (count)"
    assert [t.get_text() for t in ax.get_legend().texts] == list(EVENT_LABELS.values())
    assert len(ax.collections) == 2 and not other.collections  # one stack per kind
    assert ax.get_ylim()[1] == pytest.approx(2 * 1.25)  # the tallest week has 2 occasions
    full = events_per_week(calendar, "2024-01-01", 13)
    ax2 = plot_events_per_week(full, ax=plt.figure().gca())
    assert ax2.get_xlabel() == "week starting"


def test_calendar_actions_on_the_current_axes(calendar):
    counts = calendar_actions(calendar)
    fig, ax = plt.subplots()
    assert plot_calendar_actions(counts) is ax
    assert [p.get_width() for p in ax.patches] == [3, 1, 0]
    assert [t.get_text() for t in ax.texts] == ["3", "1", "0"]
    assert ax.get_title() == "Suggested care action" and ax.get_xlabel()
    assert ax.get_ylim()[0] > ax.get_ylim()[1]  # the first action on top
    assert len([t for t in ax.get_yticklabels() if t.get_text()]) == 3


def test_the_wrong_table_is_refused():
    with pytest.raises(TypeError, match="events_per_week"):
        plot_events_per_week("weeks")
