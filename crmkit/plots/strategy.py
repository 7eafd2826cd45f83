"""Figures for strategy work: the ten-strategy scorecard radar, the room's scorecards
(heat map and spread of ratings) and omnichannel prices.

The functions draw on ``ax`` (or the current Axes), return it, and never call
``plt.show()`` or change a global setting.
"""

from __future__ import annotations

import functools
import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle
from matplotlib.textpath import TextToPath
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import ScaledTranslation

from crmkit import concepts
from crmkit._checks import ROOM_RESERVED, check_room_comparison
from crmkit.metrics.care import maturity_level, merge_scorecards
from crmkit.metrics.channels import channel_consistency, channel_price_matrix
from crmkit.plots.style import DIVERGING_CMAP, OKABE_ITO, PALETTE, SEQUENTIAL_CMAP, finish

__all__ = [
    "plot_channel_consistency",
    "plot_room_heatmap",
    "plot_room_range",
    "plot_scorecard_radar",
]

_STRATEGIES = concepts.keys(concepts.STRATEGIES)


def _as_comparison(data, func):
    """Ratings as a DataFrame: one column per participant, rows in strategy order."""
    if isinstance(data, pd.DataFrame) and "rating" in data.columns:
        table = merge_scorecards([data])
    elif isinstance(data, pd.DataFrame) and {"strategy", "mean"} <= set(data.columns):
        table = data  # already the output of merge_scorecards
    elif isinstance(data, list | tuple | dict):
        table = merge_scorecards(data)
    else:
        raise TypeError(
            f"{func}: `data` must be a scorecard (strategy_scorecard), a list or dict of "
            f"scorecards, or the table from merge_scorecards; got {type(data).__name__}."
        )
    people = [c for c in table.columns if c not in ROOM_RESERVED]
    return table.set_index("strategy").reindex(list(_STRATEGIES))[people]


def plot_scorecard_radar(data, *, ax=None, fill=True, **kwargs):
    """Radar chart of the ten strategy ratings; several scorecards are overlaid.

    Parameters
    ----------
    data : DataFrame, list or dict
        One scorecard from :func:`crmkit.metrics.care.strategy_scorecard`, a
        list or dict ``{label: scorecard}`` of them (or of their CSV files),
        or the table from :func:`crmkit.metrics.care.merge_scorecards`.
    ax : matplotlib.axes.Axes, optional
        A *polar* Axes (``plt.subplots(subplot_kw={"projection": "polar"})``).
        Default: the current Axes if it is polar, else a new figure.
    fill : bool, default=True
        Shade the area of each scorecard.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.plot` for every outline.

    Returns
    -------
    matplotlib.axes.Axes
        The polar Axes; the legend gives each participant's mean rating and
        maturity level.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from crmkit import concepts
    >>> from crmkit.metrics.care import strategy_scorecard
    >>> keys = concepts.keys(concepts.STRATEGIES)
    >>> card = strategy_scorecard(dict.fromkeys(keys, 3), participant="team A")
    >>> ax = plot_scorecard_radar(card)
    >>> ax.name
    'polar'
    """
    func = "plot_scorecard_radar"
    table = _as_comparison(data, func)
    if ax is None:
        fig = plt.gcf()
        current = fig.axes[-1] if fig.axes else None
        if current is not None and current.name == "polar":
            ax = current
        else:
            fig = plt.figure(figsize=(8, 7)) if fig.axes else fig
            ax = fig.add_subplot(projection="polar")
    elif getattr(ax, "name", "") != "polar":
        raise TypeError(
            f"{func}: `ax` must be a polar Axes; create one with "
            'fig, ax = plt.subplots(subplot_kw={"projection": "polar"}).'
        )
    n = len(_STRATEGIES)
    angles = np.linspace(0, 2 * np.pi, n, endpoint=False)
    closed = np.r_[angles, angles[:1]]
    ax.set_theta_offset(np.pi / 2)
    ax.set_theta_direction(-1)
    kwargs.setdefault("linewidth", 2)
    for i, who in enumerate(table.columns):
        r = table[who].to_numpy(dtype=float)
        mean = float(np.mean(r))
        level = maturity_level(mean)[0]
        colour = kwargs.pop("color", None) if len(table.columns) == 1 else None
        colour = colour or PALETTE[i % len(PALETTE)]
        ax.plot(
            closed,
            np.r_[r, r[:1]],
            color=colour,
            marker="o",
            label=f"{who}: mean {mean:.1f} ({level})",
            **kwargs,
        )
        if fill:
            ax.fill(closed, np.r_[r, r[:1]], color=colour, alpha=0.12)
    names = concepts.labels(concepts.STRATEGIES)
    ax.set_xticks(angles)
    ax.set_xticklabels(
        [f"{j + 1}. " + textwrap.fill(names[k], 16) for j, k in enumerate(_STRATEGIES)],
        fontsize=9,
    )
    ax.tick_params(axis="x", pad=10)
    for label, angle in zip(ax.get_xticklabels(), angles, strict=True):
        side = np.sin(angle)  # clockwise from the top: > 0 on the right
        label.set_horizontalalignment(
            "left" if side > 0.1 else "right" if side < -0.1 else "center"
        )
    ax.set_ylim(0, 5)
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.set_yticklabels(["1", "2", "3", "4", "5"], fontsize=8, color="dimgrey")
    ax.set_rlabel_position(180 / n)
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.08),
        frameon=False,
        ncol=min(len(table.columns), 2),
        fontsize=9,
    )
    ax.set_title(
        "Ten relationship strategies (source 000): self-assessment\n"
        "rating 1 = absent ... 5 = excellent; the gap to the rim is the room to improve",
        pad=40,
    )
    return ax


