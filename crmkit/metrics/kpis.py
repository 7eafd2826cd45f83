"""Loyalty KPIs over time, acquisition and win-back results, and the people behind them.

Source 001 lists the loyalty KPIs to measure, report and discuss: defections,
complaints, positive feedback, focus-group reports, feedback from care staff,
complaint handling and cash collection. :func:`loyalty_kpis` counts them per
month (:func:`prepare_kpis` for a whole world, :func:`kpi_series` one KPI per
1,000 customers or in per cent) and :func:`kpi_alerts` flags the months that leave their baseline
(strategy 7, performance focus). :func:`training_effect` links staff training
to complaint resolution (strategy 8) and :func:`satisfaction_by_team` shows
satisfaction by team (strategy 1). Acquisition and win-back (source 002) are
measured by channel and offer.

All functions are pure: the input tables are never modified.
"""

from __future__ import annotations

import numbers
from typing import NamedTuple

import numpy as np
import pandas as pd

from crmkit import concepts
from crmkit._checks import check_as_of, check_choice, check_frame

__all__ = [
    "KPI_COLUMNS",
    "KPI_BAD_DIRECTION",
    "KPI_LABELS",
    "KPI_PER_CUSTOMER",
    "KPI_PERCENT",
    "loyalty_kpis",
    "kpi_alerts",
    "kpi_series",
    "prepare_kpis",
    "acquisition_by_channel",
    "origin_mix",
    "winback_by_campaign",
    "TrainingEffect",
    "training_effect",
    "satisfaction_by_team",
]

FREQS = ("M", "W", "Q")

#: The KPI columns of :func:`loyalty_kpis`, in order.
KPI_COLUMNS = (
    "defections",
    "complaints",
    "positive_feedback",
    "focus_group_reports",
    "care_staff_feedback",
    "complaint_resolution_hours",
    "complaints_resolved_share",
    "invoices_due",
    "late_payment_share",
    "cash_collection_rate",
)

#: Which way is bad for each KPI: +1 a rise is bad, -1 a fall is bad, 0 neither (watch it).
KPI_BAD_DIRECTION = {
    "defections": 1,
    "complaints": 1,
    "positive_feedback": -1,
    "focus_group_reports": 0,
    "care_staff_feedback": 0,
    "complaint_resolution_hours": 1,
    "complaints_resolved_share": -1,
    "invoices_due": 0,
    "late_payment_share": 1,
    "cash_collection_rate": -1,
}

#: Title and unit label of each KPI (shares are shown in per cent).
KPI_LABELS = {
    "defections": ("Defections", "Customers lost"),
    "complaints": ("Complaints", "Complaints received"),
    "positive_feedback": ("Positive feedback", "Messages of praise"),
    "focus_group_reports": ("Focus-group reports", "Focus-group answers"),
    "care_staff_feedback": ("Feedback from care staff", "Notes by care staff"),
    "complaint_resolution_hours": ("Complaint handling: speed", "Median hours to resolve"),
    "complaints_resolved_share": ("Complaint handling: result", "Complaints resolved (%)"),
    "invoices_due": ("Invoices falling due", "Invoices"),
    "late_payment_share": ("Late payments", "Invoices paid late (%)"),
    "cash_collection_rate": ("Cash collection", "Amount paid on time (%)"),
}
#: KPIs that can be shown per 1,000 active customers (counts of events).
KPI_PER_CUSTOMER = ("defections", "complaints", "positive_feedback", "care_staff_feedback")
#: KPIs that are shares, shown in per cent.
KPI_PERCENT = {"complaints_resolved_share", "late_payment_share", "cash_collection_rate"}


def _check_freq(freq, func, *, allow_none=False):
    choices = (*FREQS, None) if allow_none else FREQS
    if isinstance(freq, str) and freq.upper() in FREQS and freq not in FREQS:
        raise ValueError(
            f"{func}: `freq` must be one of {', '.join(map(repr, choices))}; "
            f"got {freq!r} (use capital letters)."
        )
    return check_choice(freq, "freq", choices, func)


def _dates(s):
    return pd.to_datetime(s)


def _count_by_period(dates, periods, freq):
    p = _dates(dates).dt.to_period(freq)
    return p.value_counts().reindex(periods, fill_value=0).astype("int64")


