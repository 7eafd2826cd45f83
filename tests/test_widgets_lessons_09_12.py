"""The logic behind the widgets of lessons 09-12, tested without a browser.

termination_explorer, channel_consistency_explorer, touchpoint_explorer,
kpi_explorer and event_calendar_explorer: their pure functions on small
hand-made tables, and what the widgets show in edge cases.
"""

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from crmkit.metrics.care import event_calendar
from crmkit.metrics.kpis import kpi_alerts
from crmkit.metrics.termination import termination_what_if
from crmkit.widgets import care, channels, kpis, termination

# --------------------------------------------------------------------------- termination


def test_prepare_candidates_counts_bundles(small_world):
    cand = termination.prepare_candidates(small_world)
    tx = small_world.transactions
    expected = tx[tx["category"] == "bundle"].groupby("customer_id").size()
    got = cand.set_index("customer_id")["bundle_purchases"]
    assert got[got > 0].sort_index().to_dict() == expected.sort_index().to_dict()
    assert (cand["bundle_purchases"] >= 0).all()


def test_what_if_summary_reads_the_table():
    t = pd.DataFrame(
        {
            "measure": ["customers", "revenue", "cost_of_goods", "cost_to_serve", "profit"],
            "before": [200.0, 1000.0, 500.0, 300.0, 200.0],
            "after": [150.0, 900.0, 400.0, 250.0, 250.0],
        }
    )
    text = termination.what_if_summary(
        t, segment="deal_seeker", method="raise_price", price_rise=0.25
    )
    assert text.startswith("Raise the price by 25% for Deal-seekers: 150 of 200")
    assert text.endswith("profit 200 -> 250 (+25.0%).")


def test_termination_widget_numbers_match_the_metric(small_world):
    w = termination.termination_explorer(small_world, segment="any", price_rise=0.2)
    cand = termination.prepare_candidates(small_world)
    table = termination_what_if(cand, small_world.transactions, segment="any", price_rise=0.2)
    profit_after = table.set_index("measure").loc["profit", "after"]
    assert f"{profit_after:,.0f}" in w.summary.value


def test_termination_empty_segment_is_explained(small_world):
    cand = termination.prepare_candidates(small_world)
    cand["destructive"] = False
    fig = Figure()
    html_text = termination._render(
        fig, cand, small_world.transactions, "destructive", "raise_price", 0.1, 2.0
    )
    assert "No customer is flagged" in html_text


def test_termination_redesign_and_unbundle_say_what_they_do(small_world):
    w = termination.termination_explorer(small_world, segment="all", method="redesign_product")
    assert "does not use the price sliders" in w.summary.value
    w.controls["method"].value = "unbundle_offer"
    assert "bundle" in w.summary.value


def test_termination_builder_refuses_bad_options(small_world):
    with pytest.raises(ValueError, match="segment"):
        termination.termination_explorer(small_world, segment="late payers")
    with pytest.raises(ValueError, match="price_rise"):
        termination.termination_explorer(small_world, price_rise=2)
    with pytest.raises(TypeError, match="elasticity"):
        termination.termination_explorer(small_world, elasticity="high")


# --------------------------------------------------------------------------- channels
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
    assert channels.priced_campaign_types(offers) == ["retention", "cross_sell"]


def test_consistency_report_against_truth(offers):
    r = channels.consistency_report(offers, tolerance=0.0, truth=[2, 3])
    assert r["n_checked"] == 2  # campaign 3 has one channel, 4 no price
    assert r["inconsistent"]["campaign_id"].tolist() == [2]
    assert (r["found"], r["missed"], r["false_alarms"]) == (1, 0, 0)
    loose = channels.consistency_report(offers, tolerance=2.0, truth=[2])
    assert loose["inconsistent"].empty and loose["missed"] == 1
    assert "found" not in channels.consistency_report(offers)


def test_explorer_finds_the_planted_inconsistencies(small_world):
    w = channels.channel_consistency_explorer(small_world, campaign_type="all")
    planted = small_world.truth["inconsistent_campaigns"]
    report = channels.consistency_report(small_world.campaigns, truth=planted)
    assert report["missed"] == 0 and report["false_alarms"] == 0
    assert f"{report['found']} found, 0 missed, 0 false alarms" in w.summary.value


def test_explorer_high_tolerance_shows_a_message(small_world):
    w = channels.channel_consistency_explorer(
        small_world, campaign_type="all", tolerance=20.0, only_inconsistent=True
    )
    assert "could not be computed" not in w.summary.value
    w.controls["tolerance"].value = 0.0
    assert "quote different prices" in w.summary.value