def plot_channel_consistency(
    campaigns, *, only_inconsistent=False, annotate=None, tolerance=0.01, ax=None, **kwargs
):
    """Heatmap of each multi-channel campaign's offer price on every channel.

    Colour shows how far a channel's price is from the price most channels
    of the campaign quote (white: the same); inconsistent campaigns are
    outlined and their labels marked. Grey cells: the campaign does not run
    on that channel.

    Parameters
    ----------
    campaigns : DataFrame
        One row per campaign and channel (``world.campaigns``).
    only_inconsistent : bool, default=False
        Show only the campaigns that quote different prices.
    annotate : bool, optional
        Write the price in each cell; default: when at most 30 campaigns are
        shown.
    tolerance : float, default=0.01
        Passed to :func:`crmkit.metrics.channels.channel_consistency`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default: the current Axes. With many campaigns give
        it some height (about 0.2 inch per campaign).
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.imshow` (e.g. ``cmap``).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import crmkit
    >>> w = crmkit.make_world(300, random_state=0)
    >>> ax = plot_channel_consistency(w.campaigns, only_inconsistent=True)
    >>> ax.get_xlabel()
    'Channel (grey: the campaign does not run there)'
    """
    func = "plot_channel_consistency"
    if not isinstance(only_inconsistent, bool):
        raise TypeError(f"{func}: `only_inconsistent` must be True or False.")
    matrix = channel_price_matrix(campaigns)
    check = channel_consistency(campaigns, tolerance=tolerance).set_index("campaign_id")
    if only_inconsistent:
        bad_ids = check.index[~check["consistent"]]
        if len(bad_ids) == 0:
            raise ValueError(
                f"{func}: every multi-channel campaign quotes one price; nothing is "
                "inconsistent (pass only_inconsistent=False to see them all)."
            )
        matrix = matrix.loc[matrix.index.isin(bad_ids)]
    ax = plt.gca() if ax is None else ax
    ax, _ = draw_channel_consistency(
        ax, matrix, check, only_inconsistent=only_inconsistent, annotate=annotate, **kwargs
    )
    return ax


