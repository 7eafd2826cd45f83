"""Retention targeting: whom to keep, within a budget (sources 000 and 002).

Source 000's retention process starts with *discovery*: which customers are
worth keeping, by the value of their volume (regular buying, margin). Source
002 says whom to keep (committed, satisfied, innovative and profitable
customers) and lists *market optimisation* among the CRM tools for retention:
campaigns run across segments within a budget. This module turns that into a
small planning tool:

`retention_targeting`
    the widget: criteria sliders and a budget -> how many customers are
    targeted, what it costs and what it keeps;
`retention_targeting_figure`
    its static twin.

The numbers come from `crmkit.metrics.targeting` (`retention_base`: one row
per active customer with the chance of leaving; `target_customers`: criteria
and a budget -> the customers to target; `targeting_summary`), the charts from
`crmkit.plots.retention.plot_targeting` and `plot_targeted_by_stage`.
"""

from __future__ import annotations

import html

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure

from crmkit import concepts
from crmkit.metrics.targeting import (  # noqa: F401  (their old home: notebooks import them here)
    TARGETING_BANDS,
    retention_base,
    target_customers,
    targeted_by_stage,
    targeting_summary,
)
from crmkit.plots.retention import plot_targeted_by_stage, plot_targeting
from crmkit.widgets._core import live_panel, reused_axes, slider

__all__ = [
    "DEFAULTS",
    "TARGETING_BANDS",
    "retention_base",
    "target_customers",
    "targeting_summary",
    "retention_targeting",
    "retention_targeting_figure",
    "WIDGETS",
]

_STAGE_NAMES = concepts.labels(concepts.LIFECYCLE_STAGES)

#: The widget's starting criteria (and the static twin's).
DEFAULTS: dict = {
    "min_margin": 100.0,
    "min_satisfaction": 0,
    "committed_only": False,
    "budget": 5000.0,
    "cost_per_customer": 10.0,
    "churn_cut": 0.25,
}

#: Margins of the widget's one panel (the static twin has two).
_GRID = dict(left=0.12, right=0.97, bottom=0.14, top=0.86)


def _headline(targets) -> str:
    """The figure's title: how many are targeted, the cost and the margin kept."""
    if targets.empty:
        return ""
    s = targeting_summary(targets)
    return (
        f"{s['targeted']:,} of {s['eligible']:,} eligible customers targeted: "
        f"cost {s['cost']:,.0f}, margin kept {s['kept_margin']:,.0f}"
    )


def _summary_html(targets) -> str:
    s = targeting_summary(targets)
    if not s["eligible"]:
        return "<p>No customer meets these criteria: lower the margin or satisfaction bar.</p>"
    a = targets.attrs
    verdict = "pays for itself" if s["net"] > 0 else "costs more than it keeps"
    return (
        f"<p><b>{s['targeted']:,}</b> customers targeted of {s['eligible']:,} eligible; "
        f"the campaign costs <b>{s['cost']:,.0f}</b> and is expected to keep "
        f"<b>{s['kept_margin']:,.0f}</b> of margin over the next year: it "
        f"<b>{html.escape(verdict)}</b> (net {s['net']:+,.0f}).</p>"
        f"<p>{s['worth_it']:,} eligible customers are worth an offer of "
        f"{a['cost_per_customer']:,.0f} (their kept margin exceeds it)"
        + (
            f"; {s['unused_budget']:,.0f} of the budget is left unused."
            if s["unused_budget"] >= a["cost_per_customer"]
            else "."
        )
        + "</p>"
        + _stage_html(targets)
        + "<p><small>Chance of leaving: customers in the same lifecycle stage and "
        "satisfaction band, from the stage history. The offer's effect "
        f"(&minus;{a['churn_cut']:.0%} chance of leaving) is an assumption.</small></p>"
    )