# --------------------------------------------------------------------------- loyalty KPIs
def loyalty_kpis(
    customers,
    transactions,
    interactions,
    *,
    surveys=None,
    stage_history=None,
    freq="M",
    as_of=None,
    terms_days=30,
    date_col="date",
    signup_col="signup_date",
    churn_col="churn_date",
    kind_col="kind",
    outcome_col="outcome",
    resolution_col="resolution_hours",
    amount_col="amount",
    paid_col="paid_date",
    method_col="method",
) -> pd.DataFrame:
    """The loyalty KPIs of source 001, per period.

    Parameters
    ----------
    customers : DataFrame
        One row per customer, with ``signup_date`` and the start of the
        current dissolution in ``churn_col`` (empty while the relationship
        lives). Only the *current* dissolution is known there: a won-back
        customer's earlier defection is missed unless ``stage_history`` is
        given.
    transactions : DataFrame
        Purchases (invoices) with ``date``, ``amount`` and ``paid_date``.
    interactions : DataFrame
        Contacts with ``date``, ``kind``, ``outcome`` and ``resolution_hours``.
    surveys : DataFrame, optional
        Survey answers with ``date`` and ``method``; without it
        ``focus_group_reports`` is missing (``<NA>``).
    stage_history : DataFrame, optional
        Lifecycle spells (``customer_id``, ``stage``, ``start_date``,
        ``end_date``). With it every dissolution counts as a defection,
        including those of customers won back later (in the default dataset
        1,380 defections instead of the 1,004 still visible in
        ``customers``), and ``active_customers`` is exact. Recommended.
    freq : {"M", "W", "Q"}, default="M"
        Period length: month, week or quarter.
    as_of : date, optional
        Last day counted; later rows are left out and an invoice still unpaid
        at ``as_of`` counts as unpaid. Default: the latest date in
        ``transactions`` and ``interactions``.
    terms_days : int, default=30
        Payment terms: an invoice is due ``terms_days`` after the purchase.
    date_col : str, default="date"
        Date column of ``transactions``, ``interactions`` and ``surveys``.
    signup_col, churn_col, kind_col, outcome_col, resolution_col : str
        The other columns used (names as in :data:`crmkit.schema.SCHEMA`).
    amount_col, paid_col, method_col : str
        Likewise.

    Returns
    -------
    DataFrame
        One row per period from the first purchase or contact to ``as_of``:
        ``period`` (a pandas Period), ``period_start`` (its first day),
        ``active_customers`` (signed up by the end of the period and not
        dissolved before it began: the denominator for rates, since counts
        grow with the customer base), then :data:`KPI_COLUMNS`:

        - ``defections``: customers whose relationship dissolved in the period;
        - ``complaints``, ``positive_feedback``, ``care_staff_feedback``
          (notes by care staff): counts of contacts of that kind;
        - ``focus_group_reports``: focus-group answers (surveys method
          ``focus_group``);
        - ``complaint_resolution_hours``: median hours to resolve the
          period's complaints; ``complaints_resolved_share``: the share of
          them resolved (complaint handling);
        - ``invoices_due``: invoices falling due in the period (purchase date
          + ``terms_days``, not after ``as_of``); ``late_payment_share``: the
          share of them paid late or still unpaid; ``cash_collection_rate``:
          the share of their *amount* collected within the terms (cash
          collection).

        Shares and medians are NaN in a period with nothing to divide (no
        complaint, no invoice due). A KPI the data cannot give is unknown: the
        contact counts are NA without any interactions, ``defections`` NA
        without any churn date or stage history, ``focus_group_reports`` NA
        without surveys, and the payment KPIs NaN when no purchase has a
        payment date (a transactions export), never 0 or "all unpaid".

    Examples
    --------
    >>> import crmkit
    >>> w = crmkit.make_world(500, random_state=0)
    >>> k = loyalty_kpis(w.customers, w.transactions, w.interactions, surveys=w.surveys)
    >>> len(k), k["period"].iloc[0].strftime("%Y-%m")
    (24, '2023-01')
    """
    func = "loyalty_kpis"
    freq = _check_freq(freq, func)
    if isinstance(terms_days, bool) or not isinstance(terms_days, numbers.Integral):
        raise TypeError(f"{func}: `terms_days` must be a whole number of days, got {terms_days!r}.")
    if terms_days < 0:
        raise ValueError(f"{func}: `terms_days` must be >= 0; got {terms_days}.")
    check_frame(
        customers,
        func,
        "customers",
        {signup_col: "signup_col", churn_col: "churn_col"},
        allow_empty=True,
    )
    check_frame(
        transactions,
        func,
        "transactions",
        {date_col: "date_col", amount_col: "amount_col", paid_col: "paid_col"},
    )
    check_frame(
        interactions,
        func,
        "interactions",
        {
            date_col: "date_col",
            kind_col: "kind_col",
            outcome_col: "outcome_col",
            resolution_col: "resolution_col",
        },
        allow_empty=True,
    )
    if surveys is not None:
        check_frame(
            surveys,
            func,
            "surveys",
            {date_col: "date_col", method_col: "method_col"},
            allow_empty=True,
        )
    tx_date = _dates(transactions[date_col])
    it_date = _dates(interactions[date_col])
    earliest = min(tx_date.min(), it_date.min()) if len(it_date) else tx_date.min()
    latest = max(tx_date.max(), it_date.max()) if len(it_date) else tx_date.max()
    as_of = check_as_of(as_of, func, earliest=earliest, default=latest)
    periods = pd.period_range(earliest.to_period(freq), as_of.to_period(freq), freq=freq)

    churn = _dates(customers[churn_col])
    churn = churn[churn <= as_of].dropna()
    # dissolution spells: (start, end); end NaT = still dissolved
    if stage_history is not None:
        check_frame(
            stage_history,
            func,
            "stage_history",
            {"stage": "stage_history", "start_date": "stage_history", "end_date": "stage_history"},
            allow_empty=True,
        )
        diss = stage_history[
            (stage_history["stage"].astype("string") == "dissolution").fillna(False)
        ]
        d_start = _dates(diss["start_date"])
        keep = (d_start <= as_of).to_numpy()
        d_start = d_start[keep].to_numpy()
        d_end = _dates(diss["end_date"])[keep].to_numpy()
    else:
        d_start = churn.to_numpy()
        d_end = np.full(len(d_start), np.datetime64("NaT"), dtype=d_start.dtype)
    out = pd.DataFrame(index=periods)
    out["defections"] = _count_by_period(pd.Series(d_start), periods, freq)

    live = interactions[(it_date <= as_of).to_numpy()]
    kind = live[kind_col].astype("string")
    idate = _dates(live[date_col])
    for col, k in (
        ("complaints", "complaint"),
        ("positive_feedback", "positive_feedback"),
        ("care_staff_feedback", "care_feedback"),
    ):
        out[col] = _count_by_period(idate[(kind == k).fillna(False).to_numpy()], periods, freq)
    if surveys is None:
        out["focus_group_reports"] = pd.array([pd.NA] * len(periods), dtype="Int64")
    else:
        sdate = _dates(surveys[date_col])
        fg = (surveys[method_col].astype("string") == "focus_group").fillna(False).to_numpy()
        out["focus_group_reports"] = _count_by_period(
            sdate[fg & (sdate <= as_of).to_numpy()], periods, freq
        ).astype("Int64")

    is_c = (kind == "complaint").fillna(False).to_numpy()
    comp = pd.DataFrame(
        {
            "period": idate[is_c].dt.to_period(freq).to_numpy(),
            "hours": pd.to_numeric(live[resolution_col])[is_c].to_numpy(dtype=float),
            "resolved": (live[outcome_col].astype("string")[is_c] == "resolved")
            .fillna(False)
            .to_numpy(dtype=float),
        }
    )
    g = comp.groupby("period")
    out["complaint_resolution_hours"] = g["hours"].median().reindex(periods)
    out["complaints_resolved_share"] = g["resolved"].mean().reindex(periods)

    due = tx_date + pd.Timedelta(days=terms_days)
    paid = _dates(transactions[paid_col])
    paid = paid.where(paid <= as_of)  # paid after as_of: still unpaid at as_of
    in_scope = (due <= as_of).to_numpy()
    on_time = (paid.notna() & (paid <= due)).to_numpy()[in_scope]
    amount = pd.to_numeric(transactions[amount_col]).to_numpy(dtype=float)[in_scope]
    inv = pd.DataFrame(
        {
            "period": due[in_scope].dt.to_period(freq).to_numpy(),
            "late": (~on_time).astype(float),
            "amount": amount,
            "collected": np.where(on_time, amount, 0.0),
        }
    )
    g = inv.groupby("period")
    out["invoices_due"] = g.size().reindex(periods, fill_value=0).astype("int64")
    out["late_payment_share"] = g["late"].mean().reindex(periods)
    sums = g[["amount", "collected"]].sum().reindex(periods)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["cash_collection_rate"] = (sums["collected"] / sums["amount"]).where(sums["amount"] > 0)
    # What the data cannot say is unknown (NA), never 0 or "all unpaid": a
    # transactions export has no contacts, no dissolutions and no payment dates.
    unknown = pd.array([pd.NA] * len(periods), dtype="Int64")
    if len(interactions) == 0:
        for col in ("complaints", "positive_feedback", "care_staff_feedback"):
            out[col] = unknown
    if surveys is not None and len(surveys) == 0:
        out["focus_group_reports"] = unknown
    no_stages = stage_history is None or len(stage_history) == 0
    if no_stages and customers[churn_col].isna().all():
        out["defections"] = unknown
    if len(transactions) and transactions[paid_col].isna().all():
        out["late_payment_share"] = np.nan
        out["cash_collection_rate"] = np.nan
    out = out[list(KPI_COLUMNS)]
    starts = periods.to_timestamp(how="start")
    ends = periods.to_timestamp(how="end")
    signed = np.sort(_dates(customers[signup_col]).dropna().to_numpy())
    t0 = starts.to_numpy().astype(d_start.dtype)[:, None]
    dissolved = ((d_start[None, :] < t0) & ~(d_end[None, :] < t0)).sum(axis=1)  # NaT: still
    active = np.searchsorted(signed, ends.to_numpy(), side="right") - dissolved
    out.insert(0, "active_customers", active.astype("int64"))
    out.insert(0, "period_start", starts)
    out.index.name = "period"
    return out.reset_index()


