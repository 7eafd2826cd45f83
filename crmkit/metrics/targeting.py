"""Retention targeting: whom to keep, within a budget (sources 000 and 002).

Source 000's retention process starts with *discovery*: which customers are
worth keeping, by the value of their volume (regular buying, margin). Source
002 says whom to keep (committed, satisfied, innovative and profitable
customers) and lists *market optimisation* among the CRM tools for retention:
campaigns run across segments within a budget.

`retention_base`
    one row per active customer: stage, satisfaction, ideas suggested, margin
    of the last twelve months, and the chance of leaving within twelve months
    estimated from the data (customers like them: same stage, same
    satisfaction band);
`target_customers`
    criteria and a budget -> the customers to target, best value first, with
    the margin the offer is expected to keep;
`targeting_summary`, `targeted_by_stage`
    the totals of such a plan, and its targeted customers by lifecycle stage.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit import concepts
from crmkit._checks import check_as_of, check_number
from crmkit.metrics.retention import DAYS_PER_MONTH
from crmkit.metrics.satisfaction import satisfaction_band

__all__ = [
    "TARGETING_BANDS",
    "retention_base",
    "target_customers",
    "targeted_by_stage",
    "targeting_summary",
]

_STAGES = concepts.keys(concepts.LIFECYCLE_STAGES)

#: The targeting table's bands of the latest survey answer (``overall``, 1-7), from
#: `crmkit.concepts.SATISFIED_MIN` (satisfied or exceeded, against dissatisfied).
TARGETING_BANDS = (
    f"satisfied ({concepts.SATISFIED_MIN}-7)",
    f"not satisfied (1-{concepts.SATISFIED_MIN - 1})",
    "no survey",
)


def _band(overall: pd.Series) -> pd.Series:
    """`TARGETING_BANDS` of the latest answers: the kit's bands, satisfied and exceeded as one."""
    band = satisfaction_band(overall)
    return pd.Series(
        np.where(
            band.isna(),
            TARGETING_BANDS[2],
            np.where(band == "dissatisfied", TARGETING_BANDS[1], TARGETING_BANDS[0]),
        ),
        index=overall.index,
    )


def _latest_overall(surveys, ids, end):
    if surveys is None or surveys.empty:
        return pd.Series(np.nan, index=ids)
    s = surveys[surveys["date"] <= end].sort_values("date", kind="stable")
    return s.groupby("customer_id")["overall"].last().reindex(ids).astype(float)


def _hazards(stage_history, band_of, end):
    """Monthly defection rate by (stage, band): dissolutions / months at risk."""
    sp = stage_history.sort_values(["customer_id", "start_date"], kind="stable")
    sp = sp.assign(next_stage=sp.groupby("customer_id")["stage"].shift(-1).astype("string"))
    live = (sp["stage"].astype("string") != "dissolution").fillna(False)
    sp = sp[(live & (sp["start_date"] <= end)).to_numpy()]
    stop = sp["end_date"].fillna(end).clip(upper=end)
    frame = pd.DataFrame(
        {
            "stage": sp["stage"].astype(str).to_numpy(),
            "band": sp["customer_id"].map(band_of).fillna(TARGETING_BANDS[2]).to_numpy(),
            "months": ((stop - sp["start_date"]).dt.days / DAYS_PER_MONTH).to_numpy(),
            "left": (
                (sp["next_stage"] == "dissolution").fillna(False) & sp["end_date"].le(end)
            ).to_numpy(),
        }
    )
    g = frame.groupby(["stage", "band"])[["months", "left"]].sum()
    by_stage = frame.groupby("stage")[["months", "left"]].sum()
    # a cell with little exposure borrows its stage's rate (12 months of "prior" exposure)
    prior = by_stage["left"] / by_stage["months"].clip(lower=1e-9)
    k = 12.0
    stage_of = g.index.get_level_values("stage")
    rate = (g["left"] + k * prior.reindex(stage_of).to_numpy()) / (g["months"] + k)
    return rate.clip(0, 1)


