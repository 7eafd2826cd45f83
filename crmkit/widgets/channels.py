"""One offer, one price; every touchpoint under control: two explorers (source 003).

:func:`channel_consistency_explorer` lays out the offer price of every
multi-channel campaign on every channel (source 002's channel integration:
"no two different offers for the same product and customer"; source 003's one
message across channels). A tolerance slider decides how large a price
difference still counts as the same price.

:func:`touchpoint_explorer` puts a touchpoint's survey perception beside the
company's internal indicators (source 003: the survey measures perception,
which can differ from what the company's own figures say), and compares the
perceived component scores with the effects the generator planted
(``world.truth["touchpoint_effects"]``) when they are known.

The numbers come from :mod:`crmkit.metrics.channels` (its caches compute each
table once per world), the figures from :mod:`crmkit.plots.channels`. Static
twins: :func:`channel_consistency_figure` and :func:`touchpoint_figure`.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from crmkit import concepts
from crmkit._checks import check_choice, check_fraction
from crmkit.metrics.channels import (
    INTERNAL_INDICATORS,
    ConsistencyCache,
    TouchpointCache,
    consistency_report,
    priced_campaign_types,
    touchpoint_profile,
)
from crmkit.plots.channels import (
    campaign_type_label,
    fix_axis_labels,
    place_touchpoint_ring,
    plot_price_consistency,
    plot_touchpoint_map,
    plot_touchpoint_profile,
    touchpoint_ring,
)
from crmkit.widgets._core import dropdown, empty_axes, exact_margins, kept, live_panel, slider

__all__ = [
    "WIDGETS",
    "INTERNAL_INDICATORS",
    "channel_consistency_explorer",
    "channel_consistency_figure",
    "consistency_report",
    "priced_campaign_types",
    "touchpoint_explorer",
    "touchpoint_figure",
    "touchpoint_profile",
]

_TYPE_LABELS = concepts.labels(concepts.CAMPAIGN_TYPES)
_CHANNEL_LABELS = concepts.labels(concepts.CHANNELS)
_TOUCHPOINT_LABELS = concepts.labels(concepts.TOUCHPOINTS)


# --------------------------------------------------------------------------- consistency
def _consistency_cache(world):
    truth = world.truth.get("inconsistent_campaigns") if world.truth else None
    return ConsistencyCache(world.campaigns, truth)


def _price_list(prep, cid):
    """ "Shop 50, Web 45": a campaign's price on each of its channels."""
    return ", ".join(f"{_CHANNEL_LABELS.get(c, c)} {p:g}" for c, p in prep.prices(cid))


_MAX_ROWS = 20
# Fixed margins (inches) of the heatmap; the colorbar sits at the right of the
# plotting area, its ticks and label in the right margin.
_WIDTH, _LEFT, _RIGHT, _BOTTOM, _TOP = 7.5, 2.0, 1.1, 0.8, 0.8
_BAR_WIDTH, _BAR_PAD = 0.2, 0.14


def _consistency_axes(fig, height):
    """The heatmap's Axes and colorbar Axes on ``fig``, made once and then reused.

    The figure's height follows the number of rows; the Axes keep fixed margins
    in inches, so only their positions change from one call to the next. The
    Axes and the colorbar (None until the first heatmap is drawn) are kept in
    :func:`kept`.
    """
    fig.set_layout_engine(None)
    fig.set_size_inches(_WIDTH, height)
    store = kept(fig)
    if store.get("consistency") is None or any(a not in fig.axes for a in store["consistency"]):
        ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
        cax = fig.add_axes((0.92, 0.1, 0.02, 0.8))
        ax.tick_params(left=False, bottom=False)  # no tick marks beside the cells
        store["consistency"], store["colorbar"] = (ax, cax), None
    else:
        empty_axes(store["consistency"][0])  # the colorbar's own artists stay: it follows
    ax, cax = store["consistency"]
    w, h = _WIDTH, height
    inner = h - _TOP - _BOTTOM
    right = w - _RIGHT
    width = right - _BAR_PAD - _BAR_WIDTH - _LEFT
    ax.set_position((_LEFT / w, _BOTTOM / h, width / w, inner / h))
    cax.set_position(((right - _BAR_WIDTH) / w, _BOTTOM / h, _BAR_WIDTH / w, inner / h))
    return ax, cax