def kpi_alerts(
    kpis, *, window=3, threshold=2.0, columns=None, period_col="period", all_periods=False
):
    """Periods where a KPI departs from its own recent baseline (strategy 7).

    For each KPI and period the baseline is the mean of the ``window``
    periods before it, and the spread their standard deviation; a period is
    flagged when ``|value - baseline| >= threshold x spread``. A baseline with
    no spread (all equal) flags any change.

    Parameters
    ----------
    kpis : DataFrame
        One row per period, as returned by :func:`loyalty_kpis`.
    window : int, default=3
        Periods in the baseline; the first ``window`` periods are not judged.
    threshold : float, default=2.0
        How many spreads away from the baseline counts as an alert.
    columns : list of str, optional
        KPIs to watch; default: the :data:`KPI_COLUMNS` present in ``kpis``
        that have a bad direction (volumes such as ``invoices_due`` and the
        quarterly ``focus_group_reports`` are left out unless named).
    period_col : str, default="period"
        Column naming the period.
    all_periods : bool, default=False
        Return every period, not only the alerts (to draw the corridor): the
        rows that are not alerts have ``direction`` and ``judgement`` None,
        and three columns are added: ``low`` and ``high`` (``baseline -+
        threshold x spread``) and ``alert`` (bool).

    Returns
    -------
    DataFrame
        One row per alert, by period then KPI: ``period``, ``kpi``,
        ``value``, ``baseline``, ``spread``, ``z`` (spreads from the
        baseline; infinite when the baseline has no spread), ``direction``
        ("up"/"down") and ``judgement``: "worse" or "better" by
        :data:`KPI_BAD_DIRECTION`, "watch" for KPIs that are neither good nor
        bad when they move (such as focus-group reports). With
        ``all_periods=True``: one row per period and KPI, plus ``low``,
        ``high`` and ``alert``.

    Examples
    --------
    >>> import pandas as pd
    >>> k = pd.DataFrame({"period": range(5), "complaints": [10, 11, 9, 10, 30]})
    >>> kpi_alerts(k)[["period", "kpi", "value", "judgement"]]
       period         kpi  value judgement
    0       4  complaints   30.0     worse
    """
    func = "kpi_alerts"
    if isinstance(window, bool) or not isinstance(window, numbers.Integral):
        raise TypeError(f"{func}: `window` must be a whole number of periods, got {window!r}.")
    if window < 2:
        raise ValueError(
            f"{func}: `window` must be at least 2 (to measure a spread); got {window}."
        )
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real):
        raise TypeError(f"{func}: `threshold` must be a number, got {type(threshold).__name__}.")
    if threshold <= 0:
        raise ValueError(f"{func}: `threshold` must be > 0; got {threshold}.")
    check_frame(kpis, func, "kpis", {period_col: "period_col"})
    if columns is None:
        columns = [c for c in KPI_COLUMNS if c in kpis.columns and KPI_BAD_DIRECTION[c]]
        if not columns:
            raise ValueError(
                f"{func}: `kpis` has none of the KPI columns {list(KPI_COLUMNS)} (columns: "
                f"{', '.join(map(str, kpis.columns))}). Pass columns= to choose them."
            )
    elif isinstance(columns, str):
        columns = [columns]
    check_frame(kpis, func, "kpis", {c: "columns" for c in columns})
    rows = []
    for col in columns:
        if not pd.api.types.is_numeric_dtype(kpis[col]) or kpis[col].dtype == bool:
            raise TypeError(f"{func}: KPI column {col!r} must hold numbers; got {kpis[col].dtype}.")
        v = pd.to_numeric(kpis[col]).astype(float).reset_index(drop=True)
        past = v.shift(1).rolling(window, min_periods=window)
        base, spread = past.mean(), past.std(ddof=1)
        diff = v - base
        with np.errstate(invalid="ignore", divide="ignore"):
            z = np.where(
                spread > 0, diff / spread, np.where(diff == 0, 0.0, np.sign(diff) * np.inf)
            )
        z = pd.Series(z, index=v.index).where(base.notna() & v.notna())
        alert = (z.abs() >= threshold).to_numpy()
        bad = KPI_BAD_DIRECTION.get(col, 0)
        for i in range(len(v)) if all_periods else np.flatnonzero(alert):
            direction = judgement = None
            if alert[i]:
                sign = 1 if diff[i] > 0 else -1
                direction = "up" if sign > 0 else "down"
                judgement = "watch" if bad == 0 else ("worse" if sign == bad else "better")
            row = (
                kpis[period_col].iloc[i],
                col,
                v[i],
                base[i],
                spread[i],
                float(z[i]),
                direction,
                judgement,
                i,
            )
            if all_periods:
                low, high = base[i] - threshold * spread[i], base[i] + threshold * spread[i]
                row += (low, high, bool(alert[i]))
            rows.append(row)
    cols = ["period", "kpi", "value", "baseline", "spread", "z", "direction", "judgement"]
    if all_periods:
        cols += ["low", "high", "alert"]
    out = pd.DataFrame(rows, columns=[*cols[:8], "_row", *cols[8:]])
    order = {c: j for j, c in enumerate(columns)}
    out = out.assign(_k=out["kpi"].map(order)).sort_values(["_row", "_k"], kind="stable")
    return out[cols].reset_index(drop=True)