def draw_channel_consistency(ax, matrix, check, *, only_inconsistent, annotate=None, cax=None,
                             colorbar=None, group_types=False, **kwargs):
    """Draw :func:`plot_channel_consistency` from its tables; return the Axes and the colorbar.

    ``matrix`` is the campaign x channel price table (rows to show), ``check``
    the output of ``channel_consistency`` indexed by campaign. Every property
    that a previous call on the same Axes could have changed is set again, so
    that a live widget can keep its Axes and its colorbar from one callback to
    the next: ``cax`` is the Axes to draw a new colorbar in (default: one is
    taken from ``ax``), and ``colorbar`` the colorbar an earlier call returned,
    which then follows the new image instead. ``group_types``: rows grouped by
    campaign type, the type written once beside its group (short row labels
    draw faster).

    Returns
    -------
    ax : matplotlib.axes.Axes
    colorbar : matplotlib.colorbar.Colorbar
    """
    types = check["campaign_type"] if "campaign_type" in check.columns else None
    grouped = group_types and types is not None
    if grouped:  # rows by type (taxonomy order), then by number
        kinds = types.reindex(matrix.index).astype(str).to_numpy()
        rank = {t: i for i, t in enumerate(concepts.keys(concepts.CAMPAIGN_TYPES))}
        order = np.lexsort((matrix.index.to_numpy(), [rank.get(k, len(rank)) for k in kinds]))
        matrix, kinds = matrix.iloc[order], kinds[order]
    values = matrix.to_numpy(dtype=float)
    norm_price = np.array([_usual_price(row) for row in values])
    with np.errstate(invalid="ignore", divide="ignore"):
        rel = (values / norm_price[:, None] - 1) * 100
    limit = max(5.0, float(np.nanmax(np.abs(rel))) if np.isfinite(rel).any() else 5.0)
    cmap = plt.get_cmap(kwargs.pop("cmap", DIVERGING_CMAP)).with_extremes(bad="#c8c8c8")
    kwargs.setdefault("aspect", "auto")
    image = ax.imshow(np.ma.masked_invalid(rel), cmap=cmap, vmin=-limit, vmax=limit, **kwargs)
    n_rows, n_cols = values.shape
    if annotate is None:
        annotate = n_rows <= 30
    if annotate:
        for i in range(n_rows):
            for j in range(n_cols):
                if np.isfinite(values[i, j]):
                    dark = abs(rel[i, j]) > 0.55 * limit
                    ax.text(
                        j,
                        i,
                        f"{values[i, j]:g}",
                        ha="center",
                        va="center",
                        fontsize=8,
                        color="white" if dark else "black",
                    )
    channels = concepts.labels(concepts.CHANNELS)
    ax.set_xticks(range(n_cols), [textwrap.fill(channels.get(c, c), 8) for c in matrix.columns])
    consistent = check["consistent"].reindex(matrix.index).to_numpy(dtype=bool)
    labels, bad_rows = [], []
    for i, cid in enumerate(matrix.index):
        if grouped or types is None:
            kind = ""
        else:
            kind = f" {str(types.loc[cid]).replace('_', '-')}"
        bad = not consistent[i]
        labels.append(f"{'≠ ' if bad else ''}#{cid}{kind}")
        if bad:
            bad_rows.append(i)
    size = 8 if n_rows > 30 else 9
    ax.set_yticks(range(n_rows), labels, fontsize=size)
    # colour and weight of every label (a reused Tick keeps what an earlier call gave it)
    plain = plt.rcParams["ytick.labelcolor"]
    if plain == "inherit":
        plain = plt.rcParams["ytick.color"]
    bad_set = set(bad_rows)
    for i, tick in enumerate(ax.yaxis.get_major_ticks(n_rows)):
        marked = i in bad_set
        tick.label1.set_color(OKABE_ITO["vermillion"] if marked else plain)
        tick.label1.set_fontweight("bold" if marked else "normal")
    if not only_inconsistent and bad_rows:  # (all rows inconsistent: outlines would be noise)
        # one collection for all the outlines: an Axes patch each is slow to add and draw
        ax.add_collection(
            PatchCollection(
                [Rectangle((-0.5, i - 0.5), n_cols, 1) for i in bad_rows],
                facecolor="none",
                linewidth=1.6,
                edgecolor=OKABE_ITO["vermillion"],
                joinstyle="miter",
            ),
            autolim=False,
        )
    # white lines between the cells: two line collections (minor ticks would cost a
    # tick object per line, which made the live widget slow)
    ax.grid(False)
    ax.vlines(np.arange(0.5, n_cols - 1), -0.5, n_rows - 0.5, color="white", linewidth=1)
    ax.hlines(np.arange(0.5, n_rows - 1), -0.5, n_cols - 0.5, color="white", linewidth=1)
    ax.set_xlim(-0.5, n_cols - 0.5)
    ax.set_ylim(n_rows - 0.5, -0.5)
    if grouped:
        _label_type_groups(ax, kinds, labels, bad_rows, size)
    if colorbar is not None:  # the colorbar of an earlier call: follow the new image
        bar = colorbar
        image.colorbar = bar
        bar.update_normal(image)
    elif cax is None:
        bar = ax.figure.colorbar(image, ax=ax, fraction=0.06, pad=0.03)
    else:
        bar = ax.figure.colorbar(image, cax=cax)
    bar.locator = MaxNLocator(nbins=4, steps=[1, 2, 5, 10])  # few labels: each costs a draw
    bar.set_label("Price vs the campaign's usual price (%)")
    if only_inconsistent:
        shown = f"{n_rows} campaigns quote different prices"
    else:
        shown = f"{len(bad_rows)} of {n_rows} campaigns quote different prices"
    finish(
        ax,
        f"One offer, one price on every channel?\n({shown}, marked ≠)",
        "Channel (grey: the campaign does not run there)",
        "Campaign offered on several channels",
    )
    return ax, bar


