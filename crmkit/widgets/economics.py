"""Retention economics: what five more points of retention are worth (source 001).

Source 001 quotes Frederick Reichheld (Bain & Company): in life insurance, a 5%
rise in customer retention cut the cost per policy by 18%. The simulator lets a
learner change the assumptions behind that arithmetic (retention, margin per
year, acquisition cost, discount rate) and see the lifetime profit and the cost
per customer-year before and after a rise of five points, beside Reichheld's
own example.

`retention_simulator`
    the widget;
`retention_simulator_figure`
    its static twin (at Reichheld's assumptions by default);
`economics_curve`, `economics_summary`
    the plain functions behind it (a grid of `retention_economics` rows and the
    before/after table).

The model is `crmkit.metrics.value.retention_economics`; the figure is
`crmkit.plots.value.plot_retention_economics`.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from crmkit.metrics.value import REICHHELD_ASSUMPTIONS, reichheld_example, retention_economics
from crmkit.plots.style import OKABE_ITO
from crmkit.plots.value import plot_retention_economics
from crmkit.widgets._core import dropdown, live_panel, slider

__all__ = [
    "RETENTION_RANGE",
    "economics_curve",
    "economics_summary",
    "retention_simulator",
    "retention_simulator_figure",
    "WIDGETS",
]

#: Retention values (per year) the curves span; the slider stays inside, so that
#: retention + 5 points stays below 100%.
RETENTION_RANGE = (0.50, 0.94)

_A = REICHHELD_ASSUMPTIONS
_TITLES = {"cost": "Cost per customer-year", "profit": "Lifetime profit per customer"}


def economics_curve(
    retention,
    *,
    margin,
    acquisition_cost,
    discount_rate,
    servicing_cost=_A["servicing_cost"],
    retention_rise=_A["retention_rise"],
):
    """`retention_economics` on a grid of retention values that contains ``retention``.

    Parameters
    ----------
    retention : float
        The retention per year to highlight, in `RETENTION_RANGE`.
    margin, acquisition_cost, discount_rate, servicing_cost : float
        As in `crmkit.metrics.value.retention_economics` (per customer and year).
    retention_rise : float, default=0.05
        The rise compared, in points (0.05 = five points).

    Returns
    -------
    pandas.DataFrame
        The columns of `retention_economics`, one row per retention value from
        50% to 94% in steps of half a point, plus ``retention`` itself.

    Examples
    --------
    >>> curve = economics_curve(0.8, margin=400, acquisition_cost=900, discount_rate=0.1)
    >>> row = curve.loc[curve["retention"] == 0.8].iloc[0]
    >>> round(float(row["cost_change"]), 2)
    -0.18
    """
    lo, hi = RETENTION_RANGE
    if isinstance(retention, bool) or not isinstance(retention, int | float):
        raise TypeError(f"economics_curve: `retention` must be a number; got {retention!r}.")
    if not lo <= retention <= hi:
        raise ValueError(
            f"economics_curve: `retention` must be between {lo} and {hi} (so that five more "
            f"points stay below 100%); got {retention}."
        )
    grid = np.unique(np.r_[np.round(np.arange(lo, hi + 1e-9, 0.005), 3), float(retention)])
    return retention_economics(
        grid,
        margin=margin,
        acquisition_cost=acquisition_cost,
        servicing_cost=servicing_cost,
        discount_rate=discount_rate,
        retention_rise=retention_rise,
    )


def economics_summary(row) -> pd.DataFrame:
    """Before/after table of one row of `retention_economics`.

    Parameters
    ----------
    row : pandas.Series
        One row of `crmkit.metrics.value.retention_economics`.

    Returns
    -------
    pandas.DataFrame
        Index: retention per year, expected lifetime (years), lifetime profit and
        cost per customer-year; columns ``before``, ``after`` and ``change``
        (relative, NaN for retention and lifetime, which are read directly).

    Examples
    --------
    >>> ex = reichheld_example()
    >>> economics_summary(ex).loc["cost per customer-year", "change"].round(2)
    np.float64(-0.18)
    """
    return pd.DataFrame(
        {
            "before": [
                row["retention"],
                row["expected_lifetime"],
                row["lifetime_profit"],
                row["cost_per_customer_year"],
            ],
            "after": [
                row["retention_after"],
                row["expected_lifetime_after"],
                row["lifetime_profit_after"],
                row["cost_per_customer_year_after"],
            ],
            "change": [np.nan, np.nan, row["profit_change"], row["cost_change"]],
        },
        index=pd.Index(
            [
                "retention per year",
                "expected lifetime (years)",
                "lifetime profit",
                "cost per customer-year",
            ],
            name="per customer",
        ),
    ).astype(float)


def _summary_html(row) -> str:
    table = economics_summary(row)
    fmt = {
        "retention per year": lambda v: f"{v:.0%}",
        "expected lifetime (years)": lambda v: f"{v:.1f}",
        "lifetime profit": lambda v: f"{v:,.0f}",
        "cost per customer-year": lambda v: f"{v:,.0f}",
    }
    cells = "".join(
        f"<tr><td>{html.escape(name)}</td><td>{fmt[name](r.before)}</td>"
        f"<td>{fmt[name](r.after)}</td>"
        f"<td>{'' if np.isnan(r.change) else f'{r.change:+.0%}'}</td></tr>"
        for name, r in table.iterrows()
    )
    return (
        "<table><thead><tr><th>per customer</th><th>before</th><th>after +5 points</th>"
        f"<th>change</th></tr></thead><tbody>{cells}</tbody></table>"
        "<p><small>Reichheld's example (source 001): 80% &rarr; 85% retention cut the "
        "cost per policy by 18% (kit's assumptions: margin 400, acquisition cost 900, "
        "servicing 70 a year, discount rate 10%).</small></p>"
    )


def _draw(fig, curve, retention, reference, metrics=("cost", "profit")):
    """The panels (cost per customer-year, lifetime profit), with Reichheld's point.

    The layout is set by hand: with a layout engine, matplotlib draws the figure
    twice per PNG, which would more than double the time of a widget callback.
    """
    fig.set_layout_engine(None)
    two = len(metrics) == 2
    axes = fig.subplots(
        1,
        len(metrics),
        squeeze=False,
        gridspec_kw=dict(
            left=0.08 if two else 0.12, right=0.98, bottom=0.13, top=0.92, wspace=0.28
        ),
    )[0]
    ref = reichheld_example()
    for ax, metric in zip(axes, metrics, strict=True):
        plot_retention_economics(curve, metric=metric, highlight=retention, ax=ax)
        col = "cost_per_customer_year" if metric == "cost" else "lifetime_profit"
        if reference:
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
        _keep_note_inside(ax, retention, metric)
        ax.yaxis.set_major_locator(MaxNLocator(6))
        ax.legend(
            frameon=False, fontsize="small", loc="upper right" if metric == "cost" else "upper left"
        )
        ax.title.set_fontsize("medium")
        ax.set_title(_TITLES[metric])
    return axes


def _keep_note_inside(ax, retention, metric):
    """Move the plot's "80% -> 85%" note to a free corner, so it never leaves the axes.

    The cost curve falls from the upper left, so its lower-left corner is free;
    the profit curve rises to the upper right, so its lower-right corner is.
    """
    for text in ax.texts:
        if getattr(text, "xyann", None) is not None and text.get_text():
            text.set_anncoords("axes fraction")
            text.xyann = (0.03, 0.05) if metric == "cost" else (0.97, 0.05)
            text.set_horizontalalignment("left" if metric == "cost" else "right")
            text.set_verticalalignment("bottom")


def retention_simulator_figure(
    retention=_A["retention"],
    *,
    margin=_A["margin"],
    acquisition_cost=_A["acquisition_cost"],
    discount_rate=_A["discount_rate"],
    figsize=(10, 4.2),
):
    """Static twin of the widget: both panels at the given assumptions.

    By default Reichheld's example as the kit reconstructs it
    (`crmkit.metrics.value.REICHHELD_ASSUMPTIONS`): 80% -> 85% retention cuts
    the cost per customer-year by 18%.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.summary`` holds the table of `economics_summary`.
    """
    curve = economics_curve(
        retention, margin=margin, acquisition_cost=acquisition_cost, discount_rate=discount_rate
    )
    fig = Figure(figsize=figsize, layout="constrained")
    _draw(fig, curve, retention, reference=True)
    row = curve.loc[np.isclose(curve["retention"], retention)].iloc[0]
    fig.summary = economics_summary(row)
    return fig


def retention_simulator(world=None, *, retention=None, margin=None, acquisition_cost=None):
    """Widget: lifetime profit and cost per customer-year before and after +5 points.

    Parameters
    ----------
    world : crmkit.World, optional
        Not needed (the model runs on assumptions); accepted so that every
        builder of the registry is called the same way.
    retention, margin, acquisition_cost : float, optional
        Starting values; default Reichheld's example (80%, 400, 900 a year).

    Returns
    -------
    ipywidgets.VBox
        A dropdown (the curve shown: cost per customer-year or lifetime
        profit) and sliders: retention per year, margin per customer-year,
        acquisition cost, discount rate. Figure: the curve with the chosen
        point, its five-point rise and Reichheld's example (black rings).
        Summary: the before/after table of both measures.
    """
    lo, hi = RETENTION_RANGE
    controls = {
        "metric": dropdown("Curve", [(title, key) for key, title in _TITLES.items()]),
        "retention": slider(
            "Retention per year", retention or _A["retention"], lo, hi, 0.01, percent=True
        ),
        "margin": slider(
            "Margin per customer-year", margin or _A["margin"], 50, 1500, 25, fmt=",.0f"
        ),
        "acquisition_cost": slider(
            "Acquisition cost per customer",
            _A["acquisition_cost"] if acquisition_cost is None else acquisition_cost,
            0,
            3000,
            50,
            fmt=",.0f",
        ),
        "discount_rate": slider(
            "Discount rate per year", _A["discount_rate"], 0, 0.25, 0.01, percent=True
        ),
    }

    def render(fig, metric, retention, margin, acquisition_cost, discount_rate):
        retention = float(np.clip(round(retention, 3), lo, hi))
        curve = economics_curve(
            retention,
            margin=margin,
            acquisition_cost=acquisition_cost,
            discount_rate=discount_rate,
        )
        _draw(fig, curve, retention, reference=True, metrics=(metric,))
        row = curve.loc[np.isclose(curve["retention"], retention)].iloc[0]
        return _summary_html(row)

    return live_panel(
        "Retention economics: what five more points are worth",
        controls,
        render,
        figsize=(7.5, 4.2),
        note="Servicing costs 70 a year per customer, as in the kit's reading of Reichheld's "
        "example; retention rises by five points. The table gives both the cost and the "
        "profit; the curve shows one of them.",
    )


WIDGETS = {"retention_simulator": retention_simulator}
