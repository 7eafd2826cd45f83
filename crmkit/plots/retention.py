"""Figures of retention: the cohort heat map and retention / survival curves.

Each function takes the table returned by the metric of the same name in
`crmkit.metrics.retention`, draws on ``ax`` (or the current Axes) and returns
it; nothing is shown and no global style is changed.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.ticker import PercentFormatter

from crmkit._checks import check_metric_table
from crmkit.plots.style import PALETTE, finish, sequential_cmap

__all__ = ["plot_cohort_heatmap", "plot_retention_curve"]

_FEW_AT_RISK = 10
"""Below this many customers at risk, a survival curve is drawn dotted."""


def _is_weekly(index):
    """True when consecutive labels of a DatetimeIndex are less than 20 days apart."""
    if isinstance(index, pd.DatetimeIndex) and len(index) > 1:
        return bool((np.diff(index) < pd.Timedelta(days=20)).all())
    return False


def plot_cohort_heatmap(data, *, annot=None, ax=None, **kwargs):
    """Heat map of a cohort table: the share of each cohort still buying, period by period.

    Parameters
    ----------
    data : pandas.DataFrame
        The result of `crmkit.metrics.retention.cohort_retention` (shares or
        ``counts=True``).
    annot : bool, optional
        Write the value in each cell; by default only when the table has at
        most 13 rows and 13 columns (otherwise the numbers overlap).

        Colours span the range of periods 1 and later (rounded to tens of
        percent), so that differences between cohorts show; period 0 (100%)
        gets the top colour.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (default: the current Axes).
    **kwargs
        Passed to `seaborn.heatmap` (e.g. ``cmap``, ``vmax``).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import crmkit
    >>> from crmkit.metrics.retention import cohort_retention
    >>> from crmkit.plots.retention import plot_cohort_heatmap
    >>> w = crmkit.make_world(300, random_state=0)
    >>> ax = plot_cohort_heatmap(cohort_retention(w.transactions))
    >>> ax.get_xlabel()
    'Months since first purchase'
    """
    func = "plot_cohort_heatmap"
    check_metric_table(data, func, "cohort_retention(...)")
    ax = plt.gca() if ax is None else ax
    values = data.astype(float)
    counts = bool(np.nanmax(values.to_numpy()) > 1.0)
    weekly = data.attrs.get("freq") == "W" if "freq" in data.attrs else _is_weekly(data.index)
    if annot is None:
        annot = data.shape[0] <= 13 and data.shape[1] <= 13
    shown = values if counts else values * 100
    if isinstance(data.index, pd.DatetimeIndex):
        shown.index = data.index.strftime("%Y-%m-%d" if weekly else "%Y-%m")
    options = dict(
        cmap=sequential_cmap(),
        annot=bool(annot),
        fmt=".0f",
        linewidths=0.5,
        linecolor="white",
        cbar_kws={
            "label": "Customers" if counts else "Share of the cohort buying (%)",
            "extend": "neither" if counts else "max",
        },
    )
    later = shown.iloc[:, 1:].to_numpy(dtype=float)
    if not counts and np.isfinite(later).any():
        # colour the later periods over their own range (period 0 is always 100%)
        options.update(
            vmin=np.floor(np.nanmin(later) / 10) * 10,
            vmax=min(100.0, np.ceil(np.nanmax(later) / 10) * 10),
        )
    options.update(kwargs)
    sns.heatmap(shown, ax=ax, **options)
    ax.tick_params(axis="y", rotation=0)
    ax.tick_params(axis="x", rotation=0)
    unit = "Weeks" if weekly else "Months"
    title = (
        "Cohort sizes: customers buying, by cohort"
        if counts
        else "Cohort retention: share of each cohort still buying"
    )
    return finish(
        ax,
        title,
        f"{unit} since first purchase",
        f"Cohort ({'week' if weekly else 'month'} of first purchase)",
    )


def plot_retention_curve(data, *, ax=None, **kwargs):
    """Retention over time, or survival curves (Kaplan-Meier) by group.

    Parameters
    ----------
    data : pandas.DataFrame
        Either the result of `crmkit.metrics.retention.retention_by_period`
        (draws the retention rate per period) or of
        `crmkit.metrics.retention.survival_curve` (draws one step curve per
        group). Where fewer than 10 customers of a group are still observed
        (``at_risk``), its curve goes on dotted and thin, and the x-axis label
        says so: that tail rests on a handful of customers.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (default: the current Axes).
    **kwargs
        Passed to `matplotlib.axes.Axes.plot` / ``step`` (e.g. ``linewidth``).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import crmkit
    >>> from crmkit.metrics.retention import survival_curve
    >>> from crmkit.plots.retention import plot_retention_curve
    >>> w = crmkit.make_world(300, random_state=0)
    >>> ax = plot_retention_curve(survival_curve(w.customers, by="loyalty_member"))
    >>> ax.get_ylabel()
    'Customers not yet defected (%)'
    """
    func = "plot_retention_curve"
    what = "retention_by_period(...) or survival_curve(...)"
    check_metric_table(data, func, what)
    ax = plt.gca() if ax is None else ax
    if {"group", "month", "survival"} <= set(data.columns):
        groups = list(pd.unique(data["group"]))
        thin = False
        for i, g in enumerate(groups):
            part = data[data["group"] == g].sort_values("month")
            opts = dict(where="post", color=PALETTE[i % len(PALETTE)], linewidth=2, label=str(g))
            opts.update(kwargs)
            month = part["month"].to_numpy()
            pct = part["survival"].to_numpy() * 100
            few = (
                part["at_risk"].to_numpy() < _FEW_AT_RISK
                if "at_risk" in part
                else np.zeros(len(part), dtype=bool)
            )
            k = int(np.argmax(few)) if few[1:].any() else len(part)  # month 0 always solid
            k = max(k, 1)
            if k < len(part):
                # solid while enough customers are observed, then dotted: the tail rests
                # on a handful of customers and one departure moves it by many points
                ax.step(np.append(month[:k], month[k]), np.append(pct[:k], pct[k - 1]), **opts)
                tail = {**opts, "linewidth": 1.2, "linestyle": ":", "label": None}
                ax.step(np.append(month[k], month[k:]), np.append(pct[k - 1], pct[k:]), **tail)
                thin = True
            else:
                ax.step(month, pct, **opts)
        ax.set_ylim(0, 102)
        ax.set_xlim(0, None)
        ax.yaxis.set_major_formatter(PercentFormatter(100))
        if len(groups) > 1 or groups != ["all"]:
            by = data.attrs.get("by")
            title = str(by).replace("_", " ").capitalize() if by else "Group"
            ax.legend(title=title, frameon=False)
        ax.grid(alpha=0.3)
        return finish(
            ax,
            "Survival: share of customers who have not defected",
            "Months since signup"
            + (f"\n(dotted: fewer than {_FEW_AT_RISK} customers still observed)" if thin else ""),
            "Customers not yet defected (%)",
        )
    if {"period", "retention_rate"} <= set(data.columns):
        opts = dict(color=PALETTE[3], linewidth=2, marker="o", markersize=3, label="Retention rate")
        opts.update(kwargs)
        ax.plot(data["period"], data["retention_rate"] * 100, **opts)
        ax.set_ylim(0, 100)
        ax.yaxis.set_major_formatter(PercentFormatter(100))
        ax.grid(alpha=0.3)
        for label in ax.get_xticklabels():
            label.set_rotation(30)
            label.set_horizontalalignment("right")
        freq = data.attrs.get("freq")
        unit = {"M": "month", "W": "week"}.get(freq, "period")
        xlabel = {"M": "Month", "W": "Week (starting Monday)"}.get(freq, "Period")
        return finish(
            ax,
            f"Retention: share of last {unit}'s buyers who bought again",
            xlabel,
            "Retained buyers (%)",
        )
    raise ValueError(
        f"{func}: `data` must be the result of {what}; it has columns "
        f"{', '.join(map(str, data.columns))}."
    )
