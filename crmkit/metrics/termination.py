"""Which relationships to end, and what ending them would do (source 002).

Source 002 names four kinds of customer a business may let go — serial
complainers, consistently late payers, destructive customers and perpetual
deal-seekers — and three ways to do it: raise the price (a filter that keeps
the profitable customers), redesign the product, unbundle the offer. The kit
adds a fifth flag, *unprofitable*: margin minus the cost of serving the
customer below zero (strategy 6, cost analysis).

:func:`termination_candidates` computes the evidence and the five flags per
customer (:func:`prepare_candidates`: the same for a whole world, with the bundle
purchases that unbundling changes); :func:`segment_mask` picks a flagged
segment; :func:`termination_what_if` plays a termination method on a flagged
segment with a deliberately simple demand model (fast: it drives a widget).

All functions are pure: the input tables are never modified.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from crmkit import concepts
from crmkit._checks import check_as_of, check_choice, check_frame

__all__ = [
    "CRITERIA",
    "METHODS",
    "prepare_candidates",
    "segment_mask",
    "termination_candidates",
    "termination_what_if",
    "termination_what_if_grid",
]

CRITERIA = concepts.keys(concepts.TERMINATION_CRITERIA)
METHODS = concepts.keys(concepts.TERMINATION_METHODS)


def _number(value, name, func, *, low=None, high=None, integer=False):
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind):
        what = "a whole number" if integer else "a number"
        raise TypeError(f"{func}: `{name}` must be {what}, got {value!r} ({type(value).__name__}).")
    if (low is not None and value < low) or (high is not None and value > high):
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        raise ValueError(f"{func}: `{name}` must be between {lo} and {hi}; got {value}.")
    return value


def termination_candidates(
    customers,
    transactions,
    interactions,
    *,
    as_of=None,
    complaint_rate=0.25,
    min_complaints=2,
    late_share=0.5,
    min_invoices=2,
    unresolved_share=1 / 3,
    destructive_min_complaints=3,
    deal_share=0.5,
    min_purchases=3,
    unprofitable_min_purchases=1,
    terms_days=30,
    customer_col="customer_id",
    date_col="date",
    amount_col="amount",
    cogs_col="cost",
    paid_col="paid_date",
    deal_col="campaign_id",
    kind_col="kind",
    outcome_col="outcome",
    contact_cost_col="cost",
) -> pd.DataFrame:
    """Evidence and flags for the termination criteria, one row per customer.

    The flags (keys of :data:`crmkit.concepts.TERMINATION_CRITERIA`):

    ``serial_complainer``
        at least ``min_complaints`` complaints and at least ``complaint_rate``
        complaints per purchase (most customers complain on about 1 purchase
        in 25).
    ``late_payer``
        at least ``min_invoices`` invoices due and at least ``late_share`` of
        them paid after the ``terms_days`` terms or still unpaid at ``as_of``.
        When no purchase has a payment date (a transactions export), nobody
        is flagged and ``late_share`` is NaN; when none has a cost of goods,
        ``cost_of_goods``, ``margin`` and ``profit`` are NaN and nobody is
        ``unprofitable``: unknown, not zero.
    ``destructive``
        a *proxy*: harm to staff or other customers is not recorded in the
        data, so this flags customers with at least
        ``destructive_min_complaints`` complaints of which at least
        ``unresolved_share`` ended escalated or unresolved. It catches
        customers whose complaints cannot be settled, and misses many truly
        destructive ones: treat it as a prompt to investigate, not a verdict.
    ``deal_seeker``
        at least ``min_purchases`` purchases and at least ``deal_share`` of
        them made on a campaign offer (``deal_col`` not empty; birthday
        coupons count too).
    ``unprofitable``
        at least ``unprofitable_min_purchases`` purchases and margin (revenue
        - cost of goods) minus cost-to-serve (the cost of all contacts with
        the customer) below zero. The purchase minimum keeps out people who
        signed up and have not bought yet (about one customer in six in the
        synthetic worlds): they cost a few newsletters, not a relationship to
        end. Pass 0 to include them.

    Parameters
    ----------
    customers : DataFrame
        One row per customer (those who signed up by ``as_of``, if the table
        has ``signup_date``).
    transactions : DataFrame
        Purchases with ``amount``, ``cost`` (of goods), ``paid_date`` and
        ``campaign_id``.
    interactions : DataFrame
        Contacts with ``kind``, ``outcome`` and ``cost``.
    as_of : date, optional
        Judge the customers at this date: later rows are left out. Default: the
        latest purchase or contact.
    complaint_rate, min_complaints, late_share, min_invoices, unresolved_share,
    destructive_min_complaints, deal_share, min_purchases, unprofitable_min_purchases : number
        Thresholds of the flags (see above).
    terms_days : int, default=30
        Payment terms in days.
    customer_col, date_col, amount_col, cogs_col, paid_col, deal_col : str
        Columns (``date_col`` is used in ``transactions`` and ``interactions``).
    kind_col, outcome_col, contact_cost_col : str
        Columns of ``interactions``.

    Returns
    -------
    DataFrame
        One row per customer: ``customer_id``, ``purchases``, ``revenue``,
        ``cost_of_goods``, ``margin``, ``cost_to_serve``, ``profit``,
        ``complaints``, ``complaints_per_purchase`` (complaints / purchases,
        0 without purchases), ``invoices_due``, ``late_invoices``,
        ``late_share``, ``unresolved_complaints`` (escalated or unresolved),
        ``unresolved_share``, ``deal_purchases``, ``deal_share`` (shares are 0
        when there is nothing to divide), the five boolean flags, and
        ``n_flags``.

    Examples
    --------
    >>> import crmkit
    >>> w = crmkit.make_world(1000, random_state=0)
    >>> c = termination_candidates(w.customers, w.transactions, w.interactions)
    >>> c.columns[-6:].tolist()
    ['serial_complainer', 'late_payer', 'destructive', 'deal_seeker', 'unprofitable', 'n_flags']
    """
    func = "termination_candidates"
    _number(complaint_rate, "complaint_rate", func, low=0)
    _number(min_complaints, "min_complaints", func, low=0, integer=True)
    _number(late_share, "late_share", func, low=0, high=1)
    _number(min_invoices, "min_invoices", func, low=0, integer=True)
    _number(unresolved_share, "unresolved_share", func, low=0, high=1)
    _number(destructive_min_complaints, "destructive_min_complaints", func, low=0, integer=True)
    _number(deal_share, "deal_share", func, low=0, high=1)
    _number(min_purchases, "min_purchases", func, low=0, integer=True)
    _number(unprofitable_min_purchases, "unprofitable_min_purchases", func, low=0, integer=True)
    _number(terms_days, "terms_days", func, low=0, integer=True)
    check_frame(customers, func, "customers", {customer_col: "customer_col"})
    check_frame(
        transactions,
        func,
        "transactions",
        {
            customer_col: "customer_col",
            date_col: "date_col",
            amount_col: "amount_col",
            cogs_col: "cogs_col",
            paid_col: "paid_col",
            deal_col: "deal_col",
        },
    )
    check_frame(
        interactions,
        func,
        "interactions",
        {
            customer_col: "customer_col",
            date_col: "date_col",
            kind_col: "kind_col",
            outcome_col: "outcome_col",
            contact_cost_col: "contact_cost_col",
        },
        allow_empty=True,
    )
    tx_date = pd.to_datetime(transactions[date_col])
    it_date = pd.to_datetime(interactions[date_col])
    earliest = tx_date.min()
    latest = max(tx_date.max(), it_date.max()) if len(it_date) else tx_date.max()
    as_of = check_as_of(as_of, func, earliest=earliest, default=latest)

    ids = customers[customer_col]
    if "signup_date" in customers.columns:
        ids = ids[(pd.to_datetime(customers["signup_date"]) <= as_of).to_numpy()]
    index = pd.Index(ids.drop_duplicates().to_numpy(), name="customer_id")

    tx = transactions[(tx_date <= as_of).to_numpy()]
    due = pd.to_datetime(tx[date_col]) + pd.Timedelta(days=terms_days)
    paid = pd.to_datetime(tx[paid_col])
    in_scope = due <= as_of
    late = in_scope & ~(paid.notna() & (paid <= due) & (paid <= as_of))
    t = pd.DataFrame(
        {
            "c": tx[customer_col].to_numpy(),
            "revenue": pd.to_numeric(tx[amount_col]).to_numpy(dtype=float),
            "cogs": pd.to_numeric(tx[cogs_col]).to_numpy(dtype=float),
            "due": in_scope.to_numpy(dtype=float),
            "late": late.to_numpy(dtype=float),
            "deal": tx[deal_col].notna().to_numpy(dtype=float),
        }
    )
    tg = t.groupby("c")
    out = pd.DataFrame(index=index)
    out["purchases"] = tg.size()
    sums = tg[["revenue", "cogs", "due", "late", "deal"]].sum()
    out = out.join(sums)

    it = interactions[(it_date <= as_of).to_numpy()]
    kind = it[kind_col].astype("string")
    is_c = (kind == "complaint").fillna(False).to_numpy()
    bad = it[outcome_col].astype("string").isin(["escalated", "unresolved"]).to_numpy()
    i = pd.DataFrame(
        {
            "c": it[customer_col].to_numpy(),
            "cts": pd.to_numeric(it[contact_cost_col]).to_numpy(dtype=float),
            "complaints": is_c.astype(float),
            "unresolved": (is_c & bad).astype(float),
        }
    )
    out = out.join(i.groupby("c")[["cts", "complaints", "unresolved"]].sum())
    out = out.fillna(0.0)

    def share(num, den):
        return np.where(den > 0, num / np.maximum(den, 1), 0.0)

    res = pd.DataFrame(index=index)
    res["purchases"] = out["purchases"].astype("int64")
    res["revenue"] = out["revenue"]
    res["cost_of_goods"] = out["cogs"]
    res["margin"] = out["revenue"] - out["cogs"]
    res["cost_to_serve"] = out["cts"]
    res["profit"] = res["margin"] - res["cost_to_serve"]
    res["complaints"] = out["complaints"].astype("int64")
    res["complaints_per_purchase"] = share(out["complaints"], out["purchases"])
    res["invoices_due"] = out["due"].astype("int64")
    res["late_invoices"] = out["late"].astype("int64")
    res["late_share"] = share(out["late"], out["due"])
    res["unresolved_complaints"] = out["unresolved"].astype("int64")
    res["unresolved_share"] = share(out["unresolved"], out["complaints"])
    res["deal_purchases"] = out["deal"].astype("int64")
    res["deal_share"] = share(out["deal"], out["purchases"])
    res["serial_complainer"] = (res["complaints"] >= max(min_complaints, 1)) & (
        res["complaints_per_purchase"] >= complaint_rate
    )
    res["late_payer"] = (res["invoices_due"] >= max(min_invoices, 1)) & (
        res["late_share"] >= late_share
    )
    res["destructive"] = (res["complaints"] >= max(destructive_min_complaints, 1)) & (
        res["unresolved_share"] >= unresolved_share
    )
    res["deal_seeker"] = (res["purchases"] >= max(min_purchases, 1)) & (
        res["deal_share"] >= deal_share
    )
    # A table without any payment dates (a transactions export) says nothing about
    # late payment, and one without any cost of goods nothing about margin: unknown,
    # never "every invoice unpaid" or "margin = revenue".
    if len(tx) and tx[paid_col].isna().all():
        res["late_invoices"] = 0
        res["late_share"] = np.nan
        res["late_payer"] = False
    if len(tx) and tx[cogs_col].isna().all():
        for col in ("cost_of_goods", "margin", "profit"):
            res[col] = np.nan
    res["unprofitable"] = (res["purchases"] >= unprofitable_min_purchases) & (res["profit"] < 0)
    res["n_flags"] = res[list(CRITERIA)].sum(axis=1).astype("int64")
    return res.reset_index()


_MEASURES = ("customers", "revenue", "cost_of_goods", "cost_to_serve", "profit")


def termination_what_if(
    candidates,
    transactions,
    *,
    segment,
    method="raise_price",
    price_rise=0.1,
    elasticity=2.0,
    leave_share=0.3,
    service_cost_cut=0.25,
    customer_col="customer_id",
    category_col="category",
    amount_col="amount",
    cogs_col="cost",
) -> pd.DataFrame:
    """Before and after a termination method, for one flagged segment (source 002).

    A deliberately simple, documented model of expected values (no
    randomness), meant for discussion rather than forecasting:

    ``"raise_price"``
        every purchase of the segment costs ``1 + price_rise`` times more;
        demand falls linearly, so a share ``keep = 1 - elasticity x
        price_rise`` (clipped to [0, 1]) of the purchases, of the customers
        and of the cost of serving them remains. The price rise filters the
        segment: those who stay now pay enough to be profitable, or they leave.
    ``"redesign_product"``
        the kit's own assumption (source 002 says only that a redesign makes
        the product more attractive to customers): a share
        ``leave_share`` of the segment leaves (with its revenue, goods and
        cost-to-serve); for those who stay the cost of serving falls by
        ``service_cost_cut`` (fewer complaints and contacts).
    ``"unbundle_offer"``
        only the segment's *bundle* purchases change: the parts are sold
        separately at ``1 + price_rise`` times the price, with ``keep`` as
        above; customers who bought nothing but bundles stay with probability
        ``keep``, the others stay.

    Parameters
    ----------
    candidates : DataFrame
        The output of :func:`termination_candidates`.
    transactions : DataFrame
        Purchases with ``category`` (to find the bundles), ``amount`` and
        ``cost``; used by ``"unbundle_offer"`` only.
    segment : str or boolean Series
        A flag of ``candidates`` (one of :data:`CRITERIA`), ``"any"`` (at
        least one flag) or ``"all"`` (every customer), or a boolean Series
        aligned with ``candidates``.
    method : {"raise_price", "redesign_product", "unbundle_offer"}, default="raise_price"
        The termination method (:data:`crmkit.concepts.TERMINATION_METHODS`).
    price_rise : float, default=0.1
        Relative price rise, between 0 and 1 (0.1 = +10%).
    elasticity : float, default=2.0
        Share of purchases lost per unit of relative price rise (>= 0).
    leave_share : float, default=0.3
        Share of the segment that leaves after a redesign.
    service_cost_cut : float, default=0.25
        Relative fall of cost-to-serve after a redesign.
    customer_col, category_col, amount_col, cogs_col : str
        Columns of ``transactions``.

    Returns
    -------
    DataFrame
        One row per measure (``customers``, ``revenue``, ``cost_of_goods``,
        ``cost_to_serve``, ``profit``) with ``measure``, ``before``,
        ``after``, ``change`` (after - before) and ``change_pct`` (relative
        change; NaN when ``before`` is 0). ``customers`` after is an expected
        count and can be fractional.

    Examples
    --------
    >>> import crmkit
    >>> w = crmkit.make_world(1000, random_state=0)
    >>> c = termination_candidates(w.customers, w.transactions, w.interactions)
    >>> t = termination_what_if(c, w.transactions, segment="unprofitable", price_rise=0.2)
    >>> t["measure"].tolist()
    ['customers', 'revenue', 'cost_of_goods', 'cost_to_serve', 'profit']
    """
    func = "termination_what_if"
    check_choice(method, "method", METHODS, func)
    _number(price_rise, "price_rise", func, low=0, high=1)
    _number(elasticity, "elasticity", func, low=0)
    _number(leave_share, "leave_share", func, low=0, high=1)
    _number(service_cost_cut, "service_cost_cut", func, low=0, high=1)
    needed = ("customer_id", "revenue", "cost_of_goods", "cost_to_serve")
    check_frame(
        candidates,
        func,
        "candidates",
        {c: "candidates (use termination_candidates)" for c in needed},
    )
    totals = _segment_totals(
        candidates,
        transactions,
        _segment_mask(candidates, segment, func),
        bundles=method == "unbundle_offer",
        columns=(customer_col, category_col, amount_col, cogs_col),
        func=func,
    )
    before, after = _before_after(
        totals, method, price_rise, elasticity, leave_share, service_cost_cut
    )
    return _what_if_table(before, after)


def _segment_totals(candidates, transactions, mask, *, bundles, columns, func):
    """What the demand model needs of a segment: sums, and (for unbundling) bundle sums.

    The part of :func:`termination_what_if` that reads the data; the model itself
    (:func:`_before_after`) only combines these numbers with the controls.
    """
    seg = candidates[mask]
    rev = seg["revenue"].to_numpy(dtype=float)
    cogs = seg["cost_of_goods"].to_numpy(dtype=float)
    cts = seg["cost_to_serve"].to_numpy(dtype=float)
    totals = {"n": len(seg), "rev": rev.sum(), "cogs": cogs.sum(), "cts": cts.sum()}
    if not bundles:
        return totals
    customer_col, category_col, amount_col, cogs_col = columns
    check_frame(
        transactions,
        func,
        "transactions",
        {
            customer_col: "customer_col",
            category_col: "category_col",
            amount_col: "amount_col",
            cogs_col: "cogs_col",
        },
    )
    ids = seg["customer_id"].to_numpy()
    tx = transactions[transactions[customer_col].isin(ids).to_numpy()]
    is_b = (tx[category_col].astype("string") == "bundle").fillna(False).to_numpy()
    b = (
        pd.DataFrame(
            {
                "c": tx[customer_col].to_numpy(),
                "b_rev": np.where(is_b, pd.to_numeric(tx[amount_col]).to_numpy(float), 0.0),
                "b_cogs": np.where(is_b, pd.to_numeric(tx[cogs_col]).to_numpy(float), 0.0),
                "other": (~is_b).astype(float),
                "bundles": is_b.astype(float),
            }
        )
        .groupby("c")
        .sum()
        .reindex(ids, fill_value=0.0)
    )
    b_rev, b_cogs = b["b_rev"].to_numpy(), b["b_cogs"].to_numpy()
    only = (b["bundles"].to_numpy() > 0) & (b["other"].to_numpy() == 0)
    totals.update(
        rev_other=(rev - b_rev).sum(),
        b_rev=b_rev.sum(),
        cogs_other=(cogs - b_cogs).sum(),
        b_cogs=b_cogs.sum(),
        only=only,
        cts_values=cts,
    )
    return totals


def _before_after(totals, method, price_rise, elasticity, leave_share, service_cost_cut):
    """The demand model of :func:`termination_what_if` on a segment's totals."""
    n, rev, cogs, cts = totals["n"], totals["rev"], totals["cogs"], totals["cts"]
    keep = min(max(1.0 - elasticity * price_rise, 0.0), 1.0)
    before = np.array([n, rev, cogs, cts, 0.0])
    if method == "raise_price":
        after = np.array(
            [n * keep, rev * (1 + price_rise) * keep, cogs * keep, cts * keep, 0.0]
        )
    elif method == "redesign_product":
        stay = 1.0 - leave_share
        after = np.array(
            [n * stay, rev * stay, cogs * stay, cts * stay * (1 - service_cost_cut), 0.0]
        )
    else:
        stay = np.where(totals["only"], keep, 1.0)
        after = np.array(
            [
                stay.sum(),
                totals["rev_other"] + totals["b_rev"] * (1 + price_rise) * keep,
                totals["cogs_other"] + totals["b_cogs"] * keep,
                (totals["cts_values"] * stay).sum(),
                0.0,
            ]
        )
    before[4] = before[1] - before[2] - before[3]
    after[4] = after[1] - after[2] - after[3]
    return before, after


