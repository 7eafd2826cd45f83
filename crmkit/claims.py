"""The facts the lessons state about the data, computed once so that a test can check them.

A sentence of a lesson that reports a comparison ("satisfied customers leave less
often") must hold on another seed, another locale and a team's own data. Each
function here takes a :class:`~crmkit.World` and returns the facts one passage
of a lesson states, as a dict: the numbers, and the comparisons between them as
booleans. The lesson prints its sentence from the dict (choosing the verb from
the comparison), so the words follow the data; ``tests/test_claims.py`` runs every
function on several seeds and locales and checks the claims the lessons state
without a condition. A function returns ``None`` when the world lacks the data
the passage needs (a transactions-only folder, for instance); the lesson then
shows the section's "Not in this data" note instead.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit import concepts

__all__ = [
    "latest_answers",
    "flow_and_bands",
    "satisfaction_by_stage",
    "active_base",
    "social_contacts",
    "personal_touch",
    "left_by_band",
    "channel_costs",
    "winback_against_acquisition",
    "signups_by_development_stage",
    "supplier_endings",
    "flag_profits",
    "flag_precision",
    "price_rise_profits",
    "care_and_staying",
    "follow_up_speed",
    "attrition_signal",
]

_DAYS_PER_MONTH = 30.44


def _stage(world):
    return world.stage_history["stage"].astype(str)


def latest_answers(surveys: pd.DataFrame) -> pd.Series:
    """Each customer's latest overall answer (1-7), indexed by ``customer_id``.

    Answers on the same day keep their order in the table (the later row wins), as
    in :func:`crmkit.metrics.lifecycle.lifecycle_flow`, so the two count the same
    customers as satisfied.
    """
    day = surveys["date"].dt.normalize()
    ordered = surveys.assign(_day=day).sort_values(["customer_id", "_day"], kind="stable")
    return ordered.groupby("customer_id")["overall"].last()


def flow_and_bands(world) -> dict | None:
    """Lesson 03: the satisfied and dissatisfied counts of the flow and of the band table."""
    if not (world.can("satisfaction") and world.can("lifecycle")):
        return None
    from crmkit.metrics.lifecycle import lifecycle_flow

    flow = lifecycle_flow(world.customers, world.stage_history, surveys=world.surveys)
    counts = flow.set_index(flow["step"].astype(str))["customers"]
    latest = latest_answers(world.surveys)
    known = latest[latest.index.isin(world.customers["customer_id"])]
    satisfied = known >= concepts.SATISFIED_MIN
    return {
        "flow_satisfied": int(counts["satisfied"]),
        "flow_dissatisfied": int(counts["dissatisfied"]),
        "band_satisfied": int(satisfied.sum()),
        "band_dissatisfied": int((~satisfied).sum()),
    }


def satisfaction_by_stage(world) -> dict | None:
    """Lesson 01: mean overall answer by the stage the customer was in when answering."""
    if not (world.can("satisfaction") and world.can("lifecycle")):
        return None
    spells = world.stage_history.rename(columns={"start_date": "date"})[
        ["customer_id", "date", "stage"]
    ].sort_values("date")
    answers = pd.merge_asof(world.surveys.sort_values("date"), spells, on="date", by="customer_id")
    answers = answers.dropna(subset=["stage"])
    means = answers.groupby(answers["stage"].astype(str))["overall"].mean()
    facts = {"means": means}
    facts["climbs"] = bool(
        {"exploration", "commitment"} <= set(means.index)
        and means["commitment"] > means["exploration"]
    )
    facts["dissolution_lowest"] = bool(
        "dissolution" in means.index and means["dissolution"] == means.min()
    )
    return facts


def active_base(world) -> dict | None:
    """Lesson 01: customers in a relationship and in dissolution at the first and last month end."""
    if not world.can("lifecycle"):
        return None
    from crmkit.metrics.lifecycle import stage_at

    tx = world.transactions
    months = pd.period_range(tx["date"].min(), tx["date"].max(), freq="M")
    ends = months.to_timestamp(how="end").normalize()
    stages = stage_at(world.stage_history, ends[[0, -1]])
    active = ((stages.notna()) & (stages != "dissolution")).sum().to_numpy()
    lost = (stages == "dissolution").sum().to_numpy()
    return {
        "active_first": int(active[0]),
        "active_last": int(active[-1]),
        "lost_last": int(lost[-1]),
        "grows": bool(active[-1] > active[0]),
        "lost_below_active": bool(lost[-1] < active[-1]),
    }


def social_contacts(world) -> dict | None:
    """Lesson 01: the kinds of contact on the social channel."""
    if not world.can("touchpoints"):
        return None
    i = world.interactions
    social = i.loc[i["channel"].astype(str) == "social", "kind"].astype(str)
    if social.empty:
        return None
    share = social.value_counts(normalize=True)
    return {
        "top": share.index[0],
        "top_share": float(share.iloc[0]),
        "referral_share": float(share.get("referral", 0.0)),
        "complaint_share": float(share.get("complaint", 0.0)),
    }


def personal_touch(world, end=None) -> dict | None:
    """Lesson 06: share who left within six months after day 90, by personal contacts before it."""
    if not (world.can("touchpoints") and world.can("lifecycle")):
        return None
    end = world.transactions["date"].max() if end is None else end
    personal = [
        "follow_up",
        "personal_note",
        "personal_call",
        "special_occasion",
        "useful_information",
    ]
    who = world.customers.set_index("customer_id")[["signup_date"]]
    h = world.stage_history
    who["first departure"] = (
        h[h["stage"].astype(str) == "dissolution"].groupby("customer_id")["start_date"].min()
    )
    who["day 90"] = who["signup_date"] + pd.Timedelta(days=90)
    seen = (who["day 90"] <= end - pd.Timedelta(days=182)) & ~(
        who["first departure"] <= who["day 90"]
    )
    i = world.interactions
    touches = i[i["kind"].astype(str).isin(personal)].join(who[["day 90"]], on="customer_id")
    early = touches[touches["date"] <= touches["day 90"]].groupby("customer_id").size()
    group = (
        early.reindex(who.index)
        .fillna(0)
        .clip(upper=3)
        .map({0: "none", 1: "1", 2: "2", 3: "3 or more"})
    )
    who["personal contacts, first 3 months"] = group
    who["left in the next 6 months"] = who["first departure"] <= who["day 90"] + pd.Timedelta(
        days=182
    )
    table = (
        who[seen]
        .groupby("personal contacts, first 3 months")["left in the next 6 months"]
        .agg(customers="size", share_who_left="mean")
        .reindex(["none", "1", "2", "3 or more"])
    )
    some = who[seen & group.isin(["2", "3 or more"])]["left in the next 6 months"]
    share_none = table.loc["none", "share_who_left"]
    share_some = float(some.mean()) if len(some) else np.nan
    return {
        "table": table,
        "share_some": share_some,
        "share_none": float(share_none),
        "some_fewer": bool(share_some < share_none),
        "every_row_fewer": bool((table["share_who_left"].drop("none").dropna() < share_none).all()),
    }


def left_by_band(world) -> dict | None:
    """Lesson 11: share who have left, by the band of the latest answer."""
    if not (world.can("satisfaction") and world.can("types")):
        return None
    from crmkit.metrics.satisfaction import satisfaction_band

    latest = latest_answers(world.surveys)
    people = world.customers.set_index("customer_id")[["churn_date"]].join(latest, how="inner")
    band = satisfaction_band(people["overall"]).astype(str)
    left = people["churn_date"].notna().groupby(band).agg(["size", "mean"])
    left.columns = ["customers", "share who left"]
    share = left["share who left"]
    facts = {
        "table": left,
        "dissatisfied_most": bool(share.get("dissatisfied", np.nan) == share.max()),
        "satisfied_below_dissatisfied": bool(
            share.get("satisfied", 1) < share.get("dissatisfied", 0)
        ),
    }
    facts["exceeded_below_satisfied"] = (
        bool(share["exceeded"] < share["satisfied"])
        if {"exceeded", "satisfied"} <= set(share.index)
        else None
    )
    return facts


def channel_costs(world) -> dict | None:
    """Lesson 07: which channel converts best, and which win a customer most cheaply."""
    if not world.can("campaigns"):
        return None
    from crmkit.metrics.kpis import acquisition_by_channel

    acq = acquisition_by_channel(world.customers, world.campaigns).set_index("channel")
    acq = acq[acq["new_customers"] > 0]
    if len(acq) < 3:
        return None
    best = acq["conversion_rate"].idxmax()
    by_cost = acq["cost_per_acquisition"].sort_values()
    return {
        "best_conversion": best,
        "best_conversion_cost_rank": int(list(by_cost.index).index(best)) + 1,
        "channels": len(acq),
        "cheapest": list(by_cost.index[:2]),
        "cheapest_cost": float(by_cost.iloc[0]),
        "median_cost": float(by_cost.median()),
        "best_is_not_cheapest": bool(by_cost.index[0] != best),
    }


def winback_against_acquisition(world) -> dict | None:
    """Lesson 07: cost per customer won back (cheapest offer) against the cheapest channel."""
    if not (world.can("campaigns") and world.can("types")):
        return None
    from crmkit.metrics.kpis import winback_by_campaign

    offers = winback_by_campaign(world.customers, world.campaigns, by="offer")
    offers = offers[offers["won_back"] > 0]
    costs = channel_costs(world)
    if offers.empty or costs is None:
        return None
    cheapest_win = float(offers["cost_per_win"].min())
    return {
        "cheapest_win": cheapest_win,
        "cheapest_acquisition": costs["cheapest_cost"],
        "ratio": cheapest_win / costs["cheapest_cost"],
    }


def signups_by_development_stage(world) -> pd.Series | None:
    """Lesson 05 and 07: mean sign-ups per month in each stage of customer development, in order."""
    if not world.can("campaigns"):
        return None
    camp = world.campaigns
    month_stage = (
        camp.assign(month=camp["start_date"].dt.to_period("M"))
        .groupby("month")["development_stage"]
        .first()
        .astype(str)
    )
    monthly = (
        world.customers.assign(month=world.customers["signup_date"].dt.to_period("M"))
        .groupby("month")
        .size()
    )
    stage = month_stage.reindex(monthly.index).ffill().bfill()
    order = [k for k in concepts.keys(concepts.DEVELOPMENT_STAGES) if k in set(stage)]
    return monthly.groupby(stage.to_numpy()).mean().reindex(order)


def supplier_endings(world) -> dict | None:
    """Lesson 09: who ended the current dissolutions, the customer or the supplier."""
    if not world.can("types"):
        return None
    ended = world.customers["churn_reason"].dropna().astype(str)
    if ended.empty:
        return None
    side = {r.key: r.group for r in concepts.DISSOLUTION_REASONS}
    by_side = ended.map(side).value_counts(normalize=True)
    customer = float(by_side.get("customer", 0.0))
    return {
        "customer_share": customer,
        "supplier_share": 1 - customer,
        "mostly_customer": bool(customer > 0.5),
    }


def flag_profits(world, candidates=None) -> dict | None:
    """Lesson 09: median profit per customer of each flag, and of the customers without a flag."""
    if not world.can("touchpoints"):
        return None
    from crmkit.metrics.termination import CRITERIA, termination_candidates

    cand = (
        candidates
        if candidates is not None
        else termination_candidates(world.customers, world.transactions, world.interactions)
    )
    med = pd.Series({f: cand.loc[cand[f], "profit"].median() for f in CRITERIA}).dropna()
    others = med.drop("unprofitable", errors="ignore")
    flagged = cand[cand["n_flags"] > 0]
    return {
        "median": med,
        "no_flag": float(cand.loc[cand["n_flags"] == 0, "profit"].median()),
        "richest_flag": others.idxmax() if len(others) else None,
        "others_profitable": bool(len(others) and (others > 0).all()),
        "flagged_profitable_share": float((flagged["profit"] > 0).mean())
        if len(flagged)
        else np.nan,
    }


def flag_precision(world, candidates=None) -> pd.DataFrame | None:
    """Lesson 09: precision and recall of the four flags against the generator's traits (%)."""
    if not (world.synthetic and world.can("touchpoints")):
        return None
    from crmkit.metrics.termination import termination_candidates

    cand = (
        candidates
        if candidates is not None
        else termination_candidates(world.customers, world.transactions, world.interactions)
    )
    latent = world.truth["latent"].reindex(cand["customer_id"])
    rows = {}
    for f in ("serial_complainer", "late_payer", "destructive", "deal_seeker"):
        flagged = cand[f].to_numpy()
        true = latent[f].fillna(False).to_numpy(dtype=bool)
        hits = (flagged & true).sum()
        rows[f] = {
            "flagged": int(flagged.sum()),
            "truly so": int(true.sum()),
            "both": int(hits),
            "precision (%)": 100 * hits / max(flagged.sum(), 1),
            "recall (%)": 100 * hits / max(true.sum(), 1),
        }
    return pd.DataFrame(rows).T


