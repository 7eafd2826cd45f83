"""Tests for crmkit.synth.make_world: invariants, the latent model, determinism, bad input.

Three kinds of test live here.

* **Invariants** hold for every world: unique ids, foreign keys that resolve,
  dates inside the simulated period, prices that add up, survey answers on
  their scales, categories spelled as in :mod:`crmkit.concepts`, a lifecycle
  history without gaps. Each is a plain function, run on the shared small
  world and, through hypothesis, on worlds of other seeds, locales, sizes and
  periods.
* **The latent model is visible**: every effect that the module docstring of
  crmkit.synth promises (and that the lessons teach) is found again in the
  data of one mid-size world (6,000 customers, fixed seed), by the simple
  analysis a student would do. Expected values come from ``world.truth`` or
  from the constants of crmkit.synth, never from a previous run; each
  tolerance says why it is wide enough.
* **Determinism and bad input**.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from crmkit import concepts, synth
from crmkit.people import SUPPORTED_LOCALES
from crmkit.schema import DIRECTIONS, SCHEMA
from crmkit.synth import make_world

START = pd.Timestamp(synth.DEFAULT_START)
END = pd.Timestamp(synth.DEFAULT_END)
STAGES = concepts.CATEGORIES["lifecycle_stage"]
COMPONENTS = concepts.CATEGORIES["component"]
REQUEST_KINDS = ("complaint", "inquiry", "technical_request")


# =============================================================================== invariants


def ids_are_unique(w):
    for table, col in (
        ("customers", "customer_id"),
        ("customers", "email"),
        ("transactions", "transaction_id"),
        ("interactions", "interaction_id"),
        ("surveys", "survey_id"),
        ("staff", "staff_id"),
    ):
        s = getattr(w, table)[col]
        assert s.notna().all(), f"{table}.{col} has empty values"
        assert s.is_unique, f"{table}.{col} repeats {s[s.duplicated()].head(3).tolist()}"
    # campaigns: one row per campaign and channel
    assert not w.campaigns.duplicated(["campaign_id", "channel"]).any()
    assert not w.stage_history.duplicated(["customer_id", "start_date"]).any()
    # ids are 1..n, so that a lesson can index with them
    assert w.customers["customer_id"].tolist() == list(range(1, len(w.customers) + 1))


def _resolves(child, ref, what):
    child = pd.Series(child).dropna()
    missing = ~child.isin(pd.Series(ref))
    assert not missing.any(), f"{what}: {missing.sum()} dangling, e.g. {child[missing].head(3)}"


def foreign_keys_resolve(w):
    cust = w.customers["customer_id"]
    for table in ("transactions", "interactions", "surveys", "stage_history"):
        _resolves(getattr(w, table)["customer_id"], cust, f"{table}.customer_id")
    camp = w.campaigns["campaign_id"]
    _resolves(w.transactions["campaign_id"], camp, "transactions.campaign_id")
    _resolves(w.customers["acquisition_campaign_id"], camp, "customers.acquisition_campaign_id")
    staff = w.staff["staff_id"]
    _resolves(w.interactions["staff_id"], staff, "interactions.staff_id")
    _resolves(w.customers["account_manager_id"], staff, "customers.account_manager_id")
    _resolves(
        w.surveys["interaction_id"], w.interactions["interaction_id"], "surveys.interaction_id"
    )
    # a survey about a contact is answered by the customer of that contact, after it
    s = w.surveys.dropna(subset=["interaction_id"]).merge(
        w.interactions[["interaction_id", "customer_id", "date", "touchpoint"]],
        left_on=w.surveys.dropna(subset=["interaction_id"])["interaction_id"].astype("int64"),
        right_on="interaction_id",
        suffixes=("", "_contact"),
    )
    assert (s["customer_id"] == s["customer_id_contact"]).all()
    assert (s["date"] >= s["date_contact"]).all()
    assert (s["touchpoint"] == s["touchpoint_contact"]).all()
    # the campaign used by a purchase was running on the purchase date
    t = w.transactions.dropna(subset=["campaign_id"])
    windows = w.campaigns.groupby("campaign_id").agg(
        first=("start_date", "min"), last=("end_date", "max")
    )
    win = windows.loc[t["campaign_id"].astype("int64")].to_numpy()
    assert (t["date"].to_numpy() >= win[:, 0]).all() and (t["date"].to_numpy() <= win[:, 1]).all()
    # account managers only for personal and dedicated assistance
    has_am = w.customers["account_manager_id"].notna()
    personal = w.customers["relationship_type"].isin(
        ["personal_assistance", "dedicated_assistance"]
    )
    assert (has_am == personal).all()


def _in_period(s, start, end, what, *, allow_empty=False):
    if allow_empty:
        s = s.dropna()
    assert s.notna().all(), f"{what} has empty dates"
    assert s.between(start, end).all(), f"{what} outside {start.date()}..{end.date()}: " + str(
        s[~s.between(start, end)].head(3).tolist()
    )


def dates_in_range(w, start, end):
    c, t = w.customers, w.transactions
    _in_period(c["signup_date"], start, end, "customers.signup_date")
    _in_period(c["loyalty_join_date"], start, end, "loyalty_join_date", allow_empty=True)
    _in_period(c["churn_date"], start, end, "customers.churn_date", allow_empty=True)
    _in_period(t["date"], start, end, "transactions.date")
    _in_period(t["paid_date"], start, end, "transactions.paid_date", allow_empty=True)
    _in_period(w.interactions["date"], start, end, "interactions.date")
    _in_period(w.surveys["date"], start, end, "surveys.date")
    _in_period(w.campaigns["start_date"], start, end, "campaigns.start_date")
    _in_period(w.campaigns["end_date"], start, end, "campaigns.end_date")
    _in_period(w.stage_history["start_date"], start, end, "stage_history.start_date")
    _in_period(w.stage_history["end_date"], start, end, "stage_history.end_date", allow_empty=True)
    assert (c["birth_date"] < start).all()
    assert (w.staff["hire_date"] < start).all()  # nobody is hired during the simulation
    assert (w.campaigns["end_date"] >= w.campaigns["start_date"]).all()
    # order of events for each customer
    signup = c.set_index("customer_id")["signup_date"]
    assert (t["date"] >= signup.loc[t["customer_id"]].to_numpy()).all()
    assert (w.interactions["date"] >= signup.loc[w.interactions["customer_id"]].to_numpy()).all()
    assert (w.surveys["date"] >= signup.loc[w.surveys["customer_id"]].to_numpy()).all()
    paid = t.dropna(subset=["paid_date"])
    assert (paid["paid_date"] >= paid["date"]).all()
    assert (c["loyalty_join_date"].dropna() >= c.loc[c["loyalty_member"], "signup_date"]).all()
    assert (c["loyalty_join_date"].notna() == c["loyalty_member"]).all()
    # adults at the reference date (ages are drawn as 18 + a gamma variable at `end`)
    assert (c["birth_date"] <= end - pd.DateOffset(years=18)).all()


def money_adds_up(w):
    t = w.transactions
    assert (t["list_price"] > 0).all()
    assert t["discount"].between(0, 1).all()
    expected = np.round(t["list_price"] * (1 - t["discount"]), 2)
    np.testing.assert_allclose(t["amount"], expected, rtol=0, atol=1e-9)
    np.testing.assert_allclose(t["margin"], np.round(t["amount"] - t["cost"], 2), rtol=0, atol=1e-9)
    assert (t["cost"] >= 0).all() and (t["amount"] >= 0).all()
    camp = w.campaigns
    priced = camp.dropna(subset=["offer_price"])
    assert (priced["offer_price"] <= priced["list_price"]).all()
    assert (camp[["reach"]] >= 0).all().all() and (camp["cost"] >= 0).all()
    i = w.interactions
    assert (i["cost"] >= 0).all() and (i["duration_min"] >= 0).all() and (i["handoffs"] >= 0).all()


def surveys_on_their_scales(w):
    s = w.surveys
    for col in (*COMPONENTS, "overall"):
        assert s[col].between(1, 7).all(), col
    assert s["nps"].between(0, 10).all()
    # contact surveys name the contact and its touchpoint; the others do not
    after = s["method"] == "post_interaction"
    assert (s["interaction_id"].notna() == after).all()
    assert (s["touchpoint"].notna() == after).all()


def categories_come_from_concepts(w):
    for table, columns in SCHEMA.items():
        df = getattr(w, table)
        for col in columns:
            if col.dtype != "cat":
                continue
            allowed = DIRECTIONS if col.categories == "direction" else None
            if allowed is None:
                assert col.categories in concepts.CATEGORIES, (table, col.name)
                allowed = concepts.CATEGORIES[col.categories]
            dtype = df[col.name].dtype
            assert isinstance(dtype, pd.CategoricalDtype), (table, col.name, dtype)
            assert dtype.ordered, (table, col.name)
            assert list(dtype.categories) == list(allowed), (table, col.name)
    # and a few spelled out, in case the schema itself named the wrong list
    assert list(w.customers["lifecycle_stage"].cat.categories) == list(STAGES)
    assert list(w.customers["relationship_type"].cat.categories) == list(
        concepts.keys(concepts.RELATIONSHIP_TYPES)
    )
    assert list(w.interactions["channel"].cat.categories) == list(concepts.keys(concepts.CHANNELS))
    assert list(w.interactions["touchpoint"].cat.categories) == list(
        concepts.keys(concepts.TOUCHPOINTS)
    )


def stage_history_is_consistent(w):
    c, h = w.customers, w.stage_history
    h = h.sort_values(["customer_id", "start_date"], kind="stable").reset_index(drop=True)
    assert set(h["customer_id"]) == set(c["customer_id"]), "a customer has no history"
    first = h.groupby("customer_id").head(1).set_index("customer_id")
    signup = c.set_index("customer_id")["signup_date"]
    assert (first["stage"] == "exploration").all()
    assert (first["start_date"] == signup.loc[first.index]).all()
    same = h["customer_id"].to_numpy()[1:] == h["customer_id"].to_numpy()[:-1]
    # contiguous: a spell ends the day the next one starts; consecutive stages differ
    ends, next_starts = h["end_date"].to_numpy()[:-1][same], h["start_date"].to_numpy()[1:][same]
    assert (ends == next_starts).all()
    assert (h["stage"].to_numpy()[1:][same] != h["stage"].to_numpy()[:-1][same]).all()
    assert (h["end_date"].dropna() > h.dropna(subset=["end_date"])["start_date"]).all()
    last = h.groupby("customer_id").tail(1).set_index("customer_id").loc[c["customer_id"]]
    assert last["end_date"].isna().all(), "the last spell is still open"
    assert (h["end_date"].isna().sum()) == len(c)
    # the customers table agrees with the last spell
    assert (c["lifecycle_stage"].to_numpy() == last["stage"].to_numpy()).all()
    dissolved = (c["lifecycle_stage"] == "dissolution").to_numpy()
    assert (c["churn_date"].notna().to_numpy() == dissolved).all()
    assert (c["churn_reason"].notna().to_numpy() == dissolved).all()
    assert (c["churn_date"].to_numpy()[dissolved] == last["start_date"].to_numpy()[dissolved]).all()
    assert (c["churn_reason"].to_numpy()[dissolved] == last["reason"].to_numpy()[dissolved]).all()
    # a reason for every dissolution spell, and only for those
    assert (h["reason"].notna() == (h["stage"] == "dissolution")).all()


def no_purchases_while_dissolved(w):
    h, t = w.stage_history, w.transactions
    spells = h[h["stage"] == "dissolution"]
    m = t[["transaction_id", "customer_id", "date"]].merge(spells, on="customer_id")
    inside = (m["date"] >= m["start_date"]) & (m["end_date"].isna() | (m["date"] < m["end_date"]))
    assert not inside.any(), m.loc[inside].head(3).to_string()


INVARIANTS = (
    ids_are_unique,
    foreign_keys_resolve,
    money_adds_up,
    surveys_on_their_scales,
    categories_come_from_concepts,
    stage_history_is_consistent,
    no_purchases_while_dissolved,
)


def assert_invariants(w, start=START, end=END):
    for check in INVARIANTS:
        check(w)
    dates_in_range(w, start, end)


@pytest.mark.parametrize("check", INVARIANTS, ids=lambda f: f.__name__)
def test_invariant_on_the_small_world(small_world, check):
    check(small_world)


def test_dates_in_range_on_the_small_world(small_world):
    dates_in_range(small_world, START, END)


def test_small_world_has_every_table_and_size(small_world):
    w = small_world
    assert len(w.customers) == 400
    for name, df in w.tables().items():
        assert list(df.columns) == [c.name for c in SCHEMA[name]], name
        assert len(df) > 0, name
    assert w.meta["n_customers"] == 400 and w.meta["random_state"] == 1
    assert w.meta["locale"] == "en_US"
    assert len(w.staff) == max(24, round(400 / 60))


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    seed=st.integers(0, 2**32 - 1),
    locale=st.sampled_from(SUPPORTED_LOCALES),
    n=st.integers(1, 250),
    start=st.dates(pd.Timestamp("2015-01-01").date(), pd.Timestamp("2030-12-31").date()),
    days=st.integers(60, 3 * 365),
)
def test_invariants_hold_for_any_seed_locale_size_and_period(seed, locale, n, start, days):
    start = pd.Timestamp(start)
    end = start + pd.Timedelta(days=days)
    w = make_world(n, locale=locale, start=start, end=end, random_state=seed)
    assert len(w.customers) == n
    assert w.meta["locale"] == locale
    assert_invariants(w, start, end)


def test_tables_option_skips_interactions_and_surveys():
    w = make_world(100, random_state=3, tables=())
    assert w.interactions.empty and w.surveys.empty
    assert list(w.interactions.columns) == [c.name for c in SCHEMA["interactions"]]
    full = make_world(100, random_state=3)
    # the other tables do not depend on the option
    for name in ("customers", "transactions", "campaigns", "staff", "stage_history"):
        assert_frame_equal(getattr(w, name), getattr(full, name))


# =============================================================================== latent model
# One 6,000-customer world (tests/conftest.py). Tolerances are a few standard
# errors at this size: loose enough that any seed passes, tight enough that a
# broken effect fails.


def test_overall_is_the_weighted_sum_of_components(latent_world):
    s = latent_world.surveys
    X = np.column_stack([np.ones(len(s))] + [s[c].to_numpy(float) for c in COMPONENTS])
    coef = np.linalg.lstsq(X, s["overall"].to_numpy(float), rcond=None)[0][1:]
    truth = latent_world.truth["component_weights"]
    assert list(truth.index) == list(COMPONENTS)
    assert truth.sum() == pytest.approx(1)
    # ~10,000 answers: the standard error of each slope is about 0.01; rounding
    # to whole points and clipping to 1..7 bias the slopes by less than 0.03.
    np.testing.assert_allclose(coef, truth.to_numpy(), atol=0.05)


def test_other_component_weights_are_recovered_too():
    weights = {"product": 0.10, "peripheral": 0.50, "atmosphere": 0.10, "psychological": 0.30}
    s = make_world(3000, random_state=8, component_weights=weights).surveys
    X = np.column_stack([np.ones(len(s))] + [s[c].to_numpy(float) for c in COMPONENTS])
    coef = np.linalg.lstsq(X, s["overall"].to_numpy(float), rcond=None)[0][1:]
    np.testing.assert_allclose(coef, [weights[c] for c in COMPONENTS], atol=0.06)


def _satisfaction_quartile(w):
    sat = w.truth["latent"]["satisfaction"].loc[w.customers["customer_id"]].to_numpy()
    return pd.qcut(sat, 4, labels=False)


def test_satisfied_customers_defect_less(latent_world):
    w = latent_world
    q = _satisfaction_quartile(w)
    ever = w.customers["customer_id"].isin(
        w.stage_history.loc[w.stage_history["stage"] == "dissolution", "customer_id"]
    )
    share = ever.groupby(q).mean()
    # the hazard ratio between the quartiles' centres is about exp(0.6 * 2.5) = 4.5,
    # so the share that ever dissolves at least doubles from the top to the bottom.
    assert share[0] > 2 * share[3], share
    assert share.is_monotonic_decreasing, share
    now = (w.customers["lifecycle_stage"] == "dissolution").groupby(q).mean()
    assert now[0] > 1.5 * now[3], now


def test_complaints_per_purchase_fall_with_satisfaction(latent_world):
    w = latent_world
    q = pd.Series(_satisfaction_quartile(w), index=w.customers["customer_id"])
    complaints = w.interactions.loc[w.interactions["kind"] == "complaint", "customer_id"]
    rate = complaints.map(q).value_counts() / w.transactions["customer_id"].map(q).value_counts()
    rate = rate.sort_index()
    assert rate.is_monotonic_decreasing, rate
    assert rate[0] > 2 * rate[3], rate


def test_satisfaction_drives_repurchase(latent_world):
    w = latent_world
    q = pd.Series(_satisfaction_quartile(w), index=w.customers["customer_id"])
    purchases = w.transactions["customer_id"].value_counts().reindex(q.index, fill_value=0)
    per_customer = purchases.groupby(q).mean()
    assert per_customer.is_monotonic_increasing, per_customer
    assert per_customer[3] > 1.5 * per_customer[0], per_customer


def test_serial_complainers_complain_more(latent_world):
    w = latent_world
    flag = w.truth["latent"]["serial_complainer"]
    assert 0.01 < flag.mean() < 0.06
    complaints = w.interactions.loc[w.interactions["kind"] == "complaint", "customer_id"]
    by_flag = (
        complaints.map(flag).value_counts() / w.transactions["customer_id"].map(flag).value_counts()
    )
    # serial complainers complain on about a third of their purchases, others on ~4%
    assert by_flag[True] > 4 * by_flag[False], by_flag


def _active_months(w):
    """Months each customer spent outside dissolution (from the stage history)."""
    h = w.stage_history
    end = h["end_date"].fillna(END + pd.Timedelta(days=1))
    days = (end - h["start_date"]).dt.days.where(h["stage"] != "dissolution", 0)
    return days.groupby(h["customer_id"]).sum() / 30.44


def test_relationship_type_drives_purchase_frequency(latent_world):
    w = latent_world
    rtype = w.customers.set_index("customer_id")["relationship_type"]
    purchases = w.transactions["customer_id"].map(rtype).value_counts()
    months = _active_months(w).groupby(rtype).sum()
    per_month = (purchases / months).reindex(concepts.CATEGORIES["relationship_type"])
    assert per_month["dedicated_assistance"] > 2 * per_month["transactional"], per_month
    # the kiosk-style transactional customer buys least of all types
    assert per_month.idxmin() == "transactional", per_month
    assert per_month.idxmax() == "dedicated_assistance", per_month


def test_relationship_type_drives_channels(latent_world):
    w = latent_world
    rtype = w.transactions["customer_id"].map(
        w.customers.set_index("customer_id")["relationship_type"]
    )
    share = pd.crosstab(rtype, w.transactions["channel"], normalize="index")
    digital = share["web"] + share["app"]
    assert digital["self_service"] > 0.6 and digital["automated_services"] > 0.6, digital
    assert share.loc["transactional"].idxmax() == "shop", share.loc["transactional"]
    assert share.loc["transactional", "shop"] > 0.4
    assert share.loc["dedicated_assistance"].idxmax() == "phone"
    assert share.loc["community"].idxmax() == "social"


def _stage_at_month_ends(w):
    """Codes of each customer's stage at every month end (-1 before sign-up)."""
    h = w.stage_history.sort_values(["customer_id", "start_date"])
    ends = pd.period_range(START, END, freq="M").to_timestamp(how="end").normalize()
    out = np.full((len(w.customers), len(ends)), -1)
    cust = h["customer_id"].to_numpy() - 1
    code = h["stage"].cat.codes.to_numpy()
    start = h["start_date"].to_numpy()
    for j, me in enumerate(ends.to_numpy()):
        sel = start <= me  # later spells overwrite earlier ones (sorted by start)
        out[cust[sel], j] = code[sel]
    return out


