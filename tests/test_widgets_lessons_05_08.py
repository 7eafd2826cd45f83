"""The logic behind the widgets of lessons 05-08, tested without a browser.

strategy_self_assessment (05), retention_simulator (06), acquisition_explorer (07) and
retention_targeting (08): their pure functions on small hand-made inputs, and
the widgets' friendly handling of values that leave nothing to compute.
"""

import base64
import re

import numpy as np
import pandas as pd
import pytest

import crmkit
from crmkit import concepts
from crmkit.metrics.care import merge_scorecards, strategy_scorecard
from crmkit.widgets.acquisition import (
    acquisition_explorer,
    acquisition_explorer_figure,
    channel_rates,
    plan_acquisition,
)
from crmkit.widgets.economics import (
    economics_curve,
    economics_summary,
    retention_simulator,
    retention_simulator_figure,
)
from crmkit.widgets.retention import (
    TARGETING_BANDS,
    retention_base,
    retention_targeting,
    retention_targeting_figure,
    target_customers,
    targeting_summary,
)
from crmkit.widgets.strategy import (
    EXAMPLE_RATINGS,
    priorities_html,
    scorecard_download_link,
    strategy_self_assessment,
    strategy_self_assessment_figure,
)

KEYS = concepts.keys(concepts.STRATEGIES)


@pytest.fixture(scope="module")
def world():
    return crmkit.make_world(800, random_state=5)


@pytest.fixture(scope="module")
def big_world():
    return crmkit.make_world(4000, random_state=21)


# --------------------------------------------------------------------------- 05 scorecard
def _csv_of(link):
    data = re.search(r'href="data:text/csv;base64,([^"]+)"', link).group(1)
    return base64.b64decode(data).decode("utf-8")


def test_download_link_embeds_the_scorecard_csv(tmp_path):
    card = strategy_scorecard(EXAMPLE_RATINGS, participant="Team A")
    link = scorecard_download_link(card)
    assert link.startswith('<a download="scorecard.csv" href="data:text/csv;base64,')
    text = _csv_of(link)
    assert text.splitlines()[0].startswith("number,strategy,name,rating")
    path = tmp_path / "team_a.csv"
    path.write_text(text, encoding="utf-8")
    merged = merge_scorecards([path])
    assert merged["Team A"].tolist() == [float(EXAMPLE_RATINGS[k]) for k in KEYS]


def test_download_link_keeps_persian_names():
    card = strategy_scorecard(EXAMPLE_RATINGS, participant="تیم فروش")
    assert "تیم فروش" in _csv_of(scorecard_download_link(card))


def test_priorities_lists_largest_gaps_first_and_escapes():
    ratings = dict.fromkeys(KEYS, 5)
    ratings.update(staff_training=1, social_events=2)
    text = priorities_html(strategy_scorecard(ratings, participant="<b>x</b>"), top=2)
    assert "&lt;b&gt;x&lt;/b&gt;" in text and "<b>x</b>" not in text
    rows = re.findall(r"<tr><td>(\d)</td><td>(\d+)\. ([^<]+)</td>", text)
    assert [r[2] for r in rows] == ["Supply-chain staff training", "Social events"]


def test_self_assessment_widget_follows_sliders_and_team_name():
    w = strategy_self_assessment()
    assert set(w.controls) == {*KEYS, "participant"}
    assert all(w.controls[k].value == EXAMPLE_RATINGS[k] for k in KEYS)
    w.controls["social_events"].value = 5
    w.controls["organisation"].value = 5
    w.controls["participant"].value = "Billing & co"
    assert "Billing &amp; co" in w.summary.value
    assert "Export CSV" in w.summary.value
    csv = pd.read_csv(pd.io.common.StringIO(_csv_of(w.summary.value)))
    assert csv.set_index("strategy").loc["social_events", "rating"] == 5


def test_scorecard_figure_is_the_example():
    fig = strategy_self_assessment_figure()
    assert fig.axes[0].name == "polar"
    assert fig.scorecard["rating"].tolist() == [float(EXAMPLE_RATINGS[k]) for k in KEYS]


# --------------------------------------------------------------------------- 06 economics
def test_economics_curve_reproduces_reichheld():
    curve = economics_curve(0.8, margin=400, acquisition_cost=900, discount_rate=0.1)
    row = curve.loc[np.isclose(curve["retention"], 0.8)].iloc[0]
    assert row["cost_per_customer_year"] == pytest.approx(250)
    assert row["cost_per_customer_year_after"] == pytest.approx(205)
    table = economics_summary(row)
    assert table.loc["cost per customer-year", "change"] == pytest.approx(-0.18)
    assert table.loc["expected lifetime (years)", "after"] == pytest.approx(20 / 3)


def test_economics_curve_contains_an_off_grid_retention():
    curve = economics_curve(0.8123, margin=400, acquisition_cost=900, discount_rate=0.1)
    assert np.isclose(curve["retention"], 0.8123).sum() == 1
    assert curve["retention"].is_monotonic_increasing


@pytest.mark.parametrize("bad", [0.3, 0.97])
def test_economics_curve_refuses_retention_out_of_range(bad):
    with pytest.raises(ValueError, match="between"):
        economics_curve(bad, margin=400, acquisition_cost=900, discount_rate=0.1)


