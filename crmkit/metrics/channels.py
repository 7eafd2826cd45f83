"""Omnichannel consistency and the channel mix (sources 002 and 003).

Channel integration (source 002) means "no two different offers for the same
product and customer"; source 003 asks for one coherent message on every
channel. A campaign carried on several channels should quote the same price
everywhere: :func:`channel_consistency` checks it, and
:func:`channel_price_matrix` lays the prices out for a heatmap.
:func:`channel_mix` shows which channels each kind of customer buys through.
:func:`consistency_report` compares the inconsistent offers with a known truth
(:class:`ConsistencyCache`: the same reports, memoised, for a live widget).

Source 003 also asks how customers perceive each touchpoint, beside the
company's own indicators: :func:`touchpoint_profile` compares a touchpoint's
component scores with the average touchpoint (:class:`TouchpointCache`: the
tables of every internal indicator, computed once).

All functions are pure: the input tables are never modified.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from crmkit import concepts
from crmkit._checks import check_frame
from crmkit.metrics.satisfaction import COMPONENTS, touchpoint_satisfaction

__all__ = [
    "INTERNAL_INDICATORS",
    "ConsistencyCache",
    "TouchpointCache",
    "channel_consistency",
    "channel_mix",
    "channel_price_matrix",
    "consistency_report",
    "priced_campaign_types",
    "touchpoint_profile",
]

_CHANNELS = concepts.keys(concepts.CHANNELS)
_COMPONENT_LABELS = concepts.labels(concepts.SATISFACTION_COMPONENTS)

#: Internal indicators a touchpoint can be judged by (keys of touchpoint_satisfaction).
INTERNAL_INDICATORS = {
    "complaint_share": "Complaints per contact",
    "share_resolved": "Requests resolved",
    "median_resolution_hours": "Median hours to resolve",
}


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
        ``table`` (the output of :func:`channel_consistency`), ``inconsistent``
        (its rows that are not consistent), ``n_checked`` and, when ``truth``
        is given, ``found`` (true inconsistencies flagged), ``missed`` and
        ``false_alarms`` (counts, among the campaigns checked).

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


class ConsistencyCache:
    """The priced campaigns by type, their price tables and consistency reports (memoised).

    For a live widget: :meth:`report` equals :func:`consistency_report` of the
    type's campaigns (a test compares them), but a report at a new tolerance
    reuses the tolerance-free columns of :func:`channel_consistency` (computed
    once per type) and checks again only the campaigns whose price spread
    exceeds the tolerance.

    Parameters
    ----------
    campaigns : DataFrame
        One row per campaign and channel (``world.campaigns``).
    truth : sequence of int, optional
        Campaign ids known to be inconsistent (``world.truth["inconsistent_campaigns"]``).

    Attributes
    ----------
    types : list of str
        :func:`priced_campaign_types` of the campaigns.
    subsets : dict of str to DataFrame
        The priced campaigns of each type, and of ``"all"`` types.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"campaign_id": [1, 1, 2, 2], "campaign_type": ["retention"] * 4,
    ...                   "channel": ["shop", "web"] * 2, "offer_price": [50.0, 50.0, 20.0, 18.0]})
    >>> cache = ConsistencyCache(c, truth=[2])
    >>> cache.types, cache.report("all", 1.0)["found"], cache.prices(2)
    (['retention'], 1, [('shop', 20.0), ('web', 18.0)])
    """

    def __init__(self, campaigns, truth=None):
        priced = campaigns[campaigns["offer_price"].notna().to_numpy()].copy()
        priced["campaign_type"] = priced["campaign_type"].astype(str)
        self.priced = priced
        self.types = priced_campaign_types(priced)
        self.subsets = {t: priced[(priced["campaign_type"] == t).to_numpy()] for t in self.types}
        self.subsets["all"] = priced
        self.truth = truth
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

    def report(self, campaign_type, tolerance) -> dict:
        """:func:`consistency_report` of a type (or ``"all"``) at a tolerance."""
        key = (campaign_type, round(float(tolerance), 6))
        if key not in self._reports:
            self._reports[key] = _summarise(self.table(campaign_type, tolerance), self.truth)
        return self._reports[key]

    def check(self, campaign_type, tolerance) -> pd.DataFrame:
        """The report's table indexed by campaign."""
        key = (campaign_type, round(float(tolerance), 6))
        if key not in self._checks:
            table = self.report(campaign_type, tolerance)["table"]
            self._checks[key] = table.set_index("campaign_id")
        return self._checks[key]

    def matrix(self, campaign_type) -> pd.DataFrame:
        """:func:`channel_price_matrix` of the multi-channel campaigns of a type."""
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

    def rows(self, campaign_type, tolerance, *, only_inconsistent=False, max_rows=None):
        """The price table to show: the type's campaigns, the inconsistent ones first when cut.

        Parameters
        ----------
        campaign_type : str
            A key of :attr:`subsets`.
        tolerance : float
            As in :meth:`report`.
        only_inconsistent : bool, default=False
            Keep only the campaigns that quote different prices.
        max_rows : int, optional
            Keep at most this many campaigns (the inconsistent ones first, then
            by number), and only the channels they use.

        Returns
        -------
        (DataFrame, int)
            Rows of :meth:`matrix` (in its order) and how many campaigns there
            were before the cut.
        """
        bad = self.report(campaign_type, tolerance)["inconsistent"]
        bad_ids = set(bad["campaign_id"])
        matrix = self.matrix(campaign_type)
        if only_inconsistent:
            matrix = matrix[matrix.index.isin(bad_ids)]
        total = len(matrix)
        if max_rows is not None and total > max_rows:
            ids = list(bad["campaign_id"]) + [c for c in matrix.index if c not in bad_ids]
            matrix = matrix[matrix.index.isin(ids[:max_rows])]
            matrix = matrix.loc[:, matrix.notna().any().to_numpy()]  # channels of these rows
        return matrix, total

    def prices(self, campaign_id) -> list[tuple[str, float]]:
        """A campaign's ``(channel, price)`` pairs, channels in the kit's order."""
        if campaign_id not in self._prices:
            rows = self.priced[(self.priced["campaign_id"] == campaign_id).to_numpy()]
            order = {c: i for i, c in enumerate(_CHANNELS)}
            pairs = sorted(
                zip(rows["channel"].astype(str), rows["offer_price"], strict=True),
                key=lambda p: order.get(p[0], 99),
            )
            self._prices[campaign_id] = [(c, float(p)) for c, p in pairs if pd.notna(p)]
        return self._prices[campaign_id]


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


