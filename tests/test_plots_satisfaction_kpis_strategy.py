"""Tests of the satisfaction, KPI and strategy figures: returned, labelled, drawn where asked."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from crmkit import concepts  # noqa: E402
from crmkit.metrics.care import strategy_scorecard  # noqa: E402
from crmkit.metrics.kpis import loyalty_kpis  # noqa: E402
from crmkit.metrics.satisfaction import satisfaction_drivers, touchpoint_satisfaction  # noqa: E402
from crmkit.plots.kpis import plot_kpi_dashboard, plot_training_effect  # noqa: E402
from crmkit.plots.satisfaction import (  # noqa: E402
    plot_nps_distribution,
    plot_satisfaction_drivers,
    plot_touchpoint_satisfaction,
)
from crmkit.plots.strategy import plot_channel_consistency, plot_scorecard_radar  # noqa: E402
from crmkit.synth import make_world  # noqa: E402

KEYS = concepts.keys(concepts.STRATEGIES)


@pytest.fixture(scope="module")
def world():
    return make_world(1500, random_state=0)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _labelled(ax):
    assert ax.get_title()
    assert ax.get_xlabel()
    assert ax.get_ylabel()


def test_nps_distribution(world):
    fig, ax = plt.subplots()
    out = plot_nps_distribution(world.surveys, ax=ax)
    assert out is ax
    _labelled(ax)
    assert "NPS" in ax.get_title()
    assert len(ax.patches) == 11  # one bar per answer 0-10
    assert len(ax.get_legend().get_texts()) == 3


def test_nps_distribution_uses_current_axes_and_kwargs():
    fig, ax = plt.subplots()
    out = plot_nps_distribution([10, 9, 0, 7], alpha=0.5)
    assert out is ax
    assert ax.patches[0].get_alpha() == 0.5
    assert "NPS = +25" in ax.get_title()  # (2 promoters - 1 detractor) / 4 answers


def test_satisfaction_drivers(world):
    fig, ax = plt.subplots()
    out = plot_satisfaction_drivers(world.surveys, truth=world.truth, ax=ax)
    assert out is ax
    _labelled(ax)
    assert len(ax.patches) == 8  # estimated and true bars
    table = satisfaction_drivers(world.surveys)
    fig2, ax2 = plt.subplots()
    plot_satisfaction_drivers(table, ax=ax2)
    assert len(ax2.patches) == 4


def test_touchpoint_satisfaction(world):
    fig, ax = plt.subplots()
    out = plot_touchpoint_satisfaction(world.surveys, world.interactions, ax=ax)
    assert out is ax
    _labelled(ax)
    assert ax.xaxis_inverted()  # fewer complaints is better: to the right
    table = touchpoint_satisfaction(world.surveys, world.interactions)
    names = {t.get_text() for t in ax.texts}
    assert set(table.dropna(subset=["overall"])["name"]) <= names
    fig2, ax2 = plt.subplots()
    plot_touchpoint_satisfaction(table, internal="share_resolved", ax=ax2)
    assert not ax2.xaxis_inverted()
    with pytest.raises(TypeError, match="interactions"):
        plot_touchpoint_satisfaction(world.surveys)


def test_kpi_dashboard_returns_a_figure(world):
    k = loyalty_kpis(
        world.customers,
        world.transactions,
        world.interactions,
        surveys=world.surveys,
        stage_history=world.stage_history,
    )
    fig = plot_kpi_dashboard(k)
    visible = [a for a in fig.axes if a.get_visible()]
    assert len(visible) == 9
    assert all(a.get_title() and a.get_ylabel() for a in visible)
    assert "per 1,000 active customers" in visible[0].get_ylabel()
    assert fig._suptitle.get_text()
    mine = plt.figure()
    out = plot_kpi_dashboard(
        k, columns=["complaints", "cash_collection_rate"], fig=mine, per_1000=False, alerts=False
    )
    assert out is mine and len(mine.axes) == 2
    with pytest.raises(ValueError, match="not found"):
        plot_kpi_dashboard(k, columns=["nps"])
    with pytest.raises(TypeError, match="loyalty_kpis"):
        plot_kpi_dashboard(world.customers)


def test_training_effect(world):
    fig, ax = plt.subplots()
    out = plot_training_effect(world.interactions, world.staff, ax=ax)
    assert out is ax
    _labelled(ax)
    assert ax.get_yscale() == "log"
    assert "per 10 h" in ax.get_legend().get_texts()[1].get_text()


def test_scorecard_radar_one_and_several():
    a = strategy_scorecard(dict.fromkeys(KEYS, 3), participant="team A")
    b = strategy_scorecard(dict.fromkeys(KEYS, 4), participant="team B")
    fig, ax = plt.subplots(subplot_kw={"projection": "polar"})
    out = plot_scorecard_radar([a, b], ax=ax)
    assert out is ax and ax.name == "polar"
    assert ax.get_title()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["team A: mean 3.0 (defined)", "team B: mean 4.0 (managed)"]
    assert len(ax.get_xticklabels()) == 10
    plt.close("all")
    single = plot_scorecard_radar(a)  # no polar Axes yet: a new one
    assert single.name == "polar"


def test_scorecard_radar_refuses_a_flat_axes():
    a = strategy_scorecard(dict.fromkeys(KEYS, 3))
    fig, ax = plt.subplots()
    with pytest.raises(TypeError, match="polar"):
        plot_scorecard_radar(a, ax=ax)
    with pytest.raises(TypeError, match="scorecard"):
        plot_scorecard_radar("scorecard.csv", ax=ax)


def test_channel_consistency(world):
    fig, ax = plt.subplots(figsize=(6, 12))
    out = plot_channel_consistency(world.campaigns, ax=ax)
    assert out is ax
    _labelled(ax)
    marked = [t.get_text() for t in ax.get_yticklabels() if t.get_text().startswith("≠")]
    assert len(marked) == len(world.truth["inconsistent_campaigns"])
    fig2, ax2 = plt.subplots()
    plot_channel_consistency(world.campaigns, only_inconsistent=True, ax=ax2)
    assert len(ax2.get_yticklabels()) == len(world.truth["inconsistent_campaigns"])
    assert ax2.texts  # prices written in the cells
    consistent = world.campaigns[
        ~world.campaigns["campaign_id"].isin(world.truth["inconsistent_campaigns"])
    ]
    with pytest.raises(ValueError, match="nothing is inconsistent"):
        plot_channel_consistency(consistent, only_inconsistent=True, ax=ax2)


def test_plots_do_not_mutate(world):
    before = world.surveys.copy()
    fig, ax = plt.subplots()
    plot_nps_distribution(world.surveys, ax=ax)
    plot_satisfaction_drivers(world.surveys, ax=ax)
    pd.testing.assert_frame_equal(world.surveys, before)
