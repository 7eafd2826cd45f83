"""What would ending unwanted relationships do? A what-if widget (source 002).

Source 002 names the customers a business may let go (serial complainers,
consistently late payers, destructive customers, perpetual deal-seekers; the
kit adds *unprofitable* after cost-to-serve) and three ways to do it: raise the
price (a filter that keeps the profitable customers), redesign the product,
unbundle the offer. :func:`termination_explorer` plays one method on one
segment and shows customers, revenue, costs and profit before and after.

The numbers come from :func:`crmkit.metrics.termination.termination_candidates`
(computed once, when the widget is built) and
:func:`crmkit.metrics.termination.termination_what_if` (at every change).
:func:`termination_explorer_figure` is the static twin.
"""

from __future__ import annotations

import html
import weakref

import matplotlib.ticker as mticker
import numpy as np
import pandas as pd

from crmkit import concepts
from crmkit._checks import check_choice
from crmkit.metrics.termination import (
    METHODS,
    segment_mask,
    termination_candidates,
    termination_what_if,
)
from crmkit.plots.style import OKABE_ITO
from crmkit.widgets._core import dropdown, exact_margins, live_panel, slider

__all__ = [
    "SEGMENT_LABELS",
    "WIDGETS",
    "draw_what_if",
    "prepare_candidates",
    "termination_explorer",
    "termination_explorer_figure",
    "what_if_summary",
]

#: Segment key -> label: the five criteria, then "any flag" and "all customers".
SEGMENT_LABELS = {
    **concepts.labels(concepts.TERMINATION_CRITERIA),
    "any": "Any flag (at least one)",
    "all": "All customers",
}
_METHOD_LABELS = concepts.labels(concepts.TERMINATION_METHODS)
_MONEY = ("revenue", "cost_of_goods", "cost_to_serve", "profit")
_MONEY_LABELS = {
    "revenue": "Revenue",
    "cost_of_goods": "Cost of goods",
    "cost_to_serve": "Cost to serve",
    "profit": "Profit",
}
_BEFORE, _AFTER = OKABE_ITO["sky_blue"], OKABE_ITO["orange"]


def prepare_candidates(world) -> pd.DataFrame:
    """The termination evidence and flags of every customer of ``world`` (computed once).

    Parameters
    ----------
    world : crmkit.World
        Needs ``customers``, ``transactions`` and ``interactions``.

    Returns
    -------
    DataFrame
        The output of :func:`crmkit.metrics.termination.termination_candidates`
        plus ``bundle_purchases`` (purchases of the *bundle* category: what
        unbundling would change).
    """
    cand = termination_candidates(world.customers, world.transactions, world.interactions)
    tx = world.transactions
    is_bundle = (tx["category"].astype("string") == "bundle").fillna(False).to_numpy()
    bundles = tx.loc[is_bundle, "customer_id"].value_counts()
    cand["bundle_purchases"] = cand["customer_id"].map(bundles).fillna(0).astype("int64").to_numpy()
    return cand


def what_if_summary(table: pd.DataFrame, *, segment: str, method: str, price_rise: float) -> str:
    """One plain sentence on a what-if table, for the widget and the notebook.

    Parameters
    ----------
    table : DataFrame
        The output of :func:`crmkit.metrics.termination.termination_what_if`.
    segment, method : str
        The segment (a key of :data:`SEGMENT_LABELS`) and the method played.
    price_rise : float
        The price rise (0.1 = +10%), used in the wording.

    Returns
    -------
    str
        Plain text (not escaped), such as "Raise the price by 10% for Late
        payers: 111 of 139 customers stay (expected); profit 48,300 -> 51,798
        (+7.2%)."

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"measure": ["customers", "revenue", "cost_of_goods",
    ...                               "cost_to_serve", "profit"],
    ...                   "before": [10.0, 100.0, 50.0, 60.0, -10.0],
    ...                   "after": [8.0, 88.0, 40.0, 48.0, 0.0]})
    >>> text = what_if_summary(t, segment="late_payer", method="raise_price", price_rise=0.1)
    >>> for part in text.split("; "):
    ...     print(part)
    Raise the price by 10% for Late payers: 8 of 10 customers stay (expected)
    profit -10 -> 0 (+100.0%).
    """
    row = table.set_index("measure")
    n0, n1 = row.loc["customers", "before"], row.loc["customers", "after"]
    p0, p1 = row.loc["profit", "before"], row.loc["profit", "after"]
    how = _how(method, price_rise)
    who = SEGMENT_LABELS.get(segment, str(segment))
    pct = f" ({(p1 - p0) / abs(p0):+.1%})" if p0 else ""
    return (
        f"{how} for {who}: {n1:,.0f} of {n0:,.0f} customers stay (expected); "
        f"profit {p0:,.0f} -> {p1:,.0f}{pct}."
    )


