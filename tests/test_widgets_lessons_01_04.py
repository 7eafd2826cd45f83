"""The logic behind the widgets of lessons 01-04, tested without a browser.

customer_journey (journey.py), segment_explorer (segments.py), lifecycle_simulator
(lifecycle.py) and satisfaction_explorer (satisfaction.py).
"""

import re

import numpy as np
import pandas as pd
import pytest

import crmkit
from crmkit import concepts
from crmkit.plots import KIND_FAMILIES
from crmkit.widgets import journey, lifecycle, registry, satisfaction, segments


@pytest.fixture(scope="module")
def world():
    return crmkit.make_world(600, random_state=11)


@pytest.fixture(scope="module")
def fa_world():
    return crmkit.make_world(300, locale="fa_IR", random_state=5)


# --------------------------------------------------------------------------- registry
def test_the_four_widgets_are_registered():
    names = set(registry())
    assert {
        "customer_journey",
        "segment_explorer",
        "lifecycle_simulator",
        "satisfaction_explorer",
    } <= names


# --------------------------------------------------------------------------- journey
def test_journey_sample_is_varied_and_reproducible(world):
    a = journey.journey_sample(world, 40)
    b = journey.journey_sample(world, 40)
    pd.testing.assert_frame_equal(a, b)
    assert len(a) == 40 and a["customer_id"].is_unique
    assert set(a["status"]) == {"active", "dissolved", "won back"}
    assert a["relationship_type"].nunique() == len(concepts.RELATIONSHIP_TYPES)
    first = a.iloc[0]
    assert first["label"].startswith(f"{first['customer_id']} · ")
    assert first["purchases"] >= 2 and first["contacts"] >= 3


def test_journey_sample_on_a_tiny_world_takes_what_there_is():
    tiny = crmkit.make_world(12, random_state=3)
    s = journey.journey_sample(tiny, 40)
    assert 1 <= len(s) <= 12


def test_journey_table_holds_every_encounter(world):
    cid = int(journey.journey_sample(world, 5)["customer_id"].iloc[0])
    j = journey.customer_journey_table(world, cid)
    counts = j["track"].value_counts()
    assert counts["purchase"] == (world.transactions["customer_id"] == cid).sum()
    assert counts["contact"] == (world.interactions["customer_id"] == cid).sum()
    assert counts.get("survey", 0) == (world.surveys["customer_id"] == cid).sum()
    assert counts["stage"] == (world.stage_history["customer_id"] == cid).sum()
    assert j["date"].is_monotonic_increasing
    stages = j[j["track"] == "stage"]
    assert stages["end_date"].notna().all()  # the open spell ends at the data's end
    contacts = j[j["track"] == "contact"]
    assert contacts["family"].isin(list(KIND_FAMILIES)).all()


def test_kind_families_cover_every_kind_once():
    kinds = [k for _, _, _, ks in KIND_FAMILIES.values() for k in ks]
    assert sorted(kinds) == sorted(concepts.keys(concepts.INTERACTION_KINDS))


def test_journey_table_teaches_on_bad_ids(world):
    with pytest.raises(ValueError, match="no customer with customer_id"):
        journey.customer_journey_table(world, 10**9)
    with pytest.raises(TypeError, match="whole number"):
        journey.customer_journey_table(world, "12")


def test_journey_widget_in_persian(fa_world):
    w = journey.customer_journey(fa_world)
    label = w.controls["customer_id"].label
    assert " · " in label
    assert 'dir="auto"' in w.summary.value
    fig = journey.customer_journey_figure(fa_world)
    title = fig.axes[0].get_title()
    cid = int(journey.journey_sample(fa_world)["customer_id"].iloc[0])
    row = fa_world.customers.set_index("customer_id").loc[cid]
    name = f"{row['first_name']} {row['last_name']}"
    assert crmkit.lessons.bidi_text(name) in title  # what matplotlib draws right to left


def test_journey_widget_can_start_on_any_customer(world):
    cid = int(world.customers["customer_id"].iloc[-1])
    w = journey.customer_journey(world, customer_id=cid)
    assert w.controls["customer_id"].value == cid


