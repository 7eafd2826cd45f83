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

Static twins: :func:`channel_consistency_figure` and :func:`touchpoint_figure`.
"""

from __future__ import annotations

import html

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import ScaledTranslation

from crmkit import concepts
from crmkit._checks import check_choice
from crmkit.metrics.channels import channel_consistency, channel_price_matrix
from crmkit.metrics.satisfaction import COMPONENTS, touchpoint_satisfaction
from crmkit.plots.satisfaction import draw_touchpoints
from crmkit.plots.strategy import draw_channel_consistency
from crmkit.plots.style import OKABE_ITO
from crmkit.widgets._core import dropdown, empty_axes, exact_margins, live_panel, slider

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
_COMPONENT_LABELS = concepts.labels(concepts.SATISFACTION_COMPONENTS)

#: Internal indicators a touchpoint can be judged by (keys of touchpoint_satisfaction).
INTERNAL_INDICATORS = {
    "complaint_share": "Complaints per contact",
    "share_resolved": "Requests resolved",
    "median_resolution_hours": "Median hours to resolve",
}


# --------------------------------------------------------------------------- consistency
def priced_campaign_types(campaigns: pd.DataFrame) -> list[str]:
    """Campaign types that have a campaign priced on more than one channel, in taxonomy order.

    Parameters
    ----------
    campaigns : DataFrame
        One row per campaign and channel (``world.campaigns``).

    Returns
    -------
    list of str
        Keys of :data:`crmkit.concepts.CAMPAIGN_TYPES`.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"campaign_id": [1, 1, 2],
    ...                   "campaign_type": ["retention", "retention", "win_back"],
    ...                   "channel": ["shop", "web", "web"], "offer_price": [5.0, 5.0, 3.0]})
    >>> priced_campaign_types(c)
    ['retention']
    """
    priced = campaigns[campaigns["offer_price"].notna().to_numpy()]
    n = priced.groupby("campaign_id")["channel"].nunique()
    multi = priced[priced["campaign_id"].isin(n[n > 1].index).to_numpy()]
    found = set(multi["campaign_type"].astype(str))
    return [t for t in concepts.keys(concepts.CAMPAIGN_TYPES) if t in found]


def consistency_report(campaigns: pd.DataFrame, *, tolerance=0.0, truth=None) -> dict:
    """The inconsistent offers at a tolerance, and how they compare with a known truth.

    Parameters
    ----------
    campaigns : DataFrame
        One row per campaign and channel.
    tolerance : float, default=0.0
        Largest price difference (currency units) still counted as one price.
    truth : sequence of int, optional
        Campaign ids known to be inconsistent (``world.truth["inconsistent_campaigns"]``).

    Returns
    -------
    dict
        ``table`` (the output of :func:`crmkit.metrics.channels.channel_consistency`),
        ``inconsistent`` (its rows that are not consistent), ``n_checked`` and,
        when ``truth`` is given, ``found`` (true inconsistencies flagged),
        ``missed`` and ``false_alarms`` (counts, among the campaigns checked).

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"campaign_id": [1, 1, 2, 2], "channel": ["shop", "web"] * 2,
    ...                   "offer_price": [50.0, 50.0, 20.0, 18.0]})
    >>> r = consistency_report(c, tolerance=1.0, truth=[2])
    >>> r["found"], r["missed"], r["false_alarms"]
    (1, 0, 0)
    >>> consistency_report(c, tolerance=2.0, truth=[2])["missed"]
    1
    """
    return _summarise(channel_consistency(campaigns, tolerance=tolerance), truth)


def _summarise(table, truth):
    """:func:`consistency_report` from the table of ``channel_consistency``."""
    bad = table[~table["consistent"]]
    out = {"table": table, "inconsistent": bad, "n_checked": len(table)}
    if truth is not None:
        planted = set(int(t) for t in truth) & set(table["campaign_id"].astype(int))
        flagged = set(bad["campaign_id"].astype(int))
        out["found"] = len(planted & flagged)
        out["missed"] = len(planted - flagged)
        out["false_alarms"] = len(flagged - planted)
    return out


def _price_list(campaigns, cid):
    rows = campaigns[campaigns["campaign_id"] == cid]
    order = {c: i for i, c in enumerate(_CHANNEL_LABELS)}
    pairs = sorted(
        zip(rows["channel"].astype(str), rows["offer_price"], strict=True),
        key=lambda p: order.get(p[0], 99),
    )
    return ", ".join(f"{_CHANNEL_LABELS.get(c, c)} {p:g}" for c, p in pairs if pd.notna(p))


_MAX_ROWS = 20
# Fixed margins (inches) of the heatmap; the colorbar sits at the right of the
# plotting area, its ticks and label in the right margin.
_WIDTH, _LEFT, _RIGHT, _BOTTOM, _TOP = 7.5, 2.0, 1.1, 0.8, 0.8
_BAR_WIDTH, _BAR_PAD = 0.2, 0.14


def _consistency_axes(fig, height):
    """The heatmap's Axes and colorbar Axes on ``fig``, made once and then reused.

    The figure's height follows the number of rows; the Axes keep fixed margins
    in inches, so only their positions change from one call to the next.
    Returns the figure's state: ``{"ax", "cax", "colorbar"}`` (``colorbar``:
    None until the first heatmap is drawn, then the one to reuse).
    """
    fig.set_layout_engine(None)
    fig.set_size_inches(_WIDTH, height)
    made = getattr(fig, "_crmkit_consistency", None)
    if made is None or any(made[k] not in fig.axes for k in ("ax", "cax")):
        ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
        cax = fig.add_axes((0.92, 0.1, 0.02, 0.8))
        ax.tick_params(left=False, bottom=False)  # no tick marks beside the cells
        made = fig._crmkit_consistency = {"ax": ax, "cax": cax, "colorbar": None}
    else:
        empty_axes(made["ax"])  # the colorbar's own artists stay: it follows the new image
    ax, cax = made["ax"], made["cax"]
    w, h = _WIDTH, height
    inner = h - _TOP - _BOTTOM
    right = w - _RIGHT
    width = right - _BAR_PAD - _BAR_WIDTH - _LEFT
    ax.set_position((_LEFT / w, _BOTTOM / h, width / w, inner / h))
    cax.set_position(((right - _BAR_WIDTH) / w, _BOTTOM / h, _BAR_WIDTH / w, inner / h))
    return made


def _render_consistency(fig, prep, campaign_type, tolerance, only_inconsistent):
    what = "all types" if campaign_type == "all" else _TYPE_LABELS.get(campaign_type)
    heading = "All campaign types" if campaign_type == "all" else f"{what} campaigns"
    report = prep.report(campaign_type, tolerance)
    bad = report["inconsistent"]
    matrix = prep.matrix(campaign_type)
    bad_ids = set(bad["campaign_id"])
    if only_inconsistent:
        matrix = matrix[matrix.index.isin(bad_ids)]
    shown = len(matrix)
    cut = ""
    if shown > _MAX_ROWS:  # a taller heatmap is unreadable on a projector, and slow to draw
        ids = list(bad["campaign_id"]) + [c for c in matrix.index if c not in bad_ids]
        matrix = matrix[matrix.index.isin(ids[:_MAX_ROWS])]
        matrix = matrix.loc[:, matrix.notna().any().to_numpy()]  # channels of these rows
        cut = (f"<p><small>The figure shows {_MAX_ROWS} of {shown} campaigns, the "
               "inconsistent ones first; tick “only inconsistent” or pick one campaign type "
               "to see the rest.</small></p>")
        shown = _MAX_ROWS
    state = _consistency_axes(fig, min(max(3.2, 0.2 * shown + 1.9), 16))
    ax, cax = state["ax"], state["cax"]
    if shown:
        ax.set_axis_on()
    else:
        ax.set_axis_off()
    cax.set_visible(bool(shown))
    if shown == 0:
        ax.text(
            0.5,
            0.5,
            f"{what}: every campaign quotes one price on all its channels\n"
            f"(differences up to {tolerance:g} forgiven).",
            ha="center",
            va="center",
            fontsize=11,
            transform=ax.transAxes,
        )
    else:
        # prices written in the cells only for short lists (the table below has them all)
        _, state["colorbar"] = draw_channel_consistency(
            ax, matrix, prep.check(campaign_type, tolerance),
            only_inconsistent=only_inconsistent, annotate=shown <= 12, cax=cax,
            colorbar=state["colorbar"], group_types=True,
        )
        # y given: the title is not moved clear of the tick labels (none on top)
        ax.set_title(f"{heading}\n" + ax.get_title(), fontsize=10, y=1.0)
        ax.set_ylabel("campaign (type and number)", fontsize=9)
        ax.xaxis.label.set_fontsize(9)
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
            f"<td>{html.escape(prep.price_list(r.campaign_id))}</td>"
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


class _Priced:
    """The priced campaigns of a world by type, their price tables and reports (memoised).

    A report at a new tolerance reuses the tolerance-free columns of
    ``channel_consistency`` (computed once per type) and checks again only the
    campaigns whose price spread exceeds the tolerance: the same table, in a
    fraction of the time (a test compares them).
    """

    def __init__(self, world):
        campaigns = world.campaigns
        priced = campaigns[campaigns["offer_price"].notna().to_numpy()].copy()
        priced["campaign_type"] = priced["campaign_type"].astype(str)
        self.priced = priced
        self.types = priced_campaign_types(priced)
        self.subsets = {t: priced[(priced["campaign_type"] == t).to_numpy()] for t in self.types}
        self.subsets["all"] = priced
        self.truth = world.truth.get("inconsistent_campaigns") if world.truth else None
        # one type per campaign: a type's tables are rows of the tables of all types
        self._by_rows = bool(
            (priced.groupby("campaign_id", observed=True)["campaign_type"].nunique() <= 1).all()
        )
        self._bases, self._reports, self._checks, self._matrices, self._prices = {}, {}, {}, {}, {}

    def _base(self, campaign_type):
        """``channel_consistency`` of a type at tolerance 0 (for its tolerance-free columns)."""
        if campaign_type not in self._bases:
            if campaign_type != "all" and self._by_rows:
                base = self._base("all")
                base = base[(base["campaign_type"] == campaign_type).to_numpy()]
                base = base.reset_index(drop=True)
            else:
                base = channel_consistency(self.subsets[campaign_type], tolerance=0.0)
            self._bases[campaign_type] = base
        return self._bases[campaign_type]

    def table(self, campaign_type, tolerance):
        """``channel_consistency`` of a type at a tolerance, from the tolerance-0 table.

        Only the campaigns whose spread exceeds the tolerance are checked again;
        a smaller spread is consistent, with no odd channel.
        """
        base = self._base(campaign_type)
        over = (base["spread"] > tolerance).to_numpy()
        table = base.copy()
        table["consistent"] = True
        table["odd_channels"] = ""
        if over.any():
            sub = self.subsets[campaign_type]
            part = channel_consistency(
                sub[sub["campaign_id"].isin(base["campaign_id"][over]).to_numpy()],
                tolerance=tolerance,
            )
            table.loc[over, "consistent"] = part["consistent"].to_numpy()
            table.loc[over, "odd_channels"] = part["odd_channels"].to_numpy()
        return table

    def report(self, campaign_type, tolerance):
        key = (campaign_type, round(float(tolerance), 6))
        if key not in self._reports:
            self._reports[key] = _summarise(self.table(campaign_type, tolerance), self.truth)
        return self._reports[key]

    def check(self, campaign_type, tolerance):
        """The report's table indexed by campaign."""
        key = (campaign_type, round(float(tolerance), 6))
        if key not in self._checks:
            table = self.report(campaign_type, tolerance)["table"]
            self._checks[key] = table.set_index("campaign_id")
        return self._checks[key]

    def matrix(self, campaign_type):
        """Campaign x channel prices of the multi-channel campaigns of a type."""
        if campaign_type not in self._matrices:
            if campaign_type != "all" and self._by_rows:
                ids = self._base(campaign_type)["campaign_id"]
                m = self.matrix("all")
                m = m[m.index.isin(ids)]
                matrix = m.loc[:, m.notna().any().to_numpy()]  # the channels this type uses
            else:
                matrix = channel_price_matrix(self.subsets[campaign_type])
            self._matrices[campaign_type] = matrix
        return self._matrices[campaign_type]

    def price_list(self, cid):
        """"Shop 50, Web 45": a campaign's price on each of its channels."""
        if cid not in self._prices:
            self._prices[cid] = _price_list(self.priced, cid)
        return self._prices[cid]


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
    prep = _Priced(world)
    types = prep.types
    if not types:
        raise ValueError(
            f"{func}: no campaign in this data is priced on more than one channel "
            "(campaigns.offer_price), so there is no consistency to check."
        )
    if campaign_type is None:
        campaign_type = types[0]
    check_choice(campaign_type, "campaign_type", (*types, "all"), func)
    if isinstance(tolerance, bool) or not isinstance(tolerance, int | float):
        raise TypeError(f"{func}: `tolerance` must be a number, got {tolerance!r}.")
    if not 0 <= tolerance <= 20:
        raise ValueError(f"{func}: `tolerance` must be between 0 and 20; got {tolerance}.")
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

    prep = _Priced(world)
    check_choice(campaign_type, "campaign_type", (*prep.types, "all"), "channel_consistency_figure")
    if fig is None:
        fig = plt.figure(layout="constrained")
    _render_consistency(fig, prep, campaign_type, tolerance, only_inconsistent)
    report = prep.report(campaign_type, tolerance)
    return fig, report["inconsistent"].reset_index(drop=True)


