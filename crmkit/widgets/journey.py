"""One customer's journey: every purchase, contact, survey and stage change on a timeline.

Source 003 calls a relationship the sum of small encounters between a customer
and the company, on every channel and at every contact; source 004 adds that it
covers marketing communication, sales support, technical help and customer
service. This module lays one customer's encounters side by side:

`journey_sample`
    a varied sample of customers to look at (all relationship types, active,
    dissolved and won-back customers), labelled ``"id · name"``;
`customer_journey_table`
    the journey of one customer as a table, one row per event;
`plot_customer_journey`
    that table as a timeline (stage spells, purchases, surveys, and contacts on
    one lane per touchpoint, coloured by the family of the contact);
`customer_journey`
    the widget: choose a customer, see the timeline and a summary of counts;
`customer_journey_figure`
    its static twin, for pages and print.
"""

from __future__ import annotations

import html
import weakref

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from crmkit import concepts
from crmkit.lessons import bidi_text
from crmkit.plots.style import OKABE_ITO, stage_palette
from crmkit.widgets._core import (
    data_end,
    dropdown,
    line_inches,
    live_panel,
    padded_grid,
    text_inches,
)

__all__ = [
    "KIND_FAMILIES",
    "journey_sample",
    "customer_journey_table",
    "plot_customer_journey",
    "customer_journey",
    "customer_journey_figure",
    "WIDGETS",
]

STAGES = concepts.keys(concepts.LIFECYCLE_STAGES)
TOUCHPOINTS = concepts.keys(concepts.TOUCHPOINTS)
KINDS = concepts.keys(concepts.INTERACTION_KINDS)

#: Families of contact kinds, so that a timeline needs six colours, not fourteen.
#: Each family: (label, colour, marker, kinds); colour and shape both differ.
KIND_FAMILIES: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "complaint": ("Complaint", OKABE_ITO["vermillion"], "X", ("complaint",)),
    "request": ("Question or request", OKABE_ITO["blue"], "s", ("inquiry", "technical_request")),
    "praise": (
        "Praise, referral or idea",
        OKABE_ITO["bluish_green"],
        "^",
        ("positive_feedback", "referral", "suggestion"),
    ),
    "care": (
        "Care from the company",
        OKABE_ITO["orange"],
        "o",
        (
            "follow_up",
            "newsletter",
            "personal_note",
            "personal_call",
            "special_occasion",
            "useful_information",
        ),
    ),
    "billing": ("Payment reminder", OKABE_ITO["reddish_purple"], "P", ("payment_reminder",)),
    "internal": ("Internal note by staff", "#777777", "d", ("care_feedback",)),
}
_FAMILY_OF = {k: fam for fam, (_, _, _, kinds) in KIND_FAMILIES.items() for k in kinds}
assert set(_FAMILY_OF) == set(KINDS), "KIND_FAMILIES must cover every interaction kind"

_TRACKS = ("stage", "purchase", "survey", "contact")
_COLUMNS = [
    "date",
    "end_date",
    "track",
    "kind",
    "family",
    "touchpoint",
    "office",
    "channel",
    "amount",
    "score",
    "detail",
]


# --------------------------------------------------------------------------- data
def _names(customers) -> pd.Series:
    first = customers["first_name"].astype("string").fillna("")
    last = customers["last_name"].astype("string").fillna("")
    return (first + " " + last).str.strip()


def _check_world(world, func):
    for name in ("customers", "stage_history"):
        if not isinstance(getattr(world, name, None), pd.DataFrame):
            raise TypeError(
                f"{func}: `world` must be a crmkit World (e.g. crmkit.load_dataset()); "
                f"got {type(world).__name__}."
            )