def _render_consistency(fig, prep, campaign_type, tolerance, only_inconsistent):
    what = campaign_type_label(campaign_type)
    report = prep.report(campaign_type, tolerance)
    bad = report["inconsistent"]
    # a taller heatmap is unreadable on a projector, and slow to draw
    matrix, total = prep.rows(
        campaign_type, tolerance, only_inconsistent=only_inconsistent, max_rows=_MAX_ROWS
    )
    shown = len(matrix)
    cut = ""
    if total > shown:
        cut = (
            f"<p><small>The figure shows {shown} of {total} campaigns, the "
            "inconsistent ones first; tick “only inconsistent” or pick one campaign type "
            "to see the rest.</small></p>"
        )
    ax, cax = _consistency_axes(fig, min(max(3.2, 0.2 * shown + 1.9), 16))
    store = kept(fig)
    plot_price_consistency(
        matrix,
        prep.check(campaign_type, tolerance),
        campaign_type=campaign_type,
        tolerance=tolerance,
        only_inconsistent=only_inconsistent,
        annotate=shown <= 12,  # prices in the cells only for short lists (the table has them)
        ax=ax,
        cax=cax,
        colorbar=store["colorbar"],
    )
    if shown:  # the colorbar follows the next image
        store["colorbar"] = ax.images[0].colorbar
    lines = [
        f"<p><b>{len(bad)} of {report['n_checked']} multi-channel campaigns "
        f"({html.escape(what)}) quote different prices</b> when a difference of up to "
        f"{tolerance:g} currency units counts as the same price.</p>"
    ]
    if prep.truth is not None:
        lines.append(
            f"<p>Did we find the truth again? The generator planted "
            f"{report['found'] + report['missed']} inconsistent offers among these campaigns: "
            f"{report['found']} found, {report['missed']} missed, "
            f"{report['false_alarms']} false alarms.</p>"
        )
    if len(bad):
        rows = "".join(
            f"<tr><td>#{int(r.campaign_id)}</td>"
            f"<td>{html.escape(_TYPE_LABELS.get(r.campaign_type, r.campaign_type))}</td>"
            f"<td>{html.escape(_price_list(prep, r.campaign_id))}</td>"
            f"<td style='text-align:right'>{r.spread:g} ({r.spread_pct:.0%})</td>"
            f"<td>{html.escape(r.odd_channels)}</td></tr>"
            for r in bad.head(12).itertuples()
        )
        more = f"<p><small>... and {len(bad) - 12} more.</small></p>" if len(bad) > 12 else ""
        lines.append(
            "<table class='crmkit-table'><thead><tr><th>campaign</th><th>type</th>"
            "<th>price by channel</th><th>spread</th><th>odd channel(s)</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>{more}"
        )
    return "".join(lines) + cut


def channel_consistency_explorer(
    world, *, campaign_type="all", tolerance=0.0, only_inconsistent=False
):
    """A widget: does each multi-channel offer quote one price everywhere? (002, 003)

    Controls: the campaign type (those priced on several channels, or all),
    the price tolerance (a spread up to it counts as consistent) and whether
    to show only the inconsistent campaigns. Shows a campaign x channel
    heatmap of offer prices with the inconsistent offers marked, and lists
    them; when the world's truth is known, counts the planted inconsistencies
    found, missed and falsely flagged.

    Parameters
    ----------
    world : crmkit.World
    campaign_type : str, optional
        A campaign type with multi-channel prices, or ``"all"``; default: the
        first such type (retention in the synthetic worlds).
    tolerance : float, default=0.0
        Currency units, 0 to 20.
    only_inconsistent : bool, default=False

    Returns
    -------
    ipywidgets.VBox
        With ``controls``, ``update()``, ``image`` and ``summary``.

    Examples
    --------
    >>> import crmkit
    >>> w = channel_consistency_explorer(crmkit.make_world(300, random_state=0))
    >>> sorted(w.controls)
    ['campaign_type', 'only_inconsistent', 'tolerance']
    """
    import ipywidgets as W

    func = "channel_consistency_explorer"
    prep = _consistency_cache(world)
    types = prep.types
    if not types:
        raise ValueError(
            f"{func}: no campaign in this data is priced on more than one channel "
            "(campaigns.offer_price), so there is no consistency to check."
        )
    if campaign_type is None:
        campaign_type = types[0]
    check_choice(campaign_type, "campaign_type", (*types, "all"), func)
    check_fraction(tolerance, "tolerance", func, high=20.0)
    options = [(_TYPE_LABELS[t], t) for t in types] + [("All types", "all")]
    controls = {
        "campaign_type": dropdown("Campaign type", options, campaign_type),
        "tolerance": slider(
            "Price tolerance (currency units)", float(tolerance), 0.0, 20.0, 0.5, fmt=".1f"
        ),
        "only_inconsistent": W.Checkbox(
            value=bool(only_inconsistent), description="Only the inconsistent campaigns"
        ),
    }

    def render(fig, campaign_type, tolerance, only_inconsistent):
        return _render_consistency(fig, prep, campaign_type, tolerance, only_inconsistent)

    return live_panel(
        "One offer, one price on every channel? (sources 002, 003)",
        controls,
        render,
        figsize=(7.5, 6.0),
        note="Each row is a campaign offered on several channels; marked rows quote "
        "different prices for the same offer.",
        layout=None,
        clear=False,  # the heatmap and its colorbar are made once, then updated
    )


