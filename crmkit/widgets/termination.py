"""What would ending unwanted relationships do? A what-if widget (source 002).

Source 002 names the customers a business may let go (serial complainers,
consistently late payers, destructive customers, perpetual deal-seekers; the
kit adds *unprofitable* after cost-to-serve) and three ways to do it: raise the
price (a filter that keeps the profitable customers), redesign the product,
unbundle the offer. :func:`termination_explorer` plays one method on one
segment and shows customers, revenue, costs and profit before and after.

The numbers come from :func:`crmkit.metrics.termination.prepare_candidates`
(computed once, when the widget is built) and
:func:`crmkit.metrics.termination.termination_what_if` (at every change); the
bars are drawn by :mod:`crmkit.plots.termination`.
:func:`termination_explorer_figure` is the static twin, and
:func:`termination_explorer_page` what the static site needs to run the
what-if in the browser (see :mod:`crmkit.widgets._live`).
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from crmkit import concepts
from crmkit._checks import check_choice, check_fraction
from crmkit.metrics.termination import (
    METHODS,
    prepare_candidates,
    segment_mask,
    termination_what_if,
    termination_what_if_grid,
)
from crmkit.plots.style import OKABE_ITO
from crmkit.plots.termination import (
    MONEY_LABELS,
    draw_what_if,
    plot_what_if_customers,
    plot_what_if_money,
    update_what_if_customers,
    update_what_if_money,
    what_if_grid,
)
from crmkit.widgets._core import dropdown, kept, live_panel, slider
from crmkit.widgets._live import with_page_data

__all__ = [
    "SEGMENT_LABELS",
    "WIDGETS",
    "draw_what_if",
    "prepare_candidates",
    "termination_explorer",
    "termination_explorer_figure",
    "termination_explorer_page",
    "what_if_summary",
]

#: Segment key -> label: the five criteria, then "any flag" and "all customers".
SEGMENT_LABELS = {
    **concepts.labels(concepts.TERMINATION_CRITERIA),
    "any": "Any flag (at least one)",
    "all": "All customers",
}
_METHOD_LABELS = concepts.labels(concepts.TERMINATION_METHODS)
_TITLE = "Ending relationships: what if? (source 002)"
_NOTE = "Choose whom to let go and how; the bars compare the segment before and after."
_NOTES = {  # the notes under the what-if's sentence
    "redesign": (
        "A redesign does not use the price sliders. Its numbers are the kit's "
        "assumption, not source 002's (which says a redesign makes the product more "
        "attractive to customers): 30% of the segment leaves and the cost of serving "
        "the rest falls by 25%."
    ),
    "no_bundles": "This segment bought no bundles: unbundling changes nothing.",
    "unbundle": (
        "Only the segment's bundle purchases change: the parts are sold "
        "separately at the higher price."
    ),
    "all_leave": "At this elasticity the price rise drives the whole segment away.",
}
#: The static page's settings of the price controls (the widget's sliders move by
#: 1% and 0.1; a page holds the results of every setting, so it offers fewer).
PAGE_PRICE_RISES = tuple(np.round(np.arange(0, 0.5001, 0.05), 2).tolist())
PAGE_ELASTICITIES = tuple(np.round(np.arange(0, 5.001, 0.5), 1).tolist())


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


def _panel(fig, title):
    """The two what-if Axes of ``fig``, made once (kept in :func:`kept`), shown or hidden.

    Returns the customers Axes, the money Axes and the message shown instead of
    them when the segment is empty.
    """
    store = kept(fig)
    axes = store.get("what_if")
    if axes is None or axes[0] not in fig.axes:
        axes = store["what_if"] = tuple(fig.subplots(1, 2, gridspec_kw=what_if_grid(fig)))
        store["message"] = fig.text(0.5, 0.5, "", ha="center", va="center", fontsize=12)
    for ax in axes:
        ax.set_visible(bool(title))
    store["message"].set_visible(not title)
    fig.suptitle(title, fontsize=11)
    return (*axes, store["message"])


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
    title = f"{_how(method, price_rise)}: {who} ({n:,} customers)" if n else ""
    ax_n, ax_m, message = _panel(fig, title)
    if n == 0:
        message.set_text(f"No customer is in the segment\n'{who}' in this data.")
        return (
            f"<p>No customer is flagged <b>{html.escape(who)}</b> here: choose another segment.</p>"
        )
    if ax_n.containers:  # drawn before: the bars and labels take the new values
        update_what_if_customers(table, ax_n)
        update_what_if_money(table, ax_m)
    else:
        plot_what_if_customers(table, ax=ax_n)
        plot_what_if_money(table, ax=ax_m)
    return _summary_html(table, candidates, segment, method, price_rise, elasticity)


def _summary_html(table, candidates, segment, method, price_rise, elasticity):
    """The widget's text under the bars: the sentence, the notes, the table."""
    notes = []
    if method == "redesign_product":
        notes.append(_NOTES["redesign"])
    if method == "unbundle_offer":
        if candidates.loc[segment_mask(candidates, segment), "bundle_purchases"].sum() == 0:
            notes.append(_NOTES["no_bundles"])
        else:
            notes.append(_NOTES["unbundle"])
    if method == "raise_price" and 1 - elasticity * price_rise <= 0:
        notes.append(_NOTES["all_leave"])
    rows = "".join(
        f"<tr><td>{html.escape(MONEY_LABELS.get(m, 'Customers'))}</td>"
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
    check_fraction(price_rise, "price_rise", func, high=0.5)
    check_fraction(elasticity, "elasticity", func, high=5.0)


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

    box = live_panel(
        _TITLE,
        controls,
        render,
        figsize=(9.0, 4.0),
        note=_NOTE,
        layout=None,
        clear=False,  # the Axes are built once, then their bars updated (see _panel)
    )
    start = {"segment": segment, "method": method, "price_rise": float(price_rise),
             "elasticity": float(elasticity)}  # fmt: skip
    return with_page_data(
        box, "termination", lambda: _page(candidates, transactions, start)
    )


def termination_explorer_page(
    world, *, segment="late_payer", method="raise_price", price_rise=0.10, elasticity=2.0,
    candidates=None,
) -> dict:  # fmt: skip
    """What the static site needs to run `termination_explorer` in the browser.

    The what-if of every segment and method at every setting of
    :data:`PAGE_PRICE_RISES` x :data:`PAGE_ELASTICITIES` (11 x 11), computed by
    :func:`crmkit.metrics.termination.termination_what_if_grid`: the page only looks the
    numbers up, draws them and words them as :func:`what_if_summary` does (a
    browser test compares the page's text with the widget's).

    Returns
    -------
    dict
        JSON values: title, note, the segments and methods (key, label), the
        price settings, the starting values, per segment the customers and money
        before and after each setting, and the texts of the notes.

    Examples
    --------
    >>> import crmkit
    >>> page = termination_explorer_page(crmkit.make_world(300, random_state=0))
    >>> len(page["price_rises"]), len(page["results"]["all"]["raise_price"])
    (11, 121)
    """
    func = "termination_explorer_page"
    _check_options(segment, method, price_rise, elasticity, func)
    if candidates is None:
        candidates = prepare_candidates(world)
    start = {"segment": segment, "method": method, "price_rise": float(price_rise),
             "elasticity": float(elasticity)}  # fmt: skip
    return _page(candidates, world.transactions, start)


def _page(candidates, transactions, start) -> dict:
    grid = termination_what_if_grid(
        candidates,
        transactions,
        segments=list(SEGMENT_LABELS),
        price_rises=PAGE_PRICE_RISES,
        elasticities=PAGE_ELASTICITIES,
    )
    measures = ["customers", *MONEY_LABELS]
    before = [f"before_{m}" for m in measures]
    after = [f"after_{m}" for m in measures]
    results = {}
    for segment, rows in grid.groupby("segment", sort=False):
        by_method = {m: r[after].to_numpy(dtype=float).tolist() for m, r in rows.groupby(
            "method", sort=False)}  # fmt: skip
        results[segment] = {
            "before": rows[before].iloc[0].to_numpy(dtype=float).tolist(),
            "bundles": bool(
                candidates.loc[segment_mask(candidates, segment), "bundle_purchases"].sum() > 0
            ),
            "redesign_product": by_method["redesign_product"][0],
            "raise_price": by_method["raise_price"],
            "unbundle_offer": by_method["unbundle_offer"],
        }
    return {
        "title": _TITLE,
        "note": _NOTE,
        "segments": [[k, v] for k, v in SEGMENT_LABELS.items()],
        "methods": [[k, v] for k, v in _METHOD_LABELS.items()],
        "price_rises": list(PAGE_PRICE_RISES),
        "elasticities": list(PAGE_ELASTICITIES),
        "start": start,
        "measures": measures,
        "labels": {"customers": "Customers", **MONEY_LABELS},
        "results": results,
        "notes": _NOTES,
        "colours": {"before": OKABE_ITO["sky_blue"], "after": OKABE_ITO["orange"]},
    }


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
