"""Tests of crmkit.metrics.lifecycle: a toy stage history by hand, truth recovery, errors."""

from __future__ import annotations

import copy
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmkit import concepts
from crmkit.metrics.lifecycle import (
    base_matrix,
    lifecycle_flow,
    months_in_stage,
    scenario_matrix,
    scenario_start,
    simulate_lifecycle,
    stage_at,
    transition_matrix,
    winback_rate,
)

STAGES = concepts.keys(concepts.LIFECYCLE_STAGES)
D = pd.Timestamp


def _history(rows):
    """rows: (customer, stage, start); end = the customer's next start (empty for the last)."""
    df = pd.DataFrame(rows, columns=["customer_id", "stage", "start_date"])
    df["start_date"] = pd.to_datetime(df["start_date"]).astype("datetime64[s]")
    df = df.sort_values(["customer_id", "start_date"]).reset_index(drop=True)
    nxt = df.groupby("customer_id")["start_date"].shift(-1)
    df["end_date"] = nxt.astype("datetime64[s]")
    df["stage"] = pd.Categorical(df["stage"], categories=STAGES, ordered=True)
    return df


@pytest.fixture
def toy():
    """Three customers, as_of 2024-04-30; stage at each month end:

              Jan 31       Feb 29       Mar 31        Apr 30
    c1        exploration  awareness    expansion     expansion
    c2        exploration  exploration  dissolution   awareness
    c3        -            exploration  exploration   exploration

    Moves: c1 E->A, A->X, X->X;  c2 E->E, E->D, D->A;  c3 E->E, E->E.
    From exploration (5 moves): 3 stay, 1 to awareness, 1 to dissolution.
    """
    return _history(
        [
            (1, "exploration", "2024-01-10"),
            (1, "awareness", "2024-02-15"),
            (1, "expansion", "2024-03-10"),
            (2, "exploration", "2024-01-05"),
            (2, "dissolution", "2024-03-20"),
            (2, "awareness", "2024-04-05"),
            (3, "exploration", "2024-02-10"),
        ]
    )


def test_transition_matrix_by_hand(toy):
    with pytest.warns(UserWarning, match="commitment"):
        P = transition_matrix(toy, as_of="2024-04-30")
    assert P.index.tolist() == list(STAGES) and P.columns.tolist() == list(STAGES)
    np.testing.assert_allclose(P.loc["exploration"], [0.6, 0.2, 0, 0, 0.2])
    np.testing.assert_allclose(P.loc["awareness"], [0, 0, 1, 0, 0])
    np.testing.assert_allclose(P.loc["expansion"], [0, 0, 1, 0, 0])
    np.testing.assert_allclose(P.loc["dissolution"], [0, 1, 0, 0, 0])
    assert P.loc["commitment"].isna().all()  # nobody was there: nothing to estimate
    C = transition_matrix(toy, as_of="2024-04-30", counts=True)
    assert C.loc["exploration"].tolist() == [3, 1, 0, 0, 1]
    assert int(C.to_numpy().sum()) == 8


def test_transition_matrix_default_as_of_is_end_of_last_month(toy):
    # the latest date is Apr 5: the data are taken to run to Apr 30
    a = transition_matrix(toy, counts=True)
    b = transition_matrix(toy, as_of="2024-04-30", counts=True)
    pd.testing.assert_frame_equal(a, b)


def test_stage_at_by_hand(toy):
    s = stage_at(toy, ["2024-01-07", "2024-03-20", "2024-04-30"])
    assert s.index.tolist() == [1, 2, 3]
    first = s[D("2024-01-07")]
    assert pd.isna(first[1]) and first[2] == "exploration" and pd.isna(first[3])
    assert s[D("2024-03-20")].tolist() == ["expansion", "dissolution", "exploration"]
    assert s[D("2024-04-30")].tolist() == ["expansion", "awareness", "exploration"]
    assert list(stage_at(toy, "2024-02-29").iloc[:, 0].astype(str)) == [
        "awareness",
        "exploration",
        "exploration",
    ]


def test_transition_matrix_recovers_the_truth(latent_world):
    P = transition_matrix(latent_world.stage_history)
    true = latent_world.truth["transition_matrix"]
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    diff = (P - true.to_numpy()).abs()
    # forward moves and staying put: one rate for everyone in the generator
    forward = diff.drop(columns="dissolution")
    assert forward.to_numpy().max() < 0.03, forward.round(3)
    # moves to dissolution are customer-specific in the generator (satisfaction, care,
    # loyalty programme...), so the estimate is an average: still close, not identical
    assert diff["dissolution"].max() < 0.03, diff.round(3)


