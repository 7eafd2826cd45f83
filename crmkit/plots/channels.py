"""Figures of the channel and touchpoint explorers (sources 002, 003).

:func:`plot_price_consistency` draws the campaign x channel price heatmap of one
campaign type from the tables of :class:`crmkit.metrics.channels.ConsistencyCache`
(or of :func:`crmkit.metrics.channels.channel_price_matrix` and
:func:`crmkit.metrics.channels.channel_consistency`).
:func:`plot_touchpoint_map` places every touchpoint by perception and internal
indicator, :func:`plot_touchpoint_mark` circles one of them, and
:func:`plot_touchpoint_profile` compares a touchpoint's four components with the
average touchpoint (:func:`crmkit.metrics.channels.touchpoint_profile`).

Every property these functions depend on is set on each call, so that a live
widget can draw again on the same, emptied Axes; :func:`place_touchpoint_ring`
moves a mark in place and :func:`fix_axis_labels` spares a redraw the placement
of the axis labels.
"""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import ScaledTranslation

from crmkit import concepts
from crmkit.plots.satisfaction import draw_touchpoints
from crmkit.plots.strategy import draw_channel_consistency
from crmkit.plots.style import OKABE_ITO

__all__ = [
    "campaign_type_label",
    "fix_axis_labels",
    "place_touchpoint_ring",
    "plot_price_consistency",
    "plot_touchpoint_map",
    "plot_touchpoint_mark",
    "plot_touchpoint_profile",
    "touchpoint_ring",
]

_TYPE_LABELS = concepts.labels(concepts.CAMPAIGN_TYPES)
_TOUCHPOINT_LABELS = concepts.labels(concepts.TOUCHPOINTS)


# --------------------------------------------------------------------------- consistency
def campaign_type_label(campaign_type) -> str:
    """The label of a campaign type as the figures write it; ``"all"``: "all types"."""
    if campaign_type == "all":
        return "all types"
    return _TYPE_LABELS.get(campaign_type, str(campaign_type))


def plot_price_consistency(
    matrix,
    check,
    *,
    campaign_type="all",
    tolerance=0.0,
    only_inconsistent=False,
    annotate=None,
    ax=None,
    cax=None,
    colorbar=None,
):
    """Heatmap of the offer prices of one campaign type, inconsistent offers marked.

    With no row to show, the Axes says instead that every campaign quotes one
    price (and ``cax`` is hidden).

    Parameters
    ----------
    matrix : DataFrame
        Campaign x channel prices, the rows to show
        (:func:`crmkit.metrics.channels.channel_price_matrix`).
    check : DataFrame
        :func:`crmkit.metrics.channels.channel_consistency` indexed by
        ``campaign_id`` (with ``campaign_type``: rows grouped by type).
    campaign_type : str, default="all"
        The type shown (a key of :data:`crmkit.concepts.CAMPAIGN_TYPES` or
        ``"all"``), written in the title.
    tolerance : float, default=0.0
        The tolerance of ``check`` (written in the empty message).
    only_inconsistent : bool, default=False
        Whether ``matrix`` holds only the inconsistent campaigns.
    annotate : bool, optional
        Write the prices in the cells; default: when at most 30 rows are shown.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default: the current Axes.
    cax : matplotlib.axes.Axes, optional
        Axes for the colorbar; default: one taken from ``ax``.
    colorbar : matplotlib.colorbar.Colorbar, optional
        The colorbar of an earlier call on the same Axes: it follows the new
        image (``ax.images[0].colorbar`` after a call).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import crmkit
    >>> from crmkit.metrics.channels import ConsistencyCache
    >>> cache = ConsistencyCache(crmkit.make_world(300, random_state=0).campaigns)
    >>> ax = plot_price_consistency(cache.matrix("all"), cache.check("all", 0.0))
    >>> ax.get_title().splitlines()[0]
    'All campaign types'
    """
    ax = plt.gca() if ax is None else ax
    what = campaign_type_label(campaign_type)
    shown = len(matrix)
    if shown:
        ax.set_axis_on()
    else:
        ax.set_axis_off()
    if cax is not None:
        cax.set_visible(bool(shown))
    if not shown:
        ax.text(
            0.5,
            0.5,
            f"{what}: every campaign quotes one price on all its channels\n"
            f"(differences up to {tolerance:g} forgiven).",
            ha="center",
            va="center",
            fontsize=11,
            transform=ax.transAxes,
        )
        return ax
    draw_channel_consistency(
        ax,
        matrix,
        check,
        only_inconsistent=only_inconsistent,
        annotate=annotate,
        cax=cax,
        colorbar=colorbar,
        group_types=True,
    )
    heading = "All campaign types" if campaign_type == "all" else f"{what} campaigns"
    # y given: the title is not moved clear of the tick labels (none on top)
    ax.set_title(f"{heading}\n" + ax.get_title(), fontsize=10, y=1.0)
    ax.set_ylabel("campaign (type and number)", fontsize=9)
    ax.xaxis.label.set_fontsize(9)
    return ax