def _how(method, price_rise):
    if method == "raise_price":
        return f"Raise the price by {price_rise:.0%}"
    if method == "unbundle_offer":
        return f"Unbundle the offer (parts {price_rise:.0%} dearer)"
    return _METHOD_LABELS.get(method, method)


class _WhatIfPanel:
    """The two Axes of a what-if figure and their artists, built once and then updated.

    A widget callback only changes bar heights, value labels, limits and the
    title: creating the Axes, their tick labels, titles and legend again on
    every change was most of its cost. Everything that depends on the table is
    set on every `draw`, so a picture depends only on the table and the title.
    """

    _W = 0.38  # width of a money bar

    def __init__(self, fig, *, title=True):
        grid = exact_margins(
            fig, 0.75, 0.15, 0.45, 0.6 if title else 0.35, wspace=0.35, width_ratios=[1, 3.2]
        )
        self.fig = fig
        self.ax_n, self.ax_m = ax_n, ax_m = fig.subplots(1, 2, gridspec_kw=grid)
        # customers: two bars with their value above
        self.bars_n = ax_n.bar(
            [0, 1], [0, 0], color=[_BEFORE, _AFTER], edgecolor="black", linewidth=0.5
        )
        self.labels_n = [self._label(ax_n, i, 9) for i in (0, 1)]
        ax_n.set_xticks([0, 1], ["before", "after"])
        ax_n.set_xlim(-0.49, 1.49)  # bars of width 0.8 with 5% margins, as autoscaled
        ax_n.set_title("Customers in the segment", fontsize=10, y=1.0)
        ax_n.set_ylabel("customers (expected count)")
        # money: before/after bars per measure, the relative change above the after bar
        x = np.arange(len(_MONEY))
        w = self._W
        kw = {"edgecolor": "black", "linewidth": 0.5}
        self.bars_b = ax_m.bar(x - w / 2, np.zeros(len(x)), w, color=_BEFORE, label="before", **kw)
        self.bars_a = ax_m.bar(x + w / 2, np.zeros(len(x)), w, color=_AFTER, label="after", **kw)
        self.labels_m = [self._label(ax_m, i + w / 2, 8) for i in x]
        ax_m.axhline(0, color="black", linewidth=0.8)
        ax_m.set_xticks(x, [_MONEY_LABELS[m] for m in _MONEY])
        margin = 0.05 * (len(x) - 1 + 2 * w)  # 5% of the bars' span, as autoscaled
        ax_m.set_xlim(-w - margin, len(x) - 1 + w + margin)
        ax_m.set_ylabel("currency units, two years")
        ax_m.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax_m.set_title("Money (labels: change after vs before)", fontsize=10, y=1.0)
        ax_m.legend(frameon=False, loc="upper right", fontsize=9)
        for ax in (ax_n, ax_m):
            ax.grid(False)
            ax.grid(axis="y", alpha=0.3)
            ax.set_axisbelow(True)
            ax.tick_params(labelsize=9)
        # shown instead of the bars when the segment is empty
        self.message = fig.text(0.5, 0.5, "", ha="center", va="center", fontsize=12)

    @staticmethod
    def _label(ax, x, size):
        return ax.annotate(
            "",
            (x, 0),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=size,
        )

    def draw(self, table: pd.DataFrame, title: str = ""):
        row = table.set_index("measure")
        n = row.loc["customers", ["before", "after"]].to_numpy(dtype=float)
        for i, (bar, label, v) in enumerate(zip(self.bars_n, self.labels_n, n, strict=True)):
            bar.set_height(v)
            label.xy = (i, v)
            label.set_text(f"{v:,.0f}")
        self.ax_n.set_ylim(0, max(n.max(), 1) * 1.18)
        before = row.loc[list(_MONEY), "before"].to_numpy(dtype=float)
        after = row.loc[list(_MONEY), "after"].to_numpy(dtype=float)
        for i, (b, a) in enumerate(zip(before, after, strict=True)):
            self.bars_b[i].set_height(b)
            self.bars_a[i].set_height(a)
            self.labels_m[i].xy = (i + self._W / 2, max(a, 0))
            self.labels_m[i].set_text(f"{(a - b) / abs(b):+.0%}" if b else "n/a")
        top = max(np.abs(np.concatenate([before, after])).max(), 1.0)
        low = min(before.min(), after.min(), 0)
        self.ax_m.set_ylim(low * 1.2 if low < 0 else 0, top * 1.15)
        self.show(True)
        self.fig.suptitle(title, fontsize=11)
        return self.ax_n, self.ax_m

    def show(self, bars: bool, message: str = ""):
        self.ax_n.set_visible(bars)
        self.ax_m.set_visible(bars)
        self.message.set_text(message)
        self.message.set_visible(not bars)
        if not bars:
            self.fig.suptitle("", fontsize=11)


