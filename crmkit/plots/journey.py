"""One customer's journey as a timeline: stage spells, purchases, surveys and contacts.

:func:`plot_customer_journey` draws the table of
:func:`crmkit.metrics.journey.customer_journey_table` on one Axes, one lane per
track (contacts: one lane per touchpoint, coloured by the family of the
contact). :class:`JourneyTimeline` holds that drawing's artists, so that the
live widget can show another customer by updating them in place
(:meth:`JourneyTimeline.draw`, :meth:`JourneyTimeline.show_legend`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from crmkit import concepts
from crmkit.metrics.journey import CONTACT_FAMILIES
from crmkit.plots.style import OKABE_ITO, stage_palette

__all__ = [
    "JOURNEY_LEGEND",
    "KIND_FAMILIES",
    "JourneyTimeline",
    "journey_lanes",
    "plot_customer_journey",
]

_STAGES = concepts.keys(concepts.LIFECYCLE_STAGES)
_TOUCHPOINTS = concepts.keys(concepts.TOUCHPOINTS)

#: Colour and marker of each family of contacts: colour and shape both differ.
_FAMILY_STYLE = {
    "complaint": (OKABE_ITO["vermillion"], "X"),
    "request": (OKABE_ITO["blue"], "s"),
    "praise": (OKABE_ITO["bluish_green"], "^"),
    "care": (OKABE_ITO["orange"], "o"),
    "billing": (OKABE_ITO["reddish_purple"], "P"),
    "internal": ("#777777", "d"),
}

#: Families of contact kinds (`crmkit.metrics.journey.CONTACT_FAMILIES`) as drawn:
#: family -> (label, colour, marker, kinds).
KIND_FAMILIES: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    fam: (label, *_FAMILY_STYLE[fam], kinds) for fam, (label, kinds) in CONTACT_FAMILIES.items()
}


def journey_lanes():
    """The timeline's lane names from top to bottom and ``{name: y}`` (top lane: largest y)."""
    tp_names = concepts.labels(concepts.TOUCHPOINTS)
    offices = {t.key: t.group for t in concepts.TOUCHPOINTS}
    lanes = ["Lifecycle stage", "Purchases", "Surveys (overall 1-7)"] + [
        f"{tp_names[t]} ({offices[t]})" for t in _TOUCHPOINTS
    ]
    return lanes, {name: len(lanes) - 1 - i for i, name in enumerate(lanes)}


#: Keyword arguments of the journey's legend (three columns, small, no frame).
JOURNEY_LEGEND = {"ncols": 3, "frameon": False, "fontsize": "small"}


