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
`retention_simulator_page`
    what the static site needs to run it in the browser (see `crmkit.widgets._live`).

The numbers come from `crmkit.metrics.value` (`economics_curve`: a grid of
`retention_economics` rows; `economics_summary`: the before/after table), the
panels from `crmkit.plots.value.plot_retention_simulator`.
"""

from __future__ import annotations

import html

import numpy as np
from matplotlib.figure import Figure

from crmkit.metrics.value import (  # noqa: F401  (their old home: notebooks import them here)
    REICHHELD_ASSUMPTIONS,
    RETENTION_RANGE,
    economics_curve,
    economics_summary,
    reichheld_example,
)
from crmkit.plots.style import OKABE_ITO, PALETTE
from crmkit.plots.value import ECONOMICS_TITLES, plot_retention_simulator
from crmkit.widgets._core import dropdown, live_panel, reused_axes, slider
from crmkit.widgets._live import with_page_data

__all__ = [
    "RETENTION_RANGE",
    "economics_curve",
    "economics_summary",
    "retention_simulator",
    "retention_simulator_figure",
    "retention_simulator_page",
    "WIDGETS",
]

_A = REICHHELD_ASSUMPTIONS
_FORMATS = {
    "retention per year": lambda v: f"{v:.0%}",
    "expected lifetime (years)": lambda v: f"{v:.1f}",
    "lifetime profit": lambda v: f"{v:,.0f}",
    "cost per customer-year": lambda v: f"{v:,.0f}",
}


_TITLE = "Retention economics: what five more points are worth"
_NOTE = (
    "Servicing costs 70 a year per customer, as in the kit's reading of Reichheld's "
    "example; retention rises by five points. The table gives both the cost and the "
    "profit; the curve shows one of them."
)
_REFERENCE_NOTE = (
    "Reichheld's example (source 001): 80% &rarr; 85% retention cut the "
    "cost per policy by 18% (kit's assumptions: margin 400, acquisition cost 900, "
    "servicing 70 a year, discount rate 10%)."
)
#: The sliders: key -> (label, low, high, step, shown as a percentage).
_SLIDERS = {
    "retention": ("Retention per year", *RETENTION_RANGE, 0.01, True),
    "margin": ("Margin per customer-year", 50, 1500, 25, False),
    "acquisition_cost": ("Acquisition cost per customer", 0, 3000, 50, False),
    "discount_rate": ("Discount rate per year", 0, 0.25, 0.01, True),
}
#: The figure's axis labels (as `crmkit.plots.value.plot_retention_economics` sets them).
_YLABELS = {
    "cost": "Cost per customer-year (currency units)",
    "profit": "Lifetime profit per customer (currency units)",
}


def _change(name, r) -> str:
    if name == "retention per year":  # a rate moves in points: +5 points, not +6%
        return f"{100 * (r.after - r.before):+.0f} points"
    return "&mdash;" if np.isnan(r.change) else f"{r.change:+.0%}"


def _summary_html(row) -> str:
    table = economics_summary(row)
    cells = "".join(
        f"<tr><td>{html.escape(name)}</td><td>{_FORMATS[name](r.before)}</td>"
        f"<td>{_FORMATS[name](r.after)}</td><td>{_change(name, r)}</td></tr>"
        for name, r in table.iterrows()
    )
    return (
        "<table><thead><tr><th>per customer</th><th>before</th><th>after +5 points</th>"
        f"<th>change</th></tr></thead><tbody>{cells}</tbody></table>"
        f"<p><small>{_REFERENCE_NOTE}</small></p>"
    )


def _grid(two):
    """Margins set by hand: a layout engine would draw the figure twice per PNG."""
    return dict(left=0.08 if two else 0.12, right=0.98, bottom=0.13, top=0.92, wspace=0.28)


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
        ``fig.summary`` holds the table of `crmkit.metrics.value.economics_summary`.
    """
    curve = economics_curve(
        retention, margin=margin, acquisition_cost=acquisition_cost, discount_rate=discount_rate
    )
    fig = Figure(figsize=figsize)
    fig.set_layout_engine(None)  # fixed margins, as in the widget
    axes = fig.subplots(1, 2, gridspec_kw=_grid(True))
    for ax, metric in zip(axes, ("cost", "profit"), strict=True):
        plot_retention_simulator(curve, metric=metric, retention=retention, ax=ax)
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
    start = _start(retention, margin, acquisition_cost)
    controls = {
        "metric": dropdown("Curve", [(title, key) for key, title in ECONOMICS_TITLES.items()]),
    }
    for key, (label, low, high, step, percent) in _SLIDERS.items():
        controls[key] = slider(label, start[key], low, high, step, percent=percent, fmt=",.0f")

    def render(fig, metric, retention, margin, acquisition_cost, discount_rate):
        retention = float(np.clip(round(retention, 3), lo, hi))
        curve = economics_curve(
            retention,
            margin=margin,
            acquisition_cost=acquisition_cost,
            discount_rate=discount_rate,
        )
        fig.set_layout_engine(None)
        ax = reused_axes(fig, _grid(False), "curve")
        plot_retention_simulator(curve, metric=metric, retention=retention, ax=ax)
        row = curve.loc[np.isclose(curve["retention"], retention)].iloc[0]
        return _summary_html(row)

    box = live_panel(
        _TITLE, controls, render, figsize=(7.5, 4.2), layout=None, clear=False, note=_NOTE
    )
    return with_page_data(box, "retention", lambda: retention_simulator_page(**start))