def test_explorer_refuses_an_unknown_type(small_world):
    with pytest.raises(ValueError, match="campaign_type"):
        channels.channel_consistency_explorer(small_world, campaign_type="acquisition")


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
    p = channels.touchpoint_profile(t, "b", truth)
    assert p["difference"].tolist() == [0.5, 0.5, 0.0, -0.5]
    assert p["true_effect"].round(6).tolist() == [0.1, 0.0, 0.0, -0.2]
    with pytest.raises(ValueError, match="unknown touchpoint"):
        channels.touchpoint_profile(t, "z")


def test_touchpoint_explorer_recovers_billing(small_world):
    w = channels.touchpoint_explorer(small_world, touchpoint="billing")
    assert "Billing" in w.summary.value and "Back office" in w.summary.value
    w.controls["touchpoint"].value = "marketing_communication"  # no survey rates it
    assert "could not be computed" not in w.summary.value


# --------------------------------------------------------------------------- KPIs
def test_kpi_explorer_draws_the_corridor_and_alerts_of_kpi_alerts(small_world):
    from matplotlib.collections import PathCollection

    table = kpis.prepare_kpis(small_world)
    for kpi in ("complaints", "late_payment_share", "defections"):
        values, _ = kpis.kpi_series(table, kpi)
        for window, threshold in ((2, 1.0), (3, 2.0), (6, 1.5)):
            fig, alerts = kpis.kpi_explorer_figure(
                small_world, kpi=kpi, window=window, threshold=threshold, kpis=table, fig=Figure()
            )
            full = kpi_alerts(
                table.assign(**{kpi: values}),
                window=window,
                threshold=threshold,
                columns=[kpi],
                all_periods=True,
            )
            ax = fig.axes[0]
            baseline = next(li for li in ax.lines if li.get_linestyle() == "--")
            np.testing.assert_array_equal(baseline.get_ydata(), full["baseline"])
            marked = sum(
                len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection)
            )
            assert marked == len(alerts) == int(full["alert"].sum()), (kpi, window, threshold)


def test_kpi_series_rates_and_percent():
    k = pd.DataFrame(
        {"active_customers": [0, 400], "defections": [0, 8], "cash_collection_rate": [0.9, 0.8]}
    )
    rate, unit = kpis.kpi_series(k, "defections")
    assert np.isnan(rate[0]) and rate[1] == 20.0 and "per 1,000" in unit
    pct, _ = kpis.kpi_series(k, "cash_collection_rate")
    assert pct.tolist() == pytest.approx([90.0, 80.0])


def test_kpi_explorer_lists_the_alerts(small_world):
    w = kpis.kpi_explorer(small_world, kpi="complaints", threshold=1.0)
    table = kpis.prepare_kpis(small_world)
    values, _ = kpis.kpi_series(table, "complaints")
    n = len(kpi_alerts(table.assign(complaints=values), threshold=1.0, columns=["complaints"]))
    assert f"Complaints: {n} alert month(s)" in w.summary.value
    with pytest.raises(ValueError, match="window"):
        kpis.kpi_explorer(small_world, window=30)


# --------------------------------------------------------------------------- care
def test_calendar_dates_end_on_the_last_day():
    t = pd.DataFrame({"date": pd.to_datetime(["2023-11-03", "2024-01-31"])})
    got = [d.strftime("%Y-%m-%d") for d in care.calendar_dates(t)]
    assert got == ["2023-11-30", "2023-12-31", "2024-01-31"]


def test_events_per_week_keeps_empty_weeks():
    cal = pd.DataFrame({"event": ["signup_anniversary"], "days_until": [15]})
    table = care.events_per_week(cal, "2024-03-01", 30)
    assert len(table) == 5
    assert table["signup_anniversary"].tolist() == [0, 0, 1, 0, 0]
    assert table["week_start"].iloc[1] == pd.Timestamp("2024-03-08")


def test_calendar_cache_equals_a_direct_calendar(small_world):
    cache = care.CalendarCache(small_world.customers, small_world.transactions)
    as_of = care.calendar_dates(small_world.transactions)[-3]
    direct = event_calendar(small_world.customers, small_world.transactions, as_of=as_of, days=21)
    pd.testing.assert_frame_equal(cache.get(as_of, 21), direct)


def test_calendar_summary_escapes_names(small_world):
    customers = small_world.customers.copy()
    customers["first_name"] = "<b>Eve</b>"
    cache = care.CalendarCache(customers, small_world.transactions)
    dates = care.calendar_dates(small_world.transactions)
    text = care._render(Figure(), cache, dates, len(dates) - 1, 60)
    assert "<b>Eve</b>" not in text and "&lt;b&gt;Eve&lt;/b&gt;" in text


def test_event_calendar_explorer_month_control(small_world):
    w = care.event_calendar_explorer(small_world)
    last = care.calendar_dates(small_world.transactions)[-1]
    assert f"As of {last:%d %B %Y}" in w.summary.value
    w.controls["month"].value = 1
    assert f"As of {last:%d %B %Y}" not in w.summary.value
    with pytest.raises(ValueError, match="month"):
        care.event_calendar_explorer(small_world, month=999)