# --------------------------------------------------------------------------- segments
def test_customer_stats_adds_up(world):
    s = segments.customer_stats(world)
    assert len(s) == len(world.customers)
    assert s["purchases"].sum() == len(world.transactions)
    assert s["revenue"].sum() == pytest.approx(world.transactions["amount"].sum())
    chans = [f"n_{c}" for c in concepts.keys(concepts.CHANNELS)]
    assert (s[chans].sum(axis=1) == s["purchases"]).all()
    span = (pd.Timestamp(world.meta["end"]) - world.customers["signup_date"]).dt.days / (
        365.25 / 12
    )
    assert (s["active_months"] <= span.to_numpy() + 1e-9).all()
    assert (s.loc[s["purchases"] == 0, "segment"] == "no_purchase").all()
    assert s["churned"].sum() == world.customers["churn_date"].notna().sum()


def test_segment_summary_measures(world):
    s = segments.customer_stats(world)
    n = segments.segment_summary(s, "relationship_type", "customers")
    assert n["group"].tolist() == [
        k for k in concepts.keys(concepts.RELATIONSHIP_TYPES) if k in set(s["relationship_type"])
    ]
    assert n["customers"].sum() == len(s)
    rate = segments.segment_summary(s, "origin", "purchases_per_active_month")
    g = s[s["origin"] == "won_back"]
    expected = g["purchases"].sum() / g["active_months"].sum()
    assert rate.set_index("group").loc["won_back", "value"] == pytest.approx(expected)
    ch = segments.segment_summary(s, "segment", "main_channel")
    shares = ch[[c for c in ch.columns if c.startswith("share_")]].sum(axis=1, min_count=1)
    assert np.allclose(shares.dropna(), 1.0)
    assert (ch["value"].dropna() == ch["main_share"].dropna()).all()
    churn = segments.segment_summary(s, "loyalty_member", "share_churned")
    assert churn["value"].between(0, 1).all()


def test_purchase_rates_by_type_follow_the_latent_rates():
    w = crmkit.make_world(3000, random_state=2)
    s = segments.customer_stats(w)
    t = segments.segment_summary(s, "relationship_type", "purchases_per_active_month")
    latent = (
        w.truth["latent"]["purchase_rate"]
        .groupby(w.customers.set_index("customer_id")["relationship_type"])
        .mean()
    )
    est = t.set_index("group")["value"].reindex(latent.index.astype(str))
    assert np.corrcoef(est, latent)[0, 1] > 0.95


def test_segment_summary_teaches(world):
    s = segments.customer_stats(world)
    with pytest.raises(ValueError, match="`measure` must be one of"):
        segments.segment_summary(s, "origin", "revenue")
    with pytest.raises(ValueError, match="`by` must be a grouping column"):
        segments.segment_summary(s, "colour", "customers")
    with pytest.raises(TypeError, match="customer_stats"):
        segments.segment_summary(world.customers, "origin", "customers")


def test_segment_explorer_takes_extra_groupings(world):
    ids = world.customers["customer_id"]
    flags = pd.Series(np.where(ids % 2 == 0, "even id", "odd id"), index=ids)
    w = segments.segment_explorer(world, extra={"Parity of the id": flags}, by="Parity of the id")
    assert w.controls["by"].value == "extra_0"
    assert "even id" in w.summary.value
    with pytest.raises(ValueError, match="unknown grouping"):
        segments.segment_explorer(world, groupings=["colour"])
    with pytest.raises(TypeError, match="pandas Series"):
        segments.segment_explorer(world, extra={"x": [1, 2]})


# --------------------------------------------------------------------------- lifecycle
def test_scenario_matrix_moves_the_stay_cell(world):
    base = lifecycle.base_matrix(world)
    s = lifecycle.scenario_matrix(base, commit_to_dissolve=0.1, win_back=0.2)
    assert np.allclose(s.sum(axis=1), 1)
    assert s.loc["commitment", "dissolution"] == pytest.approx(0.1)
    assert s.loc["commitment", "commitment"] == pytest.approx(
        base.loc["commitment", "commitment"] + base.loc["commitment", "dissolution"] - 0.1
    )
    assert s.loc["dissolution", "awareness"] == pytest.approx(0.2)
    same = lifecycle.scenario_matrix(base)
    pd.testing.assert_frame_equal(same, base, check_names=False)


def test_scenario_matrix_shrinks_the_other_moves_when_needed():
    P = crmkit.load_dataset().truth["transition_matrix"]
    s = lifecycle.scenario_matrix(P, explore_to_aware=0.95)
    row = s.loc["exploration"]
    assert row["awareness"] == pytest.approx(0.95)
    assert row.min() >= 0 and row.sum() == pytest.approx(1)
    # expansion : dissolution keep their ratio (0.05 : 0.10)
    assert row["dissolution"] == pytest.approx(2 * row["expansion"])


