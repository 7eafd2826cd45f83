"""Acquisition planning: split a budget across channels, see the customers it should win.

Source 002 manages customers through acquisition, development and retention, and
makes new customers aware of the product by email, print and electronic media,
TV and web advertising and free samples.

`acquisition_explorer`
    the widget: a budget slider and one weight slider per channel;
`acquisition_explorer_figure`
    its static twin: the measured cost per acquisition by channel.

The numbers come from `crmkit.metrics.acquisition` (`channel_rates`: the
measured cost per contact and conversion of each channel; `plan_acquisition`:
a budget and its split -> expected new customers), the bars from
`crmkit.plots.acquisition.plot_acquisition_plan`. The plan is linear: real
channels saturate, so read a plan far from the company's current spending as
an upper bound.
"""

from __future__ import annotations

import html

import numpy as np
from matplotlib.figure import Figure

from crmkit import concepts
from crmkit.metrics.acquisition import (  # noqa: F401  (their old home: notebooks import them here)
    channel_rates,
    monthly_acquisition_budget,
    plan_acquisition,
    spend_weights,
)
from crmkit.plots.acquisition import PLAN_VIEWS as VIEWS
from crmkit.plots.acquisition import plot_acquisition_plan
from crmkit.plots.style import category_palette
from crmkit.widgets._core import dropdown, live_panel, reused_axes, slider

__all__ = [
    "VIEWS",
    "channel_rates",
    "plan_acquisition",
    "acquisition_explorer",
    "acquisition_explorer_figure",
    "WIDGETS",
]

_NAMES = concepts.labels(concepts.CHANNELS)
_GRID = dict(left=0.2, right=0.95, bottom=0.15, top=0.88)


def _summary_html(plan, rates) -> str:
    total = plan.iloc[-1]
    rows = plan[plan["channel"] != "total"].merge(
        rates[["channel", "contact_cost", "conversion_rate"]], on="channel"
    )
    best = rates.dropna(subset=["cost_per_acquisition"])
    cheapest = (
        _NAMES.get(best.loc[best["cost_per_acquisition"].idxmin(), "channel"], "")
        if len(best)
        else ""
    )
    cells = "".join(
        f"<tr><td>{html.escape(_NAMES.get(r.channel, r.channel))}</td>"
        f"<td>{r.spend:,.0f}</td><td>{r.contact_cost:,.2f}</td>"
        f"<td>{r.conversion_rate:.1%}</td><td>{r.new_customers:,.1f}</td></tr>"
        for r in rows.itertuples(index=False)
    )
    cpa = total["cost_per_acquisition"]
    return (
        f"<p><b>{total['new_customers']:,.0f} new customers expected</b> for "
        f"{total['spend']:,.0f}"
        + (f" ({cpa:,.0f} per customer)" if np.isfinite(cpa) else "")
        + f". Cheapest channel per customer in the data: <b>{html.escape(cheapest)}</b>.</p>"
        "<table><thead><tr><th>channel</th><th>spend</th><th>cost per contact</th>"
        "<th>conversion (measured)</th><th>expected new customers</th></tr></thead>"
        f"<tbody>{cells}</tbody></table>"
        "<p><small>Linear plan: every contact converts at the measured rate; real channels "
        "saturate, so large shifts are optimistic.</small></p>"
    )


def acquisition_explorer_figure(world, *, figsize=(7.5, 4.0)):
    """Static twin of the widget: the measured cost per acquisition by channel.

    It is the plan of the company's own spending split (one month's average
    budget); the bars are the measured cost per acquired customer.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.rates`` holds the table of `crmkit.metrics.acquisition.channel_rates`.
    """
    rates = channel_rates(world.customers, world.campaigns)
    budget = monthly_acquisition_budget(rates, world.campaigns)
    plan = plan_acquisition(rates, budget, spend_weights(rates))
    fig = Figure(figsize=figsize)
    fig.set_layout_engine(None)
    plot_acquisition_plan(plan, view="cost_per_acquisition", ax=fig.subplots(gridspec_kw=_GRID))
    fig.rates = rates
    return fig


def acquisition_explorer(world, *, budget=None):
    """Widget: split a monthly acquisition budget across channels.

    Parameters
    ----------
    world : crmkit.World
        Its customers and acquisition campaigns give the measured cost per
        contact and conversion rate of each channel (computed once).
    budget : float, optional
        Starting budget; default the company's average monthly acquisition
        spend.

    Returns
    -------
    ipywidgets.VBox
        A view dropdown (expected new customers, cost per acquired customer,
        spend), a budget slider and one weight slider per channel (0-100,
        starting at the company's own split). The summary lists the plan.
    """
    rates = channel_rates(world.customers, world.campaigns)
    if budget is None:
        budget = monthly_acquisition_budget(rates, world.campaigns)
    start_budget = float(budget)
    top = max(20000.0, 4 * start_budget)
    palette = category_palette(concepts.keys(concepts.CHANNELS))
    shares = spend_weights(rates)
    controls = {
        "view": dropdown("Show", [(label, key) for key, (label, _) in VIEWS.items()]),
        "budget": slider("Budget for the month", start_budget, 0, top, 500, fmt=",.0f"),
    }
    for c in rates["channel"]:
        controls[c] = slider(
            f"Weight: {_NAMES.get(c, c)}", int(shares.get(c, 0)), 0, 100, 1, integer=True
        )

    def render(fig, view, budget, **weights):
        fig.set_layout_engine(None)  # a layout engine would draw the figure twice
        ax = reused_axes(fig, _GRID, "plan")
        ax.set_axis_on()
        if sum(weights.values()) <= 0:
            ax.set_axis_off()
            ax.text(
                0.5, 0.5, "Give at least one channel a weight above 0.", ha="center",
                transform=ax.transAxes,
            )  # fmt: skip
            return "<p>Every channel has a weight of 0: move at least one weight slider up.</p>"
        plan = plan_acquisition(rates, float(budget), weights)
        plot_acquisition_plan(plan, view=view, palette=palette, ax=ax)
        return _summary_html(plan, rates)

    return live_panel(
        "Acquisition budget planner",
        controls,
        render,
        figsize=(7.5, 4.0),
        layout=None,
        clear=False,
        note="Weights are relative (they are turned into shares of the budget); they start "
        "at the company's own split of its acquisition spending.",
    )


WIDGETS = {"acquisition_explorer": acquisition_explorer}
