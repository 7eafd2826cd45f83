"""crmkit.metrics.acquisition: channel rates, budget plans and where a plan starts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import crmkit
from crmkit import concepts
from crmkit.metrics.acquisition import (
    channel_rates,
    monthly_acquisition_budget,
    plan_acquisition,
    spend_weights,
)

# three acquisition campaigns (two on the web) and one win-back campaign
CAMPAIGNS = pd.DataFrame(
    {
        "campaign_id": [1, 2, 3, 4],
        "channel": ["shop", "web", "web", "email"],
        "campaign_type": ["acquisition", "acquisition", "acquisition", "win_back"],
        "reach": [100, 400, 600, 50],
        "cost": [1200.0, 300.0, 200.0, 99.0],
        "start_date": pd.to_datetime(["2024-01-03", "2024-01-20", "2024-02-10", "2024-02-11"]),
    }
)
# shop won 8 customers, web 20 (5 + 15), nobody came from email; one came by referral
CUSTOMERS = pd.DataFrame({"acquisition_campaign_id": [1] * 8 + [2] * 5 + [3] * 15 + [4, np.nan]})

RATES = pd.DataFrame(
    {
        "channel": ["shop", "web", "social"],
        "contact_cost": [12.0, 0.5, 2.0],
        "conversion_rate": [0.08, 0.02, 0.0],
    }
)


@pytest.fixture(scope="module")
def big_world():
    return crmkit.make_world(4000, random_state=21)


# --------------------------------------------------------------------------- channel_rates
def test_channel_rates_by_hand():
    r = channel_rates(CUSTOMERS, CAMPAIGNS).set_index("channel")
    assert r.index.tolist() == ["shop", "web"]  # acquisition channels only, kit order
    assert r.loc["shop", "name"] == concepts.labels(concepts.CHANNELS)["shop"]
    assert r.loc["shop", "reach"] == 100 and r.loc["web", "reach"] == 1000
    assert r.loc["shop", "new_customers"] == 8 and r.loc["web", "new_customers"] == 20
    assert r.loc["shop", "contact_cost"] == pytest.approx(12.0)  # 1,200 / 100
    assert r.loc["web", "contact_cost"] == pytest.approx(0.5)  # 500 / 1,000
    assert r.loc["shop", "conversion_rate"] == pytest.approx(0.08)
    assert r.loc["web", "conversion_rate"] == pytest.approx(0.02)
    assert r.loc["shop", "cost_per_acquisition"] == pytest.approx(150.0)  # 1,200 / 8
    assert r.loc["web", "cost_per_acquisition"] == pytest.approx(25.0)  # 500 / 20
    assert r["spend_share"].tolist() == pytest.approx([1200 / 1700, 500 / 1700])


def test_channel_rates_a_channel_that_won_nobody():
    customers = CUSTOMERS[CUSTOMERS["acquisition_campaign_id"] != 1]
    r = channel_rates(customers, CAMPAIGNS).set_index("channel")
    assert r.loc["shop", "conversion_rate"] == 0.0
    assert np.isnan(r.loc["shop", "cost_per_acquisition"])


def test_channel_rates_do_not_modify_their_input():
    before = CAMPAIGNS.copy(), CUSTOMERS.copy()
    channel_rates(CUSTOMERS, CAMPAIGNS)
    pd.testing.assert_frame_equal(CAMPAIGNS, before[0])
    pd.testing.assert_frame_equal(CUSTOMERS, before[1])


def test_channel_rates_find_the_true_conversion(big_world):
    rates = channel_rates(big_world.customers, big_world.campaigns).set_index("channel")
    truth = big_world.truth["channel_conversion"]
    rel = (rates["conversion_rate"] / truth.reindex(rates.index) - 1).abs()
    assert (rel < 0.2).all(), rates["conversion_rate"]
    cpa_truth = big_world.truth["channel_cost_per_acquisition"].reindex(rates.index)
    assert ((rates["cost_per_acquisition"] / cpa_truth - 1).abs() < 0.25).all()
    assert rates["spend_share"].sum() == pytest.approx(1)


# --------------------------------------------------------------------------- plan_acquisition
def test_plan_splits_the_budget_by_weight():
    plan = plan_acquisition(RATES, 1200, {"shop": 2, "web": 1})
    shop, web, social, total = (plan.iloc[i] for i in range(4))
    assert shop["spend"] == pytest.approx(800) and web["spend"] == pytest.approx(400)
    assert social["spend"] == 0
    assert shop["contacts"] == pytest.approx(800 / 12)
    assert shop["new_customers"] == pytest.approx(800 / 12 * 0.08)
    assert web["new_customers"] == pytest.approx(16)
    assert total["channel"] == "total"
    assert total["new_customers"] == pytest.approx(shop["new_customers"] + 16)
    assert total["cost_per_acquisition"] == pytest.approx(1200 / total["new_customers"])


def test_plan_weights_are_relative_and_zero_conversion_has_no_cpa():
    a = plan_acquisition(RATES, 1000, {"shop": 1, "social": 1})
    b = plan_acquisition(RATES, 1000, pd.Series({"shop": 50, "social": 50}))
    pd.testing.assert_frame_equal(a, b)
    assert np.isnan(a.set_index("channel").loc["social", "cost_per_acquisition"])
    zero = plan_acquisition(RATES, 0, {"shop": 1})
    assert zero["new_customers"].sum() == 0 and zero["cost_per_acquisition"].isna().all()


@pytest.mark.parametrize(
    "budget, shares, error",
    [
        (-1, {"shop": 1}, ValueError),
        (float("inf"), {"shop": 1}, ValueError),
        (100, {"shop": 0, "web": 0}, ValueError),
        (100, {"tv": 1}, ValueError),
        (100, {"shop": -1, "web": 2}, ValueError),
        ("100", {"shop": 1}, TypeError),
        (True, {"shop": 1}, TypeError),
        (100, [1, 2], TypeError),
    ],
)
def test_plan_refuses_bad_input(budget, shares, error):
    with pytest.raises(error, match="plan_acquisition"):
        plan_acquisition(RATES, budget, shares)


def test_plan_refuses_a_table_that_is_not_rates():
    with pytest.raises(ValueError, match="channel_rates"):
        plan_acquisition(RATES.drop(columns="contact_cost"), 100, {"shop": 1})


# --------------------------------------------------------------------------- where a plan starts
def test_monthly_budget_by_hand():
    rates = channel_rates(CUSTOMERS, CAMPAIGNS)
    # 1,700 of acquisition spend over two months (January, February) -> 850 -> 1,000
    assert monthly_acquisition_budget(rates, CAMPAIGNS) == 1000.0
    assert monthly_acquisition_budget(rates, CAMPAIGNS, step=200) == 800.0
    # never below one step
    assert monthly_acquisition_budget(rates.assign(spend=10.0), CAMPAIGNS) == 500.0
    with pytest.raises(ValueError, match="step"):
        monthly_acquisition_budget(rates, CAMPAIGNS, step=0)


def test_spend_weights_are_whole_percent():
    rates = channel_rates(CUSTOMERS, CAMPAIGNS)
    assert spend_weights(rates) == {"shop": 71, "web": 29}  # 1,200 and 500 of 1,700
    plan = plan_acquisition(rates, 1700, spend_weights(rates))
    assert plan["spend"].iloc[:2].tolist() == pytest.approx([1700 * 71 / 100, 1700 * 29 / 100])