def test_scenario_matrix_teaches():
    P = crmkit.load_dataset().truth["transition_matrix"]
    with pytest.raises(ValueError, match="unknown move"):
        lifecycle.scenario_matrix(P, churn=0.1)
    with pytest.raises(ValueError, match="probability"):
        lifecycle.scenario_matrix(P, win_back=1.5)


def test_simulator_defaults_are_the_estimated_matrix(world):
    w = lifecycle.lifecycle_simulator(world)
    base = lifecycle.base_matrix(world)
    for key, (a, b, *_rest) in lifecycle.KNOBS.items():
        assert w.controls[key].value == pytest.approx(min(base.loc[a, b], w.controls[key].max))
    # the scenario column equals the reference column at the defaults
    rows = re.findall(r"<tr><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td></tr>", w.summary.value)
    assert len(rows) == len(concepts.LIFECYCLE_STAGES)
    assert all(mine == ref for mine, ref in rows)


def test_scenario_start(world):
    x0, new = lifecycle.scenario_start(world, "base")
    assert sum(x0.values()) == len(world.customers) and new > 0
    assert lifecycle.scenario_start(world, "cohort") == ({"exploration": 1000.0}, 0.0)
    with pytest.raises(ValueError, match="'cohort' or 'base'"):
        lifecycle.scenario_start(world, "today")


# --------------------------------------------------------------------------- satisfaction
def test_explorer_draws_the_weights_of_satisfaction_drivers(world):
    from crmkit.metrics.satisfaction import satisfaction_drivers

    comps = list(concepts.keys(concepts.SATISFACTION_COMPONENTS))
    fig = satisfaction.satisfaction_explorer_figure(world)
    ref = satisfaction_drivers(world.surveys.dropna(subset=[*comps, "overall", "nps"]))
    drawn = [bar.get_height() for bar in fig.axes[0].patches[: len(comps)]]
    np.testing.assert_array_equal(drawn, ref["weight"])
    assert f"{ref.attrs['n']:,} answers" in fig.summary_html


def test_what_if_weights_normalises_and_refuses_zero():
    X = np.array([[4.0, 6, 5, 5], [5, 7, 3, 2], [6, 2, 4, 4]])
    r = satisfaction.what_if_weights(X, X[:, 0], [2, 0, 0, 0])
    assert r["weights"].tolist() == [1, 0, 0, 0] and r["rmse"] == 0
    with pytest.raises(ValueError, match="above 0"):
        satisfaction.what_if_weights(X, X[:, 0], [0, 0, 0, 0])
    with pytest.raises(ValueError, match=">= 0"):
        satisfaction.what_if_weights(X, X[:, 0], [1, -1, 0, 0])


def test_survey_filters(world):
    f = satisfaction.survey_filters(world.surveys, world.customers, min_answers=30)
    assert list(f)[0] == "all"
    for label, mask in f.values():
        assert mask.sum() >= 30 and mask.dtype == bool and label
    assert any(k.startswith("relationship_type:") for k in f)
    post = f["method:post_interaction"][1]
    assert post.sum() == (world.surveys["method"] == "post_interaction").sum()


def test_spread_by_answer():
    lv, lo, mid, hi = satisfaction.spread_by_answer([1, 2, 3, 4, 5], [3, 3, 3, 3, 3], min_answers=1)
    assert lv.tolist() == [3] and mid.tolist() == [3.0] and lo[0] <= mid[0] <= hi[0]


def test_satisfaction_explorer_all_zero_weights_is_kind(world):
    w = satisfaction.satisfaction_explorer(world)
    for c in concepts.keys(concepts.SATISFACTION_COMPONENTS):
        w.controls[f"w_{c}"].value = 0.0
    assert "equal weights are shown instead" in w.summary.value
    assert "could not be computed" not in w.summary.value


def test_satisfaction_explorer_teaches(world):
    with pytest.raises(ValueError, match="`subset` must be one of"):
        satisfaction.satisfaction_explorer(world, subset="billing")
    with pytest.raises(ValueError, match="numbers in \\[0, 1\\]"):
        satisfaction.satisfaction_explorer(world, weights=[1, 2])


def test_static_twins_return_figures(world):
    from matplotlib.figure import Figure

    for fig in (
        journey.customer_journey_figure(world),
        segments.segment_explorer_figure(world, measure="main_channel"),
        lifecycle.lifecycle_simulator_figure(world),
        satisfaction.satisfaction_explorer_figure(world),
    ):
        assert isinstance(fig, Figure) and fig.axes and fig.summary_html.startswith("<")
