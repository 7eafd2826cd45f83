"""Acquisition planning: what each channel costs per contact and per new customer.

Source 002 manages customers through acquisition, development and retention, and
makes new customers aware of the product by email, print and electronic media,
TV and web advertising and free samples. The kit's acquisition campaigns run on
six channels; `crmkit.metrics.kpis.acquisition_by_channel` measures, for each,
how many people were contacted, how many became customers and what it cost.

`channel_rates`
    from that table, the two numbers a plan needs per channel: the cost of one
    contact and the share of contacts who become customers;
`plan_acquisition`
    a budget and its split across channels -> contacts, expected new customers
    and cost per acquisition per channel;
`monthly_acquisition_budget`, `spend_weights`
    the company's own average monthly acquisition spend and its split across
    channels (where a plan starts).

The plan is linear: each extra contact converts at the measured rate. Real
channels saturate (the hundredth advert reaches fewer new people than the
first), so read a plan far from the company's current spending as an upper
bound.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit import concepts
from crmkit._checks import check_frame, check_metric_table, check_number
from crmkit.metrics.kpis import acquisition_by_channel

__all__ = [
    "channel_rates",
    "monthly_acquisition_budget",
    "plan_acquisition",
    "spend_weights",
]

_NAMES = concepts.labels(concepts.CHANNELS)


def channel_rates(customers, campaigns) -> pd.DataFrame:
    """Measured cost per contact and conversion rate of each acquisition channel.

    Parameters
    ----------
    customers, campaigns : pandas.DataFrame
        The world's tables (see `crmkit.metrics.kpis.acquisition_by_channel`).

    Returns
    -------
    pandas.DataFrame
        One row per channel, in `crmkit.concepts.CHANNELS` order: ``channel``,
        ``name``, ``reach``, ``new_customers``, ``spend`` (what the campaigns
        cost), ``contact_cost`` (spend / reach), ``conversion_rate`` (new
        customers / reach; 0 for a channel that won nobody),
        ``cost_per_acquisition`` (spend / new customers; NaN when nobody
        was won) and ``spend_share`` (of all acquisition spend).

    Examples
    --------
    >>> import crmkit
    >>> w = crmkit.make_world(600, random_state=0)
    >>> r = channel_rates(w.customers, w.campaigns)
    >>> r["channel"].tolist() == list(crmkit.concepts.keys(crmkit.concepts.CHANNELS))
    True
    """
    a = acquisition_by_channel(customers, campaigns)
    reach = a["reach"].astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        contact = (a["cost"] / reach).where(reach > 0)
    total = float(a["cost"].sum())
    out = pd.DataFrame(
        {
            "channel": a["channel"].astype(str),
            "name": a["channel"].astype(str).map(lambda c: _NAMES.get(c, c)),
            "reach": a["reach"].astype("int64"),
            "new_customers": a["new_customers"].astype("int64"),
            "spend": a["cost"].astype(float),
            "contact_cost": contact.astype(float),
            "conversion_rate": a["conversion_rate"].fillna(0.0).astype(float),
            "cost_per_acquisition": a["cost_per_acquisition"].astype(float),
            "spend_share": (a["cost"] / total if total > 0 else a["cost"] * 0.0).astype(float),
        }
    )
    return out.reset_index(drop=True)


def plan_acquisition(rates, budget, shares) -> pd.DataFrame:
    """Split ``budget`` across channels and estimate the new customers it wins.

    Each channel gets ``budget x share / sum(shares)``; it buys ``spend /
    contact_cost`` contacts, of whom ``conversion_rate`` become customers.

    Parameters
    ----------
    rates : pandas.DataFrame
        From `channel_rates` (columns ``channel``, ``contact_cost``,
        ``conversion_rate``).
    budget : float
        Total budget (currency units), >= 0.
    shares : dict or pandas.Series
        ``{channel: weight}``, weights >= 0 (any scale: they are normalised);
        channels left out get nothing.

    Returns
    -------
    pandas.DataFrame
        One row per channel of ``rates`` and a last row ``"total"``: ``channel``,
        ``share`` (of the budget), ``spend``, ``contacts``, ``new_customers``
        (expected, not rounded) and ``cost_per_acquisition`` (spend / new
        customers; NaN when none are expected).

    Raises
    ------
    ValueError
        For a negative budget or weight, an unknown channel, or weights that
        are all zero.

    Examples
    --------
    >>> import pandas as pd
    >>> rates = pd.DataFrame({"channel": ["shop", "web"], "contact_cost": [12.0, 0.5],
    ...                       "conversion_rate": [0.08, 0.02]})
    >>> plan = plan_acquisition(rates, 1000, {"shop": 1, "web": 1})
    >>> plan[["channel", "spend", "new_customers"]].round(1)
      channel   spend  new_customers
    0    shop   500.0            3.3
    1     web   500.0           20.0
    2   total  1000.0           23.3
    """
    func = "plan_acquisition"
    check_metric_table(
        rates, func, "channel_rates(...)", ("channel", "contact_cost", "conversion_rate")
    )
    check_number(budget, "budget", func, low=0)
    if isinstance(shares, pd.Series):
        shares = shares.to_dict()
    if not isinstance(shares, dict):
        raise TypeError(
            f"{func}: `shares` must be a dict {{channel: weight}}; got {type(shares).__name__}."
        )
    known = rates["channel"].astype(str).tolist()
    unknown = [c for c in shares if c not in known]
    if unknown:
        raise ValueError(f"{func}: unknown channel(s) {unknown}; the channels are {known}.")
    w = np.array([float(shares.get(c, 0.0)) for c in known])
    if (w < 0).any() or not np.isfinite(w).all():
        raise ValueError(f"{func}: the weights must be numbers >= 0; got {shares}.")
    if w.sum() <= 0:
        raise ValueError(
            f"{func}: every channel has a weight of 0; give at least one channel a share of "
            "the budget."
        )
    share = w / w.sum()
    spend = budget * share
    cost = rates["contact_cost"].to_numpy(dtype=float)
    conv = rates["conversion_rate"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        contacts = np.where(cost > 0, spend / cost, 0.0)
    contacts = np.nan_to_num(contacts)
    new = contacts * np.nan_to_num(conv)
    plan = pd.DataFrame(
        {
            "channel": known + ["total"],
            "share": np.r_[share, 1.0],
            "spend": np.r_[spend, spend.sum()],
            "contacts": np.r_[contacts, contacts.sum()],
            "new_customers": np.r_[new, new.sum()],
        }
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        plan["cost_per_acquisition"] = (plan["spend"] / plan["new_customers"]).where(
            plan["new_customers"] > 0
        )
    return plan


def monthly_acquisition_budget(rates, campaigns, *, step=500.0) -> float:
    """The company's average acquisition spend per month, rounded to ``step`` (at least one step).

    Parameters
    ----------
    rates : pandas.DataFrame
        From `channel_rates` (column ``spend``).
    campaigns : pandas.DataFrame
        The world's campaigns (``campaign_type``, ``start_date``): the months
        with an acquisition campaign starting are the months counted.
    step : float, default=500
        Rounding step (currency units), > 0.

    Returns
    -------
    float
        ``max(step, round(total spend / months, to step))``.

    Examples
    --------
    >>> import pandas as pd
    >>> rates = pd.DataFrame({"spend": [4000.0, 2200.0]})
    >>> campaigns = pd.DataFrame({"campaign_type": ["acquisition"] * 3,
    ...     "start_date": pd.to_datetime(["2024-01-05", "2024-01-20", "2024-03-01"])})
    >>> monthly_acquisition_budget(rates, campaigns)   # 6,200 over 2 months
    3000.0
    """
    func = "monthly_acquisition_budget"
    check_metric_table(rates, func, "channel_rates(...)", ("spend",))
    check_frame(campaigns, func, "campaigns", {}, allow_empty=True)
    check_number(step, "step", func, low=0)
    if step <= 0:
        raise ValueError(f"{func}: `step` must be > 0; got {step}.")
    acq = campaigns[campaigns["campaign_type"].astype("string") == "acquisition"]
    months = acq["start_date"].dt.to_period("M").nunique() if len(acq) else 1
    per_month = rates["spend"].sum() / max(int(months), 1)
    return float(max(step, round(per_month / step) * step))


def spend_weights(rates) -> dict:
    """Each channel's share of the measured acquisition spend, in whole percent.

    Parameters
    ----------
    rates : pandas.DataFrame
        From `channel_rates` (columns ``channel``, ``spend_share``).

    Returns
    -------
    dict
        ``{channel: percent}`` (ints; they need not add up to exactly 100):
        weights for `plan_acquisition` that repeat the company's own split.

    Examples
    --------
    >>> import pandas as pd
    >>> spend_weights(pd.DataFrame({"channel": ["shop", "web"], "spend_share": [0.254, 0.746]}))
    {'shop': 25, 'web': 75}
    """
    check_metric_table(rates, "spend_weights", "channel_rates(...)", ("channel", "spend_share"))
    return {c: round(100 * s) for c, s in zip(rates["channel"], rates["spend_share"], strict=True)}