def prepare_kpis(world) -> pd.DataFrame:
    """The monthly loyalty KPIs of ``world`` (computed once per widget).

    Uses the surveys (focus-group reports) and the stage history (every
    defection, also of customers won back later) when the world has them.

    Returns
    -------
    DataFrame
        The output of :func:`loyalty_kpis`.

    Examples
    --------
    >>> import crmkit
    >>> k = prepare_kpis(crmkit.make_world(300, random_state=0))
    >>> k.columns[0]
    'period'
    """
    surveys = world.surveys if len(world.surveys) else None
    history = world.stage_history if len(world.stage_history) else None
    return loyalty_kpis(
        world.customers,
        world.transactions,
        world.interactions,
        surveys=surveys,
        stage_history=history,
    )


def kpi_series(kpis: pd.DataFrame, kpi: str) -> tuple[pd.Series, str]:
    """One KPI as it is drawn and judged: counts per 1,000 active customers, shares in %.

    The counts (defections, complaints, positive feedback, care-staff
    feedback) grow with the customer base, so they are divided by the
    active customers of the month, as in the KPI dashboard.

    Parameters
    ----------
    kpis : DataFrame
        The output of :func:`loyalty_kpis`.
    kpi : str
        One of :data:`KPI_COLUMNS`.

    Returns
    -------
    (Series, str)
        The values (float, index as ``kpis``) and their unit label.

    Examples
    --------
    >>> import pandas as pd
    >>> k = pd.DataFrame({"active_customers": [500, 1000], "complaints": [5, 20],
    ...                   "late_payment_share": [0.1, 0.25]})
    >>> kpi_series(k, "complaints")[0].tolist()
    [10.0, 20.0]
    >>> values, unit = kpi_series(k, "late_payment_share")
    >>> values.tolist(), unit
    ([10.0, 25.0], 'invoices paid late (%)')
    """
    check_choice(kpi, "kpi", tuple(c for c in KPI_COLUMNS if c in kpis.columns), "kpi_series")
    values = pd.to_numeric(kpis[kpi]).astype(float)
    label = KPI_LABELS.get(kpi, (kpi, kpi))[1]
    if kpi in KPI_PER_CUSTOMER:
        active = kpis["active_customers"].astype(float).where(kpis["active_customers"] > 0)
        return (values / active * 1000).rename(kpi), f"{label.lower()} per 1,000 active customers"
    if kpi in KPI_PERCENT:
        return (values * 100).rename(kpi), label[0].lower() + label[1:]
    return values, label[0].lower() + label[1:]