def journey_sample(world, n=40, *, random_state=0) -> pd.DataFrame:
    """A varied sample of customers whose journeys are worth a look.

    Customers with at least two purchases and three contacts are grouped by
    relationship type and by status (active, dissolved, won back after a
    dissolution); the sample takes turns among the groups, so every type and
    status appears. The first row is the customer with the richest history
    (most kinds of encounter and stage changes): a good default.

    Parameters
    ----------
    world : crmkit.World
    n : int, default=40
        Customers in the sample (fewer if the world has fewer).
    random_state : int, default=0
        Seed of the choice within each group.

    Returns
    -------
    pandas.DataFrame
        ``customer_id``, ``label`` (``"id · first last"``), ``relationship_type``,
        ``status`` (``"active"``, ``"dissolved"`` or ``"won back"``),
        ``purchases``, ``contacts``, ``surveys`` and ``stage_changes``.

    Examples
    --------
    >>> import crmkit
    >>> w = crmkit.make_world(300, random_state=0)
    >>> s = journey_sample(w, 10)
    >>> len(s), list(s.columns[:2])
    (10, ['customer_id', 'label'])
    """
    func = "journey_sample"
    _check_world(world, func)
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"{func}: `n` must be a whole number >= 1; got {n!r}.")
    c = world.customers
    ids = c["customer_id"].to_numpy()
    idx = pd.Index(ids)

    def count(df):
        if df is None or not len(df):
            return np.zeros(len(ids), dtype=np.int64)
        return df["customer_id"].value_counts().reindex(idx, fill_value=0).to_numpy()

    sh = world.stage_history
    purchases = count(world.transactions)
    contacts = count(getattr(world, "interactions", None))
    surveys = count(getattr(world, "surveys", None))
    spells = count(sh)
    kinds = np.zeros(len(ids), dtype=np.int64)
    if getattr(world, "interactions", None) is not None and len(world.interactions):
        kinds = (
            world.interactions.groupby("customer_id")["kind"]
            .nunique()
            .reindex(idx, fill_value=0)
            .to_numpy()
        )
    is_d = (sh["stage"].astype("string") == "dissolution").to_numpy()
    dissolved_ever = pd.Index(sh.loc[is_d, "customer_id"].unique())
    now_d = (c["lifecycle_stage"].astype("string") == "dissolution").fillna(False).to_numpy()
    status = np.where(now_d, "dissolved", np.where(idx.isin(dissolved_ever), "won back", "active"))
    frame = pd.DataFrame(
        {
            "customer_id": ids,
            "label": [f"{i} · {name}" for i, name in zip(ids, _names(c), strict=True)],
            "relationship_type": c["relationship_type"].astype("string").fillna("unknown"),
            "status": status,
            "purchases": purchases,
            "contacts": contacts,
            "surveys": surveys,
            "stage_changes": np.maximum(spells - 1, 0),
        }
    )
    richness = (
        (purchases > 0).astype(int)
        + (surveys > 0)
        + kinds
        + 2 * np.minimum(spells - 1, 4)
        + np.minimum(purchases, 10) / 10
    )
    pool = frame[(purchases >= 2) & (contacts >= 3)]
    if len(pool) < n:
        pool = frame[(purchases >= 1) | (contacts >= 1)]
    if len(pool) < n:
        pool = frame
    rng = np.random.default_rng(random_state)
    groups = [
        g.index.to_numpy()[rng.permutation(len(g))]
        for _, g in pool.groupby(["relationship_type", "status"], sort=True)
    ]
    chosen: list[int] = []
    depth = 0
    while len(chosen) < min(n, len(pool)):
        added = False
        for g in groups:
            if depth < len(g) and len(chosen) < n:
                chosen.append(int(g[depth]))
                added = True
        if not added:
            break
        depth += 1
    out = frame.loc[chosen]
    best = int(out.index[np.argmax(richness[out.index.to_numpy()])])
    rest = out.drop(index=best).sort_values("customer_id")
    return pd.concat([out.loc[[best]], rest]).reset_index(drop=True)


