"""Acquisition planning: split a budget across channels, see the customers it should win.

Source 002 manages customers through acquisition, development and retention, and
makes new customers aware of the product by email, print and electronic media,
TV and web advertising and free samples. The kit's acquisition campaigns run on
six channels; `crmkit.metrics.kpis.acquisition_by_channel` measures, for each,
how many people were contacted, how many became customers and what it cost.

`channel_rates`
    from that table, the two numbers a plan needs per channel: the cost of one
    contact and the share of contacts who become customers;
`plan_acquisition`
    a budget and its split across channels -> contacts, expected new customers
    and cost per acquisition per channel (a plain function, tested);
`acquisition_explorer`
    the widget: a budget slider and one share slider per channel;
`acquisition_explorer_figure`
    its static twin: the measured cost per acquisition by channel.

The plan is linear: each extra contact converts at the measured rate. Real
channels saturate (the hundredth advert reaches fewer new people than the
first), so read a plan far from the company's current spending as an upper
bound.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import StrMethodFormatter

from crmkit import concepts
from crmkit.metrics.kpis import acquisition_by_channel
from crmkit.plots.style import OKABE_ITO, annotate_bar_end, category_palette
from crmkit.widgets._core import dropdown, live_panel, slider

__all__ = [
    "VIEWS",
    "channel_rates",
    "plan_acquisition",
    "acquisition_explorer",
    "acquisition_explorer_figure",
    "WIDGETS",
]

_CHANNELS = concepts.keys(concepts.CHANNELS)
_NAMES = concepts.labels(concepts.CHANNELS)

#: What the widget's bars can show: plan column -> (label, axis label).
VIEWS: dict[str, tuple[str, str]] = {
    "new_customers": ("Expected new customers", "Expected new customers (count)"),
    "cost_per_acquisition": (
        "Cost per acquired customer",
        "Cost per acquired customer (currency units)",
    ),
    "spend": ("Spend", "Spend (currency units)"),
}


def channel_rates(customers, campaigns) -> pd.DataFrame:
    """Measured cost per contact and conversion rate of each acquisition channel.

    Parameters
    ----------
    customers, campaigns : pandas.DataFrame
        The world's tables (see `crmkit.metrics.kpis.acquisition_by_channel`).

    Returns
    -------
    pandas.DataFrame
        One row per channel, in `crmkit.concepts.CHANNELS` order: ``channel``,
        ``name``, ``reach``, ``new_customers``, ``spend`` (what the campaigns
        cost), ``contact_cost`` (spend / reach), ``conversion_rate`` (new
        customers / reach; 0 for a channel that won nobody),
        ``cost_per_acquisition`` (contact cost / conversion; NaN when nobody
        was won) and ``spend_share`` (of all acquisition spend).

    Examples
    --------
    >>> import crmkit
    >>> w = crmkit.make_world(600, random_state=0)
    >>> r = channel_rates(w.customers, w.campaigns)
    >>> r["channel"].tolist() == list(crmkit.concepts.keys(crmkit.concepts.CHANNELS))
    True
    """
    a = acquisition_by_channel(customers, campaigns)
    reach = a["reach"].astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        contact = (a["cost"] / reach).where(reach > 0)
        conversion = (a["new_customers"] / reach).where(reach > 0).fillna(0.0)
        cpa = (contact / conversion).where(conversion > 0)
    total = float(a["cost"].sum())
    out = pd.DataFrame(
        {
            "channel": a["channel"].astype(str),
            "name": a["channel"].astype(str).map(lambda c: _NAMES.get(c, c)),
            "reach": a["reach"].astype("int64"),
            "new_customers": a["new_customers"].astype("int64"),
            "spend": a["cost"].astype(float),
            "contact_cost": contact.astype(float),
            "conversion_rate": conversion.astype(float),
            "cost_per_acquisition": cpa.astype(float),
            "spend_share": (a["cost"] / total if total > 0 else a["cost"] * 0.0).astype(float),
        }
    )
    return out.reset_index(drop=True)


def plan_acquisition(rates, budget, shares) -> pd.DataFrame:
    """Split ``budget`` across channels and estimate the new customers it wins.

    Each channel gets ``budget x share / sum(shares)``; it buys ``spend /
    contact_cost`` contacts, of whom ``conversion_rate`` become customers.

    Parameters
    ----------
    rates : pandas.DataFrame
        From `channel_rates` (columns ``channel``, ``contact_cost``,
        ``conversion_rate``).
    budget : float
        Total budget (currency units), >= 0.
    shares : dict or pandas.Series
        ``{channel: weight}``, weights >= 0 (any scale: they are normalised);
        channels left out get nothing.

    Returns
    -------
    pandas.DataFrame
        One row per channel of ``rates`` and a last row ``"total"``: ``channel``,
        ``share`` (of the budget), ``spend``, ``contacts``, ``new_customers``
        (expected, not rounded) and ``cost_per_acquisition`` (spend / new
        customers; NaN when none are expected).

    Raises
    ------
    ValueError
        For a negative budget or weight, an unknown channel, or weights that
        are all zero.

    Examples
    --------
    >>> import pandas as pd
    >>> rates = pd.DataFrame({"channel": ["shop", "web"], "contact_cost": [12.0, 0.5],
    ...                       "conversion_rate": [0.08, 0.02]})
    >>> plan = plan_acquisition(rates, 1000, {"shop": 1, "web": 1})
    >>> plan[["channel", "spend", "new_customers"]].round(1)
      channel   spend  new_customers
    0    shop   500.0            3.3
    1     web   500.0           20.0
    2   total  1000.0           23.3
    """
    func = "plan_acquisition"
    if isinstance(budget, bool) or not isinstance(budget, int | float | np.number):
        raise TypeError(f"{func}: `budget` must be a number; got {budget!r}.")
    if not np.isfinite(budget) or budget < 0:
        raise ValueError(f"{func}: `budget` must be a number >= 0; got {budget}.")
    if isinstance(shares, pd.Series):
        shares = shares.to_dict()
    if not isinstance(shares, dict):
        raise TypeError(
            f"{func}: `shares` must be a dict {{channel: weight}}; got {type(shares).__name__}."
        )
    known = rates["channel"].astype(str).tolist()
    unknown = [c for c in shares if c not in known]
    if unknown:
        raise ValueError(f"{func}: unknown channel(s) {unknown}; the channels are {known}.")
    w = np.array([float(shares.get(c, 0.0)) for c in known])
    if (w < 0).any() or not np.isfinite(w).all():
        raise ValueError(f"{func}: the weights must be numbers >= 0; got {shares}.")
    if w.sum() <= 0:
        raise ValueError(
            f"{func}: every channel has a weight of 0; give at least one channel a share of "
            "the budget."
        )
    share = w / w.sum()
    spend = budget * share
    cost = rates["contact_cost"].to_numpy(dtype=float)
    conv = rates["conversion_rate"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        contacts = np.where(cost > 0, spend / cost, 0.0)
    contacts = np.nan_to_num(contacts)
    new = contacts * np.nan_to_num(conv)
    plan = pd.DataFrame(
        {
            "channel": known + ["total"],
            "share": np.r_[share, 1.0],
            "spend": np.r_[spend, spend.sum()],
            "contacts": np.r_[contacts, contacts.sum()],
            "new_customers": np.r_[new, new.sum()],
        }
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        plan["cost_per_acquisition"] = (plan["spend"] / plan["new_customers"]).where(
            plan["new_customers"] > 0
        )
    return plan


def _draw(fig, plan, view, colours):
    fig.set_layout_engine(None)
    ax = fig.subplots(gridspec_kw=dict(left=0.2, right=0.95, bottom=0.15, top=0.88))
    rows = plan[plan["channel"] != "total"]
    total = plan.iloc[-1]
    labels = [_NAMES.get(c, c) for c in rows["channel"]]
    values = rows[view].to_numpy(dtype=float)
    y = np.arange(len(rows))[::-1]
    ax.barh(y, np.nan_to_num(values), color=[colours[c] for c in rows["channel"]], height=0.65)
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
    if view == "cost_per_acquisition" and np.isfinite(total["cost_per_acquisition"]):
        ax.axvline(total["cost_per_acquisition"], color=OKABE_ITO["black"], linestyle="--", lw=1)
        annotate_bar_end(
            ax,
            f"whole plan: {total['cost_per_acquisition']:,.0f}",
            (total["cost_per_acquisition"], -0.85),
        )
    ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.grid(axis="x", alpha=0.3)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(VIEWS[view][1])
    ax.set_ylabel("Channel")
    cpa = total["cost_per_acquisition"]
    ax.set_title(
        f"Budget {total['spend']:,.0f}: about {total['new_customers']:,.0f} new customers"
        + (f", {cpa:,.0f} each" if np.isfinite(cpa) else ""),
        fontsize="medium",
    )
    return ax


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
        ``fig.rates`` holds the table of `channel_rates`.
    """
    rates = channel_rates(world.customers, world.campaigns)
    plan = plan_acquisition(rates, _monthly_budget(world, rates), _current_shares(rates))
    fig = Figure(figsize=figsize)
    _draw(fig, plan, "cost_per_acquisition", category_palette(_CHANNELS))
    fig.rates = rates
    return fig