# --------------------------------------------------------------------------- touchpoints
_MEASURE = {}


def _text_box_points(text, size):
    """Width and height (points) of a one-line text box as Agg lays it out; measured once."""
    key = (text, size)
    if key not in _MEASURE:
        if "figure" not in _MEASURE:  # a small figure of its own, at 72 dpi: pixels = points
            from matplotlib.backends.backend_agg import FigureCanvasAgg
            from matplotlib.figure import Figure

            _MEASURE["figure"] = FigureCanvasAgg(Figure(figsize=(1, 1), dpi=72)).figure
        fig = _MEASURE["figure"]
        text_artist = fig.text(0, 0, text, fontsize=size)
        box = text_artist.get_window_extent(fig.canvas.get_renderer())
        text_artist.remove()
        _MEASURE[key] = (box.width, box.height)
    return _MEASURE[key]


def fix_axis_labels(ax, *, x=True, y=True):
    """Put the axis labels where matplotlib's automatic placement would, once and for all.

    The automatic placement measures every tick label again on each draw; a
    live widget calls this once the limits are final and the ticks will not
    change: the x label below tick labels of one line, the y label left of the
    widest tick label in view. Returns ``ax``.
    """
    rc = matplotlib.rcParams
    to_inches = ax.figure.dpi_scale_trans
    if x:
        size = ax.xaxis.get_major_ticks(1)[0].label1.get_fontsize()
        below = rc["xtick.major.pad"] + rc["xtick.major.size"] + ax.xaxis.labelpad
        below += _text_box_points("0", size)[1]
        ax.xaxis.set_label_coords(
            0.5, 0, transform=ax.transAxes + ScaledTranslation(0, -below / 72, to_inches)
        )
    if y:
        lo, hi = sorted(ax.get_ylim())
        slack = 1e-9 * (hi - lo)
        locs = [v for v in ax.yaxis.get_major_locator()() if lo - slack <= v <= hi + slack]
        size = ax.yaxis.get_major_ticks(1)[0].label1.get_fontsize()
        labels = ax.yaxis.get_major_formatter().format_ticks(locs)
        widest = max((_text_box_points(t, size)[0] for t in labels if t), default=0.0)
        left = rc["ytick.major.pad"] + rc["ytick.major.size"] + ax.yaxis.labelpad + widest
        ax.yaxis.set_label_coords(
            0, 0.5, transform=ax.transAxes + ScaledTranslation(-left / 72, 0, to_inches)
        )
    return ax


def plot_touchpoint_map(table, internal="complaint_share", *, ax=None):
    """Every touchpoint by perception (y) and an internal indicator (x); legend underneath.

    Parameters
    ----------
    table : DataFrame
        :func:`crmkit.metrics.satisfaction.touchpoint_satisfaction` computed
        with ``internal``.
    internal : {"complaint_share", "share_resolved", "median_resolution_hours"}
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default: the current Axes.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import crmkit
    >>> from crmkit.metrics.satisfaction import touchpoint_satisfaction
    >>> w = crmkit.make_world(500, random_state=0)
    >>> ax = plot_touchpoint_map(touchpoint_satisfaction(w.surveys, w.interactions))
    >>> ax.get_title()
    'Perception vs internal indicator'
    """
    shown = table[table["overall"].notna() & table[internal].notna()]
    if shown.empty:
        raise ValueError(
            f"plot_touchpoint_map: no touchpoint has both survey answers and {internal!r}."
        )
    ax = plt.gca() if ax is None else ax
    ax.tick_params(labelsize=8)
    draw_touchpoints(ax, shown, internal)
    # y given: the title is not moved clear of tick labels (there are none on top)
    ax.set_title("Perception vs internal indicator", fontsize=10, y=1.0)
    # the legend under the plot, beside the other panel's: it can hide no point there
    offices, _ = ax.get_legend_handles_labels()
    ax.legend(
        handles=[
            *offices,
            Line2D([], [], color="grey", linestyle=":", linewidth=1, label="averages"),
        ],
        frameon=False,
        fontsize=8,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.15),
        ncol=3,
    )
    ax.xaxis.label.set_fontsize(9)
    ax.yaxis.label.set_fontsize(9)
    return ax