def channel_consistency_figure(
    world, *, campaign_type="all", tolerance=0.0, only_inconsistent=True, fig=None
):
    """The static twin of :func:`channel_consistency_explorer`.

    Parameters
    ----------
    world : crmkit.World
    campaign_type, tolerance, only_inconsistent
        As in the widget (here the default shows only the inconsistent offers).
    fig : matplotlib.figure.Figure, optional
        Default: a new pyplot figure.

    Returns
    -------
    tuple (matplotlib.figure.Figure, DataFrame)
        The figure and the inconsistent campaigns (rows of
        :func:`crmkit.metrics.channels.channel_consistency`).
    """
    import matplotlib.pyplot as plt

    prep = _consistency_cache(world)
    check_choice(campaign_type, "campaign_type", (*prep.types, "all"), "channel_consistency_figure")
    if fig is None:
        fig = plt.figure(layout="constrained")
    _render_consistency(fig, prep, campaign_type, tolerance, only_inconsistent)
    report = prep.report(campaign_type, tolerance)
    return fig, report["inconsistent"].reset_index(drop=True)


# --------------------------------------------------------------------------- touchpoints
def _touchpoint_cache(world):
    truth = world.truth.get("touchpoint_effects") if world.truth else None
    return TouchpointCache(world.surveys, world.interactions, truth)


def _fmt(v, pct=False, unit=""):
    if v is None or not np.isfinite(v):
        return "n/a"
    return f"{v:.0%}" if pct else f"{v:,.1f}{unit}"


def _touchpoint_axes(fig):
    """The figure's layout, kept in :func:`kept`: the components Axes (emptied when
    reused), the scatter slot, and the scatter Axes and ring of each indicator drawn so far.

    The scatter panel depends on the internal indicator only: each indicator
    gets its own Axes in the left slot (see :func:`_scatter_panel`), drawn
    once and then only shown or hidden.
    """
    store = kept(fig)
    state = store.get("touchpoints")
    if state is None or state["components"] not in fig.axes:
        grid = exact_margins(fig, 0.75, 0.35, 1.15, 0.3, wspace=0.35, width_ratios=[1.6, 1])
        slots = fig.add_gridspec(1, 2, **grid)
        ax = fig.add_subplot(slots[0, 1])
        ax.tick_params(labelsize=8)
        fix_axis_labels(ax, y=False)
        state = store["touchpoints"] = {
            "slot": slots[0, 0],
            "components": ax,
            "scatter": {},
            "rings": {},
        }
    else:
        empty_axes(state["components"])
    return state


def _scatter_panel(fig, state, prep, internal):
    """The scatter Axes of an internal indicator in the left slot: drawn on first use."""
    ax = state["scatter"].get(internal)
    if ax is not None:
        return ax
    table = prep.tables[internal]
    if not (table["overall"].notna() & table[internal].notna()).any():
        raise ValueError(f"no touchpoint has both survey answers and {internal!r}.")
    ax = state["scatter"][internal] = fig.add_subplot(state["slot"])
    plot_touchpoint_map(table, internal, ax=ax)
    fix_axis_labels(ax)
    state["rings"][internal] = touchpoint_ring(ax)  # the chosen touchpoint's: moved by each call
    return ax