# --------------------------------------------------------------------------- acquisition
def _campaigns_of(campaigns, ctype, func, type_col):
    sel = campaigns[(campaigns[type_col].astype("string") == ctype).fillna(False).to_numpy()]
    if sel.empty:
        raise ValueError(
            f"{func}: `campaigns` has no {ctype!r} campaign (column {type_col!r} holds "
            f"{sorted(campaigns[type_col].dropna().astype(str).unique())})."
        )
    return sel


def acquisition_by_channel(
    customers,
    campaigns,
    *,
    campaign_col="campaign_id",
    acq_campaign_col="acquisition_campaign_id",
    channel_col="channel",
    type_col="campaign_type",
    reach_col="reach",
    cost_col="cost",
) -> pd.DataFrame:
    """Reach, new customers, conversion and cost per acquisition, by channel.

    A customer counts as acquired by a campaign when their
    ``acquisition_campaign_id`` names one of the acquisition campaigns
    (customers from referrals and community events name none, and won-back
    customers name a win-back campaign: see :func:`winback_by_campaign`).

    Parameters
    ----------
    customers : DataFrame
        One row per customer, with the campaign that acquired them.
    campaigns : DataFrame
        One row per campaign and channel, with ``campaign_type``, ``reach``
        and ``cost``.
    campaign_col, acq_campaign_col, channel_col, type_col, reach_col, cost_col : str
        Column names (as in :data:`crmkit.schema.SCHEMA`).

    Returns
    -------
    DataFrame
        One row per channel (in :data:`crmkit.concepts.CHANNELS` order):
        ``channel``, ``campaigns``, ``reach`` (people contacted),
        ``new_customers``, ``conversion_rate`` (new customers / reach),
        ``cost`` and ``cost_per_acquisition`` (cost / new customers; NaN for a
        channel that won nobody).

    Examples
    --------
    >>> import crmkit
    >>> w = crmkit.make_world(1000, random_state=0)
    >>> a = acquisition_by_channel(w.customers, w.campaigns)
    >>> a.columns.tolist()[:4]
    ['channel', 'campaigns', 'reach', 'new_customers']
    """
    func = "acquisition_by_channel"
    check_frame(customers, func, "customers", {acq_campaign_col: "acq_campaign_col"})
    check_frame(
        campaigns,
        func,
        "campaigns",
        {
            campaign_col: "campaign_col",
            channel_col: "channel_col",
            type_col: "type_col",
            reach_col: "reach_col",
            cost_col: "cost_col",
        },
    )
    acq = _campaigns_of(campaigns, "acquisition", func, type_col)
    won = customers[acq_campaign_col].dropna().value_counts()
    ids = acq[campaign_col]
    frame = pd.DataFrame(
        {
            "channel": acq[channel_col].astype(str).to_numpy(),
            "campaign": ids.to_numpy(),
            "reach": pd.to_numeric(acq[reach_col]).to_numpy(dtype=float),
            "new_customers": ids.map(won).fillna(0).to_numpy(dtype=float),
            "cost": pd.to_numeric(acq[cost_col]).to_numpy(dtype=float),
        }
    )
    g = frame.groupby("channel", sort=False)
    out = g[["reach", "new_customers", "cost"]].sum()
    out.insert(0, "campaigns", g["campaign"].nunique())
    known = concepts.keys(concepts.CHANNELS)
    order = [c for c in known if c in out.index] + sorted(set(out.index) - set(known))
    out = out.loc[order]
    with np.errstate(invalid="ignore", divide="ignore"):
        out["conversion_rate"] = (out["new_customers"] / out["reach"]).where(out["reach"] > 0)
        out["cost_per_acquisition"] = (out["cost"] / out["new_customers"]).where(
            out["new_customers"] > 0
        )
    out["reach"] = out["reach"].astype("int64")
    out["new_customers"] = out["new_customers"].astype("int64")
    out.index.name = "channel"
    out = out.reset_index()
    return out[
        [
            "channel",
            "campaigns",
            "reach",
            "new_customers",
            "conversion_rate",
            "cost",
            "cost_per_acquisition",
        ]
    ]


