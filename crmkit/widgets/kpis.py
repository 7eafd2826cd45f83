"""Watch a loyalty KPI month by month, with its alert corridor (source 001; strategy 7).

Source 001 asks a company to measure, report and discuss the loyalty KPIs
(defections, complaints, positive feedback, focus-group reports, feedback from
care staff, complaint handling, cash collection); strategy 7 of source 000
asks for continuous monitoring and corrective action. :func:`kpi_explorer`
draws one KPI over time with its baseline (the mean of the previous months),
the corridor inside which a month is "as usual", and the months that leave
it, as :func:`crmkit.metrics.kpis.kpi_alerts` flags them.

The KPIs are computed once per world (:func:`prepare_kpis`); the widget only
recomputes the alerts. The static twin of the lesson is the dashboard grid,
:func:`crmkit.plots.kpis.plot_kpi_dashboard`; :func:`kpi_explorer_figure`
draws the explorer's own figure at fixed values.
"""

from __future__ import annotations

import html

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter, MaxNLocator

from crmkit._checks import check_choice
from crmkit.metrics.kpis import KPI_BAD_DIRECTION, KPI_COLUMNS, kpi_alerts, loyalty_kpis
from crmkit.plots.kpis import KPI_LABELS, KPI_PER_CUSTOMER, KPI_PERCENT
from crmkit.plots.style import OKABE_ITO
from crmkit.widgets._core import dropdown, empty_axes, exact_margins, live_panel, slider

__all__ = [
    "WIDGETS",
    "kpi_explorer",
    "kpi_explorer_figure",
    "kpi_series",
    "prepare_kpis",
]

_JUDGEMENT_COLOURS = {
    "worse": OKABE_ITO["vermillion"],
    "better": OKABE_ITO["bluish_green"],
    "watch": "black",
}


def prepare_kpis(world) -> pd.DataFrame:
    """The monthly loyalty KPIs of ``world`` (computed once per widget).

    Uses the surveys (focus-group reports) and the stage history (every
    defection, also of customers won back later) when the world has them.

    Returns
    -------
    DataFrame
        The output of :func:`crmkit.metrics.kpis.loyalty_kpis`.
    """
    surveys = world.surveys if len(world.surveys) else None
    history = world.stage_history if len(world.stage_history) else None
    return loyalty_kpis(
        world.customers,
        world.transactions,
        world.interactions,
        surveys=surveys,
        stage_history=history,
    )


def kpi_series(kpis: pd.DataFrame, kpi: str) -> tuple[pd.Series, str]:
    """One KPI as it is drawn and judged: counts per 1,000 active customers, shares in %.

    The counts (defections, complaints, positive feedback, care-staff
    feedback) grow with the customer base, so they are divided by the
    active customers of the month, as in the KPI dashboard.

    Parameters
    ----------
    kpis : DataFrame
        The output of :func:`crmkit.metrics.kpis.loyalty_kpis`.
    kpi : str
        One of :data:`crmkit.metrics.kpis.KPI_COLUMNS`.

    Returns
    -------
    (Series, str)
        The values (float, index as ``kpis``) and their unit label.

    Examples
    --------
    >>> import pandas as pd
    >>> k = pd.DataFrame({"active_customers": [500, 1000], "complaints": [5, 20],
    ...                   "late_payment_share": [0.1, 0.25]})
    >>> kpi_series(k, "complaints")[0].tolist()
    [10.0, 20.0]
    >>> values, unit = kpi_series(k, "late_payment_share")
    >>> values.tolist(), unit
    ([10.0, 25.0], 'invoices paid late (%)')
    """
    check_choice(kpi, "kpi", tuple(c for c in KPI_COLUMNS if c in kpis.columns), "kpi_series")
    values = pd.to_numeric(kpis[kpi]).astype(float)
    label = KPI_LABELS.get(kpi, (kpi, kpi))[1]
    if kpi in KPI_PER_CUSTOMER:
        active = kpis["active_customers"].astype(float).where(kpis["active_customers"] > 0)
        return (values / active * 1000).rename(kpi), f"{label.lower()} per 1,000 active customers"
    if kpi in KPI_PERCENT:
        return (values * 100).rename(kpi), label[0].lower() + label[1:]
    return values, label[0].lower() + label[1:]


