"""Groups of customers compared: relationship types, origins, RFM segments and more.

Sources 002 and 004 sort customers in several ways: by newness (new to the
business, new to the product, won back), by the type of relationship (seven
types, from the transactional airport kiosk to dedicated personal assistance),
and the kit adds RFM segments and the loyalty ladder. This module computes the
numbers the segment explorer (:mod:`crmkit.widgets.segments`) compares:

`customer_stats`
    one row per customer: the groupings and the numbers (purchases, active
    months, revenue, margin, churn, purchases per channel), computed once;
`segment_summary`
    those numbers per group, for one grouping and one measure
    (drawn by :func:`crmkit.plots.plot_segment_summary`);
`segment_summaries`
    every measure for one grouping at once.

All functions are pure: the input tables are never modified.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit import concepts
from crmkit.metrics.journey import last_date
from crmkit.metrics.retention import DAYS_PER_MONTH
from crmkit.metrics.value import loyalty_ladder, rfm_table

__all__ = [
    "GROUPINGS",
    "MEASURES",
    "customer_stats",
    "segment_summaries",
    "segment_summary",
]

CHANNELS = concepts.keys(concepts.CHANNELS)

#: Groupings offered by the explorer: column of `customer_stats` -> (label, taxonomy).
GROUPINGS: dict[str, tuple[str, tuple]] = {
    "relationship_type": ("Relationship type", concepts.RELATIONSHIP_TYPES),
    "origin": ("Origin (customer type by newness)", concepts.ORIGINS),
    "segment": ("RFM segment", concepts.RFM_SEGMENTS),
    "lifecycle_stage": ("Lifecycle stage now", concepts.LIFECYCLE_STAGES),
    "loyalty_rung": ("Loyalty-ladder rung", concepts.LOYALTY_LADDER),
    "loyalty_member": ("Loyalty-programme member", ()),
}

#: Measures: key -> (label, unit shown on the axis, kind of number).
MEASURES: dict[str, tuple[str, str, str]] = {
    "customers": ("Customers", "", "count"),
    "purchases_per_active_month": (
        "Purchases per active month",
        "purchases per month in a relationship",
        "rate",
    ),
    "revenue_per_customer": ("Revenue per customer", "currency units per customer", "money"),
    "margin_per_customer": ("Margin per customer", "currency units per customer", "money"),
    "share_churned": ("Share churned", "% of the group in dissolution now", "share"),
    "main_channel": ("Main channel", "", "channel"),
}

_NO_PURCHASE = "no_purchase"


# --------------------------------------------------------------------------- per customer
def customer_stats(world, *, as_of=None) -> pd.DataFrame:
    """One row per customer: the groupings and the numbers the explorer compares.

    Parameters
    ----------
    world : crmkit.World
    as_of : str or Timestamp, optional
        Reference date (recency, open spells); by default the latest date in
        the world.

    Returns
    -------
    pandas.DataFrame
        ``customer_id``; the groupings ``relationship_type``, ``origin``,
        ``segment`` (RFM segment; ``"no_purchase"`` for customers who never
        bought), ``lifecycle_stage``, ``loyalty_rung``, ``loyalty_member``
        (``"member"``/``"not a member"``); the numbers ``purchases``,
        ``active_months`` (months spent in a stage other than dissolution, up
        to ``as_of``), ``revenue``, ``margin``, ``churned`` (in dissolution at
        ``as_of``), ``main_channel`` (the channel of most purchases; empty
        without purchases) and ``n_<channel>`` (purchases per channel).

    Examples
    --------
    >>> import crmkit
    >>> w = crmkit.make_world(300, random_state=0)
    >>> s = customer_stats(w)
    >>> len(s) == len(w.customers), int(s["purchases"].sum()) == len(w.transactions)
    (True, True)
    """
    func = "customer_stats"
    if not isinstance(getattr(world, "customers", None), pd.DataFrame):
        raise TypeError(
            f"{func}: `world` must be a crmkit World (e.g. crmkit.load_dataset()); "
            f"got {type(world).__name__}."
        )
    end = last_date(world) if as_of is None else pd.Timestamp(as_of)
    c = world.customers
    ids = c["customer_id"].to_numpy()
    idx = pd.Index(ids)
    tx = world.transactions[world.transactions["date"] <= end]
    pos = idx.get_indexer(tx["customer_id"])
    ok = pos >= 0
    pos = pos[ok]
    n = len(ids)
    purchases = np.bincount(pos, minlength=n)
    revenue = np.bincount(pos, weights=tx["amount"].to_numpy(dtype=float)[ok], minlength=n)
    margin = np.bincount(pos, weights=tx["margin"].to_numpy(dtype=float)[ok], minlength=n)
    ch = pd.Index(CHANNELS).get_indexer(tx["channel"].astype("string").to_numpy()[ok])
    good = ch >= 0
    by_channel = np.zeros((n, len(CHANNELS)), dtype=np.int64)
    np.add.at(by_channel, (pos[good], ch[good]), 1)
    main = np.where(
        purchases > 0, np.array(CHANNELS, dtype=object)[by_channel.argmax(axis=1)], None
    )
    # months in a relationship: spells other than dissolution, clipped to as_of
    sh = world.stage_history
    start = sh["start_date"]
    stop = sh["end_date"].fillna(end).clip(upper=end)
    live = (sh["stage"].astype("string") != "dissolution").fillna(False).to_numpy()
    days = (stop - start).dt.days.clip(lower=0).to_numpy(dtype=float)
    spos = idx.get_indexer(sh["customer_id"])
    keep = live & (spos >= 0) & (start <= end).to_numpy()
    active = np.bincount(spos[keep], weights=days[keep], minlength=n) / DAYS_PER_MONTH
    # groupings
    seg = pd.Series(_NO_PURCHASE, index=idx, dtype=object)
    if len(tx):
        rfm = rfm_table(tx, as_of=end)
        seg.loc[rfm["customer_id"].to_numpy()] = rfm["segment"].astype(str).to_numpy()
    ladder = loyalty_ladder(
        c,
        tx,
        surveys=_upto(getattr(world, "surveys", None), end),
        interactions=_upto(getattr(world, "interactions", None), end),
    )
    out = pd.DataFrame(
        {
            "customer_id": ids,
            "relationship_type": c["relationship_type"].astype("string").to_numpy(),
            "origin": c["origin"].astype("string").to_numpy(),
            "segment": seg.to_numpy(),
            "lifecycle_stage": c["lifecycle_stage"].astype("string").to_numpy(),
            "loyalty_rung": ladder["rung"].astype("string").to_numpy(),
            "loyalty_member": np.where(
                c["loyalty_member"].fillna(False).to_numpy(dtype=bool), "member", "not a member"
            ),
            "purchases": purchases.astype(np.int64),
            "active_months": active,
            "revenue": revenue,
            "margin": margin,
            "churned": (c["lifecycle_stage"].astype("string") == "dissolution")
            .fillna(False)
            .to_numpy(dtype=bool),
            "main_channel": main,
        }
    )
    for j, name in enumerate(CHANNELS):
        out[f"n_{name}"] = by_channel[:, j]
    return out


def _upto(df, end):
    if df is None or not len(df):
        return None
    return df[df["date"] <= end]


def _order_and_names(stats, by, extra_names=None):
    """Group keys in a meaningful order, and their display names."""
    values = [v for v in pd.unique(stats[by].astype(object)) if pd.notna(v)]
    taxonomy = GROUPINGS.get(by, ("", ()))[1]
    if taxonomy:
        keys = concepts.keys(taxonomy)
        names = dict(concepts.labels(taxonomy))
        order = [k for k in keys if k in values] + sorted(
            (v for v in values if v not in keys), key=str
        )
        names[_NO_PURCHASE] = "No purchase yet"
    else:
        order = sorted(values, key=str)
        names = {}
    names.update(extra_names or {})
    return order, {k: str(names.get(k, k)) for k in order}


def segment_summary(stats, by="relationship_type", measure="customers") -> pd.DataFrame:
    """The measure per group of customers.

    Parameters
    ----------
    stats : pandas.DataFrame
        The result of `customer_stats` (any extra grouping column works too).
    by : str, default="relationship_type"
        A grouping column: a key of `GROUPINGS` or a column you added.
    measure : str, default="customers"
        A key of `MEASURES`:

        ``customers``
            number of customers;
        ``purchases_per_active_month``
            all purchases of the group / all its months in a relationship
            (a ratio of sums, so brand-new customers do not blow it up);
        ``revenue_per_customer``, ``margin_per_customer``
            mean over the group's customers (non-buyers count 0);
        ``share_churned``
            share of the group in dissolution at the reference date;
        ``main_channel``
            share of the group's purchases made through its main channel.

    Returns
    -------
    pandas.DataFrame
        One row per group: ``group`` (key), ``name``, ``customers``, ``value``
        (the measure), ``main_channel`` and ``main_share`` (the channel of most
        purchases in the group and its share), and ``share_<channel>`` (each
        channel's share of the group's purchases). ``attrs["measure"]`` and
        ``attrs["by"]`` record the choice; ``attrs["measure_label"]``,
        ``attrs["unit"]``, ``attrs["kind"]`` (from `MEASURES`) and
        ``attrs["by_label"]`` (from `GROUPINGS`) name them for
        :func:`crmkit.plots.plot_segment_summary`.

    Examples
    --------
    >>> import crmkit
    >>> w = crmkit.make_world(300, random_state=0)
    >>> t = segment_summary(customer_stats(w), "origin", "share_churned")
    >>> t["group"].tolist()
    ['new_to_business', 'new_to_product', 'won_back']
    """
    _check_summary(stats, by, measure, "segment_summary")
    return _pick(_group_table(stats, by), measure)


def segment_summaries(stats, by="relationship_type") -> dict:
    """Every measure per group of customers at once: ``{measure: segment_summary}``.

    One grouping of the customers for all the `MEASURES` (the segment
    explorer keeps it, so that changing the measure costs nothing).

    Parameters
    ----------
    stats : pandas.DataFrame
        The result of `customer_stats` (any extra grouping column works too).
    by : str, default="relationship_type"
        A grouping column: a key of `GROUPINGS` or a column you added.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``segment_summary(stats, by, measure)`` for every key of `MEASURES`.

    Examples
    --------
    >>> import crmkit
    >>> w = crmkit.make_world(300, random_state=0)
    >>> all_ = segment_summaries(customer_stats(w), "origin")
    >>> list(all_) == list(MEASURES), int(all_["customers"]["value"].sum())
    (True, 300)
    """
    _check_summary(stats, by, "customers", "segment_summaries")
    table = _group_table(stats, by)
    return {measure: _pick(table, measure) for measure in MEASURES}


def _check_summary(stats, by, measure, func):
    if not isinstance(stats, pd.DataFrame) or "purchases" not in stats.columns:
        raise TypeError(
            f"{func}: `stats` must be the table of customer_stats(world); "
            f"got {type(stats).__name__}."
        )
    if not isinstance(by, str) or by not in stats.columns:
        groupings = [g for g in stats.columns if g in GROUPINGS or stats[g].dtype == object]
        raise ValueError(
            f"{func}: `by` must be a grouping column of `stats` such as "
            f"{', '.join(repr(g) for g in GROUPINGS)}; got {by!r}. Columns: {groupings}."
        )
    if measure not in MEASURES:
        raise ValueError(
            f"{func}: `measure` must be one of {', '.join(repr(m) for m in MEASURES)}; "
            f"got {measure!r}."
        )


def _group_table(stats, by):
    """Every measure per group of ``by`` at once: ``(table without "value", {measure: values})``.

    `segment_summary` picks one measure of it, `segment_summaries` every one.
    """
    order, names = _order_and_names(stats, by)
    chan_cols = [f"n_{c}" for c in CHANNELS]
    g = stats.groupby(stats[by].astype(object), sort=False)
    agg = g.agg(
        customers=("customer_id", "size"),
        purchases=("purchases", "sum"),
        active_months=("active_months", "sum"),
        revenue=("revenue", "mean"),
        margin=("margin", "mean"),
        churned=("churned", "mean"),
    ).reindex(order)
    chans = g[chan_cols].sum().reindex(order)
    totals = chans.sum(axis=1).replace(0, np.nan)
    shares = chans.div(totals, axis=0)
    shares.columns = [f"share_{c}" for c in CHANNELS]
    main_idx = chans.to_numpy().argmax(axis=1)
    main = np.where(totals.notna(), np.array(CHANNELS, dtype=object)[main_idx], None)
    main_share = shares.to_numpy()[np.arange(len(order)), main_idx]
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = agg["purchases"] / agg["active_months"].where(agg["active_months"] > 0)
    values = {
        "customers": agg["customers"].astype(float),
        "purchases_per_active_month": rate,
        "revenue_per_customer": agg["revenue"],
        "margin_per_customer": agg["margin"],
        "share_churned": agg["churned"].astype(float),
        "main_channel": pd.Series(main_share, index=agg.index),
    }
    out = pd.DataFrame(
        {
            "group": order,
            "name": [names[k] for k in order],
            "customers": agg["customers"].astype(np.int64).to_numpy(),
            "main_channel": main,
            "main_share": main_share,
        }
    )
    out = pd.concat([out, shares.reset_index(drop=True)], axis=1)
    out.attrs.update(by=by)
    return out, {m: v.to_numpy(dtype=float) for m, v in values.items()}


def _pick(group_table, measure) -> pd.DataFrame:
    """The `segment_summary` of one measure from a `_group_table`."""
    table, values = group_table
    out = table.copy()
    out.insert(3, "value", values[measure])
    label, unit, kind = MEASURES[measure]
    by = table.attrs["by"]
    out.attrs = {
        "measure": measure,
        "by": by,
        "measure_label": label,
        "unit": unit,
        "kind": kind,
        "by_label": GROUPINGS.get(by, (by.replace("_", " ").capitalize(), ()))[0],
    }
    return out