# --------------------------------------------------------------------------- touchpoints
def touchpoint_profile(table: pd.DataFrame, touchpoint: str, truth=None) -> pd.DataFrame:
    """A touchpoint's perceived component scores against the average touchpoint.

    Parameters
    ----------
    table : DataFrame
        The output of :func:`crmkit.metrics.satisfaction.touchpoint_satisfaction`.
    touchpoint : str
        A touchpoint key present in ``table``.
    truth : DataFrame, optional
        ``world.truth["touchpoint_effects"]`` (touchpoint x component).

    Returns
    -------
    DataFrame
        One row per satisfaction component: ``component``, ``name``,
        ``score`` (the touchpoint's mean answer, 1-7), ``average`` (mean over
        the touchpoints with answers), ``difference`` (score - average) and,
        with ``truth``, ``true_effect`` (the planted effect minus its mean over
        the same touchpoints: comparable with ``difference``).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"touchpoint": ["a", "b"], "product": [5.0, 6.0],
    ...                   "peripheral": [4.0, 4.0], "atmosphere": [5.0, 5.0],
    ...                   "psychological": [5.0, 5.0]})
    >>> touchpoint_profile(t, "b")["difference"].tolist()
    [0.5, 0.0, 0.0, 0.0]
    """
    if touchpoint not in set(table["touchpoint"]):
        raise ValueError(
            f"touchpoint_profile: unknown touchpoint {touchpoint!r}; expected one of "
            f"{', '.join(map(repr, table['touchpoint']))}."
        )
    rated = table.dropna(subset=list(COMPONENTS)).set_index("touchpoint")
    row = table.set_index("touchpoint").loc[touchpoint, list(COMPONENTS)].astype(float)
    avg = rated[list(COMPONENTS)].astype(float).mean()
    out = pd.DataFrame(
        {
            "component": list(COMPONENTS),
            "name": [_COMPONENT_LABELS[c] for c in COMPONENTS],
            "score": row.to_numpy(),
            "average": avg.to_numpy(),
        }
    )
    out["difference"] = out["score"] - out["average"]
    if truth is not None and touchpoint in truth.index:
        eff = truth.reindex(rated.index)[list(COMPONENTS)].astype(float)
        out["true_effect"] = (eff.loc[touchpoint] - eff.mean()).to_numpy()
    return out


