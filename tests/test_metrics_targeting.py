"""crmkit.metrics.targeting: whom a retention campaign should go to, within a budget."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

import crmkit
from crmkit.metrics.retention import DAYS_PER_MONTH
from crmkit.metrics.targeting import (
    TARGETING_BANDS,
    retention_base,
    target_customers,
    targeted_by_stage,
    targeting_summary,
)

SATISFIED, NOT_SATISFIED, NO_SURVEY = TARGETING_BANDS


@pytest.fixture(scope="module")
def world():
    return crmkit.make_world(800, random_state=5)


@pytest.fixture(scope="module")
def big_world():
    return crmkit.make_world(4000, random_state=21)


def _tiny():
    """Four committed customers from 2023-01-01; 2 and 4 leave (2024-01-01, 2023-07-02)."""
    d = pd.to_datetime
    return SimpleNamespace(
        customers=pd.DataFrame(
            {
                "customer_id": [1, 2, 3, 4],
                "lifecycle_stage": ["commitment", "dissolution", "commitment", "dissolution"],
                "relationship_type": ["contractual"] * 4,
                "loyalty_member": [True, False, False, False],
            }
        ),
        transactions=pd.DataFrame(
            {
                "customer_id": [1, 1, 3],
                "date": d(["2022-12-01", "2023-06-01", "2023-12-31"]),
                "margin": [50.0, 100.0, 40.0],
            }
        ),
        stage_history=pd.DataFrame(
            {
                "customer_id": [1, 2, 2, 3, 4, 4],
                "stage": [
                    "commitment",
                    "commitment",
                    "dissolution",
                    "commitment",
                    "commitment",
                    "dissolution",
                ],
                "start_date": d(
                    [
                        "2023-01-01",
                        "2023-01-01",
                        "2024-01-01",
                        "2023-01-01",
                        "2023-01-01",
                        "2023-07-02",
                    ]
                ),
                "end_date": d([None, "2024-01-01", None, None, "2023-07-02", None]),
            }
        ),  # fmt: skip
        surveys=pd.DataFrame(
            {
                "customer_id": [1, 3, 4, 3],
                "date": d(["2023-05-01", "2023-05-01", "2023-05-01", "2024-06-01"]),
                "overall": [7, 3, 2, 7],  # 3's answer of 7 comes after the reference date
            }
        ),
        interactions=pd.DataFrame({"customer_id": [3, 1], "kind": ["suggestion", "complaint"]}),
    )


def test_retention_base_by_hand():
    base = retention_base(_tiny()).set_index("customer_id")
    assert base.index.tolist() == [1, 3]  # 2 and 4 have left
    assert base["band"].tolist() == [SATISFIED, NOT_SATISFIED]
    assert base["satisfaction"].tolist() == [7.0, 3.0]
    # the last 12 months (365 days) up to 2024-01-01: 1 bought once (100), 3 once (40)
    assert base["purchases"].tolist() == [1, 1]
    assert base["margin"].tolist() == [100.0, 40.0]
    assert base["suggests"].tolist() == [False, True]
    # defections per month at risk; a cell borrows 12 months at its stage's rate
    year, half = 365 / DAYS_PER_MONTH, 182 / DAYS_PER_MONTH
    prior = 2 / (3 * year + half)  # commitment: 2 left in 3 years and a half
    satisfied = (0 + 12 * prior) / (year + 12)  # customer 1
    unhappy = (1 + 12 * prior) / (year + half + 12)  # customers 3 and 4 (4 left)
    assert base["monthly_churn"].tolist() == pytest.approx([satisfied, unhappy])
    risk = 1 - (1 - np.array([satisfied, unhappy])) ** 12
    assert base["churn_risk"].tolist() == pytest.approx(risk)
    assert base["value_at_risk"].tolist() == pytest.approx(risk * [100.0, 40.0])


def test_retention_base_as_of_and_months():
    base = retention_base(_tiny(), as_of="2023-06-30", months=6)
    assert sorted(base["customer_id"]) == [1, 3]
    assert base.set_index("customer_id")["margin"].tolist() == [100.0, 0.0]
    with pytest.raises(ValueError, match="months"):
        retention_base(_tiny(), months=0)
    with pytest.raises(TypeError, match="months"):
        retention_base(_tiny(), months=1.5)
    with pytest.raises(ValueError, match="as_of"):
        retention_base(_tiny(), as_of="soon")
    with pytest.raises(TypeError, match="World"):
        retention_base(_tiny().customers)


def test_retention_base_rows_and_ranges(world):
    base = retention_base(world)
    active = world.customers["lifecycle_stage"].astype(str) != "dissolution"
    assert sorted(base["customer_id"]) == sorted(world.customers.loc[active, "customer_id"])
    assert base["churn_risk"].between(0, 1).all()
    assert (base["value_at_risk"] >= 0).all()
    assert set(base["band"]) <= set(TARGETING_BANDS)
    assert base.loc[base["satisfaction"].isna(), "band"].eq(NO_SURVEY).all()


def test_retention_base_satisfied_and_committed_leave_less(big_world):
    base = retention_base(big_world)
    rate = base.groupby(["lifecycle_stage", "band"], observed=True)["monthly_churn"].first()
    for stage in ("awareness", "expansion", "commitment"):
        assert rate[(stage, SATISFIED)] < rate[(stage, NOT_SATISFIED)]
    by_stage = base.groupby("lifecycle_stage", observed=True)["monthly_churn"].mean()
    assert by_stage["commitment"] < by_stage["exploration"]


BASE = pd.DataFrame(
    {
        "customer_id": [1, 2, 3, 4],
        "lifecycle_stage": ["commitment", "awareness", "commitment", "expansion"],
        "margin": [300.0, 100.0, 50.0, 500.0],
        "satisfaction": [7.0, 4.0, np.nan, 6.0],
        "value_at_risk": [30.0, 40.0, 5.0, 50.0],
    }
)


def test_targets_rank_by_value_and_respect_the_budget():
    t = target_customers(BASE, budget=25, cost_per_customer=10, churn_cut=0.5)
    assert t["customer_id"].tolist() == [4, 2, 1, 3]
    assert t["targeted"].tolist() == [True, True, False, False]
    assert t["kept_margin"].tolist() == [25.0, 20.0, 15.0, 2.5]
    assert t["cum_kept_margin"].tolist() == [25.0, 45.0, 60.0, 62.5]
    assert t["cum_cost"].tolist() == [10.0, 20.0, 30.0, 40.0]
    s = targeting_summary(t)
    assert s == {
        "eligible": 4,
        "targeted": 2,
        "cost": 20.0,
        "kept_margin": 45.0,
        "net": 25.0,
        "worth_it": 3,
        "unused_budget": 5.0,
    }


def test_targets_filters():
    assert target_customers(BASE, min_margin=100)["customer_id"].tolist() == [4, 2, 1]
    # a satisfaction bar drops customers without a survey
    assert target_customers(BASE, min_satisfaction=6)["customer_id"].tolist() == [4, 1]
    assert target_customers(BASE, committed_only=True)["customer_id"].tolist() == [1, 3]
    none = target_customers(BASE, min_margin=10_000)
    assert none.empty and targeting_summary(none)["targeted"] == 0
    assert not target_customers(BASE, budget=0)["targeted"].any()


def test_targets_do_not_modify_the_base():
    before = BASE.copy()
    target_customers(BASE, budget=25)
    pd.testing.assert_frame_equal(BASE, before)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(budget=-5),
        dict(cost_per_customer=0),
        dict(churn_cut=1.5),
        dict(min_satisfaction=9),
        dict(budget=float("nan")),
    ],
)
def test_targets_refuse_bad_values(kwargs):
    with pytest.raises(ValueError, match="target_customers"):
        target_customers(BASE, **kwargs)


def test_targets_refuse_text():
    with pytest.raises(TypeError, match="budget"):
        target_customers(BASE, budget="5000")


def test_targeted_by_stage():
    t = target_customers(BASE, budget=30, cost_per_customer=10)  # 4, 2 and 1
    counts = targeted_by_stage(t)
    assert counts.to_dict() == {"exploration": 0, "awareness": 1, "expansion": 1, "commitment": 1}
    assert targeted_by_stage(t.iloc[:0]).sum() == 0
    with pytest.raises(TypeError, match="target_customers"):
        targeted_by_stage(BASE)