def customer_journey_table(world, customer_id, *, as_of=None) -> pd.DataFrame:
    """Every encounter of one customer with the company, in date order.

    Parameters
    ----------
    world : crmkit.World
    customer_id : int
        A value of ``world.customers["customer_id"]``.
    as_of : str or Timestamp, optional
        End of the last (open) stage spell; by default the latest date in the
        world.

    Returns
    -------
    pandas.DataFrame
        One row per event, sorted by ``date``:

        ``date``, ``end_date``
            When it happened (``end_date`` only for stage spells: the start of
            the next spell, or ``as_of`` for the current one).
        ``track``
            ``"stage"``, ``"purchase"``, ``"survey"`` or ``"contact"``.
        ``kind``
            The stage key, the interaction kind, the survey method, or
            ``"purchase"``.
        ``family``
            For contacts: the key of `KIND_FAMILIES`.
        ``touchpoint``, ``office``, ``channel``
            Where it happened (as far as known).
        ``amount``
            Amount paid (purchases).
        ``score``
            Overall satisfaction 1-7 (surveys).
        ``detail``
            The event in words.

    Examples
    --------
    >>> import crmkit
    >>> w = crmkit.make_world(300, random_state=0)
    >>> j = customer_journey_table(w, int(w.customers["customer_id"].iloc[0]))
    >>> sorted(set(j["track"]) - {"stage", "purchase", "survey", "contact"})
    []
    """
    func = "customer_journey_table"
    _check_world(world, func)
    known = world.customers["customer_id"]
    if isinstance(customer_id, bool) or not isinstance(customer_id, int | np.integer):
        raise TypeError(
            f"{func}: `customer_id` must be a whole number such as "
            f"{int(known.iloc[0])}; got {customer_id!r} ({type(customer_id).__name__})."
        )
    if not (known == customer_id).any():
        raise ValueError(
            f"{func}: no customer with customer_id {customer_id}; ids run from "
            f"{int(known.min())} to {int(known.max())}."
        )
    end = data_end(world) if as_of is None else pd.Timestamp(as_of)
    stage_names = concepts.labels(concepts.LIFECYCLE_STAGES)
    kind_names = concepts.labels(concepts.INTERACTION_KINDS)
    tp_names = concepts.labels(concepts.TOUCHPOINTS)
    ch_names = concepts.labels(concepts.CHANNELS)
    cat_names = concepts.labels(concepts.PRODUCT_CATEGORIES)
    method_names = concepts.labels(concepts.SURVEY_METHODS)
    reason_names = concepts.labels(concepts.DISSOLUTION_REASONS)
    parts = []

    sh = world.stage_history[world.stage_history["customer_id"] == customer_id]
    if len(sh):
        sh = sh.sort_values("start_date", kind="stable")
        reason = sh["reason"].astype("string")
        stage = sh["stage"].astype("string")
        detail = [
            f"{stage_names.get(s, s)}" + (f" ({reason_names.get(r, r)})" if pd.notna(r) else "")
            for s, r in zip(stage, reason, strict=True)
        ]
        parts.append(
            pd.DataFrame(
                {
                    "date": sh["start_date"].to_numpy(),
                    "end_date": sh["end_date"].fillna(end).to_numpy(),
                    "track": "stage",
                    "kind": stage.to_numpy(),
                    "detail": detail,
                }
            )
        )
    tx = world.transactions[world.transactions["customer_id"] == customer_id]
    if len(tx):
        channel = tx["channel"].astype("string")
        category = tx["category"].astype("string")
        parts.append(
            pd.DataFrame(
                {
                    "date": tx["date"].to_numpy(),
                    "track": "purchase",
                    "kind": "purchase",
                    "channel": channel.to_numpy(),
                    "amount": tx["amount"].to_numpy(dtype=float),
                    "detail": [
                        f"bought {cat_names.get(cat, cat)} for {amt:,.2f} ({ch_names.get(ch, ch)})"
                        for cat, amt, ch in zip(category, tx["amount"], channel, strict=True)
                    ],
                }
            )
        )
    it = getattr(world, "interactions", None)
    if it is not None and len(it):
        it = it[it["customer_id"] == customer_id]
    if it is not None and len(it):
        kind = it["kind"].astype("string")
        tp = it["touchpoint"].astype("string")
        channel = it["channel"].astype("string")
        parts.append(
            pd.DataFrame(
                {
                    "date": it["date"].to_numpy(),
                    "track": "contact",
                    "kind": kind.to_numpy(),
                    "family": kind.map(_FAMILY_OF).to_numpy(),
                    "touchpoint": tp.to_numpy(),
                    "office": it["office"].astype("string").to_numpy(),
                    "channel": channel.to_numpy(),
                    "detail": [
                        f"{kind_names.get(k, k)} at {tp_names.get(t, t)} ({ch_names.get(ch, ch)})"
                        for k, t, ch in zip(kind, tp, channel, strict=True)
                    ],
                }
            )
        )
    sv = getattr(world, "surveys", None)
    if sv is not None and len(sv):
        sv = sv[sv["customer_id"] == customer_id]
    if sv is not None and len(sv):
        method = sv["method"].astype("string")
        tp = sv["touchpoint"].astype("string")
        parts.append(
            pd.DataFrame(
                {
                    "date": sv["date"].to_numpy(),
                    "track": "survey",
                    "kind": method.to_numpy(),
                    "touchpoint": tp.to_numpy(),
                    "score": sv["overall"].to_numpy(dtype=float),
                    "detail": [
                        f"{method_names.get(m, m)}: overall {o}/7"
                        + (f" on {tp_names.get(t, t)}" if pd.notna(t) else "")
                        for m, o, t in zip(method, sv["overall"], tp, strict=True)
                    ],
                }
            )
        )
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in _COLUMNS})
    out = pd.concat(parts, ignore_index=True).reindex(columns=_COLUMNS)
    out["date"] = pd.to_datetime(out["date"])
    out["end_date"] = pd.to_datetime(out["end_date"])
    out["amount"] = out["amount"].astype(float)
    out["score"] = out["score"].astype(float)
    order = {t: i for i, t in enumerate(_TRACKS)}
    out["_o"] = out["track"].map(order)
    out = out.sort_values(["date", "_o"], kind="stable").drop(columns="_o")
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- figure
def _lanes():
    """Lane names from top to bottom and ``{name: y}`` (the top lane has the largest y)."""
    tp_names = concepts.labels(concepts.TOUCHPOINTS)
    offices = {t.key: t.group for t in concepts.TOUCHPOINTS}
    lanes = ["Lifecycle stage", "Purchases", "Surveys (overall 1-7)"] + [
        f"{tp_names[t]} ({offices[t]})" for t in TOUCHPOINTS
    ]
    return lanes, {name: len(lanes) - 1 - i for i, name in enumerate(lanes)}


