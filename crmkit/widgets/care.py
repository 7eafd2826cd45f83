"""Remember the special occasions: an event calendar explorer (source 004; 002).

Source 004 advises remembering birthdays and anniversaries with a card or a
small gift linked to the customer's last purchase; source 002 calls it
event-based marketing (an offer when a significant event happens).
:func:`event_calendar_explorer` lists the coming birthdays and sign-up
anniversaries of live customers, as seen on a chosen date, with the care
action :func:`crmkit.metrics.care.event_calendar` suggests and the last
purchase to tie a gift to.

The widget computes the calendar of every month once, when it is built
(:class:`crmkit.metrics.care.CalendarCache`), so that moving a slider only
filters; the figures come from :mod:`crmkit.plots.care`. The static twin is
:func:`event_calendar_figure`.
"""

from __future__ import annotations

import html

import pandas as pd

from crmkit import concepts
from crmkit.metrics.care import (
    MAX_DAYS,
    CalendarCache,
    calendar_actions,
    calendar_dates,
    events_per_week,
)
from crmkit.plots.care import plot_calendar_actions, plot_events_per_week
from crmkit.widgets._core import empty_axes, exact_margins, kept, live_panel, slider

__all__ = [
    "WIDGETS",
    "CalendarCache",
    "MAX_DAYS",
    "calendar_dates",
    "event_calendar_explorer",
    "event_calendar_figure",
    "events_per_week",
]

_ACTIONS = concepts.labels(concepts.IMPROVEMENT_ACTIONS)
_CATEGORIES = concepts.labels(concepts.PRODUCT_CATEGORIES)


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
    """The two Axes of the figure: made once (kept in :func:`kept`), then emptied and reused.

    Creating Axes and their tick labels is most of a redraw's cost (see
    :func:`crmkit.widgets._core.empty_axes`).
    """
    store = kept(fig)
    axes = store.get("calendar")
    if axes is not None and all(ax in fig.axes for ax in axes):
        for ax in axes:
            empty_axes(ax)
        return axes
    grid = exact_margins(fig, 0.6, 0.15, 0.55, 0.3, wspace=0.45, width_ratios=[1.7, 1])
    axes = store["calendar"] = tuple(fig.subplots(1, 2, gridspec_kw=grid))
    return axes


def _render(fig, cache, dates, month, days):
    as_of = dates[month]
    cal = cache.get(as_of, days)
    ax_w, ax_a = _calendar_axes(fig)
    plot_events_per_week(events_per_week(cal, as_of, days), days=days, ax=ax_w)
    plot_calendar_actions(calendar_actions(cal), ax=ax_a)
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