def test_monthly_transitions_follow_the_matrix(latent_world):
    w = latent_world
    states = _stage_at_month_ends(w)
    a, b = states[:, :-1].ravel(), states[:, 1:].ravel()
    ok = a >= 0
    counts = np.zeros((5, 5))
    np.add.at(counts, (a[ok], b[ok]), 1)
    estimate = counts / counts.sum(axis=1, keepdims=True)
    truth = w.truth["transition_matrix"]
    assert list(truth.index) == list(STAGES) and list(truth.columns) == list(STAGES)
    np.testing.assert_allclose(truth.sum(axis=1), 1)
    # Forward moves, estimated from >= 7,000 customer-months per row: the standard
    # error is <= 0.006; the per-customer hazard rescales the non-dissolution moves
    # by about (1 - 1.2 h) / (1 - h), at most 0.015 here. Hence 0.03.
    for frm, to in (
        ("exploration", "awareness"),
        ("exploration", "expansion"),
        ("awareness", "expansion"),
        ("expansion", "commitment"),
        ("dissolution", "awareness"),  # win-back: lower, fraudsters are never won back
    ):
        i, j = STAGES.index(frm), STAGES.index(to)
        tol = 0.03
        assert abs(estimate[i, j] - truth.iloc[i, j]) <= tol, (frm, to, estimate[i, j])
    # moves the matrix forbids never happen
    forbidden = truth.to_numpy() == 0
    assert counts[forbidden].sum() == 0