def _render_touchpoint(fig, prep, touchpoint, internal, *, every_indicator=False):
    """Draw the touchpoint figure; ``every_indicator``: draw all scatter panels now.

    The live widget asks for all of them on its first call (when it is built),
    so that no later callback has to draw one.
    """
    state = _touchpoint_axes(fig)
    for k in INTERNAL_INDICATORS if every_indicator else ():
        try:
            _scatter_panel(fig, state, prep, k)
        except ValueError:  # no data for that indicator: fails when it is chosen
            pass
    _scatter_panel(fig, state, prep, internal)
    for k, a in state["scatter"].items():
        a.set_visible(k == internal)
    ax_c = state["components"]
    row = prep.row(internal, touchpoint)
    name = _TOUCHPOINT_LABELS.get(touchpoint, touchpoint)
    place_touchpoint_ring(state["rings"][internal], row, internal)
    profile = None if pd.isna(row["overall"]) else prep.profile(internal, touchpoint)
    plot_touchpoint_profile(profile, touchpoint=touchpoint, ax=ax_c)
    office = concepts.labels(concepts.OFFICES).get(row["office"], "")
    gap = row["gap"]
    verdict = ""
    if pd.notna(gap):
        if gap <= -0.75:
            verdict = (
                "Customers judge it clearly worse than the internal indicator "
                "suggests: look at it from the customer's side."
            )
        elif gap >= 0.75:
            verdict = (
                "Customers judge it better than the internal indicator suggests: "
                "what do they value here that the indicator misses?"
            )
        else:
            verdict = "Perception and the internal indicator roughly agree."
    facts = (
        f"<p><b>{html.escape(name)}</b> ({html.escape(office)}): "
        f"{int(row['n_surveys']):,} survey answers, mean overall "
        f"{_fmt(row['overall'])} of 7; {int(row['contacts']):,} contacts, complaints per "
        f"contact {_fmt(row['complaint_share'], pct=True)}, requests resolved "
        f"{_fmt(row['share_resolved'], pct=True)}, median time to resolve "
        f"{_fmt(row['median_resolution_hours'], unit=' h')}.</p>"
    )
    gap_line = (
        f"<p>Perception minus internal indicator ({html.escape(INTERNAL_INDICATORS[internal])}, "
        f"in spreads across touchpoints): <b>{gap:+.1f}</b>. {html.escape(verdict)}</p>"
        if pd.notna(gap)
        else ""
    )
    return facts + gap_line


def touchpoint_explorer(world, *, touchpoint="billing", internal="complaint_share"):
    """A widget: how customers perceive a touchpoint, beside the company's own indicators (003).

    Controls: the touchpoint (front or back office) and the internal
    indicator. Left: every touchpoint's mean survey satisfaction against the
    internal indicator, the chosen one circled. Right: the chosen
    touchpoint's four component scores against the average touchpoint, next
    to the effects the generator planted (when ``world.truth`` has them).

    Parameters
    ----------
    world : crmkit.World
    touchpoint : str, default="billing"
        A key of :data:`crmkit.concepts.TOUCHPOINTS` present in the data.
    internal : {"complaint_share", "share_resolved", "median_resolution_hours"}

    Returns
    -------
    ipywidgets.VBox

    Examples
    --------
    >>> import crmkit
    >>> w = touchpoint_explorer(crmkit.make_world(300, random_state=0))
    >>> sorted(w.controls)
    ['internal', 'touchpoint']
    """
    func = "touchpoint_explorer"
    prep = _touchpoint_cache(world)
    found = list(prep.tables["complaint_share"]["touchpoint"])
    check_choice(touchpoint, "touchpoint", found, func)
    check_choice(internal, "internal", tuple(INTERNAL_INDICATORS), func)
    controls = {
        "touchpoint": dropdown(
            "Touchpoint", [(_TOUCHPOINT_LABELS.get(t, t), t) for t in found], touchpoint
        ),
        "internal": dropdown(
            "Internal indicator", [(v, k) for k, v in INTERNAL_INDICATORS.items()], internal
        ),
    }

    def render(fig, touchpoint, internal):
        first = not fig.axes  # the call that builds the widget: draw every scatter panel
        return _render_touchpoint(fig, prep, touchpoint, internal, every_indicator=first)

    return live_panel(
        "Perception vs internal indicators, by touchpoint (source 003)",
        controls,
        render,
        figsize=(10.0, 4.4),
        note="Circled: the chosen touchpoint. Survey answers measure perception; complaints, "
        "resolution and speed are the company's own view.",
        layout=None,
        clear=False,  # the Axes are made once, then shown, hidden or emptied and drawn again
    )


def touchpoint_figure(world, *, touchpoint="billing", internal="complaint_share", fig=None):
    """The static twin of :func:`touchpoint_explorer`.

    Returns
    -------
    tuple (matplotlib.figure.Figure, DataFrame)
        The figure and :func:`touchpoint_profile` of the chosen touchpoint.
    """
    import matplotlib.pyplot as plt

    prep = _touchpoint_cache(world)
    if fig is None:
        fig = plt.figure(figsize=(10.0, 4.4), layout="constrained")
    _render_touchpoint(fig, prep, touchpoint, internal)
    return fig, prep.profile(internal, touchpoint)


WIDGETS = {
    "channel_consistency_explorer": channel_consistency_explorer,
    "touchpoint_explorer": touchpoint_explorer,
}
