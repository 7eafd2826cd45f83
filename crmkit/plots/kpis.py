"""Figures of the loyalty KPIs (source 001) and of staff training (strategy 8).

The functions never call ``plt.show()`` or change a global setting.
"""

from __future__ import annotations

import math

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd

from crmkit._checks import check_metric_table
from crmkit.metrics.kpis import (
    KPI_BAD_DIRECTION,
    KPI_COLUMNS,
    KPI_LABELS,
    KPI_PER_CUSTOMER,
    KPI_PERCENT,
    kpi_alerts,
    kpi_series,
    training_effect,
)
from crmkit.plots.style import OKABE_ITO, finish

# KPI_LABELS lives in crmkit.metrics.kpis; it is listed here too, where the figures
# and the notebooks have always found it.
__all__ = ["KPI_LABELS", "plot_kpi_corridor", "plot_kpi_dashboard", "plot_training_effect"]

#: Circle colour of an alert, by its judgement (crmkit.metrics.kpis.kpi_alerts).
_JUDGEMENT_COLOURS = {
    "worse": OKABE_ITO["vermillion"],
    "better": OKABE_ITO["bluish_green"],
    "watch": "black",
}

_DEFAULT_PANELS = tuple(c for c in KPI_COLUMNS if c != "invoices_due")
_FREQ_WORD = {"M": "month", "W": "week", "Q": "quarter"}


