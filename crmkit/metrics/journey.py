"""One customer's journey: every purchase, contact, survey and stage change, as tables.

Source 003 calls a relationship the sum of small encounters between a customer
and the company, on every channel and at every contact; source 004 adds that it
covers marketing communication, sales support, technical help and customer
service. This module lays one customer's encounters side by side:

`journey_sample`
    a varied sample of customers to look at (all relationship types, active,
    dissolved and won-back customers), labelled ``"id · name"``;
`customer_journey_table`
    the journey of one customer as a table, one row per event (drawn by
    :func:`crmkit.plots.plot_customer_journey`, shown by the widget
    :func:`crmkit.widgets.journey.customer_journey`);
`CONTACT_FAMILIES`
    the families of contact kinds (complaints, requests, praise...);
`last_date`, `customer_names`
    the last date seen in a world (its reference date) and the customers' names.

All functions are pure: the world's tables are never modified.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit import concepts
from crmkit.metrics.care import CARE_KINDS

__all__ = [
    "CONTACT_FAMILIES",
    "customer_journey_table",
    "customer_names",
    "journey_sample",
    "last_date",
]

#: Families of contact kinds, so that a timeline needs six colours, not fourteen:
#: family -> (label, interaction kinds). Every kind is in exactly one family.
CONTACT_FAMILIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "complaint": ("Complaint", ("complaint",)),
    "request": ("Question or request", ("inquiry", "technical_request")),
    "praise": ("Praise, referral or idea", ("positive_feedback", "referral", "suggestion")),
    "care": ("Care from the company", CARE_KINDS),
    "billing": ("Payment reminder", ("payment_reminder",)),
    "internal": ("Internal note by staff", ("care_feedback",)),
}

assert sorted(k for _, kinds in CONTACT_FAMILIES.values() for k in kinds) == sorted(
    concepts.keys(concepts.INTERACTION_KINDS)
), "CONTACT_FAMILIES must hold every interaction kind once"

#: Interaction kind -> its family (a key of CONTACT_FAMILIES).
_FAMILY_OF = {k: fam for fam, (_, kinds) in CONTACT_FAMILIES.items() for k in kinds}

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


def last_date(world) -> pd.Timestamp:
    """The last date seen in the world (its reference date).

    The latest sign-up, stage change, purchase, contact or survey answer.

    Examples
    --------
    >>> import crmkit
    >>> w = crmkit.make_world(300, random_state=0)
    >>> last_date(w) <= pd.Timestamp(w.meta["end"])
    True
    """
    dates = [world.stage_history["start_date"].max(), world.customers["signup_date"].max()]
    for name, col in (("transactions", "date"), ("interactions", "date"), ("surveys", "date")):
        df = getattr(world, name, None)
        if df is not None and len(df):
            dates.append(df[col].max())
    return pd.Timestamp(max(d for d in dates if pd.notna(d)))


def customer_names(customers) -> pd.Series:
    """``"first last"`` of every customer (blank parts left out), in the rows' order.

    Examples
    --------
    >>> import pandas as pd
    >>> customer_names(pd.DataFrame({"first_name": ["Ada", None], "last_name": ["Byron", "Li"]}))
    0    Ada Byron
    1           Li
    dtype: string
    """
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
            "label": [f"{i} · {name}" for i, name in zip(ids, customer_names(c), strict=True)],
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
            For contacts: the key of `CONTACT_FAMILIES`.
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
    end = last_date(world) if as_of is None else pd.Timestamp(as_of)
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