def test_transition_matrix_weekly_rows_sum_to_one(small_world):
    P = transition_matrix(small_world.stage_history, freq="W")
    np.testing.assert_allclose(P.dropna().sum(axis=1), 1.0)
    assert P.loc["commitment", "commitment"] > P.loc["exploration", "exploration"]


# --------------------------------------------------------------------------- simulate
def test_simulate_lifecycle_by_hand():
    P = pd.DataFrame(
        [
            [0.55, 0.30, 0.05, 0.00, 0.10],
            [0.00, 0.72, 0.21, 0.00, 0.07],
            [0.00, 0.00, 0.80, 0.16, 0.04],
            [0.00, 0.00, 0.00, 0.975, 0.025],
            [0.00, 0.05, 0.00, 0.00, 0.95],
        ],
        index=STAGES,
        columns=STAGES,
    )
    mix = simulate_lifecycle(P, months=2)
    assert mix.index.tolist() == [0, 1, 2] and mix.columns.tolist() == list(STAGES)
    np.testing.assert_allclose(mix.loc[0], [1000, 0, 0, 0, 0])
    np.testing.assert_allclose(mix.loc[1], [550, 300, 50, 0, 100])
    # month 2: E 550*.55; A 550*.3 + 300*.72 + 100*.05; X 550*.05 + 300*.21 + 50*.8;
    #          C 50*.16; D 550*.1 + 300*.07 + 50*.04 + 100*.95
    np.testing.assert_allclose(mix.loc[2], [302.5, 386, 130.5, 8, 173])
    grown = simulate_lifecycle(P, months=2, new_per_month=10)
    np.testing.assert_allclose(grown.loc[1], [560, 300, 50, 0, 100])
    np.testing.assert_allclose(grown.sum(axis=1), [1000, 1010, 1020])
    # the column order of the input does not matter; arrays and dicts work too
    shuffled = P.loc[STAGES[::-1], STAGES[::-1]]
    pd.testing.assert_frame_equal(simulate_lifecycle(shuffled, months=2), mix)
    from_array = simulate_lifecycle(P.to_numpy(), months=2, start={"exploration": 1000})
    pd.testing.assert_frame_equal(from_array, mix)


def test_simulate_lifecycle_errors():
    eye = np.eye(5)
    with pytest.raises(ValueError, match="5 x 5"):
        simulate_lifecycle(np.eye(3))
    with pytest.raises(ValueError, match="summing to 1"):
        simulate_lifecycle(eye * 0.5)
    with pytest.raises(ValueError, match="missing values"):
        simulate_lifecycle(np.where(eye == 1, np.nan, 0))
    with pytest.raises(ValueError, match="unknown stage"):
        simulate_lifecycle(eye, start={"loyal": 5})
    with pytest.raises(ValueError, match="at least 1"):
        simulate_lifecycle(eye, months=0)
    with pytest.raises(TypeError, match="5 x 5"):
        simulate_lifecycle("truth")


# --------------------------------------------------------------------------- flow and win-back
@pytest.fixture
def toy_customers():
    return pd.DataFrame(
        {
            "customer_id": [1, 2, 3],
            "signup_date": pd.to_datetime(["2024-01-10", "2024-01-05", "2024-02-10"]).astype(
                "datetime64[s]"
            ),
        }
    )


def test_lifecycle_flow_by_hand(toy, toy_customers):
    surveys = pd.DataFrame(
        {
            "customer_id": [1, 2, 2],
            "date": pd.to_datetime(["2024-02-01", "2024-01-20", "2024-03-01"]).astype(
                "datetime64[s]"
            ),
            "overall": [7, 6, 3],
        }
    )
    flow = lifecycle_flow(toy_customers, toy, surveys=surveys, as_of="2024-04-30")
    assert list(flow.columns) == ["step", "customers", "share", "definition"]
    assert flow["step"].tolist() == list(concepts.keys(concepts.CUSTOMER_FLOW))
    counts = dict(zip(flow["step"], flow["customers"], strict=True))
    # all three live at Apr 30 (c2 was won back); c1 satisfied, c2 now dissatisfied (latest 3)
    assert counts == {
        "acquisition": 3,
        "satisfied": 1,
        "retention": 3,
        "dissatisfied": 1,
        "defection": 1,
        "win_back": 1,
    }
    np.testing.assert_allclose(flow["share"], np.array([3, 1, 3, 1, 1, 1]) / 3)
    earlier = lifecycle_flow(toy_customers, toy, as_of="2024-03-31")
    counts = dict(zip(earlier["step"], earlier["customers"], strict=True))
    assert counts == {"acquisition": 3, "retention": 2, "defection": 1, "win_back": 0}