def plot_kpi_dashboard(
    kpis,
    *,
    columns=None,
    per_1000=True,
    alerts=True,
    window=3,
    threshold=2.0,
    ncols=3,
    fig=None,
    **kwargs,
):
    """Small multiples of the loyalty KPIs over time, with alerts marked.

    Unlike the other plots this draws a *grid* of Axes, so it takes and
    returns a Figure (``fig.axes`` lists the panels).

    Parameters
    ----------
    kpis : DataFrame
        The output of :func:`crmkit.metrics.kpis.loyalty_kpis`.
    columns : list of str, optional
        KPIs to draw, one panel each; default: every KPI of ``kpis`` except
        ``invoices_due`` (and ``focus_group_reports`` when it is empty).
    per_1000 : bool, default=True
        Draw defections, complaints, positive feedback and care-staff
        feedback per 1,000 active customers (``active_customers``), so that
        the growth of the customer base does not look like a trend. Alerts
        are then computed on these rates.
    alerts : bool or DataFrame, default=True
        Mark the periods flagged by :func:`crmkit.metrics.kpis.kpi_alerts`
        (computed with ``window`` and ``threshold``, or the table given):
        vermillion for "worse", green for "better", black for "watch".
    window, threshold : int, float
        Passed to ``kpi_alerts`` when ``alerts`` is True.
    ncols : int, default=3
        Panels per row.
    fig : matplotlib.figure.Figure, optional
        Figure to draw on (it is cleared); default: a new one sized for the grid.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.plot` for the KPI lines.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import crmkit
    >>> from crmkit.metrics.kpis import loyalty_kpis
    >>> w = crmkit.make_world(500, random_state=0)
    >>> k = loyalty_kpis(w.customers, w.transactions, w.interactions, surveys=w.surveys)
    >>> fig = plot_kpi_dashboard(k)
    >>> len(fig.axes)
    9
    """
    func = "plot_kpi_dashboard"
    if not isinstance(kpis, pd.DataFrame) or "period" not in kpis.columns:
        raise TypeError(
            f"{func}: `kpis` must be the table from loyalty_kpis (with a 'period' column); "
            f"got {type(kpis).__name__}."
        )
    if columns is None:
        columns = [
            c
            for c in _DEFAULT_PANELS
            if c in kpis.columns and not (c == "focus_group_reports" and kpis[c].isna().all())
        ]
    elif isinstance(columns, str):
        columns = [columns]
    missing = [c for c in columns if c not in kpis.columns]
    if missing:
        raise ValueError(
            f"{func}: column(s) {missing} not found in `kpis` (columns: "
            f"{', '.join(map(str, kpis.columns))}). Pass columns= to choose the panels."
        )
    if not columns:
        raise ValueError(f"{func}: no KPI column to draw.")
    if isinstance(ncols, bool) or not isinstance(ncols, int) or ncols < 1:
        raise ValueError(f"{func}: `ncols` must be a whole number >= 1; got {ncols!r}.")
    if not isinstance(per_1000, bool):
        raise TypeError(f"{func}: `per_1000` must be True or False.")
    rated = set()
    if per_1000:
        if "active_customers" not in kpis.columns:
            raise ValueError(
                f"{func}: `kpis` has no 'active_customers' column to divide by; pass "
                "per_1000=False or use the table from loyalty_kpis."
            )
        rated = {c for c in KPI_PER_CUSTOMER if c in columns}
        kpis = kpis.assign(**{c: kpi_series(kpis, c)[0] for c in rated})
    if isinstance(alerts, pd.DataFrame):
        flags = alerts
    elif alerts is True:
        flags = kpi_alerts(kpis, window=window, threshold=threshold, columns=list(columns))
    elif alerts is False or alerts is None:
        flags = None
    else:
        raise TypeError(f"{func}: `alerts` must be True, False or the table from kpi_alerts.")
    ncols = min(ncols, len(columns))
    nrows = math.ceil(len(columns) / ncols)
    if fig is None:
        fig = plt.figure(figsize=(4.2 * ncols, 2.9 * nrows + 0.6))
    else:
        fig.clear()
    axes = fig.subplots(nrows, ncols, sharex=True, squeeze=False)
    period = kpis["period"]
    if isinstance(period.dtype, pd.PeriodDtype):
        x = period.dt.start_time
        word = _FREQ_WORD.get(period.dtype.freq.rule_code[:1], "period")
    else:
        x = pd.to_datetime(kpis.get("period_start", period))
        word = "period"
    kwargs.setdefault("color", OKABE_ITO["blue"])
    kwargs.setdefault("marker", "o")
    kwargs.setdefault("markersize", 3)
    kwargs.setdefault("linewidth", 1.5)
    colours = _JUDGEMENT_COLOURS
    for ax, col in zip(axes.flat, columns, strict=False):
        scale = 100.0 if col in KPI_PERCENT else 1.0
        y = pd.to_numeric(kpis[col]).astype(float) * scale
        if col == "focus_group_reports":  # sessions are quarterly: bars, not a line
            ax.bar(x, y, width=20, color=kwargs["color"])
        else:
            ax.plot(x, y, **kwargs)
        title, ylabel = KPI_LABELS.get(col, (col.replace("_", " ").capitalize(), col))
        bad = KPI_BAD_DIRECTION.get(col, 0)
        hint = {1: " (lower is better)", -1: " (higher is better)"}.get(bad, "")
        if flags is not None and len(flags):
            mine = flags[flags["kpi"] == col]
            for judgement, part in mine.groupby("judgement"):
                pos = kpis.index[kpis["period"].isin(part["period"])]
                ax.scatter(
                    x.loc[pos],
                    y.loc[pos],
                    s=46,
                    facecolor="none",
                    linewidth=1.6,
                    edgecolor=colours.get(judgement, "black"),
                    zorder=3,
                )
        ax.set_title(f"{title}{hint}", fontsize=10)
        if col in rated:
            ylabel = f"{ylabel} per {word}\nper 1,000 active customers"
        elif col == "focus_group_reports":  # a bar per session, not a monthly flow
            ylabel = f"{ylabel}\nper session (quarterly)"
            ax.yaxis.set_major_locator(mticker.MaxNLocator(integer=True))
        elif col not in KPI_PERCENT and "hours" not in col:
            ylabel = f"{ylabel}\nper {word}"
        ax.set_ylabel(ylabel, fontsize=9)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
        ax.set_axisbelow(True)
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    for ax in axes.flat[len(columns) :]:
        ax.set_visible(False)
    for ax in axes[-1]:
        ax.tick_params(axis="x", labelrotation=30)
    if flags is not None:
        handles = [
            plt.Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markerfacecolor="none",
                markeredgecolor=colours[k],
                markeredgewidth=1.6,
                markersize=7,
                label=lab,
            )
            for k, lab in (
                ("worse", "alert: worse than usual"),
                ("better", "alert: better than usual"),
                ("watch", "alert: unusual"),
            )
        ]
        fig.legend(handles=handles, loc="lower center", ncol=3, frameon=False, fontsize=9)
    fig.suptitle(
        f"Loyalty KPIs per {word} (source 001); circles: {threshold:g} spreads away from the "
        f"previous {window} {word}s"
        if flags is not None
        else f"Loyalty KPIs per {word} (source 001)",
        fontsize=11,
    )
    fig.tight_layout(rect=(0, 0.05 if flags is not None else 0, 1, 1))
    return fig


