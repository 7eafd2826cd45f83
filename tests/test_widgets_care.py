"""crmkit.widgets.care: the event calendar explorer."""

import matplotlib

matplotlib.use("Agg")
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import crmkit  # noqa: E402
from crmkit.metrics.care import CalendarCache, calendar_dates  # noqa: E402
from crmkit.plots.care import EVENT_LABELS  # noqa: E402
from crmkit.widgets import care  # noqa: E402
from crmkit.widgets._core import kept  # noqa: E402


@pytest.fixture(scope="module")
def world():
    return crmkit.make_world(600, random_state=11)


def test_moved_names_still_resolve_from_the_widget_module():
    from crmkit.metrics import care as metrics

    for name in ("CalendarCache", "MAX_DAYS", "calendar_dates", "events_per_week"):
        assert getattr(care, name) is getattr(metrics, name), name


def test_calendar_legend_lists_each_kind_once(world):
    w = care.event_calendar_explorer(world)
    for days in (10, 50, 90, 30):
        w.controls["days"].value = days
    legend = w.figure.axes[0].get_legend()
    assert [t.get_text() for t in legend.texts] == list(EVENT_LABELS.values())
    assert kept(w.figure)["calendar"] == tuple(w.figure.axes)


def test_calendar_summary_escapes_names(small_world):
    customers = small_world.customers.copy()
    customers["first_name"] = "<b>Eve</b>"
    cache = CalendarCache(customers, small_world.transactions)
    dates = calendar_dates(small_world.transactions)
    text = care._render(Figure(), cache, dates, len(dates) - 1, 60)
    assert "<b>Eve</b>" not in text and "&lt;b&gt;Eve&lt;/b&gt;" in text


def test_event_calendar_explorer_month_control(small_world):
    w = care.event_calendar_explorer(small_world)
    last = calendar_dates(small_world.transactions)[-1]
    assert f"As of {last:%d %B %Y}" in w.summary.value
    w.controls["month"].value = 1
    assert f"As of {last:%d %B %Y}" not in w.summary.value
    with pytest.raises(ValueError, match="month"):
        care.event_calendar_explorer(small_world, month=999)