def origin_mix(customers, *, freq=None, origin_col="origin", date_col="signup_date"):
    """How many customers are new to the business, new to the product or won back (002).

    Parameters
    ----------
    customers : DataFrame
        One row per customer.
    freq : {None, "M", "W", "Q"}, default=None
        Without it, one row per origin over all customers; with it, one row
        per sign-up period and origin.
    origin_col : str, default="origin"
        Column of the origin (:data:`crmkit.concepts.ORIGINS` keys).
    date_col : str, default="signup_date"
        Sign-up date (used with ``freq``).

    Returns
    -------
    DataFrame
        ``origin``, ``name``, ``customers`` and ``share`` (of all customers,
        or of the period's sign-ups), preceded by ``period`` when ``freq`` is
        given. Every origin appears in every period (0 when none).

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"origin": ["won_back", "new_to_product", "won_back", "won_back"]})
    >>> origin_mix(c)[["origin", "customers", "share"]]
                origin  customers  share
    0  new_to_business          0   0.00
    1   new_to_product          1   0.25
    2         won_back          3   0.75
    """
    func = "origin_mix"
    freq = _check_freq(freq, func, allow_none=True)
    needed = {origin_col: "origin_col"}
    if freq is not None:
        needed[date_col] = "date_col"
    check_frame(customers, func, "customers", needed)
    known = concepts.keys(concepts.ORIGINS)
    origin = customers[origin_col].astype("string")
    unknown = sorted(set(origin.dropna()) - set(known))
    if unknown:
        raise ValueError(
            f"{func}: unknown origin(s) {unknown} in column {origin_col!r}; expected {list(known)}."
        )
    names = concepts.labels(concepts.ORIGINS)
    if freq is None:
        counts = origin.value_counts().reindex(list(known), fill_value=0).astype("int64")
        out = pd.DataFrame({"origin": list(known), "customers": counts.to_numpy()})
        out["share"] = out["customers"] / max(int(out["customers"].sum()), 1)
        out.insert(1, "name", out["origin"].map(names))
        return out
    period = _dates(customers[date_col]).dt.to_period(freq)
    tab = pd.crosstab(period.to_numpy(), origin.to_numpy()).reindex(
        columns=list(known), fill_value=0
    )
    tab = tab.reindex(pd.period_range(tab.index.min(), tab.index.max(), freq=freq), fill_value=0)
    long = tab.stack().rename("customers").reset_index()
    long.columns = ["period", "origin", "customers"]
    totals = long.groupby("period")["customers"].transform("sum")
    long["share"] = (long["customers"] / totals.clip(lower=1)).astype(float)
    long.insert(2, "name", long["origin"].map(names))
    long["customers"] = long["customers"].astype("int64")
    return long


def winback_by_campaign(
    customers,
    campaigns,
    *,
    by="offer",
    campaign_col="campaign_id",
    acq_campaign_col="acquisition_campaign_id",
    origin_col="origin",
    type_col="campaign_type",
    reach_col="reach",
    cost_col="cost",
):
    """Lost customers won back, per win-back offer, campaign or channel (source 002).

    Parameters
    ----------
    customers : DataFrame
        One row per customer; won-back customers have origin ``won_back`` and
        name the win-back campaign in ``acquisition_campaign_id``.
    campaigns : DataFrame
        Campaigns, of which the ``win_back`` ones are used.
    by : {"offer", "campaign_id", "channel"}, default="offer"
        What to compare: the offer (better price, free maintenance, extra
        benefits), each campaign, or the channel.
    campaign_col, acq_campaign_col, origin_col, type_col, reach_col, cost_col : str
        Column names.

    Returns
    -------
    DataFrame
        One row per ``by`` value: the ``by`` column, ``campaigns``, ``reach``,
        ``cost``, ``won_back``, ``win_rate`` (won back / reach) and
        ``cost_per_win`` (NaN when nobody was won back).

    Examples
    --------
    >>> import crmkit
    >>> w = crmkit.make_world(1000, random_state=0)
    >>> winback_by_campaign(w.customers, w.campaigns)["offer"].tolist()
    ['better_price', 'extra_benefits', 'free_maintenance']
    """
    func = "winback_by_campaign"
    check_choice(by, "by", ("offer", "campaign_id", "channel"), func)
    check_frame(
        customers,
        func,
        "customers",
        {acq_campaign_col: "acq_campaign_col", origin_col: "origin_col"},
    )
    needed = {
        campaign_col: "campaign_col",
        type_col: "type_col",
        reach_col: "reach_col",
        cost_col: "cost_col",
    }
    if by != "campaign_id":
        needed[by] = "by"
    check_frame(campaigns, func, "campaigns", needed)
    wb = _campaigns_of(campaigns, "win_back", func, type_col)
    back = customers[
        (customers[origin_col].astype("string") == "won_back").fillna(False).to_numpy()
    ]
    won = back[acq_campaign_col].dropna().value_counts()
    key = wb[campaign_col] if by == "campaign_id" else wb[by].astype(str)
    frame = pd.DataFrame(
        {
            by: key.to_numpy(),
            "campaign": wb[campaign_col].to_numpy(),
            "reach": pd.to_numeric(wb[reach_col]).to_numpy(dtype=float),
            "cost": pd.to_numeric(wb[cost_col]).to_numpy(dtype=float),
            "won_back": wb[campaign_col].map(won).fillna(0).to_numpy(dtype=float),
        }
    )
    g = frame.groupby(by, sort=True)
    out = g[["reach", "cost", "won_back"]].sum()
    out.insert(0, "campaigns", g["campaign"].nunique())
    with np.errstate(invalid="ignore", divide="ignore"):
        out["win_rate"] = (out["won_back"] / out["reach"]).where(out["reach"] > 0)
        out["cost_per_win"] = (out["cost"] / out["won_back"]).where(out["won_back"] > 0)
    out["reach"] = out["reach"].astype("int64")
    out["won_back"] = out["won_back"].astype("int64")
    out = out.reset_index()
    return out[[by, "campaigns", "reach", "cost", "won_back", "win_rate", "cost_per_win"]]


# --------------------------------------------------------------------------- people
class TrainingEffect(NamedTuple):
    """Result of :func:`training_effect`."""

    slope: float
    """Change in log resolution hours per training hour (the training effect)."""
    std_error: float
    """Standard error of ``slope``."""
    coefficients: pd.DataFrame
    """``term``, ``estimate``, ``std_error``, ``percent_change`` for each term."""
    bands: pd.DataFrame
    """Complaints by training band: ``training_band``, ``staff``, ``complaints``,
    ``median_resolution_hours``, ``share_resolved``."""