def test_winback_rate_by_hand(toy):
    lost = _history([(4, "exploration", "2024-01-02"), (4, "dissolution", "2024-01-20")])
    sh = pd.concat([toy, lost], ignore_index=True)
    # two dissolutions: c2 (Mar 20, back Apr 5: 16 days) and c4 (Jan 20, never back)
    assert winback_rate(sh, as_of="2024-04-30") == 0.5
    assert winback_rate(sh, as_of="2024-04-30", within_months=1) == 0.5
    assert winback_rate(sh, as_of="2024-04-30", within_months=0.4) == 0.0  # 16 days > 12.2
    # on Apr 10, c2's dissolution is not a month old: only c4 is counted
    assert winback_rate(sh, as_of="2024-04-10", within_months=1) == 0.0
    with pytest.raises(ValueError, match="no dissolution spells"):
        winback_rate(toy.iloc[:3])


def test_winback_on_world(small_world):
    all_time = winback_rate(small_world.stage_history)
    in_6 = winback_rate(small_world.stage_history, within_months=6)
    assert 0 < all_time < 1 and 0 <= in_6 <= 1


# --------------------------------------------------------------------------- properties, errors
@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.lists(st.tuples(st.sampled_from(STAGES), st.integers(1, 60)), min_size=1, max_size=5),
        min_size=1,
        max_size=6,
    ),
    st.randoms(use_true_random=False),
)
def test_properties_of_the_matrix(customers, rnd):
    rows = []
    for c, spells in enumerate(customers, start=1):
        day = pd.Timestamp("2024-01-01")
        for stage, gap in spells:
            rows.append((c, stage, day))
            day += pd.Timedelta(days=gap)
    sh = _history(rows)
    before = copy.deepcopy(sh)
    C = transition_matrix(sh, as_of="2024-12-31", counts=True)
    pd.testing.assert_frame_equal(sh, before)
    assert (C.to_numpy() >= 0).all()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # stages nobody was in give NaN rows, with a warning
        P = transition_matrix(sh, as_of="2024-12-31")
    rows_seen = P.dropna()
    np.testing.assert_allclose(rows_seen.sum(axis=1), 1.0)
    assert ((rows_seen >= 0) & (rows_seen <= 1)).all().all()
    shuffled = sh.sample(frac=1, random_state=rnd.randint(0, 999)).reset_index(drop=True)
    pd.testing.assert_frame_equal(transition_matrix(shuffled, as_of="2024-12-31", counts=True), C)


def test_bad_stage_history(toy):
    with pytest.raises(ValueError, match=r"column 'stage' not found.*stage_col="):
        transition_matrix(toy.rename(columns={"stage": "phase"}))
    with pytest.raises(ValueError, match="not a lifecycle stage"):
        transition_matrix(toy.assign(stage=toy["stage"].astype(str).str.upper()))
    with pytest.raises(TypeError, match="must hold dates"):
        transition_matrix(toy.assign(start_date=toy["start_date"].astype(str)))
    with pytest.raises(ValueError, match="empty"):
        transition_matrix(toy.iloc[:0])
    with pytest.raises(ValueError, match="before the first date"):
        transition_matrix(toy, as_of="2023-01-01")
    with pytest.raises(ValueError, match="fewer than two month ends"):
        transition_matrix(toy, as_of="2024-01-31")
    with pytest.raises(ValueError, match="end .* before they start"):
        transition_matrix(toy.assign(end_date=toy["start_date"] - pd.Timedelta(days=1)))


