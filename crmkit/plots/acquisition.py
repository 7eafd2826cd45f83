"""Figures of acquisition planning: a budget's split across channels and what it buys.

The functions draw on ``ax`` (or the current Axes), return it, and never call
``plt.show()`` or change a global setting.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import StrMethodFormatter

from crmkit import concepts
from crmkit._checks import check_choice, check_metric_table
from crmkit.plots.style import OKABE_ITO, annotate_bar_end, category_palette

__all__ = ["PLAN_VIEWS", "plot_acquisition_plan"]

#: What `plot_acquisition_plan` can show: plan column -> (label, axis label).
PLAN_VIEWS: dict[str, tuple[str, str]] = {
    "new_customers": ("Expected new customers", "Expected new customers (count)"),
    "cost_per_acquisition": (
        "Cost per acquired customer",
        "Cost per acquired customer (currency units)",
    ),
    "spend": ("Spend", "Spend (currency units)"),
}

_NAMES = concepts.labels(concepts.CHANNELS)


def plot_acquisition_plan(plan, *, view="new_customers", palette=None, ax=None):
    """Horizontal bars of an acquisition plan, one per channel, with each channel's share.

    Parameters
    ----------
    plan : pandas.DataFrame
        From `crmkit.metrics.acquisition.plan_acquisition` (its last row,
        ``"total"``, gives the title and the dashed "whole plan" line).
    view : {"new_customers", "cost_per_acquisition", "spend"}, default="new_customers"
        The column the bars show (see `PLAN_VIEWS`). A channel expected to win
        nobody has no cost per acquisition: its bar reads "no customers".
    palette : dict, optional
        ``{channel: colour}``; default the kit's palette in
        `crmkit.concepts.CHANNELS` order.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (default: the current Axes).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from crmkit.metrics.acquisition import plan_acquisition
    >>> rates = pd.DataFrame({"channel": ["shop", "web"], "contact_cost": [12.0, 0.5],
    ...                       "conversion_rate": [0.08, 0.02]})
    >>> ax = plot_acquisition_plan(plan_acquisition(rates, 1000, {"shop": 1, "web": 1}))
    >>> ax.get_xlabel()
    'Expected new customers (count)'
    """
    func = "plot_acquisition_plan"
    check_choice(view, "view", tuple(PLAN_VIEWS), func)
    check_metric_table(plan, func, "plan_acquisition(...)", ("channel", "share", "spend", view))
    if palette is None:
        palette = category_palette(concepts.keys(concepts.CHANNELS))
    ax = plt.gca() if ax is None else ax
    rows = plan[plan["channel"] != "total"]
    total = plan.iloc[-1]
    labels = [_NAMES.get(c, c) for c in rows["channel"]]
    values = rows[view].to_numpy(dtype=float)
    y = np.arange(len(rows))[::-1]
    colours = [palette.get(c, "grey") for c in rows["channel"]]
    ax.barh(y, np.nan_to_num(values), color=colours, height=0.65)
    ax.set_yticks(y, labels)
    top = np.nanmax(values) if np.isfinite(values).any() and np.nanmax(values) > 0 else 1.0
    ax.set_xlim(0, top * 1.3)
    for yi, v, s in zip(y, values, rows["share"], strict=True):
        text = "no customers" if not np.isfinite(v) else f"{v:,.0f}"
        label = annotate_bar_end(
            ax, f"{text}  ({s:.0%} of budget)", (0 if not np.isfinite(v) else v, yi)
        )
        # a white backing: the dashed "whole plan" line passes behind the labels, not through
        label.set_bbox({"facecolor": "white", "edgecolor": "none", "alpha": 0.9, "pad": 1})
        label.set_zorder(4)
    ax.set_ylim(-1.1, len(rows) - 0.5)
    cpa = total["cost_per_acquisition"] if "cost_per_acquisition" in plan else np.nan
    if view == "cost_per_acquisition" and np.isfinite(cpa):
        ax.axvline(cpa, color=OKABE_ITO["black"], linestyle="--", lw=1)
        annotate_bar_end(ax, f"whole plan: {cpa:,.0f}", (cpa, -0.85))
    ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.grid(axis="x", alpha=0.3)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(PLAN_VIEWS[view][1])
    ax.set_ylabel("Channel")
    title = f"Budget {total['spend']:,.0f}"
    if "new_customers" in plan:
        title += f": about {total['new_customers']:,.0f} new customers"
    ax.set_title(title + (f", {cpa:,.0f} each" if np.isfinite(cpa) else ""), fontsize="medium")
    return ax