def test_a_different_transition_matrix_shows_in_the_history():
    P = np.array(synth.DEFAULT_TRANSITIONS)
    P[1] = [0.0, 0.40, 0.50, 0.0, 0.10]  # awareness -> expansion much faster
    w = make_world(3000, random_state=4, transition_matrix=P)
    states = _stage_at_month_ends(w)
    a, b = states[:, :-1].ravel(), states[:, 1:].ravel()
    aware = a == 1
    assert (b[aware] == 2).mean() == pytest.approx(0.50, abs=0.04)
    np.testing.assert_array_equal(w.truth["transition_matrix"].to_numpy(), P)


def test_supplier_endings_low_volume_and_fraud(latent_world):
    w = latent_world
    reasons = w.stage_history["reason"].value_counts()
    for reason in concepts.CATEGORIES["dissolution_reason"]:
        assert reasons[reason] > 0, reason  # all five reasons occur, supplier ones too
    lat = w.truth["latent"]
    fraud = lat.index[lat["fraud"]]
    assert len(fraud) > 10
    c = w.customers.set_index("customer_id").loc[fraud]
    # fraudsters are ended by the supplier (a hazard of at least 25 % a month) and
    # never won back: most are dissolved by the end, every one of them for fraud.
    assert (c["lifecycle_stage"] == "dissolution").mean() > 0.6
    assert (c["churn_reason"].dropna() == "fraud").all()
    # ... and fraud is a reason only for fraudsters
    h = w.stage_history
    assert h.loc[h["reason"] == "fraud", "customer_id"].isin(fraud).all()
    # low-volume endings fall on low-volume customers
    lv = lat.index[lat["low_volume"]]
    assert h.loc[h["reason"] == "low_volume", "customer_id"].isin(lv).all()


