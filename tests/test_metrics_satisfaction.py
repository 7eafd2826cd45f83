"""Tests of crmkit.metrics.satisfaction: hand-computed fixtures, recovery, properties, errors."""

from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmkit.metrics.satisfaction import (
    COMPONENTS,
    csat,
    driver_fit,
    driver_weights,
    nps,
    nps_table,
    satisfaction_drivers,
    spread_by_answer,
    survey_filters,
    touchpoint_satisfaction,
    what_if_weights,
)
from crmkit.synth import make_world


@pytest.fixture(scope="module")
def world():
    return make_world(3000, random_state=0)


# ----------------------------------------------------------------------------- NPS / CSAT
def test_nps_by_hand():
    assert nps([10, 9, 8, 7, 6, 0]) == 0.0  # (2 promoters - 2 detractors) / 6
    assert nps([10, 10, 9, 0]) == 50.0  # (3 - 1) / 4
    assert nps([0, 1, 6]) == -100.0
    assert nps(pd.Series([9, 10])) == 100.0


def test_nps_accepts_a_surveys_frame_and_another_column():
    frame = pd.DataFrame({"nps": [10, 9, 8, 7, 6, 0], "likely": [10, 10, 10, 10, 0, 0]})
    assert nps(frame) == 0.0
    assert nps(frame, nps_col="likely") == pytest.approx(100 * (4 - 2) / 6)


def test_nps_table_by_group_by_hand():
    frame = pd.DataFrame({"team": ["a", "a", "b", "b", "b"], "nps": [10, 6, 9, 9, 7]})
    out = nps_table(frame, by="team").set_index("team")
    assert out.columns.tolist() == ["n", "promoters", "passives", "detractors", "nps"]
    assert out.loc["a", "n"] == 2
    assert out.loc["a", "nps"] == 0.0
    assert out.loc["b", "promoters"] == pytest.approx(2 / 3)
    assert out.loc["b", "passives"] == pytest.approx(1 / 3)
    assert out.loc["b", "nps"] == pytest.approx(200 / 3)


def test_nps_table_warns_about_answers_without_a_group():
    frame = pd.DataFrame(
        {
            "touchpoint": ["web", "web", "shop", None, None, "shop"],
            "nps": [10, 6, 9, 0, 10, 7],
        }
    )
    with pytest.warns(UserWarning, match=r"nps_table: 2 of 6 answers have no 'touchpoint'") as rec:
        out = nps_table(frame, by="touchpoint").set_index("touchpoint")
    assert rec[0].filename == __file__  # stacklevel=2: the warning points at the caller
    assert "dropna(subset=['touchpoint'])" in str(rec[0].message)
    # the two answers without a touchpoint (0 and 10) are left out:
    # shop: 9, 7 -> 1 promoter, 1 passive -> NPS 50; web: 10, 6 -> 1 promoter, 1 detractor -> 0
    assert out.index.tolist() == ["shop", "web"]
    assert out["n"].tolist() == [2, 2]
    assert out["nps"].tolist() == [50.0, 0.0]
    assert out["passives"].tolist() == [0.5, 0.0]
    with warnings.catch_warnings():  # nothing missing, nothing to say
        warnings.simplefilter("error")
        nps_table(frame.dropna(), by="touchpoint")
        nps_table(frame)  # without `by` every answer counts
    # rows 1 and 4 have no team, rows 3 and 4 no touchpoint: 3 rows left out
    with pytest.warns(UserWarning, match=r"3 of 6 answers have no 'team' or 'touchpoint'"):
        nps_table(frame.assign(team=["a", None, "b", "b", None, "a"]), by=["team", "touchpoint"])


