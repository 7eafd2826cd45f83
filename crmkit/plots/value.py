"""Figures of customer value: RFM segments, the loyalty ladder, retention economics.

Each function takes the table returned by the metric of the same name in
`crmkit.metrics.value`, draws on ``ax`` (or the current Axes) and returns it;
nothing is shown and no global style is changed.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.ticker import PercentFormatter, StrMethodFormatter

from crmkit import concepts
from crmkit._checks import check_metric_table
from crmkit.metrics.value import reichheld_economics, reichheld_example
from crmkit.plots.style import (
    OKABE_ITO,
    PALETTE,
    annotate_bar_end,
    finish,
    sequential_cmap,
)

__all__ = [
    "plot_loyalty_ladder",
    "ECONOMICS_TITLES",
    "plot_retention_economics",
    "plot_retention_simulator",
    "plot_rfm_segments",
]


def _pct(share):
    """A share as a whole percentage, with '<1%' for small non-zero shares."""
    return "<1%" if 0 < share < 0.005 else f"{share:.0%}"


def plot_rfm_segments(data, *, ax=None, **kwargs):
    """Bar chart of RFM segments: customers in each, with their share of revenue.

    Parameters
    ----------
    data : pandas.DataFrame
        The result of `crmkit.metrics.value.rfm_table`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (default: the current Axes).
    **kwargs
        Passed to `matplotlib.axes.Axes.barh`.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import crmkit
    >>> from crmkit.metrics.value import rfm_table
    >>> from crmkit.plots.value import plot_rfm_segments
    >>> w = crmkit.make_world(300, random_state=0)
    >>> ax = plot_rfm_segments(rfm_table(w.transactions))
    >>> ax.get_xlabel()
    'Customers'
    """
    func = "plot_rfm_segments"
    check_metric_table(data, func, "rfm_table(...)", ("segment", "monetary"))
    ax = plt.gca() if ax is None else ax
    keys = concepts.keys(concepts.RFM_SEGMENTS)
    names = concepts.labels(concepts.RFM_SEGMENTS)
    seg = data["segment"].astype("object")
    n = seg.value_counts().reindex(keys, fill_value=0)
    revenue = data.groupby(seg)["monetary"].sum().reindex(keys, fill_value=0.0)
    total_n, total_rev = n.sum(), revenue.sum()
    y = np.arange(len(keys))[::-1]  # first segment on top
    opts = dict(color=[PALETTE[i % len(PALETTE)] for i in range(len(keys))], height=0.7)
    opts.update(kwargs)
    ax.barh(y, n.to_numpy(), **opts)
    ax.set_yticks(y, [names[k] for k in keys])
    ax.set_xlim(0, n.max() * 1.6 if n.max() else 1)
    for yi, k in zip(y, keys, strict=True):
        share_rev = revenue[k] / total_rev if total_rev else 0.0
        annotate_bar_end(
            ax,
            f"{n[k]:,} customers ({_pct(n[k] / total_n)}) · {_pct(share_rev)} of revenue",
            (n[k], yi),
        )
    ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.grid(axis="x", alpha=0.3)
    return finish(
        ax, "RFM segments: customers and their share of revenue", "Customers", "RFM segment"
    )


def plot_loyalty_ladder(data, *, ax=None, **kwargs):
    """The loyalty ladder as horizontal bars: prospects at the bottom, partners on top.

    Parameters
    ----------
    data : pandas.DataFrame or pandas.Series
        The result of `crmkit.metrics.value.loyalty_ladder`, or counts per rung
        (a Series indexed by the rung keys).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (default: the current Axes).
    **kwargs
        Passed to `matplotlib.axes.Axes.barh`.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import crmkit
    >>> from crmkit.metrics.value import loyalty_ladder
    >>> from crmkit.plots.value import plot_loyalty_ladder
    >>> w = crmkit.make_world(300, random_state=0)
    >>> ax = plot_loyalty_ladder(loyalty_ladder(w.customers, w.transactions, surveys=w.surveys))
    >>> [t.get_text() for t in ax.get_yticklabels()][-1]
    'Partner'
    """
    func = "plot_loyalty_ladder"
    keys = concepts.keys(concepts.LOYALTY_LADDER)
    names = concepts.labels(concepts.LOYALTY_LADDER)
    if isinstance(data, pd.Series):
        unknown = [k for k in data.index if k not in keys]
        if unknown:
            raise ValueError(
                f"{func}: `data` has unknown rung(s) {unknown}; the rungs are {', '.join(keys)}."
            )
        n = data.reindex(keys, fill_value=0).astype(int)
        if n.sum() == 0:
            raise ValueError(f"{func}: `data` counts no customers; there is nothing to draw.")
    else:
        check_metric_table(data, func, "loyalty_ladder(...)", ("rung",))
        n = data["rung"].astype("object").value_counts().reindex(keys, fill_value=0)
    ax = plt.gca() if ax is None else ax
    y = np.arange(len(keys))  # prospect at the bottom
    colours = sns.color_palette(sequential_cmap(), len(keys) + 1)[:-1][::-1]  # darker = higher
    opts = dict(color=colours, height=0.72)
    opts.update(kwargs)
    ax.barh(y, n.to_numpy(), **opts)
    ax.set_yticks(y, [names[k] for k in keys])
    ax.set_xlim(0, n.max() * 1.3 if n.max() else 1)
    total = n.sum()
    for yi, k in zip(y, keys, strict=True):
        annotate_bar_end(ax, f"{n[k]:,} ({_pct(n[k] / total)})", (n[k], yi))
    ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.grid(axis="x", alpha=0.3)
    return finish(
        ax, "Loyalty ladder: how far customers have climbed", "Customers", "Rung of the ladder"
    )


def plot_retention_economics(data=None, *, metric="cost", highlight=0.80, ax=None, **kwargs):
    """Cost per customer-year (or lifetime profit) against retention, with a rise marked.

    Parameters
    ----------
    data : pandas.DataFrame, optional
        The result of `crmkit.metrics.value.retention_economics` for a range
        of retention values. By default it is computed with the assumptions of
        `crmkit.metrics.value.reichheld_example` for retention 50% to 94%.
    metric : {"cost", "profit"}, default="cost"
        ``"cost"``: cost per customer-year (``cost_per_customer_year``);
        ``"profit"``: lifetime profit per customer (``lifetime_profit``).
    highlight : float or None, default=0.80
        Mark the row whose retention is closest to this value and its point
        after the rise, with the relative change (Reichheld's 80% -> 85% by
        default), written in the corner of the Axes the curve leaves free
        (lower left for the cost, lower right for the profit). None marks
        nothing.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (default: the current Axes).
    **kwargs
        Passed to `matplotlib.axes.Axes.plot` for the curve.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from crmkit.plots.value import plot_retention_economics
    >>> ax = plot_retention_economics()
    >>> ax.get_xlabel()
    'Retention per year (%)'
    """
    func = "plot_retention_economics"
    if metric not in ("cost", "profit"):
        raise ValueError(f"{func}: `metric` must be one of 'cost', 'profit'; got {metric!r}.")
    example = data is None
    if example:
        data = reichheld_economics(np.round(np.arange(0.50, 0.9401, 0.005), 3))
    col = "cost_per_customer_year" if metric == "cost" else "lifetime_profit"
    needed = ("retention", "retention_after", col)
    check_metric_table(data, func, "retention_economics(...)", needed)
    ax = plt.gca() if ax is None else ax
    opts = dict(color=PALETTE[3], linewidth=2.2, label="Model")
    opts.update(kwargs)
    ax.plot(data["retention"] * 100, data[col], **opts)
    if metric == "profit":
        ax.axhline(0, color="0.4", linewidth=0.8)
    if highlight is not None:
        i = int(np.argmin(np.abs(data["retention"].to_numpy() - highlight)))
        row = data.iloc[i]
        x0, x1 = row["retention"] * 100, row["retention_after"] * 100
        y0, y1 = row[col], row[f"{col}_after"]
        ax.plot(
            [x0, x1],
            [y0, y1],
            "o",
            color=OKABE_ITO["vermillion"],
            markersize=8,
            zorder=3,
            label="Reichheld's example (source 001)" if example else "Before and after the rise",
        )
        ax.annotate(
            "",
            (x1, y1),
            xytext=(x0, y0),
            arrowprops=dict(arrowstyle="->", color=OKABE_ITO["vermillion"], lw=1.5),
        )
        change = row["cost_change"] if metric == "cost" else row["profit_change"]
        what = "cost per customer-year" if metric == "cost" else "lifetime profit"
        change = f"{change:+.0%}".replace("-", "\u2212")  # a true minus sign
        text = f"{x0:.0f}% → {x1:.0f}% retention:\n{what} {change}\n({y0:,.0f} → {y1:,.0f})"
        # the note goes in the corner the curve leaves free, so it never leaves the
        # Axes: the cost curve falls from the upper left, the profit curve rises
        # to the upper right
        ax.annotate(
            text,
            (x1, y1),
            xytext=(0.03, 0.05) if metric == "cost" else (0.97, 0.05),
            textcoords="axes fraction",
            ha="left" if metric == "cost" else "right",
            va="bottom",
            fontsize="small",
            color=OKABE_ITO["vermillion"],
        )
        ax.legend(frameon=False, loc="upper left" if metric == "profit" else "upper right")
    ax.xaxis.set_major_formatter(PercentFormatter(100, decimals=0))
    ax.grid(alpha=0.3)
    if metric == "cost":
        return finish(
            ax,
            "Retention spreads the cost of winning a customer",
            "Retention per year (%)",
            "Cost per customer-year (currency units)",
        )
    return finish(
        ax,
        "Lifetime profit rises steeply with retention",
        "Retention per year (%)",
        "Lifetime profit per customer (currency units)",
    )


#: Short titles of the two panels of `plot_retention_simulator`, by ``metric``.
ECONOMICS_TITLES = {"cost": "Cost per customer-year", "profit": "Lifetime profit per customer"}


def plot_retention_simulator(data, *, metric="cost", retention=0.80, reference=True, ax=None):
    """A panel of the retention simulator: the curve, the rise, Reichheld's example.

    `plot_retention_economics` with a short title (`ECONOMICS_TITLES`), a
    compact legend and, with ``reference``, the two points of Reichheld's
    example (`crmkit.metrics.value.reichheld_example`) ringed in black, so
    that a learner sees how far their assumptions are from it.

    Parameters
    ----------
    data : pandas.DataFrame
        From `crmkit.metrics.value.economics_curve` (or `retention_economics`).
    metric : {"cost", "profit"}, default="cost"
    retention : float, default=0.80
        The retention whose rise is marked (the row closest to it).
    reference : bool, default=True
        Ring Reichheld's example (80% -> 85%).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (default: the current Axes).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from crmkit.metrics.value import economics_curve
    >>> curve = economics_curve(0.7, margin=400, acquisition_cost=900, discount_rate=0.1)
    >>> ax = plot_retention_simulator(curve, metric="profit", retention=0.7)
    >>> ax.get_title()
    'Lifetime profit per customer'
    """
    ax = plot_retention_economics(data, metric=metric, highlight=retention, ax=ax)
    col = "cost_per_customer_year" if metric == "cost" else "lifetime_profit"
    if reference:
        ref = reichheld_example()
        ax.plot(
            [ref["retention"] * 100, ref["retention_after"] * 100],
            [ref[col], ref[f"{col}_after"]],
            linestyle="none",
            marker="o",
            markersize=13,
            markerfacecolor="none",
            markeredgewidth=1.5,
            color=OKABE_ITO["black"],
            label="Reichheld's example (source 001)",
            zorder=4,
        )
    ax.yaxis.set_major_locator(plt.MaxNLocator(6))
    ax.legend(
        frameon=False, fontsize="small", loc="upper right" if metric == "cost" else "upper left"
    )
    ax.set_title(ECONOMICS_TITLES[metric])
    return ax
