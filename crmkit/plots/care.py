"""Figures of the event calendar (source 004): the coming occasions and what to do.

:func:`plot_events_per_week` stacks the birthdays and sign-up anniversaries of
each week of a window (:func:`crmkit.metrics.care.events_per_week`);
:func:`plot_calendar_actions` counts the suggested care actions
(:func:`crmkit.metrics.care.calendar_actions`). Every property they depend on is
set on each call, so a live widget can draw again on the same, emptied Axes.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.ticker import MaxNLocator

from crmkit import concepts
from crmkit._checks import check_metric_table
from crmkit.metrics.care import EVENT_KINDS
from crmkit.plots.style import OKABE_ITO, bar_outlines

__all__ = ["EVENT_LABELS", "plot_calendar_actions", "plot_events_per_week"]

#: Legend label of each occasion (:data:`crmkit.metrics.care.EVENT_KINDS`).
EVENT_LABELS = {"birthday": "Birthday", "signup_anniversary": "Anniversary as a customer"}
_EVENT_COLOURS = {"birthday": OKABE_ITO["orange"], "signup_anniversary": OKABE_ITO["blue"]}
_ACTIONS = concepts.labels(concepts.IMPROVEMENT_ACTIONS)


def _style(ax):
    ax.grid(False)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=8)


def plot_events_per_week(weekly, *, days=None, ax=None):
    """Occasions per week of a window, stacked by kind (birthdays, anniversaries).

    Parameters
    ----------
    weekly : DataFrame
        The output of :func:`crmkit.metrics.care.events_per_week`.
    days : int, optional
        The window's length (days), for the title; default: 7 per week shown.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default: the current Axes.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from crmkit.metrics.care import events_per_week
    >>> cal = pd.DataFrame({"event": ["birthday", "signup_anniversary"], "days_until": [0, 9]})
    >>> ax = plot_events_per_week(events_per_week(cal, "2024-01-01", 13), days=13)
    >>> ax.get_title()
    'Occasions in the 13 days from 01 Jan 2024'
    """
    check_metric_table(weekly, "plot_events_per_week", "events_per_week(...)", ("week_start",))
    ax = plt.gca() if ax is None else ax
    if days is None:
        days = 7 * len(weekly) - 1
    _style(ax)
    ax.grid(axis="y", alpha=0.3)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))  # counts
    x = np.arange(len(weekly))
    bottom = np.zeros(len(weekly))
    for ev in EVENT_KINDS:  # stacked bars, one collection per kind (cheap to redraw)
        top = bottom + weekly[ev].to_numpy()
        ax.add_collection(
            PolyCollection(
                bar_outlines(x, bottom, top),
                facecolors=_EVENT_COLOURS[ev],
                edgecolors="white",
                linewidths=0.5,
                label=EVENT_LABELS[ev],
            ),
            autolim=False,
        )
        bottom = top
    step = -(-len(x) // 7)  # at most 7 labels
    ax.set_xticks(x[::step], [d.strftime("%d %b") for d in weekly["week_start"][::step]])
    ax.set_xlim(-0.6, len(x) - 0.4)
    ax.set_ylim(0, max(bottom.max(), 1) * 1.25)
    partial = (days + 1) % 7
    ax.set_xlabel("week starting" + (" (the last week is cut short)" if partial else ""))
    ax.set_ylabel("occasions (count)")
    as_of = weekly["week_start"].iloc[0]
    ax.set_title(f"Occasions in the {days} days from {as_of:%d %b %Y}", fontsize=10, y=1.0)
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    return ax


def plot_calendar_actions(counts, *, ax=None):
    """Occasions by suggested care action, as horizontal bars with their counts.

    Parameters
    ----------
    counts : Series
        The output of :func:`crmkit.metrics.care.calendar_actions` (action ->
        count, drawn top to bottom in that order).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default: the current Axes.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from crmkit.metrics.care import calendar_actions
    >>> ax = plot_calendar_actions(calendar_actions(pd.DataFrame(
    ...     {"suggested_action": ["follow_up", "personal_contact", "follow_up"]})))
    >>> [t.get_text() for t in ax.texts]
    ['2', '0', '1']
    """
    ax = plt.gca() if ax is None else ax
    _style(ax)
    ax.set_xticks([])  # each bar carries its count: no scale needed (fewer texts to draw)
    y = np.arange(len(counts))
    values = counts.to_numpy()
    ax.barh(y, values, color=OKABE_ITO["bluish_green"])
    for yi, v in zip(y, values, strict=True):
        ax.annotate(
            f"{v:,}", (v, yi), xytext=(3, 0), textcoords="offset points", va="center", fontsize=9
        )
    ax.set_yticks(y, [_ACTIONS.get(a, a) for a in counts.index])
    ax.set_ylim(len(y) - 0.46, -0.54)  # top to bottom, set (not toggled) every time
    ax.set_xlim(0, max(values.max(), 1) * 1.25)
    ax.set_xlabel("occasions (count)")
    ax.set_title("Suggested care action", fontsize=10, y=1.0)
    return ax
