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

import numpy as np
import pandas as pd

from crmkit import concepts
from crmkit._checks import check_choice
from crmkit.metrics.channels import channel_consistency
from crmkit.metrics.satisfaction import COMPONENTS, touchpoint_satisfaction
from crmkit.plots._style import OKABE_ITO
from crmkit.plots.satisfaction import plot_touchpoint_satisfaction
from crmkit.plots.strategy import plot_channel_consistency
from crmkit.widgets._core import _margins, dropdown, live_panel, slider

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
    table = channel_consistency(campaigns, tolerance=tolerance)
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


def _render_consistency(fig, prep, campaign_type, tolerance, only_inconsistent):
    sub, truth = prep.subsets[campaign_type], prep.truth
    what = "all types" if campaign_type == "all" else _TYPE_LABELS.get(campaign_type)
    heading = "All campaign types" if campaign_type == "all" else f"{what} campaigns"
    report = prep.report(campaign_type, tolerance)
    bad = report["inconsistent"]
    shown = len(bad) if only_inconsistent else report["n_checked"]
    cut = ""
    if shown > _MAX_ROWS:  # a taller heatmap is unreadable on a projector, and slow to draw
        multi = sub.groupby("campaign_id", observed=True)["channel"].nunique()
        ids = list(bad["campaign_id"]) + [c for c in multi.index[multi > 1]
                                          if c not in set(bad["campaign_id"])]
        sub = sub[sub["campaign_id"].isin(ids[:_MAX_ROWS])]
        cut = (f"<p><small>The figure shows {_MAX_ROWS} of {shown} campaigns, the "
               "inconsistent ones first; tick “only inconsistent” or pick one campaign type "
               "to see the rest.</small></p>")
        shown = _MAX_ROWS
    fig.set_size_inches(7.5, min(max(3.2, 0.2 * shown + 1.9), 16))
    ax = fig.subplots(gridspec_kw=_margins(fig, 1.75, 1.1, 0.8, 0.8))
    if shown == 0:
        ax.axis("off")
        ax.text(
            0.5,
            0.5,
            f"{what}: every campaign quotes one price on all its channels\n"
            f"(differences up to {tolerance:g} forgiven).",
            ha="center",
            va="center",
            fontsize=11,
        )
    else:
        # prices written in the cells only for short lists (the table below has them all)
        plot_channel_consistency(
            sub, only_inconsistent=only_inconsistent, tolerance=tolerance, ax=ax,
            annotate=shown <= 12,
        )
        ax.set_title(f"{heading}\n" + ax.get_title(), fontsize=10)
        ax.set_ylabel("campaign (number and type)", fontsize=9)
        ax.xaxis.label.set_fontsize(9)
    lines = [
        f"<p><b>{len(bad)} of {report['n_checked']} multi-channel campaigns "
        f"({html.escape(what)}) quote different prices</b> when a difference of up to "
        f"{tolerance:g} currency units counts as the same price.</p>"
    ]
    if truth is not None:
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
            f"<td>{html.escape(_price_list(sub, r.campaign_id))}</td>"
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
    """The priced campaigns of a world by type, and their consistency reports (memoised)."""

    def __init__(self, world):
        campaigns = world.campaigns
        priced = campaigns[campaigns["offer_price"].notna().to_numpy()].copy()
        priced["campaign_type"] = priced["campaign_type"].astype(str)
        self.types = priced_campaign_types(priced)
        self.subsets = {t: priced[(priced["campaign_type"] == t).to_numpy()] for t in self.types}
        self.subsets["all"] = priced
        self.truth = world.truth.get("inconsistent_campaigns") if world.truth else None
        self._reports = {}

    def report(self, campaign_type, tolerance):
        key = (campaign_type, round(float(tolerance), 6))
        if key not in self._reports:
            self._reports[key] = consistency_report(
                self.subsets[campaign_type], tolerance=tolerance, truth=self.truth
            )
        return self._reports[key]


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


def _with_renderer(fig):
    """Give a bare Figure an Agg canvas, so that point labels can avoid each other."""
    if not hasattr(fig.canvas, "get_renderer"):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(fig)


