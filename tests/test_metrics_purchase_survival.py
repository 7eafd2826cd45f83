"""Survival and value at risk from purchases alone (a team's transactions export).

Tests ``churn_gap``, ``purchase_lifetimes``, ``purchase_survival`` in
``crmkit/metrics/retention.py`` and ``value_at_risk`` in ``crmkit/metrics/value.py``:
a hand-made export worked out on paper (below), then the same functions against
an independent plain-pandas computation on a generated world.

The hand-made export (days from 2024-01-01, the data ends 2024-12-31 = day 365;
gap 30 days; a month is 365.25 / 12 = 30.44 days):

======  ===================================  ============================================
cust.   purchase days (amount)               on paper
======  ===================================  ============================================
A       0 (10), 10 (10), 20 (10)             last at 20, 345 days before the end: gone at
                                             20; 20 days -> month 0; not active
B       0 (5), 100 (5), 110 (5)              pause of 100 after day 0: gone at 0 (month 0),
                                             won back at 100; 110 is 255 days old: inactive
C       300 (10), 340 (20), 350 (30)         pause of 40 after 300: gone at 300 (month 0),
                                             won back; spell 340-350 (tenure month 0),
                                             active (15 days)
D       0, 25, 50, 75 (each 10)              gone at 75: 75 days -> month 2
E       200, 220, ..., 360 (9 x 10)          no pause; censored at 360: 160 days -> month
                                             5; active (5 days)
F       364 (100)                            censored at 364 (month 0); active (1 day)
G       50 (8), then a refund -8 at 60       a refund is not a purchase: gone at 50
======  ===================================  ============================================

Kaplan-Meier (7 customers): month 0 ends A, B, C, F, G (A, B, C, G defect), month 2
ends D (defects), month 5 ends E (censored). At risk: 7, 7, 2, 2, 1, 1, 1 for months
0..6; defections 0, 4, 0, 1, 0, 0, 0; survival 1, 3/7, 3/7, 3/14, 3/14, 3/14, 3/14.

Value at risk (months=12: the whole of 2024; tenure: first to last purchase): C 50 days,
month 1 -> risk 1 - S(13)/S(1) = 1 - (3/14)/(3/7) = 1/2 (the curve stays flat after month
6), value 60; E 160 days, month 5 -> 1 - S(17)/S(5) = 0, value 90; F tenure 0 -> 1 -
S(12)/S(0) = 11/14, value 100.

Gaps between repeat purchases (distinct days): A 10, 10; B 100, 10; C 40, 10; D 25,
25, 25; E 20 x 8: 17 gaps; the 0.9 quantile sits at position 0.9 x 16 = 14.4 of the
sorted gaps (from 0), between 25 and 40, and an observed gap is taken: the higher, 40 days.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmkit import load_world
from crmkit.metrics.retention import (
    DAYS_PER_MONTH,
    churn_gap,
    purchase_lifetimes,
    purchase_survival,
)
from crmkit.metrics.value import value_at_risk
from crmkit.own_data import import_transactions

DAY0 = pd.Timestamp("2024-01-01")
END = "2024-12-31"  # the data's last date (day 365); its last purchase is on day 364
ROWS = (
    [("A", d, 10) for d in (0, 10, 20)]
    + [("B", d, 5) for d in (0, 100, 110)]
    + [("C", 300, 10), ("C", 340, 20), ("C", 350, 30)]
    + [("D", d, 10) for d in (0, 25, 50, 75)]
    + [("E", d, 10) for d in range(200, 361, 20)]
    + [("F", 364, 100), ("G", 50, 8), ("G", 60, -8)]
)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The hand-made export, through ``crmkit import`` and ``load_world``."""
    tmp = tmp_path_factory.mktemp("hand")
    lines = ["customer,day,paid"] + [
        f"{c},{(DAY0 + pd.Timedelta(days=d)).date()},{a}" for c, d, a in ROWS
    ]
    (tmp / "export.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    folder = import_transactions(tmp / "export.csv", tmp / "ours",
                                 columns={"customer_id": "customer", "date": "day",
                                          "amount": "paid"})  # fmt: skip
    return load_world(folder)


def _letters(frame, folder_ids):
    return frame.assign(customer=frame["customer_id"].map(folder_ids)).set_index("customer")