# --------------------------------------------------------------------------- what-if scenarios
def test_scenario_matrix_by_hand():
    P = pd.DataFrame(np.eye(5), index=STAGES, columns=STAGES)
    P.loc["commitment"] = [0, 0, 0, 0.9, 0.1]
    s = scenario_matrix(P, commit_to_dissolve=0.04, win_back=0.25)
    assert s.loc["commitment"].tolist() == pytest.approx([0, 0, 0, 0.96, 0.04])
    assert s.loc["dissolution"].tolist() == pytest.approx([0, 0.25, 0, 0, 0.75])
    assert s.index.name == "from_stage" and s.columns.name == "to_stage"
    before = P.copy()
    scenario_matrix(P, explore_to_aware=0.5)
    pd.testing.assert_frame_equal(P, before)  # the input is not modified


def test_scenario_matrix_moves_the_stay_cell(small_world):
    base = base_matrix(small_world)
    s = scenario_matrix(base, commit_to_dissolve=0.1, win_back=0.2)
    assert np.allclose(s.sum(axis=1), 1)
    assert s.loc["commitment", "dissolution"] == pytest.approx(0.1)
    assert s.loc["commitment", "commitment"] == pytest.approx(
        base.loc["commitment", "commitment"] + base.loc["commitment", "dissolution"] - 0.1
    )
    assert s.loc["dissolution", "awareness"] == pytest.approx(0.2)
    same = scenario_matrix(base)
    pd.testing.assert_frame_equal(same, base, check_names=False)


def test_scenario_matrix_shrinks_the_other_moves_when_needed(small_world):
    P = small_world.truth["transition_matrix"]
    s = scenario_matrix(P, explore_to_aware=0.95)
    row = s.loc["exploration"]
    assert row["awareness"] == pytest.approx(0.95)
    assert row.min() >= 0 and row.sum() == pytest.approx(1)
    # expansion : dissolution keep their ratio (0.05 : 0.10)
    assert row["dissolution"] == pytest.approx(2 * row["expansion"])


def test_scenario_matrix_teaches(small_world):
    P = small_world.truth["transition_matrix"]
    with pytest.raises(ValueError, match="unknown move"):
        scenario_matrix(P, churn=0.1)
    with pytest.raises(ValueError, match="probability"):
        scenario_matrix(P, win_back=1.5)
    with pytest.raises(TypeError, match="base_matrix"):
        scenario_matrix(P.to_numpy())


def test_base_matrix_fills_rows_it_cannot_estimate():
    from crmkit.synth_model import DEFAULT_TRANSITIONS

    # one customer who never leaves exploration: only that row can be estimated
    history = _history([(1, "exploration", "2024-01-01")])
    history.loc[0, "end_date"] = D("2024-04-30")

    class World:
        stage_history = history

    P = base_matrix(World())
    assert P.loc["exploration"].tolist() == [1.0, 0, 0, 0, 0]
    np.testing.assert_array_equal(P.iloc[1:].to_numpy(), DEFAULT_TRANSITIONS[1:])


def test_scenario_start(small_world):
    x0, new = scenario_start(small_world, "base")
    assert sum(x0.values()) == len(small_world.customers) and new > 0
    assert scenario_start(small_world, "cohort") == ({"exploration": 1000.0}, 0.0)
    with pytest.raises(ValueError, match="'cohort' or 'base'"):
        scenario_start(small_world, "today")


def test_months_in_stage_by_hand():
    P = np.eye(5)
    P[0] = [0.75, 0.25, 0, 0, 0]  # leaves with 1/4 a month: 4 months on average
    P[3] = [0, 0, 0, 0.9, 0.1]
    out = months_in_stage(P)
    assert out.tolist() == pytest.approx([4.0, np.inf, np.inf, 10.0, np.inf])
    assert list(out.index) == list(STAGES)


def test_one_check_of_a_transition_matrix_everywhere():
    """The generator, the metrics and the figures refuse a bad matrix with the same words."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from crmkit.plots.lifecycle import plot_transition_heatmap
    from crmkit.synth import make_world

    bad = np.full((5, 5), 0.3)
    ax = Figure().subplots()
    for call in (
        lambda: make_world(10, transition_matrix=bad),
        lambda: simulate_lifecycle(bad),
        lambda: months_in_stage(bad),
        lambda: scenario_matrix(pd.DataFrame(bad, index=STAGES, columns=STAGES)),
        lambda: plot_transition_heatmap(pd.DataFrame(bad, index=STAGES, columns=STAGES), ax=ax),
    ):
        with pytest.raises(ValueError, match="summing to 1; row sums are 1.500"):
            call()
