"""One customer's journey: every purchase, contact, survey and stage change on a timeline.

Source 003 calls a relationship the sum of small encounters between a customer
and the company, on every channel and at every contact; source 004 adds that it
covers marketing communication, sales support, technical help and customer
service. This module lays one customer's encounters side by side:

`journey_sample`
    a varied sample of customers to look at (all relationship types, active,
    dissolved and won-back customers), labelled ``"id · name"``;
`customer_journey_table`
    the journey of one customer as a table, one row per event (drawn by
    :func:`crmkit.plots.plot_customer_journey`);
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

from crmkit import concepts
from crmkit.lessons import bidi_text
from crmkit.plots.journey import JOURNEY_LEGEND, KIND_FAMILIES, JourneyTimeline, journey_lanes
from crmkit.widgets._core import (
    data_end,
    dropdown,
    line_inches,
    live_panel,
    padded_grid,
    text_inches,
)

__all__ = [
    "journey_sample",
    "customer_journey_table",
    "customer_journey",
    "customer_journey_figure",
    "WIDGETS",
]

#: Interaction kind -> its family (a key of crmkit.plots.journey.KIND_FAMILIES).
_FAMILY_OF = {k: fam for fam, (_, _, _, kinds) in KIND_FAMILIES.items() for k in kinds}

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
        self._timelines = weakref.WeakKeyDictionary()  # figure -> its JourneyTimeline (Axes kept)
        self._summaries = {}  # customer_id -> summary HTML
        self._left = text_inches(journey_lanes()[0], rcParams["ytick.labelsize"])  # lane names

    def render(self, fig, customer_id, window="customer"):
        from matplotlib import rcParams

        j = self.tables[customer_id]
        timeline = self._timelines.get(fig)
        if timeline is None or timeline.ax not in fig.axes:
            fig.set_layout_engine(None)
            timeline = self._timelines[fig] = JourneyTimeline(fig.add_axes((0.1, 0.1, 0.8, 0.8)))
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
                **JOURNEY_LEGEND,
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
        clear=False,  # the Axes are built once and updated (see JourneyTimeline)
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
