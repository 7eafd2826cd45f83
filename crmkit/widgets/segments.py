"""Compare groups of customers: relationship types, origins, RFM segments and more.

Sources 002 and 004 sort customers in several ways: by newness (new to the
business, new to the product, won back), by the type of relationship (seven
types, from the transactional airport kiosk to dedicated personal assistance),
and the kit adds RFM segments and the loyalty ladder. The numbers come from
:mod:`crmkit.metrics.segments` (`customer_stats`, `segment_summary`,
`GROUPINGS`, `MEASURES`: importable from here too), the chart from
:func:`crmkit.plots.plot_segment_summary`. This module adds:

`segment_explorer`
    the widget: two dropdowns (group by, measure) -> chart and table. Lesson 02
    uses it for relationship types and origins, lesson 08 for whom to retain;
    pass ``extra=`` to add your own grouping;
`segment_explorer_figure`
    its static twin.
"""

from __future__ import annotations

import functools
import html

import pandas as pd
from matplotlib.figure import Figure

from crmkit import concepts
from crmkit.metrics.segments import (
    GROUPINGS,
    MEASURES,
    customer_stats,
    segment_summaries,
    segment_summary,
)
from crmkit.plots.segments import format_measure, plot_segment_summary
from crmkit.widgets._core import (
    dropdown,
    line_inches,
    live_panel,
    padded_grid,
    reused_axes,
    text_inches,
)

__all__ = [
    "GROUPINGS",
    "MEASURES",
    "customer_stats",
    "segment_summary",
    "segment_explorer",
    "segment_explorer_figure",
    "WIDGETS",
]


def summary_html(summary) -> str:
    """The summary as a small escaped HTML table (group, customers, measure, main channel)."""
    measure = summary.attrs.get("measure", "customers")
    label, _, kind = MEASURES[measure]
    ch_names = concepts.labels(concepts.CHANNELS)
    head = ["Group", "Customers"]
    if measure not in ("customers", "main_channel"):
        head.append(label)
    head.append("Main channel (share of purchases)")
    rows = []
    for r in summary.itertuples(index=False):
        cells = [html.escape(str(r.name)), f"{r.customers:,}"]
        if measure not in ("customers", "main_channel"):
            cells.append(format_measure(r.value, kind))
        main = (
            "–"
            if pd.isna(r.main_channel)
            else (
                f"{html.escape(ch_names.get(r.main_channel, r.main_channel))} ({r.main_share:.0%})"
            )
        )
        cells.append(main)
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    th = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


# --------------------------------------------------------------------------- widget
def _with_extra(stats, extra):
    """Add the caller's groupings: ``{label: Series indexed by customer_id}``."""
    if not extra:
        return stats, {}
    if not isinstance(extra, dict):
        raise TypeError(
            "segment_explorer: `extra` must be a dict {label: pandas Series indexed by "
            f"customer_id}}; got {type(extra).__name__}."
        )
    stats = stats.copy()
    labels = {}
    for label, series in extra.items():
        if not isinstance(series, pd.Series):
            raise TypeError(
                f"segment_explorer: extra[{label!r}] must be a pandas Series indexed by "
                f"customer_id; got {type(series).__name__}."
            )
        col = f"extra_{len(labels)}"
        stats[col] = stats["customer_id"].map(series).astype(object)
        labels[col] = str(label)
    return stats, labels


def _options(stats, extra_labels, groupings):
    keys = list(GROUPINGS) if groupings is None else list(groupings)
    unknown = [k for k in keys if k not in GROUPINGS]
    if unknown:
        raise ValueError(
            f"segment_explorer: unknown grouping(s) {unknown}; choose among "
            f"{', '.join(repr(g) for g in GROUPINGS)} (or pass extra=)."
        )
    return [(GROUPINGS[k][0], k) for k in keys] + [(v, k) for k, v in extra_labels.items()]