def test_loyalty_members_pay_less(latent_world):
    w = latent_world
    t = w.transactions.merge(w.customers[["customer_id", "loyalty_join_date"]], on="customer_id")
    plain = t["campaign_id"].isna()  # not bought on a promotion or coupon
    member = t["loyalty_join_date"].notna() & (t["date"] >= t["loyalty_join_date"])
    assert member.sum() > 1000
    expected = w.truth["member_discount"]
    assert expected == pytest.approx(0.08)
    assert (t.loc[plain & member, "discount"] == expected).all()
    assert (t.loc[plain & ~member, "discount"] == 0).all()
    # members are a real part of the base, and join after signing up
    assert 0.2 < w.customers["loyalty_member"].mean() < 0.8


def test_members_defect_less(latent_world):
    w = latent_world
    states = _stage_at_month_ends(w)
    ends = pd.period_range(START, END, freq="M").to_timestamp(how="end").normalize()
    join = w.customers["loyalty_join_date"].to_numpy()
    member = np.stack([join <= e for e in ends.to_numpy()], axis=1)[:, :-1]
    a, b = states[:, :-1], states[:, 1:]
    live = (a >= 0) & (a < STAGES.index("dissolution"))
    # Monthly defection rate of members and non-members, within satisfaction
    # quartiles (satisfied customers join more often, so a raw comparison would
    # mix the two effects). The true factor is truth["loyalty_hazard_factor"] = 0.75;
    # each cell holds >= 1,000 customer-months, so "lower in every quartile" is safe.
    q = np.repeat(_satisfaction_quartile(w)[:, None], a.shape[1], axis=1)
    assert w.truth["loyalty_hazard_factor"] < 1
    for k in range(4):
        rate = {m: (b[live & (member == m) & (q == k)] == 4).mean() for m in (False, True)}
        assert rate[True] < rate[False], (k, rate)