def _prepare_touchpoints(world):
    tables = {
        k: touchpoint_satisfaction(world.surveys, world.interactions, internal=k)
        for k in INTERNAL_INDICATORS
    }
    truth = world.truth.get("touchpoint_effects") if world.truth else None
    return tables, truth


def _fmt(v, pct=False, unit=""):
    if v is None or not np.isfinite(v):
        return "n/a"
    return f"{v:.0%}" if pct else f"{v:,.1f}{unit}"


def _render_touchpoint(fig, tables, truth, touchpoint, internal):
    _with_renderer(fig)
    table = tables[internal]
    grid = _margins(fig, 0.75, 0.35, 1.15, 0.3, wspace=0.35, width_ratios=[1.6, 1])
    ax_s, ax_c = fig.subplots(1, 2, gridspec_kw=grid)
    plot_touchpoint_satisfaction(table, internal=internal, ax=ax_s)
    ax_s.set_title("Perception vs internal indicator", fontsize=10)
    old = ax_s.get_legend()
    if old is not None:  # let matplotlib put the legend where it hides no point
        ax_s.legend(
            loc="best",
            frameon=False,
            fontsize=8,
            title=old.get_title().get_text(),
            title_fontsize=8,
        )
    ax_s.xaxis.label.set_fontsize(9)
    ax_s.yaxis.label.set_fontsize(9)
    row = table.set_index("touchpoint").loc[touchpoint]
    name = _TOUCHPOINT_LABELS.get(touchpoint, touchpoint)
    scale = 1.0 if internal == "median_resolution_hours" else 100.0
    if pd.notna(row["overall"]) and pd.notna(row[internal]):
        ax_s.scatter(
            row[internal] * scale,
            row["overall"],
            s=320,
            facecolor="none",
            edgecolor=OKABE_ITO["vermillion"],
            linewidth=2.2,
            zorder=4,
        )
    if pd.isna(row["overall"]):
        ax_c.axis("off")
        ax_c.text(
            0.5,
            0.5,
            f"{name}:\nno survey answer\nrates this touchpoint.",
            ha="center",
            va="center",
            fontsize=10,
        )
        prof = None
    else:
        prof = touchpoint_profile(table, touchpoint, truth)
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
        ax_c.invert_yaxis()
        lim = max(
            0.4,
            float(np.nanmax(np.abs(prof.filter(["difference", "true_effect"]).to_numpy()))) * 1.25,
        )
        ax_c.set_xlim(-lim, lim)
        ax_c.set_xlabel("vs the average touchpoint (points)", fontsize=9)
        ax_c.set_title(f"{name}: the four components", fontsize=10)
        ax_c.legend(
            frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=1
        )
        ax_c.grid(False)
        ax_c.grid(axis="x", alpha=0.3)
        ax_c.set_axisbelow(True)
    for ax in (ax_s, ax_c):
        ax.tick_params(labelsize=8)
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
    tables, truth = _prepare_touchpoints(world)
    found = list(tables["complaint_share"]["touchpoint"])
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
        return _render_touchpoint(fig, tables, truth, touchpoint, internal)

    return live_panel(
        "Perception vs internal indicators, by touchpoint (source 003)",
        controls,
        render,
        figsize=(10.0, 4.4),
        note="Circled: the chosen touchpoint. Survey answers measure perception; complaints, "
        "resolution and speed are the company's own view.",
    )


def touchpoint_figure(world, *, touchpoint="billing", internal="complaint_share", fig=None):
    """The static twin of :func:`touchpoint_explorer`.

    Returns
    -------
    tuple (matplotlib.figure.Figure, DataFrame)
        The figure and :func:`touchpoint_profile` of the chosen touchpoint.
    """
    import matplotlib.pyplot as plt

    tables, truth = _prepare_touchpoints(world)
    if fig is None:
        fig = plt.figure(figsize=(10.0, 4.4), layout="constrained")
    _render_touchpoint(fig, tables, truth, touchpoint, internal)
    return fig, touchpoint_profile(tables[internal], touchpoint, truth)


WIDGETS = {
    "channel_consistency_explorer": channel_consistency_explorer,
    "touchpoint_explorer": touchpoint_explorer,
}