@functools.lru_cache(maxsize=512)
def _text_inches(text, size, weight="normal"):
    """Width in inches of one line of text (measured once: libraqm layout is slow)."""
    fp = FontProperties(size=size, weight=weight)
    return TextToPath().get_text_width_height_descent(text, fp, ismath=False)[0] / 72.0


def _label_type_groups(ax, kinds, labels, bad_rows, size):
    """Write each campaign type once, left of its rows, with a bracket; place the y label.

    The brackets and names sit at fixed distances (inches) left of the widest
    row label, and the y label left of the widest type name, so that nothing
    overlaps whatever the labels are.
    """
    names = concepts.labels(concepts.CAMPAIGN_TYPES)
    fig = ax.figure
    bad = set(bad_rows)
    rows = max((_text_inches(t, size, "bold" if i in bad else "normal")
                for i, t in enumerate(labels)), default=0.0)
    pad = (plt.rcParams["ytick.major.pad"] + plt.rcParams["ytick.major.size"]) / 72.0
    bracket = pad + rows + 0.07
    to_left = ax.get_yaxis_transform() + ScaledTranslation(-bracket, 0, fig.dpi_scale_trans)
    segments, widest = [], 0.0
    starts = [i for i in range(len(kinds)) if i == 0 or kinds[i] != kinds[i - 1]]
    for first, nxt in zip(starts, [*starts[1:], len(kinds)], strict=True):
        last = nxt - 1
        name = names.get(kinds[first], kinds[first])
        segments.append([(0, first - 0.38), (0, last + 0.38)])
        ax.text(0, (first + last) / 2, name, transform=to_left
                + ScaledTranslation(-0.06, 0, fig.dpi_scale_trans),
                ha="right", va="center", fontsize=size)
        widest = max(widest, _text_inches(name, size))
    ax.add_collection(
        LineCollection(segments, colors="dimgrey", linewidths=1, transform=to_left,
                       clip_on=False),
        autolim=False,
    )
    ax.yaxis.set_label_coords(
        0, 0.5,
        transform=ax.transAxes
        + ScaledTranslation(-(bracket + 0.06 + widest + 0.08), 0, fig.dpi_scale_trans),
    )


def _usual_price(row):
    """The price most channels of a campaign quote (ties: the lowest)."""
    prices = np.round(row[np.isfinite(row)], 6)
    vals, counts = np.unique(prices, return_counts=True)
    return vals[np.argmax(counts)]


# --------------------------------------------------------------------------- the room
def _room_row_labels():
    names = concepts.labels(concepts.STRATEGIES)
    return [f"{i}. {names[k]}" for i, k in enumerate(_STRATEGIES, start=1)]