class TouchpointCache:
    """The touchpoint tables of every internal indicator, their rows and profiles (memoised).

    Parameters
    ----------
    surveys, interactions : DataFrame
        As for :func:`crmkit.metrics.satisfaction.touchpoint_satisfaction`.
    truth : DataFrame, optional
        ``world.truth["touchpoint_effects"]`` (passed to :func:`touchpoint_profile`).

    Attributes
    ----------
    tables : dict of str to DataFrame
        :func:`crmkit.metrics.satisfaction.touchpoint_satisfaction` with each
        of :data:`INTERNAL_INDICATORS` (computed once, when the cache is made).
    """

    def __init__(self, surveys, interactions, truth=None):
        self.tables = {
            k: touchpoint_satisfaction(surveys, interactions, internal=k)
            for k in INTERNAL_INDICATORS
        }
        self.truth = truth
        self._rows, self._profiles = {}, {}

    def row(self, internal, touchpoint) -> pd.Series:
        """The touchpoint's row of the table of an internal indicator."""
        key = (internal, touchpoint)
        if key not in self._rows:
            self._rows[key] = self.tables[internal].set_index("touchpoint").loc[touchpoint]
        return self._rows[key]

    def profile(self, internal, touchpoint) -> pd.DataFrame:
        """:func:`touchpoint_profile` of the touchpoint in the table of an internal indicator."""
        key = (internal, touchpoint)
        if key not in self._profiles:
            self._profiles[key] = touchpoint_profile(self.tables[internal], touchpoint, self.truth)
        return self._profiles[key]