def _months(world) -> int:
    acq = world.campaigns[world.campaigns["campaign_type"].astype("string") == "acquisition"]
    n = acq["start_date"].dt.to_period("M").nunique() if len(acq) else 1
    return max(int(n), 1)


def _monthly_budget(world, rates) -> float:
    """The company's average acquisition spend per month, rounded to 500."""
    per_month = rates["spend"].sum() / _months(world)
    return float(max(500.0, round(per_month / 500.0) * 500.0))


def _current_shares(rates) -> dict:
    return {c: round(100 * s) for c, s in zip(rates["channel"], rates["spend_share"], strict=True)}


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
    start_budget = _monthly_budget(world, rates) if budget is None else float(budget)
    top = max(20000.0, 4 * start_budget)
    colours = category_palette(_CHANNELS)
    shares = _current_shares(rates)
    controls = {
        "view": dropdown("Show", [(label, key) for key, (label, _) in VIEWS.items()]),
        "budget": slider("Budget for the month", start_budget, 0, top, 500, fmt=",.0f"),
    }
    for c in rates["channel"]:
        controls[c] = slider(
            f"Weight: {_NAMES.get(c, c)}", int(shares.get(c, 0)), 0, 100, 1, integer=True
        )

    def render(fig, view, budget, **weights):
        if sum(weights.values()) <= 0:
            ax = fig.subplots()
            ax.set_axis_off()
            ax.text(0.5, 0.5, "Give at least one channel a weight above 0.", ha="center")
            return "<p>Every channel has a weight of 0: move at least one weight slider up.</p>"
        plan = plan_acquisition(rates, float(budget), weights)
        _draw(fig, plan, view, colours)
        return _summary_html(plan, rates)

    return live_panel(
        "Acquisition budget planner",
        controls,
        render,
        figsize=(7.5, 4.0),
        note="Weights are relative (they are turned into shares of the budget); they start "
        "at the company's own split of its acquisition spending.",
    )


WIDGETS = {"acquisition_explorer": acquisition_explorer}
