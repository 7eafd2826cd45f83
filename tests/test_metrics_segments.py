"""crmkit.metrics.segments: the numbers the segment explorer compares."""

import numpy as np
import pandas as pd
import pytest

import crmkit
from crmkit import concepts
from crmkit.metrics.segments import (
    GROUPINGS,
    MEASURES,
    customer_stats,
    segment_summaries,
    segment_summary,
)

CHANNELS = concepts.keys(concepts.CHANNELS)


@pytest.fixture(scope="module")
def world():
    return crmkit.make_world(600, random_state=11)


def _stats():
    """Four customers by hand: two transactional (one churned), two won back."""
    stats = pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 4],
            "relationship_type": ["transactional"] * 2 + ["continuous"] * 2,
            "origin": ["new_to_business", "new_to_business", "won_back", "won_back"],
            "purchases": [3, 1, 0, 6],
            "active_months": [6.0, 2.0, 1.0, 3.0],
            "revenue": [30.0, 10.0, 0.0, 60.0],
            "margin": [9.0, 3.0, 0.0, 12.0],
            "churned": [False, True, False, False],
        }
    )
    counts = {c: [0, 0, 0, 0] for c in CHANNELS}
    counts[CHANNELS[0]] = [3, 0, 0, 2]
    counts[CHANNELS[1]] = [0, 1, 0, 4]
    for c in CHANNELS:
        stats[f"n_{c}"] = counts[c]
    return stats


def test_segment_summary_by_hand():
    stats = _stats()
    before = stats.copy()
    rate = segment_summary(stats, "origin", "purchases_per_active_month")
    assert rate["group"].tolist() == ["new_to_business", "won_back"]  # the concepts' order
    assert rate["value"].tolist() == pytest.approx([4 / 8, 6 / 4])  # a ratio of sums
    assert rate["customers"].tolist() == [2, 2]
    assert segment_summary(stats, "origin", "revenue_per_customer")["value"].tolist() == [20, 30]
    assert segment_summary(stats, "origin", "share_churned")["value"].tolist() == [0.5, 0.0]
    main = segment_summary(stats, "origin", "main_channel")
    assert main["main_channel"].tolist() == [CHANNELS[0], CHANNELS[1]]
    assert main["value"].tolist() == pytest.approx([3 / 4, 4 / 6])
    assert main[f"share_{CHANNELS[1]}"].tolist() == pytest.approx([1 / 4, 4 / 6])
    assert main.attrs["measure"] == "main_channel" and main.attrs["by"] == "origin"
    pd.testing.assert_frame_equal(stats, before)  # the input is not modified


def test_segment_summaries_are_every_segment_summary(world):
    s = customer_stats(world)
    for by in GROUPINGS:
        every = segment_summaries(s, by)
        assert list(every) == list(MEASURES)
        for measure, got in every.items():
            want = segment_summary(s, by, measure)
            pd.testing.assert_frame_equal(got, want)
            assert got.attrs == want.attrs


def test_customer_stats_adds_up(world):
    s = customer_stats(world)
    assert len(s) == len(world.customers)
    assert s["purchases"].sum() == len(world.transactions)
    assert s["revenue"].sum() == pytest.approx(world.transactions["amount"].sum())
    chans = [f"n_{c}" for c in CHANNELS]
    assert (s[chans].sum(axis=1) == s["purchases"]).all()
    span = (pd.Timestamp(world.meta["end"]) - world.customers["signup_date"]).dt.days / (
        365.25 / 12
    )
    assert (s["active_months"] <= span.to_numpy() + 1e-9).all()
    assert (s.loc[s["purchases"] == 0, "segment"] == "no_purchase").all()
    assert s["churned"].sum() == world.customers["churn_date"].notna().sum()


def test_customer_stats_up_to_an_earlier_date(world):
    early = customer_stats(world, as_of="2024-01-01")
    late = customer_stats(world)
    assert early["purchases"].sum() == (world.transactions["date"] <= "2024-01-01").sum()
    assert (early["active_months"] <= late["active_months"] + 1e-9).all()


def test_segment_summary_measures(world):
    s = customer_stats(world)
    n = segment_summary(s, "relationship_type", "customers")
    assert n["group"].tolist() == [
        k for k in concepts.keys(concepts.RELATIONSHIP_TYPES) if k in set(s["relationship_type"])
    ]
    assert n["customers"].sum() == len(s)
    rate = segment_summary(s, "origin", "purchases_per_active_month")
    g = s[s["origin"] == "won_back"]
    expected = g["purchases"].sum() / g["active_months"].sum()
    assert rate.set_index("group").loc["won_back", "value"] == pytest.approx(expected)
    ch = segment_summary(s, "segment", "main_channel")
    shares = ch[[c for c in ch.columns if c.startswith("share_")]].sum(axis=1, min_count=1)
    assert np.allclose(shares.dropna(), 1.0)
    assert (ch["value"].dropna() == ch["main_share"].dropna()).all()
    churn = segment_summary(s, "loyalty_member", "share_churned")
    assert churn["value"].between(0, 1).all()


def test_purchase_rates_by_type_follow_the_latent_rates():
    w = crmkit.make_world(3000, random_state=2)
    s = customer_stats(w)
    t = segment_summary(s, "relationship_type", "purchases_per_active_month")
    latent = (
        w.truth["latent"]["purchase_rate"]
        .groupby(w.customers.set_index("customer_id")["relationship_type"])
        .mean()
    )
    est = t.set_index("group")["value"].reindex(latent.index.astype(str))
    assert np.corrcoef(est, latent)[0, 1] > 0.95


def test_segment_summary_teaches(world):
    s = customer_stats(world)
    with pytest.raises(ValueError, match="`measure` must be one of"):
        segment_summary(s, "origin", "revenue")
    with pytest.raises(ValueError, match="`by` must be a grouping column"):
        segment_summary(s, "colour", "customers")
    with pytest.raises(TypeError, match="customer_stats"):
        segment_summary(world.customers, "origin", "customers")
    with pytest.raises(ValueError, match="`by` must be a grouping column"):
        segment_summaries(s, "colour")
    with pytest.raises(TypeError, match="crmkit World"):
        customer_stats(world.customers)