def _staff_join(interactions, staff, func, staff_col, training_col, extra=()):
    check_frame(
        staff,
        func,
        "staff",
        {staff_col: "staff_col", training_col: "training_col", **{c: c for c in extra}},
    )
    if staff[staff_col].duplicated().any():
        raise ValueError(f"{func}: `staff` has duplicate {staff_col!r} values; one row per person.")
    return staff.set_index(staff_col)


def training_effect(
    interactions,
    staff,
    *,
    bins=(0, 10, 20, 40, np.inf),
    staff_col="staff_id",
    training_col="training_hours",
    kind_col="kind",
    resolution_col="resolution_hours",
    handoff_col="handoffs",
    outcome_col="outcome",
) -> TrainingEffect:
    """Does training shorten complaint resolution? (strategy 8; hand-offs: strategy 4)

    Fits ``log(resolution_hours) = a[kind] + slope x training_hours + b x
    handoffs`` by least squares over every contact with a resolution time
    (one intercept per kind of request, since an inquiry is quicker than a
    complaint). ``exp(10 x slope) - 1`` is the change per 10 hours of
    training. Contacts with a resolution time of 0 cannot be logged and are
    left out.

    Parameters
    ----------
    interactions : DataFrame
        Contacts with the staff member who handled them.
    staff : DataFrame
        One row per employee with ``training_hours``.
    bins : sequence of float, default=(0, 10, 20, 40, inf)
        Edges of the training bands of the ``bands`` table (left-closed).
    staff_col, training_col, kind_col, resolution_col, handoff_col, outcome_col : str
        Column names; pass ``handoff_col=None`` to leave hand-offs out. The
        hand-off term is also left out when every contact has the same number.

    Returns
    -------
    TrainingEffect
        A named tuple: ``slope`` and ``std_error`` (log-hours per training
        hour), ``coefficients`` (``term``, ``estimate``, ``std_error``,
        ``percent_change`` = ``exp(estimate) - 1``; terms ``training_hours``,
        ``handoffs`` and ``kind:<kind>`` intercepts) and ``bands`` (complaints
        only: ``training_band``, ``staff``, ``complaints``,
        ``median_resolution_hours``, ``share_resolved``; bands without a
        complaint are left out).

    Examples
    --------
    >>> import crmkit
    >>> w = crmkit.make_world(2000, random_state=0)
    >>> round(training_effect(w.interactions, w.staff).slope, 2)
    -0.03
    """
    func = "training_effect"
    needed = {
        staff_col: "staff_col",
        kind_col: "kind_col",
        resolution_col: "resolution_col",
        outcome_col: "outcome_col",
    }
    if handoff_col is not None:
        needed[handoff_col] = "handoff_col"
    check_frame(interactions, func, "interactions", needed)
    people = _staff_join(interactions, staff, func, staff_col, training_col)
    edges = _check_bins(bins, func)
    hours = pd.to_numeric(interactions[resolution_col]).to_numpy(dtype=float, na_value=np.nan)
    train = (
        interactions[staff_col].map(people[training_col]).astype(float).to_numpy(na_value=np.nan)
    )
    ok = np.isfinite(hours) & (hours > 0) & np.isfinite(train)
    if ok.sum() < 3:
        raise ValueError(
            f"{func}: need contacts with a positive {resolution_col!r} and a known staff "
            f"member's {training_col!r}; found {int(ok.sum())}."
        )
    kind = interactions[kind_col].astype("string").to_numpy(dtype=object, na_value="")[ok]
    kinds = sorted(set(kind))
    cols = [(kind == k).astype(float) for k in kinds]
    terms = [f"kind:{k}" for k in kinds]
    if np.ptp(train[ok]) == 0:
        raise ValueError(
            f"{func}: every contact was handled by staff with the same {training_col!r} "
            f"({train[ok][0]:g}); the effect of training cannot be estimated."
        )
    cols.append(train[ok])
    terms.append("training_hours")
    if handoff_col is not None:
        hand = pd.to_numeric(interactions[handoff_col]).to_numpy(dtype=float)[ok]
        if np.ptp(hand) > 0:
            cols.append(hand)
            terms.append("handoffs")
    X = np.column_stack(cols)
    y = np.log(hours[ok])
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    resid = y - X @ beta
    dof = max(len(y) - X.shape[1], 1)
    cov = np.linalg.pinv(X.T @ X) * float(resid @ resid) / dof
    se = np.sqrt(np.clip(np.diag(cov), 0, None))
    order = [terms.index(t) for t in terms if not t.startswith("kind:")] + [
        terms.index(t) for t in terms if t.startswith("kind:")
    ]
    coef = pd.DataFrame(
        {
            "term": [terms[i] for i in order],
            "estimate": beta[order],
            "std_error": se[order],
            "percent_change": np.expm1(beta[order]),
        }
    )
    j = terms.index("training_hours")

    is_c = (interactions[kind_col].astype("string") == "complaint").fillna(False).to_numpy()
    band = pd.cut(train, edges, right=False, labels=_band_labels(edges))
    comp = pd.DataFrame(
        {
            "training_band": band[is_c],
            "staff": interactions[staff_col].to_numpy()[is_c],
            "hours": hours[is_c],
            "resolved": (interactions[outcome_col].astype("string")[is_c] == "resolved")
            .fillna(False)
            .to_numpy(dtype=float),
        }
    )
    g = comp.groupby("training_band", observed=False)
    bands = pd.DataFrame(
        {
            "staff": g["staff"].nunique(),
            "complaints": g.size(),
            "median_resolution_hours": g["hours"].median(),
            "share_resolved": g["resolved"].mean(),
        }
    ).reset_index()
    bands["training_band"] = bands["training_band"].astype(str)
    bands = bands[bands["complaints"] > 0].reset_index(drop=True)
    bands = bands.astype({"staff": "int64", "complaints": "int64"})
    return TrainingEffect(float(beta[j]), float(se[j]), coef, bands)


