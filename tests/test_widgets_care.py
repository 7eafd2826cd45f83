"""crmkit.widgets.care: the event calendar explorer."""

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import crmkit  # noqa: E402
from crmkit.widgets import care  # noqa: E402


@pytest.fixture(scope="module")
def world():
    return crmkit.make_world(600, random_state=11)


def test_calendar_legend_lists_each_kind_once(world):
    w = care.event_calendar_explorer(world)
    for days in (10, 50, 90, 30):
        w.controls["days"].value = days
    legend = w.figure.axes[0].get_legend()
    assert [t.get_text() for t in legend.texts] == list(care._EVENTS.values())


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