_LEGEND = {"ncols": 3, "frameon": False, "fontsize": "small"}


class _Timeline:
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
        lanes, y_of = _lanes()
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
        self.legends = {}  # a widget's legends by their labels (built once each)
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
            y_of[f"{tp_names[t]} ({offices[t]})"] for t in TOUCHPOINTS if offices[t] == "front"
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

    def draw(self, journey, *, title=None, start=None, end=None):
        """Show ``journey`` (from `customer_journey_table`); return the legend's handles."""
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
        lane = {t: y_of[f"{tp_names[t]} ({offices[t]})"] for t in TOUCHPOINTS}
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
            for s in STAGES
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
    """Draw a journey (from `customer_journey_table`) as a timeline with one lane per track.

    From top to bottom: the lifecycle stage (coloured spans), purchases (dot
    area = amount), surveys (the overall score written beside the diamond), then
    one lane per touchpoint (front office first) with the contacts coloured by
    family (`KIND_FAMILIES`).

    Parameters
    ----------
    journey : pandas.DataFrame
        The result of `customer_journey_table`.
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
    handles = _Timeline(ax).draw(journey, title=title, start=start, end=end)
    if handles:
        ax.legend(handles=handles, **_LEGEND, loc="upper center", bbox_to_anchor=(0.5, -0.1))
    return ax


# --------------------------------------------------------------------------- widget
class _Journeys:
    """Per world: the sample and the tables of the sampled customers (computed once)."""

    def __init__(self, world, n, random_state):
        from matplotlib import rcParams

        self.sample = journey_sample(world, n, random_state=random_state)
        self.end = data_end(world)
        self.start = world.customers["signup_date"].min()
        ids = set(self.sample["customer_id"].tolist())
        self.tables = {i: customer_journey_table(world, i, as_of=self.end) for i in ids}
        c = world.customers.set_index("customer_id")
        self.info = c.loc[list(ids)]
        self.names = _names(world.customers).set_axis(world.customers["customer_id"])
        self._timelines = weakref.WeakKeyDictionary()  # figure -> its _Timeline (Axes kept)
        self._summaries = {}  # customer_id -> summary HTML
        self._left = text_inches(_lanes()[0], rcParams["ytick.labelsize"])  # lane names

    def render(self, fig, customer_id, window="customer"):
        from matplotlib import rcParams

        j = self.tables[customer_id]
        timeline = self._timelines.get(fig)
        if timeline is None or timeline.ax not in fig.axes:
            fig.set_layout_engine(None)
            timeline = self._timelines[fig] = _Timeline(fig.add_axes((0.1, 0.1, 0.8, 0.8)))
        name = self.names.get(customer_id, "")
        title = f"Journey of customer {customer_id} · {bidi_text(name)}"
        span = {} if window == "customer" else {"start": self.start, "end": self.end}
        handles = timeline.draw(j, title=title, **span)
        # the legend, at the bottom of the figure: one per set of entries, built once
        labels = tuple(h.get_label() for h in handles)
        legend = timeline.legends.get(labels)
        if legend is None and handles:
            legend = timeline.legends[labels] = timeline.ax.legend(
                handles=handles,
                **_LEGEND,
                loc="lower center",
                bbox_to_anchor=(0.5, 0.01),
                bbox_transform=fig.transFigure,
            )
        timeline.ax.legend_ = legend
        # margins: the lane names on the left, the legend's rows at the bottom
        tick = rcParams["ytick.labelsize"]
        rows = max(1, -(-len(handles) // 3))
        legend_h = line_inches("small", rows) + 0.15
        bottom = legend_h + line_inches(tick, 2) + line_inches("medium") + 0.2
        g = padded_grid(fig, self._left, 0.15, bottom, line_inches("large"))
        timeline.ax.set_position(
            (g["left"], g["bottom"], g["right"] - g["left"], g["top"] - g["bottom"])
        )
        if customer_id not in self._summaries:
            self._summaries[customer_id] = journey_summary_html(j, self.info.loc[customer_id], name)
        return self._summaries[customer_id]


def journey_summary_html(journey, info, name="") -> str:
    """A small HTML table of counts for one journey (escaped; names keep their direction)."""
    types = concepts.labels(concepts.RELATIONSHIP_TYPES)
    origins = concepts.labels(concepts.ORIGINS)
    stages = concepts.labels(concepts.LIFECYCLE_STAGES)
    buys = journey[journey["track"] == "purchase"]
    contacts = journey[journey["track"] == "contact"]
    surveys = journey[journey["track"] == "survey"]
    n_changes = max(int((journey["track"] == "stage").sum()) - 1, 0)
    front = int((contacts["office"] == "front").sum())
    back = int((contacts["office"] == "back").sum())
    complaints = int((contacts["kind"] == "complaint").sum())
    mean = f"{surveys['score'].mean():.1f}" if len(surveys) else "–"
    rtype = str(info.get("relationship_type", ""))
    origin = str(info.get("origin", ""))
    stage = str(info.get("lifecycle_stage", ""))
    rows = [
        ("Customer", f'<span dir="auto">{html.escape(str(name))}</span>'),
        (
            "Relationship type · origin",
            html.escape(f"{types.get(rtype, rtype)} · {origins.get(origin, origin)}"),
        ),
        ("Stage now · stage changes", html.escape(f"{stages.get(stage, stage)} · {n_changes}")),
        ("Purchases · amount paid", f"{len(buys)} · {buys['amount'].sum():,.2f}"),
        ("Contacts (front / back office)", f"{len(contacts)} ({front} / {back})"),
        ("Complaints", str(complaints)),
        ("Survey answers · mean overall (1-7)", f"{len(surveys)} · {mean}"),
    ]
    body = "".join(f"<tr><th style='text-align:left'>{k}</th><td>{v}</td></tr>" for k, v in rows)
    return f"<table>{body}</table>"


def _window_dropdown():
    return dropdown(
        "Time axis",
        [("this customer's span", "customer"), ("the whole data period", "all")],
        "customer",
    )


def customer_journey(world, *, n=40, customer_id=None, random_state=0):
    """Widget: choose a customer and see all their encounters with the company on a timeline.

    Parameters
    ----------
    world : crmkit.World
    n : int, default=40
        Customers offered in the dropdown (a varied sample, see `journey_sample`).
    customer_id : int, optional
        The customer shown first (added to the sample if needed); by default
        the sampled customer with the richest history.
    random_state : int, default=0
        Seed of the sample.

    Returns
    -------
    ipywidgets.VBox
        A live panel (see `crmkit.widgets.live_panel`).
    """
    state = _Journeys(world, n, random_state)
    state = _with_customer(state, world, customer_id)
    options = list(zip(state.sample["label"], state.sample["customer_id"].astype(int), strict=True))
    first = int(state.sample["customer_id"].iloc[0]) if customer_id is None else int(customer_id)
    controls = {
        "customer_id": dropdown("Customer (id · name)", options, first),
        "window": _window_dropdown(),
    }
    return live_panel(
        "A customer's journey: every encounter on one timeline",
        controls,
        state.render,
        figsize=(10, 6.4),
        layout=None,
        clear=False,  # the Axes are built once and updated (see _Timeline)
        note="Stage spells on top, then purchases and survey answers, then one lane per "
        "touchpoint (front office first, back office below the dotted line).",
    )


def _with_customer(state, world, customer_id):
    if customer_id is None or int(customer_id) in state.tables:
        return state
    cid = int(customer_id)
    state.tables[cid] = customer_journey_table(world, cid, as_of=state.end)
    c = world.customers.set_index("customer_id")
    state.info = pd.concat([state.info, c.loc[[cid]]])
    label = f"{cid} · {state.names.get(cid, '')}"
    extra = pd.DataFrame({"customer_id": [cid], "label": [label]})
    state.sample = pd.concat([extra, state.sample], ignore_index=True)
    return state


def customer_journey_figure(world, customer_id=None, *, window="customer", n=40, random_state=0):
    """Static twin of `customer_journey`: the timeline of one customer as a Figure.

    Parameters
    ----------
    world : crmkit.World
    customer_id : int, optional
        By default the first customer of the widget's sample.
    window : {"customer", "all"}, default="customer"
        Time axis over the customer's own span or the whole data period.

    Returns
    -------
    matplotlib.figure.Figure
        With ``fig.summary_html``: the widget's summary table.
    """
    state = _with_customer(_Journeys(world, n, random_state), world, customer_id)
    cid = int(state.sample["customer_id"].iloc[0]) if customer_id is None else int(customer_id)
    fig = Figure(figsize=(10, 6.4), layout="constrained")
    fig.summary_html = state.render(fig, cid, window)
    return fig


WIDGETS = {"customer_journey": customer_journey}