def plot_room_heatmap(comparison, *, ax=None, annot=None, **kwargs):
    """Heat map of the room's ratings: strategies down, participants across, then the mean.

    Parameters
    ----------
    comparison : DataFrame
        From :func:`crmkit.workshop.room.room_comparison` (or
        :func:`crmkit.metrics.care.merge_scorecards`).
    ax : matplotlib.axes.Axes, optional
        Default: the current Axes.
    annot : bool, optional
        Write the rating in each cell. Default: when there are at most 16 columns.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.imshow`.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from crmkit import concepts
    >>> from crmkit.metrics.care import merge_scorecards, strategy_scorecard
    >>> keys = concepts.keys(concepts.STRATEGIES)
    >>> cards = {p: strategy_scorecard(dict.fromkeys(keys, r)) for p, r in [("A", 2), ("B", 4)]}
    >>> ax = plot_room_heatmap(merge_scorecards(cards))
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['A', 'B', 'room mean']
    """
    table, people = check_room_comparison(comparison, "plot_room_heatmap")
    ax = ax if ax is not None else plt.gca()
    values = table[people + ["mean"]].to_numpy(dtype=float)
    kwargs.setdefault("cmap", SEQUENTIAL_CMAP)
    kwargs.setdefault("vmin", 1)
    kwargs.setdefault("vmax", 5)
    kwargs.setdefault("aspect", "auto")
    image = ax.imshow(values, **kwargs)
    n_cols = values.shape[1]
    ax.axvline(n_cols - 1.5, color="white", linewidth=4)  # participants | room mean
    ax.set_xticks(range(n_cols))
    ax.set_xticklabels(
        [textwrap.shorten(str(p), 18, placeholder="…") for p in people] + ["room mean"],
        rotation=0 if n_cols <= 6 else 90,
        fontsize=9,
    )
    ax.set_yticks(range(len(table)))
    ax.set_yticklabels(_room_row_labels(), fontsize=9)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    if annot if annot is not None else n_cols <= 16:
        cmap = image.get_cmap()
        for (i, j), v in np.ndenumerate(values):
            r, g, b, _ = cmap(image.norm(v))
            dark = 0.299 * r + 0.587 * g + 0.114 * b < 0.55
            ax.text(
                j, i, f"{v:.1f}" if j == n_cols - 1 else f"{v:g}",
                ha="center", va="center", fontsize=8,
                color="white" if dark else "black",
                fontweight="bold" if j == n_cols - 1 else "normal",
            )  # fmt: skip
    bar = ax.figure.colorbar(image, ax=ax, fraction=0.04, pad=0.02, ticks=[1, 2, 3, 4, 5])
    bar.set_label("rating (1 = absent … 5 = excellent)")
    ax.set_xlabel("participant or team")
    ax.set_title(f"The room's ratings ({len(people)} scorecards)")
    return ax


def plot_room_range(comparison, *, ax=None, **kwargs):
    """Where the room agrees: each strategy's lowest-to-highest rating and the mean.

    Parameters
    ----------
    comparison : DataFrame
        From :func:`crmkit.workshop.room.room_comparison` (or
        :func:`crmkit.metrics.care.merge_scorecards`).
    ax : matplotlib.axes.Axes, optional
        Default: the current Axes.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.scatter` for the means.

    Returns
    -------
    matplotlib.axes.Axes
        Strategies top to bottom in the order of :func:`plot_room_heatmap`.
    """
    table, _ = check_room_comparison(comparison, "plot_room_range")
    ax = ax if ax is not None else plt.gca()
    y = np.arange(len(table))
    wide = table["spread"].to_numpy(dtype=float) >= 2
    colours = np.where(wide, OKABE_ITO["vermillion"], OKABE_ITO["blue"])
    ax.hlines(y, table["min"], table["max"], colors=colours, linewidth=7, alpha=0.75)
    kwargs.setdefault("color", "black")
    kwargs.setdefault("zorder", 3)
    ax.scatter(table["mean"], y, label="room mean", **kwargs)
    ax.set_ylim(len(table) - 0.5, -0.5)
    ax.set_yticks(y)
    ax.set_yticklabels([])
    ax.set_xlim(0.8, 5.2)
    ax.set_xticks([1, 2, 3, 4, 5])
    ax.grid(axis="x", alpha=0.3)
    ax.set_xlabel("rating")
    ax.set_title("Lowest to highest rating\n(orange: 2+ points apart)", fontsize=10)
    return ax