def _what_if_table(before, after):
    change = after - before
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = np.where(before != 0, change / np.abs(np.where(before == 0, 1, before)), np.nan)
    return pd.DataFrame(
        {
            "measure": list(_MEASURES),
            "before": before,
            "after": after,
            "change": change,
            "change_pct": pct,
        }
    )


def termination_what_if_grid(
    candidates,
    transactions,
    *,
    segments,
    price_rises,
    elasticities,
    methods=METHODS,
    leave_share=0.3,
    service_cost_cut=0.25,
) -> pd.DataFrame:
    """:func:`termination_what_if` at every combination of the given controls, in one table.

    Each segment's data is read once (its sums and bundle purchases); the demand
    model then runs at each combination, which is what makes a grid of a few
    thousand settings take a fraction of a second. Every row equals
    ``termination_what_if(candidates, transactions, segment=..., method=...,
    price_rise=..., elasticity=...)`` at its settings (a test checks it).

    Parameters
    ----------
    candidates, transactions : DataFrame
        As in :func:`termination_what_if` (with the default column names).
    segments : sequence of str
        Criteria of :data:`CRITERIA`, ``"any"`` or ``"all"``.
    price_rises, elasticities : sequence of float
        The settings of the price rise (0 to 1) and the elasticity (>= 0).
    methods : sequence of str, default=METHODS
    leave_share, service_cost_cut : float
        As in :func:`termination_what_if`.

    Returns
    -------
    DataFrame
        One row per segment, method, price rise and elasticity (in that
        nesting; a redesign ignores the price controls, so it has one row per
        segment with both set to NaN): ``segment``, ``method``,
        ``price_rise``, ``elasticity``, then ``before_<measure>`` and
        ``after_<measure>`` for each measure of :func:`termination_what_if`
        (``customers``, ``revenue``, ``cost_of_goods``, ``cost_to_serve``,
        ``profit``).

    Examples
    --------
    >>> import crmkit
    >>> w = crmkit.make_world(300, random_state=0)
    >>> g = termination_what_if_grid(prepare_candidates(w), w.transactions, segments=["all"],
    ...                  price_rises=[0.0, 0.1], elasticities=[1.0, 2.0])
    >>> len(g), g.columns[4]
    (9, 'before_customers')
    """
    func = "termination_what_if_grid"
    for m in methods:
        check_choice(m, "method", METHODS, func)
    for p in price_rises:
        _number(p, "price_rise", func, low=0, high=1)
    for e in elasticities:
        _number(e, "elasticity", func, low=0)
    rows = []
    for segment in segments:
        mask = _segment_mask(candidates, segment, func)
        plain = _segment_totals(candidates, transactions, mask, bundles=False,
                                columns=(), func=func)  # fmt: skip
        for method in methods:
            totals = plain
            if method == "unbundle_offer":
                totals = _segment_totals(
                    candidates, transactions, mask, bundles=True,
                    columns=("customer_id", "category", "amount", "cost"), func=func,
                )  # fmt: skip
            settings = (
                [(np.nan, np.nan)]
                if method == "redesign_product"
                else [(p, e) for p in price_rises for e in elasticities]
            )
            for p, e in settings:
                before, after = _before_after(
                    totals, method, 0.0 if p != p else p, 0.0 if e != e else e,
                    leave_share, service_cost_cut,
                )  # fmt: skip
                rows.append((segment, method, p, e, *before, *after))
    columns = ["segment", "method", "price_rise", "elasticity"]
    columns += [f"before_{m}" for m in _MEASURES] + [f"after_{m}" for m in _MEASURES]
    return pd.DataFrame(rows, columns=columns)