def test_nps_table_groups_are_the_values_found():
    raw = ["web", "web", "shop", "emial", "web", "shop"]
    scores = [10, 6, 9, 0, 10, 7]
    # a plain column: a misspelt value is a group of its own, where it is easy to see
    out = nps_table(pd.DataFrame({"method": raw, "nps": scores}), by="method")
    assert out["method"].tolist() == ["emial", "shop", "web"]
    # a categorical column fixes the valid values: pandas 3 stores "emial" as missing
    # (with a deprecation warning; later versions refuse it)
    method = pd.Categorical([None if m == "emial" else m for m in raw], ["web", "shop", "phone"])
    with pytest.warns(
        UserWarning,
        match=r"1 of 6 answers have no 'method' \(`by`\) \(in a categorical column such as "
        r"'method', a value outside its categories is missing too\)",
    ):
        out = nps_table(pd.DataFrame({"method": method, "nps": scores}), by="method")
    # "phone" has no answer and no row
    # shop: 9, 7 -> 1 promoter, 1 passive -> NPS 50; web: 10, 6, 10 -> 2 promoters, 1 detractor
    assert out["method"].astype(str).tolist() == ["shop", "web"]
    assert out["n"].tolist() == [2, 3]
    np.testing.assert_allclose(out["nps"], [50.0, 100 / 3])


def test_nps_table_without_by_is_one_row():
    out = nps_table(pd.DataFrame({"nps": [10, 9, 8, 7, 6, 0]}))
    assert len(out) == 1
    assert out["nps"].item() == 0.0


def test_csat_by_hand():
    assert csat([7, 6, 5, 4]) == 0.5
    assert csat([7, 6, 5, 4], threshold=5) == 0.75
    assert csat(pd.DataFrame({"overall": [7, 7, 1]})) == pytest.approx(2 / 3)


# ----------------------------------------------------------------------------- drivers
def _exact_surveys(n=60, seed=3):
    rng = np.random.default_rng(seed)
    comps = rng.integers(1, 8, size=(n, 4))
    overall = 0.5 + comps @ np.array([0.4, 0.25, 0.2, 0.15])
    frame = pd.DataFrame(comps, columns=list(COMPONENTS))
    frame["overall"] = overall
    return frame


def test_drivers_recover_exact_weights():
    out = satisfaction_drivers(_exact_surveys())
    assert out["component"].tolist() == list(COMPONENTS)
    np.testing.assert_allclose(out["weight"], [0.4, 0.25, 0.2, 0.15], atol=1e-9)
    np.testing.assert_allclose(out["std_error"], 0, atol=1e-6)
    assert out.attrs["intercept"] == pytest.approx(0.5)
    assert out.attrs["r_squared"] == pytest.approx(1.0)
    assert "true_weight" not in out.columns


def test_drivers_recover_the_generator_weights(world):
    out = satisfaction_drivers(world.surveys, truth=world.truth)
    assert np.abs(out["error"]).max() < 0.05
    truth = world.truth["component_weights"].reindex(out["component"]).to_numpy()
    np.testing.assert_allclose(out["true_weight"], truth)
    # the 95% interval is a real interval around the estimate
    assert (out["ci_low"] < out["weight"]).all() and (out["weight"] < out["ci_high"]).all()


def test_driver_weights_is_the_same_fit(world):
    full = satisfaction_drivers(world.surveys)
    fast = driver_weights(world.surveys)
    np.testing.assert_allclose(fast.to_numpy(), full["weight"].to_numpy())
    assert fast.index.tolist() == list(COMPONENTS)


def test_satisfaction_drivers_recovers_exact_weights():
    rng = np.random.default_rng(0)
    X = rng.integers(1, 8, (200, 4)).astype(float)
    surveys = pd.DataFrame(X, columns=list(COMPONENTS))
    surveys["overall"] = 0.5 + X @ [0.4, 0.3, 0.2, 0.1]
    out = satisfaction_drivers(surveys)
    np.testing.assert_allclose(out["weight"], [0.4, 0.3, 0.2, 0.1])
    assert out.attrs["intercept"] == pytest.approx(0.5)
    assert out.attrs["r_squared"] == pytest.approx(1)
    with pytest.raises(ValueError, match="more complete answers"):
        satisfaction_drivers(surveys.head(4))