_PANELS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _panel(fig) -> _WhatIfPanel:
    """The what-if panel of ``fig``, built on the first call (the figure keeps its Axes)."""
    panel = _PANELS.get(fig)
    if panel is None or panel.ax_n not in fig.axes:
        panel = _PANELS[fig] = _WhatIfPanel(fig)
    return panel


def draw_what_if(fig, table: pd.DataFrame, *, title: str = ""):
    """Draw a what-if table on ``fig``: customers (left) and money (right), before and after.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Figure to draw on (two Axes are added).
    table : DataFrame
        The output of :func:`crmkit.metrics.termination.termination_what_if`.
    title : str, default=""
        Figure title.

    Returns
    -------
    tuple of matplotlib.axes.Axes
        The customers Axes and the money Axes.
    """
    return _WhatIfPanel(fig, title=bool(title)).draw(table, title)


def _render(fig, candidates, transactions, segment, method, price_rise, elasticity):
    table = termination_what_if(
        candidates,
        transactions,
        segment=segment,
        method=method,
        price_rise=price_rise,
        elasticity=elasticity,
    )
    who = SEGMENT_LABELS.get(segment, segment)
    n = int(table.loc[0, "before"])
    panel = _panel(fig)
    if n == 0:
        panel.show(False, f"No customer is in the segment\n'{who}' in this data.")
        return (
            f"<p>No customer is flagged <b>{html.escape(who)}</b> here: choose another segment.</p>"
        )
    title = f"{_how(method, price_rise)}: {who} ({n:,} customers)"
    panel.draw(table, title)
    notes = []
    if method == "redesign_product":
        notes.append(
            "A redesign does not use the price sliders. Its numbers are the kit's "
            "assumption, not source 002's (which says a redesign makes the product more "
            "attractive to customers): 30% of the segment leaves and the cost of serving "
            "the rest falls by 25%."
        )
    if method == "unbundle_offer":
        if candidates.loc[segment_mask(candidates, segment), "bundle_purchases"].sum() == 0:
            notes.append("This segment bought no bundles: unbundling changes nothing.")
        else:
            notes.append(
                "Only the segment's bundle purchases change: the parts are sold "
                "separately at the higher price."
            )
    if method == "raise_price" and 1 - elasticity * price_rise <= 0:
        notes.append("At this elasticity the price rise drives the whole segment away.")
    rows = "".join(
        f"<tr><td>{html.escape(_MONEY_LABELS.get(m, 'Customers'))}</td>"
        f"<td style='text-align:right'>{b:,.0f}</td><td style='text-align:right'>{a:,.0f}</td>"
        f"<td style='text-align:right'>{(a - b):+,.0f}</td></tr>"
        for m, b, a in zip(table["measure"], table["before"], table["after"], strict=True)
    )
    text = what_if_summary(table, segment=segment, method=method, price_rise=price_rise)
    return (
        f"<p><b>{html.escape(text)}</b></p>"
        + "".join(f"<p><i>{html.escape(n)}</i></p>" for n in notes)
        + "<table class='crmkit-table'><thead><tr><th>measure</th><th>before</th>"
        "<th>after</th><th>change</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        f"<p><small>Elasticity {elasticity:g}: each 10% of price rise loses "
        f"{min(elasticity * 0.1, 1):.0%} of the segment's purchases. A simple model for "
        "discussion, not a forecast.</small></p>"
    )