@pytest.fixture(scope="module")
def letters(world):
    # customer numbers follow the sorted export ids: A=1, B=2, ... G=7
    return dict(enumerate("ABCDEFG", start=1))


def test_the_gap_is_worked_out_on_paper(world):
    assert churn_gap(world.transactions) == 40
    assert churn_gap(world.transactions, quantile=0.5) == 20  # the 9th of 17 sorted gaps


def test_lifetimes_on_paper(world, letters):
    life = _letters(purchase_lifetimes(world.transactions, gap_days=30, as_of=END), letters)
    assert life.attrs["gap_days"] == 30 and life.attrs["as_of"] == pd.Timestamp("2024-12-31")
    assert life["lifetime_days"].to_dict() == {"A": 20, "B": 0, "C": 0, "D": 75, "E": 160,
                                               "F": 0, "G": 0}  # fmt: skip
    assert life.index[life["defected"]].tolist() == ["A", "B", "C", "D", "G"]
    assert life.index[life["won_back"]].tolist() == ["B", "C"]
    assert life.index[life["active"]].tolist() == ["C", "E", "F"]
    assert life.loc["C", "spell_start"] == DAY0 + pd.Timedelta(days=340)
    assert life.loc["B", "spell_start"] == DAY0 + pd.Timedelta(days=100)
    assert life.loc["G", "last_purchase"] == DAY0 + pd.Timedelta(days=50)  # a refund is no purchase


def test_survival_on_paper(world):
    km = purchase_survival(world.transactions, gap_days=30, as_of=END)
    assert km["month"].tolist() == list(range(7))
    assert km["at_risk"].tolist() == [7, 7, 2, 2, 1, 1, 1]
    assert km["defections"].tolist() == [0, 4, 0, 1, 0, 0, 0]
    np.testing.assert_allclose(km["survival"], [1, 3 / 7, 3 / 7, 3 / 14, 3 / 14, 3 / 14, 3 / 14])
    assert (km["group"] == "all").all() and km.attrs["gap_days"] == 30


def test_value_at_risk_on_paper(world, letters):
    var = _letters(value_at_risk(world.transactions, gap_days=30, as_of=END), letters)
    assert var.index.tolist() == ["C", "E", "F"]
    assert var["tenure_months"].tolist() == [1, 5, 0]
    assert var["recency_days"].tolist() == [15, 5, 1]
    assert var["purchases"].tolist() == [3, 9, 1]
    np.testing.assert_allclose(var["value"], [60, 90, 100])
    np.testing.assert_allclose(var["churn_risk"], [1 / 2, 0, 11 / 14])
    np.testing.assert_allclose(var["value_at_risk"], [30, 0, 100 * 11 / 14])
    # a shorter window and horizon: the last month only (after 2024-11-30)
    one = _letters(value_at_risk(world.transactions, gap_days=30, months=1, as_of=END), letters)
    np.testing.assert_allclose(one["value"], [50, 20, 100])
    np.testing.assert_allclose(one["churn_risk"], [0, 0, 4 / 7])  # C: 1 - S(2)/S(1); F: S(1)


def test_an_earlier_as_of_leaves_later_purchases_out(world, letters):
    life = _letters(purchase_lifetimes(world.transactions, gap_days=30, as_of="2024-03-01"),
                    letters)  # fmt: skip
    assert life.index.tolist() == ["A", "B", "D", "G"]  # C, E and F had not bought yet
    assert not life.loc["D", "defected"]
    assert life.loc["D", "lifetime_days"] == 50  # censored at day 50: 10 days before 1 March


def test_errors_say_what_to_do(world):
    with pytest.raises(ValueError, match="quantile"):
        churn_gap(world.transactions, quantile=0)
    with pytest.raises(ValueError, match="gap_days"):
        purchase_lifetimes(world.transactions, gap_days=0)
    one = world.transactions.drop_duplicates("customer_id")
    with pytest.raises(ValueError, match="gap_days="):
        churn_gap(one)
    with pytest.raises(ValueError, match="amount_col"):
        value_at_risk(world.transactions.drop(columns="amount"))


