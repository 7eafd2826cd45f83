"""Tests of crmkit.metrics.kpis: loyalty KPIs, alerts, acquisition, win-back, training, teams."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmkit.metrics.kpis import (
    KPI_COLUMNS,
    acquisition_by_channel,
    kpi_alerts,
    loyalty_kpis,
    origin_mix,
    satisfaction_by_team,
    training_effect,
    winback_by_campaign,
)
from crmkit.synth import TRAINING_EFFECT, make_world

D = pd.Timestamp


@pytest.fixture(scope="module")
def world():
    return make_world(3000, random_state=0)


# ----------------------------------------------------------------------------- fixture
def _tables():
    """Four customers, five invoices, a few contacts (see the comments for the answers)."""
    customers = pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 4],
            "signup_date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-15", "2024-02-01"]),
            "churn_date": pd.to_datetime([None, None, None, "2024-02-10"]),
        }
    )
    transactions = pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 4, 1],
            "date": pd.to_datetime(
                ["2024-01-05", "2024-01-10", "2024-01-20", "2024-02-10", "2024-03-15"]
            ),
            "amount": [100.0, 50.0, 200.0, 80.0, 40.0],
            # due: Feb 4 (paid on time), Feb 9 (late), Feb 19 (unpaid), Mar 11 (on time),
            # Apr 14 (after as_of: not counted)
            "paid_date": pd.to_datetime(["2024-01-20", "2024-03-01", None, "2024-02-15", None]),
        }
    )
    interactions = pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 1, 2],
            "date": pd.to_datetime(
                ["2024-01-07", "2024-02-02", "2024-02-20", "2024-03-03", "2024-02-21"]
            ),
            "kind": ["complaint", "complaint", "complaint", "positive_feedback", "care_feedback"],
            "outcome": ["resolved", "resolved", "unresolved", "no_action", "no_action"],
            "resolution_hours": [10.0, 20.0, 40.0, np.nan, np.nan],
        }
    )
    surveys = pd.DataFrame(
        {
            "date": pd.to_datetime(["2024-03-15", "2024-03-15", "2024-03-20"]),
            "method": ["focus_group", "focus_group", "relationship"],
        }
    )
    return customers, transactions, interactions, surveys


def test_loyalty_kpis_by_hand():
    customers, transactions, interactions, surveys = _tables()
    k = loyalty_kpis(
        customers, transactions, interactions, surveys=surveys, as_of="2024-03-31"
    ).set_index(pd.Index(["jan", "feb", "mar"]))
    assert list(k.columns) == ["period", "period_start", "active_customers", *KPI_COLUMNS]
    assert k["period"].astype(str).tolist() == ["2024-01", "2024-02", "2024-03"]
    assert k["active_customers"].tolist() == [3, 4, 3]
    assert k["defections"].tolist() == [0, 1, 0]
    assert k["complaints"].tolist() == [1, 2, 0]
    assert k["positive_feedback"].tolist() == [0, 0, 1]
    assert k["care_staff_feedback"].tolist() == [0, 1, 0]
    assert k["focus_group_reports"].tolist() == [0, 0, 2]
    assert k.loc["jan", "complaint_resolution_hours"] == 10.0
    assert k.loc["feb", "complaint_resolution_hours"] == 30.0  # median of 20 and 40
    assert k.loc["feb", "complaints_resolved_share"] == 0.5
    assert np.isnan(k.loc["mar", "complaints_resolved_share"])  # no complaint in March
    assert k["invoices_due"].tolist() == [0, 3, 1]
    assert k.loc["feb", "late_payment_share"] == pytest.approx(2 / 3)
    assert k.loc["feb", "cash_collection_rate"] == pytest.approx(100 / 350)
    assert (k.loc["mar", "late_payment_share"], k.loc["mar", "cash_collection_rate"]) == (0, 1)
    assert np.isnan(k.loc["jan", "cash_collection_rate"])  # nothing due in January


def test_loyalty_kpis_as_of_cuts_later_payments():
    customers, transactions, interactions, _ = _tables()
    k = loyalty_kpis(customers, transactions, interactions, as_of="2024-02-29")
    assert len(k) == 2
    assert k["focus_group_reports"].isna().all()  # no surveys given
    # customer 2 paid on 1 March: still late; nothing changes for February
    assert k["late_payment_share"].iloc[1] == pytest.approx(2 / 3)


def test_loyalty_kpis_with_stage_history_counts_every_dissolution():
    customers, transactions, interactions, _ = _tables()
    history = pd.DataFrame(
        {
            "customer_id": [2, 4],
            "stage": ["dissolution", "dissolution"],
            "start_date": pd.to_datetime(["2024-01-20", "2024-02-10"]),
            "end_date": pd.to_datetime(["2024-02-05", None]),  # customer 2 was won back
        }
    )
    k = loyalty_kpis(
        customers, transactions, interactions, stage_history=history, as_of="2024-03-31"
    )
    assert k["defections"].tolist() == [1, 1, 0]
    assert k["active_customers"].tolist() == [3, 3, 3]


def test_loyalty_kpis_on_a_world_uses_stage_history(world):
    k = loyalty_kpis(
        world.customers,
        world.transactions,
        world.interactions,
        surveys=world.surveys,
        stage_history=world.stage_history,
    )
    assert len(k) == 24
    spells = (world.stage_history["stage"] == "dissolution").sum()
    assert k["defections"].sum() == spells
    assert k["complaints"].sum() == (world.interactions["kind"] == "complaint").sum()
    shares = k[["complaints_resolved_share", "late_payment_share", "cash_collection_rate"]]
    assert ((shares.dropna() >= 0) & (shares.dropna() <= 1)).all().all()


# ----------------------------------------------------------------------------- alerts
def test_kpi_alerts_by_hand():
    k = pd.DataFrame(
        {
            "period": range(6),
            "complaints": [10, 11, 9, 10, 30, 10],
            "positive_feedback": [5, 5, 5, 5, 5, 9],
        }
    )
    out = kpi_alerts(k, window=3, threshold=2.0)
    assert out.columns.tolist() == [
        "period",
        "kpi",
        "value",
        "baseline",
        "spread",
        "z",
        "direction",
        "judgement",
    ]
    first = out.iloc[0]
    assert (first["period"], first["kpi"], first["judgement"]) == (4, "complaints", "worse")
    assert first["baseline"] == 10.0 and first["spread"] == 1.0 and first["z"] == 20.0
    praise = out[out["kpi"] == "positive_feedback"].iloc[0]
    assert praise["z"] == np.inf and praise["judgement"] == "better"  # flat baseline
    # period 5 complaints: baseline (9+10+30)/3, not flagged at 2 spreads
    assert not ((out["period"] == 5) & (out["kpi"] == "complaints")).any()


def test_kpi_alerts_watch_direction_and_errors():
    k = pd.DataFrame({"period": range(5), "focus_group_reports": [0, 1, 0, 1, 9]})
    out = kpi_alerts(k, columns=["focus_group_reports"])
    assert out["judgement"].tolist() == ["watch"]
    with pytest.raises(ValueError, match="at least 2"):
        kpi_alerts(k, window=1, columns=["focus_group_reports"])
    with pytest.raises(ValueError, match="none of the KPI columns"):
        kpi_alerts(pd.DataFrame({"period": [1, 2], "x": [1, 2]}))
    with pytest.raises(ValueError, match="columns="):
        kpi_alerts(k, columns=["defections"])


def test_kpi_alerts_all_periods_draws_the_corridor_of_the_same_alerts():
    k = pd.DataFrame({"period": range(6), "complaints": [10, 11, 9, 10, 30, 10]})
    full = kpi_alerts(k, window=3, threshold=2.0, all_periods=True)
    assert full["period"].tolist() == list(range(6))
    assert full.columns.tolist()[-3:] == ["low", "high", "alert"]
    assert full["alert"].tolist() == [False, False, False, False, True, False]
    np.testing.assert_allclose(full["low"].iloc[3:5], [8.0, 8.0])
    np.testing.assert_allclose(full["high"].iloc[3:5], [12.0, 12.0])
    alerts = full[full["alert"]].drop(columns=["low", "high", "alert"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(alerts, kpi_alerts(k, window=3, threshold=2.0))
    assert full.loc[~full["alert"], "judgement"].isna().all()


def test_kpi_alerts_all_periods_flat_baseline_flags_any_change():
    k = pd.DataFrame({"period": range(5), "complaints": [5, 5, 5, 6, 5]})
    full = kpi_alerts(k, window=3, threshold=3.0, all_periods=True)
    assert full["alert"].tolist() == [False, False, False, True, False]


def test_kpi_alerts_all_periods_matches_alerts_on_a_world(world):
    k = loyalty_kpis(world.customers, world.transactions, world.interactions)
    for col in ("complaints", "late_payment_share", "defections"):
        for window, threshold in ((2, 1.0), (3, 2.0), (6, 1.5)):
            full = kpi_alerts(
                k, window=window, threshold=threshold, columns=[col], all_periods=True
            )
            alerts = kpi_alerts(k, window=window, threshold=threshold, columns=[col])
            assert len(full) == len(k)
            got = full[full["alert"]].drop(columns=["low", "high", "alert"])
            pd.testing.assert_frame_equal(got.reset_index(drop=True), alerts)


# ----------------------------------------------------------------------------- acquisition
def _campaigns():
    return pd.DataFrame(
        {
            "campaign_id": [1, 2, 3, 4, 5],
            "campaign_type": ["acquisition", "acquisition", "retention", "win_back", "win_back"],
            "channel": ["web", "shop", "email", "email", "phone"],
            "offer": [None, None, "loyalty_rewards", "better_price", "free_maintenance"],
            "reach": [100, 10, 500, 200, 50],
            "cost": [50.0, 120.0, 75.0, 300.0, 300.0],
        }
    )


def _acquired():
    return pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 4, 5, 6, 7],
            "acquisition_campaign_id": pd.array([1, 1, 2, None, 4, 4, 5], dtype="Int64"),
            "origin": [
                "new_to_business",
                "new_to_product",
                "new_to_business",
                "new_to_product",
                "won_back",
                "won_back",
                "won_back",
            ],
        }
    )


def test_acquisition_by_channel_by_hand():
    out = acquisition_by_channel(_acquired(), _campaigns()).set_index("channel")
    assert out.index.tolist() == ["shop", "web"]  # concepts order
    assert out.loc["web", "new_customers"] == 2
    assert out.loc["web", "conversion_rate"] == 0.02
    assert out.loc["web", "cost_per_acquisition"] == 25.0
    assert out.loc["shop", "conversion_rate"] == 0.1
    assert out.loc["shop", "cost_per_acquisition"] == 120.0


def test_acquisition_recovers_channel_conversion(world):
    out = acquisition_by_channel(world.customers, world.campaigns).set_index("channel")
    true = world.truth["channel_conversion"]
    rel = (out["conversion_rate"] / true.reindex(out.index) - 1).abs()
    assert rel.max() < 0.25
    cpa = world.truth["channel_cost_per_acquisition"].reindex(out.index)
    assert ((out["cost_per_acquisition"] / cpa - 1).abs() < 0.25).all()


def test_winback_by_campaign_by_hand():
    out = winback_by_campaign(_acquired(), _campaigns()).set_index("offer")
    assert out.loc["better_price", "won_back"] == 2
    assert out.loc["better_price", "win_rate"] == 0.01
    assert out.loc["better_price", "cost_per_win"] == 150.0
    assert out.loc["free_maintenance", "cost_per_win"] == 300.0
    by_channel = winback_by_campaign(_acquired(), _campaigns(), by="channel")
    assert by_channel["won_back"].sum() == 3


def test_origin_mix_by_hand_and_by_period():
    c = pd.DataFrame(
        {
            "origin": ["won_back", "new_to_product", "won_back", "won_back"],
            "signup_date": pd.to_datetime(["2024-01-03", "2024-01-09", "2024-03-01", "2024-03-02"]),
        }
    )
    out = origin_mix(c)
    assert out["customers"].tolist() == [0, 1, 3]
    assert out["share"].sum() == pytest.approx(1.0)
    monthly = origin_mix(c, freq="M")
    assert monthly["period"].astype(str).unique().tolist() == ["2024-01", "2024-02", "2024-03"]
    feb = monthly[monthly["period"].astype(str) == "2024-02"]
    assert feb["customers"].sum() == 0 and (feb["share"] == 0).all()
    with pytest.raises(ValueError, match="unknown origin"):
        origin_mix(pd.DataFrame({"origin": ["competitor"]}))
    with pytest.raises(ValueError, match="capital"):
        origin_mix(c, freq="m")


# ----------------------------------------------------------------------------- people
def _training_tables():
    staff = pd.DataFrame(
        {
            "staff_id": [1, 2, 3],
            "team": ["billing", "billing", "sales"],
            "training_hours": [0.0, 10.0, 20.0],
        }
    )
    rows = []
    iid = 0
    for sid, hours in zip(staff["staff_id"], staff["training_hours"], strict=True):
        for hand in (0, 1, 2):
            iid += 1
            rows.append(
                {
                    "interaction_id": iid,
                    "staff_id": sid,
                    "kind": "complaint",
                    "handoffs": hand,
                    "resolution_hours": 20 * np.exp(-0.03 * hours + 0.35 * hand),
                    "outcome": "resolved" if hours > 0 else "unresolved",
                }
            )
    return pd.DataFrame(rows), staff


def test_training_effect_recovers_a_known_slope():
    interactions, staff = _training_tables()
    fit = training_effect(interactions, staff, bins=(0, 5, 15, 40))
    assert fit.slope == pytest.approx(-0.03)
    coef = fit.coefficients.set_index("term")
    assert coef.loc["handoffs", "estimate"] == pytest.approx(0.35)
    assert coef.loc["kind:complaint", "estimate"] == pytest.approx(np.log(20))
    assert coef.loc["training_hours", "percent_change"] == pytest.approx(np.expm1(-0.03))
    bands = fit.bands.set_index("training_band")
    assert bands.index.tolist() == ["0-5 h", "5-15 h", "15-40 h"]
    assert bands["complaints"].tolist() == [3, 3, 3]
    assert bands.loc["0-5 h", "share_resolved"] == 0.0
    assert bands.loc["0-5 h", "median_resolution_hours"] == pytest.approx(20 * np.exp(0.35))


def test_training_effect_recovers_the_generator(world):
    fit = training_effect(world.interactions, world.staff)
    assert abs(fit.slope - TRAINING_EFFECT) < 0.01
    hand = fit.coefficients.set_index("term").loc["handoffs", "estimate"]
    assert abs(hand - world.truth["handoff_effect_log_hours"]) < 0.05


def test_training_effect_errors():
    interactions, staff = _training_tables()
    with pytest.raises(ValueError, match="same 'training_hours'"):
        training_effect(interactions, staff.assign(training_hours=5.0))
    with pytest.raises(ValueError, match="increasing"):
        training_effect(interactions, staff, bins=(10, 0))
    with pytest.raises(ValueError, match="duplicate"):
        training_effect(interactions, pd.concat([staff, staff]))
    with pytest.raises(ValueError, match="training_col="):
        training_effect(interactions, staff.drop(columns="training_hours"))


def test_satisfaction_by_team_by_hand():
    interactions, staff = _training_tables()
    surveys = pd.DataFrame(
        {
            "interaction_id": pd.array([1, 2, 8, None], dtype="Int64"),
            "overall": [7, 5, 6, 1],
            "nps": [10, 3, 9, 0],
        }
    )
    out = satisfaction_by_team(surveys, interactions, staff).set_index("team")
    assert out.index.tolist() == ["sales", "billing"]
    assert out.loc["billing", "staff"] == 2 and out.loc["billing", "training_hours"] == 5.0
    assert out.loc["billing", "n_surveys"] == 2
    assert out.loc["billing", "overall"] == 6.0
    assert out.loc["billing", "csat"] == 0.5
    assert out.loc["billing", "nps"] == 0.0
    assert (out.loc["sales", "n_surveys"], out.loc["sales", "nps"]) == (1, 100.0)
    assert out.loc["billing", "office"] == "back"


def test_satisfaction_by_team_on_a_world(world):
    out = satisfaction_by_team(world.surveys, world.interactions, world.staff)
    assert out["staff"].sum() == len(world.staff)
    linked = world.surveys["interaction_id"].notna().sum()
    assert out["n_surveys"].sum() == linked


# ----------------------------------------------------------------------------- properties, errors
@settings(max_examples=20, deadline=None)
@given(st.permutations(list(range(5))))
def test_loyalty_kpis_ignore_row_order_and_do_not_mutate(order):
    customers, transactions, interactions, surveys = _tables()
    copies = [t.copy() for t in (customers, transactions, interactions)]
    a = loyalty_kpis(customers, transactions, interactions, as_of="2024-03-31")
    b = loyalty_kpis(
        customers, transactions.iloc[order], interactions.iloc[order], as_of="2024-03-31"
    )
    pd.testing.assert_frame_equal(a, b)
    for before, after in zip(copies, (customers, transactions, interactions), strict=True):
        pd.testing.assert_frame_equal(before, after)


def test_loyalty_kpis_errors():
    customers, transactions, interactions, _ = _tables()
    with pytest.raises(ValueError, match="before the first date"):
        loyalty_kpis(customers, transactions, interactions, as_of="2020-01-01")
    with pytest.raises(ValueError, match="`freq` must be one of"):
        loyalty_kpis(customers, transactions, interactions, freq="month")
    with pytest.raises(ValueError) as err:
        loyalty_kpis(customers, transactions.drop(columns="paid_date"), interactions)
    assert "'paid_date'" in str(err.value) and "paid_col=" in str(err.value)
    assert "columns: customer_id, date, amount" in str(err.value)
    with pytest.raises(ValueError, match="is empty"):
        loyalty_kpis(customers, transactions.iloc[:0], interactions)
    with pytest.raises(TypeError, match="world.transactions"):
        loyalty_kpis(customers, "transactions", interactions)


def test_acquisition_errors():
    with pytest.raises(ValueError, match="no 'acquisition' campaign"):
        acquisition_by_channel(_acquired(), _campaigns().iloc[2:])
    with pytest.raises(ValueError, match="acq_campaign_col="):
        acquisition_by_channel(_acquired().drop(columns="acquisition_campaign_id"), _campaigns())
    with pytest.raises(ValueError, match="`by` must be one of"):
        winback_by_campaign(_acquired(), _campaigns(), by="team")


# ------------------------------------------------------------------- kpi_series, prepare_kpis
def test_kpi_series_rates_and_percent():
    from crmkit.metrics.kpis import kpi_series

    k = pd.DataFrame(
        {"active_customers": [0, 400], "defections": [0, 8], "cash_collection_rate": [0.9, 0.8]}
    )
    rate, unit = kpi_series(k, "defections")
    assert np.isnan(rate[0]) and rate[1] == 20.0 and "per 1,000" in unit
    pct, unit = kpi_series(k, "cash_collection_rate")
    assert pct.tolist() == pytest.approx([90.0, 80.0])
    assert unit == "amount paid on time (%)"
    with pytest.raises(ValueError, match="kpi"):
        kpi_series(k, "complaints")  # not a column of k


def test_kpi_series_leaves_other_kpis_as_they_are():
    from crmkit.metrics.kpis import kpi_series

    k = pd.DataFrame({"active_customers": [10, 20], "complaint_resolution_hours": [30, 12.5]})
    values, unit = kpi_series(k, "complaint_resolution_hours")
    assert values.tolist() == [30.0, 12.5] and unit == "median hours to resolve"
    assert k["complaint_resolution_hours"].tolist() == [30, 12.5]  # input untouched


def test_prepare_kpis_is_loyalty_kpis_of_the_world(small_world):
    from crmkit.metrics.kpis import prepare_kpis

    w = small_world
    direct = loyalty_kpis(
        w.customers,
        w.transactions,
        w.interactions,
        surveys=w.surveys,
        stage_history=w.stage_history,
    )
    pd.testing.assert_frame_equal(prepare_kpis(w), direct)