class JourneyTimeline:
    """The artists of a journey timeline on one Axes: built once, then updated per journey.

    The lanes, their tick labels and separators never change; spells, dots and
    score labels are updated in place (`draw` sets every one of them, so the
    picture depends only on the journey drawn, not on the one before): a live
    widget does not pay again for the Axes, their tick labels and the scatters
    on every change of customer.
    """

    def __init__(self, ax):
        import matplotlib.dates as mdates
        from matplotlib.collections import PolyCollection

        self.ax = ax
        lanes, y_of = journey_lanes()
        self.y_of = y_of
        self.palette = stage_palette()
        ax.xaxis_date()
        self.spells = PolyCollection(np.zeros((0, 4, 2)))
        ax.add_collection(self.spells)
        self.buys = ax.scatter(
            [], [], color="#333333", alpha=0.75, edgecolor="white", linewidth=0.5, zorder=3
        )
        self.surveys = ax.scatter(
            [],
            [],
            marker="D",
            s=45,
            color=OKABE_ITO["sky_blue"],
            edgecolor="black",
            linewidth=0.5,
            zorder=3,
        )
        self.scores = []  # survey score labels, reused (hidden when not needed)
        self.legends = {}  # legends by their labels (built once each, see show_legend)
        self.legend = None  # the legend shown
        self.contacts = {
            fam: ax.scatter(
                [],
                [],
                s=34,
                color=colour,
                marker=marker,
                edgecolor="black",
                linewidth=0.3,
                zorder=3,
            )
            for fam, (_, colour, marker, _) in KIND_FAMILIES.items()
        }
        ax.set_yticks(list(y_of.values()), list(y_of.keys()))
        ax.set_ylim(-0.7, len(lanes) - 0.3)
        ax.axhline(y_of["Surveys (overall 1-7)"] - 0.5, color="grey", linewidth=0.6)
        tp_names = concepts.labels(concepts.TOUCHPOINTS)
        offices = {t.key: t.group for t in concepts.TOUCHPOINTS}
        first_back = min(
            y_of[f"{tp_names[t]} ({offices[t]})"] for t in _TOUCHPOINTS if offices[t] == "front"
        )
        ax.axhline(first_back - 0.5, color="grey", linewidth=0.6, linestyle=":")
        locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.grid(axis="x", alpha=0.3)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("Date")

    def _score_label(self, i):
        while len(self.scores) <= i:
            self.scores.append(
                self.ax.annotate("", (0, 0), xytext=(4, 4), textcoords="offset points", fontsize=8)
            )
        return self.scores[i]

    def show_legend(self, handles, **kwargs):
        """Show the legend of ``handles`` (from :meth:`draw`) on the Axes; return it.

        Each set of entries is built once (with `JOURNEY_LEGEND` and ``kwargs``,
        e.g. ``loc``, ``bbox_to_anchor``) and kept, then shown again when a
        journey with the same entries comes back; no handles: no legend.
        """
        from matplotlib.legend import Legend

        labels = [h.get_label() for h in handles]
        legend = self.legends.get(tuple(labels))
        if legend is None and handles:
            legend = Legend(self.ax, handles, labels, **JOURNEY_LEGEND, **kwargs)
            self.legends[tuple(labels)] = legend
        if legend is not self.legend:
            if self.legend is not None:
                self.legend.remove()
            if legend is not None:
                self.ax.add_artist(legend)
            self.legend = legend
        return legend

    def draw(self, journey, *, title=None, start=None, end=None):
        """Show ``journey`` (from ``customer_journey_table``); return the legend's handles."""
        import matplotlib.dates as mdates

        ax, y_of = self.ax, self.y_of
        tp_names = concepts.labels(concepts.TOUCHPOINTS)
        offices = {t.key: t.group for t in concepts.TOUCHPOINTS}
        track = journey["track"].to_numpy()
        dates = mdates.date2num(journey["date"]) if len(journey) else np.zeros(0)

        spells = journey[track == "stage"]
        x0 = dates[track == "stage"]
        ends = spells["end_date"].where(spells["end_date"].notna(), spells["date"])
        x1 = mdates.date2num(ends) if len(spells) else np.zeros(0)
        y = y_of["Lifecycle stage"]
        x1 = x0 + np.maximum(x1 - x0, 1.0)
        self.spells.set_verts(
            [
                [(a, y - 0.35), (a, y + 0.35), (b, y + 0.35), (b, y - 0.35)]
                for a, b in zip(x0, x1, strict=True)
            ]
        )
        self.spells.set_facecolor([self.palette.get(k, "grey") for k in spells["kind"]])

        is_buy = track == "purchase"
        amount = journey.loc[is_buy, "amount"].to_numpy(dtype=float)
        self.buys.set_offsets(
            np.column_stack([dates[is_buy], np.full(len(amount), y_of["Purchases"])])
        )
        self.buys.set_sizes(
            15 + 120 * np.sqrt(amount / max(np.nanmax(amount), 1e-9)) if len(amount) else []
        )

        is_survey = track == "survey"
        ys = y_of["Surveys (overall 1-7)"]
        xs = dates[is_survey]
        self.surveys.set_offsets(np.column_stack([xs, np.full(len(xs), ys)]))
        scores = journey.loc[is_survey, "score"].to_numpy(dtype=float)
        for i, (d, sc) in enumerate(zip(xs, scores, strict=True)):
            label = self._score_label(i)
            label.xy = (d, ys)
            label.xyann = (4, 4 if i % 2 else -11)
            label.set_text(f"{sc:.0f}")
            label.set_visible(True)
        for label in self.scores[len(xs) :]:
            label.set_visible(False)

        is_contact = track == "contact"
        family = journey["family"].to_numpy()
        lane = {t: y_of[f"{tp_names[t]} ({offices[t]})"] for t in _TOUCHPOINTS}
        touchpoint = journey["touchpoint"].to_numpy()
        for fam, coll in self.contacts.items():
            sel = is_contact & (family == fam)
            coll.set_offsets(
                np.column_stack([dates[sel], [lane[t] for t in touchpoint[sel]]])
                if sel.any()
                else np.zeros((0, 2))
            )

        lo = pd.Timestamp(start) if start is not None else journey["date"].min()
        hi = pd.Timestamp(end) if end is not None else journey[["date", "end_date"]].max().max()
        if pd.notna(lo) and pd.notna(hi):
            pad = max((hi - lo) / 40, pd.Timedelta(days=3))
            ax.set_xlim(mdates.date2num(lo - pad), mdates.date2num(hi + pad))
        else:  # nothing to show: matplotlib's default span of an empty date axis
            ax.set_xlim(
                mdates.date2num(pd.Timestamp("2000-01-01")),
                mdates.date2num(pd.Timestamp("2010-01-01")),
            )
        ax.set_title(title or "A customer's journey", y=1.0)

        # legend: the stages seen, purchases, surveys, and the contact families seen
        stage_names = concepts.labels(concepts.LIFECYCLE_STAGES)
        seen_stages = set(spells["kind"])
        handles = [
            Patch(color=self.palette[s], label=f"Stage: {stage_names[s]}")
            for s in _STAGES
            if s in seen_stages
        ]
        if is_buy.any():
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="o",
                    linestyle="",
                    color="#333333",
                    label="Purchase (area = amount)",
                )
            )
        if is_survey.any():
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="D",
                    linestyle="",
                    color=OKABE_ITO["sky_blue"],
                    markeredgecolor="black",
                    label="Survey answer",
                )
            )
        seen = set(family[is_contact])
        for fam, (label, colour, marker, _) in KIND_FAMILIES.items():
            if fam in seen:
                handles.append(
                    Line2D(
                        [],
                        [],
                        marker=marker,
                        linestyle="",
                        color=colour,
                        markeredgecolor="black",
                        label=f"Contact: {label}",
                    )
                )
        return handles