def price_rise_profits(world, candidates=None, price_rise=0.10) -> pd.DataFrame | None:
    """Lesson 09: customers and profit of each flagged segment before and after a price rise."""
    if not world.can("touchpoints"):
        return None
    from crmkit.metrics.termination import CRITERIA, termination_candidates, termination_what_if

    cand = (
        candidates
        if candidates is not None
        else termination_candidates(world.customers, world.transactions, world.interactions)
    )
    rows = {}
    for f in CRITERIA:
        t = termination_what_if(
            cand, world.transactions, segment=f, method="raise_price", price_rise=price_rise
        ).set_index("measure")
        rows[f] = {
            "customers before": t.loc["customers", "before"],
            "customers after": t.loc["customers", "after"],
            "profit before": t.loc["profit", "before"],
            "profit after": t.loc["profit", "after"],
        }
    out = pd.DataFrame(rows).T
    out["profit change (%)"] = (
        100 * (out["profit after"] - out["profit before"]) / out["profit before"].abs()
    )
    return out


def care_and_staying(world) -> dict | None:
    """Lesson 12: relationships ended per 100 customer-months, by care per month (four groups)."""
    if not (world.can("touchpoints") and world.can("types")):
        return None
    from crmkit.metrics.care import CARE_KINDS

    i = world.interactions
    care = i[i["kind"].astype(str).isin(CARE_KINDS)]
    end = i["date"].max()
    cust = world.customers.set_index("customer_id")[["signup_date", "churn_date"]].copy()
    cust["months"] = (
        cust["churn_date"].fillna(end) - cust["signup_date"]
    ).dt.days / _DAYS_PER_MONTH
    cust["care contacts"] = care.groupby("customer_id").size().reindex(cust.index, fill_value=0)
    cust["left"] = cust["churn_date"].notna()
    known = cust[cust["months"] >= 3].copy()
    if len(known) < 8:
        return None
    known["care per month"] = known["care contacts"] / known["months"]
    known["care group"] = pd.qcut(
        known["care per month"].rank(method="first"),
        4,
        labels=["least care", "less", "more", "most care"],
    )
    groups = known.groupby("care group", observed=True).agg(
        customers=("left", "size"),
        left=("left", "sum"),
        months=("months", "sum"),
        care_per_month=("care per month", "mean"),
    )
    groups["ended per 100 customer-months"] = 100 * groups["left"] / groups["months"]
    rate = groups["ended per 100 customer-months"]
    facts = {
        "groups": groups,
        "known": known,
        "least": float(rate["least care"]),
        "most": float(rate["most care"]),
        "most_ends_less": bool(rate["most care"] < rate["least care"]),
    }
    facts["ratio"] = facts["least"] / facts["most"] if facts["most"] > 0 else np.inf
    return facts