# --------------------------------------------------------------------- against plain pandas
def _pandas_lifetimes(t, gap, end):
    """The definition, written the slow and obvious way (a loop over customers)."""
    rows = []
    t = t[t["amount"] > 0]
    for cid, g in t.groupby("customer_id"):
        days = sorted(set(g["date"]))
        after = [(b - a).days for a, b in zip(days, days[1:], strict=False)]
        after.append((end - days[-1]).days)
        lapses = [i for i, x in enumerate(after) if x > gap]
        ended = days[lapses[0]] if lapses else days[-1]
        starts = [0] + [i + 1 for i in lapses if i + 1 < len(days)]
        rows.append({"customer_id": cid, "lifetime_days": (ended - days[0]).days,
                     "defected": bool(lapses), "spell_start": days[starts[-1]],
                     "last_purchase": days[-1], "first_purchase": days[0],
                     "active": after[-1] <= gap})  # fmt: skip
    return pd.DataFrame(rows)


def _pandas_km(life):
    months = (life["lifetime_days"] / DAYS_PER_MONTH).apply(np.floor).astype(int)
    surv, s = [1.0], 1.0
    for k in range(1, months.max() + 2):
        at_risk = (months >= k - 1).sum()
        dead = ((months == k - 1) & life["defected"]).sum()
        s *= 1 - dead / at_risk if at_risk else 1
        surv.append(s)
    return np.array(surv)


def test_agrees_with_an_independent_pandas_computation():
    from crmkit import make_world

    t = make_world(400, random_state=3, tables=()).transactions
    end = t["date"].max().normalize()
    gap = churn_gap(t)
    same = t[t["amount"] > 0].drop_duplicates(["customer_id", "date"]).sort_values(
        ["customer_id", "date"])  # fmt: skip
    gaps = same.groupby("customer_id")["date"].diff().dt.days.dropna()
    assert gap == int(gaps.quantile(0.9, interpolation="higher"))
    ours = purchase_lifetimes(t, gap_days=gap)
    ref = _pandas_lifetimes(t, gap, end)
    pd.testing.assert_series_equal(ours["lifetime_days"], ref["lifetime_days"], check_dtype=False)
    assert ours["defected"].tolist() == ref["defected"].tolist()
    assert ours["active"].tolist() == ref["active"].tolist()
    assert (ours["spell_start"].to_numpy() == ref["spell_start"].to_numpy()).all()
    km = purchase_survival(t, gap_days=gap)
    np.testing.assert_allclose(km["survival"], _pandas_km(ref))
    var = value_at_risk(t, gap_days=gap).set_index("customer_id")
    act = ref[ref["active"]].set_index("customer_id")
    assert var.index.tolist() == act.index.tolist()
    window = t[(t["date"] > end - pd.DateOffset(months=12)) & (t["date"] <= end)]
    spend = window.groupby("customer_id")["amount"].sum().reindex(act.index, fill_value=0)
    np.testing.assert_allclose(var["value"], spend.clip(lower=0))
    s = _pandas_km(ref)
    tenure = ((act["last_purchase"] - act["first_purchase"]).dt.days / DAYS_PER_MONTH).apply(
        np.floor).astype(int)  # fmt: skip
    s_at = s[np.minimum(tenure, len(s) - 1)]
    s_later = s[np.minimum(tenure + 12, len(s) - 1)]
    np.testing.assert_allclose(var["churn_risk"], np.where(s_at > 0, 1 - s_later / s_at, 1.0))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 6), st.integers(0, 400), st.floats(-20, 200)),
             min_size=2, max_size=60),
    st.integers(1, 120),
)  # fmt: skip
def test_invariants(rows, gap):
    t = pd.DataFrame(rows, columns=["customer_id", "day", "amount"])
    t["date"] = DAY0 + pd.to_timedelta(t["day"], unit="D")
    if not (t["amount"] > 0).any():
        return
    km = purchase_survival(t, gap_days=gap)
    assert km["survival"].between(0, 1).all() and km["survival"].is_monotonic_decreasing
    var = value_at_risk(t, gap_days=gap)
    assert var["churn_risk"].between(0, 1).all() and (var["value"] >= 0).all()
    assert (var["value_at_risk"] <= var["value"] + 1e-9).all()
    assert (var["recency_days"] <= gap).all()
