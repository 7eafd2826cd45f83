"""Tests of crmkit.metrics.channels: omnichannel price consistency and the channel mix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmkit.metrics.channels import (
    INTERNAL_INDICATORS,
    ConsistencyCache,
    TouchpointCache,
    channel_consistency,
    channel_mix,
    channel_price_matrix,
    consistency_report,
    priced_campaign_types,
    touchpoint_profile,
)
from crmkit.synth import make_world


@pytest.fixture(scope="module")
def world():
    return make_world(3000, random_state=0)


def _three_campaigns():
    """Campaign 1: two channels, same price; 2: web quotes another price; 3: one channel only."""
    return pd.DataFrame(
        {
            "campaign_id": [1, 1, 2, 2, 2, 3, 4],
            "campaign_type": ["retention"] * 2 + ["cross_sell"] * 3 + ["retention", "acquisition"],
            "channel": ["shop", "email", "shop", "web", "email", "app", "web"],
            "offer_price": [45.0, 45.0, 81.0, 90.0, 81.0, 20.0, np.nan],
        }
    )


def test_channel_consistency_by_hand():
    out = channel_consistency(_three_campaigns())
    assert out["campaign_id"].tolist() == [1, 2]  # 3 has one channel, 4 no price
    assert out.columns.tolist() == [
        "campaign_id",
        "campaign_type",
        "n_channels",
        "channels",
        "min_price",
        "max_price",
        "spread",
        "spread_pct",
        "consistent",
        "odd_channels",
    ]
    one, two = out.iloc[0], out.iloc[1]
    assert one["consistent"] and one["spread"] == 0 and one["channels"] == "shop, email"
    assert not two["consistent"]
    assert (two["min_price"], two["max_price"], two["spread"]) == (81.0, 90.0, 9.0)
    assert two["spread_pct"] == pytest.approx(0.1)
    assert two["odd_channels"] == "web"
    assert two["campaign_type"] == "cross_sell"


def test_tolerance_forgives_rounding():
    c = _three_campaigns()
    c.loc[1, "offer_price"] = 45.004
    assert channel_consistency(c)["consistent"].iloc[0]
    assert not channel_consistency(c, tolerance=0.0)["consistent"].iloc[0]


def test_flags_exactly_the_generator_inconsistencies(world):
    out = channel_consistency(world.campaigns)
    flagged = sorted(out.loc[~out["consistent"], "campaign_id"])
    assert flagged == sorted(world.truth["inconsistent_campaigns"])
    assert len(flagged) > 0


def test_price_matrix_by_hand():
    m = channel_price_matrix(_three_campaigns())
    assert m.index.tolist() == [1, 2]
    assert m.columns.tolist() == ["shop", "web", "email"]  # concepts order, used channels only
    assert m.loc[2, "web"] == 90.0
    assert np.isnan(m.loc[1, "web"])
    full = channel_price_matrix(_three_campaigns(), multi_channel_only=False)
    assert full.index.tolist() == [1, 2, 3]


def test_price_matrix_on_a_world(world):
    m = channel_price_matrix(world.campaigns)
    out = channel_consistency(world.campaigns)
    assert sorted(m.index) == sorted(out["campaign_id"])
    spread = m.max(axis=1) - m.min(axis=1)
    np.testing.assert_allclose(
        spread.to_numpy(), out.set_index("campaign_id")["spread"].loc[m.index]
    )


def test_channel_mix_by_hand():
    t = pd.DataFrame(
        {
            "customer_id": [1, 1, 1, 2, 3],
            "channel": ["web", "web", "shop", "app", "web"],
            "amount": [10.0, 20.0, 5.0, 7.0, 1.0],
        }
    )
    c = pd.DataFrame(
        {
            "customer_id": [1, 2],
            "relationship_type": pd.Categorical(
                ["self_service", "transactional"],
                categories=["transactional", "self_service"],
                ordered=True,
            ),
        }
    )
    out = channel_mix(t, c)
    assert out["relationship_type"].tolist()[:3] == ["transactional"] * 3  # category order
    ss = out[out["relationship_type"] == "self_service"].set_index("channel")
    assert ss.loc["web", "transactions"] == 2 and ss.loc["web", "revenue"] == 30.0
    assert ss.loc["web", "share"] == pytest.approx(2 / 3)
    assert ss.loc["app", "transactions"] == 0
    assert out["transactions"].sum() == 4  # customer 3 is unknown: left out


def test_channel_mix_on_a_world(world):
    out = channel_mix(world.transactions, world.customers, by="lifecycle_stage")
    sums = out.groupby("lifecycle_stage")["share"].sum()
    np.testing.assert_allclose(sums, 1.0)
    assert out["transactions"].sum() == len(world.transactions)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.sampled_from([10.0, 10.0, 12.5]), min_size=2, max_size=6),
    st.randoms(use_true_random=False),
)
def test_consistency_properties(prices, rnd):
    channels = ["shop", "web", "app", "email", "phone", "social"][: len(prices)]
    c = pd.DataFrame({"campaign_id": 1, "channel": channels, "offer_price": prices})
    before = c.copy()
    out = channel_consistency(c)
    pd.testing.assert_frame_equal(c, before)
    assert out["consistent"].item() == (len(set(prices)) == 1)
    assert 0 <= out["spread_pct"].item() <= 1
    order = list(range(len(c)))
    rnd.shuffle(order)
    pd.testing.assert_frame_equal(channel_consistency(c.iloc[order]), out)


def test_errors():
    c = _three_campaigns()
    with pytest.raises(ValueError) as err:
        channel_consistency(c.drop(columns="offer_price"))
    assert "'offer_price'" in str(err.value) and "price_col=" in str(err.value)
    with pytest.raises(TypeError, match="prices"):
        channel_consistency(c.assign(offer_price="cheap"))
    with pytest.raises(ValueError, match=">= 0"):
        channel_consistency(c, tolerance=-1)
    with pytest.raises(ValueError, match="more than one channel"):
        channel_price_matrix(c[c["campaign_id"] == 3])
    with pytest.raises(ValueError, match="is empty"):
        channel_consistency(c.iloc[:0])
    with pytest.raises(TypeError, match="name of a customers column"):
        channel_mix(pd.DataFrame(), pd.DataFrame(), by=["a"])
    with pytest.raises(ValueError, match="by="):
        channel_mix(
            pd.DataFrame({"customer_id": [1], "channel": ["web"], "amount": [1.0]}),
            pd.DataFrame({"customer_id": [1]}),
        )


# --------------------------------------------------------------------------- consistency reports
@pytest.fixture
def offers():
    return pd.DataFrame(
        {
            "campaign_id": [1, 1, 2, 2, 2, 3, 4],
            "campaign_type": ["retention"] * 2 + ["cross_sell"] * 3 + ["win_back", "retention"],
            "channel": ["shop", "web", "shop", "web", "email", "web", "app"],
            "offer_price": [50.0, 50.0, 20.0, 18.0, 20.0, 9.0, np.nan],
        }
    )


def test_priced_campaign_types_keeps_multi_channel_prices(offers):
    assert priced_campaign_types(offers) == ["retention", "cross_sell"]


def test_consistency_report_against_truth(offers):
    r = consistency_report(offers, tolerance=0.0, truth=[2, 3])
    assert r["n_checked"] == 2  # campaign 3 has one channel, 4 no price
    assert r["inconsistent"]["campaign_id"].tolist() == [2]
    assert (r["found"], r["missed"], r["false_alarms"]) == (1, 0, 0)
    loose = consistency_report(offers, tolerance=2.0, truth=[2])
    assert loose["inconsistent"].empty and loose["missed"] == 1
    assert "found" not in consistency_report(offers)


def test_consistency_cache_by_hand(offers):
    cache = ConsistencyCache(offers, truth=[2])
    assert cache.types == ["retention", "cross_sell"]
    from crmkit import concepts

    order = [c for c in concepts.keys(concepts.CHANNELS) if c in ("shop", "web", "email")]
    assert [c for c, _ in cache.prices(2)] == order  # the kit's channel order
    assert dict(cache.prices(2)) == {"shop": 20.0, "web": 18.0, "email": 20.0}
    assert cache.prices(4) == []  # no price
    assert cache.report("cross_sell", 0.0)["found"] == 1
    assert cache.report("retention", 0.0)["inconsistent"].empty
    assert not cache.check("all", 0.0).loc[2, "consistent"]
    assert cache.matrix("retention").index.tolist() == [1]


@pytest.fixture(scope="module")
def world600():
    return make_world(600, random_state=11)


def test_memoised_reports_equal_consistency_report(world600):
    prep = ConsistencyCache(world600.campaigns, world600.truth["inconsistent_campaigns"])
    for kind in (*prep.types, "all"):
        sub = prep.subsets[kind]
        pd.testing.assert_frame_equal(prep.matrix(kind), channel_price_matrix(sub))
        for tol in (*np.arange(0.0, 20.5, 0.5), 0.01, 2.2222222222222223, 1e-10):
            fast = prep.report(kind, tol)
            slow = consistency_report(sub, tolerance=tol, truth=prep.truth)
            pd.testing.assert_frame_equal(fast["table"], slow["table"])
            pd.testing.assert_frame_equal(fast["inconsistent"], slow["inconsistent"])
            for key in ("n_checked", "found", "missed", "false_alarms"):
                assert fast[key] == slow[key], (kind, tol, key)


# --------------------------------------------------------------------------- touchpoints
def test_touchpoint_profile_by_hand():
    t = pd.DataFrame(
        {
            "touchpoint": ["a", "b", "c"],
            "product": [5.0, 6.0, np.nan],
            "peripheral": [4.0, 5.0, np.nan],
            "atmosphere": [5.0, 5.0, np.nan],
            "psychological": [5.0, 4.0, np.nan],
        }
    )
    truth = pd.DataFrame(
        {
            "product": [0.0, 0.2, 0.0],
            "peripheral": [0.0, 0.0, 0.0],
            "atmosphere": [0.0, 0.0, 0.0],
            "psychological": [0.0, -0.4, 0.0],
        },
        index=["a", "b", "c"],
    )
    p = touchpoint_profile(t, "b", truth)
    assert p["difference"].tolist() == [0.5, 0.5, 0.0, -0.5]
    assert p["true_effect"].round(6).tolist() == [0.1, 0.0, 0.0, -0.2]
    with pytest.raises(ValueError, match="unknown touchpoint"):
        touchpoint_profile(t, "z")


def test_touchpoint_cache_equals_direct_tables(small_world):
    from crmkit.metrics.satisfaction import touchpoint_satisfaction

    truth = small_world.truth["touchpoint_effects"]
    cache = TouchpointCache(small_world.surveys, small_world.interactions, truth)
    assert list(cache.tables) == list(INTERNAL_INDICATORS)
    for internal in INTERNAL_INDICATORS:
        direct = touchpoint_satisfaction(
            small_world.surveys, small_world.interactions, internal=internal
        )
        pd.testing.assert_frame_equal(cache.tables[internal], direct)
    pd.testing.assert_frame_equal(
        cache.profile("complaint_share", "billing"),
        touchpoint_profile(cache.tables["complaint_share"], "billing", truth),
    )
    assert cache.row("share_resolved", "billing")["office"] == "back"


def test_consistency_cache_rows_cut_inconsistent_first(offers):
    cache = ConsistencyCache(offers)
    matrix, total = cache.rows("all", 0.0)
    assert matrix.index.tolist() == [1, 2] and total == 2
    matrix, total = cache.rows("all", 0.0, max_rows=1)
    assert matrix.index.tolist() == [2] and total == 2  # the inconsistent one kept
    assert set(matrix.columns) == {"shop", "web", "email"}  # the channels it uses
    matrix, total = cache.rows("all", 0.0, only_inconsistent=True)
    assert matrix.index.tolist() == [2] and total == 1
    matrix, total = cache.rows("all", 5.0, only_inconsistent=True)
    assert matrix.empty and total == 0