def _quarter_label(x, pos=None):
    """Tick label of a quarter: "Apr", "Jul", "Oct"; the year only in January ("Jan 2024")."""
    d = mdates.num2date(x)
    return f"{d:%b %Y}" if d.month == 1 else f"{d:%b}"


def plot_kpi_corridor(band, *, dates=None, unit="", window=3, threshold=2.0, ax=None, **kwargs):
    """One KPI over time in its alert corridor: baseline, corridor and the alert periods.

    Parameters
    ----------
    band : DataFrame
        :func:`crmkit.metrics.kpis.kpi_alerts` of one KPI with
        ``all_periods=True`` (one row per period, with ``low``, ``high`` and
        ``alert``), for instance on the values of
        :func:`crmkit.metrics.kpis.kpi_series`.
    dates : sequence of dates, optional
        The x position of each period (e.g. ``kpis["period_start"]``);
        default: the start of each period of ``band["period"]``.
    unit : str, default=""
        The y-axis label (the unit of the values).
    window, threshold : int, float
        The ``kpi_alerts`` settings that made ``band`` (written in the legend).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default: the current Axes.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.plot` for the KPI line.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from crmkit.metrics.kpis import kpi_alerts
    >>> k = pd.DataFrame({"period": pd.period_range("2024-01", periods=6, freq="M"),
    ...                   "complaints": [10, 11, 9, 10, 30, 10]})
    >>> band = kpi_alerts(k, columns=["complaints"], all_periods=True)
    >>> ax = plot_kpi_corridor(band, unit="complaints")
    >>> ax.get_title(), ax.get_ylabel()
    ('Complaints (lower is better), per month', 'complaints')
    """
    func = "plot_kpi_corridor"
    needed = ("period", "kpi", "value", "baseline", "low", "high", "alert", "judgement")
    check_metric_table(band, func, "kpi_alerts(..., all_periods=True)", needed)
    kpis = band["kpi"].unique()
    if len(kpis) != 1:
        raise ValueError(
            f"{func}: `band` must hold one KPI; got {len(kpis)} ({', '.join(map(str, kpis))}). "
            "Pass kpi_alerts(..., columns=[kpi], all_periods=True)."
        )
    kpi = kpis[0]
    if dates is None:
        period = band["period"]
        dates = period.dt.start_time if isinstance(period.dtype, pd.PeriodDtype) else period
        dates = pd.to_datetime(dates)
    x = dates if isinstance(dates, pd.Series) else pd.Series(pd.to_datetime(dates))
    values = band["value"]
    ax = plt.gca() if ax is None else ax
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    ax.xaxis.set_major_formatter(mticker.FuncFormatter(_quarter_label))
    ax.yaxis.set_major_locator(mticker.MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
    ax.grid(alpha=0.3)
    ax.set_axisbelow(True)
    top = 100.0 if kpi in KPI_PERCENT else np.inf  # the corridor cannot leave what is possible
    ax.fill_between(
        x,
        band["low"].clip(lower=0),
        band["high"].clip(upper=top),
        color=OKABE_ITO["sky_blue"],
        alpha=0.25,
        linewidth=0,
        label=f"as usual: baseline\n± {threshold:g} spreads",
    )
    ax.plot(
        x,
        band["baseline"],
        color="grey",
        linestyle="--",
        linewidth=1.2,
        label=f"baseline: mean of the\nprevious {window} months",
    )
    if kpi == "focus_group_reports":  # sessions are quarterly: bars, not a line
        ax.bar(x, values, width=20, color=OKABE_ITO["blue"], label="the KPI")
    else:
        line = {"color": OKABE_ITO["blue"], "marker": "o", "markersize": 3.5, "linewidth": 1.6}
        ax.plot(x, values, **{**line, **kwargs}, label="the KPI")
    alerts = band[band["alert"].to_numpy(dtype=bool)]
    for judgement, part in alerts.groupby("judgement"):
        idx = band.index.get_indexer(part.index)  # positions of the alert periods
        ax.scatter(
            x.iloc[idx],
            values.iloc[idx],
            s=90,
            facecolor="none",
            linewidth=2,
            edgecolor=_JUDGEMENT_COLOURS.get(judgement, "black"),
            zorder=4,
            label=f"alert: {judgement}",
        )
    title = KPI_LABELS.get(kpi, (kpi,))[0]
    hint = {1: " (lower is better)", -1: " (higher is better)"}.get(
        KPI_BAD_DIRECTION.get(kpi, 0), ""
    )
    ax.set_title(f"{title}{hint}, per month", fontsize=11, y=1.0)
    ax.set_ylabel(unit)
    ax.set_xlabel("month")
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax


def plot_training_effect(interactions, staff, *, ax=None, **kwargs):
    """Each employee's median complaint-resolution time against their training hours.

    One point per employee who handled complaints (size: how many), and the
    curve fitted by :func:`crmkit.metrics.kpis.training_effect` for a
    complaint with the average number of hand-offs. The y axis is logarithmic: equal steps are
    equal percentage changes.

    Parameters
    ----------
    interactions : DataFrame
        Contacts with ``staff_id``, ``kind``, ``resolution_hours``,
        ``handoffs`` and ``outcome``.
    staff : DataFrame
        One row per employee with ``training_hours``.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default: the current Axes.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.scatter`.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import crmkit
    >>> w = crmkit.make_world(800, random_state=0)
    >>> ax = plot_training_effect(w.interactions, w.staff)
    >>> ax.get_yscale()
    'log'
    """
    fit = training_effect(interactions, staff)
    ax = plt.gca() if ax is None else ax
    is_c = (interactions["kind"].astype("string") == "complaint").fillna(False).to_numpy()
    comp = interactions[is_c & interactions["resolution_hours"].notna().to_numpy()]
    per = comp.groupby("staff_id")["resolution_hours"].agg(["median", "size"])
    train = staff.set_index("staff_id")["training_hours"]
    per = per.join(train, how="inner")
    kwargs.setdefault("color", OKABE_ITO["blue"])
    kwargs.setdefault("alpha", 0.75)
    kwargs.setdefault("edgecolor", "white")
    sizes = 15 + 120 * per["size"] / max(per["size"].max(), 1)
    ax.scatter(
        per["training_hours"],
        per["median"],
        s=sizes,
        label="One employee (size: complaints handled)",
        **kwargs,
    )
    coef = fit.coefficients.set_index("term")["estimate"]
    grid = np.linspace(0, max(per["training_hours"].max(), 1) * 1.05, 100)
    if "kind:complaint" in coef.index:
        # median of a lognormal = exp(mean log); hand-offs at their average for complaints
        hand = comp["handoffs"].mean() if "handoffs" in coef.index else 0.0
        level = coef["kind:complaint"] + coef.get("handoffs", 0.0) * hand
        curve = np.exp(level + fit.slope * grid)
        change = np.expm1(10 * fit.slope)
        ax.plot(
            grid,
            curve,
            color=OKABE_ITO["vermillion"],
            linewidth=2,
            label=f"Fitted: {change:+.0%} resolution time per 10 h of training",
        )
    ax.set_yscale("log")
    steps = (1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0)
    ax.yaxis.set_major_locator(mticker.LogLocator(base=10, subs=steps))
    ax.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_formatter(mticker.NullFormatter())
    ax.grid(alpha=0.3, which="both")
    ax.set_axisbelow(True)
    ax.legend(frameon=False, fontsize=9)
    return finish(
        ax,
        "Does training shorten complaint handling? (strategy 8)",
        "Employee's training in customer service and complaint handling (hours)",
        "Median hours to resolve a complaint\n(log scale)",
    )