def test_nobody_joins_the_loyalty_programme_while_dissolved(latent_world):
    w = latent_world
    h = w.stage_history
    d = h[h["stage"] == "dissolution"].merge(
        w.customers[["customer_id", "loyalty_join_date"]], on="customer_id"
    )
    inside = (d["loyalty_join_date"] >= d["start_date"]) & (
        d["end_date"].isna() | (d["loyalty_join_date"] < d["end_date"])
    )
    assert not inside.any(), d.loc[inside].head()


def test_late_payers_pay_late(latent_world):
    w = latent_world
    t = w.transactions
    late = t["customer_id"].map(w.truth["latent"]["late_payer"])
    days = (t["paid_date"] - t["date"]).dt.days
    terms = w.truth["payment_terms_days"]
    assert terms == synth.PAYMENT_TERMS_DAYS
    assert days[late].median() > terms > days[~late].median()
    # still unpaid at the reference date: late payers more often
    unpaid = t["paid_date"].isna()
    assert unpaid[late].mean() > unpaid[~late].mean()


def test_deal_seekers_buy_on_promotion(latent_world):
    w = latent_world
    t = w.transactions
    seeker = t["customer_id"].map(w.truth["latent"]["deal_seeker"])
    promo = t["campaign_id"].notna() & t["campaign_id"].isin(
        w.campaigns.loc[
            w.campaigns["campaign_type"].isin(["retention", "cross_sell"]), "campaign_id"
        ]
    )
    assert promo[seeker].mean() > 0.5 > 0.2 > promo[~seeker].mean()


def test_training_shortens_complaint_resolution(latent_world):
    w = latent_world
    i = w.interactions
    c = i[i["kind"] == "complaint"].merge(w.staff[["staff_id", "training_hours"]], on="staff_id")
    X = np.column_stack(
        [np.ones(len(c)), c["training_hours"].to_numpy(), c["handoffs"].to_numpy(float)]
    )
    y = np.log(c["resolution_hours"].to_numpy())
    (b0, b_train, b_handoff), *_ = np.linalg.lstsq(X, y, rcond=None)
    assert w.truth["training_effect_log_hours_per_hour"] == synth.TRAINING_EFFECT
    assert w.truth["handoff_effect_log_hours"] == synth.HANDOFF_EFFECT
    # ~2,400 complaints, log-noise sd 0.5, training sd ~15 h: the slope's standard
    # error is ~0.001 (rounding hours to 0.1 adds nothing visible); hand-offs ~0.02.
    assert b_train == pytest.approx(synth.TRAINING_EFFECT, abs=0.01)
    assert b_handoff == pytest.approx(synth.HANDOFF_EFFECT, abs=0.1)
    r = np.corrcoef(c["training_hours"], np.log(c["resolution_hours"]))[0, 1]
    assert r < -0.2
    # and better-trained staff resolve more complaints at the first contact
    trained = c["training_hours"] > c["training_hours"].median()
    resolved = c["outcome"] == "resolved"
    assert resolved[trained].mean() > resolved[~trained].mean()