def _stage_html(targets) -> str:
    counts = targeted_by_stage(targets)
    head = "".join(f"<th>{html.escape(_STAGE_NAMES[k])}</th>" for k in counts.index)
    cells = "".join(f"<td>{v:,}</td>" for v in counts.to_numpy())
    return (
        "<table><thead><tr><th>targeted, by stage</th>"
        f"{head}</tr></thead><tbody><tr><td></td>{cells}</tr></tbody></table>"
    )


def retention_targeting_figure(world, **criteria):
    """Static twin of the widget: the targeting plan at the default criteria.

    Parameters
    ----------
    world : crmkit.World
    **criteria
        Passed to `crmkit.metrics.targeting.target_customers` (defaults as in
        the widget).

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.targets`` holds the table of `target_customers` and
        ``fig.summary`` the dict of `targeting_summary`.
    """
    base = retention_base(world)
    targets = target_customers(base, **{**DEFAULTS, **criteria})
    fig = Figure(figsize=(10, 4.2))
    fig.set_layout_engine(None)  # a layout engine would draw the figure twice
    ax, bx = fig.subplots(
        1,
        2,
        gridspec_kw=dict(
            width_ratios=(1.6, 1), left=0.09, right=0.97, bottom=0.14, top=0.86, wspace=0.45
        ),
    )
    plot_targeting(targets, ax=ax)
    plot_targeted_by_stage(targets, ax=bx)
    if not targets.empty:
        fig.suptitle(_headline(targets), fontsize="medium")
    fig.targets = targets
    fig.summary = targeting_summary(targets)
    return fig


def retention_targeting(world, **criteria):
    """Widget: choose whom to retain and a budget, see the targeted customers and the payoff.

    Parameters
    ----------
    world : crmkit.World
        `crmkit.metrics.targeting.retention_base` is computed once, when the
        widget is built.
    **criteria
        Starting values for `crmkit.metrics.targeting.target_customers`
        (``min_margin``, ``min_satisfaction``, ``committed_only``, ``budget``,
        ``cost_per_customer``, ``churn_cut``).

    Returns
    -------
    ipywidgets.VBox
        Sliders for the criteria, the budget, the cost of one offer and its
        assumed effect; a checkbox "committed customers only". The figure shows
        the cumulative margin kept against the cost; the summary says whether
        the campaign pays and lists the targeted customers by stage.
    """
    base = retention_base(world)
    start = {**DEFAULTS, **criteria}
    top_margin = float(max(500.0, np.ceil(base["margin"].quantile(0.9) / 100) * 100))
    controls = {
        "min_margin": slider(
            "Min. margin, last 12 months", start["min_margin"], 0, top_margin, 25, fmt=",.0f"
        ),
        "min_satisfaction": slider(
            "Min. satisfaction (0 = any)", int(start["min_satisfaction"]), 0, 7, 1, integer=True
        ),
        "committed_only": W.Checkbox(
            value=bool(start["committed_only"]),
            description="Committed customers only",
            indent=False,
        ),
        "budget": slider("Campaign budget", start["budget"], 0, 30000, 250, fmt=",.0f"),
        "cost_per_customer": slider(
            "Cost of one offer", start["cost_per_customer"], 1, 60, 1, fmt=",.0f"
        ),
        "churn_cut": slider(
            "Offer cuts the chance of leaving by",
            start["churn_cut"],
            0.05,
            0.6,
            0.05,
            percent=True,
        ),
    }

    def render(fig, **values):
        targets = target_customers(base, **values)
        fig.set_layout_engine(None)  # a layout engine would draw the figure twice
        ax = reused_axes(fig, _GRID, "targeting")
        ax.set_axis_on()
        plot_targeting(targets, ax=ax)
        fig.suptitle(_headline(targets), fontsize="medium")
        return _summary_html(targets)

    return live_panel(
        "Retention targeting: whom to keep, within a budget",
        controls,
        render,
        figsize=(7.5, 4.2),
        layout=None,
        clear=False,
        note="Eligible customers are ranked by the margin they are likely to take away "
        "(margin of the last year x chance of leaving); the budget buys offers from the top.",
    )


WIDGETS = {"retention_targeting": retention_targeting}
