"""One customer's journey: every purchase, contact, survey and stage change on a timeline.

Source 003 calls a relationship the sum of small encounters between a customer
and the company, on every channel and at every contact; source 004 adds that it
covers marketing communication, sales support, technical help and customer
service. The tables come from :mod:`crmkit.metrics.journey`
(`journey_sample`, `customer_journey_table`: importable from here too), the
timeline from :mod:`crmkit.plots.journey`. This module adds:

`customer_journey`
    the widget: choose a customer, see the timeline and a summary of counts;
`customer_journey_figure`
    its static twin, for pages and print.
"""

from __future__ import annotations

import html

import pandas as pd
from matplotlib.figure import Figure

from crmkit import concepts
from crmkit.lessons import bidi_text
from crmkit.metrics.journey import (
    customer_journey_table,
    customer_names,
    journey_sample,
    last_date,
)
from crmkit.plots.journey import JourneyTimeline, journey_lanes
from crmkit.widgets._core import (
    dropdown,
    kept,
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


# --------------------------------------------------------------------------- widget
class _Journeys:
    """Per world: the sample and the tables of the sampled customers (computed once)."""

    def __init__(self, world, n, random_state):
        from matplotlib import rcParams

        self.sample = journey_sample(world, n, random_state=random_state)
        self.end = last_date(world)
        self.start = world.customers["signup_date"].min()
        ids = set(self.sample["customer_id"].tolist())
        self.tables = {i: customer_journey_table(world, i, as_of=self.end) for i in ids}
        c = world.customers.set_index("customer_id")
        self.info = c.loc[list(ids)]
        self.names = customer_names(world.customers).set_axis(world.customers["customer_id"])
        self._summaries = {}  # customer_id -> summary HTML
        self._left = text_inches(journey_lanes()[0], rcParams["ytick.labelsize"])  # lane names

    def render(self, fig, customer_id, window="customer"):
        from matplotlib import rcParams

        j = self.tables[customer_id]
        store = kept(fig)  # the timeline's Axes and artists, made once, updated per customer
        timeline = store.get("journey")
        if timeline is None or timeline.ax not in fig.axes:
            fig.set_layout_engine(None)
            timeline = store["journey"] = JourneyTimeline(fig.add_axes((0.1, 0.1, 0.8, 0.8)))
        name = self.names.get(customer_id, "")
        title = f"Journey of customer {customer_id} · {bidi_text(name)}"
        span = {} if window == "customer" else {"start": self.start, "end": self.end}
        handles = timeline.draw(j, title=title, **span)
        # the legend at the bottom of the figure
        timeline.show_legend(
            handles, loc="lower center", bbox_to_anchor=(0.5, 0.01), bbox_transform=fig.transFigure
        )
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