def _check_bins(bins, func):
    try:
        edges = np.asarray(bins, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{func}: `bins` must be a sequence of numbers, got {bins!r}.") from None
    if edges.ndim != 1 or edges.size < 2 or np.any(np.diff(edges) <= 0):
        raise ValueError(
            f"{func}: `bins` must be at least two increasing edges such as (0, 10, 20, 40, inf); "
            f"got {bins!r}."
        )
    return edges


def _band_labels(edges):
    out = []
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        out.append(f"{lo:g}+ h" if np.isinf(hi) else f"{lo:g}-{hi:g} h")
    return out


def satisfaction_by_team(
    surveys,
    interactions,
    staff,
    *,
    interaction_col="interaction_id",
    staff_col="staff_id",
    team_col="team",
    training_col="training_hours",
    overall_col="overall",
    nps_col="nps",
):
    """Satisfaction of the customers each team served (strategy 1: everyone serves).

    Post-interaction surveys are linked to the contact they follow and so to
    the employee and team who handled it.

    Parameters
    ----------
    surveys : DataFrame
        Survey answers; those with an ``interaction_id`` are used.
    interactions : DataFrame
        Contacts with ``interaction_id`` and ``staff_id``.
    staff : DataFrame
        One row per employee with ``team`` and ``training_hours``.
    interaction_col, staff_col, team_col, training_col, overall_col, nps_col : str
        Column names.

    Returns
    -------
    DataFrame
        One row per team (in :data:`crmkit.concepts.TEAMS` order, then others):
        ``team``, ``name``, ``office``, ``staff`` (headcount),
        ``training_hours`` (mean per person), ``n_surveys``, ``overall``
        (mean, 1-7), ``csat`` (share of 6-7), ``nps``. Teams without a survey
        answer have ``n_surveys`` 0 and NaN scores.

    Examples
    --------
    >>> import crmkit
    >>> w = crmkit.make_world(1000, random_state=0)
    >>> satisfaction_by_team(w.surveys, w.interactions, w.staff)["team"].iloc[0]
    'sales'
    """
    func = "satisfaction_by_team"
    check_frame(
        surveys,
        func,
        "surveys",
        {interaction_col: "interaction_col", overall_col: "overall_col", nps_col: "nps_col"},
    )
    check_frame(
        interactions,
        func,
        "interactions",
        {interaction_col: "interaction_col", staff_col: "staff_col"},
    )
    people = _staff_join(interactions, staff, func, staff_col, training_col, extra=(team_col,))
    who = interactions.set_index(interaction_col)[staff_col]
    if who.index.duplicated().any():
        raise ValueError(f"{func}: `interactions` has duplicate {interaction_col!r} values.")
    linked = surveys[surveys[interaction_col].notna()]
    sid = linked[interaction_col].map(who)
    team = sid.map(people[team_col]).astype("string")
    keep = team.notna().to_numpy()
    if not keep.any():
        raise ValueError(
            f"{func}: no survey could be linked to a team through {interaction_col!r} and "
            f"{staff_col!r}; only post-interaction surveys name a contact."
        )
    frame = pd.DataFrame(
        {
            "team": team[keep].to_numpy(),
            "overall": pd.to_numeric(linked[overall_col])[keep].to_numpy(dtype=float),
            "nps": pd.to_numeric(linked[nps_col])[keep].to_numpy(dtype=float),
        }
    )
    frame["satisfied"] = (frame["overall"] >= concepts.SATISFIED_MIN).astype(float)
    frame["promoter"] = (frame["nps"] >= concepts.PROMOTER_MIN).astype(float)
    frame["detractor"] = (frame["nps"] <= concepts.DETRACTOR_MAX).astype(float)
    g = frame.groupby("team")
    scores = pd.DataFrame(
        {
            "n_surveys": g.size(),
            "overall": g["overall"].mean(),
            "csat": g["satisfied"].mean(),
            "nps": 100 * (g["promoter"].mean() - g["detractor"].mean()),
        }
    )
    pteam = people[team_col].astype("string")
    heads = pd.DataFrame(
        {
            "staff": pteam.value_counts(),
            "training_hours": people[training_col].astype(float).groupby(pteam).mean(),
        }
    )
    known = concepts.keys(concepts.TEAMS)
    found = set(heads.index) | set(scores.index)
    order = [t for t in known if t in found] + sorted(found - set(known))
    out = pd.DataFrame(index=pd.Index(order, name="team")).join(heads).join(scores)
    out["staff"] = out["staff"].fillna(0).astype("int64")
    out["n_surveys"] = out["n_surveys"].fillna(0).astype("int64")
    out = out.reset_index()
    names = concepts.labels(concepts.TEAMS)
    groups = {t.key: t.group for t in concepts.TEAMS}
    out.insert(1, "name", out["team"].map(lambda t: names.get(t, t)))
    out.insert(2, "office", out["team"].map(lambda t: groups.get(t, "")))
    return out[
        ["team", "name", "office", "staff", "training_hours", "n_surveys", "overall", "csat", "nps"]
    ]