def _prepare_touchpoints(world):
    tables = {
        k: touchpoint_satisfaction(world.surveys, world.interactions, internal=k)
        for k in INTERNAL_INDICATORS
    }
    truth = world.truth.get("touchpoint_effects") if world.truth else None
    return tables, truth


class _Touchpoints:
    """A world's touchpoint tables by internal indicator, their rows and profiles (memoised)."""

    def __init__(self, world):
        self.tables, self.truth = _prepare_touchpoints(world)
        self._rows, self._profiles = {}, {}

    def row(self, internal, touchpoint):
        key = (internal, touchpoint)
        if key not in self._rows:
            self._rows[key] = self.tables[internal].set_index("touchpoint").loc[touchpoint]
        return self._rows[key]

    def profile(self, internal, touchpoint):
        key = (internal, touchpoint)
        if key not in self._profiles:
            self._profiles[key] = touchpoint_profile(
                self.tables[internal], touchpoint, self.truth
            )
        return self._profiles[key]


def _fmt(v, pct=False, unit=""):
    if v is None or not np.isfinite(v):
        return "n/a"
    return f"{v:.0%}" if pct else f"{v:,.1f}{unit}"


_MEASURE = {}


def _text_box_points(text, size):
    """Width and height (points) of a one-line text box as Agg lays it out; measured once."""
    key = (text, size)
    if key not in _MEASURE:
        if "figure" not in _MEASURE:  # a small figure of its own, at 72 dpi: pixels = points
            from matplotlib.backends.backend_agg import FigureCanvasAgg
            from matplotlib.figure import Figure

            _MEASURE["figure"] = FigureCanvasAgg(Figure(figsize=(1, 1), dpi=72)).figure
        fig = _MEASURE["figure"]
        text_artist = fig.text(0, 0, text, fontsize=size)
        box = text_artist.get_window_extent(fig.canvas.get_renderer())
        text_artist.remove()
        _MEASURE[key] = (box.width, box.height)
    return _MEASURE[key]