def _check_options(segment, method, price_rise, elasticity, func):
    check_choice(segment, "segment", tuple(SEGMENT_LABELS), func)
    check_choice(method, "method", METHODS, func)
    for name, value, hi in (("price_rise", price_rise, 0.5), ("elasticity", elasticity, 5.0)):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"{func}: `{name}` must be a number, got {value!r}.")
        if not 0 <= value <= hi:
            raise ValueError(f"{func}: `{name}` must be between 0 and {hi:g}; got {value}.")


def termination_explorer(
    world, *, segment="late_payer", method="raise_price", price_rise=0.10, elasticity=2.0
):
    """A widget: end one kind of relationship with one method, and see what it does.

    Controls: the segment (a termination criterion of source 002, the kit's
    *unprofitable* flag, any flag, or every customer), the method (raise the
    price, redesign the product, unbundle the offer), the price rise and the
    price elasticity. Shows customers kept and revenue, costs and profit
    before and after, as bars and as a table.

    Parameters
    ----------
    world : crmkit.World
        The data; the candidates are computed once, when the widget is built.
    segment : str, default="late_payer"
        A key of :data:`SEGMENT_LABELS`.
    method : {"raise_price", "redesign_product", "unbundle_offer"}, default="raise_price"
    price_rise : float, default=0.10
        Relative price rise, 0 to 0.5.
    elasticity : float, default=2.0
        Share of purchases lost per unit of relative price rise, 0 to 5.

    Returns
    -------
    ipywidgets.VBox
        With ``controls``, ``update()``, ``image`` and ``summary``.

    Examples
    --------
    >>> import crmkit
    >>> w = termination_explorer(crmkit.make_world(300, random_state=0))
    >>> sorted(w.controls)
    ['elasticity', 'method', 'price_rise', 'segment']
    """
    func = "termination_explorer"
    _check_options(segment, method, price_rise, elasticity, func)
    candidates = prepare_candidates(world)
    transactions = world.transactions
    controls = {
        "segment": dropdown(
            "Customers to let go", [(v, k) for k, v in SEGMENT_LABELS.items()], segment
        ),
        "method": dropdown("Method", [(v, k) for k, v in _METHOD_LABELS.items()], method),
        "price_rise": slider("Price rise", float(price_rise), 0.0, 0.5, 0.01, percent=True),
        "elasticity": slider("Price elasticity", float(elasticity), 0.0, 5.0, 0.1, fmt=".1f"),
    }

    def render(fig, segment, method, price_rise, elasticity):
        return _render(fig, candidates, transactions, segment, method, price_rise, elasticity)

    return live_panel(
        "Ending relationships: what if? (source 002)",
        controls,
        render,
        figsize=(9.0, 4.0),
        note="Choose whom to let go and how; the bars compare the segment before and after.",
        layout=None,
        clear=False,  # the Axes are built once and updated (see _WhatIfPanel)
    )


def termination_explorer_figure(
    world,
    *,
    segment="late_payer",
    method="raise_price",
    price_rise=0.10,
    elasticity=2.0,
    candidates=None,
    fig=None,
):
    """The static twin of :func:`termination_explorer`: the same figure at fixed values.

    Parameters
    ----------
    world : crmkit.World
    segment, method, price_rise, elasticity
        As in :func:`termination_explorer`.
    candidates : DataFrame, optional
        Precomputed :func:`prepare_candidates` output (saves a second computation).
    fig : matplotlib.figure.Figure, optional
        Figure to draw on; default: a new pyplot figure (shown inline in a notebook).

    Returns
    -------
    tuple (matplotlib.figure.Figure, DataFrame)
        The figure and the what-if table it draws.
    """
    import matplotlib.pyplot as plt

    func = "termination_explorer_figure"
    _check_options(segment, method, price_rise, elasticity, func)
    if candidates is None:
        candidates = prepare_candidates(world)
    if fig is None:
        fig = plt.figure(figsize=(9.0, 4.0), layout="constrained")
    _render(fig, candidates, world.transactions, segment, method, price_rise, elasticity)
    table = termination_what_if(
        candidates,
        world.transactions,
        segment=segment,
        method=method,
        price_rise=price_rise,
        elasticity=elasticity,
    )
    return fig, table


WIDGETS = {"termination_explorer": termination_explorer}