def test_driver_weights_is_fast(world):
    driver_weights(world.surveys)
    start = time.perf_counter()
    driver_weights(world.surveys)
    assert time.perf_counter() - start < 0.5  # generous: the benchmark target is 50 ms


def test_drivers_accept_truth_as_a_mapping():
    out = satisfaction_drivers(
        _exact_surveys(), truth=dict(zip(COMPONENTS, (0.4, 0.25, 0.2, 0.15), strict=True))
    )
    np.testing.assert_allclose(out["error"], 0, atol=1e-9)


# ----------------------------------------------------------------------------- touchpoints
def _touchpoint_fixture():
    surveys = pd.DataFrame(
        {
            "touchpoint": ["billing", "billing", "sales", None],
            "overall": [4, 6, 7, 1],
            **{c: [4, 4, 6, 1] for c in COMPONENTS},
        }
    )
    interactions = pd.DataFrame(
        {
            "touchpoint": ["billing", "billing", "billing", "sales"],
            "kind": ["complaint", "complaint", "payment_reminder", "inquiry"],
            "outcome": ["resolved", "unresolved", "no_action", "resolved"],
            "resolution_hours": [10.0, 30.0, np.nan, 2.0],
        }
    )
    return surveys, interactions


def test_touchpoint_satisfaction_by_hand():
    surveys, interactions = _touchpoint_fixture()
    out = touchpoint_satisfaction(surveys, interactions).set_index("touchpoint")
    assert out.index.tolist() == ["sales", "billing"]  # concepts order
    b, s = out.loc["billing"], out.loc["sales"]
    assert (b["office"], s["office"]) == ("back", "front")
    assert (b["n_surveys"], b["overall"]) == (2, 5.0)
    assert (b["contacts"], b["requests"], b["complaints"]) == (3, 2, 2)
    assert b["median_resolution_hours"] == 20.0
    assert b["share_resolved"] == 0.5
    assert b["complaint_share"] == pytest.approx(2 / 3)
    assert (s["share_resolved"], s["complaint_share"]) == (1.0, 0.0)
    # perception: billing 5 vs sales 7 -> z -1 / +1; complaints per contact 2/3 vs 0 -> -1 / +1
    assert (b["perception_z"], s["perception_z"]) == (-1.0, 1.0)
    assert (b["internal_z"], s["internal_z"]) == (-1.0, 1.0)
    assert b["gap"] == 0.0


def test_billing_is_perceived_worse_than_its_internal_indicator(world):
    out = touchpoint_satisfaction(world.surveys, world.interactions).set_index("touchpoint")
    # source 003: billing looks fine inside (few complaints per contact) but is disliked
    assert out["gap"].idxmin() == "billing"
    assert out.loc["billing", "internal_z"] > 0 > out.loc["billing", "perception_z"]
    assert set(out["office"]) == {"front", "back"}


# ----------------------------------------------------------------------------- properties
scores_0_10 = st.lists(st.integers(0, 10), min_size=1, max_size=40)


@settings(max_examples=40, deadline=None)
@given(scores_0_10)
def test_nps_is_between_minus_and_plus_100(scores):
    assert -100 <= nps(scores) <= 100


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 7), min_size=1, max_size=40), st.integers(1, 7))
def test_csat_is_a_share(scores, threshold):
    assert 0 <= csat(scores, threshold=threshold) <= 1


@settings(max_examples=25, deadline=None)
@given(scores_0_10, st.randoms(use_true_random=False))
def test_nps_table_shares_sum_to_one_and_ignore_row_order(scores, rnd):
    frame = pd.DataFrame({"g": [i % 3 for i in range(len(scores))], "nps": scores})
    before = frame.copy()
    out = nps_table(frame, by="g")
    pd.testing.assert_frame_equal(frame, before)  # input not mutated
    shares = out[["promoters", "passives", "detractors"]]
    assert ((shares >= 0) & (shares <= 1)).all().all()
    np.testing.assert_allclose(shares.sum(axis=1), 1.0)
    order = list(range(len(frame)))
    rnd.shuffle(order)
    pd.testing.assert_frame_equal(nps_table(frame.iloc[order], by="g"), out)