def _place_axis_labels(ax, *, x=True, y=True):
    """Put the axis labels where matplotlib's automatic placement would; computed once.

    The automatic placement measures every tick label again on each draw. Here:
    the x label below tick labels of one line, the y label left of the widest
    tick label in view (call once the limits are final and the ticks will not
    change).
    """
    rc = matplotlib.rcParams
    to_inches = ax.figure.dpi_scale_trans
    if x:
        size = ax.xaxis.get_major_ticks(1)[0].label1.get_fontsize()
        below = rc["xtick.major.pad"] + rc["xtick.major.size"] + ax.xaxis.labelpad
        below += _text_box_points("0", size)[1]
        ax.xaxis.set_label_coords(
            0.5, 0, transform=ax.transAxes + ScaledTranslation(0, -below / 72, to_inches)
        )
    if y:
        lo, hi = sorted(ax.get_ylim())
        slack = 1e-9 * (hi - lo)
        locs = [v for v in ax.yaxis.get_major_locator()() if lo - slack <= v <= hi + slack]
        size = ax.yaxis.get_major_ticks(1)[0].label1.get_fontsize()
        labels = ax.yaxis.get_major_formatter().format_ticks(locs)
        widest = max((_text_box_points(t, size)[0] for t in labels if t), default=0.0)
        left = rc["ytick.major.pad"] + rc["ytick.major.size"] + ax.yaxis.labelpad + widest
        ax.yaxis.set_label_coords(
            0, 0.5, transform=ax.transAxes + ScaledTranslation(-left / 72, 0, to_inches)
        )