def test_simulator_summary_and_figure():
    w = retention_simulator()
    assert "-18%" in w.summary.value and "+78%" in w.summary.value
    w.controls["acquisition_cost"].value = 0
    assert "could not be computed" not in w.summary.value
    fig = retention_simulator_figure()
    assert len(fig.axes) == 2
    assert fig.summary.loc["lifetime profit", "before"] == pytest.approx(310)


# --------------------------------------------------------------------------- 07 acquisition
RATES = pd.DataFrame(
    {
        "channel": ["shop", "web", "social"],
        "contact_cost": [12.0, 0.5, 2.0],
        "conversion_rate": [0.08, 0.02, 0.0],
    }
)


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
    b = plan_acquisition(RATES, 1000, {"shop": 50, "social": 50})
    pd.testing.assert_frame_equal(a, b)
    assert np.isnan(a.set_index("channel").loc["social", "cost_per_acquisition"])
    zero = plan_acquisition(RATES, 0, {"shop": 1})
    assert zero["new_customers"].sum() == 0 and zero["cost_per_acquisition"].isna().all()


@pytest.mark.parametrize(
    "budget, shares, error",
    [
        (-1, {"shop": 1}, ValueError),
        (100, {"shop": 0, "web": 0}, ValueError),
        (100, {"tv": 1}, ValueError),
        (100, {"shop": -1, "web": 2}, ValueError),
        ("100", {"shop": 1}, TypeError),
        (100, [1, 2], TypeError),
    ],
)
def test_plan_refuses_bad_input(budget, shares, error):
    with pytest.raises(error, match="plan_acquisition"):
        plan_acquisition(RATES, budget, shares)


def test_channel_rates_find_the_true_conversion(big_world):
    rates = channel_rates(big_world.customers, big_world.campaigns).set_index("channel")
    truth = big_world.truth["channel_conversion"]
    rel = (rates["conversion_rate"] / truth.reindex(rates.index) - 1).abs()
    assert (rel < 0.2).all(), rates["conversion_rate"]
    cpa_truth = big_world.truth["channel_cost_per_acquisition"].reindex(rates.index)
    assert ((rates["cost_per_acquisition"] / cpa_truth - 1).abs() < 0.25).all()
    assert rates["spend_share"].sum() == pytest.approx(1)


def test_explorer_all_weights_zero_is_a_friendly_message(world):
    w = acquisition_explorer(world)
    for c in channel_rates(world.customers, world.campaigns)["channel"]:
        w.controls[c].value = 0
    assert "could not be computed" not in w.summary.value
    assert "weight of 0" in w.summary.value
    w.controls["web"].value = 10
    assert "new customers expected" in w.summary.value


def test_explorer_figure_shows_cost_per_acquisition(world):
    fig = acquisition_explorer_figure(world)
    assert "Cost per acquired customer" in fig.axes[0].get_xlabel()
    assert len(fig.rates) == len(concepts.CHANNELS)


# --------------------------------------------------------------------------- 08 retention
def test_retention_base_rows_and_ranges(world):
    base = retention_base(world)
    active = world.customers["lifecycle_stage"].astype(str) != "dissolution"
    assert sorted(base["customer_id"]) == sorted(world.customers.loc[active, "customer_id"])
    assert base["churn_risk"].between(0, 1).all()
    assert (base["value_at_risk"] >= 0).all()
    assert set(base["band"]) <= set(TARGETING_BANDS)
    assert base.loc[base["satisfaction"].isna(), "band"].eq("no survey").all()


def test_retention_base_satisfied_and_committed_leave_less(big_world):
    base = retention_base(big_world)
    rate = base.groupby(["lifecycle_stage", "band"], observed=True)["monthly_churn"].first()
    for stage in ("awareness", "expansion", "commitment"):
        assert rate[(stage, "satisfied (6-7)")] < rate[(stage, "not satisfied (1-5)")]
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


def test_targeting_widget_at_extreme_criteria_is_friendly(world):
    w = retention_targeting(world)
    w.controls["min_satisfaction"].value = 7
    w.controls["committed_only"].value = True
    w.controls["min_margin"].value = w.controls["min_margin"].max
    w.controls["budget"].value = 0
    assert "could not be computed" not in w.summary.value
    assert "<b>0</b> customers targeted" in w.summary.value or "No customer" in w.summary.value


def test_no_eligible_customer_gives_a_message_not_an_error(world):
    fig = retention_targeting_figure(world, min_margin=10**9)
    assert fig.summary["targeted"] == 0
    assert "No customer" in fig.axes[0].texts[0].get_text()
    w = retention_targeting(world)
    w.controls["min_margin"].max = 10**9
    w.controls["min_margin"].value = 10**9
    assert "could not be computed" not in w.summary.value
    assert "No customer meets these criteria" in w.summary.value
    assert "No customer" in w.figure.axes[0].texts[0].get_text()


def test_targeting_figure_at_default_criteria(world):
    fig = retention_targeting_figure(world)
    assert fig.summary["targeted"] <= 5000 / 10
    assert fig.targets["targeted"].sum() == fig.summary["targeted"]