def test_drivers_do_not_depend_on_row_order_nor_mutate(world):
    surveys = world.surveys
    before = surveys.copy()
    a = satisfaction_drivers(surveys)
    b = satisfaction_drivers(surveys.sample(frac=1, random_state=0))
    np.testing.assert_allclose(a["weight"], b["weight"], atol=1e-10)
    pd.testing.assert_frame_equal(surveys, before)


def test_touchpoint_satisfaction_does_not_mutate(world):
    s, i = world.surveys.copy(), world.interactions.copy()
    touchpoint_satisfaction(world.surveys, world.interactions)
    pd.testing.assert_frame_equal(world.surveys, s)
    pd.testing.assert_frame_equal(world.interactions, i)


# ----------------------------------------------------------------------------- bad input
def test_missing_column_names_it_the_columns_and_the_keyword(world):
    with pytest.raises(ValueError) as err:
        satisfaction_drivers(world.surveys.drop(columns="atmosphere"))
    msg = str(err.value)
    assert "'atmosphere'" in msg and "columns:" in msg and "overall" in msg
    assert "components=" in msg
    with pytest.raises(ValueError, match="nps_col="):
        nps_table(pd.DataFrame({"score": [1]}))
    with pytest.raises(ValueError, match="touchpoint_col="):
        touchpoint_satisfaction(world.surveys.drop(columns="touchpoint"), world.interactions)


@pytest.mark.parametrize(
    "bad, exc, match",
    [
        ("surveys", TypeError, "string"),
        (7, TypeError, "single"),
        ([], ValueError, "empty"),
        ([5, np.nan], ValueError, "missing"),
        ([5, 11], ValueError, "0-10 scale"),
        (["high", "low"], TypeError, "numbers"),
    ],
)
def test_nps_bad_scores(bad, exc, match):
    with pytest.raises(exc, match=match):
        nps(bad)


def test_csat_bad_threshold_and_scale():
    with pytest.raises(ValueError, match="1-7"):
        csat([5, 6], threshold=9)
    with pytest.raises(TypeError, match="threshold"):
        csat([5, 6], threshold="6")
    with pytest.raises(ValueError, match="1-7 scale"):
        csat([0, 6])


def test_drivers_bad_input():
    with pytest.raises(TypeError, match="single string"):
        satisfaction_drivers(_exact_surveys(), components="product")
    with pytest.raises(ValueError, match="more complete answers"):
        satisfaction_drivers(_exact_surveys(n=4))
    with pytest.raises(ValueError, match="is empty"):
        satisfaction_drivers(_exact_surveys().iloc[:0])
    with pytest.raises(TypeError, match="DataFrame"):
        satisfaction_drivers("surveys")
    with pytest.raises(ValueError, match="no weight"):
        satisfaction_drivers(_exact_surveys(), truth={"product": 1.0})
    text = _exact_surveys().astype({"product": str})
    with pytest.raises(TypeError, match="must hold numbers"):
        satisfaction_drivers(text)


def test_touchpoint_satisfaction_bad_input():
    surveys, interactions = _touchpoint_fixture()
    with pytest.raises(ValueError, match="internal"):
        touchpoint_satisfaction(surveys, interactions, internal="speed")
    with pytest.raises(ValueError, match="no survey answer names a touchpoint"):
        touchpoint_satisfaction(surveys.assign(touchpoint=None), interactions)