def test_resolution_hours_only_for_requests(latent_world):
    i = latent_world.interactions
    request = i["kind"].isin(REQUEST_KINDS)
    assert (i["resolution_hours"].notna() == request).all()
    assert (i.loc[~request, "outcome"] == "no_action").all()
    assert (i.loc[~request, "handoffs"] == 0).all()


def test_more_purchases_in_the_birthday_month(latent_world):
    w = latent_world
    t = w.transactions.merge(w.customers[["customer_id", "birth_date"]], on="customer_id")
    in_bday_month = (t["date"].dt.month == t["birth_date"].dt.month).mean()
    # birthdays and the purchase calendar are independent, so without an uplift the
    # share would be ~1/12; with an uplift u it is u / (11 + u). Solve for u.
    uplift = 11 * in_bday_month / (1 - in_bday_month)
    assert uplift == pytest.approx(w.truth["birthday_purchase_uplift"], abs=0.1)
    # birthday coupons are used in the birthday month only
    coupons = w.campaigns.loc[w.campaigns["campaign_type"] == "event_based", "campaign_id"]
    used = t[t["campaign_id"].isin(coupons)]
    assert len(used) > 100
    assert (used["date"].dt.month == used["birth_date"].dt.month).all()


def _same_day_of_year(day, anniversary_of):
    return (day.dt.month == anniversary_of.dt.month) & (day.dt.day == anniversary_of.dt.day)


def test_special_occasions_fall_on_birthdays_or_anniversaries(latent_world):
    w = latent_world
    so = w.interactions[w.interactions["kind"] == "special_occasion"].merge(
        w.customers[["customer_id", "birth_date", "signup_date"]], on="customer_id"
    )
    assert len(so) > 100
    on_day = _same_day_of_year(so["date"], so["birth_date"]) | _same_day_of_year(
        so["date"], so["signup_date"]
    )
    assert on_day.all(), so.loc[~on_day, ["date", "birth_date", "signup_date"]].head()


def test_special_occasions_are_birthdays_and_anniversaries_within_a_day(latent_world):
    # The weaker property that holds despite the leap-year bug above: both kinds of
    # occasion occur, and each lies within a day of one.
    w = latent_world
    so = w.interactions[w.interactions["kind"] == "special_occasion"].merge(
        w.customers[["customer_id", "birth_date", "signup_date"]], on="customer_id"
    )

    def near(day, of):
        """Is ``day`` within a day of an anniversary of ``of`` (any year)?"""
        best = None
        for shift in (-1, 0, 1):
            years = day.dt.year - of.dt.year + shift
            ann = pd.Series(
                [o + pd.DateOffset(years=int(y)) for o, y in zip(of, years, strict=True)],
                index=day.index,
            )
            gap = (day - ann).dt.days.abs()
            best = gap if best is None else np.minimum(best, gap)
        return best <= 1

    bday, anniv = near(so["date"], so["birth_date"]), near(so["date"], so["signup_date"])
    assert (bday | anniv).all()
    assert bday.sum() > 50 and anniv.sum() > 20
    # anniversaries come after the first year
    assert (so.loc[anniv & ~bday, "date"] > so.loc[anniv & ~bday, "signup_date"]).all()


def test_inconsistent_offer_prices_are_the_listed_campaigns(latent_world):
    w = latent_world
    priced = w.campaigns.dropna(subset=["offer_price"])
    prices = priced.groupby("campaign_id")["offer_price"].nunique()
    listed = set(w.truth["inconsistent_campaigns"])
    assert listed, "no inconsistent campaign to find"
    assert listed <= set(prices.index)
    assert (prices[prices.index.isin(listed)] > 1).all()
    assert (prices[~prices.index.isin(listed)] == 1).all()
    # only multi-channel offers can be inconsistent
    channels = priced.groupby("campaign_id")["channel"].nunique()
    assert (channels[list(listed)] >= 2).all()


def test_acquisition_reach_follows_the_true_conversion(latent_world):
    w = latent_world
    acq = w.campaigns[w.campaigns["campaign_type"] == "acquisition"]
    won = w.customers["acquisition_campaign_id"].value_counts()
    acq = acq.assign(won=acq["campaign_id"].map(won).fillna(0))
    by_channel = acq.groupby("channel", observed=True)[["won", "reach"]].sum()
    rate = by_channel["won"] / by_channel["reach"]
    truth = w.truth["channel_conversion"]
    # reach = won / conversion * lognormal(0, 0.1) per campaign: within 10 %
    np.testing.assert_allclose(rate, truth.loc[rate.index], rtol=0.1)


def test_care_lowers_defection(latent_world):
    w = latent_world
    care = w.truth["latent"]["care"].loc[w.customers["customer_id"]].to_numpy()
    hi = care > np.median(care)
    dissolved = (w.customers["lifecycle_stage"] == "dissolution").to_numpy()
    assert dissolved[hi].mean() < dissolved[~hi].mean()
    follow = w.interactions.loc[w.interactions["kind"] == "follow_up", "customer_id"]
    per = follow.value_counts().reindex(w.customers["customer_id"], fill_value=0).to_numpy()
    assert per[hi].mean() > 1.5 * per[~hi].mean()


