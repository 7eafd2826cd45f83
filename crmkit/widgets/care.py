"""Remember the special occasions: an event calendar explorer (source 004; 002).

Source 004 advises remembering birthdays and anniversaries with a card or a
small gift linked to the customer's last purchase; source 002 calls it
event-based marketing (an offer when a significant event happens).
:func:`event_calendar_explorer` lists the coming birthdays and sign-up
anniversaries of live customers, as seen on a chosen date, with the care
action :func:`crmkit.metrics.care.event_calendar` suggests and the last
purchase to tie a gift to.

The widget computes the calendar of every month once, when it is built
(:class:`CalendarCache`), so that moving a slider only filters; the static
twin is :func:`event_calendar_figure`.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
from matplotlib.collections import PolyCollection
from matplotlib.ticker import MaxNLocator

from crmkit import concepts
from crmkit.metrics.care import event_calendar
from crmkit.plots.style import OKABE_ITO, bar_outlines
from crmkit.widgets._core import empty_axes, exact_margins, live_panel, slider

__all__ = [
    "WIDGETS",
    "CalendarCache",
    "MAX_DAYS",
    "calendar_dates",
    "event_calendar_explorer",
    "event_calendar_figure",
    "events_per_week",
]

#: The furthest the explorer looks ahead (days).
MAX_DAYS = 90

_EVENTS = {"birthday": "Birthday", "signup_anniversary": "Anniversary as a customer"}
_EVENT_COLOURS = {"birthday": OKABE_ITO["orange"], "signup_anniversary": OKABE_ITO["blue"]}
_ACTIONS = concepts.labels(concepts.IMPROVEMENT_ACTIONS)
_CATEGORIES = concepts.labels(concepts.PRODUCT_CATEGORIES)
_ACTION_ORDER = ("follow_up", "special_occasions", "personal_contact")


def calendar_dates(transactions: pd.DataFrame, *, date_col="date") -> list[pd.Timestamp]:
    """The "as of" dates the explorer offers: the last day of every month of the data.

    The last month ends on the latest purchase date (the data's "today").

    Parameters
    ----------
    transactions : DataFrame
        Purchases with a date column.
    date_col : str, default="date"

    Returns
    -------
    list of Timestamp

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"date": pd.to_datetime(["2024-01-15", "2024-03-10"])})
    >>> [d.strftime("%Y-%m-%d") for d in calendar_dates(t)]
    ['2024-01-31', '2024-02-29', '2024-03-10']
    """
    dates = pd.to_datetime(transactions[date_col]).dropna()
    if dates.empty:
        raise ValueError("calendar_dates: `transactions` has no dates; no calendar to show.")
    first, last = dates.min().normalize(), dates.max().normalize()
    ends = pd.date_range(first + pd.offsets.MonthEnd(0), last, freq="ME")
    out = [d for d in ends if d < last]
    return [*out, last]


class CalendarCache:
    """Event calendars of one world, computed at most once per "as of" date.

    Parameters
    ----------
    customers, transactions : DataFrame
        As for :func:`crmkit.metrics.care.event_calendar`.
    days : int, default=MAX_DAYS
        How far each cached calendar looks ahead; shorter windows are cut
        from it.
    """

    def __init__(self, customers, transactions, *, days=MAX_DAYS):
        self.customers, self.transactions, self.days = customers, transactions, days
        self._cache: dict[pd.Timestamp, pd.DataFrame] = {}

    def get(self, as_of, days) -> pd.DataFrame:
        """The calendar as of ``as_of`` for the next ``days`` days (0 to ``self.days``)."""
        as_of = pd.Timestamp(as_of)
        if as_of not in self._cache:
            self._cache[as_of] = event_calendar(
                self.customers, self.transactions, as_of=as_of, days=self.days
            )
        cal = self._cache[as_of]
        return cal[cal["days_until"] <= days].reset_index(drop=True)


def events_per_week(calendar: pd.DataFrame, as_of, days) -> pd.DataFrame:
    """Occasions per week of the window, by kind (for the bar chart).

    Parameters
    ----------
    calendar : DataFrame
        The output of :func:`crmkit.metrics.care.event_calendar`.
    as_of : date
        First day of the window (week 1 starts here).
    days : int
        Length of the window; every week of it gets a row, also when empty.

    Returns
    -------
    DataFrame
        One row per week: ``week_start`` and one count column per event
        (``birthday``, ``signup_anniversary``).

    Examples
    --------
    >>> import pandas as pd
    >>> cal = pd.DataFrame({"event": ["birthday", "signup_anniversary", "birthday"],
    ...                     "days_until": [0, 3, 9]})
    >>> events_per_week(cal, "2024-01-01", 13)[["birthday", "signup_anniversary"]].values.tolist()
    [[1, 1], [1, 0]]
    """
    as_of = pd.Timestamp(as_of)
    weeks = int(days) // 7 + 1
    week = (calendar["days_until"].to_numpy() // 7).astype(np.int64)
    event = calendar["event"].to_numpy()
    in_window = (week >= 0) & (week < weeks)
    counts = {  # a bincount per kind: much faster than a crosstab in a live callback
        ev: np.bincount(week[in_window & (event == ev)], minlength=weeks).astype(np.int64)
        for ev in _EVENTS
    }
    starts = [as_of + pd.Timedelta(days=7 * w) for w in range(weeks)]
    return pd.DataFrame({"week_start": starts, **counts})


def _idea(row):
    if row.suggested_action == "follow_up":
        return "greet them and check the recent purchase is all right"
    if row.suggested_action == "personal_contact":
        since = (
            "no purchase yet"
            if pd.isna(row.days_since_purchase)
            else (f"no purchase for {int(row.days_since_purchase)} days")
        )
        return f"call in person ({since})"
    cat = _CATEGORIES.get(row.last_category, row.last_category)
    return f"a card and a small gift tied to the last purchase ({cat.lower()})"


def _occasion(row):
    if row.event == "birthday":
        return f"Birthday ({int(row.years)})"
    years = int(row.years)
    return f"{years} year{'s' if years != 1 else ''} as a customer"


def _calendar_axes(fig):
    """The two Axes of the figure: made once, then emptied and reused on every redraw.

    Creating Axes and their tick labels is most of a redraw's cost (see
    :func:`crmkit.widgets._core.empty_axes`); what never changes (margins, grids,
    tick label size) is set here, the rest by :func:`_render` every time.
    """
    axes = getattr(fig, "_crmkit_calendar_axes", None)
    if axes is not None and all(ax in fig.axes for ax in axes):
        for ax in axes:
            empty_axes(ax)
        return axes
    grid = exact_margins(fig, 0.6, 0.15, 0.55, 0.3, wspace=0.45, width_ratios=[1.7, 1])
    axes = ax_w, ax_a = tuple(fig.subplots(1, 2, gridspec_kw=grid))
    for ax in axes:
        ax.grid(False)
        ax.set_axisbelow(True)
        ax.tick_params(labelsize=8)
    ax_w.grid(axis="y", alpha=0.3)
    ax_w.yaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))  # counts
    ax_a.set_xticks([])  # each bar carries its count: no scale needed (fewer texts to draw)
    fig._crmkit_calendar_axes = axes
    return axes


def _render(fig, cache, dates, month, days):
    as_of = dates[month]
    cal = cache.get(as_of, days)
    weekly = events_per_week(cal, as_of, days)
    ax_w, ax_a = _calendar_axes(fig)
    x = np.arange(len(weekly))
    bottom = np.zeros(len(weekly))
    for ev, label in _EVENTS.items():  # stacked bars, one collection per kind (cheap to redraw)
        top = bottom + weekly[ev].to_numpy()
        ax_w.add_collection(
            PolyCollection(
                bar_outlines(x, bottom, top),
                facecolors=_EVENT_COLOURS[ev],
                edgecolors="white",
                linewidths=0.5,
                label=label,
            ),
            autolim=False,
        )
        bottom = top
    step = -(-len(x) // 7)  # at most 7 labels
    ax_w.set_xticks(x[::step], [d.strftime("%d %b") for d in weekly["week_start"][::step]])
    ax_w.set_xlim(-0.6, len(x) - 0.4)
    ax_w.set_ylim(0, max(bottom.max(), 1) * 1.25)
    partial = (days + 1) % 7
    ax_w.set_xlabel("week starting" + (" (the last week is cut short)" if partial else ""))
    ax_w.set_ylabel("occasions (count)")
    ax_w.set_title(f"Occasions in the {days} days from {as_of:%d %b %Y}", fontsize=10, y=1.0)
    ax_w.legend(frameon=False, fontsize=8, loc="upper left")
    counts = cal["suggested_action"].value_counts().reindex(list(_ACTION_ORDER), fill_value=0)
    y = np.arange(len(counts))
    ax_a.barh(y, counts.to_numpy(), color=OKABE_ITO["bluish_green"])
    for yi, v in zip(y, counts.to_numpy(), strict=True):
        ax_a.annotate(
            f"{v:,}", (v, yi), xytext=(3, 0), textcoords="offset points", va="center", fontsize=9
        )
    ax_a.set_yticks(y, [_ACTIONS[a] for a in _ACTION_ORDER])
    ax_a.set_ylim(len(y) - 0.46, -0.54)  # top to bottom, set (not toggled) every time
    ax_a.set_xlim(0, max(counts.max(), 1) * 1.25)
    ax_a.set_xlabel("occasions (count)")
    ax_a.set_title("Suggested care action", fontsize=10, y=1.0)
    return _summary(cal, as_of, days)


def _summary(cal, as_of, days):
    n_people = cal["customer_id"].nunique()
    head = (
        f"<p><b>As of {as_of:%d %B %Y}: {len(cal):,} occasions for {n_people:,} live "
        f"customers in the next {days} days</b> "
        f"({(cal['event'] == 'birthday').sum():,} birthdays, "
        f"{(cal['event'] == 'signup_anniversary').sum():,} anniversaries as a customer).</p>"
    )
    if cal.empty:
        return head + "<p>No occasion in this window: try a longer one.</p>"
    rows = "".join(
        f"<tr><td>{pd.Timestamp(r.event_date):%d %b}</td>"
        f'<td dir="auto">{html.escape(str(r.name))}</td>'
        f"<td>{html.escape(_occasion(r))}</td>"
        f"<td>{html.escape(_ACTIONS.get(r.suggested_action, r.suggested_action))}: "
        f"{html.escape(_idea(r))}</td></tr>"
        for r in cal.head(10).itertuples()
    )
    more = f"<p><small>The first 10 of {len(cal):,}.</small></p>" if len(cal) > 10 else ""
    return (
        head + "<table class='crmkit-table'><thead><tr><th>date</th><th>customer</th>"
        "<th>occasion</th><th>suggested care action</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>{more}"
    )


def _check_days(days, func):
    if isinstance(days, bool) or not isinstance(days, int) or not 7 <= days <= MAX_DAYS:
        raise ValueError(
            f"{func}: `days` must be a whole number from 7 to {MAX_DAYS}; got {days!r}."
        )


def _month_index(month, dates, func):
    if month is None:
        return len(dates) - 1
    if (
        isinstance(month, bool)
        or not isinstance(month, int)
        or not (-len(dates) <= month < len(dates))
    ):
        raise ValueError(
            f"{func}: `month` must be an index into the {len(dates)} months of the data "
            f"(0 = the first, -1 = the last); got {month!r}."
        )
    return month % len(dates)


def event_calendar_explorer(world, *, month=None, days=30):
    """A widget: the coming birthdays and anniversaries, with a suggested care action.

    Controls: the "as of" date (the end of a month of the data; the last one
    is the data's latest day) and how many days ahead to look. Shows the
    occasions per week, the suggested actions (follow up, special occasion,
    personal contact) and a table of the first occasions: date, customer,
    occasion and what to do, tied to the last purchase.

    Parameters
    ----------
    world : crmkit.World
    month : int, optional
        Index into :func:`calendar_dates` (0 = the first month, -1 = the
        last); default: the last.
    days : int, default=30
        Days ahead, 7 to :data:`MAX_DAYS`.

    Returns
    -------
    ipywidgets.VBox
        With ``controls``, ``update()``, ``image`` and ``summary``.

    Examples
    --------
    >>> import crmkit
    >>> w = event_calendar_explorer(crmkit.make_world(300, random_state=0))
    >>> sorted(w.controls)
    ['days', 'month']
    """
    func = "event_calendar_explorer"
    dates = calendar_dates(world.transactions)
    month = _month_index(month, dates, func)
    _check_days(days, func)
    cache = CalendarCache(world.customers, world.transactions)
    for as_of in dates:  # every calendar computed once, now: the callback only filters
        cache.get(as_of, MAX_DAYS)
    controls = {
        "month": slider("As of: end of month no.", month + 1, 1, len(dates), 1, integer=True),
        "days": slider("Days ahead", int(days), 7, MAX_DAYS, 1, integer=True),
    }

    def render(fig, month, days):
        return _render(fig, cache, dates, month - 1, days)

    return live_panel(
        "Remember the special occasions (source 004)",
        controls,
        render,
        figsize=(9.5, 3.8),
        layout=None,
        clear=False,
        note=f"Month 1 ends {dates[0]:%d %b %Y}; month {len(dates)} is the last day of the data, "
        f"{dates[-1]:%d %b %Y}. Only live customers (not in dissolution) are listed.",
    )


def event_calendar_figure(world, *, month=None, days=30, fig=None):
    """The static twin of :func:`event_calendar_explorer`.

    Returns
    -------
    tuple (matplotlib.figure.Figure, DataFrame)
        The figure and the calendar it draws (the output of
        :func:`crmkit.metrics.care.event_calendar`).
    """
    import matplotlib.pyplot as plt

    func = "event_calendar_figure"
    dates = calendar_dates(world.transactions)
    month = _month_index(month, dates, func)
    _check_days(days, func)
    cache = CalendarCache(world.customers, world.transactions, days=days)
    if fig is None:
        fig = plt.figure(figsize=(9.5, 3.8), layout="constrained")
    _render(fig, cache, dates, month, days)
    return fig, cache.get(dates[month], days)


WIDGETS = {"event_calendar_explorer": event_calendar_explorer}