# ------------------------------------------------------------------------- the explorer's what-if
def test_what_if_weights_normalises_and_refuses_zero():
    X = np.array([[4.0, 6, 5, 5], [5, 7, 3, 2], [6, 2, 4, 4]])
    r = what_if_weights(X, X[:, 0], [2, 0, 0, 0])
    assert r["weights"].tolist() == [1, 0, 0, 0] and r["rmse"] == 0
    with pytest.raises(ValueError, match="above 0"):
        what_if_weights(X, X[:, 0], [0, 0, 0, 0])
    with pytest.raises(ValueError, match=">= 0"):
        what_if_weights(X, X[:, 0], [1, -1, 0, 0])


def test_what_if_weights_by_hand():
    X = np.array([[2.0, 4.0], [4.0, 2.0]])
    r = what_if_weights(X, [3.0, 5.0], [1, 1])  # predicts 3 and 3
    assert r["predicted"].tolist() == [3.0, 3.0]
    assert r["rmse"] == pytest.approx(np.sqrt((0 + 4) / 2))
    assert r["r_squared"] == pytest.approx(1 - 4 / 2)  # worse than the mean: below 0


def test_driver_fit_is_satisfaction_drivers_and_its_predictions():
    rng = np.random.default_rng(0)
    X = rng.integers(1, 8, size=(40, 4)).astype(float)
    y = 0.5 + X @ [0.4, 0.3, 0.2, 0.1]
    surveys = pd.DataFrame(X, columns=list(COMPONENTS)).assign(overall=y)
    surveys.loc[3, "product"] = np.nan  # left out, as satisfaction_drivers does
    fit = driver_fit(surveys)
    ref = satisfaction_drivers(surveys)
    np.testing.assert_array_equal(fit["weights"], ref["weight"])
    np.testing.assert_array_equal(fit["std_errors"], ref["std_error"])
    assert fit["n"] == 39 == len(fit["predicted"])
    assert fit["intercept"] == pytest.approx(0.5)
    np.testing.assert_allclose(fit["predicted"], np.delete(y, 3))
    assert fit["rmse"] == pytest.approx(0, abs=1e-9) and fit["r_squared"] == pytest.approx(1)


def test_survey_filters(world):
    f = survey_filters(world.surveys, world.customers, min_answers=30)
    assert list(f)[0] == "all"
    for label, mask in f.values():
        assert mask.sum() >= 30 and mask.dtype == bool and label
    assert any(k.startswith("relationship_type:") for k in f)
    post = f["method:post_interaction"][1]
    assert post.sum() == (world.surveys["method"] == "post_interaction").sum()


def test_survey_filters_by_hand():
    surveys = pd.DataFrame(
        {
            "customer_id": [1, 1, 2, 3],
            "method": ["post_interaction", "relationship", "post_interaction", "relationship"],
            "touchpoint": ["billing", None, "billing", None],
        }
    )
    customers = pd.DataFrame({"customer_id": [1, 2, 3], "relationship_type": ["a", "b", "a"]})
    f = survey_filters(surveys, customers, min_answers=2)
    assert f["all"][1].tolist() == [True] * 4
    assert f["method:post_interaction"][1].tolist() == [True, False, True, False]
    assert f["touchpoint:billing"][1].tolist() == [True, False, True, False]
    assert not any(k.startswith("relationship_type:") for k in f)  # "a", "b": not known types
    assert "method:focus_group" not in f  # no answer: no subset
    with pytest.raises(TypeError, match="DataFrame"):
        survey_filters([1, 2, 3])


def test_spread_by_answer():
    lv, lo, mid, hi = spread_by_answer([1, 2, 3, 4, 5], [3, 3, 3, 3, 3], min_answers=1)
    assert lv.tolist() == [3] and mid.tolist() == [3.0] and lo[0] <= mid[0] <= hi[0]
    lv, lo, mid, hi = spread_by_answer([1.0, 2.0, 3.0, 6.0, 7.0], [2, 2, 2, 6, 7], min_answers=2)
    assert lv.tolist() == [2] and lo.tolist() == [1.5] and hi.tolist() == [2.5]