def test_truth_describes_every_customer(latent_world):
    lat = latent_world.truth["latent"]
    assert list(lat.index) == latent_world.customers["customer_id"].tolist()
    weights = latent_world.truth["component_weights"]
    recomputed = lat[list(COMPONENTS)].to_numpy() @ weights.to_numpy()
    np.testing.assert_allclose(lat["satisfaction"], recomputed, atol=1e-5)
    assert lat[list(COMPONENTS)].stack().between(1, 7).all()


# =============================================================================== determinism


def frame_digest(df: pd.DataFrame) -> str:
    """A hash of a table's values, dtypes and column names."""
    h = hashlib.sha256()
    h.update(repr(list(df.dtypes.astype(str).items())).encode())
    h.update(df.to_csv(index=False, date_format="%Y-%m-%d").encode())
    return h.hexdigest()


def world_digest(w) -> dict[str, str]:
    return {name: frame_digest(df) for name, df in w.tables().items()}


def test_same_seed_same_world():
    a = make_world(300, locale="pl_PL", random_state=42)
    b = make_world(300, locale="pl_PL", random_state=42)
    for name in a.tables():
        assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)
    assert_frame_equal(a.truth["latent"], b.truth["latent"])
    assert a.truth["inconsistent_campaigns"] == b.truth["inconsistent_campaigns"]


def test_same_seed_same_world_in_a_fresh_process(small_world):
    # A different hash seed in the child: nothing may depend on set or dict order
    # of strings, on the process or on the global numpy state.
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from test_synth import world_digest; from crmkit import make_world;"
        "import json; print(json.dumps(world_digest(make_world(400, random_state=1))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(Path(__file__).parent)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "123"},
    )
    assert json.loads(out.stdout) == world_digest(small_world)


def test_different_seeds_differ(small_world):
    other = make_world(400, random_state=2)
    a, b = world_digest(small_world), world_digest(other)
    for name in ("customers", "transactions", "interactions", "surveys", "stage_history"):
        assert a[name] != b[name], name
    assert not small_world.customers["first_name"].equals(other.customers["first_name"])


def test_random_state_accepts_a_generator():
    a = make_world(200, random_state=np.random.default_rng(5))
    b = make_world(200, random_state=np.random.default_rng(5))
    assert world_digest(a) == world_digest(b)
    # the generator is used, not reseeded: a second world from it differs
    rng = np.random.default_rng(5)
    first, second = make_world(200, random_state=rng), make_world(200, random_state=rng)
    assert world_digest(first)["customers"] != world_digest(second)["customers"]


def test_numpy_integer_seed_equals_python_int():
    a = make_world(150, random_state=np.int64(9))
    b = make_world(150, random_state=9)
    assert world_digest(a) == world_digest(b)


def test_meta_records_a_numpy_integer_seed():
    assert make_world(20, random_state=np.int64(9)).meta["random_state"] == 9


def test_random_state_none_gives_fresh_worlds():
    a, b = make_world(150), make_world(150)
    assert world_digest(a)["transactions"] != world_digest(b)["transactions"]


def test_the_global_numpy_seed_plays_no_part():
    np.random.seed(0)
    a = make_world(150, random_state=3)
    np.random.seed(1)
    np.random.random(10)
    b = make_world(150, random_state=3)
    assert world_digest(a) == world_digest(b)


def test_locales_give_names_in_their_script():
    w = make_world(80, locale="fa_IR", random_state=1)
    assert w.customers["last_name"].str.contains(r"[\u0600-\u06FF]").all()
    w = make_world(80, locale="ru", random_state=1)
    assert w.meta["locale"] == "ru_RU"
    assert w.customers["first_name"].str.contains(r"[\u0400-\u04FF]").all()
    assert w.customers["email"].str.fullmatch(r"[a-z0-9.]+@[a-z0-9.-]+").all()


# =============================================================================== bad input


@pytest.mark.parametrize(
    ("value", "error"),
    [(0, ValueError), (-5, ValueError), (2.5, TypeError), ("100", TypeError), (True, TypeError)],
)
def test_bad_n_customers(value, error):
    with pytest.raises(error) as e:
        make_world(value)
    msg = str(e.value)
    assert "make_world" in msg and "`n_customers`" in msg and f"got {value!r}" in msg


def test_unsupported_locale_lists_the_supported_ones():
    with pytest.raises(ValueError, match="locale") as e:
        make_world(10, locale="de_DE")
    msg = str(e.value)
    assert "'de_DE'" in msg
    for loc in SUPPORTED_LOCALES:
        assert loc in msg
    with pytest.raises(TypeError, match="locale"):
        make_world(10, locale=None)


@pytest.mark.parametrize(
    ("value", "error", "shown"),
    [
        ("abc", TypeError, "'abc'"),
        (1.5, TypeError, "1.5"),
        (-1, ValueError, "-1"),
        (True, TypeError, "True"),
        ([1, 2], TypeError, "[1, 2]"),
    ],
)
def test_bad_random_state(value, error, shown):
    with pytest.raises(error) as e:
        make_world(10, random_state=value)
    msg = str(e.value)
    assert "random_state" in msg and shown in msg and "make_world" in msg


def test_end_before_start():
    with pytest.raises(ValueError) as e:
        make_world(10, start="2024-06-01", end="2024-01-01")
    msg = str(e.value)
    assert "`end`" in msg and "2024-01-01" in msg and "2024-06-01" in msg
    assert "later end" in msg  # says what to do


