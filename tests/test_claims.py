"""crmkit.claims: the facts the lessons state hold on other seeds, locales and own data.

Each lesson prints its sentences from these functions; here every function runs on the
default dataset and on 5 seeds x 2 locales (3,000 customers, the lessons' default). A
claim a lesson states without a condition is asserted; a claim whose wording adapts is
checked for a consistent comparison; on a transactions-only folder every function
returns None (the lesson shows its "Not in this data" note instead).
"""

import numpy as np
import pandas as pd
import pytest

from crmkit import claims
from crmkit.lessons import lesson_world

SEEDS = (1, 2, 3, 4, 5)
LOCALES = ("en_US", "fa_IR")


@pytest.fixture(
    scope="module",
    params=[(None, "en_US")] + [(s, loc) for s in SEEDS for loc in LOCALES],
    ids=lambda p: f"seed{p[0]}-{p[1]}" if p[0] is not None else "default",
)
def world(request):
    seed, locale = request.param
    return lesson_world(random_state=seed, locale=locale)


@pytest.fixture(scope="module")
def own_data(tmp_path_factory):
    """A team's own data: transactions only (no surveys, contacts, stages or campaigns)."""
    folder = tmp_path_factory.mktemp("own")
    w = lesson_world(random_state=1, n_customers=300)
    w.transactions[["customer_id", "date", "amount"]].to_csv(
        folder / "transactions.csv", index=False
    )
    return lesson_world(folder)


def test_flow_and_band_table_count_the_same_customers(world):
    f = claims.flow_and_bands(world)
    assert f["flow_satisfied"] == f["band_satisfied"]
    assert f["flow_dissatisfied"] == f["band_dissatisfied"]


def test_lesson_01_satisfaction_and_portfolio(world):
    s = claims.satisfaction_by_stage(world)
    assert s["climbs"] and s["dissolution_lowest"]
    a = claims.active_base(world)
    assert a["grows"] and a["lost_below_active"]
    social = claims.social_contacts(world)
    assert social["top"] == "referral" and social["complaint_share"] < social["referral_share"]


def test_lesson_06_personal_touch_wording_follows_the_numbers(world):
    p = claims.personal_touch(world)
    assert p["some_fewer"] == (p["share_some"] < p["share_none"])
    assert p["table"]["customers"].sum() > 0


def test_lesson_11_dissatisfied_leave_most(world):
    left = claims.left_by_band(world)
    assert left["dissatisfied_most"] and left["satisfied_below_dissatisfied"]
    assert left["exceeded_below_satisfied"] in (True, False, None)  # the lesson's verb adapts


def test_lesson_07_channels_winback_and_growth(world):
    c = claims.channel_costs(world)
    assert c["best_is_not_cheapest"]  # "judge a channel by its cost per customer"
    w = claims.winback_against_acquisition(world)
    assert w["ratio"] > 1  # winning back costs more than acquiring
    growth = claims.signups_by_development_stage(world)
    assert growth.iloc[-1] > growth.iloc[0]  # sign-ups rise from discovery on


def test_lesson_09_flags(world):
    assert claims.supplier_endings(world)["mostly_customer"]
    fp = claims.flag_profits(world)
    assert fp["others_profitable"] and fp["flagged_profitable_share"] > 0.5
    prec = claims.flag_precision(world)["precision (%)"]
    assert prec.idxmin() == "destructive"  # "the destructive proxy is rarely right"
    rise = claims.price_rise_profits(world)
    assert (rise["profit change (%)"].notna()).all()


def test_lesson_05_and_12_care_and_signals(world):
    care = claims.care_and_staying(world)
    assert care["most_ends_less"]
    fu = claims.follow_up_speed(world)
    assert fu["most_without"] and fu["median_days"] <= 7
    sig = claims.attrition_signal(world)
    assert sig["ratio"] > 1


def test_claims_need_the_data_they_speak_of(own_data):
    for func in (
        claims.flow_and_bands,
        claims.satisfaction_by_stage,
        claims.active_base,
        claims.social_contacts,
        claims.personal_touch,
        claims.left_by_band,
        claims.channel_costs,
        claims.winback_against_acquisition,
        claims.signups_by_development_stage,
        claims.supplier_endings,
        claims.flag_profits,
        claims.flag_precision,
        claims.price_rise_profits,
        claims.care_and_staying,
        claims.follow_up_speed,
        claims.attrition_signal,
    ):
        assert func(own_data) is None, func.__name__


def test_latest_answers_keeps_the_later_row_on_a_tie():
    s = pd.DataFrame(
        {
            "customer_id": [1, 1, 2],
            "overall": [7, 3, 5],
            "date": pd.to_datetime(["2024-01-02", "2024-01-02", "2024-01-01"]),
        }
    )
    assert claims.latest_answers(s).to_dict() == {1: 3, 2: 5}
    assert not np.isnan(claims.latest_answers(s).sum())