def follow_up_speed(world) -> dict | None:
    """Lesson 12: share of purchases followed up within a week, and the median delay."""
    if not world.can("touchpoints"):
        return None
    i = world.interactions
    tx = world.transactions[["customer_id", "date"]].sort_values("date")
    fu = (
        i.loc[i["kind"].astype(str) == "follow_up", ["customer_id", "date"]]
        .rename(columns={"date": "follow_up_date"})
        .sort_values("follow_up_date")
    )
    paired = pd.merge_asof(
        tx,
        fu,
        left_on="date",
        right_on="follow_up_date",
        by="customer_id",
        direction="forward",
        tolerance=pd.Timedelta(days=7),
    )
    days = (paired["follow_up_date"] - paired["date"]).dt.days
    share = float(days.notna().mean())
    return {"share": share, "median_days": float(days.median()), "most_without": bool(share < 0.5)}


def attrition_signal(world) -> dict | None:
    """Lesson 05: share who left within six months of their first answer, by that answer."""
    if not (world.can("satisfaction") and world.can("lifecycle")):
        return None
    end = world.transactions["date"].max()
    h = world.stage_history
    left = h[h["stage"].astype(str) == "dissolution"].groupby("customer_id")["start_date"].min()
    answers = world.surveys.sort_values("date").assign(left_on=lambda s: s["customer_id"].map(left))
    answers = answers[
        (answers["left_on"].isna() | (answers["left_on"] > answers["date"]))
        & (answers["date"] <= end - pd.Timedelta(days=182))
    ]
    first = answers.groupby("customer_id").first()
    first["left within 6 months"] = first["left_on"] <= first["date"] + pd.Timedelta(days=182)
    first["overall satisfaction"] = pd.cut(
        first["overall"], [0, 4, 5, 6, 7], labels=["1-4", "5", "6", "7"]
    )
    table = first.groupby("overall satisfaction", observed=True)["left within 6 months"].agg(
        customers="size", share_who_left="mean"
    )
    low = table["share_who_left"].get("1-4", np.nan)
    high = first.loc[first["overall"] >= 6, "left within 6 months"].mean()
    return {
        "table": table,
        "low": float(low),
        "high": float(high),
        "ratio": float(low / high) if high > 0 else np.inf,
    }