def _touchpoint_axes(fig):
    """The figure's layout: the components Axes (emptied when reused) and the scatter slot.

    The scatter panel depends on the internal indicator only: each indicator
    gets its own Axes in the left slot (see :func:`_scatter_panel`), drawn
    once and then only shown or hidden.
    """
    state = getattr(fig, "_crmkit_touchpoints", None)
    if state is None or state["components"] not in fig.axes:
        grid = exact_margins(fig, 0.75, 0.35, 1.15, 0.3, wspace=0.35, width_ratios=[1.6, 1])
        slots = fig.add_gridspec(1, 2, **grid)
        ax = fig.add_subplot(slots[0, 1])
        ax.tick_params(labelsize=8)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 5, 10], symmetric=True))
        _place_axis_labels(ax, y=False)
        state = fig._crmkit_touchpoints = {"slot": slots[0, 0], "components": ax, "scatter": {}}
    else:
        empty_axes(state["components"])
    return state


def _scatter_panel(fig, state, prep, internal):
    """The scatter Axes of an internal indicator in the left slot: drawn on first use."""
    ax = state["scatter"].get(internal)
    if ax is not None:
        return ax
    table = prep.tables[internal]
    shown = table[table["overall"].notna() & table[internal].notna()]
    if shown.empty:
        raise ValueError(f"no touchpoint has both survey answers and {internal!r}.")
    ax = state["scatter"][internal] = fig.add_subplot(state["slot"])
    ax.tick_params(labelsize=8)
    draw_touchpoints(ax, shown, internal)
    # y given: the title is not moved clear of tick labels (there are none on top)
    ax.set_title("Perception vs internal indicator", fontsize=10, y=1.0)
    # the legend under the plot, beside the other panel's: it can hide no point there
    offices, _ = ax.get_legend_handles_labels()
    ax.legend(
        handles=[
            *offices,
            Line2D([], [], color="grey", linestyle=":", linewidth=1, label="averages"),
        ],
        frameon=False,
        fontsize=8,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.15),
        ncol=3,
    )
    ax.xaxis.label.set_fontsize(9)
    ax.yaxis.label.set_fontsize(9)
    _place_axis_labels(ax)
    # the chosen touchpoint's ring: moved by each call
    ax._crmkit_ring = ax.scatter(
        [np.nan],
        [np.nan],
        s=320,
        facecolor="none",
        edgecolor=OKABE_ITO["vermillion"],
        linewidth=2.2,
        zorder=4,
    )
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
    ax_s, ax_c = state["scatter"][internal], state["components"]
    row = prep.row(internal, touchpoint)
    name = _TOUCHPOINT_LABELS.get(touchpoint, touchpoint)
    scale = 1.0 if internal == "median_resolution_hours" else 100.0
    ring = pd.notna(row["overall"]) and pd.notna(row[internal])
    ax_s._crmkit_ring.set_offsets(
        [[row[internal] * scale, row["overall"]] if ring else [np.nan, np.nan]]
    )
    if pd.isna(row["overall"]):
        ax_c.set_axis_off()
        ax_c.text(
            0.5,
            0.5,
            f"{name}:\nno survey answer\nrates this touchpoint.",
            ha="center",
            va="center",
            fontsize=10,
            transform=ax_c.transAxes,
        )
    else:
        ax_c.set_axis_on()
        prof = prep.profile(internal, touchpoint)
        y = np.arange(len(prof))
        h = 0.38 if "true_effect" in prof else 0.6
        ax_c.barh(
            y - (h / 2 if "true_effect" in prof else 0),
            prof["difference"],
            h,
            color=OKABE_ITO["blue"],
            label="found in the surveys",
        )
        if "true_effect" in prof:
            ax_c.barh(
                y + h / 2,
                prof["true_effect"],
                h,
                color=OKABE_ITO["orange"],
                label="planted by the generator",
            )
        ax_c.axvline(0, color="black", linewidth=0.8)
        ax_c.set_yticks(y, prof["name"])
        ax_c.set_ylim(len(prof) - 0.5, -0.5)  # first component on top
        lim = max(
            0.4,
            float(np.nanmax(np.abs(prof.filter(["difference", "true_effect"]).to_numpy()))) * 1.25,
        )
        ax_c.set_xlim(-lim, lim)
        ax_c.set_xlabel("vs the average touchpoint (points)", fontsize=9)
        ax_c.set_title(f"{name}: the four components", fontsize=10, y=1.0)
        ax_c.legend(
            frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=1
        )
        ax_c.grid(False)
        ax_c.grid(axis="x", alpha=0.3)
        ax_c.set_axisbelow(True)
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
    prep = _Touchpoints(world)
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

    prep = _Touchpoints(world)
    if fig is None:
        fig = plt.figure(figsize=(10.0, 4.4), layout="constrained")
    _render_touchpoint(fig, prep, touchpoint, internal)
    return fig, prep.profile(internal, touchpoint)


WIDGETS = {
    "channel_consistency_explorer": channel_consistency_explorer,
    "touchpoint_explorer": touchpoint_explorer,
}
