"""Omnichannel consistency and the channel mix (sources 002 and 003).

Channel integration (source 002) means "no two different offers for the same
product and customer"; source 003 asks for one coherent message on every
channel. A campaign carried on several channels should quote the same price
everywhere: :func:`channel_consistency` checks it, and
:func:`channel_price_matrix` lays the prices out for a heatmap.
:func:`channel_mix` shows which channels each kind of customer buys through.

All functions are pure: the input tables are never modified.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from crmkit import concepts
from crmkit._checks import check_frame

__all__ = ["channel_consistency", "channel_price_matrix", "channel_mix"]

_CHANNELS = concepts.keys(concepts.CHANNELS)


def _priced(campaigns, func, campaign_col, channel_col, price_col):
    check_frame(
        campaigns,
        func,
        "campaigns",
        {campaign_col: "campaign_col", channel_col: "channel_col", price_col: "price_col"},
    )
    if (
        not pd.api.types.is_numeric_dtype(campaigns[price_col])
        or campaigns[price_col].dtype == bool
    ):
        raise TypeError(
            f"{func}: column {price_col!r} must hold prices (numbers); got dtype "
            f"{campaigns[price_col].dtype}."
        )
    priced = campaigns[campaigns[price_col].notna().to_numpy()]
    return priced


def _channel_order(values):
    found = set(values)
    return [c for c in _CHANNELS if c in found] + sorted(found - set(_CHANNELS))


def channel_consistency(
    campaigns,
    *,
    tolerance=0.01,
    campaign_col="campaign_id",
    channel_col="channel",
    price_col="offer_price",
    type_col="campaign_type",
) -> pd.DataFrame:
    """Does each multi-channel campaign quote the same price on every channel?

    Parameters
    ----------
    campaigns : DataFrame
        One row per campaign and channel, with the price offered on that
        channel (rows without a price, such as acquisition campaigns, are
        left out).
    tolerance : float, default=0.01
        Largest price difference (currency units) still counted as the same
        price, to forgive rounding.
    campaign_col, channel_col, price_col : str
        Column names.
    type_col : str or None, default="campaign_type"
        Campaign-type column copied to the output; ``None`` (or a table
        without it) leaves it out.

    Returns
    -------
    DataFrame
        One row per campaign carried on more than one channel, by campaign:
        ``campaign_id``, ``campaign_type`` (if available), ``n_channels``,
        ``channels`` (e.g. ``"shop, web"``), ``min_price``, ``max_price``,
        ``spread`` (max - min), ``spread_pct`` (spread / max price),
        ``consistent`` (spread <= ``tolerance``) and ``odd_channels`` (the
        channels quoting another price than the most common one; empty when
        consistent).

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({
    ...     "campaign_id": [1, 1, 2, 2, 2],
    ...     "channel": ["shop", "web", "shop", "web", "email"],
    ...     "offer_price": [50.0, 50.0, 20.0, 18.0, 20.0]})
    >>> table = channel_consistency(c)
    >>> table[["campaign_id", "channels", "spread", "consistent"]]
       campaign_id          channels  spread  consistent
    0            1         shop, web     0.0        True
    1            2  shop, web, email     2.0       False
    >>> table["odd_channels"].tolist()
    ['', 'web']
    """
    func = "channel_consistency"
    if isinstance(tolerance, bool) or not isinstance(tolerance, numbers.Real):
        raise TypeError(f"{func}: `tolerance` must be a number, got {type(tolerance).__name__}.")
    if tolerance < 0:
        raise ValueError(f"{func}: `tolerance` must be >= 0; got {tolerance}.")
    priced = _priced(campaigns, func, campaign_col, channel_col, price_col)
    with_type = type_col is not None and type_col in campaigns.columns
    rows = []
    for cid, grp in priced.groupby(campaign_col, sort=True):
        chans = grp[channel_col].astype(str).to_numpy()
        if len(set(chans)) < 2:
            continue
        prices = grp[price_col].to_numpy(dtype=float)
        lo, hi = prices.min(), prices.max()
        spread = hi - lo
        consistent = bool(spread <= tolerance + 1e-9)
        odd = ""
        if not consistent:
            vals, counts = np.unique(np.round(prices, 6), return_counts=True)
            mode = vals[np.argmax(counts)]  # ties: the lowest price is taken as the norm
            odd = ", ".join(_channel_order(chans[np.abs(prices - mode) > tolerance + 1e-9]))
        row = {
            "campaign_id": cid,
            "n_channels": len(set(chans)),
            "channels": ", ".join(_channel_order(chans)),
            "min_price": lo,
            "max_price": hi,
            "spread": spread,
            "spread_pct": spread / hi if hi > 0 else 0.0,
            "consistent": consistent,
            "odd_channels": odd,
        }
        if with_type:
            row["campaign_type"] = str(grp[type_col].iloc[0])
        rows.append(row)
    cols = [
        "campaign_id",
        *(["campaign_type"] if with_type else []),
        "n_channels",
        "channels",
        "min_price",
        "max_price",
        "spread",
        "spread_pct",
        "consistent",
        "odd_channels",
    ]
    out = pd.DataFrame(rows, columns=cols)
    return out.astype({"consistent": bool, "n_channels": "int64"})


def channel_price_matrix(
    campaigns,
    *,
    multi_channel_only=True,
    campaign_col="campaign_id",
    channel_col="channel",
    price_col="offer_price",
) -> pd.DataFrame:
    """Campaign x channel table of offer prices (for a heatmap).

    Parameters
    ----------
    campaigns : DataFrame
        One row per campaign and channel.
    multi_channel_only : bool, default=True
        Keep only campaigns priced on more than one channel (the ones whose
        consistency can be judged).
    campaign_col, channel_col, price_col : str
        Column names.

    Returns
    -------
    DataFrame
        Index ``campaign_id``; one column per channel (in
        :data:`crmkit.concepts.CHANNELS` order, channels never used left
        out); cells hold the offer price, NaN where the campaign does not
        run on that channel. If a campaign lists one channel twice, the
        first price is kept.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"campaign_id": [1, 1, 2], "channel": ["web", "shop", "web"],
    ...                   "offer_price": [9.0, 10.0, 5.0]})
    >>> channel_price_matrix(c).loc[1].to_dict()
    {'shop': 10.0, 'web': 9.0}
    """
    func = "channel_price_matrix"
    if not isinstance(multi_channel_only, bool):
        raise TypeError(f"{func}: `multi_channel_only` must be True or False.")
    priced = _priced(campaigns, func, campaign_col, channel_col, price_col)
    frame = pd.DataFrame(
        {
            "campaign_id": priced[campaign_col].to_numpy(),
            "channel": priced[channel_col].astype(str).to_numpy(),
            "price": priced[price_col].to_numpy(dtype=float),
        }
    ).drop_duplicates(["campaign_id", "channel"], keep="first")
    if multi_channel_only:
        n = frame.groupby("campaign_id")["channel"].transform("nunique")
        frame = frame[(n > 1).to_numpy()]
    if frame.empty:
        raise ValueError(
            f"{func}: no campaign is priced on "
            f"{'more than one channel' if multi_channel_only else 'any channel'}; nothing to "
            "lay out."
        )
    out = frame.pivot(index="campaign_id", columns="channel", values="price")
    out = out[_channel_order(out.columns)]
    out.columns.name = "channel"
    return out.sort_index()


def channel_mix(
    transactions,
    customers,
    *,
    by="relationship_type",
    customer_col="customer_id",
    channel_col="channel",
    amount_col="amount",
) -> pd.DataFrame:
    """Which channels each group of customers buys through.

    Parameters
    ----------
    transactions : DataFrame
        Purchases with ``customer_id``, ``channel`` and ``amount``.
    customers : DataFrame
        One row per customer with the ``by`` column.
    by : str, default="relationship_type"
        Customer column to group by (``"relationship_type"``,
        ``"lifecycle_stage"``, ``"origin"``...).
    customer_col, channel_col, amount_col : str
        Column names.

    Returns
    -------
    DataFrame
        One row per group and channel (every channel in every group, 0 when
        unused): the ``by`` column, ``channel``, ``transactions``, ``revenue``
        and ``share`` (of the group's transactions; the shares of a group sum
        to 1). Groups follow the category order of a categorical ``by``
        column, else alphabetical order. Purchases of customers missing from
        ``customers`` are left out.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"customer_id": [1, 1, 2], "channel": ["web", "shop", "web"],
    ...                   "amount": [10.0, 20.0, 5.0]})
    >>> c = pd.DataFrame({"customer_id": [1, 2], "relationship_type": ["long_term", "community"]})
    >>> channel_mix(t, c)
      relationship_type channel  transactions  revenue  share
    0         community    shop             0      0.0    0.0
    1         community     web             1      5.0    1.0
    2         long_term    shop             1     20.0    0.5
    3         long_term     web             1     10.0    0.5
    """
    func = "channel_mix"
    if not isinstance(by, str):
        raise TypeError(
            f"{func}: `by` must be the name of a customers column such as "
            f"'relationship_type'; got {type(by).__name__}."
        )
    check_frame(
        transactions,
        func,
        "transactions",
        {customer_col: "customer_col", channel_col: "channel_col", amount_col: "amount_col"},
    )
    check_frame(customers, func, "customers", {customer_col: "customer_col", by: "by"})
    if customers[customer_col].duplicated().any():
        raise ValueError(f"{func}: `customers` has duplicate {customer_col!r} values.")
    group = transactions[customer_col].map(customers.set_index(customer_col)[by])
    keep = group.notna().to_numpy()
    frame = pd.DataFrame(
        {
            "group": group[keep].astype(str).to_numpy(),
            "channel": transactions[channel_col][keep].astype(str).to_numpy(),
            "amount": pd.to_numeric(transactions[amount_col])[keep].to_numpy(dtype=float),
        }
    )
    if isinstance(customers[by].dtype, pd.CategoricalDtype):
        groups = [str(g) for g in customers[by].cat.categories if g in set(frame["group"])]
    else:
        groups = sorted(set(frame["group"]))
    chans = _channel_order(frame["channel"])
    g = frame.groupby(["group", "channel"])
    full = pd.MultiIndex.from_product([groups, chans], names=[by, "channel"])
    out = pd.DataFrame(
        {
            "transactions": g.size().reindex(full, fill_value=0).astype("int64"),
            "revenue": g["amount"].sum().reindex(full, fill_value=0.0),
        }
    )
    totals = out.groupby(level=0)["transactions"].transform("sum")
    out["share"] = (out["transactions"] / totals.clip(lower=1)).astype(float)
    return out.reset_index()