class _Explorer:
    def __init__(self, world, extra, as_of):
        stats = customer_stats(world, as_of=as_of)
        self.stats, self.extra_labels = _with_extra(stats, extra)
        self._groups = {}  # by -> segment_summaries: a new measure only picks a table

    def summary(self, by, measure):
        """`segment_summary` of the explorer's customers, kept per grouping."""
        if by not in self._groups:
            self._groups[by] = segment_summaries(self.stats, by)
        if measure not in self._groups[by]:
            return segment_summary(self.stats, by, measure)  # says what is wrong
        return self._groups[by][measure]

    def render(self, fig, by, measure):
        from matplotlib import rcParams

        table = self.summary(by, measure)
        label = self.extra_labels.get(by) or GROUPINGS[by][0]
        tick = rcParams["ytick.labelsize"]
        left = _label_inches(table["name"], tick) + line_inches("medium") + 0.1
        bottom = line_inches(tick) + line_inches("medium") + 0.15
        right = 0.15
        if measure == "main_channel":
            bottom += line_inches("small", 3) + 0.2
            ch = concepts.labels(concepts.CHANNELS)
            right = _label_inches([f"main: {v} 100%" for v in ch.values()], "small") + 0.1
        grid = padded_grid(fig, left, right, bottom, line_inches("large"))
        ax = reused_axes(fig, grid, "segments")
        plot_segment_summary(table, by_label=label, ax=ax)
        legend = ax.get_legend()
        if legend is not None:  # below the axes, at the bottom of the figure
            legend.set_bbox_to_anchor((0.5, 0.01), transform=fig.transFigure)
            legend.set_loc("lower center")
        return summary_html(table)


def _label_inches(labels, size):
    """`text_inches`, remembered: the same group names come back at every redraw."""
    from matplotlib import rcParams

    font = (rcParams["font.size"], tuple(rcParams["font.family"]))
    return _cached_inches(tuple(labels), size, font)


@functools.lru_cache(maxsize=256)
def _cached_inches(labels, size, font):
    return text_inches(labels, size)


def segment_explorer(
    world, *, by="relationship_type", measure="customers", groupings=None, extra=None, as_of=None
):
    """Widget: group customers (dropdown) and compare them on one measure (dropdown).

    Parameters
    ----------
    world : crmkit.World
    by : str, default="relationship_type"
        The grouping shown first (a key of `GROUPINGS`, or of ``extra``).
    measure : str, default="customers"
        The measure shown first (a key of `MEASURES`).
    groupings : list of str, optional
        The groupings offered (keys of `GROUPINGS`); by default all.
    extra : dict of str to pandas.Series, optional
        Your own groupings: ``{label: Series of group names indexed by
        customer_id}``, e.g. ``{"Worth retaining?": flags}``; they are added to
        the "Group by" dropdown (as ``extra_0``, ``extra_1``...).
    as_of : str or Timestamp, optional
        Reference date; by default the latest date in the world.

    Returns
    -------
    ipywidgets.VBox
        A live panel (see `crmkit.widgets.live_panel`).
    """
    state = _Explorer(world, extra, as_of)
    by_options = _options(state.stats, state.extra_labels, groupings)
    by_values = [v for _, v in by_options]
    if by in state.extra_labels.values():
        by = next(k for k, v in state.extra_labels.items() if v == by)
    if by not in by_values:
        raise ValueError(
            f"segment_explorer: `by` must be one of {', '.join(repr(v) for v in by_values)}; "
            f"got {by!r}."
        )
    if measure not in MEASURES:
        raise ValueError(
            f"segment_explorer: `measure` must be one of "
            f"{', '.join(repr(m) for m in MEASURES)}; got {measure!r}."
        )
    for key in by_values:  # every grouping's table now: the callback only picks
        state.summary(key, measure)
    controls = {
        "by": dropdown("Group customers by", by_options, by),
        "measure": dropdown("Measure", [(v[0], k) for k, v in MEASURES.items()], measure),
    }
    return live_panel(
        "Segment explorer: compare groups of customers",
        controls,
        state.render,
        figsize=(8.5, 4.6),
        layout=None,
        clear=False,
        note="Choose how to group the customers and what to compare; the table under the "
        "chart gives the numbers and each group's main channel.",
    )


def segment_explorer_figure(
    world, *, by="relationship_type", measure="customers", extra=None, as_of=None
):
    """Static twin of `segment_explorer`: the same chart as a Figure.

    Returns
    -------
    matplotlib.figure.Figure
        With ``fig.summary_html`` (the widget's table) and ``fig.summary``
        (the `segment_summary` DataFrame).
    """
    state = _Explorer(world, extra, as_of)
    if by in state.extra_labels.values():
        by = next(k for k, v in state.extra_labels.items() if v == by)
    fig = Figure(figsize=(8.5, 4.6), layout="constrained")
    fig.summary_html = state.render(fig, by, measure)
    fig.summary = state.summary(by, measure)
    return fig


WIDGETS = {"segment_explorer": segment_explorer}
