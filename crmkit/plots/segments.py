"""Figures of customer groups: the segment explorer's chart.

:func:`plot_segment_summary` draws the table of
:func:`crmkit.metrics.segments.segment_summary` on ``ax`` (or the current Axes)
and returns it; nothing is shown and no global style is changed.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.collections import PolyCollection
from matplotlib.ticker import PercentFormatter, ScalarFormatter, StrMethodFormatter

from crmkit import concepts
from crmkit.plots.style import (
    PALETTE,
    annotate_bar_end,
    bar_outlines,
    category_palette,
    finish,
    stage_palette,
)

__all__ = ["format_measure", "plot_segment_summary"]

_CHANNELS = concepts.keys(concepts.CHANNELS)


def format_measure(value, kind) -> str:
    """A segment measure as written on its bar and in tables, by its kind.

    Parameters
    ----------
    value : float
    kind : {"count", "rate", "money", "share"}

    Returns
    -------
    str
        "–" for a missing value.

    Examples
    --------
    >>> format_measure(1234.5, "money"), format_measure(0.25, "share")
    ('1,234', '25%')
    """
    if not np.isfinite(value):
        return "–"
    if kind == "count":
        return f"{value:,.0f}"
    if kind == "rate":
        return f"{value:.2f}"
    if kind == "money":
        return f"{value:,.0f}"
    return f"{value:.0%}"


def plot_segment_summary(summary, *, by_label=None, ax=None):
    """Bar chart of a `segment_summary` table (stacked channel shares for ``main_channel``).

    Parameters
    ----------
    summary : pandas.DataFrame
        The result of :func:`crmkit.metrics.segments.segment_summary`; its
        ``attrs`` name the measure (``measure``, ``measure_label``, ``unit``,
        ``kind``) and the grouping (``by``, ``by_label``).
    by_label : str, optional
        Name of the grouping for the axis (default: ``attrs["by_label"]``).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    func = "plot_segment_summary"
    if not isinstance(summary, pd.DataFrame) or "value" not in summary.columns:
        raise TypeError(f"{func}: `summary` must be the table of segment_summary(...).")
    ax = plt.gca() if ax is None else ax
    measure = summary.attrs.get("measure", "customers")
    by = summary.attrs.get("by", "")
    label = summary.attrs.get("measure_label", measure)
    unit = summary.attrs.get("unit", "")
    kind = summary.attrs.get("kind", "count")
    by_label = by_label or summary.attrs.get("by_label") or by.replace("_", " ").capitalize()
    y = np.arange(len(summary))[::-1]
    names = summary["name"].tolist()
    if kind == "channel":
        ch_names = concepts.labels(concepts.CHANNELS)
        colours = category_palette(_CHANNELS)
        left = np.zeros(len(summary))
        for c in _CHANNELS:  # stacked bars: one collection per channel, quick to draw
            right = left + summary[f"share_{c}"].fillna(0).to_numpy() * 100
            ax.add_collection(
                PolyCollection(
                    bar_outlines(y, left, right, 0.7, horizontal=True),
                    facecolors=colours[c],
                    edgecolors="white",
                    linewidths=0.5,
                    label=ch_names[c],
                )
            )
            left = right
        for yi, m, s in zip(y, summary["main_channel"], summary["main_share"], strict=True):
            if pd.notna(m) and np.isfinite(s):
                ax.text(  # right of the axes (x = 101%)
                    101,
                    yi,
                    f"main: {ch_names.get(m, m)} {s:.0%}",
                    va="center",
                    fontsize="small",
                    clip_on=False,
                )
        ax.set_xlim(0, 100)
        ax.xaxis.set_major_formatter(PercentFormatter(100))
        ax.legend(
            title="Channel",
            ncols=3,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.14),
            frameon=False,
            fontsize="small",
        )
        title = f"Where each group buys: share of purchases by channel, by {_lower(by_label)}"
        xlabel = "Share of the group's purchases (%)"
    else:
        values = summary["value"].to_numpy(dtype=float)
        shown = values * 100 if kind == "share" else values
        if by == "lifecycle_stage":
            pal = stage_palette()
            colours = [pal.get(k, PALETTE[0]) for k in summary["group"]]
        else:
            colours = [PALETTE[i % len(PALETTE)] for i in range(len(summary))]
        ax.barh(y, np.nan_to_num(shown), color=colours, height=0.7)
        top = np.nanmax(shown) if np.isfinite(shown).any() else 1.0
        ax.set_xlim(0, max(top, 1e-9) * 1.25)
        for yi, v, n in zip(y, values, summary["customers"], strict=True):
            text = (
                format_measure(v, kind)
                if kind == "count"
                else f"{format_measure(v, kind)}  (n = {n:,})"
            )
            annotate_bar_end(ax, text, (np.nan_to_num(v * 100 if kind == "share" else v), yi))
        if kind == "share":
            ax.xaxis.set_major_formatter(PercentFormatter(100))
        elif kind in ("count", "money"):
            ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        else:  # set every time: the Axes may be reused after another measure
            ax.xaxis.set_major_formatter(ScalarFormatter())
        title = f"{label} by {_lower(by_label)}"
        xlabel = f"{label} ({unit})" if unit else label
    ax.set_yticks(y, names)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", alpha=0.3)
    return finish(ax, title, xlabel, by_label)


def _lower(text):
    """Lower-case the first letter for use inside a sentence, unless it starts an acronym."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]