def _start(retention=None, margin=None, acquisition_cost=None, discount_rate=None):
    """The sliders' starting values: the given ones, else Reichheld's example."""
    return {
        "retention": retention or _A["retention"],
        "margin": margin or _A["margin"],
        "acquisition_cost": _A["acquisition_cost"] if acquisition_cost is None
        else acquisition_cost,
        "discount_rate": _A["discount_rate"] if discount_rate is None else discount_rate,
    }  # fmt: skip


def retention_simulator_page(
    retention=None, *, margin=None, acquisition_cost=None, discount_rate=None
) -> dict:
    """What the static site needs to run `retention_simulator` in the browser.

    The page computes `crmkit.metrics.value.retention_economics` again in a few
    lines of JavaScript (its closed form, no horizon); a browser test compares
    the page's table with `economics_summary` over a grid of settings.

    Returns
    -------
    dict
        JSON values: the title and note, the sliders (label, range, step,
        starting value), the curve choices, the fixed assumptions (servicing
        cost, rise), the retention grid of `economics_curve`, Reichheld's
        example, the table's row names and the figure's labels and colours.

    Examples
    --------
    >>> page = retention_simulator_page(0.8)
    >>> page["sliders"][0]["key"], page["sliders"][0]["value"]
    ('retention', 0.8)
    """
    start = _start(retention, margin, acquisition_cost, discount_rate)
    ref = reichheld_example()
    curve = economics_curve(
        RETENTION_RANGE[0],
        margin=start["margin"],
        acquisition_cost=start["acquisition_cost"],
        discount_rate=start["discount_rate"],
    )
    return {
        "title": _TITLE,
        "note": _NOTE,
        "sliders": [
            {"key": key, "label": label, "min": low, "max": high, "step": step,
             "percent": percent, "value": float(start[key])}
            for key, (label, low, high, step, percent) in _SLIDERS.items()
        ],  # fmt: skip
        "curves": [[key, title] for key, title in ECONOMICS_TITLES.items()],
        "servicing_cost": float(_A["servicing_cost"]),
        "retention_rise": float(_A["retention_rise"]),
        "grid": curve["retention"].tolist(),
        "reference": {
            "retention": float(ref["retention"]),
            "retention_after": float(ref["retention_after"]),
            "cost": float(ref["cost_per_customer_year"]),
            "cost_after": float(ref["cost_per_customer_year_after"]),
            "profit": float(ref["lifetime_profit"]),
            "profit_after": float(ref["lifetime_profit_after"]),
        },
        "reference_note": html.unescape(_REFERENCE_NOTE),
        "rows": list(_FORMATS),
        "xlabel": "Retention per year (%)",
        "ylabels": _YLABELS,
        "colours": {"curve": PALETTE[3], "point": OKABE_ITO["vermillion"],
                    "reference": OKABE_ITO["black"]},  # fmt: skip
    }


WIDGETS = {"retention_simulator": retention_simulator}