@pytest.mark.parametrize("value", ["yesterday", "2024-13-01", None])
def test_unreadable_dates(value):
    with pytest.raises(ValueError, match=r"`start` must be a date") as e:
        make_world(10, start=value)
    assert repr(value) in str(e.value)


@pytest.mark.parametrize("value", [2023, 3.5])
def test_numbers_are_not_dates(value):
    with pytest.raises((TypeError, ValueError), match=r"`start`"):
        make_world(10, start=value)


@pytest.mark.parametrize(
    ("weights", "error", "shown"),
    [
        ({"product": 1.0}, ValueError, "product"),
        (
            {"product": 0.5, "peripheral": 0.5, "atmosphere": 0.5, "psychological": 0.5},
            ValueError,
            "sum to 1",
        ),
        (
            {"product": -0.2, "peripheral": 0.6, "atmosphere": 0.3, "psychological": 0.3},
            ValueError,
            "-0.2",
        ),
        (
            {"product": 0.4, "peripheral": 0.25, "atmosphere": 0.2, "psychology": 0.15},
            ValueError,
            "psychology",
        ),
        ([0.4, 0.25, 0.2, 0.15], TypeError, "list"),
    ],
)
def test_bad_component_weights(weights, error, shown):
    with pytest.raises(error) as e:
        make_world(10, component_weights=weights)
    assert "component_weights" in str(e.value) and shown in str(e.value)


@pytest.mark.parametrize(
    ("matrix", "shown"),
    [
        (np.eye(4), "(4, 4)"),
        (np.full((5, 5), 0.3), "1.5"),
        (np.eye(5) * 2 - np.full((5, 5), 0.2), ">= 0"),
    ],
)
def test_bad_transition_matrix(matrix, shown):
    with pytest.raises(ValueError) as e:
        make_world(10, transition_matrix=matrix)
    assert "transition_matrix" in str(e.value) and shown in str(e.value)


def test_bad_other_options():
    with pytest.raises(ValueError, match="n_staff"):
        make_world(10, n_staff=3)
    with pytest.raises(TypeError, match="satisfaction_effect"):
        make_world(10, satisfaction_effect="strong")
    with pytest.raises(ValueError, match="tables"):
        make_world(10, tables=["customers_and_more"])


# ------------------------------------------------------------------ out-of-range input


def test_a_world_too_large_for_the_machine_is_refused_before_allocating():
    # 10**12 customers need petabytes: the estimate says so at once, naming the value.
    with pytest.raises(ValueError) as e:
        make_world(10**12)
    msg = str(e.value)
    assert "1,000,000,000,000 customers" in msg and "GiB" in msg and "available" in msg
    assert "fewer customers" in msg


def test_the_command_line_refuses_a_huge_world_in_one_line(capsys, tmp_path):
    from crmkit.cli import main

    out = tmp_path / "big"
    assert main(["generate", "--customers", "1000000000", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("crmkit generate: error: ") and "GiB" in err, err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_memory_estimate_grows_with_customers_and_months():
    from crmkit.synth import world_memory_estimate

    one = world_memory_estimate(10_000)
    assert world_memory_estimate(20_000) == pytest.approx(2 * one, rel=0.01)
    # per customer: 800 bytes + 110 per month (24 months) + staff, times 1.25
    assert one == int(1.25 * (10_000 * (800 + 110 * 24) + 500 * 167))
    assert world_memory_estimate(10_000, start="2021-01-01") > one


@pytest.mark.parametrize("start", ["1900-01-01", "1969-12-31", "2250-01-01"])
def test_dates_outside_the_supported_range_are_refused(start):
    with pytest.raises(ValueError) as e:
        make_world(10, start=start, end="2024-12-31" if start < "2024" else "2260-01-01")
    assert "`start`" in str(e.value) and "1970-01-01" in str(e.value) and start in str(e.value)


def test_a_period_longer_than_thirty_years_is_refused():
    with pytest.raises(ValueError, match="longer than 30 years"):
        make_world(10, start="1980-01-01", end="2024-12-31")


def test_a_time_zone_is_dropped_and_the_calendar_date_kept():
    naive = make_world(60, random_state=4, start="2023-01-01", end="2023-12-31")
    aware = make_world(
        60,
        random_state=4,
        start=pd.Timestamp("2023-01-01 00:00", tz="Europe/Helsinki"),
        end=pd.Timestamp("2023-12-31 23:00", tz="America/New_York"),
    )
    pd.testing.assert_frame_equal(naive.customers, aware.customers)
    pd.testing.assert_frame_equal(naive.transactions, aware.transactions)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), 1e6, -3.5])
def test_satisfaction_effect_must_be_finite_and_in_range(value):
    with pytest.raises(ValueError) as e:
        make_world(10, satisfaction_effect=value)
    assert "satisfaction_effect" in str(e.value) and "-3 to 3" in str(e.value)


def test_component_weights_must_be_finite():
    nan = {"product": float("nan"), "peripheral": 0.3, "atmosphere": 0.3, "psychological": 0.4}
    with pytest.raises(ValueError, match="component_weights"):
        make_world(10, component_weights=nan)


@pytest.mark.parametrize(("locale", "seed"), [("en_US", 0), ("fa_IR", 5), ("pl_PL", 9)])
def test_customer_identity_draws_what_make_world_draws(locale, seed):
    from crmkit.synth import customer_identity

    who = customer_identity(300, locale=locale, random_state=seed)
    world = make_world(300, locale=locale, random_state=seed)
    pd.testing.assert_frame_equal(who, world.customers[who.columns], check_exact=True)