def _quarter_label(x, pos=None):
    """Tick label of a quarter: "Apr", "Jul", "Oct"; the year only in January ("Jan 2024")."""
    d = mdates.num2date(x)
    return f"{d:%b %Y}" if d.month == 1 else f"{d:%b}"


def _kpi_axes(fig):
    """The explorer's Axes: made once, then emptied and reused on every redraw.

    Creating an Axes and its ticks is a large part of a redraw's cost (see
    :func:`crmkit.widgets._core.empty_axes`); what never changes (margins,
    grid, the month axis) is set here, the rest by :func:`_render` every time.
    """
    ax = getattr(fig, "_crmkit_kpi_axes", None)
    if ax is not None and ax in fig.axes:
        return empty_axes(ax)
    ax = fig.subplots(gridspec_kw=exact_margins(fig, 0.8, 2.75, 0.55, 0.35))
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    ax.xaxis.set_major_formatter(FuncFormatter(_quarter_label))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))  # fewer labels
    ax.grid(alpha=0.3)
    ax.set_axisbelow(True)
    fig._crmkit_kpi_axes = ax
    return ax


def _render(fig, kpis, kpi, window, threshold):
    values, unit = kpi_series(kpis, kpi)
    x = kpis["period_start"]
    band = kpi_alerts(
        kpis.assign(**{kpi: values}),
        window=window,
        threshold=threshold,
        columns=[kpi],
        all_periods=True,
    )
    alerts = band[band["alert"].to_numpy(dtype=bool)]
    ax = _kpi_axes(fig)
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
    if kpi == "focus_group_reports":
        ax.bar(x, values, width=20, color=OKABE_ITO["blue"], label="the KPI")
    else:
        ax.plot(
            x,
            values,
            color=OKABE_ITO["blue"],
            marker="o",
            markersize=3.5,
            linewidth=1.6,
            label="the KPI",
        )
    pos = {p: i for i, p in enumerate(kpis["period"])}
    for judgement, part in alerts.groupby("judgement"):
        idx = [pos[p] for p in part["period"]]
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
    bad = KPI_BAD_DIRECTION.get(kpi, 0)
    hint = {1: " (lower is better)", -1: " (higher is better)"}.get(bad, "")
    ax.set_title(f"{title}{hint}, per month", fontsize=11, y=1.0)
    ax.set_ylabel(unit)
    ax.set_xlabel("month")
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return _summary(kpis, kpi, alerts, window, threshold, unit)


def _summary(kpis, kpi, alerts, window, threshold, unit):
    title = KPI_LABELS.get(kpi, (kpi,))[0]
    counts = alerts["judgement"].value_counts()
    parts = ", ".join(f"{counts[j]} {j}" for j in ("worse", "better", "watch") if j in counts)
    head = (
        f"<p><b>{html.escape(title)}: {len(alerts)} alert month(s)</b>"
        f"{' (' + parts + ')' if parts else ''} out of {len(kpis)} months, with a baseline of "
        f"{window} months and a corridor of ± {threshold:g} spreads. Values: "
        f"{html.escape(unit)}.</p>"
    )
    note = ""
    if kpi == "focus_group_reports":
        note = (
            "<p><i>Focus groups meet once a quarter, so a monthly baseline mixes months with "
            "and without a session: judge this KPI per quarter, and read what the groups "
            "said.</i></p>"
        )
    elif kpi == "invoices_due":
        note = "<p><i>A volume, neither good nor bad: alerts are marked 'watch'.</i></p>"
    if alerts.empty:
        return head + note + "<p>No month left its corridor: nothing to act on.</p>"
    rows = "".join(
        f"<tr><td>{r.period}</td><td style='text-align:right'>{r.value:,.1f}</td>"
        f"<td style='text-align:right'>{r.baseline:,.1f}</td>"
        f"<td style='text-align:right'>{_z(r.z)}</td><td>{html.escape(r.judgement)}</td></tr>"
        for r in alerts.tail(12).itertuples()
    )
    more = f"<p><small>The last 12 of {len(alerts)} alerts.</small></p>" if len(alerts) > 12 else ""
    return (
        head + note + "<table class='crmkit-table'><thead><tr><th>month</th><th>value</th>"
        "<th>baseline</th><th>spreads away</th><th>judgement</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>{more}"
    )