def segment_mask(candidates, segment) -> np.ndarray:
    """Boolean mask of the customers of ``candidates`` in ``segment``.

    Parameters
    ----------
    candidates : DataFrame
        The output of :func:`termination_candidates` (its flag columns).
    segment : str or boolean Series
        A criterion of :data:`CRITERIA`, ``"any"`` (at least one flag),
        ``"all"`` (every customer), or a boolean mask aligned with
        ``candidates`` (returned as it is).

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({k: [False, True] for k in CRITERIA})
    >>> segment_mask(c, "any").tolist(), segment_mask(c, "all").tolist()
    ([False, True], [True, True])
    """
    return _segment_mask(candidates, segment, "segment_mask")


def _segment_mask(candidates, segment, func):
    if isinstance(segment, str):
        choices = (*CRITERIA, "any", "all")
        check_choice(segment, "segment", choices, func)
        if segment == "all":
            return np.ones(len(candidates), dtype=bool)
        cols = list(CRITERIA) if segment == "any" else [segment]
        check_frame(candidates, func, "candidates", {c: "candidates" for c in cols})
        return candidates[cols].astype(bool).any(axis=1).to_numpy()
    if isinstance(segment, pd.Series | np.ndarray | list):
        mask = np.asarray(segment)
        if mask.dtype != bool or mask.shape != (len(candidates),):
            raise TypeError(
                f"{func}: a `segment` mask must be booleans, one per row of `candidates` "
                f"({len(candidates)}); got dtype {mask.dtype} and shape {mask.shape}."
            )
        return mask
    raise TypeError(
        f"{func}: `segment` must be a criterion such as 'unprofitable', 'any', 'all' or a "
        f"boolean mask; got {type(segment).__name__}."
    )


def prepare_candidates(world) -> pd.DataFrame:
    """The termination evidence and flags of every customer of ``world`` (computed once).

    Parameters
    ----------
    world : crmkit.World
        Needs ``customers``, ``transactions`` and ``interactions``.

    Returns
    -------
    DataFrame
        The output of :func:`termination_candidates` plus ``bundle_purchases``
        (purchases of the *bundle* category: what unbundling would change).

    Examples
    --------
    >>> import crmkit
    >>> cand = prepare_candidates(crmkit.make_world(300, random_state=0))
    >>> bool((cand["bundle_purchases"] >= 0).all())
    True
    """
    cand = termination_candidates(world.customers, world.transactions, world.interactions)
    tx = world.transactions
    is_bundle = (tx["category"].astype("string") == "bundle").fillna(False).to_numpy()
    bundles = tx.loc[is_bundle, "customer_id"].value_counts()
    cand["bundle_purchases"] = cand["customer_id"].map(bundles).fillna(0).astype("int64").to_numpy()
    return cand