def plot_customer_journey(journey, *, title=None, start=None, end=None, ax=None):
    """Draw a journey (from ``customer_journey_table``) as a timeline with one lane per track.

    From top to bottom: the lifecycle stage (coloured spans), purchases (dot
    area = amount), surveys (the overall score written beside the diamond), then
    one lane per touchpoint (front office first) with the contacts coloured by
    family (`KIND_FAMILIES`).

    Parameters
    ----------
    journey : pandas.DataFrame
        The result of :func:`crmkit.metrics.journey.customer_journey_table`.
    title : str, optional
        Figure title (pass names through `crmkit.lessons.bidi_text` first).
    start, end : date-like, optional
        Limits of the time axis (by default the journey's own span).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (default: the current Axes).

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    func = "plot_customer_journey"
    if not isinstance(journey, pd.DataFrame) or "track" not in journey.columns:
        raise TypeError(
            f"{func}: `journey` must be the table returned by customer_journey_table(world, id); "
            f"got {type(journey).__name__}."
        )
    ax = plt.gca() if ax is None else ax
    handles = JourneyTimeline(ax).draw(journey, title=title, start=start, end=end)
    if handles:
        ax.legend(handles=handles, **JOURNEY_LEGEND, loc="upper center", bbox_to_anchor=(0.5, -0.1))
    return ax