def _z(z):
    return "∞ (flat baseline)" if not np.isfinite(z) else f"{z:+.1f}"


def _options(kpis):
    return [
        (KPI_LABELS.get(c, (c,))[0], c)
        for c in KPI_COLUMNS
        if c in kpis.columns and kpis[c].notna().any()
    ]


def _check(kpis, kpi, window, threshold, func):
    check_choice(kpi, "kpi", tuple(v for _, v in _options(kpis)), func)
    if isinstance(window, bool) or not isinstance(window, int) or not 2 <= window <= 12:
        raise ValueError(
            f"{func}: `window` must be a whole number of months, 2 to 12; got {window!r}."
        )
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, int | float)
        or not (0.5 <= threshold <= 4)
    ):
        raise ValueError(f"{func}: `threshold` must be a number from 0.5 to 4; got {threshold!r}.")


def kpi_explorer(world, *, kpi="complaints", window=3, threshold=2.0):
    """A widget: one loyalty KPI over time, its alert corridor and the alert months.

    Controls: the KPI (source 001's list), the baseline window (months) and
    the alert threshold (spreads). Shows the KPI (counts per 1,000 active
    customers, shares in %), its baseline, the corridor and the alert months
    coloured by judgement (worse, better, watch), and lists the alerts.

    Parameters
    ----------
    world : crmkit.World
        The KPIs are computed once, when the widget is built.
    kpi : str, default="complaints"
        One of :data:`crmkit.metrics.kpis.KPI_COLUMNS`.
    window : int, default=3
        Months in the baseline, 2 to 12.
    threshold : float, default=2.0
        Corridor half-width in spreads, 0.5 to 4.

    Returns
    -------
    ipywidgets.VBox
        With ``controls``, ``update()``, ``image`` and ``summary``.

    Examples
    --------
    >>> import crmkit
    >>> w = kpi_explorer(crmkit.make_world(300, random_state=0))
    >>> sorted(w.controls)
    ['kpi', 'threshold', 'window']
    """
    func = "kpi_explorer"
    kpis = prepare_kpis(world)
    _check(kpis, kpi, window, threshold, func)
    controls = {
        "kpi": dropdown("Loyalty KPI", _options(kpis), kpi),
        "window": slider("Baseline (months)", int(window), 2, 12, 1, integer=True),
        "threshold": slider(
            "Alert threshold (spreads)", float(threshold), 0.5, 4.0, 0.25, fmt=".2f"
        ),
    }

    def render(fig, kpi, window, threshold):
        return _render(fig, kpis, kpi, window, threshold)

    return live_panel(
        "Loyalty KPIs: what is unusual this month? (source 001, strategy 7)",
        controls,
        render,
        figsize=(9.5, 4.0),
        layout=None,
        clear=False,
        note="A month outside the shaded corridor is an alert: worth a look and, if it is "
        "real, a corrective action.",
    )


def kpi_explorer_figure(world, *, kpi="complaints", window=3, threshold=2.0, kpis=None, fig=None):
    """The explorer's figure at fixed values (a static view).

    Parameters
    ----------
    world : crmkit.World
    kpi, window, threshold
        As in :func:`kpi_explorer`.
    kpis : DataFrame, optional
        Precomputed :func:`prepare_kpis` output.
    fig : matplotlib.figure.Figure, optional
        Default: a new pyplot figure.

    Returns
    -------
    tuple (matplotlib.figure.Figure, DataFrame)
        The figure and the alerts (:func:`crmkit.metrics.kpis.kpi_alerts` on
        the drawn values).
    """
    import matplotlib.pyplot as plt

    if kpis is None:
        kpis = prepare_kpis(world)
    _check(kpis, kpi, window, threshold, "kpi_explorer_figure")
    if fig is None:
        fig = plt.figure(figsize=(9.5, 4.0), layout="constrained")
    _render(fig, kpis, kpi, window, threshold)
    values, _ = kpi_series(kpis, kpi)
    alerts = kpi_alerts(
        kpis.assign(**{kpi: values}), window=window, threshold=threshold, columns=[kpi]
    )
    return fig, alerts


WIDGETS = {"kpi_explorer": kpi_explorer}
