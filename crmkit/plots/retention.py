"""Figures of retention: the cohort heat map, retention / survival curves, targeting plans.

Each function takes the table returned by the metric of the same name in
`crmkit.metrics.retention`, draws on ``ax`` (or the current Axes) and returns
it; nothing is shown and no global style is changed.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.ticker import MaxNLocator, PercentFormatter, StrMethodFormatter

from crmkit import concepts
from crmkit._checks import check_metric_table
from crmkit.metrics.targeting import targeted_by_stage
from crmkit.plots.style import OKABE_ITO, PALETTE, finish, sequential_cmap, stage_palette

__all__ = [
    "plot_cohort_heatmap",
    "plot_retention_curve",
    "plot_targeted_by_stage",
    "plot_targeting",
]

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


# --------------------------------------------------------------------------- targeting
_TARGETS_NEEDED = ("rank", "targeted", "cum_kept_margin", "cum_cost")


def plot_targeting(targets, *, ax=None):
    """What a retention campaign keeps and what it costs, customer by customer.

    The cumulative margin the offers are expected to keep (solid) and their
    cumulative cost (dashed) over the eligible customers, highest margin at
    risk first; the customers the budget reaches are shaded. A plan with no
    eligible customer gives a message instead of a chart.

    Parameters
    ----------
    targets : pandas.DataFrame
        From `crmkit.metrics.targeting.target_customers`.
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
    >>> from crmkit.metrics.targeting import target_customers
    >>> base = pd.DataFrame({"customer_id": [1, 2, 3], "lifecycle_stage": ["commitment"] * 3,
    ...     "margin": [300.0, 100.0, 50.0], "satisfaction": [7, 4, None],
    ...     "value_at_risk": [30.0, 40.0, 5.0]})
    >>> ax = plot_targeting(target_customers(base, budget=20))
    >>> ax.get_xlabel()
    'Eligible customers, highest margin at risk first'
    """
    if not (isinstance(targets, pd.DataFrame) and targets.empty):  # empty: nobody eligible
        check_metric_table(targets, "plot_targeting", "target_customers(...)", _TARGETS_NEEDED)
    ax = plt.gca() if ax is None else ax
    if targets.empty:
        ax.set_axis_off()
        ax.text(
            0.5, 0.5, "No customer meets these criteria:\nrelax one of them.", ha="center",
            transform=ax.transAxes,
        )  # fmt: skip
        return ax
    targeted = int(targets["targeted"].sum())
    x = targets["rank"].to_numpy()
    ax.plot(
        x,
        targets["cum_kept_margin"],
        color=OKABE_ITO["bluish_green"],
        lw=2,
        label="Margin kept (expected)",
    )
    ax.plot(
        x,
        targets["cum_cost"],
        color=OKABE_ITO["vermillion"],
        lw=2,
        ls="--",
        label="Cost of the offers",
    )
    if targeted:
        ax.axvspan(
            0.5,
            targeted + 0.5,
            color=OKABE_ITO["sky_blue"],
            alpha=0.18,
            label=f"Targeted within budget ({targeted:,})",
        )
    ax.set_xlim(0, max(len(targets), 1) * 1.02)
    ax.set_ylim(0, None)
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.grid(alpha=0.3)
    ax.legend(frameon=False, fontsize="small", loc="upper left")
    ax.set_xlabel("Eligible customers, highest margin at risk first")
    ax.set_ylabel("Cumulative amount (currency units)")
    ax.set_title("What the offers keep and what they cost", fontsize="medium")
    ax.yaxis.set_major_locator(MaxNLocator(6))
    return ax


def plot_targeted_by_stage(targets, *, ax=None):
    """Bars: how many customers a retention plan targets in each lifecycle stage.

    Parameters
    ----------
    targets : pandas.DataFrame
        From `crmkit.metrics.targeting.target_customers` (counted with
        `crmkit.metrics.targeting.targeted_by_stage`). An empty plan leaves
        the Axes blank (switched off).
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
    >>> t = pd.DataFrame({"lifecycle_stage": ["commitment", "awareness"], "targeted": [True, True]})
    >>> [t.get_text() for t in plot_targeted_by_stage(t).get_yticklabels()][-1]
    'Commitment'
    """
    counts = targeted_by_stage(targets)
    ax = plt.gca() if ax is None else ax
    if targets.empty:
        ax.set_axis_off()
        return ax
    names = concepts.labels(concepts.LIFECYCLE_STAGES)
    colours = stage_palette()
    y = np.arange(len(counts))[::-1]
    ax.barh(y, counts.to_numpy(), color=[colours[k] for k in counts.index], height=0.65)
    ax.set_yticks(y, [names[k] for k in counts.index])
    ax.set_xlim(0, max(counts.max(), 1) * 1.35)
    for yi, v in zip(y, counts.to_numpy(), strict=True):
        ax.annotate(
            f"{v:,}",
            (v, yi),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize="small",
        )
    ax.grid(axis="x", alpha=0.3)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("Targeted customers")
    ax.set_title("Targeted, by lifecycle stage", fontsize="medium")
    return ax