def touchpoint_ring(ax):
    """An empty ring on ``ax`` to circle a touchpoint of :func:`plot_touchpoint_map` (returned).

    Move it with :func:`place_touchpoint_ring`.
    """
    return ax.scatter(
        [np.nan],
        [np.nan],
        s=320,
        facecolor="none",
        edgecolor=OKABE_ITO["vermillion"],
        linewidth=2.2,
        zorder=4,
    )


def place_touchpoint_ring(ring, row, internal):
    """Move ``ring`` onto the touchpoint ``row`` (a row of touchpoint_satisfaction), in place.

    A touchpoint without a survey answer or without ``internal`` hides it.
    Returns ``ring``.
    """
    scale = 1.0 if internal == "median_resolution_hours" else 100.0
    shown = pd.notna(row["overall"]) and pd.notna(row[internal])
    ring.set_offsets([[row[internal] * scale, row["overall"]] if shown else [np.nan, np.nan]])
    return ring


def plot_touchpoint_mark(row, internal="complaint_share", *, ax=None):
    """Circle one touchpoint (a row of touchpoint_satisfaction) on :func:`plot_touchpoint_map`.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = plt.gca() if ax is None else ax
    place_touchpoint_ring(touchpoint_ring(ax), row, internal)
    return ax


def plot_touchpoint_profile(profile, *, touchpoint="", ax=None):
    """A touchpoint's four components against the average touchpoint, beside the planted effects.

    Parameters
    ----------
    profile : DataFrame or None
        :func:`crmkit.metrics.channels.touchpoint_profile`; None when no survey
        answer rates the touchpoint (the Axes then says so).
    touchpoint : str, default=""
        Its key (or name), for the title.
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
    >>> from crmkit.metrics.channels import touchpoint_profile
    >>> t = pd.DataFrame({"touchpoint": ["a", "billing"], "product": [5.0, 6.0],
    ...                   "peripheral": [4.0, 4.0], "atmosphere": [5.0, 5.0],
    ...                   "psychological": [5.0, 5.0]})
    >>> ax = plot_touchpoint_profile(touchpoint_profile(t, "billing"), touchpoint="billing")
    >>> ax.get_title()
    'Billing: the four components'
    """
    ax = plt.gca() if ax is None else ax
    name = _TOUCHPOINT_LABELS.get(touchpoint, touchpoint)
    ax.tick_params(labelsize=8)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 5, 10], symmetric=True))
    if profile is None:
        ax.set_axis_off()
        ax.text(
            0.5,
            0.5,
            f"{name}:\nno survey answer\nrates this touchpoint.",
            ha="center",
            va="center",
            fontsize=10,
            transform=ax.transAxes,
        )
        return ax
    ax.set_axis_on()
    y = np.arange(len(profile))
    truth = "true_effect" in profile
    h = 0.38 if truth else 0.6
    ax.barh(
        y - (h / 2 if truth else 0),
        profile["difference"],
        h,
        color=OKABE_ITO["blue"],
        label="found in the surveys",
    )
    if truth:
        ax.barh(
            y + h / 2,
            profile["true_effect"],
            h,
            color=OKABE_ITO["orange"],
            label="planted by the generator",
        )
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y, profile["name"])
    ax.set_ylim(len(profile) - 0.5, -0.5)  # first component on top
    lim = max(
        0.4,
        float(np.nanmax(np.abs(profile.filter(["difference", "true_effect"]).to_numpy()))) * 1.25,
    )
    ax.set_xlim(-lim, lim)
    ax.set_xlabel("vs the average touchpoint (points)", fontsize=9)
    ax.set_title(f"{name}: the four components", fontsize=10, y=1.0)
    ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=1)
    ax.grid(False)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    return ax