def retention_base(world, *, months=12, as_of=None) -> pd.DataFrame:
    """One row per active customer, with what a retention decision needs.

    Parameters
    ----------
    world : crmkit.World
        Uses ``customers``, ``transactions``, ``stage_history`` and, when they
        have rows, ``surveys`` and ``interactions``.
    months : int, default=12
        Window for the margin and horizon of the chance of leaving.
    as_of : str or Timestamp, optional
        Reference date; default the latest purchase or stage change.

    Returns
    -------
    pandas.DataFrame
        Customers not in dissolution at ``as_of``, by id: ``customer_id``,
        ``lifecycle_stage``, ``relationship_type``, ``loyalty_member``,
        ``purchases`` and ``margin`` in the last ``months`` months,
        ``satisfaction`` (latest ``overall`` answer, NaN without a survey),
        ``band`` (`TARGETING_BANDS`), ``suggests`` (made at least one
        suggestion: an innovator), ``monthly_churn`` (defections per month at
        risk of customers in the same stage and band, estimated from the stage
        history), ``churn_risk`` (chance of leaving within ``months`` months
        at that rate: ``1 - (1 - monthly_churn) ** months``) and
        ``value_at_risk`` (``churn_risk x margin``: the margin expected to be
        lost if nothing is done).

    Examples
    --------
    >>> import crmkit
    >>> base = retention_base(crmkit.make_world(600, random_state=0))
    >>> bool(base["churn_risk"].between(0, 1).all())
    True
    """
    func = "retention_base"
    for name in ("customers", "transactions", "stage_history"):
        if not isinstance(getattr(world, name, None), pd.DataFrame):
            raise TypeError(
                f"{func}: `world` must be a crmkit World (e.g. crmkit.load_dataset()); "
                f"got {type(world).__name__}."
            )
    check_number(months, "months", func, low=1, integer=True)
    c, t, sh = world.customers, world.transactions, world.stage_history
    end = check_as_of(as_of, func, default=max(t["date"].max(), sh["start_date"].max()))
    start = end - pd.Timedelta(days=round(months * DAYS_PER_MONTH))
    ids = pd.Index(c["customer_id"].to_numpy(), name="customer_id")
    overall = _latest_overall(getattr(world, "surveys", None), ids, end)
    band = _band(overall)
    rate = _hazards(sh, band, end)
    recent = t[(t["date"] > start) & (t["date"] <= end)]
    margin = recent.groupby("customer_id")["margin"].sum().reindex(ids).fillna(0.0)
    bought = recent.groupby("customer_id").size().reindex(ids).fillna(0).astype("int64")
    it = getattr(world, "interactions", None)
    if it is not None and len(it):
        ideas = it.loc[(it["kind"].astype("string") == "suggestion").fillna(False), "customer_id"]
        suggests = ids.isin(ideas.unique())
    else:
        suggests = np.zeros(len(ids), dtype=bool)
    stage = c["lifecycle_stage"].astype(str).to_numpy()
    out = pd.DataFrame(
        {
            "customer_id": ids,
            "lifecycle_stage": stage,
            "relationship_type": c["relationship_type"].astype(str).to_numpy(),
            "loyalty_member": c["loyalty_member"].astype(bool).to_numpy(),
            "purchases": bought.to_numpy(),
            "margin": margin.to_numpy(),
            "satisfaction": overall.to_numpy(),
            "band": band.to_numpy(),
            "suggests": suggests,
        }
    )
    out = out[(out["lifecycle_stage"] != "dissolution")].reset_index(drop=True)
    keys = pd.MultiIndex.from_arrays([out["lifecycle_stage"], out["band"]])
    monthly = rate.reindex(keys).to_numpy(dtype=float)
    out["monthly_churn"] = np.nan_to_num(monthly, nan=float(np.nanmean(rate)) if len(rate) else 0)
    out["churn_risk"] = 1.0 - (1.0 - out["monthly_churn"]) ** months
    out["value_at_risk"] = out["churn_risk"] * out["margin"].clip(lower=0)
    out["lifecycle_stage"] = pd.Categorical(
        out["lifecycle_stage"], categories=_STAGES, ordered=True
    )
    return out


