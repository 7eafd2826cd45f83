"""Watch a loyalty KPI month by month, with its alert corridor (source 001; strategy 7).

Source 001 asks a company to measure, report and discuss the loyalty KPIs
(defections, complaints, positive feedback, focus-group reports, feedback from
care staff, complaint handling, cash collection); strategy 7 of source 000
asks for continuous monitoring and corrective action. :func:`kpi_explorer`
draws one KPI over time with its baseline (the mean of the previous months),
the corridor inside which a month is "as usual", and the months that leave
it, as :func:`crmkit.metrics.kpis.kpi_alerts` flags them.

The KPIs are computed once per world (:func:`crmkit.metrics.kpis.prepare_kpis`);
the widget only recomputes the alerts, and draws them with
:func:`crmkit.plots.kpis.plot_kpi_corridor`. The static twin of the lesson is the dashboard grid,
:func:`crmkit.plots.kpis.plot_kpi_dashboard`; :func:`kpi_explorer_figure`
draws the explorer's own figure at fixed values.
"""

from __future__ import annotations

import html

import numpy as np

from crmkit._checks import check_choice
from crmkit.metrics.kpis import KPI_COLUMNS, KPI_LABELS, kpi_alerts, kpi_series, prepare_kpis
from crmkit.plots.kpis import plot_kpi_corridor
from crmkit.widgets._core import dropdown, exact_margins, live_panel, reused_axes, slider

__all__ = [
    "WIDGETS",
    "kpi_explorer",
    "kpi_explorer_figure",
    "kpi_series",
    "prepare_kpis",
]


def _render(fig, kpis, kpi, window, threshold):
    values, unit = kpi_series(kpis, kpi)
    band = kpi_alerts(
        kpis.assign(**{kpi: values}),
        window=window,
        threshold=threshold,
        columns=[kpi],
        all_periods=True,
    )
    # the Axes is made once, then emptied and reused (kept in crmkit.widgets._core.kept)
    ax = reused_axes(fig, exact_margins(fig, 0.8, 2.75, 0.55, 0.35), "kpi")
    plot_kpi_corridor(
        band, dates=kpis["period_start"], unit=unit, window=window, threshold=threshold, ax=ax
    )
    alerts = band[band["alert"].to_numpy(dtype=bool)]
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