def target_customers(
    base,
    *,
    min_margin=0.0,
    min_satisfaction=0,
    committed_only=False,
    budget=5000.0,
    cost_per_customer=10.0,
    churn_cut=0.25,
) -> pd.DataFrame:
    """The customers a retention offer should go to, best value first, within a budget.

    A customer is *eligible* when their margin of the last year is at least
    ``min_margin``, their latest satisfaction at least ``min_satisfaction``
    (0 = do not look at surveys; customers without a survey then pass) and,
    with ``committed_only``, when they are in the commitment stage. Eligible
    customers are ranked by ``value_at_risk`` (margin likely to be lost); the
    budget buys ``budget // cost_per_customer`` offers, given from the top.
    The offer is assumed to cut each customer's chance of leaving by
    ``churn_cut`` (0.25 = a quarter), so it keeps ``churn_cut x
    value_at_risk`` of margin per customer.

    Parameters
    ----------
    base : pandas.DataFrame
        From `retention_base`.
    min_margin : float, default=0
    min_satisfaction : int, default=0
        0-7.
    committed_only : bool, default=False
    budget : float, default=5000
        Currency units, >= 0.
    cost_per_customer : float, default=10
        Cost of one offer (currency units), > 0.
    churn_cut : float, default=0.25
        Relative cut of the chance of leaving, in [0, 1].

    Returns
    -------
    pandas.DataFrame
        The eligible customers, by ``value_at_risk`` descending, with the
        columns of ``base`` and ``rank`` (1 = first), ``targeted`` (within
        the budget), ``kept_margin`` (``churn_cut x value_at_risk``) and
        ``cum_kept_margin``, ``cum_cost`` (over the ranking). ``attrs``
        holds the arguments.

    Examples
    --------
    >>> import pandas as pd
    >>> base = pd.DataFrame({"customer_id": [1, 2, 3], "lifecycle_stage": ["commitment",
    ...     "awareness", "commitment"], "margin": [300.0, 100.0, 50.0],
    ...     "satisfaction": [7, 4, None], "value_at_risk": [30.0, 40.0, 5.0]})
    >>> t = target_customers(base, budget=20, cost_per_customer=10, churn_cut=0.5)
    >>> t[["customer_id", "targeted", "kept_margin"]]
       customer_id  targeted  kept_margin
    0            2      True         20.0
    1            1      True         15.0
    2            3     False          2.5
    """
    func = "target_customers"
    check_number(min_margin, "min_margin", func)
    check_number(min_satisfaction, "min_satisfaction", func, low=0, high=7)
    check_number(budget, "budget", func, low=0)
    check_number(cost_per_customer, "cost_per_customer", func, low=0)
    check_number(churn_cut, "churn_cut", func, low=0, high=1)
    if cost_per_customer <= 0:
        raise ValueError(f"{func}: `cost_per_customer` must be > 0; got {cost_per_customer}.")
    keep = base["margin"].to_numpy(dtype=float) >= min_margin
    if min_satisfaction > 0:
        keep &= base["satisfaction"].to_numpy(dtype=float) >= min_satisfaction  # NaN fails
    if committed_only:
        keep &= (base["lifecycle_stage"].astype(str) == "commitment").to_numpy()
    out = base[keep].sort_values(
        ["value_at_risk", "customer_id"], ascending=[False, True], kind="stable"
    )
    out = out.reset_index(drop=True)
    n_offers = int(budget // cost_per_customer)
    out["rank"] = np.arange(1, len(out) + 1)
    out["targeted"] = out["rank"] <= n_offers
    out["kept_margin"] = churn_cut * out["value_at_risk"].to_numpy(dtype=float)
    out["cum_kept_margin"] = out["kept_margin"].cumsum()
    out["cum_cost"] = out["rank"] * float(cost_per_customer)
    out.attrs.update(
        min_margin=min_margin,
        min_satisfaction=min_satisfaction,
        committed_only=bool(committed_only),
        budget=float(budget),
        cost_per_customer=float(cost_per_customer),
        churn_cut=float(churn_cut),
    )
    return out


def targeting_summary(targets) -> dict:
    """Totals of a targeting plan from `target_customers`.

    Returns
    -------
    dict
        ``eligible``, ``targeted``, ``cost``, ``kept_margin``, ``net``
        (kept margin - cost), ``worth_it`` (eligible customers whose kept
        margin exceeds the cost of their offer) and ``unused_budget``.

    Examples
    --------
    >>> import pandas as pd
    >>> base = pd.DataFrame({"customer_id": [1, 2], "lifecycle_stage": ["commitment"] * 2,
    ...     "margin": [300.0, 100.0], "satisfaction": [7, 4], "value_at_risk": [60.0, 8.0]})
    >>> targeting_summary(target_customers(base, budget=100, cost_per_customer=10))["worth_it"]
    1
    """
    cost_each = targets.attrs.get("cost_per_customer", 0.0)
    hit = targets[targets["targeted"]]
    cost = len(hit) * cost_each
    kept = float(hit["kept_margin"].sum())
    return {
        "eligible": int(len(targets)),
        "targeted": int(len(hit)),
        "cost": float(cost),
        "kept_margin": kept,
        "net": kept - cost,
        "worth_it": int((targets["kept_margin"] > cost_each).sum()),
        "unused_budget": float(targets.attrs.get("budget", 0.0) - cost),
    }


def targeted_by_stage(targets) -> pd.Series:
    """How many customers of a plan from `target_customers` are targeted, by lifecycle stage.

    Returns
    -------
    pandas.Series
        Counts indexed by the lifecycle stages a customer can be targeted in
        (`crmkit.concepts.LIFECYCLE_STAGES` without dissolution), in that order;
        0 for a stage with nobody targeted.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"lifecycle_stage": ["commitment", "awareness", "commitment"],
    ...                   "targeted": [True, True, False]})
    >>> targeted_by_stage(t).to_dict()
    {'exploration': 0, 'awareness': 1, 'expansion': 0, 'commitment': 1}
    """
    if not isinstance(targets, pd.DataFrame) or not {"lifecycle_stage", "targeted"} <= set(
        targets.columns
    ):
        raise TypeError(
            "targeted_by_stage: `targets` must be the table from target_customers(...); "
            f"got {type(targets).__name__}."
        )
    hit = targets[targets["targeted"]]
    return hit["lifecycle_stage"].astype(str).value_counts().reindex(_STAGES[:-1], fill_value=0)
